import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '../core/params';
import type { Rng } from '../core/rng';
import { broadcastToTasks, meanTaskMse, mlpForward, mlpParamSpecs, perTaskMseSum } from '../models/mlp';
import { innerLoop } from './innerLoop';
import { flattenPerTask, gradientAgreementWeightsTensor, inequalityTensor, reptileInner, weightedTaskSum } from './familyMath';
import type { SineAlgorithm, SineConfig } from './sineConfig';

/*
 * The gradient-based family on sine regression (issue #6), as one table: for every algorithm,
 * which parameters it meta-learns, how one outer step updates them, and how it adapts to a new
 * task at test time. Every step is batched over the meta-batch (a leading task axis), as MAML's.
 */

export interface XY {
  x: tf.Tensor3D;
  y: tf.Tensor3D;
}

/** A meta-batch as tensors: support and query sets, and DAML's label-free demonstration inputs. */
export interface SineBatch {
  support: XY;
  query: XY;
  /** [T, K, 1] inputs only (DAML); null for the other algorithms. */
  demo: tf.Tensor3D | null;
}

/** What a step works on: the meta-parameters θ, any further meta-learned tensors, and the outer optimizer. */
export interface FamilyState {
  cfg: SineConfig;
  theta: readonly tf.Variable[];
  /** Meta-SGD: α (one tensor per θ tensor); DAML: the adaptation network ψ; else empty. */
  extra: readonly tf.Variable[];
  /** Adam on θ (and extra); null for Reptile, whose outer update is θ ← θ + ε(θ′ − θ). */
  optimizer: tf.Optimizer | null;
}

export interface StepResult {
  /** The reported meta-loss of this batch (see each algorithm). */
  loss: tf.Scalar;
  /** Gradient agreement: the per-task weights wᵢ of this step. */
  weights?: tf.Tensor1D;
}

/** A model after some adaptation steps, as a prediction function (x [T, N, 1] → [T, N, 1]). */
export type Predictor = (x: tf.Tensor3D) => tf.Tensor3D;

export interface AdaptData {
  x: tf.Tensor3D;
  y: tf.Tensor3D;
  /** DAML's demonstration inputs for the same tasks. */
  demo: tf.Tensor3D | null;
}

export interface SineAlgorithmImpl {
  /** Shapes of θ (CAML widens the first layer's input by the context). */
  thetaSpecs(cfg: SineConfig): ParamSpec[];
  extraSpecs(cfg: SineConfig): ParamSpec[];
  initExtra(cfg: SineConfig, rng: Rng): Float32Array[];
  /** Uses an Adam outer optimizer over θ and extra (everything but Reptile). */
  usesOptimizer: boolean;
  needsDemo: boolean;
  step(state: FamilyState, batch: SineBatch): StepResult;
  /**
   * Test-time adaptation from the meta-parameters: onStep(s, predict) after s = 0…steps steps.
   * SGD algorithms take `alpha` steps on the support set; Meta-SGD uses its learned α; CAML adapts
   * only its context (with alpha); DAML minimises its learned loss on the demonstration inputs.
   */
  adapt(theta: readonly tf.Tensor[], extra: readonly tf.Tensor[], cfg: SineConfig, data: AdaptData, steps: number, alpha: number, onStep: (step: number, predict: Predictor) => void): void;
}

const sizes = (cfg: Pick<SineConfig, 'hidden'>, inputs = 1) => [inputs, ...cfg.hidden, 1];
const taskCount = (b: SineBatch) => b.support.x.shape[0];

/** Runs `objective` under the tape for θ (and extra) and applies Adam. */
function adamStep(state: FamilyState, objective: () => tf.Scalar, withExtra: boolean): tf.Scalar {
  const vars = withExtra ? [...state.theta, ...state.extra] : [...state.theta];
  const { value, grads } = tf.variableGrads(objective, vars);
  state.optimizer!.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
  return value;
}

/** Per-task MSE [T] of predictions [T, N, 1]. */
export function perTaskMse(pred: tf.Tensor3D, y: tf.Tensor3D): tf.Tensor1D {
  return tf.mean(tf.square(tf.sub(pred, y)), [1, 2]) as tf.Tensor1D;
}

