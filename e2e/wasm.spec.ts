// The WASM backend (tfjs-backend-wasm, its .wasm served by the site itself), named in the link
// (`?backend=wasm`) so no test depends on which backend a probe would pick: each lab trains a few
// steps on it, the main thread stays under 50 ms, the gradient checks pass on it, and the site
// under a sub-path becomes cross-origin isolated (threads on) once its service worker is installed,
// working the same before.
import type { Locator, Page } from '@playwright/test';
import { test, expect, appUrl, expectGradientChecksPass, SUB_PATH, playWhileTracing } from './helpers';

test.skip(({ backend }) => backend !== 'cpu', 'the backend is named in the link: once, from the cpu project');

const num = async (l: Locator, name: string) => Number((await l.getAttribute(name)) ?? 'NaN');

async function openOnWasm(page: Page, hashRoute: string, subPath = false): Promise<void> {
  await page.goto(appUrl(hashRoute, { backend: 'wasm', subPath }));
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 90_000 });
}

/** Plays until the step counter reaches `steps`, then pauses. */
async function playSteps(page: Page, steps: number): Promise<void> {
  await page.getByTestId('play').click();
  await expect.poll(async () => num(page.getByTestId('step-counter'), 'data-step'), { timeout: 90_000 }).toBeGreaterThanOrEqual(steps);
  await page.getByTestId('pause').click();
}

for (const [lab, route] of [
  ['sine', '#/sine'],
  ['memory', '#/memory'],
  ['zero-shot', '#/metric?width=16&view=zeroshot'],
] as const)
  test(`${lab} lab trains on wasm`, async ({ page }) => {
    await openOnWasm(page, route);
    await playSteps(page, 3);
  });

test('metric lab trains protonet on wasm with the main thread under 50 ms', async ({ page, browser }) => {
  await openOnWasm(page, '#/metric?width=16&ways=3');
  const { seen, tasks } = await playWhileTracing(browser, page, {
    readLoss: async () => num(page.getByTestId('metric-loss'), 'data-value'),
    readStep: async () => num(page.getByTestId('step-counter'), 'data-step'),
    minSteps: 10,
    timeout: 90_000,
    interval: 250,
  });
  expect(seen.length).toBeGreaterThan(0);
  expect(tasks.maxCpuMs, 'longest main-thread task (CPU ms) while protonet trains on wasm').toBeLessThan(50);
});

test('characters lab: the gradient-based family card trains on wasm', async ({ page }) => {
  await page.goto(appUrl('#/characters', { backend: 'wasm' }));
  await expect(page.getByTestId('source-stats')).not.toHaveAttribute('data-images', '0');
  const card = page.getByTestId('family-card');
  await card.scrollIntoViewIfNeeded();
  // The smallest net, one episode per step: a few steps in seconds.
  await card.getByTestId('fam-width').selectOption('8');
  const batch = card.getByTestId('fam-meta-batch');
  await batch.fill('1');
  await batch.press('Enter');
  await card.getByTestId('play').click();
  await expect.poll(async () => num(card.getByTestId('step-counter'), 'data-step'), { timeout: 90_000 }).toBeGreaterThanOrEqual(3);
  await card.getByTestId('pause').click();
  await expect(card).toHaveAttribute('data-backend', 'wasm');
});

test('every gradient check passes on wasm (the Diagnostics page)', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(appUrl('#/diagnostics', { backend: 'wasm' }));
  await expect(page.getByTestId('diagnostics-backend')).toHaveValue('wasm');
  const summary = await expectGradientChecksPass(page, 280_000);
  await expect(summary).toHaveAttribute('data-backend', 'wasm');
});

test('under the sub-path: single-threaded wasm before the service worker, cross-origin isolated with threads after', async ({ page }) => {
  test.setTimeout(180_000);
  // First visit: the host sends no COOP/COEP (like GitHub Pages), so no SharedArrayBuffer; WASM
  // runs its single-threaded build and the lab trains all the same.
  await openOnWasm(page, '#/metric?width=16', true);
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);
  await page.getByTestId('step').click();
  await expect(page.getByTestId('step-counter')).toHaveAttribute('data-step', '1', { timeout: 60_000 });

  // The service worker registered on that visit; the next one comes through it, with the headers.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(new URL(scope).pathname).toBe(SUB_PATH);
  await page.reload();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 90_000 });
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  await page.getByTestId('step').click();
  await expect(page.getByTestId('step-counter')).toHaveAttribute('data-step', '1', { timeout: 60_000 });
  // The lab's worker is isolated too, so tfjs loaded its threaded build, whose helper threads are
  // workers started from blob: URLs.
  const labWorker = page.workers().find((w) => w.url().includes('metric.worker'));
  expect(labWorker, page.workers().map((w) => w.url()).join(', ')).toBeDefined();
  expect(await labWorker!.evaluate(() => self.crossOriginIsolated && typeof SharedArrayBuffer === 'function')).toBe(true);
  expect(page.workers().filter((w) => w.url().startsWith('blob:')).length).toBeGreaterThan(0);
});
