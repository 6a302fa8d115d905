import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { EpisodeSampler, generateSyntheticDataset, type Episode } from '../../tasks/characters';
import { classifyBaseline, inkPoints, modifiedHausdorff, pixelDistance } from './baselines';
import { gaussianDistances, gaussianPrototypes, precisionTransform } from './gaussianProtonet';
import { metricConfigFor } from './registry';
import { distanceStats, refinePrototypes } from './semiProtonet';
import { contrastiveLoss, episodePairs, episodeTriplets, nearestSupportDistances, tripletLoss } from './siamese';
import { MetricTrainer } from './trainer';
import type { MetricMethod } from './types';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

const t2 = (rows: number[][]) => tf.tensor2d(rows);
const arr = (t: tf.Tensor) => Array.from(t.dataSync());
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('Gaussian prototypical network', () => {
  it('the four transforms of the raw covariance output', () => {
    const raw = tf.tensor1d([0, 2]);
    expect(arr(precisionTransform(raw, 'softplus'))[0]).toBeCloseTo(1 + Math.log(2), 6);
    expect(arr(precisionTransform(raw, 'sigmoid'))[1]).toBeCloseTo(1 + sigmoid(2), 6);
    expect(arr(precisionTransform(raw, 'sigmoid4'))[0]).toBeCloseTo(3, 6);
    const learned = precisionTransform(raw, 'learned', [tf.scalar(0.5), tf.scalar(2), tf.scalar(2)]);
    expect(arr(learned)[1]).toBeCloseTo(0.5 + 2 * Math.log(1 + Math.E), 5);
  });

  it('radius: precision-weighted prototypes, class precision Σ s_i, and d = S_c‖x − p_c‖²', () => {
    // Class 0: (0,0) with s = 1 and (2,0) with s = 3 → p = (1.5, 0), S = 4. Class 1: (0,2), s = 2.
    const x = t2([[0, 0], [2, 0], [0, 2]]);
    const s = t2([[1], [3], [2]]);
    const { prototypes, precisions } = gaussianPrototypes(x, s, Int32Array.from([0, 0, 1]), 2);
    expect(arr(prototypes)).toEqual([1.5, 0, 0, 2]);
    expect(arr(precisions)).toEqual([4, 2]);
    // Query (1,1): d0 = 4·(0.25 + 1) = 5, d1 = 2·(1 + 1) = 4.
    expect(arr(gaussianDistances(t2([[1, 1]]), prototypes, precisions))).toEqual([5, 4]);
  });

  it('diagonal: componentwise weighting', () => {
    const x = t2([[0, 0], [2, 4], [5, 5]]);
    const s = t2([[1, 3], [3, 1], [2, 7]]);
    const { prototypes, precisions } = gaussianPrototypes(x, s, Int32Array.from([0, 0, 1]), 2);
    // x-dim: (0·1 + 2·3)/4 = 1.5; y-dim: (0·3 + 4·1)/4 = 1; S = (4, 4). Class 1 alone: its point and precision.
    expect(arr(prototypes)).toEqual([1.5, 1, 5, 5]);
    expect(arr(precisions)).toEqual([4, 4, 2, 7]);
    expect(arr(gaussianDistances(t2([[1, 1]]), prototypes, precisions))[0]).toBeCloseTo(4 * 0.25, 6);
  });
});

