import * as tf from '@tensorflow/tfjs';
import type { InequalityMeasure } from './sineConfig';

export { gradientAgreementWeights, inequality } from './agreement';
import type { BatchedModel, TaskSummedLoss } from './innerLoop';

/*
 * Model-agnostic pieces of the gradient-based family (issue #6) as differentiable tensors
 * (training); the plain-number forms live in the tfjs-free `agreement.ts` (tests, the
 * parameter-space lab) and are re-exported here.
 */

// ---------------------------------------------------------------- gradient agreement

/** As gradientAgreementWeights, for per-task gradients flattened to the rows of g [T, P]. */
export function gradientAgreementWeightsTensor(g: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const gram = tf.matMul(g, g, false, true); // [T, T]: gᵢᵀgⱼ
    const sums = tf.sum(gram, 1); // Σⱼ gᵢᵀgⱼ
    return tf.div(sums, tf.add(tf.sum(tf.abs(sums)), 1e-30)) as tf.Tensor1D;
  });
}

/** Flattens per-task gradients (each [T, ...]) into one [T, P] matrix. */
export function flattenPerTask(grads: readonly tf.Tensor[]): tf.Tensor2D {
  const tasks = grads[0].shape[0];
  return tf.concat(grads.map((g) => g.reshape([tasks, -1])), 1) as tf.Tensor2D;
}

/** Σᵢ wᵢ gᵢ for a per-task gradient g [T, ...] and weights w [T]. */
export function weightedTaskSum(g: tf.Tensor, w: tf.Tensor1D): tf.Tensor {
  const shape = [g.shape[0], ...g.shape.slice(1).map(() => 1)];
  return tf.sum(tf.mul(g, w.reshape(shape)), 0);
}

// ---------------------------------------------------------------- inequality measures (TAML)

/** The differentiable version of `inequality` for a [M] tensor of positive losses. */
export function inequalityTensor(losses: tf.Tensor1D, measure: InequalityMeasure): tf.Scalar {
  return tf.tidy(() => {
    const m = losses.shape[0];
    const l = tf.add(losses, 1e-12); // losses are MSEs: positive; the offset only guards ln(0)
    const mean = tf.mean(l);
    switch (measure) {
      case 'theil': {
        const r = tf.div(l, mean);
        return tf.mean(tf.mul(r, tf.log(r))) as tf.Scalar;
      }
      case 'gini': {
        const diff = tf.abs(tf.sub(l.reshape([m, 1]), l.reshape([1, m])));
        return tf.div(tf.sum(diff), tf.mul(mean, 2 * m * m)) as tf.Scalar;
      }
      case 'varlog': {
        const logs = tf.log(l);
        return tf.mean(tf.square(tf.sub(logs, tf.mean(logs)))) as tf.Scalar;
      }
    }
  });
}

// ---------------------------------------------------------------- Reptile's inner loop

export interface ReptileInnerOptions {
  alpha: number;
  steps: number;
  optimizer: 'sgd' | 'adam';
  /** Adam's β₁ (Nichol et al. use 0 in the inner loop), β₂ and ε. */
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/**
 * k inner steps on each task, all tasks at once (parameters with a leading task axis). Step s uses
 * the minibatch batches[(s − 1) mod n], so consecutive steps see different data as in Nichol et al.
 * (g₁ on one minibatch, g₂ on the next). Adam's moments start at zero for every call: reset per task.
 * Nothing here is differentiated (Reptile needs no meta-gradient).
 */
export function reptileInner<X extends tf.Tensor, Y extends tf.Tensor, P extends tf.Tensor>(
  model: BatchedModel<X, P>,
  loss: TaskSummedLoss<P, Y>,
  params: readonly tf.Tensor[],
  batches: readonly { x: X; y: Y }[],
  opts: ReptileInnerOptions,
): tf.Tensor[] {
  let fast = [...params];
  const b1 = opts.beta1 ?? 0;
  const b2 = opts.beta2 ?? 0.999;
  const eps = opts.eps ?? 1e-8;
  let m = opts.optimizer === 'adam' ? fast.map((p) => tf.zerosLike(p)) : [];
  let v = opts.optimizer === 'adam' ? fast.map((p) => tf.zerosLike(p)) : [];
  for (let s = 1; s <= opts.steps; s++) {
    const { x, y } = batches[(s - 1) % batches.length];
    const grads = tf.grads((...ps: tf.Tensor[]) => loss(model(ps, x), y))(fast);
    if (opts.optimizer === 'sgd') {
      fast = fast.map((p, i) => tf.sub(p, tf.mul(grads[i], opts.alpha)));
    } else {
      m = m.map((mi, i) => tf.add(tf.mul(mi, b1), tf.mul(grads[i], 1 - b1)));
      v = v.map((vi, i) => tf.add(tf.mul(vi, b2), tf.mul(tf.square(grads[i]), 1 - b2)));
      const c1 = 1 - b1 ** s;
      const c2 = 1 - b2 ** s;
      fast = fast.map((p, i) => tf.sub(p, tf.mul(tf.div(tf.div(m[i], c1), tf.add(tf.sqrt(tf.div(v[i], c2)), eps)), opts.alpha)));
    }
  }
  return fast;
}
