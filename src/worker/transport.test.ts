import { describe, expect, it } from 'vitest';
import { applyTransport, newTransport } from './transport';

describe('worker transport state', () => {
  it('play runs, step pauses and queues one step, speed resets the chunk size', () => {
    const tr = newTransport();
    applyTransport(tr, { type: 'play' });
    expect(tr.running).toBe(true);
    tr.stepsPerChunk = 40;
    applyTransport(tr, { type: 'speed', speed: 'fast' });
    expect(tr).toMatchObject({ speed: 'fast', stepsPerChunk: 1, running: true });
    applyTransport(tr, { type: 'step' });
    applyTransport(tr, { type: 'step' });
    expect(tr).toMatchObject({ running: false, pendingSteps: 2 });
    applyTransport(tr, { type: 'play' });
    applyTransport(tr, { type: 'pause' });
    expect(tr.running).toBe(false);
  });

  it('a diverged run refuses play and step until the worker clears it', () => {
    const tr = newTransport();
    tr.diverged = true;
    applyTransport(tr, { type: 'play' });
    applyTransport(tr, { type: 'step' });
    expect(tr).toMatchObject({ running: false, pendingSteps: 0 });
    tr.diverged = false;
    applyTransport(tr, { type: 'step' });
    expect(tr.pendingSteps).toBe(1);
  });
});
