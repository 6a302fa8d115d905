import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '../../core/params';
import { Rng } from '../../core/rng';
import { sigmoid } from '../../core/ops/elementwise';
import { convNetForward } from '../../models/convNet';
import type { ConvEpisode } from '../../tasks/convEpisodes';
import type { OmniglotConfig } from '../omniglotConfig';
import { applyGradients, crossEntropy } from './common';
import type { EpisodeAlgorithmImpl, EpisodeModel, Forward, GateMeans } from './types';

/*
 * The meta-learner LSTM (Ravi & Larochelle 2017) on episodes. The conv net's parameters are the
 * cell state of an LSTM that runs T steps on the support set:
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ (−∇_t),
 *   i_t = σ(W_I·[∇̃_t, L̃_t, θ_{t−1}, i_{t−1}] + b_I)   (a learned learning rate per coordinate),
 *   f_t = σ(W_F·[∇̃_t, L̃_t, θ_{t−1}, f_{t−1}] + b_F)   (a learned shrinkage),
 * with θ_{t−1} = c_{t−1}, ∇_t and L_t the support gradient and loss at θ_{t−1}, and ∇̃, L̃ their
 * preprocessing (Andrychowicz et al. 2016). W and b are shared by every coordinate (each keeps its
 * own previous gates); c_0 is learned: it is θ, the trainer's conv net (a learned initialisation).
 * The paper puts a one-layer LSTM in front of the gates; this entry implements the gate equations
 * alone, as issue #13 specifies.
 *
 * Gradient independence (the paper's assumption): ∇_t and L_t are inputs, not functions of the
 * meta-parameters, so no second derivative of the conv net is ever taken. The step uses that to
 * run in two passes: the trajectory off the tape (each ∇_t computed once, plain first-order
 * gradients), then the same LSTM updates replayed on the tape with those inputs as constants,
 * and the query loss of c_T differentiated wrt W_I, b_I, W_F, b_F and c_0. (A single taped pass
 * with stopGradient on ∇_t gives the same gradient but pushes zeros back through every inner
 * conv-net backward pass.)
 *
 * Batch norm: the conv net normalises with each batch's statistics, at meta-test time too
 * (transductive), as the paper does.
 *
 * Batched: the meta-batch's tasks are rows of one [tasks, coordinates] cell state, so each LSTM
 * update of every coordinate of every task is one set of tensor ops. Only the conv net's own
 * gradients run one task at a time (its batch norm is per task, see convMaml.ts).
 */

/** The preprocessing exponent p of Andrychowicz et al. (and Ravi & Larochelle). */
const PREPROCESS_P = 10;
/** The forget gate's initial bias: σ(5) ≈ 0.993, so the learner starts by (nearly) keeping its parameters. */
const FORGET_BIAS_INIT = 5;
/** The gate weights start uniform in ±this: small, so the biases set the initial gates. */
const GATE_WEIGHT_INIT = 0.01;
/** Gate inputs per coordinate: the preprocessed gradient (2), the preprocessed loss (2), θ_{t−1}, the previous gate. */
const GATE_INPUTS = 6;

/** W_I, b_I, W_F, b_F (names are the checkpoint's). */
export function metaLstmParamSpecs(): ParamSpec[] {
  return [
    { name: 'lstm_input_w', shape: [GATE_INPUTS] },
    { name: 'lstm_input_b', shape: [1] },
    { name: 'lstm_forget_w', shape: [GATE_INPUTS] },
    { name: 'lstm_forget_b', shape: [1] },
  ];
}

/** Small random gate weights; b_I = logit α so i starts at the inner rate α, b_F so f starts near 1. */
function initGates(cfg: Pick<OmniglotConfig, 'seed' | 'alpha'>): Float32Array[] {
  const rng = Rng.derive(cfg.seed, 'init-meta-lstm');
  const weights = () => Float32Array.from({ length: GATE_INPUTS }, () => rng.uniform(-GATE_WEIGHT_INIT, GATE_WEIGHT_INIT));
  // A gate is a sigmoid: a rate outside (0, 1) starts at the nearest one it can reach.
  const rate = Math.min(Math.max(cfg.alpha, 1e-6), 1 - 1e-6);
  return [weights(), Float32Array.of(Math.log(rate / (1 - rate))), weights(), Float32Array.of(FORGET_BIAS_INIT)];
}

/**
 * The preprocessing of Andrychowicz et al. (appendix A), elementwise, as a new last axis of 2:
 * (log|x| / p, sign x) when |x| ≥ e^−p, else (−1, e^p·x). Scales that span many orders of magnitude
 * become inputs of order one, and the sign is kept apart from the size.
 */
