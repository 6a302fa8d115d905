import * as tf from '@tensorflow/tfjs';
import type { ParamSpec, ParamValues } from '../../core/params';
import type { Rng } from '../../core/rng';
import { encoderParamSpecs, initEncoder } from './encoder';
import { embedEpisode, logProbsFromDistances, oneHot, queryNllLoss } from './protonet';
import type { GaussianTransform, MethodContext, MetricConfig, MetricEpisode, MetricMethodImpl, MetricOutput } from './types';
import { defineMetricMethod } from './descriptor';

/**
 * Gaussian prototypical network (Fort 2017). The encoder's last block outputs D embedding channels
 * and 1 (radius) or D (diagonal) raw covariance channels s_raw, mapped to an inverse covariance
 * s = transform(s_raw) ≥ 1 (or offset-bounded for the learned transform). A class is
 *   p_c = Σ_i s_i x_i / Σ_i s_i  (componentwise for a diagonal),  S_c = Σ_i s_i  (the class precision),
 * and a query's distance is d_c(x) = Σ_dims S_c (x − p_c)², classified by softmax(−d).
 */

const extraOf = (cfg: MetricConfig) => (cfg.covariance === 'radius' ? 1 : cfg.width);

/** The learned transform's offset, scale and divisor (scalars). */
const LEARNED: readonly ParamSpec[] = [
  { name: 'cov_offset', shape: [1] },
  { name: 'cov_scale', shape: [1] },
  { name: 'cov_div', shape: [1] },
];

/** Raw covariance outputs → inverse covariance (Fort's four choices). `learned` = [offset, scale, div]. */
export function precisionTransform(raw: tf.Tensor, transform: GaussianTransform, learned?: [tf.Tensor, tf.Tensor, tf.Tensor]): tf.Tensor {
  return tf.tidy(() => {
    switch (transform) {
      case 'softplus':
        return tf.add(1, tf.softplus(raw));
      case 'sigmoid':
        return tf.add(1, tf.sigmoid(raw));
      case 'sigmoid4':
        return tf.add(1, tf.mul(4, tf.sigmoid(raw)));
      case 'learned': {
        if (!learned) throw new Error('the learned transform needs its offset, scale and divisor');
        const [offset, scale, div] = learned;
        return tf.add(offset, tf.mul(scale, tf.softplus(tf.div(raw, div))));
      }
    }
  });
}

/**
 * Precision-weighted prototypes and class precisions from support embeddings x [S, D] and their
 * inverse covariances s [S, 1 or D]; labels 0 … ways−1.
 */
export function gaussianPrototypes(x: tf.Tensor2D, s: tf.Tensor2D, labels: Int32Array, ways: number): { prototypes: tf.Tensor2D; precisions: tf.Tensor2D } {
  return tf.tidy(() => {
    const y = oneHot(labels, ways);
    const precisions = tf.matMul(y, s, true, false) as tf.Tensor2D; // Σ_i∈c s_i
    const weighted = tf.matMul(y, tf.mul(x, s) as tf.Tensor2D, true, false); // Σ_i∈c s_i x_i
    return { prototypes: tf.div(weighted, precisions) as tf.Tensor2D, precisions };
  });
}

/** d[q, c] = Σ_dims S_c (x_q − p_c)² with S_c [ways, 1 or D]. */
export function gaussianDistances(query: tf.Tensor2D, prototypes: tf.Tensor2D, precisions: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const diff2 = tf.square(tf.sub(tf.expandDims(query, 1), tf.expandDims(prototypes, 0))); // [Q, C, D]
    return tf.sum(tf.mul(diff2, tf.expandDims(precisions, 0)), 2) as tf.Tensor2D;
  });
}

function split(ctx: MethodContext, e: tf.Tensor2D): { x: tf.Tensor2D; s: tf.Tensor2D } {
  const D = ctx.cfg.width;
  const x = tf.slice(e, [0, 0], [-1, D]) as tf.Tensor2D;
  const raw = tf.slice(e, [0, D], [-1, -1]);
  const at = (n: string) => ctx.params[ctx.names.indexOf(n)];
  const learned: [tf.Tensor, tf.Tensor, tf.Tensor] | undefined = ctx.cfg.transform === 'learned' ? [at('cov_offset'), at('cov_scale'), at('cov_div')] : undefined;
  return { x, s: precisionTransform(raw, ctx.cfg.transform, learned) as tf.Tensor2D };
}

function predict(ctx: MethodContext, ep: MetricEpisode): MetricOutput {
  return tf.tidy(() => {
    const e = embedEpisode(ctx, ep);
    const sup = split(ctx, e.support);
    const qry = split(ctx, e.query);
    const { prototypes, precisions } = gaussianPrototypes(sup.x, sup.s, ep.supportLabels, ep.ways);
    const distances = gaussianDistances(qry.x, prototypes, precisions);
    return { logProbs: logProbsFromDistances(distances), supportEmbeddings: sup.x, queryEmbeddings: qry.x, prototypes, precisions, distances };
  });
}

export const gaussianProtonetImpl: MetricMethodImpl = {
  paramSpecs: (cfg) => [...encoderParamSpecs({ width: cfg.width, extra: extraOf(cfg) }), ...(cfg.transform === 'learned' ? LEARNED : [])],
  init(cfg: MetricConfig, rng: Rng): ParamValues {
    const enc = initEncoder({ width: cfg.width, extra: extraOf(cfg) }, rng);
    if (cfg.transform !== 'learned') return enc;
    // offset 1, scale 1, divisor 1: starts as 1 + softplus, Fort's default.
    return { specs: [...enc.specs, ...LEARNED.map((s) => ({ ...s }))], values: [...enc.values, Float32Array.of(1), Float32Array.of(1), Float32Array.of(1)] };
  },
  loss: queryNllLoss(predict),
  predict,
};

export const gaussianProtonetMethod = defineMetricMethod({
  id: 'gaussian-protonet',
  impl: gaussianProtonetImpl,
  defaults: { ways: 20, queries: 5, covariance: 'radius', transform: 'softplus' },
  presets: [
    {
      id: 'fort-radius',
      label: 'Fort 2017, Omniglot: radius covariance, 1 + softplus, 60-way training',
      config: { ways: 60, shots: 1, queries: 5, width: 64, covariance: 'radius', transform: 'softplus', lr: 1e-3 },
    },
  ],
});
