// Smoke tests of the test machinery itself: the browser has WebGPU where the webgpu project needs it,
// and the production build loads cleanly at the site root and under a GitHub Pages sub-path.
import { test, expect, appUrl, SUB_PATH } from './helpers';

test.describe('WebGPU in headless Chromium', () => {
  test.skip(({ backend }) => backend !== 'webgpu', 'only the webgpu project launches Chromium with WebGPU');

  test('navigator.gpu gives an adapter in the page and inside a Worker', async ({ page }) => {
    // A page of the app's own origin: WebGPU needs a secure context (localhost is one).
    await page.goto(appUrl('', { backend: null }));

    const inPage = await page.evaluate(async () => {
      if (!('gpu' in navigator)) return { ok: false, why: 'no navigator.gpu' };
      const adapter = await navigator.gpu.requestAdapter();
      if (!adapter) return { ok: false, why: 'requestAdapter() returned null' };
      const device = await adapter.requestDevice();
      const ok = device.limits.maxStorageBufferBindingSize > 0;
      device.destroy();
      const info = (adapter as { info?: { vendor?: string; architecture?: string } }).info;
      return { ok, why: `adapter ${info?.vendor}/${info?.architecture}` };
    });
    expect(inPage, inPage.why).toMatchObject({ ok: true });

    const inWorker = await page.evaluate(async () => {
      const src = `self.onmessage = async () => {
        try {
          const adapter = self.navigator.gpu ? await self.navigator.gpu.requestAdapter() : undefined;
          postMessage(adapter ? 'adapter' : 'no adapter: ' + String(adapter));
        } catch (e) { postMessage('error: ' + e); }
      };`;
      const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
      const worker = new Worker(url);
      try {
        return await new Promise<string>((resolve) => {
          worker.onmessage = (e) => resolve(String(e.data));
          worker.onerror = (e) => resolve(`worker error: ${e.message}`);
          worker.postMessage(null);
        });
      } finally {
        worker.terminate();
        URL.revokeObjectURL(url);
      }
    });
    expect(inWorker).toBe('adapter');
  });
});

for (const subPath of [false, true]) {
  test(`index.html loads with no console errors at ${subPath ? SUB_PATH : '/'}`, async ({ page, baseURL }) => {
    const failed: string[] = [];
    const outside: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    page.on('request', (r) => {
      const u = new URL(r.url());
      // Under the sub-path, every request of the app must stay under it (relative asset URLs).
      if (subPath && u.origin === new URL(baseURL!).origin && !u.pathname.startsWith(SUB_PATH)) outside.push(u.pathname);
    });

    const response = await page.goto(appUrl('', { subPath }));
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    await page.waitForLoadState('networkidle');

    await expect(page).toHaveTitle(/\S/);
    // The module scripts of the build were fetched and ran (no 404, no MIME-type refusal).
    const scripts = await page.locator('script[type="module"][src]').count();
    expect(scripts).toBeGreaterThan(0);
    expect(failed, 'failed requests').toEqual([]);
    expect(outside, `requests outside ${SUB_PATH}`).toEqual([]);
  });
}
