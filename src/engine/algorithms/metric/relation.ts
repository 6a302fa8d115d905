import * as tf from '@tensorflow/tfjs';
import type { ParamSpec, ParamValues } from '../../core/params';
import type { Rng } from '../../core/rng';
import { logSumExp, sigmoid, softplus } from '../../core/ops';
import { encoderParamSpecs, initEncoder } from './encoder';
import { encodeEpisode, glorot, oneHotLabels, paramByName } from './moduleParams';
import type { MethodContext, MetricConfig, MetricEpisode, MetricMethodImpl, MetricOutput } from './types';
import { defineMetricMethod } from './descriptor';

/*
 * Relation network (Sung et al. 2018).
 *
 *   e_c = Σ_{i: y_i = c} f(x_i)                     per-class SUM of the support embeddings (K-shot;
 *                                                   rescaled to the trained K otherwise, see classSums)
 *   r_{q,c} = σ(g([e_c, f(x_q)])) ∈ [0, 1]           relation module on the concatenation
 *   loss = mean_{q,c} (r_{q,c} − 1(y_q = c))²        MSE against the same-class indicator
 *
 * The paper concatenates feature MAPS (its embedding has no pooling in the last two blocks) and
 * its relation module is two conv blocks (3×3 conv, batch norm, ReLU, pooling) → FC 8 → FC 1 →
 * sigmoid. Our shared encoder ends in a 1×1×D map, where a 3×3 'same' convolution only sees its
 * centre tap, i.e. is a fully connected layer over channels, and pooling has nothing to pool. So
 * the module here is what those conv blocks reduce to on a 1×1 map: FC 2D→D, ReLU, FC D→D, ReLU,
 * then the paper's FC D→8, ReLU, FC 8→1, sigmoid — without the module's batch norm (it would need
 * its own running statistics; the encoder's already normalise the inputs). Re-routing the encoder
 * to expose 7×7 maps would give every method a different encoder, so we keep one shared encoder.
 *
 * The relation scores are not probabilities (they need not sum to 1); for the shared accuracy and
 * the "draw your own" view logProbs = log(r_c / Σ_c' r_c'), computed from log σ(z) = −softplus(−z)
 * so that scores that underflow stay finite. The arg-max is that of the relation scores.
 */

/** Hidden width of the paper's penultimate FC layer. */
export const RELATION_HIDDEN = 8;

/** A stack of fully connected layers: ReLU between layers, none after the last (it returns logits). */
export interface DenseLayer {
  w: tf.Tensor2D;
  b: tf.Tensor1D;
}

