import { create } from 'zustand';
import { TRAINING_IDLE, type TrainingStatus } from '../../ui/trainingStatus';
import { Rng } from '../../engine/core/rng';
import { sampleSinePoints, sampleSineTask, type SineTask } from '../../engine/tasks/sine';
import type { AdaptationView, FamilyView, SineSettings, SupportPoints } from '../../worker/sineProtocol';
import { DEFAULT_SETTINGS } from './settings';

/** The sine lab's state on the main thread: what the worker last reported plus the user's task. */
export interface SineLabState extends TrainingStatus {
  settings: SineSettings;
  draft: SineSettings;
  task: SineTask;
  support: SupportPoints;
  stage: 'idle' | 'outer';
  /** Full meta-loss histories, one value per outer step. */
  mamlLoss: number[];
  pretrainLoss: number[];
  evaluation: { step: number; maml: number[]; pretrain: number[]; tasks: number } | null;
  adaptation: AdaptationView | null;
  diverged: { step: number; model: 'maml' | 'pretrain'; loss: number; alpha: number; metaLr: number } | null;
  animStep: number;
  animating: boolean;
  /** Gradient agreement: the task weights of the latest step. */
  gaWeights: number[] | null;
  /** Meta-SGD's α or CAML's contexts, as the worker last reported them. */
  family: FamilyView | null;
  /** DAML: the demonstration inputs (no labels) the first model adapts on. */
  demo: number[];
}

/** K points of the task drawn from a seeded stream, so the same link shows the same points. */
export function samplePoints(task: SineTask, k: number, seed: number, draw: number): SupportPoints {
  const b = sampleSinePoints(Rng.derive(seed, `ui-points-${draw}`), [task], k);
  return { xs: Array.from(b.xs), ys: Array.from(b.ys) };
}

export function randomTask(seed: number, draw: number): SineTask {
  return sampleSineTask(Rng.derive(seed, `ui-task-${draw}`));
}

export const useSine = create<SineLabState>(() => ({
  settings: DEFAULT_SETTINGS,
  draft: DEFAULT_SETTINGS,
  task: { amplitude: 3, phase: 1 },
  support: { xs: [], ys: [] },
  ...TRAINING_IDLE,
  stage: 'idle',
  mamlLoss: [],
  pretrainLoss: [],
  evaluation: null,
  adaptation: null,
  diverged: null,
  animStep: 1,
  animating: true,
  gaWeights: null,
  family: null,
  demo: [],
}));
