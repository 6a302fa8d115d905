/**
 * The sine lab's messages between the page and its training worker, beside the shared ones of
 * hostProtocol.ts. Large arrays are Float32Arrays, transferred rather than copied.
 */
import type { SineSettings } from '../engine/algorithms/sineConfig';
import type { DivergedBase, HostCommand, HostEvent, SnapshotBase } from './hostProtocol';

export type SineModelName = 'maml' | 'pretrain';

/** The lab's settings (both models share them) and its first model's algorithms: declared once by the engine's sine schema. */
export type { SineLabAlgorithm, SineSettings } from '../engine/algorithms/sineConfig';

export interface SupportPoints {
  xs: number[];
  ys: number[];
}

/** The adaptation view's request: the support set on the page, the inner rate, DAML's demonstration. */
export type AdaptMessage = { type: 'adapt'; support: SupportPoints; alpha: number; /** DAML: label-free demonstration inputs of the task. */ demo?: number[] };

export type ToWorker = HostCommand<SineSettings> | AdaptMessage;

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
  | HostEvent
  | (SnapshotBase & {
      /** Meta-losses of the steps done since the previous snapshot (one value per step). */
      mamlLoss: Float32Array;
      pretrainLoss: Float32Array;
      /** Gradient agreement: the task weights of the last step (null for other algorithms or no new step). */
      weights: Float32Array | null;
      /** Which equation is being computed now, for the explanation panel. */
      stage: 'idle' | 'outer';
    })
  | { type: 'adaptation'; view: AdaptationView }
  | { type: 'evaluation'; step: number; maml: number[]; pretrain: number[]; tasks: number }
  | { type: 'family'; view: FamilyView }
  | (DivergedBase & { model: SineModelName; alpha: number; metaLr: number })
  | { type: 'checkpoint'; model: SineModelName; text: string }
  | { type: 'checkpointLoaded'; model: SineModelName; step: number; fileName: string }
  | { type: 'reset'; settings: SineSettings };
