/**
 * The messages every training worker understands and sends, whatever its lab (src/worker/host.ts
 * serves them). A lab's protocol is `HostCommand<ItsSettings> | its own commands` in, and
 * `HostEvent | its own snapshot, reset, diverged and view messages` out.
 */
import type { BackendChoice, BackendMessage, BrowserBackend, NoticeMessage, Speed } from './vocabulary';

export type HostCommand<S> =
  /** `probeCache`: the backend a probe in this browser picked before (auto only). */
  | { type: 'init'; backend: BackendChoice; probeCache: BrowserBackend | null; settings: S; speed?: Speed }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'speed'; speed: Speed }
  /** Forget the training and start again with these settings. */
  | { type: 'reset'; settings: S }
  | { type: 'setBackend'; backend: BackendChoice }
  /** `model`: which of the lab's models, where it trains more than one. */
  | { type: 'saveCheckpoint'; model?: string }
  | { type: 'loadCheckpoint'; text: string; fileName: string }
  /** The next chunk fails as a lost device would (the e2e tests of the fallback chain). */
  | { type: 'simulateBackendFailure' };

export type HostEvent = BackendMessage | NoticeMessage;

/** What every lab's snapshot carries; each lab adds the losses and views of its own models. */
export interface SnapshotBase {
  type: 'snapshot';
  step: number;
  running: boolean;
  stepsPerS: number;
}

/** What every lab's divergence report carries: the step whose loss was not finite or above 1e6. */
export interface DivergedBase {
  type: 'diverged';
  step: number;
  loss: number;
}
