import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import type { Episode } from './characters';

/*
 * Few-shot episodes as the tensors an image classifier trains on (one task at a time: the conv
 * net's batch norm is per task): images [N, H, W, C] and one-hot labels [N, ways].
 */

/** One few-shot episode for the conv net: images [N, 28, 28, 1] and one-hot labels [N, ways]. */
export interface ConvEpisode {
  support: { x: tf.Tensor4D; y: tf.Tensor2D };
  query: { x: tf.Tensor4D; y: tf.Tensor2D };
}

/** An episode of the character sampler as conv-net tensors (one-hot labels). The caller disposes it (disposeEpisodes). */
export function episodeTensors(e: Episode): ConvEpisode {
  const size = e.imageSize;
  const oneHot = (labels: Int32Array) => tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), e.nWay).toFloat() as tf.Tensor2D);
  return {
    support: { x: tf.tensor4d(e.support, [e.supportLabels.length, size, size, 1]), y: oneHot(e.supportLabels) },
    query: { x: tf.tensor4d(e.query, [e.queryLabels.length, size, size, 1]), y: oneHot(e.queryLabels) },
  };
}

export interface SyntheticEpisodeOptions {
  tasks: number;
  ways: number;
  shots: number;
  /** Query images per class. */
  queries: number;
  inputSize: number;
  inputChannels: number;
}

/**
 * Random few-shot episodes for checks and benchmarks (not real data): each class is a random
 * 28×28 prototype and each image that prototype plus Gaussian noise, so the tasks are learnable
 * and gradients are generic. Labels are one-hot, support first in class order.
 */
export function syntheticConvEpisodes(rng: Rng, o: SyntheticEpisodeOptions): ConvEpisode[] {
  const pixels = o.inputSize * o.inputSize * o.inputChannels;
  const episodes: ConvEpisode[] = [];
  for (let t = 0; t < o.tasks; t++) {
    const protos = Array.from({ length: o.ways }, () => Float32Array.from({ length: pixels }, () => rng.next()));
    const make = (perClass: number) => {
      const n = o.ways * perClass;
      const x = new Float32Array(n * pixels);
      const y = new Float32Array(n * o.ways);
      for (let c = 0; c < o.ways; c++)
        for (let k = 0; k < perClass; k++) {
          const i = c * perClass + k;
          for (let p = 0; p < pixels; p++) x[i * pixels + p] = protos[c][p] + 0.3 * rng.normal();
          y[i * o.ways + c] = 1;
        }
      return {
        x: tf.tensor4d(x, [n, o.inputSize, o.inputSize, o.inputChannels]),
        y: tf.tensor2d(y, [n, o.ways]),
      };
    };
    episodes.push({ support: make(o.shots), query: make(o.queries) });
  }
  return episodes;
}

export function disposeEpisodes(episodes: readonly ConvEpisode[]): void {
  for (const e of episodes) tf.dispose([e.support.x, e.support.y, e.query.x, e.query.y]);
}
