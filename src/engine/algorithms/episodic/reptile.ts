import * as tf from '@tensorflow/tfjs';
import { convNetForward } from '../../models/convNet';
import type { ConvEpisode } from '../../tasks/convEpisodes';
import { reptileInner } from '../familyMath';
import { crossEntropy, episodeBase } from './common';
import { agreementCombine } from './maml';
import type { EpisodeAlgorithmImpl, EpisodeState, EpisodeStepResult } from './types';

/**
 * Reptile on episodes: k SGD steps alternating the support and query images, θ ← θ + ε·mean(θ′ − θ);
 * with gradient agreement θ ← θ − ε Σᵢ wᵢ (θ − θ′ᵢ), the weights from the differences gᵢ = θ − θ′ᵢ.
 * No meta-gradient and no outer optimizer.
 */
function reptileStep(state: EpisodeState, tasks: readonly ConvEpisode[], agreement: boolean): EpisodeStepResult {
  const { cfg, theta } = state;
  let weights: tf.Tensor1D | undefined;
  const loss = tf.tidy(() => {
    const diffs: tf.Tensor[][] = [];
    let lossSum: tf.Tensor = tf.scalar(0);
    for (const task of tasks) {
      const fast = reptileInner(convNetForward, crossEntropy, theta, [task.support, task.query], { alpha: cfg.alpha, steps: cfg.innerSteps, optimizer: 'sgd' });
      diffs.push(fast.map((f, i) => tf.sub(theta[i], f)));
      lossSum = tf.add(lossSum, crossEntropy(convNetForward(fast, task.query.x), task.query.y));
    }
    let update: tf.Tensor[];
    if (agreement) {
      const combined = agreementCombine(diffs);
      weights = tf.keep(combined.weights);
      update = combined.combined;
    } else update = theta.map((_, i) => tf.div(tf.addN(diffs.map((d) => d[i])), tasks.length));
    theta.forEach((v, i) => v.assign(tf.sub(v, tf.mul(update[i], cfg.epsilon))));
    return tf.div(lossSum, tasks.length) as tf.Scalar;
  });
  return { loss, weights };
}

export const REPTILE: EpisodeAlgorithmImpl = { ...episodeBase, usesOptimizer: false, step: (state, tasks) => reptileStep(state, tasks, false) };
export const REPTILE_GA: EpisodeAlgorithmImpl = { ...episodeBase, usesOptimizer: false, step: (state, tasks) => reptileStep(state, tasks, true) };
