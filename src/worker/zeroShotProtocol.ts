/**
 * Messages between the metric lab's zero-shot view (#/metric?view=zeroshot) and its worker, which
 * trains the zero-shot relation network (src/engine/algorithms/metric/zeroShot.ts) on the
 * synthetic attribute world. The page only draws.
 */
import type { MessageKey } from '../i18n/messages';
import type { BackendChoice, BrowserBackend, ProbeResult, Speed } from './vocabulary';

export type ToZeroShotWorker =
  | { type: 'init'; backend: BackendChoice; probeCache: BrowserBackend | null; speed: Speed }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'speed'; speed: Speed }
  /** A fresh network (same seed: the same world, the same initial weights). */
  | { type: 'reset' }
  | { type: 'setBackend'; backend: BackendChoice }
  /** The query of draw `draw`, scored against `attributes` [ways × A] (null: the classes' own); latest wins, refreshed while training. */
  | { type: 'view'; draw: number; attributes: number[] | null };

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
  | { type: 'backend'; backend: BrowserBackend; requested: BackendChoice; probe?: ProbeResult[] }
  /** Losses of the steps since the previous snapshot and any new evaluation. */
  | { type: 'snapshot'; step: number; running: boolean; stepsPerS: number; losses: Float32Array; evaluation: ZeroShotEvalPoint | null }
  | { type: 'view'; view: ZeroShotView }
  | { type: 'diverged'; step: number; loss: number }
  | { type: 'reset' }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; key: MessageKey; params?: Record<string, string | number> };