// ---------------------------------------------------------------- MAML, first-order MAML, TAML

/**
 * MAML meta-loss for a meta-batch: mean over tasks of the query MSE after `innerSteps` steps of
 * gradient descent from θ on the support set. Differentiating it wrt θ gives the meta-gradient.
 */
export function mamlMetaLoss(
  theta: readonly tf.Tensor[],
  support: XY,
  query: XY,
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
export function pretrainLoss(theta: readonly tf.Tensor[], support: XY, query: XY): tf.Scalar {
  const x = tf.concat([support.x, query.x], 1) as tf.Tensor3D;
  const y = tf.concat([support.y, query.y], 1) as tf.Tensor3D;
  return meanTaskMse(mlpForward(broadcastToTasks(theta, x.shape[0]), x), y);
}

/**
 * Inequality-minimisation TAML (Jamal & Qi 2019): MAML's meta-loss plus λ times the inequality of
 * the tasks' losses at the initial model θ (support sets), so θ favours no task:
 *   L = (1/T) Σᵢ L_query,i(θ′ᵢ) + λ · I({L_support,i(θ)}ᵢ).
 * Returns both the objective and its MAML part.
 */
export function tamlMetaLoss(
  theta: readonly tf.Tensor[],
  support: XY,
  query: XY,
  opts: { alpha: number; innerSteps: number; firstOrder: boolean; tamlLambda: number; tamlMeasure: SineConfig['tamlMeasure'] },
): { objective: tf.Scalar; maml: tf.Scalar } {
  const maml = mamlMetaLoss(theta, support, query, opts);
  const initial = perTaskMse(mlpForward(broadcastToTasks(theta, support.x.shape[0]), support.x), support.y);
  return { objective: tf.add(maml, tf.mul(inequalityTensor(initial, opts.tamlMeasure), opts.tamlLambda)) as tf.Scalar, maml };
}

const sgdAdapt: SineAlgorithmImpl['adapt'] = (theta, _extra, _cfg, data, steps, alpha, onStep) => {
  innerLoop(mlpForward, perTaskMseSum, broadcastToTasks(theta, data.x.shape[0]), data.x, data.y, {
    alpha,
    steps,
    onStep: (s, fast) => onStep(s, (x) => mlpForward(fast, x)),
  });
};

const mlpBase = {
  thetaSpecs: (cfg: SineConfig) => mlpParamSpecs({ sizes: sizes(cfg) }),
  extraSpecs: () => [],
  initExtra: () => [],
  usesOptimizer: true,
  needsDemo: false,
  adapt: sgdAdapt,
};

function mamlStep(state: FamilyState, b: SineBatch, firstOrder: boolean): StepResult {
  const cfg = state.cfg;
  return { loss: adamStep(state, () => mamlMetaLoss(state.theta, b.support, b.query, { ...cfg, firstOrder }), false) };
}

// ---------------------------------------------------------------- gradient agreement on MAML

/**
 * MAML with gradient agreement: each task's own meta-gradient gᵢ = ∇θ L_query,i(θ′ᵢ) (the gradient
 * wrt task i's slice of the task-broadcast θ), then θ ← Adam(Σᵢ wᵢ gᵢ) with the agreement weights.
 */
function mamlGaStep(state: FamilyState, b: SineBatch): StepResult {
  const cfg = state.cfg;
  const tasks = taskCount(b);
  const tiled = broadcastToTasks(state.theta, tasks);
  const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => {
    const fast = innerLoop(mlpForward, perTaskMseSum, ps, b.support.x, b.support.y, { alpha: cfg.alpha, steps: cfg.innerSteps, firstOrder: cfg.firstOrder });
    return perTaskMseSum(mlpForward(fast, b.query.x), b.query.y);
  })(tiled);
  const weights = gradientAgreementWeightsTensor(flattenPerTask(grads));
  state.optimizer!.applyGradients(state.theta.map((v, i) => ({ name: v.name, tensor: weightedTaskSum(grads[i], weights) })));
  return { loss: tf.div(value, tasks) as tf.Scalar, weights };
}

