import type { Speed } from './vocabulary';

/** The play / pause / step / speed state of a training worker's loop. */
export interface Transport {
  running: boolean;
  speed: Speed;
  /** Set when training blew up; play and step stay refused until a reset clears it. */
  diverged: boolean;
  /** Single steps asked for while paused, still to run. */
  pendingSteps: number;
  /** Steps per chunk at this speed, adapted to the time a chunk takes. */
  stepsPerChunk: number;
}

export function newTransport(): Transport {
  return { running: false, speed: 'normal', diverged: false, pendingSteps: 0, stepsPerChunk: 1 };
}

export type TransportMessage = { type: 'play' } | { type: 'pause' } | { type: 'step' } | { type: 'speed'; speed: Speed };

/** Applies play / pause / step / speed to the loop's state; the worker's pump then acts on it. */
export function applyTransport(tr: Transport, m: TransportMessage): void {
  switch (m.type) {
    case 'play':
      if (!tr.diverged) tr.running = true;
      break;
    case 'pause':
      tr.running = false;
      break;
    case 'step':
      tr.running = false;
      if (!tr.diverged) tr.pendingSteps++;
      break;
    case 'speed':
      tr.speed = m.speed;
      // A new speed starts small again: the chunk size is re-learned from its timing.
      tr.stepsPerChunk = 1;
      break;
  }
}

/** How many steps the loop trains now (0: none); a queued single step is taken off the queue. */
export function stepsToRun(tr: Transport): number {
  if (tr.diverged) {
    tr.running = false;
    tr.pendingSteps = 0;
    return 0;
  }
  if (!tr.running && tr.pendingSteps === 0) return 0;
  const n = tr.running ? (tr.speed === 'slow' ? 1 : tr.stepsPerChunk) : 1;
  tr.pendingSteps = Math.max(0, tr.pendingSteps - 1);
  return n;
}

/**
 * Sizes the next chunk so that it takes about `targetMs` (GPU work is asynchronous, so whole
 * chunks are timed): at most doubling, between 1 and `max` steps. A target of 0 keeps it.
 */
export function resizeChunk(tr: Transport, elapsedMs: number, targetMs: number, max: number): void {
  if (targetMs > 0) tr.stepsPerChunk = Math.max(1, Math.min(max, Math.round(tr.stepsPerChunk * Math.min(2, targetMs / Math.max(1, elapsedMs)))));
}

/** Handles a worker's commands one at a time, in order; a command that throws becomes a notice. */
export function serveInOrder<T>(scope: { onmessage: ((e: MessageEvent<T>) => void) | null }, handle: (msg: T) => Promise<void>, post: (msg: { type: 'notice'; level: 'error'; key: 'noticeWorkerError'; params: { reason: string } }) => void): void {
  let queue: Promise<void> = Promise.resolve();
  scope.onmessage = (e: MessageEvent<T>) => {
    queue = queue.then(() => handle(e.data)).catch((err: Error) => {
      post({ type: 'notice', level: 'error', key: 'noticeWorkerError', params: { reason: err.message } });
    });
  };
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** What a lab worker's training loop does; the loop itself (createPump) is the same in every lab. */
export interface PumpHooks {
  /** False while there is nothing to train yet (before the page's init). */
  ready(): boolean;
  /** One round: requested views, a chunk of steps (stepsToRun), views gone stale. */
  round(): Promise<void>;
  /** Work asked for besides steps (a view, an evaluation) that keeps the loop going while paused. */
  pending(): boolean;
  /** A round threw: the lab falls back to the next backend. */
  onError(e: Error): Promise<void>;
  /** The loop has stopped: the lab's final snapshot. */
  stopped(): void;
}

/**
 * The training loop of a lab worker: at most one runs; it goes round until it is paused with no
 * step or view left, yielding between rounds so the page's messages (pause, speed, reset) get in,
 * and pausing `slowPauseMs` between rounds in slow motion. `waitForPump` lets a command (reset,
 * checkpoint, backend switch) wait until the current round is over.
 */
export function createPump(tr: Transport, hooks: PumpHooks, slowPauseMs: number): { pump: () => Promise<void>; waitForPump: () => Promise<void> } {
  let pumping = false;
  async function pump(): Promise<void> {
    if (pumping || !hooks.ready()) return;
    pumping = true;
    try {
      for (;;) {
        try {
          await hooks.round();
        } catch (e) {
          await hooks.onError(e as Error);
        }
        if (!tr.running && tr.pendingSteps === 0 && !hooks.pending()) break;
        await pause(tr.running && tr.speed === 'slow' ? slowPauseMs : 0);
      }
    } finally {
      pumping = false;
    }
    hooks.stopped();
  }
  async function waitForPump(): Promise<void> {
    while (pumping) await pause(5);
  }
  return { pump, waitForPump };
}
