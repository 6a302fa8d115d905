import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { wasmSupported } from './wasmBackend';
import type { ProbeWorkload } from './host';
import { BROWSER_BACKENDS, type BackendChoice, type BackendMessage, type BrowserBackend, type NoticeMessage, type ProbeResult } from './vocabulary';

/** Backends this browser can start, in preference order (WebGPU, WebGL, WASM, then CPU). */
export function availableBackends(): BrowserBackend[] {
  const scope = globalThis as unknown as { navigator?: { gpu?: unknown }; OffscreenCanvas?: unknown };
  return BROWSER_BACKENDS.filter((b) => {
    if (b === 'webgpu') return Boolean(scope.navigator?.gpu);
    if (b === 'webgl') return typeof scope.OffscreenCanvas !== 'undefined';
    if (b === 'wasm') return wasmSupported();
    return true;
  });
}

/** Switches tfjs to a backend; false (not an exception) when it cannot start here. */
export async function trySetBackend(name: BrowserBackend): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** The backends to try after `current` fails, in order. */
export function fallbackChain(current: BrowserBackend): BrowserBackend[] {
  const order = availableBackends();
  return order.slice(order.indexOf(current) + 1);
}

/**
 * Times the lab's own workload on each backend and returns the results, fastest first.
 * Tiny networks are often faster on the CPU than on a GPU because every op pays a dispatch
 * cost, so measuring beats guessing. `workload` runs one training step and resolves when done.
 */
export async function probeBackends(makeWorkload: () => Promise<ProbeWorkload>, timedSteps = 3): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const backend of availableBackends()) {
    const software = backend === 'webgpu' ? await softwareWebGpuAdapter() : null;
    if (software) {
      // A CPU emulating a GPU (SwiftShader) is always slower than tfjs's own CPU kernels.
      results.push({ backend, msPerStep: null, error: `software adapter (${software})` });
      continue;
    }
    if (!(await trySetBackend(backend))) {
      results.push({ backend, msPerStep: null, error: 'unavailable' });
      continue;
    }
    let work: ProbeWorkload | null = null;
    try {
      work = await makeWorkload();
      // Warm-up: shader compilation and kernel caches. A backend that needs more than a few
      // seconds for it is not the one to pick, so stop waiting for it.
      await withTimeout(work.step(), PROBE_WARMUP_MS, `no result within ${PROBE_WARMUP_MS / 1000} s`);
      const t0 = performance.now();
      for (let i = 0; i < timedSteps; i++) await work.step();
      results.push({ backend, msPerStep: (performance.now() - t0) / timedSteps });
    } catch (e) {
      results.push({ backend, msPerStep: null, error: (e as Error).message });
    } finally {
      work?.dispose();
    }
  }
  return results.sort((a, b) => (a.msPerStep ?? Infinity) - (b.msPerStep ?? Infinity));
}

const PROBE_WARMUP_MS = 8000;

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const id = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => (clearTimeout(id), resolve(v)),
      (e) => (clearTimeout(id), reject(e)),
    );
  });
}

/** The adapter's name if the browser's WebGPU adapter is a software fallback (e.g. SwiftShader), else null. */
export async function softwareWebGpuAdapter(): Promise<string | null> {
  try {
    const gpu = (globalThis as unknown as { navigator: { gpu?: { requestAdapter: () => Promise<unknown> } } }).navigator.gpu;
    const adapter = (await gpu?.requestAdapter()) as { isFallbackAdapter?: boolean; info?: { architecture?: string; vendor?: string; description?: string; isFallbackAdapter?: boolean } } | null;
    if (!adapter) return null;
    const info = adapter.info ?? {};
    const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`.toLowerCase();
    if (adapter.isFallbackAdapter || info.isFallbackAdapter || text.includes('swiftshader')) return text.trim() || 'fallback adapter';
    return null;
  } catch {
    return null;
  }
}

/** Calls `onLost` if the WebGPU device behind the current backend is lost (driver reset, GPU removed). */
export function watchDeviceLoss(onLost: (message: string) => void): void {
  if (tf.getBackend() !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  void device?.lost?.then((info) => {
    if (info.reason !== 'destroyed') onLost(info.message ?? 'GPU device lost');
  });
}

type BackendPost = (msg: BackendMessage | NoticeMessage) => void;

/**
 * Starts the backend the user named, else (on auto) the one a probe in this browser picked
 * before, and reports it; null when the lab still has to probe.
 */
export async function startKnownBackend(choice: BackendChoice, probeCache: BrowserBackend | null, post: BackendPost): Promise<BrowserBackend | null> {
  if (choice !== 'auto') {
    if (await trySetBackend(choice)) {
      post({ type: 'backend', backend: choice, requested: choice });
      return choice;
    }
    post({ type: 'notice', level: 'warning', key: 'noticeBackendUnavailable', params: { backend: choice } });
  }
  if (choice === 'auto' && probeCache && availableBackends().includes(probeCache) && (await trySetBackend(probeCache))) {
    post({ type: 'backend', backend: probeCache, requested: 'auto' });
    return probeCache;
  }
  return null;
}

/**
 * A lab worker's backend: the one the user named or a probe in this browser picked before
 * (startKnownBackend), else the fastest on a probe of the lab's own workload, reported with the
 * probe's timings. Without a workload (a step too costly to time on every backend) it is the first
 * backend that starts, a software WebGPU adapter skipped as in the probe.
 */
export async function chooseBackend(choice: BackendChoice, probeCache: BrowserBackend | null, post: BackendPost, makeWorkload: (() => Promise<ProbeWorkload>) | null): Promise<BrowserBackend> {
  const known = await startKnownBackend(choice, probeCache, post);
  if (known) return known;
  if (!makeWorkload) {
    for (const b of availableBackends()) {
      if (b === 'webgpu' && (await softwareWebGpuAdapter())) continue;
      if (await trySetBackend(b)) {
        post({ type: 'backend', backend: b, requested: 'auto' });
        return b;
      }
    }
    return 'cpu';
  }
  const probe = await probeBackends(makeWorkload);
  const best = probe.find((p) => p.msPerStep !== null)?.backend ?? 'cpu';
  await trySetBackend(best);
  post({ type: 'backend', backend: best, requested: 'auto', probe });
  return best;
}
