import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import type { Episode, EpisodeSampler } from '../tasks/characters';
import { episodeTensors } from '../tasks/convEpisodes';
import { fgsm, fgsmOn } from './episodic/fgsm';
import type { OmniglotTrainer } from './omniglotFamily';

/*
 * What a trained conv net of the family does on one episode, clean and under FGSM attack (ADML's
 * picture, issue #6). The support images are attacked through the meta-parameters θ (the images
 * ADML's inner loop adapts on); the query images through the adapted θ′ (the attack the adapted
 * classifier faces, as in OmniglotTrainer.evaluate).
 */

export interface AdversarialEpisodeView {
  epsilon: number;
  /** FGSM images x + ε·sign(∇ₓJ), clipped to [0, 1], in the episode's layout. */
  supportAdv: Float32Array;
  queryAdv: Float32Array;
  /** The adapted model's predicted label of each query image, clean and attacked. */
  cleanPredictions: Int32Array;
  advPredictions: Int32Array;
  cleanAccuracy: number;
  advAccuracy: number;
  /** DAML: the clean accuracy of the same θ adapted with the labelled steps only. */
  labelledOnlyAccuracy?: number;
}

export function adversarialEpisode(trainer: OmniglotTrainer, episode: Episode, epsilon: number, steps: number): AdversarialEpisodeView {
  const ep = episodeTensors(episode);
  try {
    const withLabelledOnly = trainer.reportsLabelledOnly;
    const [supportAdv, queryAdv, clean, adv, labelledOnly] = tf.tidy(() => {
      // the trainer's own adaptation (Meta-SGD: its α; CAML: the context only; DAML: with its learned steps)
      const forward = trainer.adaptedForward(ep, steps);
      const sAdv = fgsm(trainer.theta, ep.support.x, ep.support.y, epsilon);
      const qAdv = fgsmOn(forward, ep.query.x, ep.query.y, epsilon);
      const predict = (f: (x: tf.Tensor4D) => tf.Tensor2D, x: tf.Tensor4D) => tf.argMax(f(x), 1);
      return [sAdv, qAdv, predict(forward, ep.query.x), predict(forward, qAdv), withLabelledOnly ? predict(trainer.adaptedForward(ep, steps, false), ep.query.x) : tf.zeros([0], 'int32')];
    });
    const out = {
      epsilon,
      supportAdv: supportAdv.dataSync() as Float32Array,
      queryAdv: queryAdv.dataSync() as Float32Array,
      cleanPredictions: Int32Array.from(clean.dataSync()),
      advPredictions: Int32Array.from(adv.dataSync()),
    };
    const labelledPredictions = Int32Array.from(labelledOnly.dataSync());
    tf.dispose([supportAdv, queryAdv, clean, adv, labelledOnly]);
    const accuracy = (pred: Int32Array) => pred.reduce((n, p, i) => n + (p === episode.queryLabels[i] ? 1 : 0), 0) / Math.max(1, pred.length);
    return { ...out, cleanAccuracy: accuracy(out.cleanPredictions), advAccuracy: accuracy(out.advPredictions), ...(withLabelledOnly ? { labelledOnlyAccuracy: accuracy(labelledPredictions) } : {}) };
  } finally {
    tf.dispose([ep.support.x, ep.support.y, ep.query.x, ep.query.y]);
  }
}

/**
 * Mean clean and FGSM query accuracy over `episodes` episodes drawn with a fixed seed (the same
 * episodes each call); DAML also without its learned-loss steps.
 */
export function robustAccuracy(trainer: OmniglotTrainer, sampler: EpisodeSampler, episodes: number, epsilon: number, steps: number, seed: number): { clean: number; adversarial: number; labelledOnly?: number } {
  const rng = Rng.derive(seed, 'robust-accuracy');
  let clean = 0;
  let adversarial = 0;
  let labelledOnly = 0;
  for (let e = 0; e < episodes; e++) {
    const v = adversarialEpisode(trainer, sampler.sample(rng), epsilon, steps);
    clean += v.cleanAccuracy;
    adversarial += v.advAccuracy;
    labelledOnly += v.labelledOnlyAccuracy ?? 0;
  }
  return { clean: clean / episodes, adversarial: adversarial / episodes, ...(trainer.reportsLabelledOnly ? { labelledOnly: labelledOnly / episodes } : {}) };
}
