/// <reference lib="webworker" />
import type { GradCheckResult } from '../engine/core/ops/gradcheck';
import { runGradChecks } from '../engine/algorithms/gradChecks';
import { CONV_MAML_TIMING_DEFAULTS, timeConvMaml, type ConvMamlTimingRow } from '../engine/algorithms/convMamlTiming';
import { trySetBackend, availableBackends } from './backends';
import type { BrowserBackend } from './vocabulary';

/**
 * Runs the project's gradient checks (first derivatives and Hessian-vector products of every
 * second-order-safe op, and a full conv-net MAML meta-gradient, against float64 finite
 * differences) on a backend of this browser, so a user can see whether their GPU computes
 * correct meta-gradients. Results stream back one by one.
 */
export type DiagnosticsRequest = { type: 'run'; backend: BrowserBackend; only?: string[] } | { type: 'time'; backend: BrowserBackend; width: number; repeats: number };
export type DiagnosticsEvent =
  | { type: 'started'; backend: BrowserBackend; available: BrowserBackend[] }
  | { type: 'result'; result: GradCheckResult }
  | { type: 'done'; ok: boolean; ms: number }
  | { type: 'unavailable'; backend: BrowserBackend }
  | { type: 'timing'; backend: BrowserBackend; row: ConvMamlTimingRow };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (e: DiagnosticsEvent) => scope.postMessage(e);

scope.onmessage = async (e: MessageEvent<DiagnosticsRequest>) => {
  const req = e.data;
  const { backend } = req;
  if (!(await trySetBackend(backend))) {
    post({ type: 'unavailable', backend });
    return;
  }
  post({ type: 'started', backend, available: availableBackends() });
  if (req.type === 'time') {
    // The conv net's MAML meta-gradient, second against first order: the cost of the true meta-gradient here.
    const row = await timeConvMaml({ ...CONV_MAML_TIMING_DEFAULTS, width: req.width, repeats: req.repeats });
    post({ type: 'timing', backend, row });
    return;
  }
  const { only } = req;
  const t0 = performance.now();
  const report = await runGradChecks({ only, onResult: (result) => post({ type: 'result', result }) });
  post({ type: 'done', ok: report.ok, ms: performance.now() - t0 });
};
