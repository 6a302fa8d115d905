import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import type { ParamSpec, ParamValues } from '../../core/params';
import { detached, sigmoid, tanh, type LstmState } from '../../core/ops';
import type { Preprocessing } from './config';
import type { UpdateRule } from './trajectory';

/**
 * The coordinatewise LSTM optimiser of Andrychowicz et al. (2016): one small two-layer LSTM whose
 * weights every coordinate shares, run on each coordinate separately with its own state. All B
 * functions × D coordinates are the rows of one batch ([B·D, features] in, [B·D, 1] out), so a
 * step is a handful of matMuls whatever the number of coordinates.
 *
 *   x = preprocess(g)          per coordinate: 2 features (log-sign) or 1 (raw)
 *   (h¹, c¹) = LSTM₁(x, h¹, c¹),   (h², c²) = LSTM₂(h¹, h², c²)      H units each
 *   Δ = outputScale · (h² · w + b)
 */
export interface LstmOptimizerShape {
  preprocess: Preprocessing;
  hidden: number;
  outputScale: number;
  /** p of the log-sign preprocessing. */
  preprocessP: number;
}

const inputFeatures = (p: Preprocessing): number => (p === 'log-sign' ? 2 : 1);

/** Parameter names and shapes, in the order of the tensor list. */
export function lstmOptimizerSpecs(s: Pick<LstmOptimizerShape, 'preprocess' | 'hidden'>): ParamSpec[] {
  const h = s.hidden;
  return [
    { name: 'lstm1/kernel', shape: [inputFeatures(s.preprocess) + h, 4 * h] },
    { name: 'lstm1/bias', shape: [4 * h] },
    { name: 'lstm2/kernel', shape: [2 * h, 4 * h] },
    { name: 'lstm2/bias', shape: [4 * h] },
    { name: 'out/kernel', shape: [h, 1] },
    { name: 'out/bias', shape: [1] },
  ];
}

/**
 * Kernels uniform in ±1/√fan-in, gate biases 0 except the forget gate's 1 (so the cells start by
 * remembering), and a small output layer (±0.1/√H) so the first updates are small steps.
 */
export function initLstmOptimizer(rng: Rng, s: Pick<LstmOptimizerShape, 'preprocess' | 'hidden'>): ParamValues {
  const specs = lstmOptimizerSpecs(s);
  const h = s.hidden;
  const uniform = (n: number, r: number) => Float32Array.from({ length: n }, () => rng.uniform(-r, r));
  const gateBias = () => Float32Array.from({ length: 4 * h }, (_, i) => (i >= h && i < 2 * h ? 1 : 0));
  const values = [
    uniform(specs[0].shape[0] * 4 * h, 1 / Math.sqrt(specs[0].shape[0])),
    gateBias(),
    uniform(2 * h * 4 * h, 1 / Math.sqrt(2 * h)),
    gateBias(),
    uniform(h, 0.1 / Math.sqrt(h)),
    new Float32Array(1),
  ];
  return { specs, values };
}

/**
 * The inputs of the LSTM from gradient entries g [N, 1], as column blocks [N, 1] each. log-sign (the paper's appendix A):
 *   (log|g| / p, sign g)   if |g| ≥ e^−p
 *   (−1, e^p · g)          otherwise
 * so gradients of any scale give inputs of order one; raw: g itself. Which branch applies is a
 * constant mask (`detached`), and the log is taken of 1 where it is not used, so no infinity or
 * NaN enters even the branch that is thrown away. Differentiable at any order (abs, log, sign).
 */
export function preprocessGradient(g: tf.Tensor2D, mode: Preprocessing, p: number): tf.Tensor2D[] {
  if (mode === 'raw') return [g];
  const big = detached((x) => tf.cast(tf.greaterEqual(tf.abs(x), Math.exp(-p)), 'float32'))(g);
  const small = tf.sub(1, big);
  const logMagnitude = tf.div(tf.log(tf.add(tf.mul(tf.abs(g), big), small)), p);
  const magnitude = tf.sub(logMagnitude, small);
  const direction = tf.add(tf.mul(tf.sign(g), big), tf.mul(tf.mul(g, Math.exp(p)), small));
  return [magnitude, direction] as tf.Tensor2D[];
}

/**
 * `lstmCell` (core/ops/lstm.ts) with the same parameters and gate order (i | f | g | o), for inputs
 * given as column blocks [x₁, x₂, …] (their concatenation is the cell's input x). Each gate is a sum
 * of matMuls of the blocks and h with row and column blocks of the kernel, so nothing of [rows, ·]
 * is concatenated or split: tfjs's CPU SplitV (a split's forward, a concat's gradient) copies a
 * column block element by element and took over half of a meta-training step with B·D = 1280 rows,
 * while slicing the small [I + H, 4H] kernel costs nothing. The tests check it equals lstmCell.
 */
export function rowLstmCell(inputs: readonly tf.Tensor2D[], state: LstmState, kernel: tf.Tensor2D, bias: tf.Tensor1D): LstmState {
  const hidden = state.h.shape[1];
  const blocks = [...inputs, state.h];
  const gate = (k: number) => {
    let row = 0;
    let z: tf.Tensor = tf.slice(bias, [k * hidden], [hidden]);
    for (const b of blocks) {
      z = tf.add(z, tf.matMul(b, tf.slice(kernel, [row, k * hidden], [b.shape[1], hidden])));
      row += b.shape[1];
    }
    if (row !== kernel.shape[0]) throw new Error(`rowLstmCell: kernel has ${kernel.shape[0]} rows for inputs and state of ${row}`);
    return z;
  };
  const c = tf.add(tf.mul(sigmoid(gate(1)), state.c), tf.mul(sigmoid(gate(0)), tanh(gate(2)))) as tf.Tensor2D;
  const h = tf.mul(sigmoid(gate(3)), tanh(c)) as tf.Tensor2D;
  return { h, c };
}

/**
 * The LSTM optimiser as an update rule over parameter tensors (variables while meta-training, any
 * tensors in a test). State: [h¹, c¹, h², c²], each [B·D, H], zero at the start of a run.
 */
export function lstmOptimizerRule(params: readonly tf.Tensor[], s: LstmOptimizerShape): UpdateRule {
  const [k1, b1, k2, b2, wOut, bOut] = params as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
  return {
    init: (theta0) => {
      const rows = theta0.shape[0] * theta0.shape[1];
      return Array.from({ length: 4 }, () => tf.zeros([rows, s.hidden]));
    },
    step: (g, state) => {
      const [b, d] = g.shape;
      const x = preprocessGradient(tf.reshape(g, [b * d, 1]), s.preprocess, s.preprocessP);
      const [h1, c1, h2, c2] = state as tf.Tensor2D[];
      const first = rowLstmCell(x, { h: h1, c: c1 }, k1, b1);
      const second = rowLstmCell([first.h], { h: h2, c: c2 }, k2, b2);
      const out = tf.add(tf.matMul(second.h, wOut), bOut);
      return { delta: tf.reshape(tf.mul(out, s.outputScale), [b, d]), state: [first.h, first.c, second.h, second.c] };
    },
  };
}
