import * as tf from '@tensorflow/tfjs';
import { meanSoftmaxCrossEntropy } from '../core/ops/elementwise';
import { Rng } from '../core/rng';
import { convNetForward } from '../models/convNet';
import type { Episode, EpisodeSampler } from '../tasks/characters';
import { innerLoop } from './innerLoop';
import { episodeTensors, fgsm, type OmniglotTrainer } from './omniglotFamily';

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
}

/** Adapts with the trainer's own rule (SGD with α; Meta-SGD: its learned α) on the clean support images. */
function adapted(trainer: OmniglotTrainer, x: tf.Tensor4D, y: tf.Tensor2D, steps: number): tf.Tensor[] {
  const alpha = trainer.config.algorithm === 'metasgd' ? trainer.extra : trainer.config.alpha;
  return innerLoop(convNetForward, (logits: tf.Tensor2D, labels: tf.Tensor2D) => meanSoftmaxCrossEntropy(labels, logits), trainer.theta, x, y, { alpha, steps });
}

export function adversarialEpisode(trainer: OmniglotTrainer, episode: Episode, epsilon: number, steps: number): AdversarialEpisodeView {
  const ep = episodeTensors(episode);
  try {
    const [supportAdv, queryAdv, clean, adv] = tf.tidy(() => {
      const fast = adapted(trainer, ep.support.x, ep.support.y, steps);
      const sAdv = fgsm(trainer.theta, ep.support.x, ep.support.y, epsilon);
      const qAdv = fgsm(fast, ep.query.x, ep.query.y, epsilon);
      const predict = (x: tf.Tensor4D) => tf.argMax(convNetForward(fast, x), 1);
      return [sAdv, qAdv, predict(ep.query.x), predict(qAdv)];
    });
    const out = {
      epsilon,
      supportAdv: supportAdv.dataSync() as Float32Array,
      queryAdv: queryAdv.dataSync() as Float32Array,
      cleanPredictions: Int32Array.from(clean.dataSync()),
      advPredictions: Int32Array.from(adv.dataSync()),
    };
    tf.dispose([supportAdv, queryAdv, clean, adv]);
    const accuracy = (pred: Int32Array) => pred.reduce((n, p, i) => n + (p === episode.queryLabels[i] ? 1 : 0), 0) / Math.max(1, pred.length);
    return { ...out, cleanAccuracy: accuracy(out.cleanPredictions), advAccuracy: accuracy(out.advPredictions) };
  } finally {
    tf.dispose([ep.support.x, ep.support.y, ep.query.x, ep.query.y]);
  }
}

/** Mean clean and FGSM query accuracy over `episodes` episodes drawn with a fixed seed (the same episodes each call). */
export function robustAccuracy(trainer: OmniglotTrainer, sampler: EpisodeSampler, episodes: number, epsilon: number, steps: number, seed: number): { clean: number; adversarial: number } {
  const rng = Rng.derive(seed, 'robust-accuracy');
  let clean = 0;
  let adversarial = 0;
  for (let e = 0; e < episodes; e++) {
    const v = adversarialEpisode(trainer, sampler.sample(rng), epsilon, steps);
    clean += v.cleanAccuracy;
    adversarial += v.advAccuracy;
  }
  return { clean: clean / episodes, adversarial: adversarial / episodes };
}
