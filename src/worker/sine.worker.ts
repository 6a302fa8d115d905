/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import {
  DEFAULT_SINE_CONFIG,
  DEFAULT_SINE_EVAL,
  SineTrainer,
  adaptationCurvesTensor,
  evaluateSineTensor,
  type SineConfig,
} from '../engine/algorithms/sineRegression';
import { makeCheckpoint, parseCheckpoint, checkpointParams, CheckpointError } from '../engine/core/checkpoint';
import type { ParamValues } from '../engine/core/params';
import { sineGrid } from '../engine/tasks/sine';
import { availableBackends, fallbackChain, probeBackends, trySetBackend, watchDeviceLoss } from './backends';
import type { BackendChoice, BrowserBackend, FromWorker, SineModelName, SineSettings, Speed, SupportPoints, ToWorker } from './protocol';

/**
 * The sine lab's training loop. It runs MAML and the pretraining baseline side by side on the
 * same task stream, and never blocks: work is done in chunks sized to a time budget, results are
 * read back asynchronously, and messages from the page are handled between chunks.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

const ADAPT_STEPS = 10;
const GRID = sineGrid(161);
const EVAL = { ...DEFAULT_SINE_EVAL, tasks: 100 };
const CHUNK_MS: Record<Speed, number> = { slow: 0, normal: 40, fast: 150 };
const SLOW_PAUSE_MS = 450;
const ADAPT_REFRESH_MS = 250;
const EVAL_REFRESH_MS = 4000;
const DIVERGENCE_LIMIT = 1e6;

interface Models {
  maml: SineTrainer;
  pretrain: SineTrainer;
}

let settings: SineSettings | null = null;
let models: Models | null = null;
let backend: BrowserBackend = 'cpu';
let running = false;
let speed: Speed = 'normal';
let diverged = false;
let pendingSteps = 0;
let pendingAdapt: { support: SupportPoints; alpha: number } | null = null;
let lastAdaptRequest: { support: SupportPoints; alpha: number } | null = null;
let adaptStale = false;
let lastAdaptAt = 0;
let lastEvalAt = -Infinity;
/** How long the last evaluation / adaptation took: on a slow device they run less often, so training keeps most of the time. */
let evalCost = 0;
let adaptCost = 0;
let evalStale = true;
let stepsPerChunk = 1;
let pumping = false;
let stepsPerS = 0;
let simulateFailure = false;
/** The last parameters read back without error: what a backend fallback restarts from. */
let lastGood: { maml: ParamValues; pretrain: ParamValues; step: number } | null = null;

function configFor(algorithm: SineConfig['algorithm'], s: SineSettings): SineConfig {
  return { ...DEFAULT_SINE_CONFIG, ...s, algorithm, firstOrder: algorithm === 'maml' && s.firstOrder };
}

function buildModels(s: SineSettings, init?: { maml: ParamValues; pretrain: ParamValues; step: number }): Models {
  const m = {
    maml: new SineTrainer(configFor('maml', s), init?.maml),
    pretrain: new SineTrainer(configFor('pretrain', s), init?.pretrain),
  };
  if (init) m.maml.steps = m.pretrain.steps = init.step;
  return m;
}

function disposeModels(): void {
  try {
    models?.maml.dispose();
    models?.pretrain.dispose();
  } catch {
    // A lost device can fail to free its buffers; the backend is being replaced anyway.
  }
  models = null;
}

async function readParams(m: Models): Promise<{ maml: ParamValues; pretrain: ParamValues; step: number }> {
  const read = async (t: SineTrainer): Promise<ParamValues> => {
    const specs = t.paramSpecs;
    const values = await Promise.all(t.variables.map(async (v) => Float32Array.from(await v.data())));
    return { specs, values };
  };
  return { maml: await read(m.maml), pretrain: await read(m.pretrain), step: m.maml.steps };
}

