import * as tf from '@tensorflow/tfjs';
import { sigmoidCrossEntropy } from '../core/ops';
import type { ParamSpec, ParamValues } from '../core/params';
import { Rng } from '../core/rng';
import {
  initLstm,
  initNtm,
  lstmInitialState,
  lstmParamSpecs,
  lstmStep,
  ntmInitialState,
  ntmParamSpecs,
  ntmStep,
  type LstmSpec,
  type NtmSpec,
  type NtmStepTrace,
} from '../models/ntm';
import { countBitErrors, sampleCopyBatch, sampleLength, type CopyBatch } from '../tasks/copy';
import type { CopyConfig } from './copyConfig';
import { RmsPropTrainer } from './memoryTrainer';

export * from './copyConfig';

export function ntmSpecOf(cfg: CopyConfig): NtmSpec {
  return {
    inputSize: cfg.bits + 1,
    outputSize: cfg.bits,
    slots: cfg.slots,
    width: cfg.width,
    controller: cfg.controller,
    controllerSize: cfg.controllerSize,
    readHeads: cfg.readHeads,
    writeHeads: cfg.writeHeads,
  };
}

export function lstmSpecOf(cfg: CopyConfig): LstmSpec {
  return { inputSize: cfg.bits + 1, outputSize: cfg.bits, hidden: cfg.lstmHidden };
}

export function copyParamSpecs(cfg: CopyConfig): ParamSpec[] {
  return cfg.model === 'ntm' ? ntmParamSpecs(ntmSpecOf(cfg)) : lstmParamSpecs(lstmSpecOf(cfg));
}

export function initCopyModel(cfg: CopyConfig, rng: Rng): ParamValues {
  return cfg.model === 'ntm' ? initNtm(ntmSpecOf(cfg), rng) : initLstm(lstmSpecOf(cfg), rng);
}

/** Per-step records of an NTM run (batch element 0 of each tensor is what the lab draws). */
export interface NtmRunTrace {
  steps: NtmStepTrace[];
  memories: tf.Tensor3D[];
}

/**
 * Runs a model over a copy batch. Returns the logits of every step [steps, B, bits] (the recall
 * outputs are steps L+1 … 2L) and, with `record`, the NTM's per-step trace.
 */
export function copyForward(cfg: CopyConfig, params: readonly tf.Tensor[], batch: CopyBatch, record = false): { logits: tf.Tensor3D; trace: NtmRunTrace | null } {
  const inputs = tf.unstack(tf.tensor3d(batch.inputs, [batch.steps, batch.batch, batch.bits + 1])) as tf.Tensor2D[];
  const outs: tf.Tensor2D[] = [];
  const trace: NtmRunTrace | null = record ? { steps: [], memories: [] } : null;
  if (cfg.model === 'ntm') {
    const spec = ntmSpecOf(cfg);
    let state = ntmInitialState(spec, params, batch.batch);
    for (const x of inputs) {
      const r = ntmStep(spec, params, x, state);
      state = r.state;
      outs.push(r.logits);
      if (trace) {
        trace.steps.push(r.trace);
        trace.memories.push(r.state.memory);
      }
    }
  } else {
    const spec = lstmSpecOf(cfg);
    let state = lstmInitialState(spec, batch.batch);
    for (const x of inputs) {
      const r = lstmStep(params, x, state);
      state = r.state;
      outs.push(r.logits);
    }
  }
  return { logits: tf.stack(outs) as tf.Tensor3D, trace };
}

/** The recall part of the logits: steps L+1 … 2L → [L, B, bits]. */
export function recallLogits(logits: tf.Tensor3D, length: number): tf.Tensor3D {
  return tf.slice(logits, [length + 1, 0, 0], [length, -1, -1]);
}

/** Mean binary cross-entropy (nats per bit) of the recall outputs. */
export function copyLoss(cfg: CopyConfig, params: readonly tf.Tensor[], batch: CopyBatch): tf.Scalar {
  const { logits } = copyForward(cfg, params, batch);
  const targets = tf.tensor3d(batch.targets, [batch.length, batch.batch, batch.bits]);
  return tf.mean(sigmoidCrossEntropy(targets, recallLogits(logits, batch.length)));
}

/**
 * Trains an NTM or the LSTM baseline on the copy task with RMSProp in the form of Graves (2013) —
 * centred, momentum 0.9, decay 0.95 — and every gradient entry clipped to ±clip.
 */
export class CopyTrainer extends RmsPropTrainer {
  readonly config: CopyConfig;
  private readonly rng: Rng;
  /** Length of the sequences of the last training step. */
  lastLength = 0;

  constructor(config: CopyConfig, init?: ParamValues) {
    super(copyParamSpecs(config), init ?? initCopyModel(config, Rng.derive(config.seed, `init-${config.model}`)), config, `copy_${config.model}`);
    this.config = { ...config };
    this.rng = Rng.derive(config.seed, 'copy-train');
  }

