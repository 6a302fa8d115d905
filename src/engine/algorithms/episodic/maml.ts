import * as tf from '@tensorflow/tfjs';
import { convMamlMetaGradient } from '../convMaml';
import { flattenPerTask, gradientAgreementWeightsTensor, weightedTaskSum } from '../familyMath';
import { applyGradients, episodeBase } from './common';
import type { EpisodeAlgorithmImpl } from './types';

/* MAML and first-order MAML on episodes, and MAML with gradient agreement. */

/**
 * Gradient agreement (Eshratifar et al.) over per-task gradients gᵢ (one list of tensors per task,
 * same order as θ): the weights wᵢ = Σⱼ gᵢᵀgⱼ / Σₖ|Σⱼ gₖᵀgⱼ| and the update Σᵢ wᵢ gᵢ. The caller disposes both.
 */
export function agreementCombine(perTask: readonly (readonly tf.Tensor[])[]): { weights: tf.Tensor1D; combined: tf.Tensor[] } {
  return tf.tidy(() => {
    const stacked = perTask[0].map((_, i) => tf.stack(perTask.map((g) => g[i]))); // each [T, ...]
    const weights = gradientAgreementWeightsTensor(flattenPerTask(stacked));
    return { weights, combined: stacked.map((g) => weightedTaskSum(g, weights)) };
  });
}

const mamlStep =
  (firstOrder: boolean): EpisodeAlgorithmImpl['step'] =>
  (state, tasks) => {
    const { loss, grads } = convMamlMetaGradient(state.theta, tasks, { alpha: state.cfg.alpha, innerSteps: state.cfg.innerSteps, firstOrder });
    applyGradients(state, state.theta, grads);
    tf.dispose(grads);
    return { loss };
  };

export const MAML: EpisodeAlgorithmImpl = { ...episodeBase, step: mamlStep(false) };
export const FOMAML: EpisodeAlgorithmImpl = { ...episodeBase, step: mamlStep(true) };

/** MAML's per-task meta-gradients, one task at a time, combined with the agreement weights. */
export const MAML_GA: EpisodeAlgorithmImpl = {
  ...episodeBase,
  step: (state, tasks) => {
    const perTask = tasks.map((task) => convMamlMetaGradient(state.theta, [task], { alpha: state.cfg.alpha, innerSteps: state.cfg.innerSteps }));
    const { weights, combined } = agreementCombine(perTask.map((r) => r.grads));
    applyGradients(state, state.theta, combined);
    const loss = tf.tidy(() => tf.div(tf.addN(perTask.map((r) => r.loss)), tasks.length) as tf.Scalar);
    tf.dispose([...combined, ...perTask.flatMap((r) => [r.loss, ...r.grads])]);
    return { loss, weights };
  },
};
