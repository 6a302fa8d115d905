// The meta-learner LSTM (issue #13) in the characters lab's family card: its name, equations and
// defaults come from the page's maps, and it trains a step in the card's worker like the others.
import { test, expect, appUrl } from './helpers';

test.skip(({ backend }) => backend !== 'cpu', 'one backend is enough for the card; the engine has its own tests');
test.use({ trace: 'off' });

test('the meta-learner LSTM is in the family card: equations, its defaults, one training step and the episode view', async ({ page }) => {
  // A width-8 step of 5 LSTM updates and the 4-episode evaluation on tfjs-cpu take seconds each.
  test.setTimeout(300_000);
  await page.goto(appUrl('#/characters'));
  await expect(page.getByTestId('source-stats')).not.toHaveAttribute('data-images', '0');
  const card = page.getByTestId('family-card');
  await card.scrollIntoViewIfNeeded();
  await card.getByTestId('fam-algorithm').selectOption('meta-lstm');
  await expect(card.getByTestId('fam-algorithm').locator('option:checked')).toHaveText('Meta-learner LSTM');
  await expect(card.getByTestId('fam-inner-steps')).toHaveValue('5');
  await expect(card.getByTestId('fam-alpha')).toHaveValue('0.1');
  await expect(card.getByTestId('fam-preset-paper')).toHaveCount(0);
  const equations = card.locator('.family-equations');
  await expect(equations).toContainText('Inner loop (meta-learner LSTM');
  await expect(equations).toContainText('gradient independence');
  await expect(equations.locator('.katex-display')).toHaveCount(3);
  await expect(equations.locator('.katex-error')).toHaveCount(0);

  await card.getByTestId('fam-width').selectOption('8');
  const batch = card.getByTestId('fam-meta-batch');
  await batch.fill('1');
  await batch.press('Enter');
  await card.getByTestId('step').click();
  await expect(card.getByTestId('step-counter')).toHaveAttribute('data-step', '1', { timeout: 120_000 });
  await expect(card.getByTestId('fam-adversarial')).toBeVisible({ timeout: 60_000 });
  await expect(card.getByTestId('fam-adversarial')).toContainText('after 5 adaptation step');
});
