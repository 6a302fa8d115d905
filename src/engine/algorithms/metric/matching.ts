import * as tf from '@tensorflow/tfjs';
import type { ParamSpec, ParamValues } from '../../core/params';
import type { Rng } from '../../core/rng';
import { logSumExp, lstmCell, softmax, type LstmState } from '../../core/ops';
import { encoderParamSpecs, initEncoder } from './encoder';
import { encodeEpisode, glorot, oneHotLabels, paramByName } from './moduleParams';
import type { MethodContext, MetricConfig, MetricEpisode, MetricMethodImpl, MetricOutput } from './types';
import { defineMetricMethod } from './descriptor';

/*
 * Matching network (Vinyals et al. 2016).
 *
 *   a(x̂, x_i) = softmax_i s·cos(f(x̂), g(x_i))        attention over the support items
 *   P(y = c | x̂) = Σ_i a(x̂, x_i) · 1(y_i = c)         attention-weighted sum of one-hot labels
 *   loss = −mean log P(y_true | x̂)                     (the log of that sum: no second softmax)
 *
 * s = 1 is the paper's form. With cfg.cosineScale, s is learned (Oreshkin et al.'s "metric
 * scaling", TADAM 2018). It matters here: the encoder ends in ReLU, so embeddings are ≥ 0 and
 * cosines lie in [0, 1]; with s = 1 a 5-way 1-shot query can be at most e/(e + 4) = 41% sure
 * (loss ≥ 0.90) however well it is embedded, the gradient never fades, and training keeps
 * pushing every pair of training classes towards orthogonal codes instead of a comparison that
 * carries over to new alphabets (docs/benchmarks.md: 76.0% 5-shot without the scale, 94.9% with).
 *
 * Without full context embeddings f = f' and g = g' are the encoder. With them (cfg.fce):
 *   g(x_i) = h→_i + h←_i + g'(x_i)      bidirectional LSTM over the support embeddings in their order
 *   attention LSTM over K = cfg.fceSteps processing steps, for each query:
 *     r_{k−1} = Σ_i softmax_i(h_{k−1}ᵀ g(x_i)) g(x_i)
 *     ĥ_k, c_k = LSTM(f'(x̂), [h_{k−1}, r_{k−1}], c_{k−1});   h_k = ĥ_k + f'(x̂);   f(x̂) = h_K
 *   starting from the LSTM's zero state (ĥ_0 = 0, c_0 = 0, so h_0 = f'(x̂) by the skip).
 * The LSTM's hidden input [h, r] is fed to lstmCell as x = [f', r] with state h: the gates see
 * the same concatenation [f', r, h] times one kernel [3D, 4D], i.e. the paper's cell.
 */

/** The learned scale s of the cosines (present only when cfg.cosineScale), and its start value. */
export const SCALE_PARAM = 'matching_scale';
export const SCALE_INIT = 10;

/** Names of the FCE parameters (present only when cfg.fce). */
export const FCE_PARAMS = ['fce_fwd_kernel', 'fce_fwd_bias', 'fce_bwd_kernel', 'fce_bwd_bias', 'fce_att_kernel', 'fce_att_bias'] as const;

/** The matching head's own parameters for embedding size D = cfg.width: the scale, then FCE's. */
export function matchingModuleSpecs(cfg: Pick<MetricConfig, 'fce' | 'width' | 'cosineScale'>): ParamSpec[] {
  const scale: ParamSpec[] = cfg.cosineScale ? [{ name: SCALE_PARAM, shape: [1] }] : [];
  if (!cfg.fce) return scale;
  const d = cfg.width;
  return [
    ...scale,
    { name: 'fce_fwd_kernel', shape: [2 * d, 4 * d] },
    { name: 'fce_fwd_bias', shape: [4 * d] },
    { name: 'fce_bwd_kernel', shape: [2 * d, 4 * d] },
    { name: 'fce_bwd_bias', shape: [4 * d] },
    { name: 'fce_att_kernel', shape: [3 * d, 4 * d] },
    { name: 'fce_att_bias', shape: [4 * d] },
  ];
}

/**
 * The scale at SCALE_INIT; Glorot kernels; biases 0 except the forget-gate slice (columns D … 2D−1)
 * at 1, so the LSTMs start by remembering.
 */
