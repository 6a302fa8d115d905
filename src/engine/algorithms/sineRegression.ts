import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import { readParams, toVariables, type ParamSpec, type ParamValues } from '../core/params';
import { initMlp, meanTaskMse } from '../models/mlp';
import { sampleSineDemoInputs, sampleSineEpisodes, sampleSinePoints, sampleSineTask, type RegressionBatch, type SineTask } from '../tasks/sine';
import { SINE_FAMILY, camlContexts, type AdaptData, type FamilyState, type Predictor, type SineBatch } from './sineFamily';

export { SINE_ALGORITHMS, DEFAULT_SINE_CONFIG, SINE_ALGORITHM_INFO, sineConfigFor, type SineAlgorithm, type SineConfig } from './sineConfig';
export { mamlMetaLoss, pretrainLoss, tamlMetaLoss, SINE_FAMILY } from './sineFamily';
import { DEFAULT_SINE_CONFIG, type SineConfig } from './sineConfig';

export const sineModelSizes = (cfg: Pick<SineConfig, 'hidden'>): number[] => [1, ...cfg.hidden, 1];

export function batchTensors(b: RegressionBatch): { x: tf.Tensor3D; y: tf.Tensor3D } {
  return { x: tf.tensor3d(b.xs, [b.tasks, b.points, 1]), y: tf.tensor3d(b.ys, [b.tasks, b.points, 1]) };
}

const withDefaults = (cfg: Partial<SineConfig>): SineConfig => ({ ...DEFAULT_SINE_CONFIG, ...cfg });

/** Every meta-learned tensor of an algorithm's model: θ first, then its extra tensors (Meta-SGD α, DAML ψ). */
export function sineParamSpecs(cfg: Partial<SineConfig>): ParamSpec[] {
  const c = withDefaults(cfg);
  const impl = SINE_FAMILY[c.algorithm];
  return [...impl.thetaSpecs(c), ...impl.extraSpecs(c)];
}

/** The step size a model adapts with at test time: CAML adapts its context with its own rate. */
export function adaptAlpha(cfg: Pick<SineConfig, 'algorithm' | 'contextAlpha'>, alpha: number): number {
  return cfg.algorithm === 'caml' ? cfg.contextAlpha : alpha;
}

/**
 * Meta-trains one sine model with any algorithm of the family (MAML, the pretraining baseline,
 * first-order MAML, Reptile, Meta-SGD, CAML, gradient agreement, TAML, DAML) on a seeded task stream.
 */
export class SineTrainer {
  readonly config: SineConfig;
  private readonly state: FamilyState;
  private readonly all: tf.Variable[];
  private readonly taskRng: Rng;
  private readonly demoRng: Rng;
  /** Gradient agreement: the per-task weights of the last step (owned by the trainer). */
  lastWeights: tf.Tensor1D | null = null;
  steps = 0;

  constructor(config: SineConfig, init?: ParamValues) {
    this.config = { ...withDefaults(config), hidden: [...config.hidden] };
    const cfg = this.config;
    const impl = SINE_FAMILY[cfg.algorithm];
    const thetaSpecs = impl.thetaSpecs(cfg);
    const initial = init ?? {
      specs: sineParamSpecs(cfg),
      values: [
        ...initMlp({ sizes: [thetaSpecs[0].shape[0], ...cfg.hidden, 1] }, Rng.derive(cfg.seed, 'init')).values,
        ...impl.initExtra(cfg, Rng.derive(cfg.seed, 'init-extra')),
      ],
    };
    assertParamsMatch(initial, cfg);
    this.all = toVariables(initial, `sine_${cfg.algorithm}`);
    const theta = this.all.slice(0, thetaSpecs.length);
    const extra = this.all.slice(thetaSpecs.length);
    this.state = { cfg, theta, extra, optimizer: impl.usesOptimizer ? tf.train.adam(cfg.metaLr) : null };
    this.taskRng = Rng.derive(cfg.seed, 'tasks');
    this.demoRng = Rng.derive(cfg.seed, 'demo');
  }

  /** One outer step. Returns the meta-loss of this batch (a scalar the caller must dispose). */
  step(): tf.Scalar {
    const cfg = this.config;
    const impl = SINE_FAMILY[cfg.algorithm];
    const episodes = sampleSineEpisodes(this.taskRng, cfg.metaBatch, cfg.k, cfg.k);
    const demo = impl.needsDemo ? sampleSineDemoInputs(this.demoRng, episodes.tasks, cfg.k) : null;
    const { loss, weights } = tf.tidy(() => {
      const batch: SineBatch = {
        support: batchTensors(episodes.support),
        query: batchTensors(episodes.query),
        demo: demo ? tf.tensor3d(demo, [cfg.metaBatch, cfg.k, 1]) : null,
      };
      const r = impl.step(this.state, batch);
      return r.weights ? { loss: r.loss, weights: r.weights } : { loss: r.loss };
    }) as { loss: tf.Scalar; weights?: tf.Tensor1D };
    if (weights) {
      this.lastWeights?.dispose();
      this.lastWeights = weights;
    }
    this.steps++;
    return loss;
  }

