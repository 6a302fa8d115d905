import * as tf from '@tensorflow/tfjs';
import type { Episode, EpisodeSpec } from '../../tasks/characters';
import type { MetricConfig, MetricEpisode } from './types';

/**
 * Character episodes (plain arrays from the EpisodeSampler) → MetricEpisode tensors.
 *
 * Semi-supervised episodes are drawn as one bigger episode and split here: the sampler draws
 * ways + distractorClasses classes with shots + unlabeledPerClass "support" images each. Of the
 * first `ways` classes the first `shots` images are labelled support and the rest unlabeled; the
 * distractor classes give only unlabeled images; queries come from the first `ways` classes only.
 */
export interface SemiLayout {
  /** Labelled classes and shots of the episode (the rest is unlabeled). */
  ways: number;
  shots: number;
}

/** The sampler spec a method's training episodes need (semi-protonet: the enlarged draw). */
export function drawSpec(cfg: Pick<MetricConfig, 'method' | 'unlabeledPerClass' | 'distractorClasses'>, ways: number, shots: number, queries: number): EpisodeSpec {
  if (cfg.method === 'semi-protonet') return { nWay: ways + cfg.distractorClasses, kShot: shots + cfg.unlabeledPerClass, qQuery: queries };
  return { nWay: ways, kShot: shots, qQuery: queries };
}

function images(data: Float32Array, rows: number[], size: number): tf.Tensor4D {
  const px = size * size;
  const out = new Float32Array(rows.length * px);
  rows.forEach((r, i) => out.set(data.subarray(r * px, (r + 1) * px), i * px));
  return tf.tensor4d(out, [rows.length, size, size, 1]);
}

/**
 * Tensors of an episode. Without `semi` every support image is labelled. With `semi` (the layout
 * of the labelled part) the episode is split as described above; the caller disposes with
 * disposeMetricEpisode.
 */
export function toMetricEpisode(ep: Episode, semi?: SemiLayout): MetricEpisode {
  const size = ep.imageSize;
  if (!semi || (semi.ways === ep.nWay && semi.shots === ep.kShot)) {
    return {
      ways: ep.nWay,
      shots: ep.kShot,
      support: tf.tensor4d(ep.support, [ep.supportLabels.length, size, size, 1]),
      supportLabels: Int32Array.from(ep.supportLabels),
      query: tf.tensor4d(ep.query, [ep.queryLabels.length, size, size, 1]),
      queryLabels: Int32Array.from(ep.queryLabels),
    };
  }
  if (semi.ways > ep.nWay || semi.shots > ep.kShot) throw new Error(`a ${semi.ways}-way ${semi.shots}-shot split needs a bigger episode than ${ep.nWay}-way ${ep.kShot}-shot`);
  const support: number[] = [];
  const unlabeled: number[] = [];
  const truth: number[] = [];
  for (let c = 0; c < ep.nWay; c++)
    for (let k = 0; k < ep.kShot; k++) {
      const row = c * ep.kShot + k;
      if (c < semi.ways && k < semi.shots) support.push(row);
      else {
        unlabeled.push(row);
        truth.push(c < semi.ways ? c : -1);
      }
    }
  const query: number[] = [];
  ep.queryLabels.forEach((l, i) => {
    if (l < semi.ways) query.push(i);
  });
  return {
    ways: semi.ways,
    shots: semi.shots,
    support: images(ep.support, support, size),
    supportLabels: Int32Array.from(support, (r) => ep.supportLabels[r]),
    query: images(ep.query, query, size),
    queryLabels: Int32Array.from(query, (r) => ep.queryLabels[r]),
    unlabeled: unlabeled.length > 0 ? images(ep.support, unlabeled, size) : undefined,
    unlabeledTruth: unlabeled.length > 0 ? Int32Array.from(truth) : undefined,
  };
}

export function disposeMetricEpisode(ep: MetricEpisode): void {
  tf.dispose([ep.support, ep.query, ...(ep.unlabeled ? [ep.unlabeled] : [])]);
}
