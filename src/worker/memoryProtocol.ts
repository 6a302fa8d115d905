/**
 * Messages between the memory lab (#/memory) and its training worker. A worker runs one job: a
 * Neural Turing Machine (or the LSTM baseline) on the copy task, or a MANN on label sequences of
 * characters. It sends back losses, evaluations and the full trace (memory, weightings,
 * addressing stages, usage) of the sequence or episode the page shows.
 */
import type { CopyModel, CopySettings } from '../engine/algorithms/copyConfig';
import type { MannSettings } from '../engine/algorithms/mannConfig';
import type { DivergedBase, HostCommand, HostEvent, SnapshotBase } from './hostProtocol';

/** The copy-task and MANN settings a link reproduces: declared once by the engine's schemas. */
export type { CopySettings } from '../engine/algorithms/copyConfig';
export type { MannSettings } from '../engine/algorithms/mannConfig';

export type MemoryTask = 'copy' | 'omniglot';
export type MemoryJob = { task: 'copy'; settings: CopySettings } | { task: 'omniglot'; settings: MannSettings };

/** A bit pattern: rows are time steps, each 8 values 0/1. */
export type BitPattern = number[][];

/** MANN: show another evaluation episode (draw number → a seeded episode). */
export type MemoryViewCommand = { type: 'trace'; pattern: BitPattern } | { type: 'episode'; draw: number };

/** The worker's settings are its job (`init` and `reset` carry it as `settings`). */
export type ToMemoryWorker = HostCommand<MemoryJob> | MemoryViewCommand;

/** One sequence run through the model, batch element 0, every array row-major. */
export interface CopyTraceView {
  model: CopyModel;
  /** L, and T = 2L + 1 steps */
  length: number;
  steps: number;
  bits: number;
  slots: number;
  width: number;
  readHeads: number;
  writeHeads: number;
  /** [T, bits + 1] */
  inputs: Float32Array;
  /** [L, bits] */
  targets: Float32Array;
  /** σ(logits) [T, bits] */
  outputs: Float32Array;
  /** Bit errors of the recall outputs (steps L+1 … 2L). */
  bitErrors: number;
  /** NTM only (empty arrays for the LSTM): memory after each step [T, N, M]; stages [T, H, N]. */
  memory: Float32Array;
  content: Float32Array;
  gated: Float32Array;
  shifted: Float32Array;
  weights: Float32Array;
  /** [T, H, M] */
  key: Float32Array;
  /** [T, H] */
  beta: Float32Array;
  gate: Float32Array;
  gamma: Float32Array;
  /** [T, H, 3]: s(−1), s(0), s(+1) */
  shift: Float32Array;
  /** [T, W, M] */
  erase: Float32Array;
  add: Float32Array;
}

export interface CopyEvaluationView {
  step: number;
  /** Lengths 1 … 2·maxLength and the bit-error rate on a fixed set of sequences of each. */
  lengths: number[];
  ber: number[];
  sequences: number;
}

/** One MANN episode (evaluation split), batch element 0, row-major. */
export interface MannTraceView {
  steps: number;
  classes: number;
  slots: number;
  width: number;
  readHeads: number;
  imageSize: number;
  /** [T, size, size] ink 0…1 */
  images: Float32Array;
  /** [T]: the label to predict, its presentation number, the model's guess */
  labels: Int32Array;
  instance: Int32Array;
  predicted: Int32Array;
  /** softmax [T, classes] */
  probs: Float32Array;
  /** [T, R, N] */
  readWeights: Float32Array;
  writeWeights: Float32Array;
  /** [T, N] usage after the step, and the slot cleared before the step's write */
  usage: Float32Array;
  cleared: Float32Array;
  /** [T, N, M] memory after the step */
  memory: Float32Array;
}

export interface MannEvaluationView {
  step: number;
  /** accuracy[n − 1]: on the n-th presentation of a class */
  accuracy: number[];
  episodes: number;
}

export type FromMemoryWorker =
  | HostEvent
  | (SnapshotBase & {
      /** Losses (mean BCE, nats per bit) of the steps done since the previous snapshot. */
      losses: Float32Array;
      /** Their sequence lengths. */
      lengths: Int32Array;
    })
  | { type: 'trace'; view: CopyTraceView }
  | { type: 'evaluation'; view: CopyEvaluationView }
  | { type: 'mannTrace'; view: MannTraceView }
  | { type: 'mannEvaluation'; view: MannEvaluationView }
  /** The worker is preparing data (e.g. generating the synthetic characters) before it can train. */
  | { type: 'preparing'; busy: boolean }
  | (DivergedBase & { lr: number })
  | { type: 'checkpoint'; text: string; model: string; step: number }
  | { type: 'checkpointLoaded'; step: number; fileName: string; job: MemoryJob }
  | { type: 'reset'; job: MemoryJob };
