// The characters lab's family card with the shipped trained nets (issue 16): the MAML meta-trained
// on the Omniglot subsets loads in one click, scores far above chance on the card's episodes, and
// classifies an episode drawn on the pad; Reset compares it with an untrained net of the same shape.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { test, expect, appUrl, drawStroke } from './helpers';

test.skip(({ backend }) => backend !== 'cpu', 'one backend is enough for the card; the engine has its own tests');
test.use({ trace: 'off' });

const num = async (l: Locator, name: string) => Number((await l.getAttribute(name)) ?? 'NaN');

/** Five characters anyone can tell apart: a bar, a post, a ring, a slash and a V. */
const SHAPES: [number, number][][] = [
  [
    [0.2, 0.5],
    [0.8, 0.5],
  ],
  [
    [0.5, 0.2],
    [0.5, 0.8],
  ],
  [
    [0.5, 0.2],
    [0.75, 0.3],
    [0.8, 0.55],
    [0.65, 0.78],
    [0.4, 0.8],
    [0.22, 0.6],
    [0.25, 0.35],
    [0.5, 0.2],
  ],
  [
    [0.2, 0.2],
    [0.8, 0.8],
  ],
  [
    [0.2, 0.2],
    [0.5, 0.8],
    [0.8, 0.2],
  ],
];
/** The same character drawn again, a little smaller and off centre (the query). */
const again = (shape: [number, number][]) => shape.map(([x, y]): [number, number] => [0.45 + 0.85 * (x - 0.5), 0.52 + 0.85 * (y - 0.5)]);

test('the trained MAML loads in one click, scores well above chance and classifies an episode drawn on the pad', async ({ page }) => {
  // tfjs-cpu on a shared machine: a 32-filter net's evaluation (4 episodes, clean and FGSM) takes seconds.
  test.setTimeout(300_000);
  await page.goto(appUrl('#/characters'));
  await expect(page.getByTestId('source-stats')).not.toHaveAttribute('data-images', '0');

  // A 5-way 1-shot episode of one's own: each class one shot and one query, drawn on the pad.
  for (const [c, shape] of SHAPES.entries()) {
    await page.getByTestId('drawing-class').selectOption('-1');
    await drawStroke(page, shape);
    await page.getByTestId('add-shot').click();
    await expect(page.getByTestId('my-class')).toHaveCount(c + 1);
    await drawStroke(page, again(shape));
    await page.getByTestId('add-query').click();
  }
  await expect(page.getByTestId('episode-status')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('episode-status')).toHaveAttribute('data-nway', '5');

  const card = page.getByTestId('family-card');
  await card.scrollIntoViewIfNeeded();
  // The button follows the algorithm: ADML ships no checkpoint, MAML does.
  await expect(card.getByTestId('fam-load-trained')).toHaveCount(0);
  await card.getByTestId('fam-algorithm').selectOption('maml');
  await card.getByTestId('fam-load-trained').click();

  const loaded = card.getByTestId('fam-loaded');
  await expect(loaded).toHaveAttribute('data-algorithm', 'maml', { timeout: 60_000 });
  await expect(loaded).toHaveAttribute('data-file', 'maml-omniglot.json');
  expect(await num(loaded, 'data-step')).toBeGreaterThan(1000);
  await expect(loaded).toContainText('Omniglot');
  await expect(card.getByTestId('fam-width')).toHaveValue('32');
  await expect(card.getByTestId('step-counter')).toHaveAttribute('data-step', String(await num(loaded, 'data-step')));
  await expect(card).toHaveAttribute('data-backend', 'cpu');

  // The accuracy on the card's fixed evaluation episodes, and the episode shown: far above 5-way chance (20%).
  const acc = card.getByTestId('fam-acc-chart');
  await expect.poll(async () => num(acc, 'data-points'), { timeout: 90_000 }).toBe(1);
  expect(await num(acc, 'data-clean')).toBeGreaterThanOrEqual(70);
  const view = card.getByTestId('fam-adversarial');
  await expect(view).toBeVisible({ timeout: 60_000 });
  expect(await num(view, 'data-clean')).toBeGreaterThanOrEqual(0.6);

  // The drawn episode: the trained net adapts to the five shots and labels the five queries.
  await card.getByTestId('fam-classify-drawn').click();
  const drawn = card.getByTestId('fam-drawn');
  await expect(drawn).toHaveAttribute('data-count', '5', { timeout: 60_000 });
  expect(await num(drawn, 'data-right')).toBeGreaterThanOrEqual(4);
  await expect(drawn).toContainText('query drawings right');

  // Reset: an untrained net of the same shape, from step 0; the loaded note goes.
  await card.getByTestId('reset').click();
  await expect(card.getByTestId('step-counter')).toHaveAttribute('data-step', '0');
  await expect(loaded).toHaveCount(0);
  await expect(card.getByTestId('fam-width')).toHaveValue('32');
  await expect.poll(async () => num(acc, 'data-points'), { timeout: 90_000 }).toBe(1);
  expect(await num(acc, 'data-clean')).toBeLessThan(70);
});

test('a checkpoint of another task is refused and says why', async ({ page }) => {
  await page.goto(appUrl('#/characters'));
  await expect(page.getByTestId('source-stats')).not.toHaveAttribute('data-images', '0');
  const card = page.getByTestId('family-card');
  const sine = readFileSync(path.resolve('public/examples/sine-maml-2000.json'));
  await card.getByTestId('load-checkpoint').setInputFiles({ name: 'sine-maml-2000.json', mimeType: 'application/json', buffer: sine });
  await expect(page.getByTestId('notice').filter({ hasText: 'sine-maml-2000.json' })).toContainText('sine', { timeout: 60_000 });
  await expect(card.getByTestId('fam-loaded')).toHaveCount(0);
});
