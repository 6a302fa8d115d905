// Browser settings shared by playwright.config.ts, the e2e helpers and bin/bench.mjs.
// Plain TypeScript with no Playwright runtime import, so a Node script can load it through tsx.
import { existsSync } from 'node:fs';
import type { LaunchOptions, Page } from '@playwright/test';

/** The browser's tfjs backends, in the app's fallback order (a project runs one; a spec may name another in its links). */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The sub-path e2e/serve.mjs also serves dist/ under, as GitHub Pages serves a project site. */
export const SUB_PATH = '/meta-learning-playground/';

/**
 * A system Chromium (`npx playwright install` cannot download browsers here): env
 * PLAYWRIGHT_CHROMIUM_PATH, else the usual Debian/Ubuntu/Chrome paths, else undefined, which makes
 * Playwright use its own downloaded browser (if any).
 */
export function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`PLAYWRIGHT_CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'].find((p) =>
    existsSync(p),
  );
}

/** Flags for every run: no sandbox (CI runs as root) and no network chatter (the network is closed). */
export const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/**
 * WebGPU on a machine with no GPU: Chromium's Dawn on SwiftShader (a CPU Vulkan). Verified in headless
 * Chromium 156 on Debian 12: navigator.gpu.requestAdapter() returns the SwiftShader adapter
 * (vendor "google", architecture "swiftshader", isFallbackAdapter true) in the page and in a Worker.
 * WebGL 2 also runs on SwiftShader (through ANGLE/Vulkan) with these flags.
 */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];

export function launchOptions(opts: { webgpu?: boolean; headless?: boolean } = {}): LaunchOptions {
  const executablePath = chromiumExecutable();
  return {
    ...(executablePath ? { executablePath } : {}),
    headless: opts.headless ?? true,
    args: [...COMMON_ARGS, ...(opts.webgpu === false ? [] : WEBGPU_ARGS)],
  };
}

/**
 * The app's URL for a hash route: `/?backend=cpu#/sine`, or under SUB_PATH with `subPath: true`.
 * Relative to the server's root (Playwright resolves it against `baseURL`); pass `origin` for an
 * absolute URL.
 */
export function buildAppUrl(hashRoute: string, opts: { backend?: Backend | null; subPath?: boolean; origin?: string } = {}): string {
  const route = hashRoute.replace(/^#/, '');
  const hash = route === '' ? '' : `#${route.startsWith('/') ? '' : '/'}${route}`;
  const search = opts.backend ? `?backend=${opts.backend}` : '';
  const path = `${opts.subPath ? SUB_PATH : '/'}${search}${hash}`;
  return opts.origin ? new URL(path, opts.origin).href : path;
}

declare global {
  interface Window {
    __longTasks?: { max: number; count: number; total: number };
  }
}

/**
 * Installs (before any page script runs, on every navigation) a PerformanceObserver for 'longtask'
 * entries: main-thread tasks of 50 ms or more. Call before page.goto.
 */
export async function installLongTaskObserver(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const stats = { max: 0, count: 0, total: 0 };
    window.__longTasks = stats;
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          stats.max = Math.max(stats.max, e.duration);
          stats.count++;
          stats.total += e.duration;
        }
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // 'longtask' unsupported: the stats stay at zero.
    }
  });
}

/** Long-task statistics of the current document, in ms (max 0 when no task reached 50 ms). */
export async function longTaskStats(page: Page): Promise<{ max: number; count: number; total: number }> {
  const stats = await page.evaluate(() => window.__longTasks ?? null);
  if (!stats) throw new Error('no long-task observer in this page: call installLongTaskObserver(page) before page.goto');
  return stats;
}

/** Zeroes the long-task statistics (to measure one phase, e.g. only while training runs). */
export async function resetLongTaskStats(page: Page): Promise<void> {
  await page.evaluate(() => {
    const s = window.__longTasks;
    if (!s) throw new Error('no long-task observer in this page');
    s.max = 0;
    s.count = 0;
    s.total = 0;
  });
}

/** The longest main-thread task so far (ms; 0 when none reached 50 ms). Needs installLongTaskObserver. */
export async function longestMainThreadTask(page: Page): Promise<number> {
  return (await longTaskStats(page)).max;
}

/**
 * Main-thread tasks of the page's renderer while `during` runs, from a Chromium trace: the wall
 * duration and the thread (CPU) time of every task. A 'longtask' entry is wall time, which on a
 * busy 2-core machine includes the time the OS gave the core to the training worker or another
 * process; the thread time is the work the page itself did in that task, so it is what the
 * "no main-thread task over 50 ms" budget is checked against.
 */
export async function traceMainThreadTasks(
  browser: import('@playwright/test').Browser,
  page: Page,
  during: () => Promise<void>,
): Promise<{ count: number; maxWallMs: number; maxCpuMs: number; over50WallCount: number }> {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  try {
    await during();
  } finally {
    const raw = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
    const events = Array.isArray(raw) ? raw : (raw.traceEvents ?? []);
    const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const tasks = events.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && mains.has(`${e.pid}:${e.tid}`));
    lastTrace = {
      count: tasks.length,
      maxWallMs: Math.max(0, ...tasks.map((t) => (t.dur ?? 0) / 1000)),
      maxCpuMs: Math.max(0, ...tasks.map((t) => (t.tdur ?? t.dur ?? 0) / 1000)),
      over50WallCount: tasks.filter((t) => (t.dur ?? 0) > 50_000).length,
    };
  }
  return lastTrace;
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

let lastTrace = { count: 0, maxWallMs: 0, maxCpuMs: 0, over50WallCount: 0 };
