import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { encoderParamSpecs, initEncoder } from './encoder';
import { embedEpisode, logProbsFromDistances, squaredDistances } from './protonet';
import type { MethodContext, MetricConfig, MetricEpisode, MetricMethodImpl, MetricOutput } from './types';
import { defineMetricMethod } from './descriptor';

/**
 * Siamese network: two twins that share the encoder, trained on the pairs of an episode.
 * Contrastive loss (Hadsell, Chopra & LeCun 2006) with y = 1 for a SAME pair:
 *   L = y·D² + (1 − y)·max(0, m − D)²,  D = ‖f(a) − f(b)‖
 * (one source book swaps the labels, which pulls different pairs together; not done here), or the
 * triplet loss max(0, D(a,p)² − D(a,n)² + m).
 * Few-shot classification: d_c = min over class c's support items of D², p = softmax_c(−d_c).
 */

/** Index pairs (i < j) of items with labels: every same pair and as many different pairs (sampled), so both kinds weigh equally. */
export function episodePairs(labels: Int32Array, rng: Rng): { a: number[]; b: number[]; same: number[] } {
  const pos: [number, number][] = [];
  const neg: [number, number][] = [];
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) (labels[i] === labels[j] ? pos : neg).push([i, j]);
  const negPick = rng.sampleWithoutReplacement(neg.length, Math.min(neg.length, Math.max(pos.length, 1))).map((k) => neg[k]);
  const all = [...pos.map((p) => [...p, 1]), ...negPick.map((p) => [...p, 0])];
  return { a: all.map((p) => p[0]), b: all.map((p) => p[1]), same: all.map((p) => p[2]) };
}

/** Mean contrastive loss over pairs: D² [P] squared distances, same [P] ∈ {0, 1}. */
export function contrastiveLoss(d2: tf.Tensor1D, same: tf.Tensor1D, margin: number): tf.Scalar {
  return tf.tidy(() => {
    const D = tf.sqrt(tf.add(d2, 1e-9)); // ε keeps the gradient finite at D = 0
    const hinge = tf.square(tf.relu(tf.sub(margin, D)));
    return tf.mean(tf.add(tf.mul(same, d2), tf.mul(tf.sub(1, same), hinge))) as tf.Scalar;
  });
}

/** Mean triplet loss max(0, D(a,p)² − D(a,n)² + m) over triplets given by their squared distances. */
export function tripletLoss(dap2: tf.Tensor1D, dan2: tf.Tensor1D, margin: number): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.relu(tf.add(tf.sub(dap2, dan2), margin))) as tf.Scalar);
}

/** Triplets (anchor, positive, negative): every ordered same pair with one sampled different-class item. */
export function episodeTriplets(labels: Int32Array, rng: Rng): { a: number[]; p: number[]; n: number[] } {
  const a: number[] = [];
  const p: number[] = [];
  const n: number[] = [];
  for (let i = 0; i < labels.length; i++)
    for (let j = 0; j < labels.length; j++) {
      if (i === j || labels[i] !== labels[j]) continue;
      const others: number[] = [];
      labels.forEach((l, k) => {
        if (l !== labels[i]) others.push(k);
      });
      if (others.length === 0) continue;
      a.push(i);
      p.push(j);
      n.push(others[rng.int(others.length)]);
    }
  return { a, p, n };
}

/** d[q, c] = min over support items of class c of ‖q − s‖² ([Q, ways]). */
export function nearestSupportDistances(query: tf.Tensor2D, support: tf.Tensor2D, labels: Int32Array, ways: number): tf.Tensor2D {
  return tf.tidy(() => {
    const d = squaredDistances(query, support); // [Q, S]
    // Other classes' items are pushed out of reach instead of gathered (tfjs-wasm has no gather gradient).
    const cols = Array.from({ length: ways }, (_, c) => tf.min(tf.add(d, tf.tensor1d(Array.from(labels, (l) => (l === c ? 0 : 1e30)))), 1));
    return tf.stack(cols, 1) as tf.Tensor2D;
  });
}

function predict(ctx: MethodContext, ep: MetricEpisode): MetricOutput {
  return tf.tidy(() => {
    const e = embedEpisode(ctx, ep);
    const distances = nearestSupportDistances(e.query, e.support, ep.supportLabels, ep.ways);
    return { logProbs: logProbsFromDistances(distances), supportEmbeddings: e.support, queryEmbeddings: e.query, distances };
  });
}

export const siameseImpl: MetricMethodImpl = {
  paramSpecs: (cfg: MetricConfig) => encoderParamSpecs({ width: cfg.width, extra: 0 }),
  init: (cfg: MetricConfig, rng: Rng) => initEncoder({ width: cfg.width, extra: 0 }, rng),
  loss(ctx, ep) {
    return tf.tidy(() => {
      const e = embedEpisode(ctx, ep);
      ctx.reportLogProbs?.(logProbsFromDistances(nearestSupportDistances(e.query, e.support, ep.supportLabels, ep.ways)));
      const all = tf.concat([e.support, e.query], 0) as tf.Tensor2D;
      const labels = Int32Array.from([...ep.supportLabels, ...ep.queryLabels]);
      // Row selection as a one-hot matrix product: its gradient is a matMul (gather's needs UnsortedSegmentSum, absent on wasm).
      const rows = (idx: number[]) => tf.matMul(tf.oneHot(tf.tensor1d(idx, 'int32'), all.shape[0]).toFloat(), all);
      const d2 = (x: number[], y: number[]) => tf.sum(tf.square(tf.sub(rows(x), rows(y))), 1) as tf.Tensor1D;
      if (ctx.cfg.siameseLoss === 'triplet') {
        const t = episodeTriplets(labels, ctx.rng);
        return tripletLoss(d2(t.a, t.p), d2(t.a, t.n), ctx.cfg.margin);
      }
      const p = episodePairs(labels, ctx.rng);
      return contrastiveLoss(d2(p.a, p.b), tf.tensor1d(p.same), ctx.cfg.margin);
    });
  },
  predict,
};

export const siameseMethod = defineMetricMethod({
  id: 'siamese',
  impl: siameseImpl,
  // Pairs come from the episode: ways × (shots + queries) items; margin on the unit-free Euclidean distance.
  defaults: { ways: 10, shots: 2, queries: 2, margin: 1, siameseLoss: 'contrastive' },
  presets: [
    { id: 'koch-verification', label: 'Koch et al. 2015 style verification pairs (contrastive loss form of Hadsell et al.)', config: { ways: 10, shots: 2, queries: 2, siameseLoss: 'contrastive', margin: 1 } },
  ],
});