// ---------------------------------------------------------------- Reptile (and with gradient agreement)

/**
 * Reptile (Nichol, Achiam & Schulman 2018). k inner steps of SGD or Adam on each task (alternating
 * support and query minibatches) give θ′ᵢ; then θ ← θ + ε (θ′ᵢ − θ):
 *   batched: θ ← θ + ε (1/T) Σᵢ (θ′ᵢ − θ)      (with gradient agreement: θ ← θ − ε Σᵢ wᵢ (θ − θ′ᵢ))
 *   serial:  the same update after each task in turn, each task starting from the θ left by the previous one.
 * Reported loss: the mean task MSE (support ∪ query) at θ′ᵢ.
 */
function reptileStep(state: FamilyState, b: SineBatch, agreement: boolean): StepResult {
  const cfg = state.cfg;
  const inner = { alpha: cfg.alpha, steps: cfg.innerSteps, optimizer: cfg.innerOptimizer };
  const tasks = taskCount(b);
  if (cfg.reptileMode === 'serial' && !agreement) {
    const losses: tf.Scalar[] = [];
    for (let t = 0; t < tasks; t++) {
      const one = (xy: XY): XY => ({ x: xy.x.slice([t, 0, 0], [1, -1, -1]), y: xy.y.slice([t, 0, 0], [1, -1, -1]) });
      const s = one(b.support);
      const q = one(b.query);
      const fast = reptileInner(mlpForward, perTaskMseSum, broadcastToTasks(state.theta, 1), [s, q], inner);
      losses.push(taskDataLoss(fast, s, q));
      state.theta.forEach((v, i) => v.assign(tf.add(v, tf.mul(tf.sub(fast[i].squeeze([0]), v), cfg.epsilon))));
    }
    return { loss: tf.mean(tf.stack(losses)) as tf.Scalar };
  }
  const base = broadcastToTasks(state.theta, tasks);
  const fast = reptileInner(mlpForward, perTaskMseSum, base, [b.support, b.query], inner);
  const diffs = fast.map((f, i) => tf.sub(base[i], f)); // gᵢ = θ − θ′ᵢ, per task
  let weights: tf.Tensor1D | undefined;
  let update: tf.Tensor[];
  if (agreement) {
    const w = gradientAgreementWeightsTensor(flattenPerTask(diffs));
    weights = w;
    update = diffs.map((d) => weightedTaskSum(d, w));
  } else {
    update = diffs.map((d) => tf.mean(d, 0));
  }
  const loss = taskDataLoss(fast, b.support, b.query);
  state.theta.forEach((v, i) => v.assign(tf.sub(v, tf.mul(update[i], cfg.epsilon))));
  return { loss, weights };
}

function taskDataLoss(fast: readonly tf.Tensor[], s: XY, q: XY): tf.Scalar {
  const x = tf.concat([s.x, q.x], 1) as tf.Tensor3D;
  const y = tf.concat([s.y, q.y], 1) as tf.Tensor3D;
  return meanTaskMse(mlpForward(fast, x), y);
}

// ---------------------------------------------------------------- Meta-SGD

/**
 * Meta-SGD (Li et al. 2017): θ′ᵢ = θ − α ∘ ∇L_support,i(θ) with α a learned tensor per θ tensor.
 * Both θ and α get the true gradient of the query loss: for α that is
 *   ∂L_query(θ′)/∂α = −∇L_query(θ′) ∘ ∇L_support(θ)  (one step), not θ's meta-gradient.
 */
function metaSgdLoss(theta: readonly tf.Tensor[], alpha: readonly tf.Tensor[], b: SineBatch, steps: number): tf.Scalar {
  const fast = innerLoop(mlpForward, perTaskMseSum, broadcastToTasks(theta, taskCount(b)), b.support.x, b.support.y, { alpha, steps });
  return meanTaskMse(mlpForward(fast, b.query.x), b.query.y);
}

// ---------------------------------------------------------------- CAML

