import * as tf from '@tensorflow/tfjs';
import { customOp, detached } from './custom';

/**
 * Elementwise and softmax-family ops, differentiable any number of times.
 *
 * Each nonlinearity keeps the backend's native kernel in the forward pass and differentiates as
 * dy · f'(x), where f'(x) is recomputed from x with these same safe ops (never from the saved
 * output), so f'' , f''' … follow by recursion. The softmax family is composed from safe exp/log
 * with a max shift that is a detached constant: log-sum-exp is exactly invariant to the shift,
 * so ignoring its derivative is exact at every order.
 */

const expOp = customOp(
  (x) => tf.exp(x),
  (dy, [x]) => [tf.mul(dy, exp(x))],
);
/** e^x. */
export function exp<T extends tf.Tensor>(x: T): T {
  return expOp(x) as T;
}

const sigmoidOp = customOp(
  (x) => tf.sigmoid(x),
  (dy, [x]) => {
    const s = sigmoid(x);
    return [tf.mul(dy, tf.mul(s, tf.sub(1, s)))];
  },
);
/** 1 / (1 + e^−x); σ' = σ(1 − σ). */
export function sigmoid<T extends tf.Tensor>(x: T): T {
  return sigmoidOp(x) as T;
}

const tanhOp = customOp(
  (x) => tf.tanh(x),
  (dy, [x]) => [tf.mul(dy, tf.sub(1, tf.square(tanh(x))))],
);
/** tanh x; tanh' = 1 − tanh². */
export function tanh<T extends tf.Tensor>(x: T): T {
  return tanhOp(x) as T;
}

const softplusOp = customOp(
  (x) => tf.softplus(x),
  (dy, [x]) => [tf.mul(dy, sigmoid(x))],
);
/** log(1 + e^x), computed by the backend's stable kernel; softplus' = σ. */
export function softplus<T extends tf.Tensor>(x: T): T {
  return softplusOp(x) as T;
}

function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new RangeError(`axis ${axis} is out of range for a rank-${rank} tensor`);
  return a;
}

/** max over `axis` (kept), as a constant: the shift of the stable log-sum-exp. */
function shiftOf(x: tf.Tensor, axis: number): tf.Tensor {
  return detached((t) => tf.max(t, axis, true))(x);
}

/** log Σ exp(x) over `axis` (default last), stable for large |x|. */
export function logSumExp(x: tf.Tensor, axis = -1, keepDims = false): tf.Tensor {
  const a = normAxis(axis, x.rank);
  const m = shiftOf(x, a);
  const lse = tf.add(m, tf.log(tf.sum(exp(tf.sub(x, m)), a, true)));
  return keepDims ? lse : tf.squeeze(lse, [a]);
}

/** softmax over `axis` (default last). */
export function softmax<T extends tf.Tensor>(x: T, axis = -1): T {
  const a = normAxis(axis, x.rank);
  const e = exp(tf.sub(x, shiftOf(x, a)));
  return tf.div(e, tf.sum(e, a, true)) as T;
}

/** log softmax over `axis` (default last): x − logSumExp(x). */
export function logSoftmax<T extends tf.Tensor>(x: T, axis = -1): T {
  return tf.sub(x, logSumExp(x, axis, true)) as T;
}

/**
 * Softmax cross-entropy of each row: −Σ_c labels·logSoftmax(logits) over the last axis.
 * labels: one-hot or soft targets, same shape as logits. Returns shape logits.shape[:-1]
 * (no reduction, like tf.losses.softmaxCrossEntropy with Reduction.NONE).
 */
export function softmaxCrossEntropy(labels: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  return tf.neg(tf.sum(tf.mul(labels, logSoftmax(logits)), -1));
}

/** Mean over rows of softmaxCrossEntropy: the usual classification loss. */
export function meanSoftmaxCrossEntropy(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.mean(softmaxCrossEntropy(labels, logits));
}

/**
 * Sigmoid binary cross-entropy, elementwise: softplus(x) − x·z, the stable form of
 * −z·log σ(x) − (1−z)·log(1−σ(x)) (like tf.losses.sigmoidCrossEntropy with Reduction.NONE).
 */
export function sigmoidCrossEntropy<T extends tf.Tensor>(labels: T, logits: T): T {
  return tf.sub(softplus(logits), tf.mul(logits, labels)) as T;
}
