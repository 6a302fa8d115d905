// The characters lab's gradient-based family card (issue #6): training in a worker on synthetic
// character episodes, the loss and accuracy curves, and ADML's clean vs FGSM images. The conv net
// is slow on tfjs-cpu, so the test uses the smallest net (8 filters, one episode per step).
import type { Locator, Page } from '@playwright/test';
import { test, expect, appUrl, traceMainThreadTasks } from './helpers';

test.skip(({ backend }) => backend !== 'cpu', 'one backend is enough for the card; the engine has its own tests');
test.use({ trace: 'off' });

const SHOTS = process.env.FAMILY_SHOTS_DIR ?? '';
const num = async (l: Locator, name: string) => Number((await l.getAttribute(name)) ?? 'NaN');

async function openCard(page: Page): Promise<Locator> {
  await page.goto(appUrl('#/characters'));
  await expect(page.getByTestId('source-stats')).not.toHaveAttribute('data-images', '0');
  const card = page.getByTestId('family-card');
  await card.scrollIntoViewIfNeeded();
  await expect(card.getByTestId('fam-algorithm')).toHaveValue('adml');
  // Smallest net: a few steps in seconds even on tfjs-cpu.
  await card.getByTestId('fam-width').selectOption('8');
  const batch = card.getByTestId('fam-meta-batch');
  await batch.fill('1');
  await batch.press('Enter');
  return card;
}

test('ADML trains a few steps in a worker and shows clean, adversarial and perturbation images', async ({ page, browser }) => {
  // tfjs-cpu on a shared 2-core machine: a width-8 ADML step and the 4-episode evaluation take seconds each.
  test.setTimeout(300_000);
  const card = await openCard(page);
  await expect(card.getByTestId('fam-adversarial')).toHaveCount(0);
  await card.getByTestId('step').click();
  const view = card.getByTestId('fam-adversarial');
  await expect(view).toBeVisible({ timeout: 60_000 });
  await expect(card).toHaveAttribute('data-backend', 'cpu');
  await expect(card.getByTestId('step-counter')).toHaveAttribute('data-step', '1');
  // 5-way 1-shot, 5 queries per class: 5 rows of 1 + 5 images in each of the three panels.
  for (const id of ['fam-clean-images', 'fam-adv-images', 'fam-perturbation-images']) await expect(card.getByTestId(id)).toHaveAttribute('data-count', '30');

  // Play: the card's messages arrive without long main-thread tasks.
  const trace = await traceMainThreadTasks(browser, page, async () => {
    await card.getByTestId('play').click();
    await expect.poll(async () => num(card.getByTestId('step-counter'), 'data-step'), { timeout: 90_000 }).toBeGreaterThanOrEqual(5);
    await card.getByTestId('pause').click();
  });
  expect(trace.maxCpuMs, 'longest main-thread task (CPU ms) while the card trains').toBeLessThan(50);
  await expect(card.getByTestId('play')).toBeVisible();
  const loss = card.getByTestId('fam-loss-chart');
  await expect.poll(async () => num(loss, 'data-points')).toBeGreaterThanOrEqual(5);
  expect(Number.isFinite(await num(loss, 'data-last'))).toBe(true);
  const acc = card.getByTestId('fam-acc-chart');
  // Step 0, step 1 and step 5 (every fifth step at normal speed).
  await expect.poll(async () => num(acc, 'data-points')).toBeGreaterThanOrEqual(3);
  for (const a of ['data-clean', 'data-adversarial']) {
    const v = await num(acc, a);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(100);
  }
  await expect.poll(async () => num(view, 'data-step')).toBeGreaterThanOrEqual(5);
  if (SHOTS) await card.screenshot({ path: `${SHOTS}/family-card.png` });

  // ε = 0: the attacked images are the clean ones, so both accuracies agree.
  await card.getByTestId('fam-epsilon').fill('0');
  await expect(card.getByTestId('fam-epsilon-value')).toHaveText('0.00');
  await expect(view).toHaveAttribute('data-epsilon', '0.00');
  expect(await view.getAttribute('data-adversarial')).toBe(await view.getAttribute('data-clean'));
  // A large ε: the view follows.
  await card.getByTestId('fam-epsilon').fill('0.4');
  await expect(view).toHaveAttribute('data-epsilon', '0.40');

  // Another algorithm restarts training from step 0.
  await card.getByTestId('fam-algorithm').selectOption('reptile');
  await expect(card.getByTestId('step-counter')).toHaveAttribute('data-step', '0');
  await expect(card.getByTestId('fam-alpha')).toHaveValue('0.1');
  await expect(card.getByText('Outer loop (Reptile)')).toBeVisible();
  await expect(card.getByTestId('fam-adversarial')).toHaveCount(0);
});

