import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import { readParams, toVariables, type ParamSpec, type ParamValues } from '../core/params';
import { broadcastToTasks, initMlp, meanTaskMse, mlpForward, mlpParamSpecs, perTaskMseSum } from '../models/mlp';
import { sampleSineEpisodes, sampleSinePoints, sampleSineTask, type RegressionBatch, type SineTask } from '../tasks/sine';
import { innerLoop } from './innerLoop';

export { SINE_ALGORITHMS, DEFAULT_SINE_CONFIG, type SineAlgorithm, type SineConfig } from './sineConfig';
import type { SineConfig } from './sineConfig';

export const sineModelSizes = (cfg: Pick<SineConfig, 'hidden'>): number[] => [1, ...cfg.hidden, 1];

export function batchTensors(b: RegressionBatch): { x: tf.Tensor3D; y: tf.Tensor3D } {
  return { x: tf.tensor3d(b.xs, [b.tasks, b.points, 1]), y: tf.tensor3d(b.ys, [b.tasks, b.points, 1]) };
}

/**
 * MAML meta-loss for a meta-batch: mean over tasks of the query MSE after `innerSteps` steps of
 * gradient descent from θ on the support set. Differentiating it wrt θ gives the meta-gradient.
 */
export function mamlMetaLoss(
  theta: readonly tf.Tensor[],
  support: { x: tf.Tensor3D; y: tf.Tensor3D },
  query: { x: tf.Tensor3D; y: tf.Tensor3D },
  opts: { alpha: number; innerSteps: number; firstOrder: boolean },
): tf.Scalar {
  const tasks = support.x.shape[0];
  const fast = innerLoop(mlpForward, perTaskMseSum, broadcastToTasks(theta, tasks), support.x, support.y, {
    alpha: opts.alpha,
    steps: opts.innerSteps,
    firstOrder: opts.firstOrder,
  });
  return meanTaskMse(mlpForward(fast, query.x), query.y);
}

/** Pretraining ("joint training"): fit one θ to all the tasks' points, no adaptation in the loss. */
export function pretrainLoss(
  theta: readonly tf.Tensor[],
  support: { x: tf.Tensor3D; y: tf.Tensor3D },
  query: { x: tf.Tensor3D; y: tf.Tensor3D },
): tf.Scalar {
  const x = tf.concat([support.x, query.x], 1) as tf.Tensor3D;
  const y = tf.concat([support.y, query.y], 1) as tf.Tensor3D;
  return meanTaskMse(mlpForward(broadcastToTasks(theta, x.shape[0]), x), y);
}

/** Meta-trains one sine model (MAML or the pretraining baseline) with Adam on a seeded task stream. */
export class SineTrainer {
  readonly config: SineConfig;
  private readonly theta: tf.Variable[];
  private readonly optimizer: tf.AdamOptimizer;
  private readonly taskRng: Rng;
  steps = 0;

  constructor(config: SineConfig, init?: ParamValues) {
    this.config = { ...config, hidden: [...config.hidden] };
    const initial = init ?? initMlp({ sizes: sineModelSizes(config) }, Rng.derive(config.seed, 'init'));
    assertParamsMatch(initial, config);
    this.theta = toVariables(initial, `sine_${config.algorithm}`);
    this.optimizer = tf.train.adam(config.metaLr);
    this.taskRng = Rng.derive(config.seed, 'tasks');
  }

  /** One outer step. Returns the meta-loss of this batch (a scalar the caller must dispose). */
  step(): tf.Scalar {
    const cfg = this.config;
    const episodes = sampleSineEpisodes(this.taskRng, cfg.metaBatch, cfg.k, cfg.k);
    const loss = tf.tidy(() => {
      const support = batchTensors(episodes.support);
      const query = batchTensors(episodes.query);
      const objective =
        cfg.algorithm === 'maml'
          ? () => mamlMetaLoss(this.theta, support, query, cfg)
          : () => pretrainLoss(this.theta, support, query);
      const { value, grads } = tf.variableGrads(objective, this.theta);
      this.optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      return value;
    });
    this.steps++;
    return loss;
  }

  get paramSpecs(): ParamSpec[] {
    return mlpParamSpecs({ sizes: sineModelSizes(this.config) });
  }

  /** Reads the meta-parameters synchronously (CLI and tests; the worker reads asynchronously). */
  params(): ParamValues {
    return readParams(this.paramSpecs, this.theta);
  }

  /** The meta-parameters as tensors (owned by the trainer: do not dispose). */
  get variables(): readonly tf.Variable[] {
    return this.theta;
  }

  dispose(): void {
    this.theta.forEach((v) => v.dispose());
    this.optimizer.dispose();
  }
}

export function assertParamsMatch(p: ParamValues, cfg: Pick<SineConfig, 'hidden'>): void {
  const expected = mlpParamSpecs({ sizes: sineModelSizes(cfg) });
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
  const rng = Rng.derive(opts.seed, 'eval');
  const tasks = Array.from({ length: opts.tasks }, () => sampleSineTask(rng));
  const support = sampleSinePoints(rng, tasks, opts.k);
  const query = sampleSinePoints(rng, tasks, opts.queryPoints);
  return tf.tidy(() => {
    const s = batchTensors(support);
    const q = batchTensors(query);
    const mses: tf.Scalar[] = [];
    innerLoop(mlpForward, perTaskMseSum, broadcastToTasks(theta, tasks.length), s.x, s.y, {
      alpha: opts.alpha,
      steps: opts.maxSteps,
      onStep: (_, fast) => mses.push(meanTaskMse(mlpForward(fast, q.x), q.y)),
    });
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
  return tf.tidy(() => {
    const n = supportX.length;
    const x = tf.tensor3d(supportX, [1, n, 1]);
    const y = tf.tensor3d(supportY, [1, n, 1]);
    const g = tf.tensor3d(grid, [1, grid.length, 1]);
    const preds: tf.Tensor[] = [];
    const record = (_: number, fast: readonly tf.Tensor[]) => preds.push(mlpForward(fast, g).reshape([grid.length]));
    if (n === 0) {
      // No support points: nothing to adapt to, every step shows the meta-parameters' prediction.
      const base = broadcastToTasks(theta, 1);
      for (let s = 0; s <= steps; s++) record(s, base);
    } else {
      innerLoop(mlpForward, perTaskMseSum, broadcastToTasks(theta, 1), x, y, { alpha, steps, onStep: record });
    }
    return tf.stack(preds) as tf.Tensor2D;
  });
}

export type { SineTask };