describe('semi-supervised prototypical network', () => {
  const support = t2([[0, 0], [4, 0]]);
  const labels = Int32Array.from([0, 1]);

  it('one soft k-means step: z̃ = softmax(−d), p̃_c = (Σ labelled + Σ z̃ h̃)/(n_c + Σ z̃)', () => {
    const r = refinePrototypes({ support, labels, ways: 2, unlabeled: t2([[1, 0]]), variant: 'soft-kmeans', steps: 1 });
    const z0 = 1 / (1 + Math.exp(-8)); // d = (1, 9)
    const z1 = 1 - z0;
    const p = arr(r.prototypes);
    expect(p[0]).toBeCloseTo(z0 / (1 + z0), 6);
    expect(p[2]).toBeCloseTo((4 + z1) / (1 + z1), 6);
    expect(arr(r.assignments)[0]).toBeCloseTo(z0, 6);
  });

  it('distractor cluster at the origin with radius r: logits −d/r² − (½log 2π + log r)', () => {
    const r = refinePrototypes({ support, labels, ways: 2, unlabeled: t2([[1, 0]]), variant: 'distractor', steps: 1, distractorLogR: tf.tensor1d([0]) });
    // r = 1 for every cluster: z ∝ exp(−[1, 9, 1]) (‖u‖² = 1 to the origin).
    const e = [Math.exp(-1), Math.exp(-9), Math.exp(-1)];
    const z = e.map((v) => v / (e[0] + e[1] + e[2]));
    const a = arr(r.assignments);
    z.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 6));
    expect(arr(r.prototypes)[0]).toBeCloseTo(z[0] / (1 + z[0]), 6);
    // A wide distractor (r = 10) takes the item more than a unit one does.
    const wide = refinePrototypes({ support, labels, ways: 2, unlabeled: t2([[1, 0]]), variant: 'distractor', steps: 1, distractorLogR: tf.tensor1d([Math.log(10)]) });
    const zd = arr(wide.assignments)[2];
    const expected = Math.exp(-1 / 100 - Math.log(10)) / (Math.exp(-1) + Math.exp(-9) + Math.exp(-1 / 100 - Math.log(10)));
    expect(zd).toBeCloseTo(expected, 6);
  });

  it('distance statistics: min, max, variance, skewness, kurtosis of each column', () => {
    const s = arr(distanceStats(t2([[1], [2], [3], [6]])));
    expect(s[0]).toBeCloseTo(1, 6);
    expect(s[1]).toBeCloseTo(6, 6);
    expect(s[2]).toBeCloseTo(3.5, 5);
    expect(s[3]).toBeCloseTo(4.5 / 3.5 ** 1.5, 4);
    expect(s[4]).toBeCloseTo(24.5 / 12.25, 4);
  });

  it('masked soft k-means: m = σ(−γ(d̃ − β)) with d̃ = d / mean_j d, weights z̃·m', () => {
    // MLP with zero weights: [β, γ] = b2 = [1, 2] for every class.
    const mask = [tf.zeros([5, 20]), tf.zeros([20]), tf.zeros([20, 2]), tf.tensor1d([1, 2])];
    const r = refinePrototypes({ support, labels, ways: 2, unlabeled: t2([[1, 0], [3, 0]]), variant: 'masked', steps: 1, mask });
    // d = [[1, 9], [9, 1]], column means 5 → d̃ = [[0.2, 1.8], [1.8, 0.2]].
    const zNear = 1 / (1 + Math.exp(-8));
    const zFar = 1 - zNear;
    const mNear = sigmoid(-2 * (0.2 - 1));
    const mFar = sigmoid(-2 * (1.8 - 1));
    const w10 = zNear * mNear; // item (1,0) → class 0
    const w20 = zFar * mFar; // item (3,0) → class 0
    const p0 = (1 * w10 + 3 * w20) / (1 + w10 + w20);
    expect(arr(r.prototypes)[0]).toBeCloseTo(p0, 5);
    const a = arr(r.assignments);
    expect(a[0]).toBeCloseTo(w10, 5);
    expect(a[0] + a[1] + a[2]).toBeCloseTo(1, 5);
  });
});

describe('Siamese network', () => {
  it('contrastive loss with y = 1 for a same pair: y·D² + (1−y)·max(0, m − D)²', () => {
    const L = contrastiveLoss(tf.tensor1d([4, 0.25, 9]), tf.tensor1d([1, 0, 0]), 1).dataSync()[0];
    expect(L).toBeCloseTo((4 + 0.25 + 0) / 3, 5);
    // Same pairs cost more when far apart, different pairs when close (the book's swapped labels would invert both).
    const one = (d2: number, same: number) => contrastiveLoss(tf.tensor1d([d2]), tf.tensor1d([same]), 2).dataSync()[0];
    expect(one(0.25, 1)).toBeLessThan(one(4, 1));
    expect(one(0.25, 0)).toBeGreaterThan(one(4, 0));
    expect(one(0.25, 0)).toBeCloseTo(1.5 ** 2, 4);
  });

  it('triplet loss max(0, D(a,p)² − D(a,n)² + m)', () => {
    expect(tripletLoss(tf.tensor1d([1, 4]), tf.tensor1d([3, 2]), 1).dataSync()[0]).toBeCloseTo(1.5, 6);
  });

  it('pairs: every same pair and as many sampled different pairs; triplets from every ordered same pair', () => {
    const labels = Int32Array.from([0, 0, 1, 1, 2]);
    const p = episodePairs(labels, new Rng(1));
    expect(p.same.filter((s) => s === 1).length).toBe(2);
    expect(p.same.filter((s) => s === 0).length).toBe(2);
    p.a.forEach((a, i) => expect(labels[a] === labels[p.b[i]]).toBe(p.same[i] === 1));
    const t = episodeTriplets(labels, new Rng(2));
    expect(t.a.length).toBe(4);
    t.a.forEach((a, i) => {
      expect(labels[t.p[i]]).toBe(labels[a]);
      expect(labels[t.n[i]]).not.toBe(labels[a]);
    });
  });

  it('few-shot distance: nearest support item of each class, squared', () => {
    const d = nearestSupportDistances(t2([[2, 0]]), t2([[0, 0], [3, 0], [0, 5]]), Int32Array.from([0, 0, 1]), 2);
    expect(arr(d)).toEqual([1, 29]);
  });
});

