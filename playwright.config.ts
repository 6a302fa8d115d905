import { defineConfig } from '@playwright/test';
import { launchOptions } from './e2e/browser';
import type { AppOptions } from './e2e/helpers';

// The e2e tests run against the production build (dist/, from `npm run build`, which `npm test`
// runs first), served by e2e/serve.mjs at / and under /meta-learning-playground/ (GitHub Pages).
// Browsers come from the system (Debian `chromium`); see e2e/browser.ts.
const PORT = Number(process.env.E2E_PORT ?? 4321);
const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig<AppOptions>({
  testDir: 'e2e',
  outputDir: 'test-results',
  // SwiftShader (a CPU) runs WebGPU and WebGL here: slow, so generous timeouts.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // Flaky tests are fixed, not retried.
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL: BASE_URL,
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'webgpu',
      use: { browserName: 'chromium', backend: 'webgpu', launchOptions: launchOptions({ webgpu: true }) },
    },
    {
      name: 'cpu',
      use: { browserName: 'chromium', backend: 'cpu', launchOptions: launchOptions({ webgpu: false }) },
    },
  ],
  webServer: {
    command: `node e2e/serve.mjs --port ${PORT}`,
    url: `${BASE_URL}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
