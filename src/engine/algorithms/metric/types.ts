import type * as tf from '@tensorflow/tfjs';
import type { ParamSpec, ParamValues } from '../../core/params';
import type { Rng } from '../../core/rng';
import type { METRIC_DESCRIPTORS } from './registry';
import type { SettingsOf } from '../../settings/schema';
import type { METRIC_FIELDS, METRIC_RUN_FIELDS } from '../../settings/metric';

/*
 * The metric-based family (issue #5): the shared vocabulary of the methods, the trainer, the
 * worker, the CLI and the lab. One method = one MetricMethodImpl and its descriptor in its own
 * file, one line in ./registry.ts; everything else (training loop, evaluation, checkpoints, views)
 * is generic.
 */

/** The registered methods' ids (a method missing from a page's `Record<MetricMethod, …>` map is a compile error). */
export type MetricMethod = (typeof METRIC_DESCRIPTORS)[number]['id'];
export { METRIC_METHODS } from './registry';

/** Methods without training, on raw images (Lake's baselines). */
export const METRIC_BASELINES = ['pixel-nn', 'mhd'] as const;
export type MetricBaseline = (typeof METRIC_BASELINES)[number];

/**
 * The config of a metric method: the family's settings schema (engine/settings/metric.ts) less the
 * run's own fields, with the method. The width is any whole number here (the CLI takes 1 to 256);
 * the page offers 16, 32 or 64.
 */
export type MetricConfig = { method: MetricMethod; width: number } & Omit<SettingsOf<typeof METRIC_FIELDS>, (typeof METRIC_RUN_FIELDS)[number] | 'width'>;

/** Siamese: contrastive (y = 1 for a same pair: y·D² + (1−y)·max(0, m − D)²) or triplet loss, margin m. */
export type SiameseLoss = MetricConfig['siameseLoss'];
/** Gaussian prototypical network (Fort 2017): one radius per embedding, or a diagonal covariance. */
export type GaussianCovariance = MetricConfig['covariance'];
/** Raw encoder output s → inverse covariance: 1+softplus(s), 1+sigmoid(s), 1+4·sigmoid(s), offset+scale·softplus(s/div) (learned offset, scale, div). */
export type GaussianTransform = MetricConfig['transform'];
/** Semi-supervised prototypical network (Ren et al. 2018): plain soft k-means, + a distractor cluster, + masked soft k-means. */
export type SemiVariant = MetricConfig['semiVariant'];

/**
 * One episode as tensors, class-major as the character sampler gives them.
 * Images are [n, 28, 28, 1] with ink 1 on 0.
 */
export interface MetricEpisode {
  ways: number;
  shots: number;
  support: tf.Tensor4D;
  /** Labels 0 … ways−1 of the support images. */
  supportLabels: Int32Array;
  query: tf.Tensor4D;
  queryLabels: Int32Array;
  /** Semi-supervised only: unlabeled images (from the episode's classes and from distractor classes). */
  unlabeled?: tf.Tensor4D;
  /** For each unlabeled image, its true class 0 … ways−1, or −1 for a distractor (for views and tests only; never used by the method). */
  unlabeledTruth?: Int32Array;
}

/**
 * Encoder mode: 'train' normalises with the batch's own statistics and updates the running
 * averages; 'eval' uses the running averages, so a single drawing (or a pair) can be embedded.
 */
export type EncoderMode = 'train' | 'eval';

/** What a method says about a query set: class probabilities and the reason, as tensors (the caller disposes). */
export interface MetricOutput {
  /** Log-probabilities [Q, ways] (the training loss is the NLL of these, except where the method's own loss differs). */
  logProbs: tf.Tensor2D;
  /** Embeddings for the embedding-space view. */
  supportEmbeddings: tf.Tensor2D;
  queryEmbeddings: tf.Tensor2D;
  /** Prototypes [ways, D] where the method has them (protonet family, relation: per-class sums). */
  prototypes?: tf.Tensor2D;
  /** Gaussian: per-class inverse covariance, [ways, 1] (radius) or [ways, D] (diagonal). */
  precisions?: tf.Tensor2D;
  /** Distance of each query to each class [Q, ways] (protonet family, siamese: nearest support item). */
  distances?: tf.Tensor2D;
  /** Matching network: attention of each query over the support items [Q, S]. */
  attention?: tf.Tensor2D;
  /** Relation network: relation scores in [0, 1], [Q, ways]. */
  relations?: tf.Tensor2D;
  /** Semi-supervised: soft assignment of each unlabeled item [U, ways (+1 distractor column)]. */
  assignments?: tf.Tensor2D;
}

export interface MetricMethodImpl {
  /** Trainable parameters (the encoder's plus the method's own modules). */
  paramSpecs(cfg: MetricConfig): ParamSpec[];
  init(cfg: MetricConfig, rng: Rng): ParamValues;
  /**
   * Differentiable training loss of one episode wrt `params` (called inside tf.variableGrads).
   * `encode` embeds images with the shared encoder in the given mode.
   */
  loss(ctx: MethodContext, ep: MetricEpisode): tf.Scalar;
  /** Classification of the episode's queries with the reason (no gradient needed). */
  predict(ctx: MethodContext, ep: MetricEpisode): MetricOutput;
}

export interface MethodContext {
  cfg: MetricConfig;
  params: readonly tf.Tensor[];
  /** Names of params, index-aligned (look up a module's tensors by name). */
  names: readonly string[];
  mode: EncoderMode;
  /** Images [n, 28, 28, 1] → embeddings [n, D] with the shared conv encoder (see ./encoder.ts). */
  encode(x: tf.Tensor4D): tf.Tensor2D;
  /** The Rng of the trainer (pair / triplet sampling). */
  rng: Rng;
  /**
   * Set by the trainer during `loss`: a method calls it with its query log-probabilities [Q, ways]
   * so the step's accuracy costs no second forward pass (optional; without it the trainer predicts).
   */
  reportLogProbs?: (logProbs: tf.Tensor2D) => void;
}

/** Accuracy over held-out episodes: mean and the 95% confidence half-width (1.96·sd/√n). */
export interface MetricEval {
  accuracy: number;
  ci95: number;
  episodes: number;
}

/** A plain-array classification result (worker messages, CLI, views). Row-major matrices. */
export interface MetricClassification {
  method: MetricMethod | MetricBaseline;
  ways: number;
  queries: number;
  /** [Q, ways] probabilities. */
  probs: Float32Array;
  predicted: Int32Array;
  /** Whatever of MetricOutput the method produces, read back ([rows, cols] in `shapes`). */
  supportEmbeddings?: Float32Array;
  queryEmbeddings?: Float32Array;
  prototypes?: Float32Array;
  precisions?: Float32Array;
  distances?: Float32Array;
  attention?: Float32Array;
  relations?: Float32Array;
  assignments?: Float32Array;
  shapes: Partial<Record<'supportEmbeddings' | 'queryEmbeddings' | 'prototypes' | 'precisions' | 'distances' | 'attention' | 'relations' | 'assignments', [number, number]>>;
}