describe('baselines', () => {
  it('Modified Hausdorff Distance: max of the two mean nearest-point distances', () => {
    const a = Float32Array.of(0, 0);
    const b = Float32Array.of(0, 0, 3, 4);
    expect(modifiedHausdorff(a, b)).toBeCloseTo(2.5, 6);
    expect(modifiedHausdorff(b, a)).toBeCloseTo(2.5, 6);
    expect(modifiedHausdorff(Float32Array.of(3, 4, 0, 0), a)).toBeCloseTo(2.5, 6); // any order of points
    expect(modifiedHausdorff(a, new Float32Array(0), 99)).toBe(99);
    // Ink at (x 1, y 0) and (x 1, y 1), centred on their centroid (1, ½).
    expect(Array.from(inkPoints(Float32Array.of(0, 0.9, 0.2, 0.6), 2))).toEqual([0, -0.5, 0, 0.5]);
    expect(pixelDistance(Float32Array.of(0, 3), Float32Array.of(4, 0))).toBe(5);
  });

  it('classifies a hand-made episode by the nearest support image', () => {
    const size = 3;
    const img = (on: number[]) => {
      const x = new Float32Array(9);
      for (const i of on) x[i] = 1;
      return x;
    };
    const concat = (xs: Float32Array[]) => {
      const out = new Float32Array(xs.length * 9);
      xs.forEach((x, i) => out.set(x, i * 9));
      return out;
    };
    const ep: Episode = {
      nWay: 2,
      kShot: 1,
      qQuery: 1,
      imageSize: size,
      support: concat([img([0, 1, 2]), img([0, 3, 6])]), // a top row, a left column
      supportLabels: Int32Array.from([0, 1]),
      query: concat([img([0, 1]), img([0, 3])]), // the top row's first two pixels (→ 0), the left column's (→ 1)
      queryLabels: Int32Array.from([0, 1]),
      classes: [],
      supportImages: Int32Array.from([-1, -1]),
      queryImages: Int32Array.from([-1, -1]),
    };
    const mhd = classifyBaseline('mhd', ep);
    expect(Array.from(mhd.predicted)).toEqual([0, 1]);
    // Centred: the query {(±½, 0)} vs the top row {(−1, 0), (0, 0), (1, 0)}: ½ both ways → ½; vs the left
    // column {(0, −1), (0, 0), (0, 1)}: ½ one way, (√1.25 + ½ + √1.25)/3 the other.
    expect(mhd.distances![0]).toBeCloseTo(0.5, 6);
    expect(mhd.distances![1]).toBeCloseTo((0.5 + 2 * Math.sqrt(1.25)) / 3, 6);
    expect(mhd.probs[0] + mhd.probs[1]).toBeCloseTo(1, 6);
    const px = classifyBaseline('pixel-nn', ep);
    expect(px.distances![0]).toBeCloseTo(1, 6);
    expect(px.distances![1]).toBeCloseTo(Math.sqrt(3), 6);
  });
});

describe('every registered method trains and classifies through MetricTrainer without leaks', () => {
  const dataset = generateSyntheticDataset({ seed: 1, alphabets: 4, charactersPerAlphabet: 6, drawersPerCharacter: 12 });
  const cases: [MetricMethod, Partial<ReturnType<typeof metricConfigFor>>][] = [
    ['gaussian-protonet', { covariance: 'radius' }],
    ['gaussian-protonet', { covariance: 'diagonal', transform: 'learned' }],
    ['semi-protonet', { semiVariant: 'soft-kmeans' }],
    ['semi-protonet', { semiVariant: 'distractor' }],
    ['semi-protonet', { semiVariant: 'masked' }],
    ['siamese', { siameseLoss: 'contrastive' }],
    ['siamese', { siameseLoss: 'triplet' }],
  ];
  for (const [method, extra] of cases)
    it(`${method} ${JSON.stringify(extra)}`, () => {
      const cfg = metricConfigFor(method, { ways: 3, shots: 2, queries: 2, width: 4, unlabeledPerClass: 2, distractorClasses: 1, ...extra });
      const t = new MetricTrainer(cfg);
      const sampler = new EpisodeSampler(dataset, t.episodeSpec(), 5);
      const first = t.step(sampler.next());
      tf.dispose([first.loss, first.accuracy]);
      const n0 = tf.memory().numTensors;
      const before = t.params().values.map((v) => Float32Array.from(v));
      const r = t.step(sampler.next());
      expect(Number.isFinite(r.loss.dataSync()[0])).toBe(true);
      tf.dispose([r.loss, r.accuracy]);
      expect(t.params().values.some((v, i) => v.some((x, j) => x !== before[i][j]))).toBe(true);
      const ep = sampler.next();
      const c = t.classify(ep, method === 'semi-protonet' ? { ways: 3, shots: 2 } : undefined);
      expect(tf.memory().numTensors).toBe(n0);
      expect(c.ways).toBe(3);
      expect(c.queries).toBe(6);
      if (method === 'gaussian-protonet') expect(c.shapes.precisions).toEqual([3, cfg.covariance === 'radius' ? 1 : 4]);
      if (method === 'semi-protonet') expect(c.shapes.assignments).toEqual([3 * 2 + 1 * 4, cfg.semiVariant === 'soft-kmeans' ? 3 : 4]);
      if (method === 'siamese') expect(c.shapes.distances).toEqual([6, 3]);
      const ev = t.evaluate(sampler, 2);
      expect(ev.accuracy).toBeGreaterThanOrEqual(0);
      t.dispose();
    });
});
