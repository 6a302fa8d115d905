// The Diagnostics page runs the project's gradient checks (first and second order, against float64
// finite differences) on the browser's own backends: here CPU, WebGL and WebGPU (SwiftShader).
import { test, expect, appUrl, expectGradientChecksPass } from './helpers';

test('every second-order-safe op and the conv MAML meta-gradient check out on this backend', async ({ page, backend }) => {
  test.setTimeout(600_000);
  await page.goto(appUrl('#/diagnostics'));
  await expect(page.getByTestId('diagnostics-backend')).toHaveValue(backend);
  const summary = await expectGradientChecksPass(page, 580_000);
  await expect(summary).toHaveAttribute('data-backend', backend);
  // Both orders, and the full meta-gradient, were checked.
  await expect(page.locator('[data-testid=gradcheck-row][data-name=maml-conv4]')).toHaveCount(1);
  expect(await page.getByTestId('gradcheck-row').count()).toBeGreaterThan(20);
});

test('the checks also pass on WebGL', async ({ page, backend }) => {
  test.skip(backend !== 'cpu', 'WebGL runs once (SwiftShader GL), from the cpu project');
  test.setTimeout(600_000);
  await page.goto(appUrl('#/diagnostics', { backend: 'webgl' }));
  await expect(page.getByTestId('diagnostics-backend')).toHaveValue('webgl');
  await expectGradientChecksPass(page, 580_000);
});

test('times the conv-net MAML meta-gradient, second order against first order', async ({ page, backend }) => {
  test.skip(backend !== 'cpu', 'timed once, on the CPU backend (SwiftShader timings say nothing about GPUs)');
  test.setTimeout(300_000);
  await page.goto(appUrl('#/diagnostics'));
  await page.getByTestId('timing-width').selectOption('16');
  await page.getByTestId('timing-run').click();
  const result = page.getByTestId('timing-result');
  await expect(result).toBeVisible({ timeout: 280_000 });
  await expect(result).toHaveAttribute('data-backend', 'cpu');
  const first = Number(await result.getAttribute('data-first-ms'));
  const second = Number(await result.getAttribute('data-second-ms'));
  expect(first).toBeGreaterThan(0);
  expect(second).toBeGreaterThan(0);
});
