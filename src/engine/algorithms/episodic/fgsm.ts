import * as tf from '@tensorflow/tfjs';
import { meanSoftmaxCrossEntropy } from '../../core/ops/elementwise';
import { convNetForward } from '../../models/convNet';
import type { Forward } from './types';

/**
 * FGSM (Goodfellow et al.), as ADML uses it: x_adv = x + ε·sign(∇ₓ J(θ, x, y)), a constant for the
 * meta-gradient (no derivative flows through sign). Ink stays in [0, 1].
 */
export function fgsm(theta: readonly tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor2D, eps: number): tf.Tensor4D {
  return fgsmOn((xi) => convNetForward(theta, xi), x, y, eps);
}

/** FGSM against any classifier x → logits (e.g. CAML's conv net with its adapted context). */
export function fgsmOn(forward: Forward, x: tf.Tensor4D, y: tf.Tensor2D, eps: number): tf.Tensor4D {
  return tf.tidy(() => {
    const g = tf.grad((xi: tf.Tensor) => meanSoftmaxCrossEntropy(y, forward(xi as tf.Tensor4D)))(x);
    return tf.clipByValue(tf.add(x, tf.mul(tf.sign(g), eps)), 0, 1) as tf.Tensor4D;
  });
}
