import * as tf from '@tensorflow/tfjs';
import { meanSoftmaxCrossEntropy } from '../core/ops';
import type { ParamValues } from '../core/params';
import { Rng } from '../core/rng';
import { initMann, mannEmbed, mannInitialState, mannParamSpecs, mannStep, type MannSpec, type MannStepTrace } from '../models/mann';
import type { EpisodeSampler } from '../tasks/characters';
import { sampleLabelSequences, type LabelSequenceBatch } from '../tasks/labelSequence';
import type { MannConfig } from './mannConfig';
import { RmsPropTrainer } from './memoryTrainer';

export * from './mannConfig';

export function mannSpecOf(cfg: MannConfig, imagePixels: number): MannSpec {
  return {
    imageSize: imagePixels,
    classes: cfg.classes,
    slots: cfg.slots,
    width: cfg.width,
    controllerSize: cfg.controllerSize,
    readHeads: cfg.readHeads,
    usageDecay: cfg.usageDecay,
    embedding: cfg.embedding,
  };
}

/** Runs the MANN over a batch of label sequences: logits [steps, B, classes] and, with `record`, the per-step trace. */
export function mannForward(spec: MannSpec, params: readonly tf.Tensor[], batch: LabelSequenceBatch, record = false): { logits: tf.Tensor3D; trace: MannStepTrace[] | null } {
  const T = batch.steps;
  const B = batch.batch;
  const embedded = mannEmbed(params, tf.tensor2d(batch.images, [T * B, batch.pixels]));
  const previous = tf.tensor2d(batch.previous, [T * B, batch.classes]);
  const inputs = tf.unstack(tf.reshape(tf.concat([embedded, previous], 1), [T, B, spec.embedding + batch.classes])) as tf.Tensor2D[];
  let state = mannInitialState(spec, batch.batch);
  const outs: tf.Tensor2D[] = [];
  const trace: MannStepTrace[] | null = record ? [] : null;
  for (const x of inputs) {
    const r = mannStep(spec, params, x, state);
    state = r.state;
    outs.push(r.logits);
    trace?.push(r.trace);
  }
  return { logits: tf.stack(outs) as tf.Tensor3D, trace };
}

/** Mean cross-entropy of every step's prediction (the first presentation of a class is a guess, as in the paper). */
export function mannLoss(spec: MannSpec, params: readonly tf.Tensor[], batch: LabelSequenceBatch): tf.Scalar {
  const { logits } = mannForward(spec, params, batch);
  const onehot = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), batch.classes);
  return meanSoftmaxCrossEntropy(onehot, tf.reshape(logits, [batch.steps * batch.batch, batch.classes]));
}

/** Trains a MANN on label sequences from a character data set with RMSProp (Graves' form) and ±clip. */
export class MannTrainer extends RmsPropTrainer {
  readonly config: MannConfig;
  readonly spec: MannSpec;
  private readonly rng: Rng;

  constructor(
    config: MannConfig,
    private readonly sampler: EpisodeSampler,
    init?: ParamValues,
  ) {
    if (sampler.spec.nWay !== config.classes || sampler.spec.kShot !== config.instances)
      throw new Error(`the sampler draws ${sampler.spec.nWay}-way ${sampler.spec.kShot}-shot episodes; the MANN wants ${config.classes}-way with ${config.instances} instances`);
    const spec = mannSpecOf(config, sampler.dataset.imageSize * sampler.dataset.imageSize);
    super(mannParamSpecs(spec), init ?? initMann(spec, Rng.derive(config.seed, 'init-mann')), config, 'mann');
    this.config = { ...config };
    this.spec = spec;
    this.rng = Rng.derive(config.seed, 'mann-train');
  }

  step(): tf.Scalar {
    const batch = sampleLabelSequences(this.sampler, this.rng, this.config.batch);
    return this.update(() => mannLoss(this.spec, this.theta, batch));
  }
}

/** Correct predictions [steps, B] (1/0) as a tensor, for asynchronous reading. */
export function mannCorrectTensor(spec: MannSpec, params: readonly tf.Tensor[], batch: LabelSequenceBatch): tf.Tensor2D {
  return tf.tidy(() => {
    const { logits } = mannForward(spec, params, batch);
    return tf.cast(tf.equal(tf.argMax(logits, 2), tf.tensor2d(batch.labels, [batch.steps, batch.batch], 'int32')), 'float32') as tf.Tensor2D;
  });
}

export interface InstanceAccuracy {
  /** accuracy[n − 1]: accuracy on the n-th presentation of a class (n = 1 … instances) */
  accuracy: number[];
  /** how many predictions each entry averages */
  counts: number[];
  overall: number;
  episodes: number;
}

/** Accumulates correct / total by presentation number. */
export function accuracyByInstance(correct: ArrayLike<number>, batch: LabelSequenceBatch, instances: number, into?: { hits: number[]; counts: number[] }): { hits: number[]; counts: number[] } {
  const acc = into ?? { hits: new Array<number>(instances).fill(0), counts: new Array<number>(instances).fill(0) };
  for (let i = 0; i < batch.labels.length; i++) {
    const n = batch.instance[i];
    if (n < 1 || n > instances) continue;
    acc.counts[n - 1]++;
    acc.hits[n - 1] += correct[i];
  }
  return acc;
}

/** Accuracy by presentation number on `episodes` fresh episodes of a sampler (e.g. the evaluation split). */
export function evaluateMann(cfg: MannConfig, spec: MannSpec, params: readonly tf.Tensor[], sampler: EpisodeSampler, episodes: number, seed = 0, chunk = 32): InstanceAccuracy {
  const rng = Rng.derive(seed, 'mann-eval');
  let acc: { hits: number[]; counts: number[] } | undefined;
  for (let done = 0; done < episodes; done += chunk) {
    const batch = sampleLabelSequences(sampler, rng, Math.min(chunk, episodes - done));
    const correct = mannCorrectTensor(spec, params, batch);
    acc = accuracyByInstance(correct.dataSync(), batch, cfg.instances, acc);
    correct.dispose();
  }
  const { hits, counts } = acc!;
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    accuracy: hits.map((h, i) => (counts[i] > 0 ? h / counts[i] : NaN)),
    counts,
    overall: hits.reduce((a, b) => a + b, 0) / Math.max(1, total),
    episodes,
  };
}
