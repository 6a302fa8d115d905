import { describe, expect, it, vi } from 'vitest';
import { createHost, firstDivergence, isDivergent, type BackendOps, type ProbeWorkload } from './host';
import type { Chunk, Divergence, HostControl, LoopStatus, OpenReason, RoundInfo, TrainingSession } from './session';
import type { BrowserBackend } from './vocabulary';

/**
 * The generic worker host, in Node, with a fake session (losses from a script, no tensors) and fake
 * backends: what every lab's worker relies on (play, pause, step, divergence, fallback, reset,
 * command order, disposal).
 */
type Settings = { lossAt: (step: number) => number; failAt?: number };
type State = { steps: number; born: number };
type Out = { type: string; [k: string]: unknown };
type Cmd = { type: 'slow'; ms: number; label: string } | { type: 'fast'; label: string } | { type: 'rebuild' } | { type: 'boom' };

interface Fake extends TrainingSession<Settings, State, Out, Cmd> {
  id: number;
  from: State | undefined;
  backend: BrowserBackend;
  disposed: boolean;
  opened: (reason: OpenReason) => Promise<void>;
  reasons: OpenReason[];
}

function setup(opts: { broken?: BrowserBackend[]; probe?: boolean; stateEveryMs?: number } = {}) {
  const posted: Out[] = [];
  const order: string[] = [];
  const sessions: Fake[] = [];
  const scope = { postMessage: vi.fn((msg: unknown) => void posted.push(msg as Out)), onmessage: null as ((e: MessageEvent) => void) | null };
  let current: BrowserBackend = 'webgpu';
  const workloads: (ProbeWorkload | null)[] = [];
  const backends: BackendOps = {
    async choose(choice, _cache, post, makeWorkload) {
      // As the real probe: on auto, one timed step of a workload of its own, disposed after.
      const work = choice === 'auto' && makeWorkload ? await makeWorkload() : null;
      await work?.step();
      work?.dispose();
      workloads.push(work);
      current = choice === 'auto' ? 'webgpu' : choice;
      post({ type: 'backend', backend: current, requested: choice });
      return current;
    },
    fallbackChain: (b) => (['webgpu', 'webgl', 'cpu'] as BrowserBackend[]).slice(['webgpu', 'webgl', 'cpu'].indexOf(b) + 1),
    async trySetBackend(b) {
      if (opts.broken?.includes(b)) return false;
      current = b;
      return true;
    },
    watchDeviceLoss: () => undefined,
  };
  const factory = async (settings: Settings, from: State | undefined): Promise<Fake> => {
    let steps = from?.steps ?? 0;
    const s: Fake = {
      id: sessions.length,
      from,
      backend: current,
      disposed: false,
      reasons: [],
      get steps() {
        return steps;
      },
      async trainChunk(n: number): Promise<Chunk> {
        const losses = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          steps++;
          if (settings.failAt === steps && s.backend === 'webgpu') throw new Error('device lost');
          losses[i] = settings.lossAt(steps);
        }
        await Promise.resolve();
        return { losses: [losses] };
      },
      snapshot(status: LoopStatus, chunk: Chunk | null, keep?: number) {
        const losses = chunk ? chunk.losses[0].slice(0, keep ?? chunk.losses[0].length) : new Float32Array(0);
        return { msg: { type: 'snapshot', step: steps, running: status.running, losses: Array.from(losses), session: s.id }, transfer: [losses.buffer] };
      },
      diverged: (d: Divergence) => ({ type: 'diverged', ...d }),
      async opened(reason: OpenReason) {
        s.reasons.push(reason);
      },
      async refresh(_round: RoundInfo) {},
      pending: () => false,
      async command(msg: Cmd, host: HostControl<Settings, Out>) {
        if (msg.type === 'rebuild') return host.rebuild(settings);
        if (msg.type === 'boom') throw new Error('boom');
        if (msg.type === 'slow') await new Promise((r) => setTimeout(r, msg.ms));
        order.push(msg.label);
        host.post({ type: 'done', label: msg.label });
      },
      state: async () => ({ steps, born: s.id }),
      save: async (model) => ({ type: 'checkpoint', model: model ?? 'only', step: steps }),
      async load(text: string, _fileName: string, host: HostControl<Settings, Out>) {
        if (text !== 'good') throw new Error('not a checkpoint');
        await host.halt();
        steps = 100;
        await host.replaced();
      },
      dispose() {
        s.disposed = true;
      },
    };
    sessions.push(s);
    return s;
  };
  const host = createHost<Settings, State, Out, Cmd, Chunk>(scope, factory, { chunkMs: { slow: 0, normal: 40, fast: 150 }, maxChunk: 8, slowPauseMs: 5, probe: opts.probe, stateEveryMs: opts.stateEveryMs ?? 0 }, backends);
  const send = (msg: object) => scope.onmessage!({ data: msg } as MessageEvent);
  const of = (type: string) => posted.filter((m) => m.type === type);
  const trained = () => of('snapshot').flatMap((m) => m.losses as number[]);
  return { host, send, posted, of, trained, sessions, order, workloads };
}

