import * as tf from '@tensorflow/tfjs';
import { CheckpointError, checkpointParams, makeCheckpoint, type Checkpoint } from '../../core/checkpoint';
import { readParams, type ParamSpec, type ParamValues } from '../../core/params';
import { Rng } from '../../core/rng';
import type { Episode, EpisodeSampler, EpisodeSpec } from '../../tasks/characters';
import { encode, isRunningStat, lookupFor, updateRunningStats, type BatchStats } from './encoder';
import { disposeMetricEpisode, drawSpec, toMetricEpisode, type SemiLayout } from './episodes';
import { CONFIG_BEFORE_FIELD, isMetricMethod, methodImpl, metricConfigFor } from './registry';
import {
  type EncoderMode,
  type MethodContext,
  type MetricClassification,
  type MetricConfig,
  type MetricEpisode,
  type MetricEval,
  type MetricMethodImpl,
  type MetricOutput,
} from './types';

/** The `task` field of metric checkpoints (the UI and the CLI write and read the same files). */
export const METRIC_CHECKPOINT_TASK = 'characters';

/** Throws an Error saying which field of a metric config is out of range. */
export function validateMetricConfig(cfg: MetricConfig): void {
  const whole = (k: keyof MetricConfig, min: number, max: number) => {
    const v = cfg[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error(`${k} must be a whole number in [${min}, ${max}], got ${String(v)}`);
  };
  if (!isMetricMethod(cfg.method)) throw new Error(`unknown metric method "${String(cfg.method)}"`);
  whole('ways', 2, 200);
  whole('shots', 1, 50);
  whole('queries', 1, 50);
  whole('width', 1, 256);
  whole('unlabeledPerClass', 0, 50);
  whole('distractorClasses', 0, 50);
  whole('refineSteps', 0, 10);
  whole('fceSteps', 1, 20);
  if (!(cfg.lr > 0 && cfg.lr < 10)) throw new Error(`lr must be in (0, 10), got ${cfg.lr}`);
  if (!(cfg.margin > 0 && cfg.margin < 1000)) throw new Error(`margin must be in (0, 1000), got ${cfg.margin}`);
  if (!['contrastive', 'triplet'].includes(cfg.siameseLoss)) throw new Error(`siameseLoss must be contrastive or triplet`);
  if (!['radius', 'diagonal'].includes(cfg.covariance)) throw new Error(`covariance must be radius or diagonal`);
  if (!['softplus', 'sigmoid', 'sigmoid4', 'learned'].includes(cfg.transform)) throw new Error(`transform must be softplus, sigmoid, sigmoid4 or learned`);
  if (!['soft-kmeans', 'distractor', 'masked'].includes(cfg.semiVariant)) throw new Error(`semiVariant must be soft-kmeans, distractor or masked`);
}

/** Mean and 95% half-width 1.96·s/√n (s the sample standard deviation) of per-episode accuracies. */
export function meanCi95(xs: readonly number[]): { mean: number; ci95: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, ci95: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci95: 0 };
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, ci95: (1.96 * Math.sqrt(variance)) / Math.sqrt(n) };
}

let trainerCounter = 0;

/**
 * Episodic training of one metric method with Adam, plus evaluation and checkpoints. DOM-free:
 * the worker and the CLI drive it the same way:
 *
 *     const t = new MetricTrainer(metricConfigFor('protonet'));
 *     const sampler = new EpisodeSampler(dataset, t.episodeSpec(), seed);
 *     const { loss, accuracy } = t.step(sampler.next());  // tensors: read async, then dispose
 *     t.classify(episode);  // plain arrays with the method's reason (distances, prototypes, …)
 *
 * All parameters, including the batch-norm running statistics, are tf.Variables owned by the trainer
 * (dispose() frees them).
 */
export class MetricTrainer {
  readonly cfg: MetricConfig;
  /** Adam steps taken (restored from checkpoints). */
  steps = 0;
  private readonly impl: MetricMethodImpl;
  private readonly specs: ParamSpec[];
  private readonly vars: tf.Variable[];
  private readonly trainable: tf.Variable[];
  private readonly optimizer: tf.Optimizer;
  private readonly rng: Rng;

