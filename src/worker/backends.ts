import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { BROWSER_BACKENDS, type BrowserBackend, type ProbeResult } from './protocol';

/** Backends this browser can start, in preference order (WebGPU, then WebGL, then CPU). */
export function availableBackends(): BrowserBackend[] {
  const scope = globalThis as unknown as { navigator?: { gpu?: unknown }; OffscreenCanvas?: unknown };
  return BROWSER_BACKENDS.filter((b) => {
    if (b === 'webgpu') return Boolean(scope.navigator?.gpu);
    if (b === 'webgl') return typeof scope.OffscreenCanvas !== 'undefined';
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
export async function probeBackends(
  makeWorkload: () => { step: () => Promise<void>; dispose: () => void },
  timedSteps = 3,
): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const backend of availableBackends()) {
    if (!(await trySetBackend(backend))) {
      results.push({ backend, msPerStep: null, error: 'unavailable' });
      continue;
    }
    let work: ReturnType<typeof makeWorkload> | null = null;
    try {
      work = makeWorkload();
      await work.step(); // warm-up: shader compilation and kernel caches
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

/** Calls `onLost` if the WebGPU device behind the current backend is lost (driver reset, GPU removed). */
export function watchDeviceLoss(onLost: (message: string) => void): void {
  if (tf.getBackend() !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  void device?.lost?.then((info) => {
    if (info.reason !== 'destroyed') onLost(info.message ?? 'GPU device lost');
  });
}