export function initMatchingModule(cfg: Pick<MetricConfig, 'fce' | 'width' | 'cosineScale'>, rng: Rng): ParamValues {
  const specs = matchingModuleSpecs(cfg);
  const values = specs.map((s) => {
    if (s.name === SCALE_PARAM) return Float32Array.of(SCALE_INIT);
    const v = glorot(s, rng);
    if (s.shape.length === 1) v.fill(1, cfg.width, 2 * cfg.width);
    return v;
  });
  return { specs, values };
}

export interface FceParams {
  fwdKernel: tf.Tensor2D;
  fwdBias: tf.Tensor1D;
  bwdKernel: tf.Tensor2D;
  bwdBias: tf.Tensor1D;
  attKernel: tf.Tensor2D;
  attBias: tf.Tensor1D;
}

export function fceParamsOf(ctx: Pick<MethodContext, 'params' | 'names'>): FceParams {
  const p = (n: (typeof FCE_PARAMS)[number]) => paramByName(ctx, n);
  return {
    fwdKernel: p('fce_fwd_kernel') as tf.Tensor2D,
    fwdBias: p('fce_fwd_bias') as tf.Tensor1D,
    bwdKernel: p('fce_bwd_kernel') as tf.Tensor2D,
    bwdBias: p('fce_bwd_bias') as tf.Tensor1D,
    attKernel: p('fce_att_kernel') as tf.Tensor2D,
    attBias: p('fce_att_bias') as tf.Tensor1D,
  };
}

/** g(x_i) = h→_i + h←_i + g'(x_i): the support set read as a sequence in both directions. */
export function fceSupport(gPrime: tf.Tensor2D, p: FceParams): tf.Tensor2D {
  const [n, d] = gPrime.shape;
  const rows = tf.split(gPrime, n, 0) as tf.Tensor2D[];
  const zero = (): LstmState => ({ h: tf.zeros([1, d]) as tf.Tensor2D, c: tf.zeros([1, d]) as tf.Tensor2D });
  const fwd: tf.Tensor2D[] = [];
  let s = zero();
  for (let i = 0; i < n; i++) {
    s = lstmCell(rows[i], s, p.fwdKernel, p.fwdBias);
    fwd.push(s.h);
  }
  const bwd: tf.Tensor2D[] = new Array<tf.Tensor2D>(n);
  s = zero();
  for (let i = n - 1; i >= 0; i--) {
    s = lstmCell(rows[i], s, p.bwdKernel, p.bwdBias);
    bwd[i] = s.h;
  }
  return tf.add(tf.add(tf.concat(fwd, 0), tf.concat(bwd, 0)), gPrime) as tf.Tensor2D;
}

/** f(x̂, S) = h_K of the attention LSTM (all queries at once: they are independent rows). */
export function fceQuery(fPrime: tf.Tensor2D, g: tf.Tensor2D, steps: number, p: FceParams): tf.Tensor2D {
  let h = fPrime;
  let c = tf.zeros(fPrime.shape) as tf.Tensor2D;
  for (let k = 0; k < steps; k++) {
    const a = softmax(tf.matMul(h, g, false, true) as tf.Tensor2D, 1);
    const r = tf.matMul(a, g) as tf.Tensor2D;
    const next = lstmCell(tf.concat([fPrime, r], 1) as tf.Tensor2D, { h, c }, p.attKernel, p.attBias);
    h = tf.add(next.h, fPrime) as tf.Tensor2D;
    c = next.c;
  }
  return h;
}

/** Rows scaled to unit length (ε keeps a zero row finite and differentiable). */
function unitRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-8))) as tf.Tensor2D;
}

export interface MatchingHeadOutput {
  /** log P(y | x̂) [Q, ways]. */
  logProbs: tf.Tensor2D;
  /** a(x̂, x_i) [Q, S]. */
  attention: tf.Tensor2D;
  /** g(x_i) [S, D] and f(x̂) [Q, D] (= the encoder's embeddings without FCE). */
  g: tf.Tensor2D;
  f: tf.Tensor2D;
}

/**
 * log Σ_{i: y_i = c} softmax_i(logits) for each class c, as logsumexp over the class's items minus
 * logsumexp over all: finite however large a learned scale makes the logits (the log of a summed
 * softmax would underflow to log 0 once s·(cos_max − cos_min) passes ~100).
 */
