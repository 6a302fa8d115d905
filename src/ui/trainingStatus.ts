import type { StoreApi, UseBoundStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { SnapshotBase } from '../worker/hostProtocol';
import type { BackendMessage, BrowserBackend, ProbeResult } from '../worker/vocabulary';

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

/** The training status of a backend message: the probe's timings are kept when it brings none. */
export function backendStatus(s: TrainingStatus, msg: BackendMessage): Pick<TrainingStatus, 'backend' | 'probe'> {
  return { backend: msg.backend, probe: msg.probe ?? s.probe };
}

/** The training status of a snapshot: the last speed measured is kept while paused. */
export function snapshotStatus(s: TrainingStatus, msg: SnapshotBase): Pick<TrainingStatus, 'step' | 'running' | 'stepsPerS'> {
  return { step: msg.step, running: msg.running, stepsPerS: msg.running ? msg.stepsPerS : s.stepsPerS };
}

/**
 * A lab toolbar's subscription to its store's training status: one shallow-compared selector, so
 * the toolbar re-renders only when one of these fields changes. The result spreads into TransportBar.
 */
export function useTrainingStatus<S extends TrainingStatus>(useStore: UseBoundStore<StoreApi<S>>): TrainingStatus {
  return useStore(useShallow((s: S) => ({ backend: s.backend, probe: s.probe, running: s.running, step: s.step, stepsPerS: s.stepsPerS })));
}

/** Mean of the last `n` values (single training steps are noisy), undefined when there are none. */
export function recentMean(values: readonly number[], n = 20): number | undefined {
  const k = Math.min(n, values.length);
  if (k === 0) return undefined;
  let s = 0;
  for (let i = values.length - k; i < values.length; i++) s += values[i];
  return s / k;
}