const init = (settings: Settings) => ({ type: 'init', backend: 'auto', probeCache: null, settings });
const flat: Settings = { lossAt: () => 1 };

describe('the divergence rule (one for every lab)', () => {
  it('a loss that is not finite or above 1e6 in size diverges; the first step of any series is reported', () => {
    expect([NaN, Infinity, -Infinity, 2e6, -2e6].every(isDivergent)).toBe(true);
    expect([0, 1e6, -1e5, 3].some(isDivergent)).toBe(false);
    expect(firstDivergence([Float32Array.of(1, 2, 3), Float32Array.of(1, 5e6, NaN)])).toEqual({ index: 1, series: 1, loss: 5e6 });
    expect(firstDivergence([Float32Array.of(1, NaN), Float32Array.of(Infinity, 1)])).toMatchObject({ index: 0, series: 1 });
    expect(firstDivergence([Float32Array.of(1, 2)])).toBeNull();
  });
});

describe('the worker host with a fake session', () => {
  it('init: picks the backend with the session probe workload, opens a session, posts a snapshot', async () => {
    const t = setup();
    t.send(init(flat));
    await vi.waitFor(() => expect(t.of('snapshot')).toHaveLength(1));
    expect(t.of('backend')[0]).toMatchObject({ backend: 'webgpu' });
    expect(t.sessions.at(-1)!.reasons).toEqual(['init']);
    // The probe's workload is a session of its own, one step per call, disposed after.
    expect(t.workloads[0]).not.toBeNull();
    expect(t.sessions[0]).toMatchObject({ steps: 1, disposed: true });
    expect(t.sessions[1].disposed).toBe(false);
  });

  it('without a probe the backend is chosen with no workload', async () => {
    const t = setup({ probe: false });
    t.send(init(flat));
    await vi.waitFor(() => expect(t.of('snapshot')).toHaveLength(1));
    expect(t.workloads).toEqual([null]);
    expect(t.sessions).toHaveLength(1);
  });

  it('play: chunks run and post their losses; pause stops them', async () => {
    const t = setup();
    t.send(init(flat));
    t.send({ type: 'play' });
    await vi.waitFor(() => expect(t.trained().length).toBeGreaterThan(20));
    t.send({ type: 'pause' });
    await vi.waitFor(() => expect(t.of('snapshot').at(-1)).toMatchObject({ running: false }));
    const stopped = t.trained().length;
    await new Promise((r) => setTimeout(r, 30));
    expect(t.trained().length).toBe(stopped);
    // Snapshots carry every step exactly once.
    expect(t.of('snapshot').at(-1)!.step).toBe(stopped);
  });

  it('step runs exactly one step per click', async () => {
    const t = setup();
    t.send(init(flat));
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.trained()).toHaveLength(1));
    t.send({ type: 'step' });
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.trained()).toHaveLength(3));
    await new Promise((r) => setTimeout(r, 20));
    expect(t.trained()).toHaveLength(3);
    expect(t.sessions.at(-1)!.steps).toBe(3);
  });

  it.each([
    ['a non-finite loss', NaN],
    ['a loss above 1e6', 5e6],
  ])('divergence at %s stops training, reports the step, and refuses play until a reset', async (_name, bad) => {
    const t = setup();
    t.send(init({ lossAt: (s) => (s === 5 ? bad : 1) }));
    t.send({ type: 'play' });
    await vi.waitFor(() => expect(t.of('diverged')).toHaveLength(1));
    expect(t.of('diverged')[0]).toMatchObject({ step: 5, series: 0 });
    expect(Number.isNaN(bad) ? Number.isNaN(t.of('diverged')[0].loss) : t.of('diverged')[0].loss).toBe(Number.isNaN(bad) ? true : bad);
    // The losses before the bad step are posted, the bad one is not.
    expect(t.trained()).toEqual([1, 1, 1, 1]);
    t.send({ type: 'play' });
    t.send({ type: 'step' });
    await new Promise((r) => setTimeout(r, 20));
    expect(t.trained()).toHaveLength(4);
    t.send({ type: 'reset', settings: flat });
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.trained()).toHaveLength(5));
  });

  it('a failing chunk falls back to the next backend; the replacement starts from the last good state', async () => {
    const t = setup({ broken: ['webgl'] });
    t.send(init({ lossAt: () => 1, failAt: 3 }));
    for (let i = 0; i < 4; i++) t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.of('notice').map((n) => n.key)).toContain('noticeBackendFellBack'));
    // Four clicks: two good steps, the failed one (lost with its device), one on the replacement.
    await vi.waitFor(() => expect(t.sessions.at(-1)!.steps).toBe(3));
    const [first, replacement] = t.sessions.slice(-2);
    expect(first.disposed).toBe(true);
    expect(replacement).toMatchObject({ backend: 'cpu', from: { steps: 2, born: first.id }, disposed: false });
    expect(replacement.reasons).toEqual(['fallback']);
    expect(t.of('backend').at(-1)).toMatchObject({ backend: 'cpu', requested: 'cpu' });
    expect(t.of('notice').find((n) => n.key === 'noticeBackendFellBack')!.params).toMatchObject({ from: 'webgpu', to: 'cpu', reason: 'device lost' });
  });

  it('the state is read back after a good chunk at most every stateEveryMs: a fallback within it restarts from the state read on opening', async () => {
    const t = setup({ broken: ['webgl'], stateEveryMs: 60_000 });
    t.send(init({ lossAt: () => 1, failAt: 3 }));
    for (let i = 0; i < 3; i++) t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.of('notice').map((n) => n.key)).toContain('noticeBackendFellBack'));
    expect(t.sessions.at(-1)).toMatchObject({ backend: 'cpu', from: { steps: 0 } });
  });

  it('with no backend left it stops and says so', async () => {
    const t = setup({ broken: ['webgl', 'cpu'] });
    t.send(init(flat));
    t.send({ type: 'simulateBackendFailure' });
    await vi.waitFor(() => expect(t.of('notice').map((n) => n.key)).toContain('noticeNoBackend'));
    expect(t.sessions.at(-1)!.disposed).toBe(true);
  });

  it('reset: the old session is disposed and a new one opened with the new settings', async () => {
    const t = setup();
    t.send(init(flat));
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.trained()).toHaveLength(1));
    t.send({ type: 'reset', settings: { lossAt: () => 2 } });
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.trained()).toEqual([1, 2]));
    const [a, b] = t.sessions.slice(-2);
    expect([a.disposed, b.disposed, b.reasons, b.steps]).toEqual([true, false, ['reset'], 1]);
  });

  it('a lab command can rebuild its session through the host', async () => {
    const t = setup();
    t.send(init(flat));
    t.send({ type: 'rebuild' });
    await vi.waitFor(() => expect(t.sessions.at(-1)!.reasons).toEqual(['reset']));
    expect(t.sessions.at(-2)!.disposed).toBe(true);
  });

  it('commands are handled one at a time, in order, lab commands included', async () => {
    const t = setup();
    t.send(init(flat));
    t.send({ type: 'slow', ms: 20, label: 'a' });
    t.send({ type: 'fast', label: 'b' });
    t.send({ type: 'step' });
    t.send({ type: 'slow', ms: 5, label: 'c' });
    await vi.waitFor(() => expect(t.order).toEqual(['a', 'b', 'c']));
    const kinds = t.posted.map((m) => (m.type === 'done' ? m.label : m.type === 'snapshot' && (m.losses as number[]).length > 0 ? 'step' : null)).filter(Boolean);
    expect(kinds).toEqual(['a', 'b', 'step', 'c']);
  });

  it('setBackend carries the parameters to a session on the new backend', async () => {
    const t = setup();
    t.send(init(flat));
    t.send({ type: 'step' });
    t.send({ type: 'setBackend', backend: 'cpu' });
    await vi.waitFor(() => expect(t.sessions.at(-1)!.reasons).toEqual(['backend']));
    const [a, b] = t.sessions.slice(-2);
    expect([a.disposed, b.backend, b.from?.steps]).toEqual([true, 'cpu', 1]);
  });

  it('checkpoints: save names the model; a refused file is a notice; a loaded one clears a divergence', async () => {
    const t = setup();
    t.send(init({ lossAt: (s) => (s === 1 ? NaN : 1) }));
    t.send({ type: 'step' });
    t.send({ type: 'saveCheckpoint', model: 'pretrain' });
    t.send({ type: 'loadCheckpoint', text: 'junk', fileName: 'x.json' });
    await vi.waitFor(() => expect(t.of('notice').map((n) => n.key)).toContain('noticeCheckpointRefused'));
    expect(t.of('checkpoint')[0]).toMatchObject({ model: 'pretrain' });
    expect(t.of('diverged')).toHaveLength(1);
    t.send({ type: 'loadCheckpoint', text: 'good', fileName: 'y.json' });
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.of('snapshot').some((m) => m.step === 101)).toBe(true));
  });

  it('a command that throws becomes a notice and the queue goes on', async () => {
    const t = setup();
    t.send(init(flat));
    t.send({ type: 'boom' });
    t.send({ type: 'fast', label: 'after' });
    await vi.waitFor(() => expect(t.order).toEqual(['after']));
    expect(t.of('notice')[0]).toMatchObject({ key: 'noticeWorkerError', params: { reason: 'boom' } });
  });

  it('dispose frees the current session', async () => {
    const t = setup();
    t.send(init(flat));
    await vi.waitFor(() => expect(t.sessions).toHaveLength(2));
    t.host.dispose();
    expect(t.sessions.every((s) => s.disposed)).toBe(true);
  });
});
