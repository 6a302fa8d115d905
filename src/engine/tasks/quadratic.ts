import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';

/**
 * Random quadratics f(θ) = ‖Wθ − y‖² of Andrychowicz et al. (2016, §3.1): W [D, D] and y [D] with
 * standard normal entries, a new pair per function; the starting point θ₀ is N(0, 0.01²) per
 * coordinate, as in the authors' code, so every function starts near the origin.
 */
export const QUADRATIC_START_STD = 0.01;

/** B functions laid out for batched ops: W [B, D, D], y [B, D] and θ₀ [B, D], row-major. */
export interface QuadraticBatch {
  functions: number;
  dims: number;
  w: Float32Array;
  y: Float32Array;
  theta0: Float32Array;
}

export function sampleQuadratics(rng: Rng, functions: number, dims: number): QuadraticBatch {
  const gaussian = (n: number, std: number) => Float32Array.from({ length: n }, () => std * rng.normal());
  const w = gaussian(functions * dims * dims, 1);
  const y = gaussian(functions * dims, 1);
  const theta0 = gaussian(functions * dims, QUADRATIC_START_STD);
  return { functions, dims, w, y, theta0 };
}

/** The batch as tensors: W [B, D, D], y [B, D, 1] (a column per function, for the batched matMul). */
export interface QuadraticTensors {
  w: tf.Tensor3D;
  y: tf.Tensor3D;
}

export function quadraticTensors(b: QuadraticBatch): QuadraticTensors {
  return { w: tf.tensor3d(b.w, [b.functions, b.dims, b.dims]), y: tf.tensor3d(b.y, [b.functions, b.dims, 1]) };
}

/** Each function's value at its own θ [B, D]: ‖W_b θ_b − y_b‖², shape [B]. Only matMul, sub, square, sum: safe at any order. */
export function quadraticLosses(q: QuadraticTensors, theta: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const residual = tf.sub(tf.matMul(q.w, tf.expandDims(theta, 2)), q.y);
    return tf.sum(tf.square(residual), [1, 2]) as tf.Tensor1D;
  });
}
