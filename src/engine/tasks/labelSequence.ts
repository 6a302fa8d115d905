import type { Rng } from '../core/rng';
import type { EpisodeSampler } from './characters';

/**
 * Santoro et al. (2016)'s episodes for a memory-augmented network: the images of an N-way episode
 * with K instances per class, in random order, as one sequence. Each step shows an image together
 * with the label of the *previous* step's image (one-hot; zeros at the first step), so the network
 * sees the label of image t only at step t + 1 and must predict the label of image t at step t.
 * The label ↦ class assignment is drawn anew for every episode (the sampler picks random classes
 * for labels 0 … N−1), so nothing about a class can be stored in the weights.
 */
export interface LabelSequenceBatch {
  batch: number;
  /** N·K */
  steps: number;
  classes: number;
  /** Pixels per image. */
  pixels: number;
  /** [steps, batch, pixels]: image_t */
  images: Float32Array;
  /** [steps, batch, classes]: one-hot label_{t−1} (zeros at t = 0) */
  previous: Float32Array;
  /** [steps, batch]: the label to predict at each step */
  labels: Int32Array;
  /** [steps, batch]: 1 for the first presentation of the class in the episode, 2 for the second, … */
  instance: Int32Array;
  /** [steps, batch]: the data-set image shown (for the lab's views) */
  imageIds: Int32Array;
}

export function sampleLabelSequences(sampler: EpisodeSampler, rng: Rng, batch: number): LabelSequenceBatch {
  const { nWay, kShot } = sampler.spec;
  const steps = nWay * kShot;
  const pixels = sampler.dataset.imageSize * sampler.dataset.imageSize;
  const out: LabelSequenceBatch = {
    batch,
    steps,
    classes: nWay,
    pixels,
    images: new Float32Array(steps * batch * pixels),
    previous: new Float32Array(steps * batch * nWay),
    labels: new Int32Array(steps * batch),
    instance: new Int32Array(steps * batch),
    imageIds: new Int32Array(steps * batch),
  };
  for (let b = 0; b < batch; b++) {
    const ep = sampler.sample(rng);
    const order = rng.shuffle(Array.from({ length: steps }, (_, i) => i));
    const seen = new Array<number>(nWay).fill(0);
    let previous = -1;
    order.forEach((row, t) => {
      const at = t * batch + b;
      const label = ep.supportLabels[row];
      out.images.set(ep.support.subarray(row * pixels, (row + 1) * pixels), at * pixels);
      if (previous >= 0) out.previous[at * nWay + previous] = 1;
      out.labels[at] = label;
      out.instance[at] = ++seen[label];
      out.imageIds[at] = ep.supportImages[row];
      previous = label;
    });
  }
  return out;
}
