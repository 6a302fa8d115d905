import * as tf from '@tensorflow/tfjs';
import { convNetForward } from '../../models/convNet';
import { adaptOn, byTaskObjective, crossEntropy, episodeBase } from './common';
import type { EpisodeAlgorithmImpl, TaskObjective } from './types';

/**
 * ADML (Yin et al. 2018) on episodes: L(θ′_adv; D_q clean) + L(θ′_clean; D_q adv), where θ′_clean /
 * θ′_adv adapt on the clean / FGSM support images and the adversarial images come from the current θ.
 */
const admlObjective: TaskObjective = (cfg, params, nTheta, task, adv) => {
  if (!adv) throw new Error('ADML needs the adversarial images');
  const theta = params.slice(0, nTheta);
  const clean = adaptOn(theta, task.support.x, task.support.y, cfg.alpha, cfg.innerSteps);
  const robust = adaptOn(theta, adv.support, task.support.y, cfg.alpha, cfg.innerSteps);
  return tf.add(crossEntropy(convNetForward(robust, task.query.x), task.query.y), crossEntropy(convNetForward(clean, adv.query), task.query.y)) as tf.Scalar;
};

export const ADML: EpisodeAlgorithmImpl = { ...episodeBase, ...byTaskObjective(admlObjective, { adversarial: true }) };