  get paramSpecs(): ParamSpec[] {
    return sineParamSpecs(this.config);
  }

  /** Reads every meta-learned tensor synchronously (CLI and tests; the worker reads asynchronously). */
  params(): ParamValues {
    return readParams(this.paramSpecs, this.all);
  }

  /** Every meta-learned tensor, in the order of paramSpecs (owned by the trainer: do not dispose). */
  get variables(): readonly tf.Variable[] {
    return this.all;
  }

  /** The model's parameters θ only. */
  get theta(): readonly tf.Variable[] {
    return this.state.theta;
  }

  /** Meta-SGD's learned α, DAML's ψ; empty for the others. */
  get extra(): readonly tf.Variable[] {
    return this.state.extra;
  }

  /** Few-shot evaluation of this model with its own adaptation rule (see evaluateSineTensor). */
  evaluateTensor(opts: SineEvalOptions): tf.Tensor1D {
    return evaluateFamilyTensor(this.config, this.theta, this.extra, opts);
  }

  evaluate(opts: SineEvalOptions): number[] {
    const t = this.evaluateTensor(opts);
    const out = Array.from(t.dataSync());
    t.dispose();
    return out;
  }

  /** Adaptation curves with this model's own adaptation rule; DAML adapts on demoXs instead of the points. */
  adaptationCurvesTensor(supportX: Float32Array, supportY: Float32Array, grid: Float32Array, alpha: number, steps: number, demoXs?: Float32Array): tf.Tensor2D {
    return familyCurvesTensor(this.config, this.theta, this.extra, supportX, supportY, grid, alpha, steps, demoXs);
  }

