import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../core/stopGradient';

/**
 * A functional model over task-batched parameters: (params, x [T,N,in]) → prediction [T,N,out].
 * The input and prediction types are parameters so that models of other shapes (e.g. the conv
 * net, one task at a time: x [N,H,W,C] → logits [N,classes]) reuse the same inner loop.
 */
export type BatchedModel<X extends tf.Tensor = tf.Tensor3D, P extends tf.Tensor = tf.Tensor3D> = (params: readonly tf.Tensor[], x: X) => P;
/** A loss summed over tasks, so that its gradient wrt task-batched parameters is each task's own gradient. */
export type TaskSummedLoss<P extends tf.Tensor = tf.Tensor3D, Y extends tf.Tensor = tf.Tensor3D> = (pred: P, y: Y) => tf.Scalar;

export interface InnerLoopOptions {
  /** The step size: one number, or one tensor per parameter (Meta-SGD's learned α, broadcast over tasks). */
  alpha: number | readonly tf.Tensor[];
  steps: number;
  /** Treat each inner gradient as a constant (first-order MAML). */
  firstOrder?: boolean;
  /** Called with the fast weights after each step (0 = before adapting), e.g. to record predictions. */
  onStep?: (step: number, fast: readonly tf.Tensor[]) => void;
}

/**
 * Gradient descent on each task's support loss, all tasks at once: θ'ᵢ = θᵢ − α ∇L_support,i(θᵢ)
 * (with per-parameter α tensors: θ'ᵢ = θᵢ − α ∘ ∇L_support,i(θᵢ), Meta-SGD).
 * Called inside tf.variableGrads the steps stay on the tape, so the outer gradient is the true
 * second-order MAML meta-gradient; with firstOrder the inner gradients are cut from the tape.
 */
export function innerLoop<X extends tf.Tensor = tf.Tensor3D, Y extends tf.Tensor = tf.Tensor3D, P extends tf.Tensor = tf.Tensor3D>(
  model: BatchedModel<X, P>,
  loss: TaskSummedLoss<P, Y>,
  params: readonly tf.Tensor[],
  x: X,
  y: Y,
  opts: InnerLoopOptions,
): tf.Tensor[] {
  let fast = [...params];
  opts.onStep?.(0, fast);
  for (let s = 1; s <= opts.steps; s++) {
    const grads = tf.grads((...ps: tf.Tensor[]) => loss(model(ps, x), y))(fast);
    fast = fast.map((p, i) => tf.sub(p, tf.mul(opts.firstOrder ? stopGradient(grads[i]) : grads[i], typeof opts.alpha === 'number' ? opts.alpha : opts.alpha[i])));
    opts.onStep?.(s, fast);
  }
  return fast;
}
