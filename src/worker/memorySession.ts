import * as tf from '@tensorflow/tfjs';
import type { CopyConfig } from '../engine/algorithms/copyTask';
import type { MannConfig } from '../engine/algorithms/mannOmniglot';
import { makeCheckpoint, checkpointParams } from '../engine/core/checkpoint';
import { parseCheckpoint } from '../engine/methods/checkpoint';
import type { ParamValues } from '../engine/core/params';
import { buildJob, jobFromCheckpoint, type Job, type JobContext } from './memoryJobs';
import type { FromMemoryWorker, MemoryJob, MemoryViewCommand } from './memoryProtocol';
import { readParamsAsync } from './readState';
import type { Chunk, Post, RoundInfo, TrainingSession } from './session';

/**
 * The memory lab's session: one job (copy task or MANN) trained in chunks; the trace on screen and
 * the evaluation are refreshed only as often as they can be afforded.
 */
const TRACE_REFRESH_MS = 300;
const EVAL_REFRESH_MS = 5000;

/** The job (a loaded checkpoint may change it), its full config and parameters. */
export interface MemoryState {
  description: MemoryJob;
  config: CopyConfig | MannConfig;
  params: ParamValues;
  step: number;
}

interface MemoryChunk extends Chunk {
  /** The sequence length of each step (copy task; zeros for MANN). */
  lengths: Int32Array;
}

export type MemorySession = TrainingSession<MemoryJob, MemoryState, FromMemoryWorker, MemoryViewCommand, MemoryChunk>;

export async function createMemorySession(settings: MemoryJob, from: MemoryState | undefined, post: Post<FromMemoryWorker>): Promise<MemorySession> {
  const ctx: JobContext = { view: { pattern: null, episodeDraw: 0 }, post };
  let job: Job = from ? buildJob(from.description, ctx, from, from.config) : buildJob(settings, ctx);
  let traceRequested = true;
  let traceStale = false;
  let lastTraceAt = 0;
  let traceCost = 0;
  let evalStale = true;
  let lastEvalAt = -Infinity;
  let evalCost = 0;

  async function timed(kind: 'trace' | 'eval', f: () => Promise<void>): Promise<void> {
    const t0 = performance.now();
    await f();
    const cost = performance.now() - t0;
    if (kind === 'trace') {
      traceCost = cost;
      lastTraceAt = performance.now();
    } else {
      evalCost = cost;
      lastEvalAt = performance.now();
      evalStale = false;
    }
  }

  async function refresh(round: RoundInfo): Promise<void> {
    if (traceRequested) {
      traceRequested = false;
      await timed('trace', () => job.sendTrace());
    }
    if (round.diverged) return;
    if (round.trained > 0) traceStale = evalStale = true;
    const now = performance.now();
    if (traceStale && (!round.running || now - lastTraceAt > Math.max(TRACE_REFRESH_MS, 4 * traceCost))) {
      traceStale = false;
      await timed('trace', () => job.sendTrace());
    }
    // The evaluation is the costliest view: it never takes more than about a ninth of the time.
    const evalGap = Math.max(round.running ? EVAL_REFRESH_MS : 800, 8 * evalCost);
    if (evalStale && round.pendingSteps === 0) {
      if (now - lastEvalAt > evalGap) await timed('eval', () => job.sendEvaluation());
      else if (!round.running) round.wake(evalGap - (now - lastEvalAt));
    }
  }

  const state = async (): Promise<MemoryState> => ({ description: job.description, config: job.config, params: await readParamsAsync(job.trainer.specs, job.trainer.variables), step: job.trainer.steps });

  return {
    get steps() {
      return job.trainer.steps;
    },
    async trainChunk(n) {
      const losses: tf.Scalar[] = [];
      const lengths = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        losses.push(job.trainer.step());
        lengths[i] = job.lastLength();
      }
      const stacked = tf.stack(losses);
      tf.dispose(losses);
      const values = Float32Array.from((await stacked.data()) as Float32Array);
      stacked.dispose();
      return { losses: [values], lengths };
    },
    snapshot(status, chunk, keep) {
      const losses = chunk ? chunk.losses[0].slice(0, keep) : new Float32Array(0);
      const lengths = chunk ? chunk.lengths.slice(0, keep) : new Int32Array(0);
      return { msg: { type: 'snapshot', step: job.trainer.steps, ...status, losses, lengths }, transfer: [losses.buffer, lengths.buffer] };
    },
    diverged: ({ step, loss }) => ({ type: 'diverged', step, loss, lr: job.description.settings.lr }),
    async opened(reason) {
      if (reason === 'reset') post({ type: 'reset', job: job.description });
    },
    refresh,
    pending: () => traceRequested,
    async command(msg: MemoryViewCommand) {
      if (msg.type === 'trace') ctx.view.pattern = msg.pattern.length > 0 ? msg.pattern : null;
      else ctx.view.episodeDraw = msg.draw;
      traceRequested = true;
    },
    state,
    async save() {
      const saved = await state();
      const h = job.checkpointHeader();
      return { type: 'checkpoint', text: JSON.stringify(makeCheckpoint(h.algorithm, h.task, h.config, saved.step, saved.params)), model: h.algorithm, step: saved.step };
    },
    async load(text, fileName, host) {
      const ckpt = parseCheckpoint(text);
      const { description, full } = jobFromCheckpoint(ckpt.algorithm, ckpt.task, ckpt.config);
      await host.halt();
      // Building the job validates the shapes; only then is the old model replaced.
      const replacement = buildJob(description, ctx, { params: checkpointParams(ckpt), step: ckpt.step }, full);
      job.trainer.dispose();
      job = replacement;
      traceRequested = evalStale = true;
      lastEvalAt = -Infinity;
      await host.replaced();
      post({ type: 'checkpointLoaded', step: ckpt.step, fileName, job: description });
    },
    dispose: () => job.trainer.dispose(),
  };
}