function logClassSums(logits: tf.Tensor2D, supportLabels: Int32Array, ways: number): tf.Tensor2D {
  const [q, n] = logits.shape;
  // 0 where item i is of class c, −1e9 elsewhere: [ways, S], broadcast over the queries.
  const mask = tf.mul(tf.sub(tf.transpose(oneHotLabels(supportLabels, ways)), 1), 1e9);
  const perClass = logSumExp(tf.add(tf.reshape(logits, [q, 1, n]), mask), 2);
  return tf.sub(perClass, logSumExp(logits, 1, true)) as tf.Tensor2D;
}

/**
 * The matching head on given embeddings: attention over the support, probabilities and their log.
 * `scale` multiplies the cosines (null: the paper's s = 1).
 */
export function matchingHead(
  gPrime: tf.Tensor2D,
  fPrime: tf.Tensor2D,
  supportLabels: Int32Array,
  ways: number,
  fce: { params: FceParams; steps: number } | null,
  scale: tf.Tensor | null = null,
): MatchingHeadOutput {
  const g = fce ? fceSupport(gPrime, fce.params) : gPrime;
  const f = fce ? fceQuery(fPrime, g, fce.steps, fce.params) : fPrime;
  const cosine = tf.matMul(unitRows(f), unitRows(g), false, true) as tf.Tensor2D;
  const logits = scale ? (tf.mul(cosine, scale) as tf.Tensor2D) : cosine;
  const attention = softmax(logits, 1);
  const logProbs = logClassSums(logits, supportLabels, ways);
  return { logProbs, attention, g, f };
}

/** Negative mean log-likelihood of the true labels. */
export function nllLoss(logProbs: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, oneHotLabels(labels, logProbs.shape[1])), 1))) as tf.Scalar;
}

function run(ctx: MethodContext, ep: MetricEpisode, support: tf.Tensor4D, supportLabels: Int32Array): MatchingHeadOutput {
  const { s, q } = encodeEpisode(ctx, support, ep.query);
  const fce = ctx.cfg.fce ? { params: fceParamsOf(ctx), steps: ctx.cfg.fceSteps } : null;
  const scale = ctx.cfg.cosineScale ? paramByName(ctx, SCALE_PARAM) : null;
  return matchingHead(s, q, supportLabels, ep.ways, fce, scale);
}

/**
 * Training loss of one episode. With FCE the support order is shuffled (the trainer's Rng) so
 * the LSTMs do not learn the sampler's class-major order; without FCE order does not matter.
 */
export function matchingLoss(ctx: MethodContext, ep: MetricEpisode): tf.Scalar {
  return tf.tidy(() => {
    let support = ep.support;
    let labels = ep.supportLabels;
    if (ctx.cfg.fce) {
      const order = ctx.rng.shuffle(Array.from(labels, (_, i) => i));
      support = tf.gather(ep.support, order);
      labels = Int32Array.from(order, (i) => ep.supportLabels[i]);
    }
    const { logProbs } = run(ctx, ep, support, labels);
    ctx.reportLogProbs?.(logProbs);
    return nllLoss(logProbs, ep.queryLabels);
  });
}

/** Classification in the episode's own support order (so the lab's shuffle shows FCE's order sensitivity). */
export function matchingPredict(ctx: MethodContext, ep: MetricEpisode): MetricOutput {
  return tf.tidy(() => {
    const out = run(ctx, ep, ep.support, ep.supportLabels);
    return { logProbs: out.logProbs, attention: out.attention, supportEmbeddings: out.g, queryEmbeddings: out.f };
  });
}

export const matchingImpl: MetricMethodImpl = {
  paramSpecs: (cfg) => [...encoderParamSpecs({ width: cfg.width, extra: 0 }), ...matchingModuleSpecs(cfg)],
  init(cfg, rng) {
    const enc = initEncoder({ width: cfg.width, extra: 0 }, rng);
    const mod = initMatchingModule(cfg, rng);
    return { specs: [...enc.specs, ...mod.specs], values: [...enc.values, ...mod.values] };
  },
  loss: matchingLoss,
  predict: matchingPredict,
};

export const matchingMethod = defineMetricMethod({
  id: 'matching',
  impl: matchingImpl,
  // A learned scale on the cosines (Oreshkin et al. 2018): 94.9% 5-way 5-shot on unseen Omniglot
  // alphabets against 76.0% without it, same run otherwise (docs/benchmarks.md).
  defaults: { ways: 5, queries: 5, cosineScale: true },
});