  step(): tf.Scalar {
    const cfg = this.config;
    const length = sampleLength(this.rng, cfg.minLength, cfg.maxLength);
    this.lastLength = length;
    const batch = sampleCopyBatch(this.rng, cfg.batch, length, cfg.bits);
    return this.update(() => copyLoss(cfg, this.theta, batch));
  }
}

/** Bit errors of the recall outputs, as a scalar tensor (for asynchronous reading in the worker). */
export function copyBitErrorsTensor(cfg: CopyConfig, params: readonly tf.Tensor[], batch: CopyBatch): tf.Scalar {
  return tf.tidy(() => {
    const { logits } = copyForward(cfg, params, batch);
    const predicted = tf.greater(recallLogits(logits, batch.length), 0);
    const targets = tf.greater(tf.tensor3d(batch.targets, [batch.length, batch.batch, batch.bits]), 0.5);
    return tf.sum(tf.cast(tf.notEqual(predicted, targets), 'float32'));
  });
}

export interface CopyEvaluation {
  length: number;
  sequences: number;
  bitErrors: number;
  /** bit errors / (sequences · length · bits) */
  ber: number;
  /** Graves' measure: mean bit errors per sequence */
  errorsPerSequence: number;
}

/** The bit-error rate on fresh sequences of one length (a fixed, seeded evaluation set). */
export function evaluateCopy(cfg: CopyConfig, params: readonly tf.Tensor[], length: number, sequences = 100, seed = 0, chunk = 50): CopyEvaluation {
  const rng = Rng.derive(seed, `copy-eval-${length}`);
  let errors = 0;
  for (let done = 0; done < sequences; done += chunk) {
    const n = Math.min(chunk, sequences - done);
    const batch = sampleCopyBatch(rng, n, length, cfg.bits);
    const e = copyBitErrorsTensor(cfg, params, batch);
    errors += e.dataSync()[0];
    e.dispose();
  }
  const bits = sequences * length * cfg.bits;
  return { length, sequences, bitErrors: errors, ber: errors / bits, errorsPerSequence: errors / sequences };
}

/** As evaluateCopy, from already-read predictions (for callers that read tensors themselves). */
export function berOf(logits: ArrayLike<number>, batch: CopyBatch): number {
  return countBitErrors(logits, batch.targets) / batch.targets.length;
}

/**
 * Everything the lab draws about one sequence (batch element 0), as tensors to read asynchronously:
 * outputs σ(logits) [T, bits]; for the NTM also the memory after each step [T, N, M], each stage of
 * every head's weighting [T, H, N] (heads: reads then writes), keys [T, H, M], β, g, γ [T, H],
 * shifts [T, H, 3], erase and add vectors [T, W, M] and read vectors [T, R, M].
 */
export interface CopyTraceTensors {
  outputs: tf.Tensor;
  memory?: tf.Tensor;
  content?: tf.Tensor;
  gated?: tf.Tensor;
  shifted?: tf.Tensor;
  weights?: tf.Tensor;
  key?: tf.Tensor;
  beta?: tf.Tensor;
  gate?: tf.Tensor;
  gamma?: tf.Tensor;
  shift?: tf.Tensor;
  erase?: tf.Tensor;
  add?: tf.Tensor;
}

export function copyTraceTensors(cfg: CopyConfig, params: readonly tf.Tensor[], batch: CopyBatch): CopyTraceTensors {
  return tf.tidy((): Record<string, tf.Tensor> => {
    const { logits, trace } = copyForward(cfg, params, batch, cfg.model === 'ntm');
    const first = (ts: tf.Tensor[]) => tf.stack(ts.map((t) => t.slice(0, 1).squeeze([0])));
    const out: CopyTraceTensors & Record<string, tf.Tensor> = { outputs: tf.sigmoid(logits.slice([0, 0, 0], [-1, 1, -1]).squeeze([1])) };
    if (!trace) return out;
    const s = trace.steps;
    out.memory = first(trace.memories);
    out.content = first(s.map((x) => x.stages.content));
    out.gated = first(s.map((x) => x.stages.gated));
    out.shifted = first(s.map((x) => x.stages.shifted));
    out.weights = first(s.map((x) => x.stages.w));
    out.key = first(s.map((x) => x.heads.key));
    out.beta = first(s.map((x) => x.heads.beta)).squeeze([2]);
    out.gate = first(s.map((x) => x.heads.gate)).squeeze([2]);
    out.gamma = first(s.map((x) => x.heads.gamma)).squeeze([2]);
    out.shift = first(s.map((x) => x.heads.shift));
    out.erase = first(s.map((x) => x.erase));
    out.add = first(s.map((x) => x.add));
    return out;
  }) as unknown as CopyTraceTensors;
}