async function selectBackend(choice: BackendChoice, probeCache: BrowserBackend | null): Promise<void> {
  if (choice !== 'auto') {
    if (await trySetBackend(choice)) {
      backend = choice;
      post({ type: 'backend', backend, requested: choice });
      return;
    }
    post({ type: 'notice', level: 'warning', key: 'noticeBackendUnavailable', params: { backend: choice } });
  }
  if (choice === 'auto' && probeCache && availableBackends().includes(probeCache) && (await trySetBackend(probeCache))) {
    backend = probeCache;
    post({ type: 'backend', backend, requested: 'auto' });
    return;
  }
  const s = settings ?? { ...DEFAULT_SINE_CONFIG };
  const probe = await probeBackends(() => {
    const t = new SineTrainer(configFor('maml', s));
    return {
      step: async () => {
        const loss = t.step();
        await loss.data();
        loss.dispose();
      },
      dispose: () => t.dispose(),
    };
  });
  const best = probe.find((p) => p.msPerStep !== null)?.backend ?? 'cpu';
  await trySetBackend(best);
  backend = best;
  post({ type: 'backend', backend, requested: 'auto', probe });
}

function afterBackendChange(): void {
  watchDeviceLoss((message) => void fallBack(new Error(message)));
}

/** Moves to the next backend after a failure, restarting from the last good parameters. */
async function fallBack(error: Error): Promise<void> {
  const failed = backend;
  const chain = fallbackChain(failed);
  disposeModels();
  for (const next of chain) {
    if (!(await trySetBackend(next))) continue;
    backend = next;
    models = buildModels(settings!, lastGood ?? undefined);
    post({ type: 'backend', backend, requested: next });
    post({ type: 'notice', level: 'warning', key: 'noticeBackendFellBack', params: { from: failed, to: next, reason: error.message.slice(0, 160) } });
    afterBackendChange();
    adaptStale = evalStale = true;
    sendSnapshot(new Float32Array(0), new Float32Array(0));
    return;
  }
  running = false;
  post({ type: 'notice', level: 'error', key: 'noticeNoBackend', params: { reason: error.message.slice(0, 160) } });
}

function sendSnapshot(maml: Float32Array, pretrain: Float32Array): void {
  post(
    {
      type: 'snapshot',
      step: models?.maml.steps ?? 0,
      running,
      stepsPerS,
      mamlLoss: maml,
      pretrainLoss: pretrain,
      stage: running ? 'outer' : 'idle',
    },
    [maml.buffer, pretrain.buffer],
  );
}

/** Runs a chunk of outer steps on both models and reports their meta-losses. */
async function trainChunk(maxSteps: number): Promise<void> {
  const m = models!;
  const t0 = performance.now();
  const mamlLosses: tf.Scalar[] = [];
  const preLosses: tf.Scalar[] = [];
  if (simulateFailure) {
    simulateFailure = false;
    throw new Error('simulated backend failure');
  }
  for (let i = 0; i < maxSteps; i++) {
    mamlLosses.push(m.maml.step());
    preLosses.push(m.pretrain.step());
  }
  const stacked = tf.stack([...mamlLosses, ...preLosses]);
  mamlLosses.forEach((l) => l.dispose());
  preLosses.forEach((l) => l.dispose());
  const values = (await stacked.data()) as Float32Array;
  stacked.dispose();
  const elapsed = performance.now() - t0;
  stepsPerS = (maxSteps / elapsed) * 1000;
  const n = maxSteps;
  const maml = values.slice(0, n);
  const pretrain = values.slice(n);
  const bad = (v: number) => !Number.isFinite(v) || v > DIVERGENCE_LIMIT;
  const firstBad = Math.min(...[maml.findIndex(bad), pretrain.findIndex(bad)].map((i) => (i < 0 ? Infinity : i)));
  if (firstBad !== Infinity) {
    running = false;
    diverged = true;
    const model: SineModelName = bad(maml[firstBad]) ? 'maml' : 'pretrain';
    const step = m.maml.steps - n + firstBad + 1;
    sendSnapshot(maml.slice(0, firstBad), pretrain.slice(0, firstBad));
    post({ type: 'diverged', step, model, loss: model === 'maml' ? maml[firstBad] : pretrain[firstBad], alpha: settings!.alpha, metaLr: settings!.metaLr });
    return;
  }
  // Size the next chunk to the time budget (GPU work is asynchronous, so measure whole chunks).
  const target = CHUNK_MS[speed];
  if (target > 0) stepsPerChunk = Math.max(1, Math.min(500, Math.round(stepsPerChunk * Math.min(2, target / Math.max(1, elapsed)))));
  adaptStale = evalStale = true;
  sendSnapshot(maml, pretrain);
  lastGood = await readParams(m);
}