  /** `init`: parameter values (e.g. from a checkpoint) matching the method's specs by name and shape. */
  constructor(cfg: MetricConfig, init?: ParamValues) {
    validateMetricConfig(cfg);
    this.cfg = { ...cfg };
    this.impl = methodImpl(cfg.method);
    this.specs = this.impl.paramSpecs(this.cfg);
    const values = init ?? this.impl.init(this.cfg, Rng.derive(cfg.seed, 'metric-init'));
    const byName = new Map(values.specs.map((s, i) => [s.name, { shape: s.shape, v: values.values[i] }]));
    const id = trainerCounter++;
    this.vars = this.specs.map((s) => {
      const got = byName.get(s.name);
      if (!got) throw new Error(`parameter ${s.name} is missing`);
      if (got.shape.length !== s.shape.length || got.shape.some((d, i) => d !== s.shape[i]))
        throw new Error(`parameter ${s.name} has shape [${got.shape.join(', ')}], expected [${s.shape.join(', ')}]`);
      return tf.variable(tf.tensor(got.v, s.shape, 'float32'), !isRunningStat(s.name), `metric_${id}_${s.name}`);
    });
    this.trainable = this.vars.filter((_, i) => !isRunningStat(this.specs[i].name));
    this.optimizer = tf.train.adam(cfg.lr);
    this.rng = Rng.derive(cfg.seed, 'metric-train');
  }

  /**
   * What the EpisodeSampler must draw for a training (or evaluation) episode of `ways`-way
   * `shots`-shot with `queries` queries per class (defaults: the config's). Semi-protonet draws
   * ways + distractorClasses classes and shots + unlabeledPerClass images per class; step and
   * evaluate split them again.
   */
  episodeSpec(ways = this.cfg.ways, shots = this.cfg.shots, queries = this.cfg.queries): EpisodeSpec {
    return drawSpec(this.cfg, ways, shots, queries);
  }

  /** The labelled part of an episode drawn with episodeSpec() (semi-protonet only). */
  private layoutOf(ep: Episode): SemiLayout | undefined {
    if (this.cfg.method !== 'semi-protonet') return undefined;
    return { ways: ep.nWay - this.cfg.distractorClasses, shots: ep.kShot - this.cfg.unlabeledPerClass };
  }

  private context(mode: EncoderMode, collect?: BatchStats[], report?: (lp: tf.Tensor2D) => void): MethodContext {
    const names = this.specs.map((s) => s.name);
    const lookup = lookupFor(names, this.vars);
    return {
      cfg: this.cfg,
      params: this.vars,
      names,
      mode,
      encode: (x) => encode(lookup, x, mode, collect),
      rng: this.rng,
      reportLogProbs: report,
    };
  }

  /**
   * One Adam step on an episode drawn with episodeSpec(). Returns the episode's loss and query
   * accuracy as scalars so a worker can read them asynchronously; the caller disposes both.
   * Batch-norm running averages are updated from this episode.
   */
  step(ep: Episode): { loss: tf.Scalar; accuracy: tf.Scalar } {
    const mep = toMetricEpisode(ep, this.layoutOf(ep));
    const collected: BatchStats[] = [];
    let logProbs: tf.Tensor2D | null = null;
    const ctx = this.context('train', collected, (lp) => {
      if (!logProbs) logProbs = tf.keep(tf.clone(lp));
    });
    const { value, grads } = tf.variableGrads(() => this.impl.loss(ctx, mep), this.trainable);
    this.optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
    updateRunningStats((name) => this.vars[this.specs.findIndex((s) => s.name === name)], collected);
    const lp: tf.Tensor2D = logProbs ?? tf.tidy(() => this.impl.predict(this.context('train'), mep).logProbs);
    const accuracy = tf.tidy(() => tf.mean(tf.equal(tf.argMax(lp, 1), tf.tensor1d(mep.queryLabels, 'int32')).toFloat()) as tf.Scalar);
    tf.dispose(lp);
    disposeMetricEpisode(mep);
    this.steps++;
    return { loss: value, accuracy };
  }

  /**
   * Classifies an episode's queries in eval mode (running batch-norm statistics) and reads back the
   * probabilities and the method's reason as plain arrays. `semi` gives the labelled part of a
   * semi-supervised episode (evaluate passes it; a user's drawn episode has no unlabeled items).
   */
  classify(ep: Episode, semi?: SemiLayout): MetricClassification {
    const mep = toMetricEpisode(ep, semi);
    let c: MetricClassification | null = null;
    try {
      tf.tidy(() => {
        c = readOutput(this.cfg.method, this.impl.predict(this.context('eval'), mep));
      });
    } finally {
      disposeMetricEpisode(mep);
    }
    return c!;
  }

