import { create } from 'zustand';
import { TRAINING_IDLE, type TrainingStatus } from '../../ui/trainingStatus';
import { Rng } from '../../engine/core/rng';
import type { BitPattern, CopyEvaluationView, CopySettings, CopyTraceView, MannEvaluationView, MannSettings, MannTraceView, MemoryTask } from '../../worker/memoryProtocol';
import { DEFAULT_MANN_SETTINGS, DEFAULT_MEMORY_SETTINGS } from './settings';

/** The memory lab's state on the main thread: what the worker last reported, the pattern on screen, the step and head in view. */
export interface MemoryLabState extends TrainingStatus {
  /** The task on screen; its worker runs that task's job. */
  task: MemoryTask;
  settings: CopySettings;
  draft: CopySettings;
  mann: MannSettings;
  mannDraft: MannSettings;
  mannTrace: MannTraceView | null;
  mannEvaluation: MannEvaluationView | null;
  /** The worker is generating the characters before the MANN can train. */
  preparing: boolean;
  /** The step of the MANN episode in view. */
  mannStep: number;
  episodeDraw: number;
  /** One value per training step. */
  losses: number[];
  lengths: number[];
  evaluation: CopyEvaluationView | null;
  trace: CopyTraceView | null;
  diverged: { step: number; loss: number; lr: number } | null;
  /** The sequence the views show: rows are time steps, 8 bits each. */
  pattern: BitPattern;
  /** The time step in view (0 … 2L), and the head (0 … R−1 read heads, then write heads). */
  selStep: number;
  head: number;
  scrubbing: boolean;
}

export const COPY_BITS_SHOWN = 8;

/** A seeded random pattern, so the same link shows the same sequence. */
export function randomPattern(length: number, seed: number, draw: number): BitPattern {
  const rng = Rng.derive(seed, `ui-pattern-${draw}`);
  return Array.from({ length }, () => Array.from({ length: COPY_BITS_SHOWN }, () => (rng.next() < 0.5 ? 1 : 0)));
}

export const useMemoryLab = create<MemoryLabState>(() => ({
  task: 'copy',
  settings: DEFAULT_MEMORY_SETTINGS,
  draft: DEFAULT_MEMORY_SETTINGS,
  mann: DEFAULT_MANN_SETTINGS,
  mannDraft: DEFAULT_MANN_SETTINGS,
  mannTrace: null,
  mannEvaluation: null,
  preparing: false,
  mannStep: 0,
  episodeDraw: 0,
  ...TRAINING_IDLE,
  losses: [],
  lengths: [],
  evaluation: null,
  trace: null,
  diverged: null,
  pattern: randomPattern(DEFAULT_MEMORY_SETTINGS.maxLength, 0, 0),
  selStep: 0,
  head: 0,
  scrubbing: false,
}));
