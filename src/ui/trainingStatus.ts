import type { BrowserBackend, ProbeResult } from '../worker/protocol';

/** What every lab's page keeps of its training worker's reports (the toolbar reads these). */
export interface TrainingStatus {
  /** The backend the worker runs on, null until it has started one. */
  backend: BrowserBackend | null;
  /** The worker's timings of each backend when "auto" probed them. */
  probe: ProbeResult[] | null;
  running: boolean;
  /** Training steps (outer steps or episodes) of the model on screen. */
  step: number;
  stepsPerS: number;
}

/** Before the worker has reported anything. */
export const TRAINING_IDLE: TrainingStatus = { backend: null, probe: null, running: false, step: 0, stepsPerS: 0 };