export function denseStack(layers: readonly DenseLayer[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  layers.forEach((l, i) => {
    h = tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D;
    if (i < layers.length - 1) h = tf.relu(h);
  });
  return h;
}

/** Specs of a dense stack named `${prefix}_w{i}` / `${prefix}_b{i}` with the given layer sizes. */
export function denseSpecs(prefix: string, sizes: readonly number[]): ParamSpec[] {
  const out: ParamSpec[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    out.push({ name: `${prefix}_w${i + 1}`, shape: [sizes[i], sizes[i + 1]] });
    out.push({ name: `${prefix}_b${i + 1}`, shape: [sizes[i + 1]] });
  }
  return out;
}

export function denseLayersOf(ctx: Pick<MethodContext, 'params' | 'names'>, prefix: string): DenseLayer[] {
  const layers: DenseLayer[] = [];
  for (let i = 1; ctx.names.includes(`${prefix}_w${i}`); i++)
    layers.push({ w: paramByName(ctx, `${prefix}_w${i}`) as tf.Tensor2D, b: paramByName(ctx, `${prefix}_b${i}`) as tf.Tensor1D });
  if (layers.length === 0) throw new Error(`no dense layers named ${prefix}_w1 …`);
  return layers;
}

/** Relation module layer sizes for embedding size D. */
export function relationSizes(width: number): number[] {
  return [2 * width, width, width, RELATION_HIDDEN, 1];
}

export function relationModuleSpecs(cfg: Pick<MetricConfig, 'width'>): ParamSpec[] {
  return denseSpecs('rel', relationSizes(cfg.width));
}

/**
 * Glorot weights, zero hidden biases; the output bias starts at logit(1/ways), the constant score
 * that minimises the MSE when 1 in `ways` pairs is a match. With a zero bias every r starts near
 * ½, the first steps push all scores down at once, and (measured on Omniglot, width 64, Adam 1e-3)
 * that push killed all 8 ReLUs of the penultimate layer within 3 episodes, leaving r constant.
 */
export function initRelationModule(cfg: Pick<MetricConfig, 'width' | 'ways'>, rng: Rng): ParamValues {
  const specs = relationModuleSpecs(cfg);
  const values = specs.map((s) => glorot(s, rng));
  values[values.length - 1].fill(Math.log(1 / (cfg.ways - 1)));
  return { specs, values };
}

/**
 * Relation logits z [Q, C] of every (query, class) pair: the module on [classes_c, queries_q]
 * (class representation first, as in the paper's concatenation). r = σ(z).
 */
export function relationLogits(layers: readonly DenseLayer[], classes: tf.Tensor2D, queries: tf.Tensor2D): tf.Tensor2D {
  const [c, dc] = classes.shape;
  const [q, dq] = queries.shape;
  const left = tf.reshape(tf.tile(tf.expandDims(classes, 0), [q, 1, 1]), [q * c, dc]);
  const right = tf.reshape(tf.tile(tf.expandDims(queries, 1), [1, c, 1]), [q * c, dq]);
  return tf.reshape(denseStack(layers, tf.concat([left, right], 1) as tf.Tensor2D), [q, c]) as tf.Tensor2D;
}

/** log(r_c / Σ r) from the logits, with log σ(z) = −softplus(−z). */
export function relationLogProbs(logits: tf.Tensor2D): tf.Tensor2D {
  const logR = tf.neg(softplus(tf.neg(logits)));
  return tf.sub(logR, logSumExp(logR, 1, true)) as tf.Tensor2D;
}

/** mean (r − 1(same class))² over all query × class pairs. */
export function relationMse(relations: tf.Tensor2D, queryLabels: Int32Array): tf.Scalar {
  return tf.mean(tf.square(tf.sub(relations, oneHotLabels(queryLabels, relations.shape[1])))) as tf.Scalar;
}

/**
 * Per-class sums [ways, D] of the support embeddings. With `trainedShots` each class's sum is
 * rescaled to that many shots, K_train · mean: the paper's sum when an episode has the trained
 * number of shots (Sung et al. train one model per K), and in the same range otherwise, so a
 * 1-shot model can classify a 5-shot episode or a drawing with unequal shots per class (a raw sum
 * of 5 embeddings is 5× outside what the relation module was trained on).
 */
export function classSums(support: tf.Tensor2D, labels: Int32Array, ways: number, trainedShots?: number): tf.Tensor2D {
  const sums = tf.matMul(oneHotLabels(labels, ways), support, true, false) as tf.Tensor2D;
  if (trainedShots === undefined) return sums;
  const counts = new Float32Array(ways);
  labels.forEach((l) => counts[l]++);
  const scale = Float32Array.from(counts, (n) => (n > 0 ? trainedShots / n : 0));
  return tf.mul(sums, tf.tensor2d(scale, [ways, 1])) as tf.Tensor2D;
}

interface RelationRun {
  s: tf.Tensor2D;
  q: tf.Tensor2D;
  sums: tf.Tensor2D;
  logits: tf.Tensor2D;
  relations: tf.Tensor2D;
}

function run(ctx: MethodContext, ep: MetricEpisode): RelationRun {
  const { s, q } = encodeEpisode(ctx, ep.support, ep.query);
  const sums = classSums(s, ep.supportLabels, ep.ways, ctx.cfg.shots);
  const logits = relationLogits(denseLayersOf(ctx, 'rel'), sums, q);
  return { s, q, sums, logits, relations: sigmoid(logits) };
}

export function relationLoss(ctx: MethodContext, ep: MetricEpisode): tf.Scalar {
  return tf.tidy(() => {
    const r = run(ctx, ep);
    if (ctx.reportLogProbs) ctx.reportLogProbs(relationLogProbs(r.logits));
    return relationMse(r.relations, ep.queryLabels);
  });
}

export function relationPredict(ctx: MethodContext, ep: MetricEpisode): MetricOutput {
  return tf.tidy(() => {
    const r = run(ctx, ep);
    return { logProbs: relationLogProbs(r.logits), relations: r.relations, prototypes: r.sums, supportEmbeddings: r.s, queryEmbeddings: r.q };
  });
}

export const relationImpl: MetricMethodImpl = {
  paramSpecs: (cfg) => [...encoderParamSpecs({ width: cfg.width, extra: 0 }), ...relationModuleSpecs(cfg)],
  init(cfg, rng) {
    const enc = initEncoder({ width: cfg.width, extra: 0 }, rng);
    const mod = initRelationModule(cfg, rng);
    return { specs: [...enc.specs, ...mod.specs], values: [...enc.values, ...mod.values] };
  },
  loss: relationLoss,
  predict: relationPredict,
};

export const relationMethod = defineMetricMethod({
  id: 'relation',
  impl: relationImpl,
  defaults: { ways: 5, queries: 5 },
});
