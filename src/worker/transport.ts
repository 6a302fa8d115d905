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
