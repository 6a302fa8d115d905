// The metric lab's zero-shot relation network (#/metric, "Zero-shot relation network"), on the
// production build in headless Chromium: it trains in its own worker while the main thread stays
// responsive, held-out accuracy rises above chance, the score bars render with the true class
// marked, editing a held-out class's attribute vector changes its score, and the layout holds in
// presentation mode, in Persian and at 420 px.
import { test, expect, appUrl, playWhileTracing } from './helpers';
import type { Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';

test.skip(({ backend }) => backend !== 'cpu', 'the zero-shot view is checked once, on the cpu backend');

const num = async (page: Page, id: string, name: string) => Number(await page.getByTestId(id).getAttribute(name));

/** Opens the metric lab and switches to the zero-shot view, or (`direct`) follows a link that names it. */
async function openZeroShot(page: Page, backend: string, direct = false) {
  await page.goto(appUrl(direct ? '#/metric?width=16&view=zeroshot' : '#/metric?width=16'));
  if (!direct) await page.getByTestId('mode-zero').click();
  await expect(page.getByTestId('mode-zero')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('zero-shot')).toBeVisible();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', backend, { timeout: 90_000 });
  await expect(page.getByTestId('zs-score-0')).toBeVisible({ timeout: 60_000 });
}

test('zero-shot: trains in its worker, held-out accuracy rises above chance, the main thread stays under 50 ms, edits move the scores', async ({ page, backend, browser }, testInfo) => {
  test.setTimeout(300_000);
  await openZeroShot(page, backend);
  await expect(page).toHaveURL(/view=zeroshot/);
  // Five held-out classes, ten attributes each, one true class marked.
  await expect(page.locator('[data-testid^="zs-row-"]')).toHaveCount(5);
  await expect(page.locator('[data-testid^="zs-attr-0-"]')).toHaveCount(10);
  await expect(page.locator('.zs-true')).toHaveCount(1);
  const untrained = await num(page, 'zs-reading', 'data-heldout');
  expect(untrained).toBeLessThan(0.45);

  const { seen, tasks } = await playWhileTracing(browser, page, {
    readLoss: () => num(page, 'zs-reading', 'data-loss'),
    readStep: () => num(page, 'step-counter', 'data-step'),
    minSteps: 300,
    timeout: 180_000,
    interval: 500,
  });
  const heldOut = await num(page, 'zs-reading', 'data-heldout');
  const steps = await num(page, 'step-counter', 'data-step');
  writeFileSync(testInfo.outputPath('main-thread-tasks.json'), JSON.stringify({ tasks, seen, untrained, heldOut, steps }));
  expect(seen.length).toBeGreaterThan(2);
  expect(seen.at(-1)!).toBeLessThan(seen[0]);
  // Chance is 20%; 150 episodes already give > 55% in the unit test.
  expect(heldOut, `held-out accuracy after training (untrained ${untrained})`).toBeGreaterThan(0.5);
  expect(tasks.count).toBeGreaterThan(10);
  expect(tasks.maxCpuMs, `main-thread tasks while training: ${JSON.stringify(tasks)}`).toBeLessThan(50);
  await expect(page.getByTestId('zs-loss-chart')).toBeVisible();
  await expect(page.getByTestId('zs-acc-chart')).toBeVisible();

  // The view follows the trained network.
  const rows = page.getByTestId('zs-rows');
  await expect(rows).not.toHaveAttribute('data-step', '0', { timeout: 30_000 });
  const truth = Number(await rows.getAttribute('data-truth'));
  const before = await num(page, `zs-score-${truth}`, 'data-score');
  for (let r = 0; r < 5; r++) {
    const s = await num(page, `zs-score-${r}`, 'data-score');
    expect(s).toBeGreaterThanOrEqual(0);
    expect(s).toBeLessThanOrEqual(1);
  }
  await page.getByTestId('zs-scores-card').screenshot({ path: testInfo.outputPath('scores.png') });

  // Flip three attributes of the true class: its description no longer matches the query.
  for (const j of [0, 3, 6]) await page.getByTestId(`zs-attr-${truth}-${j}`).click();
  await expect(rows).toHaveAttribute('data-edited', '1');
  await expect.poll(() => num(page, `zs-score-${truth}`, 'data-score'), { timeout: 20_000 }).not.toBeCloseTo(before, 3);
  await page.getByTestId('zs-scores-card').screenshot({ path: testInfo.outputPath('scores-edited.png') });
  await page.getByTestId('zs-restore').click();
  await expect(rows).toHaveAttribute('data-edited', '0');
  await expect.poll(() => num(page, `zs-score-${truth}`, 'data-score'), { timeout: 20_000 }).toBeCloseTo(before, 3);
  await page.getByTestId('zs-next').click();
  await expect(page.getByTestId('zs-row-0')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('trained.png'), fullPage: true });

  // Back to the few-shot methods: their own toolbar and view, the zero-shot worker paused.
  await page.getByTestId('mode-few').click();
  await expect(page.getByTestId('embedding-card')).toBeVisible();
  await expect(page).not.toHaveURL(/view=zeroshot/);
});

test('zero-shot: a link opens the view; presentation mode, Persian and 420 px without horizontal overflow', async ({ page, backend }, testInfo) => {
  await openZeroShot(page, backend, true);
  await page.getByTestId('step').click();
  await expect(page.getByTestId('step-counter')).toHaveAttribute('data-step', '1', { timeout: 30_000 });
  await page.getByTestId('presentation').click();
  await expect(page.locator('html')).toHaveClass(/presentation/);
  await page.screenshot({ path: testInfo.outputPath('presentation.png'), fullPage: true });
  await page.getByTestId('language').selectOption('fa');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByTestId('mode-zero')).toHaveText('شبکهٔ رابطه‌ای صفرنمونه‌ای');
  await page.setViewportSize({ width: 420, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await page.screenshot({ path: testInfo.outputPath('narrow-fa-presentation.png'), fullPage: true });
  await page.getByTestId('presentation').click();
  await page.screenshot({ path: testInfo.outputPath('narrow-fa.png'), fullPage: true });
  await page.getByTestId('language').selectOption('en');
  await page.screenshot({ path: testInfo.outputPath('narrow-en.png'), fullPage: true });
});
