import { applyTransport, createPump, newTransport, resizeChunk, serveInOrder, stepsToRun } from './transport';
import type { HostCommand, HostEvent } from './hostProtocol';
import type { Chunk, Divergence, HostControl, OpenReason, SessionFactory, TrainingSession } from './session';
import type { BackendChoice, BrowserBackend, Speed } from './vocabulary';

/**
 * The one training worker every lab runs on. It owns the loop (play / pause / step / speed, chunks
 * sized to a time budget, the slow-motion pause), the backend (named, remembered, or probed with
 * the session's own one-step workload) and its fallback chain (webgpu → webgl → wasm → cpu, the session
 * rebuilt from the state it last read back), the divergence rule, the in-order command queue and
 * the lab-independent commands. Everything a lab adds lives in its TrainingSession.
 */

/** A loss that is not finite, or larger than this, ends training until a reset: it has blown up. */
export const DIVERGENCE_LIMIT = 1e6;

export const isDivergent = (loss: number): boolean => !Number.isFinite(loss) || Math.abs(loss) > DIVERGENCE_LIMIT;

/** The first step (and the first of its series) whose loss is divergent, or null. */
export function firstDivergence(losses: readonly Float32Array[]): { index: number; series: number; loss: number } | null {
  const n = Math.max(0, ...losses.map((l) => l.length));
  for (let index = 0; index < n; index++)
    for (let series = 0; series < losses.length; series++) {
      const loss = losses[series][index];
      if (loss !== undefined && isDivergent(loss)) return { index, series, loss };
    }
  return null;
}

/** One training step of a lab's own workload, timed by the backend probe. */
export type ProbeWorkload = { step: () => Promise<void>; dispose: () => void };

/** The backend operations the host needs: tfjs's in the browser (hostSession.ts), fakes in the tests. */
export interface BackendOps {
  /** Starts the named, remembered or (with a workload) fastest backend and reports it. */
  choose(choice: BackendChoice, probeCache: BrowserBackend | null, post: (msg: HostEvent) => void, makeWorkload: (() => Promise<ProbeWorkload>) | null): Promise<BrowserBackend>;
  /** The backends to try after `current` fails, in order. */
  fallbackChain(current: BrowserBackend): BrowserBackend[];
  trySetBackend(backend: BrowserBackend): Promise<boolean>;
  watchDeviceLoss(onLost: (message: string) => void): void;
}

export interface HostOptions {
  /** The time a chunk of steps should take at each speed (0: keep its size). */
  chunkMs: Record<Speed, number>;
  maxChunk: number;
  /** The pause between chunks in slow motion. */
  slowPauseMs: number;
  /** False: no probe, the first backend that starts (a step too costly to time on each backend). */
  probe?: boolean;
  /** The least time between two reads of the session's state after good chunks (default STATE_EVERY_MS). */
  stateEveryMs?: number;
}

/**
 * A fallback restarts from the state read back at most this long before the failure: reading every
 * parameter back after every chunk would cost a GPU round trip per chunk for a rare event.
 */
export const STATE_EVERY_MS = 2000;

