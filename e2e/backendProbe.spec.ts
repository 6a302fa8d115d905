// "auto" backend: each lab's worker times its own workload on every backend the browser has and
// picks the fastest (src/worker/backends.ts chooseBackend); the badge's title lists the timings.
// On the cpu project (Chromium without WebGPU) the candidates are webgl, wasm and cpu. Which one
// wins is a timing race on a loaded machine, so only the measurement is checked, never the winner.
import { test, expect, appUrl } from './helpers';

test.skip(({ backend }) => backend !== 'cpu', 'the probe runs once, in the browser without WebGPU');

for (const [lab, route] of [
  ['sine', '#/sine'],
  ['memory', '#/memory'],
  ['metric', '#/metric?width=16'],
  ['zero-shot', '#/metric?view=zeroshot'],
] as const)
  test(`${lab} lab: auto probes the backends with its own workload and reports the timings`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(appUrl(route, { backend: null }));
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toHaveAttribute('data-backend', /^(webgpu|webgl|wasm|cpu)$/, { timeout: 150_000 });
    // The title holds "probe: <backend> <ms> ms, …" from the worker's measurement, WASM's included.
    await expect(badge).toHaveAttribute('title', /\d+\.\d ms/);
    await expect(badge).toHaveAttribute('title', /wasm \d+\.\d ms/);
  });
