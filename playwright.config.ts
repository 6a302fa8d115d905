import { defineConfig } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { launchOptions } from './e2e/browser';
import type { AppOptions } from './e2e/helpers';

// The e2e tests run against the production build (dist/, from `npm run build`, which `npm test`
// runs first), served by e2e/serve.mjs at / and under /meta-learning-playground/ (GitHub Pages).
// Browsers come from the system (Debian `chromium`); see e2e/browser.ts.
// Port: env E2E_PORT, else 4321 when free, else any free port (another checkout's server may hold
// 4321). The choice goes into the environment, which Playwright's worker processes inherit.
process.env.E2E_PORT ??= pickPort(4321);
const PORT = Number(process.env.E2E_PORT);
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

/** `preferred` if a server can listen there, else a free port the system picks (synchronously). */
function pickPort(preferred: number): string {
  const probe = `const s=require('net').createServer();s.once('error',()=>s.listen(0,'127.0.0.1'));s.on('listening',()=>{process.stdout.write(String(s.address().port));s.close();});s.listen(${preferred},'127.0.0.1');`;
  const out = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  if (out.status !== 0 || !/^\d+$/.test(out.stdout)) throw new Error(`could not find a free port: ${out.stderr}`);
  return out.stdout;
}
