import * as tf from '@tensorflow/tfjs';

/**
 * Normalization layers written with mean, subtraction, square, sqrt and division only (all
 * second-order safe in tfjs), instead of tf.batchNorm / tf.moments, whose gradients break
 * inside a nested gradient.
 */

function normalize(x: tf.Tensor, axes: number[], eps: number): tf.Tensor {
  const mean = tf.mean(x, axes, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), axes, true);
  return tf.div(centered, tf.sqrt(tf.add(variance, eps)));
}

/**
 * Transductive batch normalization, as MAML uses it on Omniglot: every channel (last axis) is
 * normalized with the mean and (biased) variance of the current batch over all other axes, in
 * training and at test time alike, then scaled and shifted: scale·(x − μ)/√(σ² + eps) + offset.
 * scale and offset have shape [C]. No running averages are kept.
 */
export function batchNorm<T extends tf.Tensor>(x: T, scale: tf.Tensor, offset: tf.Tensor, eps = 1e-3): T {
  if (x.rank < 2) throw new Error(`batchNorm expects a channels-last tensor of rank ≥ 2, got rank ${x.rank}`);
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  return tf.add(tf.mul(normalize(x, axes, eps), scale), offset) as T;
}

/**
 * Layer normalization over the last axis: each row is normalized by its own mean and (biased)
 * variance, then scaled and shifted per feature (scale, offset: [D]).
 */
export function layerNorm<T extends tf.Tensor>(x: T, scale: tf.Tensor, offset: tf.Tensor, eps = 1e-3): T {
  return tf.add(tf.mul(normalize(x, [x.rank - 1], eps), scale), offset) as T;
}