/** CAML's model: the context φ [T, 1, c] is concatenated to every input x [T, N, 1]. */
export function camlForward(theta: readonly tf.Tensor[], phi: tf.Tensor, x: tf.Tensor3D): tf.Tensor3D {
  const [t, n] = x.shape;
  const c = phi.shape[2]!;
  return mlpForward(theta, tf.concat([x, tf.broadcastTo(phi, [t, n, c])], 2) as tf.Tensor3D);
}

/**
 * CAML (Zintgraf et al. 2019): per task, context parameters φ start at 0 and take the inner steps
 * φ′ᵢ = φ − α_ctx ∇φ L_support,i(θ, φ); θ is shared and meta-learned through φ′ (second order).
 */
export function camlContexts(theta: readonly tf.Tensor[], cfg: Pick<SineConfig, 'contextSize'>, data: XY, steps: number, alpha: number, onStep?: (s: number, phi: tf.Tensor) => void): tf.Tensor {
  const tasks = data.x.shape[0];
  const thetaB = broadcastToTasks(theta, tasks);
  const phi0 = tf.zeros([tasks, 1, cfg.contextSize]);
  const fast = innerLoop((ps, x: tf.Tensor3D) => camlForward(thetaB, ps[0], x), perTaskMseSum, [phi0], data.x, data.y, {
    alpha,
    steps,
    onStep: onStep ? (s, f) => onStep(s, f[0]) : undefined,
  });
  return fast[0];
}

// ---------------------------------------------------------------- DAML-style learned inner loss

/** The MLP's output and its hidden activations (after ReLU), first layer first. */
export function mlpForwardWithHidden(params: readonly tf.Tensor[], x: tf.Tensor3D): { out: tf.Tensor3D; hidden: tf.Tensor3D[] } {
  let h: tf.Tensor3D = x;
  const hidden: tf.Tensor3D[] = [];
  const layers = params.length / 2;
  for (let l = 0; l < layers; l++) {
    h = tf.add(tf.matMul(h, params[2 * l] as tf.Tensor3D), params[2 * l + 1]) as tf.Tensor3D;
    if (l < layers - 1) {
      h = tf.relu(h);
      hidden.push(h);
    }
  }
  return { out: h, hidden };
}

/**
 * DAML-style learned loss (after Yu et al. 2018): the adaptation network ψ reads the model's output
 * and hidden activations on label-free demonstration inputs and produces hᵢ; the inner loss is
 * Σ_tasks mean ‖hᵢ‖². No label enters it.
 */
function learnedLoss(psiB: readonly tf.Tensor[]) {
  return {
    model: (ps: readonly tf.Tensor[], x: tf.Tensor3D) => {
      const { out, hidden } = mlpForwardWithHidden(ps, x);
      return mlpForward(psiB, tf.concat([out, ...hidden.slice().reverse()], 2) as tf.Tensor3D);
    },
    loss: (h: tf.Tensor3D) => tf.sum(tf.mean(tf.square(h), [1, 2])) as tf.Scalar,
  };
}

function damlAdapted(theta: readonly tf.Tensor[], psi: readonly tf.Tensor[], demo: tf.Tensor3D, steps: number, alpha: number, onStep?: (s: number, fast: readonly tf.Tensor[]) => void): tf.Tensor[] {
  const tasks = demo.shape[0];
  const { model, loss } = learnedLoss(broadcastToTasks(psi, tasks));
  return innerLoop(model, loss, broadcastToTasks(theta, tasks), demo, demo, { alpha, steps, onStep });
}

const adaptNetSizes = (cfg: SineConfig) => [1 + cfg.hidden.reduce((a, b) => a + b, 0), cfg.adaptHidden, cfg.adaptHidden, 1];

function glorot(specs: ParamSpec[], rng: Rng): Float32Array[] {
  return specs.map((s) => {
    const v = new Float32Array(s.shape[0] * s.shape[1]);
    if (s.name.includes('w')) {
      const limit = Math.sqrt(6 / (s.shape[0] + s.shape[1]));
      for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-limit, limit);
    }
    return v;
  });
}

// ---------------------------------------------------------------- the table

