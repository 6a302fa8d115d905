import { IMAGE_SIZE, OMNIGLOT_CANVAS, type Episode } from '../../tasks/characters';
import type { MetricBaseline, MetricClassification } from './types';

/**
 * Training-free baselines on raw images (Lake et al. 2015 report both):
 * - pixel-nn: Euclidean distance between the images' pixel vectors;
 * - mhd: Modified Hausdorff Distance (Dubuisson & Jain 1994) between the ink point sets of the
 *   images, each set centred on its own centroid (so the distance compares shapes, not where on the
 *   page they were drawn): MHD(A, B) = max(d(A, B), d(B, A)), d(A, B) = (1/|A|) Σ_a min_b ‖a − b‖.
 *   As published it runs on the 105×105 Omniglot images (BASELINE_IMAGE_SIZE; the CLI reads them at
 *   that size); on the 28×28 images of the lab it is the same measure on coarser point sets.
 * A query's distance to a class is the distance to its nearest support image; probabilities are
 * softmax(−distance) (a display convention: the baselines only rank classes).
 */

export const INK_THRESHOLD = 0.5;

/** The image side each baseline is defined on: MHD on the original 105×105 drawings, pixel-nn on the 28×28 atlas. */
export const BASELINE_IMAGE_SIZE: Record<MetricBaseline, number> = { mhd: OMNIGLOT_CANVAS, 'pixel-nn': IMAGE_SIZE };

/** Coordinates [x0, y0, x1, y1, …] of the pixels with ink > threshold, minus their centroid. */
export function inkPoints(img: Float32Array, size: number, threshold = INK_THRESHOLD): Float64Array {
  const pts: number[] = [];
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) if (img[i * size + j] > threshold) pts.push(j, i);
  const n = pts.length / 2;
  let cx = 0;
  let cy = 0;
  for (let k = 0; k < pts.length; k += 2) {
    cx += pts[k] / n;
    cy += pts[k + 1] / n;
  }
  for (let k = 0; k < pts.length; k += 2) {
    pts[k] -= cx;
    pts[k + 1] -= cy;
  }
  return Float64Array.from(pts);
}

/** A point set as separate coordinates ordered by y (inkPoints already emits its points row by row). */
interface SortedPoints {
  xs: Float64Array;
  ys: Float64Array;
}

function sortByY(p: ArrayLike<number>): SortedPoints {
  const n = p.length / 2;
  const order = Array.from({ length: n }, (_, k) => k);
  let sorted = true;
  for (let k = 1; k < n && sorted; k++) sorted = p[2 * k + 1] >= p[2 * k - 1];
  if (!sorted) order.sort((u, v) => p[2 * u + 1] - p[2 * v + 1]);
  return { xs: Float64Array.from(order, (k) => p[2 * k]), ys: Float64Array.from(order, (k) => p[2 * k + 1]) };
}

/** Squared distance from (x, y) to the nearest point of b: a scan outwards from y that stops once the rows alone are farther than the best. */
function nearestSq(x: number, y: number, b: SortedPoints): number {
  const { xs, ys } = b;
  let lo = 0;
  let hi = ys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ys[mid] < y) lo = mid + 1;
    else hi = mid;
  }
  let best = Infinity;
  for (let j = lo; j < ys.length; j++) {
    const dy = ys[j] - y;
    if (dy * dy >= best) break;
    const dx = xs[j] - x;
    best = Math.min(best, dx * dx + dy * dy);
  }
  for (let j = lo - 1; j >= 0; j--) {
    const dy = y - ys[j];
    if (dy * dy >= best) break;
    const dx = xs[j] - x;
    best = Math.min(best, dx * dx + dy * dy);
  }
  return best;
}

/** Mean over points of A of the distance to the nearest point of B. */
function directed(a: SortedPoints, b: SortedPoints): number {
  let sum = 0;
  for (let i = 0; i < a.xs.length; i++) sum += Math.sqrt(nearestSq(a.xs[i], a.ys[i], b));
  return sum / a.xs.length;
}

/** MHD of two point sets [x0, y0, x1, y1, …]; an empty set (a blank image) is at the largest possible distance, `blank`. */
export function modifiedHausdorff(a: ArrayLike<number>, b: ArrayLike<number>, blank = Infinity): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0 || b.length === 0) return blank;
  const [sa, sb] = [sortByY(a), sortByY(b)];
  return Math.max(directed(sa, sb), directed(sb, sa));
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
