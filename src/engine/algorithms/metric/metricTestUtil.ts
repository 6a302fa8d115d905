import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng';
import { metricConfigFor } from './registry';
import type { MethodContext, MetricConfig, MetricEpisode, MetricMethod, MetricOutput } from './types';

/*
 * Test helpers of the matching and relation heads: a linear stand-in for the conv encoder on
 * tiny [n, 1, F, 1] "images", so the heads' maths can be checked and trained in milliseconds.
 */

/** A tiny configuration for head tests: the registry's defaults with a 3-way, width-4 setting (tests set what they check). */
export function testConfig(method: MetricMethod, cfg: Partial<MetricConfig> = {}): MetricConfig {
  return metricConfigFor(method, { ways: 3, shots: 1, queries: 2, width: 4, lr: 1e-2, unlabeledPerClass: 0, distractorClasses: 0, refineSteps: 1, fce: false, fceSteps: 2, ...cfg });
}

/** A context whose encoder is x ↦ flatten(x)·W, W = params[0] named 'lin_w' ([F, D]). */
export function linearContext(method: MetricMethod, cfg: Partial<MetricConfig>, params: tf.Tensor[], names: string[], seed = 0): MethodContext {
  return {
    cfg: testConfig(method, cfg),
    params,
    names,
    mode: 'train',
    rng: new Rng(seed),
    encode: (x) => tf.matMul(tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D, params[names.indexOf('lin_w')] as tf.Tensor2D),
  };
}

/** Rows [n, F] as [n, 1, F, 1] images. */
export function asImages(rows: number[][]): tf.Tensor4D {
  return tf.tensor4d(rows.flat(), [rows.length, 1, rows[0].length, 1]);
}

/**
 * A vector episode: each class has a random unit direction in the first `signal` features; the
 * other features are large noise, so cosine on the raw input is poor and the encoder must learn
 * to ignore them. Class-major support and queries.
 */
export function vectorEpisode(rng: Rng, ways: number, shots: number, queries: number, signal = 4, noiseDims = 8, noise = 2): MetricEpisode {
  const centres = Array.from({ length: ways }, () => {
    const c = Array.from({ length: signal }, () => rng.normal());
    const n = Math.hypot(...c);
    return c.map((v) => (3 * v) / n);
  });
  const item = (c: number) => [...centres[c].map((v) => v + 0.3 * rng.normal()), ...Array.from({ length: noiseDims }, () => noise * rng.normal())];
  const s: number[][] = [];
  const sl: number[] = [];
  const q: number[][] = [];
  const ql: number[] = [];
  for (let c = 0; c < ways; c++) {
    for (let k = 0; k < shots; k++) {
      s.push(item(c));
      sl.push(c);
    }
    for (let k = 0; k < queries; k++) {
      q.push(item(c));
      ql.push(c);
    }
  }
  return { ways, shots, support: asImages(s), supportLabels: Int32Array.from(sl), query: asImages(q), queryLabels: Int32Array.from(ql) };
}

export function disposeEpisode(ep: MetricEpisode): void {
  tf.dispose([ep.support, ep.query]);
}

/** Fraction of queries whose arg-max log-probability is the true label. */
export function episodeAccuracy(logProbs: tf.Tensor2D, labels: Int32Array): number {
  const pred = tf.tidy(() => tf.argMax(logProbs, 1).dataSync());
  let hit = 0;
  labels.forEach((l, i) => (hit += pred[i] === l ? 1 : 0));
  return hit / labels.length;
}

/**
 * Trains a head with Adam on fresh vector episodes and returns its mean accuracy on 20 fixed
 * evaluation episodes before and after (the "learns well above chance" tests). Disposes what it makes.
 */
export function accuracyBeforeAfterTraining(
  predict: (ctx: MethodContext, ep: MetricEpisode) => MetricOutput,
  loss: (ctx: MethodContext, ep: MetricEpisode) => tf.Scalar,
  ctx: MethodContext,
  vars: tf.Variable[],
  o: { shots: number; lr: number; steps: number },
): { before: number; after: number } {
  const evalRng = new Rng(99);
  const evalEps = Array.from({ length: 20 }, () => vectorEpisode(evalRng, 5, o.shots, 5));
  const accuracy = () =>
    evalEps.reduce((s, ep) => {
      const out = predict(ctx, ep);
      const a = episodeAccuracy(out.logProbs, ep.queryLabels);
      tf.dispose(Object.values(out) as tf.Tensor[]);
      return s + a / evalEps.length;
    }, 0);
  const before = accuracy();
  const opt = tf.train.adam(o.lr);
  const rng = new Rng(4);
  for (let step = 0; step < o.steps; step++) {
    const ep = vectorEpisode(rng, 5, o.shots, 5);
    const cost = opt.minimize(() => loss(ctx, ep), true, vars);
    if (cost) cost.dispose();
    disposeEpisode(ep);
  }
  const after = accuracy();
  evalEps.forEach(disposeEpisode);
  opt.dispose();
  return { before, after };
}
