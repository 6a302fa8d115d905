/**
 * Messages between the metric lab's zero-shot view (#/metric?view=zeroshot) and its worker, which
 * trains the zero-shot relation network (src/engine/algorithms/metric/zeroShot.ts) on the
 * synthetic attribute world. The page only draws.
 */
import type { DivergedBase, HostCommand, HostEvent, SnapshotBase } from './hostProtocol';

/** The query of draw `draw`, scored against `attributes` [ways × A] (null: the classes' own); latest wins, refreshed while training. */
export type ZeroShotViewCommand = { type: 'view'; draw: number; attributes: number[] | null };

/** The lab has no settings of its own (`settings: null`); a reset is a fresh network (same seed: the same world, the same initial weights). */
export type ToZeroShotWorker = HostCommand<null> | ZeroShotViewCommand;

/** 5-way accuracy on the fixed evaluation sets at a step. */
export interface ZeroShotEvalPoint {
  step: number;
  /** Classes the network never trained on. */
  heldOut: number;
  /** Training classes (for contrast). */
  seen: number;
}

/** One held-out query against the attribute vectors of the episode's classes. */
export interface ZeroShotView {
  step: number;
  draw: number;
  /** Class ids (all held out). */
  classes: number[];
  attributeCount: number;
  /** The classes' own attribute vectors [ways × A], and the ones scored (edited or not). */
  original: Float32Array;
  attributes: Float32Array;
  /** The query's features x_q [F]. */
  features: Float32Array;
  /** Index of the query's class among `classes`. */
  truth: number;
  /** Relation scores r ∈ [0, 1], one per class. */
  scores: Float32Array;
}

export type FromZeroShotWorker =
  | HostEvent
  /** Losses of the steps since the previous snapshot and any new evaluation. */
  | (SnapshotBase & { losses: Float32Array; evaluation: ZeroShotEvalPoint | null })
  | { type: 'view'; view: ZeroShotView }
  | DivergedBase
  | { type: 'reset' };
