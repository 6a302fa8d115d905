import { describe, expect, it } from 'vitest';
import { applyTransport, createPump, newTransport, resizeChunk, serveInOrder, stepsToRun } from './transport';

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

describe('worker loop helpers', () => {
  it('stepsToRun: a chunk while running (1 at slow speed), one queued step while paused, none once diverged', () => {
    const tr = newTransport();
    expect(stepsToRun(tr)).toBe(0);
    tr.stepsPerChunk = 7;
    applyTransport(tr, { type: 'play' });
    expect(stepsToRun(tr)).toBe(7);
    tr.speed = 'slow';
    expect(stepsToRun(tr)).toBe(1);
    applyTransport(tr, { type: 'step' });
    expect([stepsToRun(tr), tr.pendingSteps, stepsToRun(tr)]).toEqual([1, 0, 0]);
    applyTransport(tr, { type: 'step' });
    tr.diverged = true;
    expect([stepsToRun(tr), tr.pendingSteps, tr.running]).toEqual([0, 0, false]);
  });

  it('resizeChunk: scales by target/elapsed, at most doubling, clamped to [1, max]', () => {
    const tr = newTransport();
    tr.stepsPerChunk = 10;
    resizeChunk(tr, 300, 150, 100); // twice too slow: halve
    expect(tr.stepsPerChunk).toBe(5);
    resizeChunk(tr, 10, 150, 100); // 15× too fast: only double
    expect(tr.stepsPerChunk).toBe(10);
    resizeChunk(tr, 1, 150, 12);
    expect(tr.stepsPerChunk).toBe(12);
    resizeChunk(tr, 100000, 150, 12);
    expect(tr.stepsPerChunk).toBe(1);
    resizeChunk(tr, 1, 0, 12); // slow speed: no target, unchanged
    expect(tr.stepsPerChunk).toBe(1);
  });

  it('serveInOrder: a slow command finishes before the next starts; a failing one becomes a notice', async () => {
    const scope: { onmessage: ((e: MessageEvent<number>) => void) | null } = { onmessage: null };
    const log: string[] = [];
    const notices: string[] = [];
    serveInOrder<number>(
      scope,
      async (n) => {
        if (n === 2) throw new Error('bad command');
        if (n === 1) await new Promise((r) => setTimeout(r, 20));
        log.push(`done ${n}`);
      },
      (m) => notices.push(m.params.reason),
    );
    for (const n of [1, 2, 3]) scope.onmessage!({ data: n } as MessageEvent<number>);
    await new Promise((r) => setTimeout(r, 60));
    expect(log).toEqual(['done 1', 'done 3']);
    expect(notices).toEqual(['bad command']);
  });

  it('createPump: one loop at a time; it runs queued steps and asked-for views, turns a failing round into onError, then stops', async () => {
    const tr = newTransport();
    const log: string[] = [];
    let ready = false;
    let view = false;
    let failNext = false;
    const { pump, waitForPump } = createPump(
      tr,
      {
        ready: () => ready,
        async round() {
          if (view) {
            view = false;
            log.push('view');
          }
          const n = stepsToRun(tr);
          if (n > 0) {
            await new Promise((r) => setTimeout(r, 5));
            if (failNext) {
              failNext = false;
              throw new Error('device lost');
            }
            log.push(`steps ${n}`);
          }
        },
        pending: () => view,
        onError: async (e) => void log.push(`error ${e.message}`),
        stopped: () => log.push('stopped'),
      },
      0,
    );
    applyTransport(tr, { type: 'step' });
    await pump();
    expect(log).toEqual([]); // not ready: nothing runs, the step stays queued
    ready = true;
    applyTransport(tr, { type: 'step' });
    view = true;
    const first = pump();
    const second = pump(); // already pumping: returns at once
    await second;
    expect(log.includes('stopped')).toBe(false);
    await first;
    await waitForPump();
    expect(log).toEqual(['view', 'steps 1', 'steps 1', 'stopped']);
    log.length = 0;
    failNext = true;
    applyTransport(tr, { type: 'step' });
    await pump();
    expect(log).toEqual(['error device lost', 'stopped']);
    expect(tr.pendingSteps).toBe(0);
  });
});
