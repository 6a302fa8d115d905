/// <reference lib="webworker" />
import { applyTransport, createPump, newTransport, resizeChunk, serveInOrder, stepsToRun } from './transport';
import { chooseBackend, fallbackChain, trySetBackend, watchDeviceLoss } from './backends';
import { ZeroShotSession } from './zeroShotSession';
import type { FromZeroShotWorker, ToZeroShotWorker } from './zeroShotProtocol';
import type { BackendChoice, BrowserBackend, Speed } from './vocabulary';

/**
 * The metric lab's zero-shot worker: one ZeroShotSession, trained in chunks sized to a time
 * budget with one asynchronous read per chunk, evaluated after every chunk (two small score
 * matrices), and the held-out query's scores refreshed at most every VIEW_REFRESH_MS while it
 * trains or at once when the page edits an attribute vector. Messages are handled between chunks.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromZeroShotWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

const CHUNK_MS: Record<Speed, number> = { slow: 0, normal: 150, fast: 500 };
const SLOW_PAUSE_MS = 300;
const VIEW_REFRESH_MS = 250;
const MAX_CHUNK = 400;

let session: ZeroShotSession | null = null;
let backend: BrowserBackend = 'cpu';
const tr = newTransport();
let stepsPerS = 0;
let viewWanted: { draw: number; attributes: number[] | null } = { draw: 0, attributes: null };
let viewRequested = true;
let lastViewAt = 0;

function fresh(): ZeroShotSession {
  session?.dispose();
  session = new ZeroShotSession();
  return session;
}

async function trainChunk(s: ZeroShotSession, n: number): Promise<void> {
  const t0 = performance.now();
  const losses = await s.trainChunk(n);
  const elapsed = performance.now() - t0;
  stepsPerS = (n / elapsed) * 1000;
  const bad = losses.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    tr.running = false;
    tr.diverged = true;
    post({ type: 'snapshot', step: s.steps, running: false, stepsPerS, losses: losses.slice(0, bad), evaluation: null });
    post({ type: 'diverged', step: s.steps - n + bad + 1, loss: losses[bad] });
    return;
  }
  resizeChunk(tr, elapsed, CHUNK_MS[tr.speed], MAX_CHUNK);
  const evaluation = await s.evaluate();
  post({ type: 'snapshot', step: s.steps, running: tr.running, stepsPerS, losses, evaluation }, [losses.buffer]);
}

async function sendView(s: ZeroShotSession): Promise<void> {
  const view = await s.view(viewWanted.draw, viewWanted.attributes);
  lastViewAt = performance.now();
  post({ type: 'view', view });
}

async function selectBackend(choice: BackendChoice, probeCache: BrowserBackend | null): Promise<void> {
  backend = await chooseBackend(choice, probeCache, post, async () => {
    const s = new ZeroShotSession();
    return {
      step: async () => {
        await s.trainChunk(1);
      },
      dispose: () => s.dispose(),
    };
  });
}

/** A failing backend: the next one in the chain, with a fresh network (it trains in seconds). */
async function fallBack(error: Error): Promise<void> {
  const failed = backend;
  for (const next of fallbackChain(failed)) {
    if (!(await trySetBackend(next))) continue;
    backend = next;
    fresh();
    post({ type: 'backend', backend, requested: next });
    post({ type: 'notice', level: 'warning', key: 'noticeBackendFellBack', params: { from: failed, to: next, reason: error.message.slice(0, 160) } });
    post({ type: 'reset' });
    watchDeviceLoss((m) => void fallBack(new Error(m)));
    viewRequested = true;
    return;
  }
  tr.running = false;
  post({ type: 'notice', level: 'error', key: 'noticeNoBackend', params: { reason: error.message.slice(0, 160) } });
}

const { pump, waitForPump } = createPump(
  tr,
  {
    ready: () => session !== null,
    async round() {
      const s = session!;
      const n = stepsToRun(tr);
      if (n > 0) await trainChunk(s, n);
      if (viewRequested || (n > 0 && performance.now() - lastViewAt > VIEW_REFRESH_MS)) {
        viewRequested = false;
        await sendView(s);
      }
    },
    pending: () => viewRequested,
    onError: fallBack,
    stopped() {
      if (session) post({ type: 'snapshot', step: session.steps, running: tr.running, stepsPerS, losses: new Float32Array(0), evaluation: null });
    },
  },
  SLOW_PAUSE_MS,
);

async function handle(msg: ToZeroShotWorker): Promise<void> {
  switch (msg.type) {
    case 'init': {
      applyTransport(tr, { type: 'speed', speed: msg.speed });
      await selectBackend(msg.backend, msg.probeCache);
      watchDeviceLoss((m) => void fallBack(new Error(m)));
      const s = fresh();
      // The untrained network's accuracy is the curves' first point (chance, give or take).
      const evaluation = await s.evaluate();
      post({ type: 'snapshot', step: 0, running: false, stepsPerS: 0, losses: new Float32Array(0), evaluation });
      viewRequested = true;
      break;
    }
    case 'reset': {
      tr.running = false;
      await waitForPump();
      tr.diverged = false;
      tr.pendingSteps = 0;
      const s = fresh();
      post({ type: 'reset' });
      post({ type: 'snapshot', step: 0, running: false, stepsPerS: 0, losses: new Float32Array(0), evaluation: await s.evaluate() });
      viewRequested = true;
      break;
    }
    case 'setBackend': {
      tr.running = false;
      await waitForPump();
      await selectBackend(msg.backend, null);
      watchDeviceLoss((m) => void fallBack(new Error(m)));
      // Weights are not carried across backends: the network starts again (seconds of training).
      const s = fresh();
      post({ type: 'reset' });
      post({ type: 'snapshot', step: 0, running: false, stepsPerS: 0, losses: new Float32Array(0), evaluation: await s.evaluate() });
      viewRequested = true;
      break;
    }
    case 'view':
      viewWanted = { draw: msg.draw, attributes: msg.attributes };
      viewRequested = true;
      break;
    default:
      // play / pause / step / speed
      applyTransport(tr, msg);
  }
  void pump();
}

serveInOrder<ToZeroShotWorker>(scope, handle, post);