export function preprocess(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const floor = Math.exp(-PREPROCESS_P);
    const abs = tf.abs(x);
    const big = tf.greaterEqual(abs, floor);
    const size = tf.where(big, tf.div(tf.log(tf.maximum(abs, floor)), PREPROCESS_P), tf.neg(tf.onesLike(x)));
    const direction = tf.where(big, tf.sign(x), tf.mul(x, Math.exp(PREPROCESS_P)));
    return tf.stack([size, direction], -1);
  });
}

/** The LSTM's state: rows are tasks, columns the conv net's coordinates. */
export interface LstmState {
  /** The cell state: each task's conv-net parameters, flattened [tasks, P]. */
  c: tf.Tensor2D;
  /** The previous input and forget gates [tasks, P] (zero before the first step). */
  i: tf.Tensor2D;
  f: tf.Tensor2D;
}

/** What one step reads from the conv net at θ_{t−1}: constants of the meta-gradient (gradient independence). A type, not an interface, so tf.tidy may return it. */
export type StepInput = {
  /** ∇_t [tasks, P]. */
  grad: tf.Tensor2D;
  /** Its preprocessing [tasks, P, 2]. */
  gradFeatures: tf.Tensor3D;
  /** The preprocessed support loss L_t [tasks, 2]. */
  lossFeatures: tf.Tensor2D;
};

const flatten = (params: readonly tf.Tensor[]): tf.Tensor1D => tf.concat(params.map((p) => tf.reshape(p, [-1]))) as tf.Tensor1D;

/**
 * Task k's row of the cell state as conv-net tensors shaped like θ. (A slice, not tf.unstack:
 * tfjs's Unpack gradient fails when there is a single row, a meta-batch of one.)
 */
const unflatten = (c: tf.Tensor2D, k: number, like: readonly tf.Tensor[]): tf.Tensor[] =>
  tf.split(tf.reshape(tf.slice(c, [k, 0], [1, -1]), [-1]), like.map((p) => p.size)).map((p, j) => tf.reshape(p, like[j].shape));

/** c_0 = θ for every task, no previous gates. */
function initialState(theta: readonly tf.Tensor[], tasks: number): LstmState {
  const c0 = flatten(theta);
  const c = tf.tile(tf.reshape(c0, [1, -1]), [tasks, 1]) as tf.Tensor2D;
  return { c, i: tf.zerosLike(c), f: tf.zerosLike(c) };
}

/** σ(W·[∇̃, L̃, θ, previous gate] + b) for every coordinate of every task: two small matMuls and elementwise ops. */
function gate(w: tf.Tensor, b: tf.Tensor, input: StepInput, theta: tf.Tensor2D, previous: tf.Tensor2D): tf.Tensor2D {
  const [tasks, coords] = theta.shape;
  const fromGrad = tf.reshape(tf.matMul(tf.reshape(input.gradFeatures, [tasks * coords, 2]), tf.reshape(tf.slice(w, [0], [2]), [2, 1])), [tasks, coords]);
  const fromLoss = tf.matMul(input.lossFeatures, tf.reshape(tf.slice(w, [2], [2]), [2, 1])); // [tasks, 1], the same for all coordinates
  const fromState = tf.add(tf.mul(theta, tf.slice(w, [4], [1])), tf.mul(previous, tf.slice(w, [5], [1])));
  return sigmoid(tf.add(tf.add(tf.add(fromGrad, fromLoss), fromState), b)) as tf.Tensor2D;
}

/** One LSTM update of every task's conv net: c_t = f_t ⊙ c_{t−1} − i_t ⊙ ∇_t. `gates` are W_I, b_I, W_F, b_F. */
export function lstmStep(gates: readonly tf.Tensor[], s: LstmState, input: StepInput): LstmState {
  const [wI, bI, wF, bF] = gates;
  const i = gate(wI, bI, input, s.c, s.i);
  const f = gate(wF, bF, input, s.c, s.f);
  return { c: tf.sub(tf.mul(f, s.c), tf.mul(i, input.grad)) as tf.Tensor2D, i, f };
}

