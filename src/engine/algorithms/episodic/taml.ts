import * as tf from '@tensorflow/tfjs';
import { logSoftmax, softmax } from '../../core/ops/elementwise';
import { stopGradient } from '../../core/stopGradient';
import { convNetForward } from '../../models/convNet';
import type { ConvEpisode } from '../../tasks/convEpisodes';
import { inequalityTensor } from '../familyMath';
import type { OmniglotConfig } from '../omniglotConfig';
import type { InequalityMeasure } from '../sineConfig';
import { adaptOn, applyGradients, byTaskObjective, crossEntropy, episodeBase } from './common';
import type { EpisodeAlgorithmImpl, TaskObjective } from './types';

/* Task-agnostic meta-learning (Jamal & Qi 2019) on episodes: entropy reduction and inequality minimisation. */

/** Mean entropy of the predicted class distributions: −(1/N) Σₙ Σ_c p log p (second-order safe ops). */
export function meanPredictionEntropy(logits: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(softmax(logits), logSoftmax(logits)), 1))) as tf.Scalar;
}

/**
 * Entropy reduction: L_q(θ′) + λ[−H(f_θ(x_q)) + H(f_θ′(x_q))], an unbiased (maximum-entropy)
 * initial model that becomes confident after adapting.
 */
const tamlObjective: TaskObjective = (cfg, params, nTheta, task) => {
  const theta = params.slice(0, nTheta);
  const fast = adaptOn(theta, task.support.x, task.support.y, cfg.alpha, cfg.innerSteps);
  const after = convNetForward(fast, task.query.x);
  const entropyTerm = tf.sub(meanPredictionEntropy(after), meanPredictionEntropy(convNetForward(theta, task.query.x)));
  return tf.add(crossEntropy(after, task.query.y), tf.mul(entropyTerm, cfg.tamlLambda)) as tf.Scalar;
};

/**
 * ∂I/∂ℓᵢ of an inequality measure at the task losses ℓ. The inequality term couples the tasks, but
 * its gradient is Σᵢ (∂I/∂ℓᵢ) ∇θ ℓᵢ(θ), so with these numbers as constants each task's gradient can
 * still be taken on its own (one conv-net graph in memory at a time).
 */
export function inequalityCoefficients(losses: readonly number[], measure: InequalityMeasure): number[] {
  return tf.tidy(() => Array.from(inequalityGrad(tf.tensor1d([...losses]), measure).dataSync()));
}

const inequalityGrad = (losses: tf.Tensor1D, measure: InequalityMeasure): tf.Tensor1D => tf.grad((l: tf.Tensor) => inequalityTensor(l as tf.Tensor1D, measure))(losses) as tf.Tensor1D;

/**
 * Inequality-minimisation TAML on episodes: the meta-objective
 *   (1/T) Σᵢ L_q,i(θ′ᵢ) + λ · I({L_s,i(θ)}ᵢ),
 * I over the tasks' support losses at the initial model θ (as in the sine lab), and its gradient
 * wrt θ. Returns the objective's value and gradient; the caller disposes them. One read back per
 * call (the coefficients and I, which are constants of the per-task gradients).
 */
export function tamlInequalityGradient(cfg: Pick<OmniglotConfig, 'alpha' | 'innerSteps' | 'tamlLambda' | 'tamlMeasure'>, theta: readonly tf.Tensor[], tasks: readonly ConvEpisode[]): { loss: tf.Scalar; grads: tf.Tensor[]; inequality: number } {
  const n = tasks.length;
  const read = tf.tidy(() => {
    const initial = tf.stack(tasks.map((t) => crossEntropy(convNetForward(theta, t.support.x), t.support.y))) as tf.Tensor1D;
    return tf.concat([inequalityGrad(initial, cfg.tamlMeasure), tf.reshape(inequalityTensor(initial, cfg.tamlMeasure), [1])]);
  });
  const values = read.dataSync();
  read.dispose();
  const coef = Array.from(values.subarray(0, n));
  const inequality = values[n];
  let querySum: tf.Scalar = tf.scalar(0);
  let gradSum = theta.map((p) => tf.zerosLike(p) as tf.Tensor);
  tasks.forEach((task, i) => {
    const { value, grads } = tf.tidy(() =>
      tf.valueAndGrads((...ps: tf.Tensor[]) => {
        const fast = adaptOn(ps, task.support.x, task.support.y, cfg.alpha, cfg.innerSteps);
        const query = tf.div(crossEntropy(convNetForward(fast, task.query.x), task.query.y), n);
        // λ·cᵢ·ℓᵢ(θ): contributes λ (∂I/∂ℓᵢ) ∇ℓᵢ; its value is left out of the reported loss
        const penalty = tf.mul(crossEntropy(convNetForward(ps, task.support.x), task.support.y), cfg.tamlLambda * coef[i]);
        return tf.add(query, tf.sub(penalty, stopGradient(penalty))) as tf.Scalar;
      })([...theta]),
    );
    const nextSum = tf.add(querySum, value) as tf.Scalar;
    const next = gradSum.map((g, j) => tf.add(g, grads[j]));
    tf.dispose([querySum, value, ...grads, ...gradSum]);
    querySum = nextSum;
    gradSum = next;
  });
  const loss = tf.add(querySum, cfg.tamlLambda * inequality) as tf.Scalar;
  querySum.dispose();
  return { loss, grads: gradSum, inequality };
}

export const TAML: EpisodeAlgorithmImpl = { ...episodeBase, ...byTaskObjective(tamlObjective) };

export const TAML_INEQ: EpisodeAlgorithmImpl = {
  ...episodeBase,
  step: (state, tasks) => {
    const { loss, grads } = tamlInequalityGradient(state.cfg, state.theta, tasks);
    applyGradients(state, state.theta, grads);
    tf.dispose(grads);
    return { loss };
  },
};
