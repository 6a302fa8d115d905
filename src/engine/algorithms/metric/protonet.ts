import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { encoderParamSpecs, initEncoder } from './encoder';
import type { MethodContext, MetricConfig, MetricEpisode, MetricMethodImpl, MetricOutput } from './types';
import { defineMetricMethod } from './descriptor';

/**
 * Prototypical networks (Snell, Swersky & Zemel 2017): a class is the mean of its support
 * embeddings, c_k = (1/|S_k|) Σ f(x_i), and p(y = k | x) = softmax_k(−‖f(x) − c_k‖²) with the squared
 * Euclidean distance (a Bregman divergence, which makes the mean the right prototype).
 *
 * The helpers below are shared by the other metric methods.
 */

/** ‖a_i − b_j‖² for a [n, D], b [m, D] → [n, m] (explicit differences: exact, never negative). */
export function squaredDistances(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sum(tf.square(tf.sub(tf.expandDims(a, 1), tf.expandDims(b, 0))), 2) as tf.Tensor2D);
}

/** One-hot [n, ways] of integer labels. */
export function oneHot(labels: Int32Array, ways: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), ways).toFloat() as tf.Tensor2D);
}

/** Mean embedding of each class: [ways, D] from embeddings [n, D] and labels 0 … ways−1. */
export function classMeans(emb: tf.Tensor2D, labels: Int32Array, ways: number): tf.Tensor2D {
  return tf.tidy(() => {
    const y = oneHot(labels, ways);
    const counts = tf.maximum(tf.sum(y, 0), 1);
    return tf.div(tf.matMul(y, emb, true, false), tf.expandDims(counts, 1)) as tf.Tensor2D;
  });
}

/** The prototype methods' training loss: the NLL of the query log-probabilities their predict gives (reported to the trainer for the step's accuracy). */
export function queryNllLoss(predict: MetricMethodImpl['predict']): MetricMethodImpl['loss'] {
  return (ctx, ep) =>
    tf.tidy(() => {
      const out = predict(ctx, ep);
      ctx.reportLogProbs?.(out.logProbs);
      return meanNll(out.logProbs, ep.queryLabels);
    });
}

/** Mean negative log-likelihood of the true labels under log-probabilities [n, ways]. */
export function meanNll(logProbs: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(logProbs, oneHot(labels, logProbs.shape[1])), 1))) as tf.Scalar);
}

/** Support, query (and unlabeled) embeddings from one encoder pass, so batch norm sees the whole episode. */
export function embedEpisode(ctx: MethodContext, ep: MetricEpisode): { support: tf.Tensor2D; query: tf.Tensor2D; unlabeled?: tf.Tensor2D } {
  return tf.tidy(() => {
    const parts = [ep.support, ep.query, ...(ep.unlabeled ? [ep.unlabeled] : [])];
    const all = ctx.encode(tf.concat(parts, 0));
    const sizes = parts.map((p) => p.shape[0]);
    const [support, query, unlabeled] = tf.split(all, sizes, 0) as tf.Tensor2D[];
    return unlabeled ? { support, query, unlabeled } : { support, query };
  });
}

/** Log-probabilities [Q, ways] = logSoftmax(−d) of squared distances d [Q, ways]. */
export function logProbsFromDistances(d: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.logSoftmax(tf.neg(d)) as tf.Tensor2D);
}

export function protonetForward(support: tf.Tensor2D, query: tf.Tensor2D, labels: Int32Array, ways: number): { prototypes: tf.Tensor2D; distances: tf.Tensor2D; logProbs: tf.Tensor2D } {
  return tf.tidy(() => {
    const prototypes = classMeans(support, labels, ways);
    const distances = squaredDistances(query, prototypes);
    return { prototypes, distances, logProbs: logProbsFromDistances(distances) };
  });
}

function predict(ctx: MethodContext, ep: MetricEpisode): MetricOutput {
  return tf.tidy(() => {
    const e = embedEpisode(ctx, ep);
    const f = protonetForward(e.support, e.query, ep.supportLabels, ep.ways);
    return { logProbs: f.logProbs, supportEmbeddings: e.support, queryEmbeddings: e.query, prototypes: f.prototypes, distances: f.distances };
  });
}

export const protonetImpl: MetricMethodImpl = {
  paramSpecs: (cfg: MetricConfig) => encoderParamSpecs({ width: cfg.width, extra: 0 }),
  init: (cfg: MetricConfig, rng: Rng) => initEncoder({ width: cfg.width, extra: 0 }, rng),
  loss: queryNllLoss(predict),
  predict,
};

export const protonetMethod = defineMetricMethod({
  id: 'protonet',
  impl: protonetImpl,
  // Snell et al. train with more ways than they test on (20/60-way); 20 keeps a step affordable.
  defaults: { ways: 20, queries: 5 },
  presets: [
    { id: 'snell-1shot', label: 'Snell et al. 2017, Omniglot 1-shot: 60-way, 5 queries, Adam 1e-3, 64 filters', config: { ways: 60, shots: 1, queries: 5, width: 64, lr: 1e-3 } },
    { id: 'snell-5shot', label: 'Snell et al. 2017, Omniglot 5-shot: 60-way, 5 queries, Adam 1e-3, 64 filters', config: { ways: 60, shots: 5, queries: 5, width: 64, lr: 1e-3 } },
  ],
});