async function sendAdaptation(request: { support: SupportPoints; alpha: number }): Promise<void> {
  const m = models!;
  const t0 = performance.now();
  const xs = Float32Array.from(request.support.xs);
  const ys = Float32Array.from(request.support.ys);
  const a = adaptationCurvesTensor(m.maml.variables, xs, ys, GRID, request.alpha, ADAPT_STEPS);
  const b = adaptationCurvesTensor(m.pretrain.variables, xs, ys, GRID, request.alpha, ADAPT_STEPS);
  const [maml, pretrain] = await Promise.all([a.data(), b.data()]);
  a.dispose();
  b.dispose();
  const view = { grid: GRID.slice(), maml: maml as Float32Array, pretrain: pretrain as Float32Array, steps: ADAPT_STEPS, support: request.support };
  post({ type: 'adaptation', view }, [view.grid.buffer, view.maml.buffer, view.pretrain.buffer]);
  adaptCost = performance.now() - t0;
  lastAdaptAt = performance.now();
}

async function sendEvaluation(): Promise<void> {
  const m = models!;
  const t0 = performance.now();
  const opts = { ...EVAL, k: settings!.k, alpha: settings!.alpha, seed: settings!.seed };
  const a = evaluateSineTensor(m.maml.variables, opts);
  const b = evaluateSineTensor(m.pretrain.variables, opts);
  const [maml, pretrain] = await Promise.all([a.data(), b.data()]);
  a.dispose();
  b.dispose();
  post({ type: 'evaluation', step: m.maml.steps, maml: Array.from(maml), pretrain: Array.from(pretrain), tasks: opts.tasks });
  evalCost = performance.now() - t0;
  lastEvalAt = performance.now();
  evalStale = false;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The one loop that does all tensor work, so commands never interleave with a running chunk. */
async function pump(): Promise<void> {
  if (pumping || !models) return;
  pumping = true;
  try {
    for (;;) {
      try {
        if (pendingAdapt) {
          const req = pendingAdapt; // latest wins: requests that arrived meanwhile replaced each other
          pendingAdapt = null;
          lastAdaptRequest = req;
          await sendAdaptation(req);
        }
        if (diverged) {
          running = false;
          pendingSteps = 0;
        } else if (running || pendingSteps > 0) {
          const n = running ? (speed === 'slow' ? 1 : stepsPerChunk) : 1;
          pendingSteps = Math.max(0, pendingSteps - 1);
          await trainChunk(n);
        }
        const now = performance.now();
        if (!diverged && adaptStale && lastAdaptRequest && (!running || now - lastAdaptAt > Math.max(ADAPT_REFRESH_MS, 4 * adaptCost))) {
          adaptStale = false;
          await sendAdaptation(lastAdaptRequest);
        }
        // Evaluation is the costliest view: it never takes more than about a sixth of the time.
        const evalGap = Math.max(running ? EVAL_REFRESH_MS : 1000, 5 * evalCost);
        if (!diverged && evalStale && pendingSteps === 0) {
          if (now - lastEvalAt > evalGap) await sendEvaluation();
          else if (!running) setTimeout(() => void pump(), evalGap - (now - lastEvalAt));
        }
      } catch (e) {
        await fallBack(e as Error);
      }
      if (!running && pendingSteps === 0 && !pendingAdapt) break;
      await pause(running && speed === 'slow' ? SLOW_PAUSE_MS : 0);
    }
  } finally {
    pumping = false;
  }
  if (!running) sendSnapshot(new Float32Array(0), new Float32Array(0));
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      settings = msg.settings;
      await selectBackend(msg.backend, msg.probeCache);
      afterBackendChange();
      models = buildModels(settings);
      lastGood = await readParams(models);
      sendSnapshot(new Float32Array(0), new Float32Array(0));
      break;
    case 'play':
      if (!diverged) running = true;
      break;
    case 'pause':
      running = false;
      break;
    case 'step':
      running = false;
      if (!diverged) pendingSteps++;
      break;
    case 'speed':
      speed = msg.speed;
      stepsPerChunk = 1;
      break;
    case 'reset':
      running = false;
      diverged = false;
      settings = msg.settings;
      await waitForPump();
      disposeModels();
      models = buildModels(settings);
      lastGood = await readParams(models);
      adaptStale = evalStale = true;
      lastEvalAt = -Infinity;
      post({ type: 'reset', settings });
      sendSnapshot(new Float32Array(0), new Float32Array(0));
      break;
    case 'adapt':
      pendingAdapt = { support: msg.support, alpha: msg.alpha };
      break;
    case 'setBackend': {
      running = false;
      await waitForPump();
      const saved = models ? await readParams(models) : null;
      disposeModels();
      await selectBackend(msg.backend, null);
      afterBackendChange();
      models = buildModels(settings!, saved ?? undefined);
      adaptStale = evalStale = true;
      sendSnapshot(new Float32Array(0), new Float32Array(0));
      break;
    }
    case 'saveCheckpoint': {
      if (!models) break;
      await waitForPump();
      const t = models[msg.model];
      const saved = await readParams(models);
      const ckpt = makeCheckpoint(msg.model, 'sine', { ...t.config }, t.steps, saved[msg.model]);
      post({ type: 'checkpoint', model: msg.model, text: JSON.stringify(ckpt) });
      break;
    }
    case 'loadCheckpoint': {
      try {
        const ckpt = parseCheckpoint(msg.text);
        if (ckpt.task !== 'sine') throw new CheckpointError(`it was trained on the "${ckpt.task}" task, not on sine waves`);
        if (ckpt.algorithm !== 'maml' && ckpt.algorithm !== 'pretrain' && ckpt.algorithm !== 'fomaml')
          throw new CheckpointError(`its algorithm "${ckpt.algorithm}" has no slot in this lab`);
        const model: SineModelName = ckpt.algorithm === 'pretrain' ? 'pretrain' : 'maml';
        const params = checkpointParams(ckpt);
        running = false;
        await waitForPump();
        const current = await readParams(models!);
        // Building the trainer validates the shapes; only then is the old model replaced.
        const replacement = new SineTrainer(configFor(model, settings!), params);
        models![model].dispose();
        models![model] = replacement;
        replacement.steps = models!.maml.steps = models!.pretrain.steps = Math.max(current.step, ckpt.step);
        diverged = false;
        adaptStale = evalStale = true;
        lastEvalAt = -Infinity; // the user asked for this model: show its evaluation now
        post({ type: 'checkpointLoaded', model, step: ckpt.step, fileName: msg.fileName });
      } catch (e) {
        post({ type: 'notice', level: 'error', key: 'noticeCheckpointRefused', params: { file: msg.fileName, reason: (e as Error).message } });
      }
      break;
    }
    case 'simulateBackendFailure':
      simulateFailure = true;
      running = true;
      break;
  }
  void pump();
}

async function waitForPump(): Promise<void> {
  while (pumping) await pause(5);
}

// Commands are handled one at a time, in order.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e: MessageEvent<ToWorker>) => {
  queue = queue.then(() => handle(e.data)).catch((err: Error) => {
    post({ type: 'notice', level: 'error', key: 'noticeWorkerError', params: { reason: err.message } });
  });
};
