/**
 * Messages between the metric lab (#/metric) and its training worker. One worker holds one
 * trainer per method the user has trained (so draw-your-own and the arena can compare them all);
 * the method on screen is the one Play trains. Every view is computed in the worker, the 2-D
 * projection included: the page only draws.
 */
import type { MetricBaseline, MetricMethod, SiameseLoss } from '../engine/algorithms/metric/types';
import type { DivergedBase, HostCommand, HostEvent, SnapshotBase } from './hostProtocol';

/** What a link reproduces: the method on screen and the settings every method trains with (declared once, in the engine's metric schema). */
export type { MetricSettings } from '../engine/algorithms/metric/settings';
import type { MetricSettings } from '../engine/algorithms/metric/settings';
export type MetricSource = MetricSettings['source'];

/** Images travel as [n, 28, 28] ink 1 on 0, row-major. */
export interface ImageBatch {
  count: number;
  pixels: Float32Array;
}

/** The lab's own commands; `reset` (shared) forgets the training of `settings.method` only and starts it again. */
export type MetricCommand =
  /** Settings changed (method on screen included): trains `settings.method` from its own state, or afresh when its config changed. */
  | { type: 'configure'; settings: MetricSettings }
  /** Another episode in the embedding view (draw number → seeded episode from the evaluation alphabets). */
  | { type: 'episode'; draw: number; shuffle: number }
  /** Classify a hand-made episode with every trained method and the baselines. */
  | { type: 'classifyDrawn'; ways: number; shots: number; support: ImageBatch; query: ImageBatch; requestId: number }
  /** Siamese pair explorer: distance of two images. */
  | { type: 'pair'; a: Float32Array; b: Float32Array; requestId: number }
  /** Evaluate every trained method and the baselines on `episodes` held-out ways-way shots-shot episodes. */
  | { type: 'arena'; episodes: number; ways: number; shots: number };

export type ToMetricWorker = HostCommand<MetricSettings> | MetricCommand;

/** A 2-D point set of the embedding view (PCA of the episode's embeddings). */
export interface EmbeddingView {
  method: MetricMethod;
  step: number;
  draw: number;
  ways: number;
  shots: number;
  /** Images shown beside the plot: support, query and (semi-supervised) unlabeled, [n, 28, 28]. */
  supportImages: Float32Array;
  queryImages: Float32Array;
  supportLabels: Int32Array;
  queryLabels: Int32Array;
  /** [n, 2] projected coordinates. */
  support2d: Float32Array;
  query2d: Float32Array;
  prototypes2d: Float32Array | null;
  /** Per class, a 1-σ ellipse of the Gaussian prototype in the plane: [ways, 3] = semi-axes a, b and angle (radians). */
  ellipses: Float32Array | null;
  /** [Q, ways] */
  probs: Float32Array;
  predicted: Int32Array;
  distances: Float32Array | null;
  /** Matching: [Q, S]; relation: [Q, ways]; semi: [U, ways (+1)]. */
  attention: Float32Array | null;
  relations: Float32Array | null;
  assignments: Float32Array | null;
  assignmentCols: number;
  unlabeledImages: Float32Array | null;
  unlabeled2d: Float32Array | null;
  unlabeledTruth: Int32Array | null;
  /** Share of variance the two axes explain. */
  explained: number;
  /** Matching network: the learned scale s of the cosines (null: the paper's s = 1, or another method). */
  cosineScale: number | null;
  /** The support order shown (a permutation of 0 … S−1; FCE's "shuffle support order"). */
  order: Int32Array;
}

export interface DrawnResult {
  method: MetricMethod | MetricBaseline;
  /** Training steps behind it (0 for the baselines). */
  step: number;
  /** [Q, ways] */
  probs: Float32Array;
  predicted: Int32Array;
  /** The reason, per query and class: distance (protonet family, siamese, baselines), attention summed per class (matching) or relation score. */
  reason: Float32Array;
  reasonKind: 'distance' | 'attention' | 'relation';
}

export interface ArenaRow {
  method: MetricMethod | MetricBaseline;
  step: number;
  accuracy: number;
  ci95: number;
  episodes: number;
}

/** The snapshot of the method on screen, sent at display rate. */
export interface MetricCurves {
  method: MetricMethod;
  /** Loss and episode accuracy of the steps done since the previous snapshot. */
  losses: Float32Array;
  accuracies: Float32Array;
}

export type FromMetricWorker =
  | HostEvent
  /** The methods the engine's registry has (the picker shows only these). */
  | { type: 'methods'; available: MetricMethod[] }
  | (SnapshotBase & {
      method: MetricMethod;
      curves: MetricCurves | null;
      /** Steps of every method the worker holds (0 = untrained). */
      trained: Partial<Record<MetricMethod, number>>;
    })
  | { type: 'embedding'; view: EmbeddingView }
  | { type: 'drawn'; requestId: number; ways: number; queries: number; results: DrawnResult[] }
  | { type: 'pair'; requestId: number; distance: number; margin: number; loss: SiameseLoss; step: number }
  | { type: 'arena'; rows: ArenaRow[]; ways: number; shots: number; source: MetricSource; running: boolean }
  | { type: 'preparing'; busy: boolean; source: MetricSource }
  | { type: 'source'; source: MetricSource; alphabets: number; characters: number }
  | (DivergedBase & { method: MetricMethod })
  | { type: 'checkpoint'; text: string; method: MetricMethod; step: number }
  | { type: 'checkpointLoaded'; step: number; fileName: string; settings: MetricSettings }
  | { type: 'reset'; method: MetricMethod };
