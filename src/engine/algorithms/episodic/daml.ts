import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '../../core/params';
import { convNetForward, convNetForwardParts } from '../../models/convNet';
import type { ConvEpisode } from '../../tasks/convEpisodes';
import { innerLoop } from '../innerLoop';
import type { OmniglotConfig } from '../omniglotConfig';
import { adaptOn, byTaskObjective, crossEntropy, episodeBase } from './common';
import type { AdaptRule, EpisodeAlgorithmImpl, TaskObjective } from './types';

/*
 * DAML on episodes. On sine a label-free loss can adapt the model by itself (the demonstration's
 * inputs say which sine it is). On classification it cannot: the labels are a fresh permutation of
 * the classes in every episode, and nothing without labels can say which output is "class 2". So
 * the support labels first fix class identity (the ordinary labelled steps), then `learnedSteps`
 * steps on a learned loss over the unlabeled query images (transductive) refine the model:
 * ψ reads each image's logits and pooled conv features and outputs h, the loss is mean ‖h‖².
 * θ and ψ are meta-learned through both stages (second order).
 */

type DamlSettings = Pick<OmniglotConfig, 'alpha' | 'learnedSteps' | 'learnedAlpha'>;

/** ψ: (ways + width) → adaptHidden → adaptHidden → 1, ReLU between (28×28 images: 4 blocks pool to 1×1, so `width` features). */
export function adaptNetParamSpecs(cfg: Pick<OmniglotConfig, 'ways' | 'width' | 'adaptHidden'>): ParamSpec[] {
  const sizes = [cfg.ways + cfg.width, cfg.adaptHidden, cfg.adaptHidden, 1];
  return sizes.slice(1).flatMap((out, l) => [
    { name: `psi${l + 1}_w`, shape: [sizes[l], out] },
    { name: `psi${l + 1}_b`, shape: [out] },
  ]);
}

/** The learned label-free loss of the conv net θ on images x: mean over images of ‖ψ([logits, features])‖². */
export function learnedInnerLoss(theta: readonly tf.Tensor[], psi: readonly tf.Tensor[], x: tf.Tensor4D): tf.Scalar {
  const { features, out } = convNetForwardParts(theta, x);
  let h = tf.concat([out, features], 1) as tf.Tensor2D;
  const layers = psi.length / 2;
  for (let l = 0; l < layers; l++) {
    h = tf.add(tf.matMul(h, psi[2 * l] as tf.Tensor2D), psi[2 * l + 1]) as tf.Tensor2D;
    if (l < layers - 1) h = tf.relu(h);
  }
  return tf.mean(tf.sum(tf.square(h), 1)) as tf.Scalar;
}

/** θ′ after the labelled support steps, then `learnedSteps` steps on the learned loss of the query images (no query label is read). */
export function damlAdapt(theta: readonly tf.Tensor[], psi: readonly tf.Tensor[], task: Pick<ConvEpisode, 'support'> & { query: { x: tf.Tensor4D } }, cfg: DamlSettings, labelledSteps: number, learnedSteps = cfg.learnedSteps): tf.Tensor[] {
  const labelled = adaptOn(theta, task.support.x, task.support.y, cfg.alpha, labelledSteps);
  const model = (ps: readonly tf.Tensor[], x: tf.Tensor4D) => learnedInnerLoss(ps, psi, x);
  return innerLoop(model, (loss: tf.Scalar) => loss, labelled, task.query.x, task.query.x, { alpha: cfg.learnedAlpha, steps: learnedSteps });
}

/** L_q(θ″), θ″ = labelled support steps then learned-loss steps (params after θ: ψ). */
const damlObjective: TaskObjective = (cfg, params, nTheta, task) => {
  const fast = damlAdapt(params.slice(0, nTheta), params.slice(nTheta), task, cfg, cfg.innerSteps);
  return crossEntropy(convNetForward(fast, task.query.x), task.query.y);
};

const damlRule =
  (learned: boolean): AdaptRule =>
  (m, task, steps) => {
    const fast = damlAdapt(m.theta, m.extra, task, m.cfg, steps, learned ? m.cfg.learnedSteps : 0);
    return (x) => convNetForward(fast, x);
  };

export const DAML: EpisodeAlgorithmImpl = {
  ...episodeBase,
  extraSpecs: (cfg) => adaptNetParamSpecs(cfg),
  ...byTaskObjective(damlObjective),
  adapt: damlRule(true),
  labelledOnly: damlRule(false),
};
