#!/usr/bin/env node
// `npm run bench`: throughput of the sine MAML workload (meta-batch 25, K=10, 1 inner step,
// second-order), the default of the sine lab.
//   Node:    the engine's SineTrainer on the tfjs cpu and wasm backends (outer steps/s).
//   Browser: the production build in headless system Chromium (WebGPU through SwiftShader), for each
//            of webgpu, webgl, cpu: open ?backend=<b>#/sine, press play, count outer steps from the
//            step counter over a window, and record the longest main-thread task (a 'longtask' observer).
// Prints a table per part and, last, one JSON line with every number.
//
//   node bin/bench.mjs [--node-only | --browser-only] [--steps N] [--seconds S]
//                      [--node-backends cpu,wasm] [--browser-backends webgpu,webgl,cpu] [--speed fast]
// The browser part serves dist/ (env E2E_DIST overrides), building it first when it is missing.
import { register } from 'tsx/esm/api';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

register();

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: node bin/bench.mjs [--node-only | --browser-only] [--steps N] [--seconds S]
       [--node-backends cpu,wasm] [--browser-backends webgpu,webgl,cpu] [--speed slow|normal|fast]
       [--first-step-timeout S]
  --steps N      outer steps timed per Node backend (default 200, after 5 warm-up steps)
  --seconds S    seconds of training measured per browser backend (default 20)
  --first-step-timeout S   how long the first outer step, and then the next three, may each take in the
                 browser (default 300: WebGPU on SwiftShader compiles its shaders on the CPU)`;

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        'node-only': { type: 'boolean', default: false },
        'browser-only': { type: 'boolean', default: false },
        steps: { type: 'string', default: '200' },
        seconds: { type: 'string', default: '20' },
        'node-backends': { type: 'string', default: 'cpu,wasm' },
        'browser-backends': { type: 'string', default: 'webgpu,webgl,cpu' },
        speed: { type: 'string', default: 'fast' },
        'first-step-timeout': { type: 'string', default: '300' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const steps = Number(parsed.steps);
  const seconds = Number(parsed.seconds);
  const list = (s, allowed) => {
    const items = s.split(',').filter(Boolean);
    const bad = items.find((b) => !allowed.includes(b));
    if (bad) fail(`unknown backend "${bad}" (allowed: ${allowed.join(', ')})`);
    return items;
  };
  if (parsed['node-only'] && parsed['browser-only']) fail('--node-only and --browser-only exclude each other');
  if (!Number.isInteger(steps) || steps < 1) fail(`--steps must be a positive integer, got "${parsed.steps}"`);
  const firstStepTimeout = Number(parsed['first-step-timeout']);
  if (!(firstStepTimeout > 0)) fail(`--first-step-timeout must be positive, got "${parsed['first-step-timeout']}"`);
  if (!(seconds > 0)) fail(`--seconds must be positive, got "${parsed.seconds}"`);
  if (!['slow', 'normal', 'fast'].includes(parsed.speed)) fail(`--speed must be slow, normal or fast`);
  return {
    node: !parsed['browser-only'],
    browser: !parsed['node-only'],
    steps,
    seconds,
    nodeBackends: list(parsed['node-backends'], ['cpu', 'wasm']),
    browserBackends: list(parsed['browser-backends'], ['webgpu', 'webgl', 'cpu']),
    speed: parsed.speed,
    firstStepTimeout,
  };
}

function fail(message) {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

const round = (x, d = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

function table(headers, rows) {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Node: the engine directly.

async function benchNode(opts) {
  const tf = await import('@tensorflow/tfjs');
  const { SineTrainer, DEFAULT_SINE_CONFIG } = await import('../src/engine/algorithms/sineRegression.ts');
  const { selectNodeBackend } = await import('../src/cli/nodeBackend.ts');
  const config = { ...DEFAULT_SINE_CONFIG, algorithm: 'maml', metaBatch: 25, k: 10, innerSteps: 1, firstOrder: false, seed: 0 };
  const warmup = 5;
  const results = [];
  for (const backend of opts.nodeBackends) {
    await selectNodeBackend(backend);
    const trainer = new SineTrainer(config);
    for (let i = 0; i < warmup; i++) trainer.step().dispose();
    const tensorsBefore = tf.memory().numTensors;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let loss = NaN;
    for (let i = 0; i < opts.steps; i++) {
      const l = trainer.step();
      if (i === opts.steps - 1) loss = l.dataSync()[0];
      l.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;
    const c1 = process.cpuUsage(c0);
    const cpuSeconds = (c1.user + c1.system) / 1e6;
    const leaked = tf.memory().numTensors - tensorsBefore;
    trainer.dispose();
    const r = {
      backend: tf.getBackend(),
      steps: opts.steps,
      seconds: round(seconds, 3),
      steps_per_s: round(opts.steps / seconds, 1),
      ms_per_step: round((seconds * 1000) / opts.steps, 2),
      cpu_seconds: round(cpuSeconds, 3),
      steps_per_cpu_s: round(opts.steps / cpuSeconds, 1),
      final_meta_loss: round(loss, 4),
      leaked_tensors: leaked,
    };
    results.push(r);
    console.error(`node ${backend}: ${r.steps_per_s} steps/s`);
  }
  console.log(`\nNode ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, sine MAML (meta-batch 25, K=10, 1 inner step, second order), ${opts.steps} steps after ${warmup} warm-up`);
  console.log(
    table(
      ['backend', 'steps', 'seconds', 'steps/s', 'ms/step', 'CPU s', 'steps/CPU s', 'meta-loss', 'leaked tensors'],
      results.map((r) => [r.backend, r.steps, r.seconds, r.steps_per_s, r.ms_per_step, r.cpu_seconds, r.steps_per_cpu_s, r.final_meta_loss, r.leaked_tensors]),
    ),
  );
  return results;
}

// ---------------------------------------------------------------------------------------------
// Browser: the production build, driven through the UI's data-testid contract.

async function benchBrowser(opts) {
  const dist = process.env.E2E_DIST ? path.resolve(process.env.E2E_DIST) : path.join(ROOT, 'dist');
  if (!existsSync(path.join(dist, 'index.html'))) {
    console.error('dist/ is missing: running `npm run build` first');
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  const { startServer } = await import('../e2e/serve.mjs');
  const { chromium } = await import('@playwright/test');
  const { launchOptions, buildAppUrl, installLongTaskObserver, longTaskStats, resetLongTaskStats } = await import('../e2e/browser.ts');

  // Serve a snapshot, so that a rebuild of dist/ during the run (another terminal) cannot mix builds.
  const snapshot = mkdtempSync(path.join(tmpdir(), 'metaplay-bench-'));
  const launch = launchOptions({ webgpu: true });
  const results = [];
  let server, browser, version;
  try {
    cpSync(dist, snapshot, { recursive: true });
    server = await startServer({ root: snapshot, port: 0 });
    browser = await chromium.launch(launch);
    version = browser.version();
    for (const backend of opts.browserBackends) {
      console.error(`browser ${backend}: loading …`);
      results.push(await benchOneBackend(browser, backend, opts, { server, buildAppUrl, installLongTaskObserver, longTaskStats, resetLongTaskStats }));
      const r = results.at(-1);
      console.error(`browser ${backend}: ${r.error ? `error: ${r.error}` : `${r.steps_per_s} steps/s on ${r.backend_in_use}`}`);
    }
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(snapshot, { recursive: true, force: true });
  }
  console.log(
    `\nChromium ${version} (headless, ${path.basename(launch.executablePath ?? 'playwright chromium')}, WebGPU/WebGL on SwiftShader), sine lab at speed "${opts.speed}", ${opts.seconds} s measured after warm-up`,
  );
  console.log(
    table(
      ['asked', 'in use', 'ready s', 'first step s', '4th step s', 'steps', 'seconds', 'steps/s', 'longest task ms (training)', 'longest task ms (load+train)', 'meta-loss', 'console errors', 'error'],
      results.map((r) => [
        r.backend,
        r.backend_in_use,
        r.ready_s,
        r.first_step_s,
        r.steady_s,
        r.steps,
        r.seconds,
        r.steps_per_s,
        r.longest_task_ms_training,
        r.longest_task_ms_all,
        r.meta_loss,
        r.console_errors.length,
        r.error,
      ]),
    ),
  );
  for (const r of results) for (const e of r.console_errors) console.log(`  [${r.backend}] ${e}`);
  return { chromium: version, results };
}

async function benchOneBackend(browser, backend, opts, lib) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleErrors = [];
  context.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  context.on('weberror', (e) => consoleErrors.push(`uncaught: ${e.error().message}`));
  const result = {
    backend,
    backend_in_use: null,
    steps: null,
    seconds: null,
    steps_per_s: null,
    longest_task_ms_training: null,
    longest_task_ms_all: null,
    console_errors: consoleErrors,
  };
  const tid = (id) => page.locator(`[data-testid="${id}"]`);
  const readStep = async () => {
    const v = Number(await tid('step-counter').getAttribute('data-step'));
    return { step: v, t: performance.now() };
  };
  try {
    await lib.installLongTaskObserver(page);
    const t0 = performance.now();
    await page.goto(lib.buildAppUrl('#/sine', { backend, origin: lib.server.url }));
    const badge = tid('backend-badge');
    await page.locator('[data-testid="backend-badge"][data-backend]').waitFor({ state: 'attached', timeout: 120_000 });
    result.backend_in_use = await badge.getAttribute('data-backend');
    result.ready_s = round((performance.now() - t0) / 1000, 2);
    if ((await tid('speed').count()) > 0) await tid('speed').selectOption(opts.speed);
    const tPlay = performance.now();
    await tid('play').click();
    // The first step compiles every kernel (WGSL on SwiftShader: minutes on a slow machine); it and
    // the next few seconds of warm-up are not representative, so measuring starts after them.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-counter"]')?.getAttribute('data-step')) > 0, null, {
      timeout: opts.firstStepTimeout * 1000,
      polling: 100,
    });
    result.first_step_s = round((performance.now() - tPlay) / 1000, 1);
    // The views' kernels (evaluation, adaptation curves) compile after the first step: wait until
    // training has really moved on before the warm-up proper.
    const first = (await readStep()).step;
    await page.waitForFunction(
      (target) => Number(document.querySelector('[data-testid="step-counter"]')?.getAttribute('data-step')) >= target,
      first + 3,
      { timeout: opts.firstStepTimeout * 1000, polling: 100 },
    );
    result.steady_s = round((performance.now() - tPlay) / 1000, 1);
    const warm = Math.min(5, Math.max(1, opts.seconds / 4));
    await page.waitForTimeout(warm * 1000);
    const loading = await lib.longTaskStats(page);
    result.longest_task_ms_all = round(loading.max, 0);
    await lib.resetLongTaskStats(page);
    const a = await readStep();
    await page.waitForTimeout(opts.seconds * 1000);
    const b = await readStep();
    const training = await lib.longTaskStats(page);
    result.steps = b.step - a.step;
    result.seconds = round((b.t - a.t) / 1000, 2);
    result.steps_per_s = round(result.steps / ((b.t - a.t) / 1000), 2);
    result.longest_task_ms_training = round(training.max, 0);
    result.longest_task_ms_all = round(Math.max(loading.max, training.max), 0);
    result.long_tasks_training = training.count;
    const v = await tid('meta-loss').getAttribute('data-value');
    result.meta_loss = v === null ? null : round(Number(v), 4);
    if ((await tid('pause').count()) > 0 && (await tid('pause').isVisible())) await tid('pause').click();
  } catch (e) {
    result.error = String(e.message ?? e).split('\n')[0];
  } finally {
    await context.close();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

const opts = options();
const out = { bench: 'sine-maml', workload: { meta_batch: 25, k: 10, inner_steps: 1, second_order: true } };
let failed = false;
if (opts.node) out.node = await benchNode(opts);
if (opts.browser) {
  try {
    out.browser = await benchBrowser(opts);
    failed = out.browser.results.some((r) => r.error);
  } catch (e) {
    console.error(`browser bench failed: ${e.message}`);
    out.browser = { error: e.message };
    failed = true;
  }
}
console.log(JSON.stringify(out));
process.exitCode = failed ? 1 : 0;
