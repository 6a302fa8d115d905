// A measurement, not a test (docs/benchmarks.md, "WASM in the browser"): the metric lab's default
// workload (`#/metric` with no settings: a prototypical network) trained on ?backend=cpu and on
// ?backend=wasm, its outer steps per second over a window after warm-up, and the ETA the lab shows
// for its default budget; and which backend `auto` picks for it here, with the probe's timings.
// Opt-in, since it only reports numbers:
//   MEASURE_WASM=1 PLAYWRIGHT_CHROMIUM_PATH=/usr/bin/chromium npx playwright test e2e/wasmMeasure.spec.ts
// (the `auto` pick runs in both projects: with WebGPU on SwiftShader, and without WebGPU)
// (MEASURE_SECONDS sets the window, default 30.)
import type { Page } from '@playwright/test';
import { test, expect, appUrl } from './helpers';

test.skip(!process.env.MEASURE_WASM, 'opt-in measurement: MEASURE_WASM=1');

// A trace would cost the page time while it is measured.
test.use({ trace: 'off' });

const WINDOW_S = Number(process.env.MEASURE_SECONDS ?? 30);
const stepOf = async (page: Page) => Number(await page.getByTestId('step-counter').getAttribute('data-step'));

for (const backend of ['cpu', 'wasm'] as const)
  test(`metric lab default workload on ${backend}: steps/s and ETA`, async ({ page, backend: project }, testInfo) => {
    test.skip(project !== 'cpu', 'the backend is named in the link: measured once, from the cpu project');
    test.setTimeout((WINDOW_S + 240) * 1000);
    await page.goto(appUrl('#/metric', { backend }));
    await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', backend, { timeout: 90_000 });
    await page.getByTestId('play').click();
    // Warm-up: kernels, first snapshots and chunk sizing settle over the first steps.
    await expect.poll(() => stepOf(page), { timeout: 180_000 }).toBeGreaterThanOrEqual(3);
    const s0 = await stepOf(page);
    const t0 = Date.now();
    await page.waitForTimeout(WINDOW_S * 1000);
    const s1 = await stepOf(page);
    const seconds = (Date.now() - t0) / 1000;
    const progress = (await page.getByTestId('progress').textContent()) ?? '';
    await page.getByTestId('pause').click();
    const stepsPerS = (s1 - s0) / seconds;
    const line = `${backend}: ${(s1 - s0)} steps in ${seconds.toFixed(1)} s = ${stepsPerS.toFixed(2)} steps/s; the lab shows "${progress.trim()}"`;
    testInfo.annotations.push({ type: 'measurement', description: line });
    console.log(line);
    expect(s1).toBeGreaterThan(s0);
  });

test('metric lab: the backend auto picks, and the probe timings', async ({ page, backend: project }, testInfo) => {
  test.setTimeout(240_000);
  await page.goto(appUrl('#/metric', { backend: null }));
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', /^(webgpu|webgl|wasm|cpu)$/, { timeout: 200_000 });
  await expect(badge).toHaveAttribute('title', /\d+\.\d ms/);
  const line = `${project} project, auto: ${await badge.getAttribute('data-backend')} (${await badge.getAttribute('title')})`;
  testInfo.annotations.push({ type: 'measurement', description: line });
  console.log(line);
});
