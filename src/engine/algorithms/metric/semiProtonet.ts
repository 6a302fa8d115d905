import * as tf from '@tensorflow/tfjs';
import type { ParamSpec, ParamValues } from '../../core/params';
import type { Rng } from '../../core/rng';
import { encoderParamSpecs, initEncoder } from './encoder';
import { classMeans, embedEpisode, logProbsFromDistances, queryNllLoss, oneHot, squaredDistances } from './protonet';
import type { MethodContext, MetricConfig, MetricEpisode, MetricMethodImpl, MetricOutput, SemiVariant } from './types';
import { defineMetricMethod } from './descriptor';

/**
 * Semi-supervised prototypical networks (Ren et al. 2018). Prototypes start as the labelled means
 * p_c and are refined with the unlabeled embeddings h̃_j by soft k-means:
 *   z̃_jc = softmax_c(−‖h̃_j − p_c‖²),  p̃_c = (Σ_i h_i z_ic + Σ_j h̃_j z̃_jc w_jc) / (Σ_i z_ic + Σ_j z̃_jc w_jc)
 * with w = 1 (soft k-means), or
 * - distractor: an extra cluster fixed at the origin with a learned radius r (the class clusters
 *   have r = 1); z̃_jc ∝ exp(−‖h̃_j − p_c‖²/r_c² − A(r_c)), A(r) = ½·log(2π) + log r;
 * - masked: w_jc = σ(−γ_c (d̃_jc − β_c)), d̃_jc = d_jc / mean_j d_jc, where [β_c, γ_c] come from a
 *   one-hidden-layer MLP (20 tanh units) of the statistics [min, max, variance, skewness, kurtosis]
 *   of d̃_·c over the unlabeled items.
 * Queries are classified by softmax(−‖h(x) − p̃_c‖²), as in the prototypical network.
 */

const MLP_HIDDEN = 20;
const MASK_SPECS: readonly ParamSpec[] = [
  { name: 'mask_w1', shape: [5, MLP_HIDDEN] },
  { name: 'mask_b1', shape: [MLP_HIDDEN] },
  { name: 'mask_w2', shape: [MLP_HIDDEN, 2] },
  { name: 'mask_b2', shape: [2] },
];
const DISTRACTOR_SPECS: readonly ParamSpec[] = [{ name: 'distractor_log_r', shape: [1] }];

const ownSpecs = (v: SemiVariant): readonly ParamSpec[] => (v === 'masked' ? MASK_SPECS : v === 'distractor' ? DISTRACTOR_SPECS : []);

/** The five statistics of each column of d̃ [U, C] → [C, 5] (min, max, variance, skewness, kurtosis). */
export function distanceStats(dn: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const mean = tf.mean(dn, 0);
    const c = tf.sub(dn, mean);
    const variance = tf.mean(tf.square(c), 0);
    const sd = tf.sqrt(tf.add(variance, 1e-8));
    const skew = tf.div(tf.mean(tf.pow(c, 3), 0), tf.pow(sd, 3));
    const kurt = tf.div(tf.mean(tf.pow(c, 4), 0), tf.pow(sd, 4));
    return tf.stack([tf.min(dn, 0), tf.max(dn, 0), variance, skew, kurt], 1) as tf.Tensor2D;
  });
}

export interface RefineInputs {
  support: tf.Tensor2D;
  labels: Int32Array;
  ways: number;
  unlabeled: tf.Tensor2D;
  variant: SemiVariant;
  steps: number;
  /** distractor: log r of the distractor cluster. */
  distractorLogR?: tf.Tensor;
  /** masked: the MLP [w1, b1, w2, b2]. */
  mask?: readonly tf.Tensor[];
}

/**
 * Refined prototypes [ways, D] and the last step's assignments of the unlabeled items: [U, ways]
 * (soft k-means), [U, ways + 1] with the distractor cluster last, or [U, ways + 1] with z̃·mask per
 * class and the masked-out remainder 1 − Σ_c z̃·mask last.
 */
