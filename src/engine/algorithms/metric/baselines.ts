import type { Episode } from '../../tasks/characters';
import type { MetricBaseline, MetricClassification } from './types';

/**
 * Training-free baselines on raw images (Lake et al. 2015 report both):
 * - pixel-nn: Euclidean distance between the images' pixel vectors;
 * - mhd: Modified Hausdorff Distance (Dubuisson & Jain 1994) between the ink point sets of the
 *   images thresholded at ½: MHD(A, B) = max(d(A, B), d(B, A)), d(A, B) = (1/|A|) Σ_a min_b ‖a − b‖.
 * A query's distance to a class is the distance to its nearest support image; probabilities are
 * softmax(−distance) (a display convention: the baselines only rank classes).
 */

export const INK_THRESHOLD = 0.5;

/** Pixel coordinates [x0, y0, x1, y1, …] of the pixels with ink > threshold. */
export function inkPoints(img: Float32Array, size: number, threshold = INK_THRESHOLD): Float32Array {
  const pts: number[] = [];
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) if (img[i * size + j] > threshold) pts.push(j, i);
  return Float32Array.from(pts);
}

/** Mean over points of A of the distance to the nearest point of B. */
function directed(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 2) {
    let best = Infinity;
    for (let j = 0; j < b.length; j += 2) {
      const dx = a[i] - b[j];
      const dy = a[i + 1] - b[j + 1];
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
    sum += Math.sqrt(best);
  }
  return sum / (a.length / 2);
}

/** MHD of two point sets; an empty set (a blank image) is at the largest possible distance, `blank`. */
export function modifiedHausdorff(a: Float32Array, b: Float32Array, blank = Infinity): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0 || b.length === 0) return blank;
  return Math.max(directed(a, b), directed(b, a));
}

export function pixelDistance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** Classifies an episode's queries with a baseline; distances [Q, ways] are the reason. */
export function classifyBaseline(baseline: MetricBaseline, ep: Episode): MetricClassification {
  const size = ep.imageSize;
  const px = size * size;
  const ways = ep.nWay;
  const nS = ep.supportLabels.length;
  const nQ = ep.queryLabels.length;
  const img = (data: Float32Array, i: number) => data.subarray(i * px, (i + 1) * px);
  const blank = size * Math.SQRT2;
  const supportPts = baseline === 'mhd' ? Array.from({ length: nS }, (_, i) => inkPoints(img(ep.support, i), size)) : [];
  const distances = new Float32Array(nQ * ways).fill(Infinity);
  for (let q = 0; q < nQ; q++) {
    const qi = img(ep.query, q);
    const qPts = baseline === 'mhd' ? inkPoints(qi, size) : null;
    for (let s = 0; s < nS; s++) {
      const d = baseline === 'mhd' ? modifiedHausdorff(qPts!, supportPts[s], blank) : pixelDistance(qi, img(ep.support, s));
      const k = q * ways + ep.supportLabels[s];
      if (d < distances[k]) distances[k] = d;
    }
  }
  const probs = new Float32Array(nQ * ways);
  const predicted = new Int32Array(nQ);
  for (let q = 0; q < nQ; q++) {
    const row = distances.subarray(q * ways, (q + 1) * ways);
    const lo = Math.min(...row);
    let z = 0;
    for (let c = 0; c < ways; c++) z += Math.exp(-(row[c] - lo));
    let best = 0;
    for (let c = 0; c < ways; c++) {
      probs[q * ways + c] = Math.exp(-(row[c] - lo)) / z;
      if (row[c] < row[best]) best = c;
    }
    predicted[q] = best;
  }
  return { method: baseline, ways, queries: nQ, probs, predicted, distances, shapes: { distances: [nQ, ways] } };
}

/** Accuracy of a baseline over episodes, with 1.96·s/√n. */
export function evaluateBaseline(baseline: MetricBaseline, episodes: Iterable<Episode>): { accuracy: number; ci95: number; episodes: number } {
  const accs: number[] = [];
  for (const ep of episodes) {
    const c = classifyBaseline(baseline, ep);
    let right = 0;
    c.predicted.forEach((p, q) => {
      if (p === ep.queryLabels[q]) right++;
    });
    accs.push(right / c.queries);
  }
  const n = accs.length;
  const mean = accs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(accs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { accuracy: mean, ci95: (1.96 * sd) / Math.sqrt(n), episodes: n };
}