export const SINE_FAMILY: Record<SineAlgorithm, SineAlgorithmImpl> = {
  maml: { ...mlpBase, step: (st, b) => mamlStep(st, b, st.cfg.firstOrder) },
  fomaml: { ...mlpBase, step: (st, b) => mamlStep(st, b, true) },
  pretrain: { ...mlpBase, step: (st, b) => ({ loss: adamStep(st, () => pretrainLoss(st.theta, b.support, b.query), false) }) },
  taml: {
    ...mlpBase,
    step: (st, b) => {
      // Report the MAML part (comparable with MAML's curve); the objective adds λ·I.
      const kept: { maml?: tf.Scalar } = {};
      adamStep(
        st,
        () => {
          const r = tamlMetaLoss(st.theta, b.support, b.query, st.cfg);
          kept.maml = tf.keep(r.maml);
          return r.objective;
        },
        false,
      ).dispose();
      return { loss: kept.maml! };
    },
  },
  'maml-ga': { ...mlpBase, step: mamlGaStep },
  reptile: { ...mlpBase, usesOptimizer: false, step: (st, b) => reptileStep(st, b, false) },
  'reptile-ga': { ...mlpBase, usesOptimizer: false, step: (st, b) => reptileStep(st, b, true) },
  metasgd: {
    ...mlpBase,
    extraSpecs: (cfg) => mlpParamSpecs({ sizes: sizes(cfg) }).map((s) => ({ name: `alpha_${s.name}`, shape: s.shape })),
    initExtra: (cfg, rng) =>
      mlpParamSpecs({ sizes: sizes(cfg) }).map((s) => Float32Array.from({ length: s.shape[0] * s.shape[1] }, () => rng.uniform(cfg.metaSgdInit[0], cfg.metaSgdInit[1]))),
    step: (st, b) => ({ loss: adamStep(st, () => metaSgdLoss(st.theta, st.extra, b, st.cfg.innerSteps), true) }),
    adapt: (theta, extra, _cfg, data, steps, _alpha, onStep) => {
      innerLoop(mlpForward, perTaskMseSum, broadcastToTasks(theta, data.x.shape[0]), data.x, data.y, {
        alpha: extra,
        steps,
        onStep: (s, fast) => onStep(s, (x) => mlpForward(fast, x)),
      });
    },
  },
  caml: {
    ...mlpBase,
    thetaSpecs: (cfg) => mlpParamSpecs({ sizes: sizes(cfg, 1 + cfg.contextSize) }),
    step: (st, b) => ({
      loss: adamStep(
        st,
        () => {
          const phi = camlContexts(st.theta, st.cfg, b.support, st.cfg.innerSteps, st.cfg.contextAlpha);
          const thetaB = broadcastToTasks(st.theta, taskCount(b));
          return meanTaskMse(camlForward(thetaB, phi, b.query.x), b.query.y);
        },
        false,
      ),
    }),
    adapt: (theta, _extra, cfg, data, steps, alpha, onStep) => {
      const thetaB = broadcastToTasks(theta, data.x.shape[0]);
      camlContexts(theta, cfg, data, steps, alpha, (s, phi) => onStep(s, (x) => camlForward(thetaB, phi, x)));
    },
  },
  daml: {
    ...mlpBase,
    needsDemo: true,
    extraSpecs: (cfg) => mlpParamSpecs({ sizes: adaptNetSizes(cfg) }).map((s) => ({ name: `psi_${s.name}`, shape: s.shape })),
    initExtra: (cfg, rng) => glorot(mlpParamSpecs({ sizes: adaptNetSizes(cfg) }), rng),
    step: (st, b) => ({
      loss: adamStep(
        st,
        () => {
          const fast = damlAdapted(st.theta, st.extra, b.demo!, st.cfg.innerSteps, st.cfg.alpha);
          return meanTaskMse(mlpForward(fast, b.query.x), b.query.y);
        },
        true,
      ),
    }),
    adapt: (theta, extra, _cfg, data, steps, alpha, onStep) => {
      if (!data.demo) throw new Error('DAML adapts on demonstration inputs: none were given');
      damlAdapted(theta, extra, data.demo, steps, alpha, (s, fast) => onStep(s, (x) => mlpForward(fast, x)));
    },
  },
};
