import * as tf from '@tensorflow/tfjs';
import type { ParamSpec, ParamValues } from '../core/params';
import type { Rng } from '../core/rng';

/**
 * A functional ReLU multilayer perceptron: parameters are passed in, never owned, so the
 * inner loop's fast weights are just another list and MAML differentiates through them.
 *
 * Batched over tasks: every parameter carries a leading task axis ([T, in, out] weights,
 * [T, 1, out] biases) and inputs are [T, N, in], so a whole meta-batch is one set of ops.
 */
export interface MlpSpec {
  sizes: number[]; // e.g. [1, 40, 40, 1]
}

export function mlpParamSpecs(spec: MlpSpec): ParamSpec[] {
  const out: ParamSpec[] = [];
  for (let l = 0; l + 1 < spec.sizes.length; l++) {
    out.push({ name: `w${l + 1}`, shape: [spec.sizes[l], spec.sizes[l + 1]] });
    out.push({ name: `b${l + 1}`, shape: [1, spec.sizes[l + 1]] });
  }
  return out;
}

/**
 * Glorot-uniform weights and zero biases, drawn from the seeded RNG. (He init makes the sine
 * net's loss surface so curved that an inner step of α = 0.01 overshoots at the start.)
 */
export function initMlp(spec: MlpSpec, rng: Rng): ParamValues {
  const specs = mlpParamSpecs(spec);
  const values = specs.map((s) => {
    const n = s.shape[0] * s.shape[1];
    const v = new Float32Array(n);
    if (s.name.startsWith('w')) {
      const limit = Math.sqrt(6 / (s.shape[0] + s.shape[1]));
      for (let i = 0; i < n; i++) v[i] = rng.uniform(-limit, limit);
    }
    return v;
  });
  return { specs, values };
}

/** Gives every parameter a leading task axis of size T (a broadcast: gradients sum back over tasks). */
export function broadcastToTasks(params: readonly tf.Tensor[], tasks: number): tf.Tensor[] {
  return params.map((p) => tf.broadcastTo(p.expandDims(0), [tasks, ...p.shape]));
}

/** Forward pass. params: per-task parameters ([T, ...]); x: [T, N, in] → [T, N, out]. */
export function mlpForward(params: readonly tf.Tensor[], x: tf.Tensor3D): tf.Tensor3D {
  let h: tf.Tensor3D = x;
  const layers = params.length / 2;
  for (let l = 0; l < layers; l++) {
    const w = params[2 * l] as tf.Tensor3D;
    const b = params[2 * l + 1] as tf.Tensor3D;
    h = tf.add(tf.matMul(h, w), b) as tf.Tensor3D;
    if (l < layers - 1) h = tf.relu(h);
  }
  return h;
}

/** Mean squared error per task, summed over tasks (so per-task gradients stay separate). */
export function perTaskMseSum(pred: tf.Tensor3D, y: tf.Tensor3D): tf.Scalar {
  return tf.sum(tf.mean(tf.square(tf.sub(pred, y)), [1, 2]));
}

/** Mean over tasks of each task's MSE: the meta-objective. */
export function meanTaskMse(pred: tf.Tensor3D, y: tf.Tensor3D): tf.Scalar {
  return tf.mean(tf.square(tf.sub(pred, y)));
}
