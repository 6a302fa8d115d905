import * as tf from '@tensorflow/tfjs';

/**
 * Identity in the forward pass, zero gradient in the backward pass: tfjs has no stop_gradient.
 * First-order MAML uses it to treat the inner-loop gradient as a constant.
 */
const cut = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: (inputs[0] as tf.Tensor).clone(),
  gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor),
}));

export function stopGradient<T extends tf.Tensor>(x: T): T {
  return cut(x) as T;
}