  /** CAML: each task's adapted context φ′ [tasks, contextSize] after `steps` steps on K support points. */
  contextsTensor(supportX: Float32Array, supportY: Float32Array, tasks: number, steps: number): tf.Tensor2D {
    if (this.config.algorithm !== 'caml') throw new Error('only CAML has context parameters');
    return tf.tidy(() => {
      const n = supportX.length / tasks;
      const data = { x: tf.tensor3d(supportX, [tasks, n, 1]), y: tf.tensor3d(supportY, [tasks, n, 1]) };
      return camlContexts(this.theta, this.config, data, steps, this.config.contextAlpha).reshape([tasks, this.config.contextSize]) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.all.forEach((v) => v.dispose());
    this.state.optimizer?.dispose();
    this.lastWeights?.dispose();
    this.lastWeights = null;
  }
}

/** Checks that parameter values fit an algorithm's model (by default MAML's MLP). */
export function assertParamsMatch(p: ParamValues, cfg: Pick<SineConfig, 'hidden'> & Partial<SineConfig>): void {
  const expected = sineParamSpecs(cfg);
  if (p.specs.length !== expected.length) throw new Error(`expected ${expected.length} parameter tensors, got ${p.specs.length}`);
  expected.forEach((s, i) => {
    const got = p.specs[i].shape;
    if (got.length !== s.shape.length || got.some((d, j) => d !== s.shape[j]))
      throw new Error(`parameter ${s.name}: expected shape [${s.shape}], got [${got}]`);
    if (p.values[i].length !== s.shape.reduce((a, b) => a * b, 1)) throw new Error(`parameter ${s.name}: wrong number of values`);
  });
}

export interface SineEvalOptions {
  tasks: number;
  k: number;
  alpha: number;
  maxSteps: number;
  queryPoints: number;
  seed: number;
}

export const DEFAULT_SINE_EVAL: SineEvalOptions = { tasks: 200, k: 10, alpha: 0.01, maxSteps: 10, queryPoints: 100, seed: 0 };

/**
 * Few-shot evaluation on fresh tasks: from θ, take 0…maxSteps SGD steps with α on K support
 * points and report the mean query MSE after each number of steps (all tasks batched).
 */
export function evaluateSine(theta: readonly tf.Tensor[], opts: SineEvalOptions): number[] {
  const perStep = evaluateSineTensor(theta, opts);
  const out = Array.from(perStep.dataSync());
  perStep.dispose();
  return out;
}

/** As evaluateSine, but returns the [maxSteps + 1] tensor so a worker can read it asynchronously. */
export function evaluateSineTensor(theta: readonly tf.Tensor[], opts: SineEvalOptions): tf.Tensor1D {
  return evaluateFamilyTensor(DEFAULT_SINE_CONFIG, theta, [], opts);
}

/**
 * Few-shot evaluation with an algorithm's own adaptation rule (SGD with α for MAML-like models,
 * the learned α for Meta-SGD, the context for CAML, the learned loss on demonstration inputs for
 * DAML). The tasks and points are the same for every algorithm (DAML's demonstrations come from a
 * separate stream), so the numbers compare.
 */
export function evaluateFamilyTensor(cfg: SineConfig, theta: readonly tf.Tensor[], extra: readonly tf.Tensor[], opts: SineEvalOptions): tf.Tensor1D {
  const impl = SINE_FAMILY[cfg.algorithm];
  const rng = Rng.derive(opts.seed, 'eval');
  const tasks = Array.from({ length: opts.tasks }, () => sampleSineTask(rng));
  const support = sampleSinePoints(rng, tasks, opts.k);
  const query = sampleSinePoints(rng, tasks, opts.queryPoints);
  const demo = impl.needsDemo ? sampleSineDemoInputs(Rng.derive(opts.seed, 'eval-demo'), tasks, opts.k) : null;
  return tf.tidy(() => {
    const s = batchTensors(support);
    const q = batchTensors(query);
    const data: AdaptData = { x: s.x, y: s.y, demo: demo ? tf.tensor3d(demo, [tasks.length, opts.k, 1]) : null };
    const mses: tf.Scalar[] = [];
    impl.adapt(theta, extra, cfg, data, opts.maxSteps, adaptAlpha(cfg, opts.alpha), (_, predict) => mses.push(meanTaskMse(predict(q.x), q.y)));
    return tf.stack(mses) as tf.Tensor1D;
  });
}

/**
 * Predictions on `grid` after 0…steps inner steps on the given support points (one task):
 * what the inner-loop view animates. Returns steps+1 arrays of grid.length values.
 */
export function adaptationCurves(
  theta: readonly tf.Tensor[],
  supportX: Float32Array,
  supportY: Float32Array,
  grid: Float32Array,
  alpha: number,
  steps: number,
): Float32Array[] {
  const stacked = adaptationCurvesTensor(theta, supportX, supportY, grid, alpha, steps);
  const data = stacked.dataSync() as Float32Array;
  stacked.dispose();
  return Array.from({ length: steps + 1 }, (_, s) => data.slice(s * grid.length, (s + 1) * grid.length));
}

/** As adaptationCurves, but returns the [steps + 1, grid] tensor for asynchronous reading. */
export function adaptationCurvesTensor(
  theta: readonly tf.Tensor[],
  supportX: Float32Array,
  supportY: Float32Array,
  grid: Float32Array,
  alpha: number,
  steps: number,
): tf.Tensor2D {
  return familyCurvesTensor(DEFAULT_SINE_CONFIG, theta, [], supportX, supportY, grid, alpha, steps);
}

/** Adaptation curves of one task with an algorithm's own adaptation rule (DAML: on demoXs, no labels). */
export function familyCurvesTensor(
  cfg: SineConfig,
  theta: readonly tf.Tensor[],
  extra: readonly tf.Tensor[],
  supportX: Float32Array,
  supportY: Float32Array,
  grid: Float32Array,
  alpha: number,
  steps: number,
  demoXs?: Float32Array,
): tf.Tensor2D {
  const impl = SINE_FAMILY[cfg.algorithm];
  return tf.tidy(() => {
    const n = supportX.length;
    const g = tf.tensor3d(grid, [1, grid.length, 1]);
    const preds: tf.Tensor[] = [];
    const record = (_: number, predict: Predictor) => preds.push(predict(g).reshape([grid.length]));
    const demo = impl.needsDemo && demoXs && demoXs.length > 0 ? tf.tensor3d(demoXs, [1, demoXs.length, 1]) : null;
    if (impl.needsDemo ? demo === null : n === 0) {
      // Nothing to adapt to: every step shows the meta-parameters' prediction (before any step).
      let base: Predictor | null = null;
      const empty = { x: tf.zeros([1, 1, 1]) as tf.Tensor3D, y: tf.zeros([1, 1, 1]) as tf.Tensor3D, demo: tf.zeros([1, 1, 1]) as tf.Tensor3D };
      impl.adapt(theta, extra, cfg, empty, 0, 0, (_, p) => (base = p));
      for (let s = 0; s <= steps; s++) record(s, base!);
    } else {
      const data: AdaptData = { x: tf.tensor3d(supportX, [1, Math.max(1, n), 1]), y: tf.tensor3d(supportY, [1, Math.max(1, n), 1]), demo };
      impl.adapt(theta, extra, cfg, data, steps, adaptAlpha(cfg, alpha), record);
    }
    return tf.stack(preds) as tf.Tensor2D;
  });
}

export type { SineTask };
