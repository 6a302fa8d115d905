import { create } from 'zustand';
import { backendStatus, snapshotStatus, TRAINING_IDLE, type TrainingStatus } from '../../ui/trainingStatus';
import type { FromZeroShotWorker, ZeroShotEvalPoint, ZeroShotView } from '../../worker/zeroShotProtocol';

/** The zero-shot view's state on the main thread: what its worker last reported plus the user's edits. */
export interface ZeroShotState extends TrainingStatus {
  /** Loss of every training step. */
  losses: number[];
  /** Held-out and seen-class accuracy after each chunk. */
  evals: ZeroShotEvalPoint[];
  view: ZeroShotView | null;
  /** The query shown (a seeded draw of held-out classes and one item). */
  draw: number;
  /** The attribute vectors as the user edited them [ways × A], or null for the classes' own. */
  edited: number[] | null;
  diverged: { step: number; loss: number } | null;
}

export const ZERO_SHOT_INITIAL: ZeroShotState = {
  ...TRAINING_IDLE,
  losses: [],
  evals: [],
  view: null,
  draw: 0,
  edited: null,
  diverged: null,
};

export const useZeroShot = create<ZeroShotState>(() => ({ ...ZERO_SHOT_INITIAL }));

/** How a worker message changes the state (null: it changes nothing here, e.g. a notice). */
export function foldZeroShotMessage(s: ZeroShotState, msg: FromZeroShotWorker): Partial<ZeroShotState> | null {
  switch (msg.type) {
    case 'backend':
      return backendStatus(s, msg);
    case 'snapshot': {
      const patch: Partial<ZeroShotState> = snapshotStatus(s, msg);
      if (msg.losses.length > 0) patch.losses = s.losses.concat(Array.from(msg.losses));
      if (msg.evaluation && !s.evals.some((e) => e.step === msg.evaluation!.step)) patch.evals = s.evals.concat(msg.evaluation);
      return patch;
    }
    case 'view':
      // A view of another draw than the one asked for last is stale (the page moved on).
      return msg.view.draw === s.draw ? { view: msg.view } : null;
    case 'diverged':
      return { diverged: { step: msg.step, loss: msg.loss }, running: false };
    case 'reset':
      return { losses: [], evals: [], step: 0, running: false, diverged: null };
    case 'notice':
      return null;
  }
}
