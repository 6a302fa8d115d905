import type { Speed } from './protocol';

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