/** The part of a worker's global scope the host uses. */
export interface HostScope {
  postMessage(msg: unknown, transfer: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

const SHARED_COMMANDS: ReadonlySet<string> = new Set<HostCommand<unknown>['type']>(['init', 'play', 'pause', 'step', 'speed', 'reset', 'setBackend', 'saveCheckpoint', 'loadCheckpoint', 'simulateBackendFailure']);

/** Serves `scope`'s messages with sessions from `factory`; returns the handler (for tests) and a dispose. */
export function createHost<S, St, Out, Cmd extends { type: string }, C extends Chunk>(
  scope: HostScope,
  factory: SessionFactory<S, St, Out, Cmd, C>,
  options: HostOptions,
  backends: BackendOps,
): { handle: (msg: HostCommand<S> | Cmd) => Promise<void>; dispose: () => void } {
  type Session = TrainingSession<S, St, Out, Cmd, C>;
  const post = (msg: Out | HostEvent, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);
  const tr = newTransport();
  let session: Session | null = null;
  let settings: S | null = null;
  let backend: BrowserBackend = 'cpu';
  /** The state read back after a recent good chunk (or on opening): what a fallback restarts from. */
  let lastGood: St | undefined;
  let lastGoodAt = 0;
  const stateEveryMs = options.stateEveryMs ?? STATE_EVERY_MS;
  let stepsPerS = 0;
  let failNext = false;

  function sendSnapshot(s: Session, chunk: C | null, keep?: number): void {
    const { msg, transfer } = s.snapshot({ running: tr.running, stepsPerS }, chunk, keep);
    post(msg, transfer);
  }

  function close(): void {
    try {
      session?.dispose();
    } catch {
      // A lost device can fail to free its buffers; the backend is being replaced anyway.
    }
    session = null;
  }

  /** Reads back the session's state for a fallback. */
  async function readBack(s: Session): Promise<void> {
    lastGood = await s.state();
    lastGoodAt = performance.now();
  }

  async function open(next: Session, reason: OpenReason): Promise<void> {
    session = next;
    await readBack(next);
    await next.opened(reason);
  }

  async function selectBackend(choice: BackendChoice, probeCache: BrowserBackend | null): Promise<void> {
    const s = settings as S;
    const workload = async (): Promise<ProbeWorkload> => {
      const probe = await factory(s, undefined, post);
      return { step: () => probe.trainChunk(1).then(() => undefined), dispose: () => probe.dispose() };
    };
    backend = await backends.choose(choice, probeCache, post, options.probe === false ? null : workload);
    backends.watchDeviceLoss((m) => void fallBack(new Error(m)));
  }

  /** Moves to the next backend after a failure; the replacement session continues from the last good state. */
  async function fallBack(error: Error): Promise<void> {
    const failed = backend;
    const from = lastGood;
    close();
    if (settings === null) return;
    const reason = error.message.slice(0, 160);
    for (const next of backends.fallbackChain(failed)) {
      if (!(await backends.trySetBackend(next))) continue;
      let replacement: Session;
      try {
        replacement = await factory(settings, from, post);
      } catch {
        continue;
      }
      backend = next;
      post({ type: 'backend', backend: next, requested: next });
      post({ type: 'notice', level: 'warning', key: 'noticeBackendFellBack', params: { from: failed, to: next, reason } });
      backends.watchDeviceLoss((m) => void fallBack(new Error(m)));
      await open(replacement, 'fallback');
      sendSnapshot(replacement, null);
      return;
    }
    tr.running = false;
    post({ type: 'notice', level: 'error', key: 'noticeNoBackend', params: { reason } });
  }

  async function trainChunk(s: Session, n: number): Promise<void> {
    if (failNext) {
      failNext = false;
      throw new Error('simulated backend failure');
    }
    const t0 = performance.now();
    const chunk = await s.trainChunk(n);
    const elapsed = Math.max(1e-3, performance.now() - t0);
    stepsPerS = (n / elapsed) * 1000;
    const bad = firstDivergence(chunk.losses);
    if (bad) {
      tr.running = false;
      tr.diverged = true;
      sendSnapshot(s, chunk, bad.index);
      const d: Divergence = { step: s.steps - n + bad.index + 1, series: bad.series, loss: bad.loss };
      post(s.diverged(d));
      return;
    }
    resizeChunk(tr, elapsed, options.chunkMs[tr.speed], options.maxChunk);
    sendSnapshot(s, chunk);
    if (performance.now() - lastGoodAt >= stateEveryMs) await readBack(s);
  }

  const { pump, waitForPump } = createPump(
    tr,
    {
      ready: () => session !== null && (session.ready?.() ?? true),
      async round() {
        const s = session!;
        const n = stepsToRun(tr);
        if (n > 0) await trainChunk(s, n);
        const round = { trained: n, running: tr.running, stepsPerS, diverged: tr.diverged, pendingSteps: tr.pendingSteps, speed: tr.speed };
        await s.refresh({ ...round, wake: (ms) => void setTimeout(() => void pump(), ms) });
      },
      pending: () => session?.pending() ?? false,
      onError: fallBack,
      stopped() {
        if (!tr.running && session) sendSnapshot(session, null);
      },
    },
    options.slowPauseMs,
  );

  async function rebuild(next: S): Promise<void> {
    tr.running = false;
    await waitForPump();
    tr.diverged = false;
    tr.pendingSteps = 0;
    settings = next;
    if (session?.reset) {
      await session.reset(next);
      await readBack(session);
      return;
    }
    close();
    await open(await factory(next, undefined, post), 'reset');
  }

  const control: HostControl<S, Out> = {
    post,
    async halt() {
      const was = tr.running;
      tr.running = false;
      await waitForPump();
      return was;
    },
    play: () => applyTransport(tr, { type: 'play' }),
    async replaced() {
      tr.diverged = false;
      if (session) await readBack(session);
    },
    rebuild,
  };

  async function shared(msg: HostCommand<S>): Promise<void> {
    switch (msg.type) {
      case 'init':
        settings = msg.settings;
        if (msg.speed) applyTransport(tr, { type: 'speed', speed: msg.speed });
        await selectBackend(msg.backend, msg.probeCache);
        await open(await factory(msg.settings, undefined, post), 'init');
        break;
      case 'reset':
        await rebuild(msg.settings);
        break;
      case 'setBackend': {
        if (!session) break;
        await control.halt();
        const from = await session.state();
        close();
        await selectBackend(msg.backend, null);
        await open(await factory(settings as S, from, post), 'backend');
        break;
      }
      case 'saveCheckpoint':
        if (!session?.save) break;
        await waitForPump();
        post(await session.save(msg.model));
        break;
      case 'loadCheckpoint':
        try {
          await session?.load?.(msg.text, msg.fileName, control);
        } catch (e) {
          post({ type: 'notice', level: 'error', key: 'noticeCheckpointRefused', params: { file: msg.fileName, reason: (e as Error).message } });
        }
        break;
      case 'simulateBackendFailure':
        failNext = true;
        tr.running = true;
        break;
      default:
        // play / pause / step / speed
        applyTransport(tr, msg);
    }
  }

  async function handle(msg: HostCommand<S> | Cmd): Promise<void> {
    if (SHARED_COMMANDS.has(msg.type)) await shared(msg as HostCommand<S>);
    else if (session) await session.command(msg as Cmd, control);
    void pump();
  }

  serveInOrder<HostCommand<S> | Cmd>(scope, handle, post);
  return { handle, dispose: close };
}