/** The support loss and gradient of each task's conv net at the current cell state (call off any gradient tape). */
function observe(theta: readonly tf.Tensor[], s: LstmState, tasks: readonly ConvEpisode[]): StepInput {
  const perTask = tasks.map((task, k) => tf.valueAndGrads((...ps: tf.Tensor[]) => crossEntropy(convNetForward(ps, task.support.x), task.support.y))(unflatten(s.c, k, theta)));
  const grad = tf.stack(perTask.map((r) => flatten(r.grads))) as tf.Tensor2D;
  const loss = tf.stack(perTask.map((r) => r.value));
  return { grad, gradFeatures: preprocess(grad) as tf.Tensor3D, lossFeatures: preprocess(loss) as tf.Tensor2D };
}

/**
 * The T-step trajectory on the tasks' support sets, from c_0 = θ: each step's inputs (for the
 * replay) and the state after it. Call inside tf.tidy and off any gradient tape.
 */
export function lstmTrajectory(theta: readonly tf.Tensor[], gates: readonly tf.Tensor[], tasks: readonly ConvEpisode[], steps: number): { inputs: StepInput[]; states: LstmState[]; final: LstmState } {
  let s = initialState(theta, tasks.length);
  const inputs: StepInput[] = [];
  const states: LstmState[] = [];
  for (let t = 0; t < steps; t++) {
    const input = observe(theta, s, tasks);
    s = lstmStep(gates, s, input);
    inputs.push(input);
    states.push(s);
  }
  return { inputs, states, final: s };
}

/** The same updates from c_0 = θ with recorded inputs: differentiable wrt θ (= c_0) and the gates, ∇_t and L_t held constant. */
export function lstmReplay(theta: readonly tf.Tensor[], gates: readonly tf.Tensor[], inputs: readonly StepInput[], tasks: number): LstmState {
  let s = initialState(theta, tasks);
  for (const input of inputs) s = lstmStep(gates, s, input);
  return s;
}

/** The meta-loss: the mean over tasks of the query cross-entropy of c_T, replayed from the recorded inputs. */
export function metaLstmQueryLoss(theta: readonly tf.Tensor[], gates: readonly tf.Tensor[], inputs: readonly StepInput[], tasks: readonly ConvEpisode[]): tf.Scalar {
  const { c } = lstmReplay(theta, gates, inputs, tasks.length);
  const losses = tasks.map((task, k) => crossEntropy(convNetForward(unflatten(c, k, theta), task.query.x), task.query.y));
  return tf.mean(tf.stack(losses)) as tf.Scalar;
}

const disposeInputs = (inputs: readonly StepInput[]) => tf.dispose(inputs.flatMap((x) => [x.grad, x.gradFeatures, x.lossFeatures]));

/** Test-time adaptation: the T LSTM updates on the support set from c_0 = θ; the conv net of c_T and the states it passed. */
function lstmAdapt(m: EpisodeModel, task: ConvEpisode, steps: number): { forward: Forward; states: LstmState[] } {
  const { states, final } = lstmTrajectory(m.theta, m.extra, [task], steps);
  const fast = unflatten(final.c, 0, m.theta);
  return { forward: (x) => convNetForward(fast, x), states };
}

/** lstmAdapt, and the mean input and forget gate of each step (one read-back). */
function adaptWithGates(m: EpisodeModel, task: ConvEpisode, steps: number): { forward: Forward; gates: GateMeans } {
  const { forward, states } = lstmAdapt(m, task, steps);
  const means = states.length > 0 ? Array.from(tf.stack(states.flatMap((s) => [tf.mean(s.i), tf.mean(s.f)])).dataSync()) : [];
  return { forward, gates: { input: means.filter((_, k) => k % 2 === 0), forget: means.filter((_, k) => k % 2 === 1) } };
}

export const META_LSTM: EpisodeAlgorithmImpl = {
  extraSpecs: () => metaLstmParamSpecs(),
  initExtra: (cfg) => initGates(cfg),
  usesOptimizer: true,
  // Trajectory off the tape, then one taped replay of the whole meta-batch and one Adam step on c_0 and the gates.
  step: (state, tasks) => {
    const { cfg, theta, extra } = state;
    const inputs = tf.tidy(() => lstmTrajectory(theta, extra, tasks, cfg.innerSteps).inputs);
    const vars = [...theta, ...extra];
    const { value, grads } = tf.tidy(() => tf.valueAndGrads((...ps: tf.Tensor[]) => metaLstmQueryLoss(ps.slice(0, theta.length), ps.slice(theta.length), inputs, tasks))(vars));
    applyGradients(state, vars, grads);
    tf.dispose(grads);
    disposeInputs(inputs);
    return { loss: value };
  },
  adapt: (m, task, steps) => lstmAdapt(m, task, steps).forward,
  adaptWithGates,
};
