/**
 * The typed messages between the page and the training worker. Commands go in; snapshots,
 * notices and files come out. Large arrays are Float32Arrays, transferred rather than copied.
 */
import type { MessageKey } from '../i18n/messages';
import type { InequalityMeasure, InnerOptimizer, ReptileMode, SineAlgorithm } from '../engine/algorithms/sineConfig';

export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'cpu'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];
export type BackendChoice = 'auto' | BrowserBackend;
export type Speed = 'slow' | 'normal' | 'fast';
export type SineModelName = 'maml' | 'pretrain';

/** The algorithms the lab's first model can use (the second is always the pretraining baseline). */
export type SineLabAlgorithm = Exclude<SineAlgorithm, 'pretrain'>;

/** The lab's trainable settings: both models share them (same budget, same task stream). */
export interface SineSettings {
  /** The algorithm of the first model (issue #6); the second model is always pretraining. */
  algorithm: SineLabAlgorithm;
  k: number;
  alpha: number;
  innerSteps: number;
  metaLr: number;
  metaBatch: number;
  firstOrder: boolean;
  seed: number;
  /** Reptile: ε, serial or batched, inner SGD or Adam. */
  epsilon: number;
  reptileMode: ReptileMode;
  innerOptimizer: InnerOptimizer;
  /** CAML: the context's inner learning rate. */
  contextAlpha: number;
  /** TAML: λ and the inequality measure. */
  tamlLambda: number;
  tamlMeasure: InequalityMeasure;
}

export interface SupportPoints {
  xs: number[];
  ys: number[];
}

export type ToWorker =
  | { type: 'init'; backend: BackendChoice; settings: SineSettings; probeCache: BrowserBackend | null }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset'; settings: SineSettings }
  | { type: 'speed'; speed: Speed }
  | { type: 'adapt'; support: SupportPoints; alpha: number; /** DAML: label-free demonstration inputs of the task. */ demo?: number[] }
  | { type: 'setBackend'; backend: BackendChoice }
  | { type: 'saveCheckpoint'; model: SineModelName }
  | { type: 'loadCheckpoint'; text: string; fileName: string }
  | { type: 'simulateBackendFailure' };

export interface ProbeResult {
  backend: BrowserBackend;
  msPerStep: number | null;
  error?: string;
}

export interface AdaptationView {
  grid: Float32Array;
  /** (steps + 1) × grid predictions, row s = after s inner steps. */
  maml: Float32Array;
  pretrain: Float32Array;
  steps: number;
  support: SupportPoints;
}

/** What the algorithm itself has learned, drawn by the lab's family card. */
export type FamilyView =
  /** Meta-SGD: the learned per-parameter step sizes α, one matrix per parameter tensor. */
  | { kind: 'metasgd'; step: number; layers: { name: string; rows: number; cols: number; values: Float32Array }[] }
  /** CAML: each task's adapted context φ′ (first two entries) with the task's amplitude and phase. */
  | { kind: 'caml'; step: number; points: Float32Array; amplitude: Float32Array; phase: Float32Array; dims: number };

export type FromWorker =
  | { type: 'backend'; backend: BrowserBackend; requested: BackendChoice; probe?: ProbeResult[] }
  | {
      type: 'snapshot';
      step: number;
      running: boolean;
      stepsPerS: number;
      /** Meta-losses of the steps done since the previous snapshot (one value per step). */
      mamlLoss: Float32Array;
      pretrainLoss: Float32Array;
      /** Gradient agreement: the task weights of the last step (null for other algorithms or no new step). */
      weights: Float32Array | null;
      /** Which equation is being computed now, for the explanation panel. */
      stage: 'idle' | 'outer';
    }
  | { type: 'adaptation'; view: AdaptationView }
  | { type: 'evaluation'; step: number; maml: number[]; pretrain: number[]; tasks: number }
  | { type: 'family'; view: FamilyView }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; key: MessageKey; params?: Record<string, string | number> }
  | { type: 'diverged'; step: number; model: SineModelName; loss: number; alpha: number; metaLr: number }
  | { type: 'checkpoint'; model: SineModelName; text: string }
  | { type: 'checkpointLoaded'; model: SineModelName; step: number; fileName: string }
  | { type: 'reset'; settings: SineSettings };
