import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { quadraticLosses, quadraticTensors, sampleQuadratics, type QuadraticBatch } from '../../tasks/quadratic';

/**
 * A batch of functions to minimise, each over its own flat parameter vector: θ is [B, D], row b
 * the parameters of function b. An optimiser sees only `losses` and their gradients, so the same
 * update rules run on quadratics and on networks (whose θ rows are unflattened into layers).
 */
export interface Optimisee {
  functions: number;
  dims: number;
  /** The starting point of each function, [B, D] (owned by the optimisee). */
  theta0: tf.Tensor2D;
  /** Each function's value at its own row of θ, [B]. */
  losses(theta: tf.Tensor2D): tf.Tensor1D;
  /** The same functions and starting points `times` over, [times·B] rows in blocks of B (one block per tried rate). */
  repeated(times: number): Optimisee;
  dispose(): void;
}

/** Draws a batch of B functions of a family from a seeded stream. */
export type OptimiseeSampler = (rng: Rng, functions: number) => Optimisee;

/**
 * Each function's gradient at its own row: the gradient of the summed losses, since function b
 * depends on row b only. Inside a tape the gradient's own ops are recorded, so a meta-gradient
 * can differentiate through it (second order) or cut it with stopGradient (the paper).
 */
export function optimiseeValueAndGrad(o: Optimisee, theta: tf.Tensor2D): { value: tf.Scalar; grad: tf.Tensor2D } {
  const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(o.losses(t as tf.Tensor2D)) as tf.Scalar)(theta);
  return { value, grad: grad as tf.Tensor2D };
}

export function optimiseeGrad(o: Optimisee, theta: tf.Tensor2D): tf.Tensor2D {
  return tf.grad((t: tf.Tensor) => tf.sum(o.losses(t as tf.Tensor2D)))(theta) as tf.Tensor2D;
}

function quadraticFrom(batch: QuadraticBatch): Optimisee {
  const q = quadraticTensors(batch);
  const theta0 = tf.tensor2d(batch.theta0, [batch.functions, batch.dims]);
  return {
    functions: batch.functions,
    dims: batch.dims,
    theta0,
    losses: (theta) => quadraticLosses(q, theta),
    repeated: (times) => quadraticFrom(tileQuadratics(batch, times)),
    dispose: () => tf.dispose([q.w, q.y, theta0]),
  };
}

function tileQuadratics(b: QuadraticBatch, times: number): QuadraticBatch {
  const tile = (a: Float32Array) => {
    const out = new Float32Array(a.length * times);
    for (let r = 0; r < times; r++) out.set(a, r * a.length);
    return out;
  };
  return { functions: b.functions * times, dims: b.dims, w: tile(b.w), y: tile(b.y), theta0: tile(b.theta0) };
}

/** Random D-dimensional quadratics ‖Wθ − y‖² (tasks/quadratic.ts). */
export const quadraticSampler =
  (dims: number): OptimiseeSampler =>
  (rng, functions) =>
    quadraticFrom(sampleQuadratics(rng, functions, dims));