test('the card at 420 px: nothing overflows the page', async ({ page }) => {
  await page.setViewportSize({ width: 420, height: 900 });
  const card = await openCard(page);
  await card.getByTestId('step').click();
  await expect(card.getByTestId('fam-adversarial')).toBeVisible({ timeout: 60_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const box = (await card.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(420);
  if (SHOTS) await card.screenshot({ path: `${SHOTS}/family-card-420.png` });
});

test('inequality TAML: the measure is chosen in the card, its formula is shown and training runs with it; the paper preset sets MAML’s values', async ({ page }) => {
  test.setTimeout(240_000);
  const card = await openCard(page);
  await expect(card.getByTestId('fam-measure')).toHaveCount(0);
  await card.getByTestId('fam-algorithm').selectOption('taml-ineq');
  const measure = card.getByTestId('fam-measure');
  await expect(measure).toHaveValue('theil');
  await expect(card.locator('.family-equations')).toContainText('Theil');
  await measure.selectOption('gini');
  await expect(card.locator('.family-equations')).toContainText('Gini');
  await expect(card.locator('.family-equations')).not.toContainText('Theil');
  // One step with two tasks (the inequality needs more than one task's loss).
  await card.getByTestId('fam-width').selectOption('8');
  const batch = card.getByTestId('fam-meta-batch');
  await batch.fill('2');
  await batch.press('Enter');
  await expect(measure).toHaveValue('gini');
  await card.getByTestId('step').click();
  await expect(card.getByTestId('step-counter')).toHaveAttribute('data-step', '1', { timeout: 90_000 });
  await expect.poll(async () => num(card.getByTestId('fam-loss-chart'), 'data-points'), { timeout: 30_000 }).toBe(1);
  expect(Number.isFinite(await num(card.getByTestId('fam-loss-chart'), 'data-last'))).toBe(true);

  // MAML's paper preset: Finn et al.'s 64 filters and 32 tasks per meta-batch, named in the note.
  await card.getByTestId('fam-algorithm').selectOption('maml');
  await expect(card.getByTestId('fam-measure')).toHaveCount(0);
  await card.getByTestId('fam-preset-paper').click();
  await expect(card.getByTestId('fam-width')).toHaveValue('64');
  await expect(card.getByTestId('fam-meta-batch')).toHaveValue('32');
  await expect(card.getByText(/Finn, Abbeel & Levine 2017/)).toBeVisible();
  await expect(card.getByTestId('fam-inner-steps')).toHaveValue('1');

  // CAML's preset (the authors' mini-ImageNet defaults): two context steps with rate 1, 16 tasks, 32 filters.
  await card.getByTestId('fam-algorithm').selectOption('caml');
  await expect(card.getByText('context learning rate')).toBeVisible();
  await card.getByTestId('fam-preset-paper').click();
  await expect(card.getByTestId('fam-inner-steps')).toHaveValue('2');
  await expect(card.getByTestId('fam-alpha')).toHaveValue('1');
  await expect(card.getByTestId('fam-meta-batch')).toHaveValue('16');
  await expect(card.getByTestId('fam-width')).toHaveValue('32');
  await expect(card.getByText(/adapts with 2 inner step/)).toBeVisible();
});

test('DAML shows the accuracy without its learned-loss steps beside the clean and FGSM ones; CAML trains and has no such line', async ({ page }) => {
  // Two width-8 steps of the second-order DAML / CAML objectives on tfjs-cpu, plus their evaluations.
  test.setTimeout(300_000);
  const card = await openCard(page);
  await card.getByTestId('fam-algorithm').selectOption('daml');
  await expect(card.locator('.family-equations')).toContainText('Inner loop (DAML)');
  await card.getByTestId('step').click();
  await expect(card.getByTestId('step-counter')).toHaveAttribute('data-step', '1', { timeout: 120_000 });
  const acc = card.getByTestId('fam-acc-chart');
  await expect.poll(async () => num(acc, 'data-labelled-only'), { timeout: 60_000 }).toBeGreaterThanOrEqual(0);
  expect(await num(acc, 'data-labelled-only')).toBeLessThanOrEqual(100);
  const view = card.getByTestId('fam-adversarial');
  await expect(view).toContainText('Without the learned-loss steps', { timeout: 60_000 });

  await card.getByTestId('fam-algorithm').selectOption('caml');
  await expect(card.getByTestId('step-counter')).toHaveAttribute('data-step', '0');
  await expect(card.locator('.family-equations')).toContainText('Inner loop (CAML)');
  await card.getByTestId('step').click();
  await expect(card.getByTestId('step-counter')).toHaveAttribute('data-step', '1', { timeout: 120_000 });
  await expect(view).toBeVisible({ timeout: 60_000 });
  await expect(view).not.toContainText('Without the learned-loss steps');
  expect(await acc.getAttribute('data-labelled-only')).toBeNull();
});