  /** Accuracy over `episodes` episodes of a sampler built with episodeSpec(), with its 95% CI. */
  evaluate(sampler: EpisodeSampler, episodes: number): MetricEval {
    const accs: number[] = [];
    for (let i = 0; i < episodes; i++) {
      const ep = sampler.next();
      const c = this.classify(ep, this.layoutOf(ep));
      const labels = ep.queryLabels.length === c.queries ? ep.queryLabels : ep.queryLabels.filter((l) => l < c.ways);
      let right = 0;
      c.predicted.forEach((p, q) => {
        if (p === labels[q]) right++;
      });
      accs.push(right / c.queries);
    }
    const { mean, ci95 } = meanCi95(accs);
    return { accuracy: mean, ci95, episodes };
  }

  /** All parameter values, trainable and batch-norm running statistics, as plain arrays. */
  params(): ParamValues {
    return readParams(this.specs, this.vars);
  }

  /** The values of one parameter (e.g. the matching network's learned scale for the view), or null if the method has none. */
  param(name: string): Float32Array | null {
    const i = this.specs.findIndex((s) => s.name === name);
    return i < 0 ? null : Float32Array.from(this.vars[i].dataSync() as Float32Array);
  }

  checkpoint(): Checkpoint {
    return makeCheckpoint(this.cfg.method, METRIC_CHECKPOINT_TASK, { ...this.cfg }, this.steps, this.params());
  }

  /** A trainer from a parsed checkpoint; CheckpointError if it is not a metric checkpoint or does not fit its method. */
  static fromCheckpoint(c: Checkpoint): MetricTrainer {
    if (!isMetricMethod(c.algorithm)) throw new CheckpointError(`This checkpoint holds "${c.algorithm}", not a metric-based method (siamese, protonet, …).`);
    if (c.task !== METRIC_CHECKPOINT_TASK) throw new CheckpointError(`This ${c.algorithm} checkpoint is for the "${c.task}" task, not "${METRIC_CHECKPOINT_TASK}".`);
    const base = metricConfigFor(c.algorithm);
    const cfg = { ...base } as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(CONFIG_BEFORE_FIELD)) if (!(k in c.config)) cfg[k] = v;
    for (const [k, v] of Object.entries(c.config)) {
      if (!(k in base)) continue;
      if (typeof v !== typeof cfg[k]) throw new CheckpointError(`Checkpoint config field "${k}" has the wrong type.`);
      cfg[k] = v;
    }
    cfg.method = c.algorithm;
    let t: MetricTrainer;
    try {
      t = new MetricTrainer(cfg as unknown as MetricConfig, checkpointParams(c));
    } catch (e) {
      throw new CheckpointError(`This ${c.algorithm} checkpoint does not fit its method: ${(e as Error).message}.`);
    }
    t.steps = c.step;
    return t;
  }

  dispose(): void {
    tf.dispose(this.vars);
    this.optimizer.dispose();
  }
}

type ReasonKey = keyof MetricClassification['shapes'];
const REASONS: readonly ReasonKey[] = ['supportEmbeddings', 'queryEmbeddings', 'prototypes', 'precisions', 'distances', 'attention', 'relations', 'assignments'];

/** MetricOutput tensors → MetricClassification arrays (call inside tf.tidy). */
export function readOutput(method: MetricClassification['method'], out: MetricOutput): MetricClassification {
  const [queries, ways] = out.logProbs.shape;
  const probs = tf.exp(out.logProbs).dataSync() as Float32Array;
  const predicted = tf.argMax(out.logProbs, 1).dataSync() as Int32Array;
  const c: MetricClassification = { method, ways, queries, probs: Float32Array.from(probs), predicted: Int32Array.from(predicted), shapes: {} };
  for (const k of REASONS) {
    const t = out[k];
    if (!t) continue;
    c[k] = Float32Array.from(t.dataSync() as Float32Array);
    c.shapes[k] = [t.shape[0], t.shape[1]];
  }
  return c;
}

/** Tensors of an episode for callers that drive methods directly (tests, views). */
export { toMetricEpisode, disposeMetricEpisode, type MetricEpisode };
