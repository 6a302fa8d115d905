import type { MetricBaseline, MetricClassification } from '../../engine/algorithms/metric/types';
import type { Episode } from '../../engine/tasks/characters';

/**
 * The untrained baselines of the arena and of draw-your-own, on raw images in plain arrays:
 * nearest neighbour on pixels, and Lake et al.'s modified Hausdorff distance (Dubuisson & Jain
 * 1994) between the ink point sets. A nearest-neighbour rule has no probabilities: the nearest
 * class gets 1, and the reason is each class's distance (its nearest shot).
 */
export const BASELINES: readonly MetricBaseline[] = ['pixel-nn', 'mhd'];

/** Ink above this value counts as a point of the character (images are ink 1 on 0). */
export const INK_THRESHOLD = 0.5;

export function pixelDistance(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, px: number): number {
  let s = 0;
  for (let i = 0; i < px; i++) {
    const d = a[ao + i] - b[bo + i];
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Ink pixel coordinates [x0, y0, x1, y1, …] of one size×size image. */
export function inkPoints(img: ArrayLike<number>, offset: number, size: number): Float64Array {
  const pts: number[] = [];
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (img[offset + y * size + x] > INK_THRESHOLD) pts.push(x, y);
  return Float64Array.from(pts);
}

/** Mean over a ∈ A of the distance to the nearest b ∈ B. */
function meanNearest(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i += 2) {
    let best = Infinity;
    for (let j = 0; j < b.length; j += 2) {
      const d = (a[i] - b[j]) ** 2 + (a[i + 1] - b[j + 1]) ** 2;
      if (d < best) best = d;
    }
    total += Math.sqrt(best);
  }
  return total / (a.length / 2);
}

/** Modified Hausdorff distance max(mean_a min_b ‖a−b‖, mean_b min_a ‖a−b‖); Infinity if a set is empty. */
export function modifiedHausdorff(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return Infinity;
  return Math.max(meanNearest(a, b), meanNearest(b, a));
}

/** Classifies an episode's queries with a baseline; `distances` are [Q, ways] class distances. */
export function classifyBaselineEpisode(method: MetricBaseline, ep: Episode): MetricClassification {
  const size = ep.imageSize;
  const px = size * size;
  const ways = ep.nWay;
  const S = ep.supportLabels.length;
  const Q = ep.queryLabels.length;
  const supportPts = method === 'mhd' ? Array.from({ length: S }, (_, s) => inkPoints(ep.support, s * px, size)) : [];
  const distances = new Float32Array(Q * ways).fill(Infinity);
  const probs = new Float32Array(Q * ways);
  const predicted = new Int32Array(Q);
  for (let q = 0; q < Q; q++) {
    const qPts = method === 'mhd' ? inkPoints(ep.query, q * px, size) : null;
    for (let s = 0; s < S; s++) {
      const d = method === 'mhd' ? modifiedHausdorff(qPts!, supportPts[s]) : pixelDistance(ep.query, q * px, ep.support, s * px, px);
      const c = ep.supportLabels[s];
      if (d < distances[q * ways + c]) distances[q * ways + c] = d;
    }
    let best = 0;
    for (let c = 1; c < ways; c++) if (distances[q * ways + c] < distances[q * ways + best]) best = c;
    predicted[q] = best;
    probs[q * ways + best] = 1;
  }
  return { method, ways, queries: Q, probs, predicted, distances, shapes: { distances: [Q, ways] } };
}
