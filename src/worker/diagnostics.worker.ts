/// <reference lib="webworker" />
import { runGradChecks, type GradCheckResult } from '../engine/core/ops/gradcheck';
import { trySetBackend, availableBackends } from './backends';
import type { BrowserBackend } from './protocol';

/**
 * Runs the project's gradient checks (first derivatives and Hessian-vector products of every
 * second-order-safe op, and a full conv-net MAML meta-gradient, against float64 finite
 * differences) on a backend of this browser, so a user can see whether their GPU computes
 * correct meta-gradients. Results stream back one by one.
 */
export type DiagnosticsRequest = { type: 'run'; backend: BrowserBackend; only?: string[] };
export type DiagnosticsEvent =
  | { type: 'started'; backend: BrowserBackend; available: BrowserBackend[] }
  | { type: 'result'; result: GradCheckResult }
  | { type: 'done'; ok: boolean; ms: number }
  | { type: 'unavailable'; backend: BrowserBackend };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (e: DiagnosticsEvent) => scope.postMessage(e);

scope.onmessage = async (e: MessageEvent<DiagnosticsRequest>) => {
  const { backend, only } = e.data;
  if (!(await trySetBackend(backend))) {
    post({ type: 'unavailable', backend });
    return;
  }
  post({ type: 'started', backend, available: availableBackends() });
  const t0 = performance.now();
  const report = await runGradChecks({ only, onResult: (result) => post({ type: 'result', result }) });
  post({ type: 'done', ok: report.ok, ms: performance.now() - t0 });
};