export function refinePrototypes(o: RefineInputs): { prototypes: tf.Tensor2D; assignments: tf.Tensor2D } {
  return tf.tidy(() => {
    const y = oneHot(o.labels, o.ways);
    const labelledSum = tf.matMul(y, o.support, true, false);
    const labelledCount = tf.sum(y, 0);
    let protos = classMeans(o.support, o.labels, o.ways);
    let assignments = tf.zeros([o.unlabeled.shape[0], o.ways]) as tf.Tensor2D;
    for (let step = 0; step < Math.max(1, o.steps); step++) {
      const d = squaredDistances(o.unlabeled, protos); // [U, C]
      let weights: tf.Tensor2D; // z̃·w used in the update, [U, C]
      if (o.variant === 'distractor') {
        // Class clusters: r = 1, A = ½log 2π; the distractor at the origin: r = e^{log r}.
        const logR = o.distractorLogR!;
        const dOrigin = tf.sum(tf.square(o.unlabeled), 1, true); // [U, 1]
        const classLogits = tf.sub(tf.neg(d), 0.5 * Math.log(2 * Math.PI));
        const distLogits = tf.sub(tf.neg(tf.div(dOrigin, tf.exp(tf.mul(2, logR)))), tf.add(0.5 * Math.log(2 * Math.PI), logR));
        const z = tf.softmax(tf.concat([classLogits, distLogits], 1)) as tf.Tensor2D;
        weights = tf.slice(z, [0, 0], [-1, o.ways]) as tf.Tensor2D;
        assignments = z;
      } else if (o.variant === 'masked') {
        const z = tf.softmax(tf.neg(d)) as tf.Tensor2D;
        const dn = tf.div(d, tf.add(tf.mean(d, 0, true), 1e-8)) as tf.Tensor2D;
        const [w1, b1, w2, b2] = o.mask!;
        const bg = tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(distanceStats(dn), w1 as tf.Tensor2D), b1)), w2 as tf.Tensor2D), b2); // [C, 2]
        const beta = tf.squeeze(tf.slice(bg, [0, 0], [-1, 1]), [1]);
        const gamma = tf.squeeze(tf.slice(bg, [0, 1], [-1, 1]), [1]);
        const m = tf.sigmoid(tf.neg(tf.mul(gamma, tf.sub(dn, beta))));
        weights = tf.mul(z, m) as tf.Tensor2D;
        assignments = tf.concat([weights, tf.sub(1, tf.sum(weights, 1, true))], 1) as tf.Tensor2D;
      } else {
        weights = tf.softmax(tf.neg(d)) as tf.Tensor2D;
        assignments = weights;
      }
      const num = tf.add(labelledSum, tf.matMul(weights, o.unlabeled, true, false));
      const den = tf.add(labelledCount, tf.sum(weights, 0));
      protos = tf.div(num, tf.expandDims(den, 1)) as tf.Tensor2D;
    }
    return { prototypes: protos, assignments };
  });
}

function predict(ctx: MethodContext, ep: MetricEpisode): MetricOutput {
  return tf.tidy(() => {
    const e = embedEpisode(ctx, ep);
    const at = (n: string) => ctx.params[ctx.names.indexOf(n)];
    let prototypes: tf.Tensor2D;
    let assignments: tf.Tensor2D | undefined;
    if (e.unlabeled && ctx.cfg.refineSteps > 0) {
      const r = refinePrototypes({
        support: e.support,
        labels: ep.supportLabels,
        ways: ep.ways,
        unlabeled: e.unlabeled,
        variant: ctx.cfg.semiVariant,
        steps: ctx.cfg.refineSteps,
        distractorLogR: ctx.cfg.semiVariant === 'distractor' ? at('distractor_log_r') : undefined,
        mask: ctx.cfg.semiVariant === 'masked' ? MASK_SPECS.map((s) => at(s.name)) : undefined,
      });
      prototypes = r.prototypes;
      assignments = r.assignments;
    } else prototypes = classMeans(e.support, ep.supportLabels, ep.ways);
    const distances = squaredDistances(e.query, prototypes);
    return {
      logProbs: logProbsFromDistances(distances),
      supportEmbeddings: e.support,
      queryEmbeddings: e.query,
      prototypes,
      distances,
      ...(assignments ? { assignments } : {}),
    };
  });
}

export const semiProtonetImpl: MetricMethodImpl = {
  paramSpecs: (cfg) => [...encoderParamSpecs({ width: cfg.width, extra: 0 }), ...ownSpecs(cfg.semiVariant)],
  init(cfg: MetricConfig, rng: Rng): ParamValues {
    const enc = initEncoder({ width: cfg.width, extra: 0 }, rng);
    const own = ownSpecs(cfg.semiVariant).map((s) => ({ name: s.name, shape: [...s.shape] }));
    const values = own.map((s) => {
      const n = s.shape.reduce((a, b) => a * b, 1);
      const v = new Float32Array(n);
      if (s.name === 'mask_w1') for (let i = 0; i < n; i++) v[i] = rng.normal() * Math.sqrt(1 / 5);
      else if (s.name === 'mask_w2') for (let i = 0; i < n; i++) v[i] = rng.normal() * 0.01;
      // β starts at the mean normalised distance (1) and γ at a gentle positive slope, so the mask begins near ½…1.
      else if (s.name === 'mask_b2') v.set([1, 1]);
      // The distractor radius starts at r = e^{log 10}: a wide cluster, as the origin sits far from all items.
      else if (s.name === 'distractor_log_r') v[0] = Math.log(10);
      return v;
    });
    return { specs: [...enc.specs, ...own], values: [...enc.values, ...values] };
  },
  loss: queryNllLoss(predict),
  predict,
};

export const semiProtonetMethod = defineMetricMethod({
  id: 'semi-protonet',
  impl: semiProtonetImpl,
  defaults: { ways: 5, queries: 5, semiVariant: 'masked', unlabeledPerClass: 5, distractorClasses: 3 },
  presets: [
    {
      id: 'ren-masked',
      label: 'Ren et al. 2018, Omniglot 1-shot: 5 unlabeled per class, distractor classes, masked soft k-means',
      config: { ways: 5, shots: 1, queries: 5, unlabeledPerClass: 5, distractorClasses: 5, semiVariant: 'masked', refineSteps: 1, lr: 1e-3 },
    },
  ],
});
