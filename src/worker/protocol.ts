/**
 * The typed messages between the page and the training worker. Commands go in; snapshots,
 * notices and files come out. Large arrays are Float32Arrays, transferred rather than copied.
 */
import type { MessageKey } from '../ui/i18n/messages';

export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'cpu'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];
export type BackendChoice = 'auto' | BrowserBackend;
export type Speed = 'slow' | 'normal' | 'fast';
export type SineModelName = 'maml' | 'pretrain';

/** The lab's trainable settings: both models share them (same budget, same task stream). */
export interface SineSettings {
  k: number;
  alpha: number;
  innerSteps: number;
  metaLr: number;
  metaBatch: number;
  firstOrder: boolean;
  seed: number;
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
  | { type: 'adapt'; support: SupportPoints; alpha: number }
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
      /** Which equation is being computed now, for the explanation panel. */
      stage: 'idle' | 'outer';
    }
  | { type: 'adaptation'; view: AdaptationView }
  | { type: 'evaluation'; step: number; maml: number[]; pretrain: number[]; tasks: number }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; key: MessageKey; params?: Record<string, string | number> }
  | { type: 'diverged'; step: number; model: SineModelName; loss: number; alpha: number; metaLr: number }
  | { type: 'checkpoint'; model: SineModelName; text: string }
  | { type: 'checkpointLoaded'; model: SineModelName; step: number; fileName: string }
  | { type: 'reset'; settings: SineSettings };
