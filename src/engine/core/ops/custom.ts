import * as tf from '@tensorflow/tfjs';

/**
 * Building blocks of the second-order-safe ops.
 *
 * tfjs records an op's saved tensors (its inputs/outputs kept for the backward pass) *off* the
 * tape, so a gradient function that reads a saved output (exp, sigmoid, tanh, softmax, …) treats
 * it as a constant at the next order, and many gradient functions call kernels that have no
 * gradient at all (Equal, Conv2DBackpropFilter, MaxPoolGrad, …). The ops in this folder instead
 * use `tf.customGrad`: the forward pass may call any native kernel (the tape is off inside it),
 * and the backward pass is written only with ops that are themselves safe, so the gradient of
 * the gradient is again a taped, differentiable computation, to any order.
 */

/**
 * An op with a hand-written gradient. `forward` runs untaped (any kernel is fine there);
 * `backward(dy, inputs)` gets the saved inputs and must return one gradient per input, built from
 * safe ops only, recomputing what it needs from the inputs rather than reading the forward's output.
 */
export function customOp<T extends tf.Tensor>(
  forward: (...xs: tf.Tensor[]) => T,
  backward: (dy: T, xs: tf.Tensor[]) => tf.Tensor[],
): (...xs: tf.Tensor[]) => T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    // customGrad passes the inputs followed by a `save` function.
    const xs = args.slice(0, -1) as tf.Tensor[];
    // The inputs may be intermediates that a tidy disposes before the backward pass, so they are
    // saved: tfjs keeps a copy through an Identity node taped right after the inputs' own ops, so
    // the copies stay connected to the graph at the next order. (A saved *output* would not be:
    // its Identity node is taped before the op that makes it. Hence: never reuse the output.)
    (args[args.length - 1] as tf.GradSaveFunc)(xs);
    return { value: forward(...xs), gradFunc: (dy: T, saved: tf.Tensor[]) => backward(dy, saved) };
  });
  return (...xs: tf.Tensor[]) => op(...xs) as T;
}

/**
 * `fn(x)` treated as a constant by every order of differentiation: one tape node whose gradient
 * is a fresh zero tensor (no inputs, so it never joins a higher-order graph). Unlike
 * `stopGradient(fn(x))`, the ops of `fn` are never taped, so e.g. a max (whose stock gradient
 * uses Equal, which has no gradient) cannot break a second derivative.
 */
export function detached<T extends tf.Tensor>(fn: (x: tf.Tensor) => T): (x: tf.Tensor) => T {
  return customOp<T>(
    (x) => fn(x),
    (_dy, [x]) => [tf.zeros(x.shape)],
  );
}
