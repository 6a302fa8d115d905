/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { applyTransport, createPump, newTransport, resizeChunk, serveInOrder, stepsToRun } from './transport';
import { DEFAULT_SINE_EVAL, SineTrainer, type SineConfig } from '../engine/algorithms/sineRegression';
import { DEFAULT_SINE_CONFIG, sineConfigFor } from '../engine/algorithms/sineConfig';
import { Rng } from '../engine/core/rng';
import { sampleSinePoints, sampleSineTask } from '../engine/tasks/sine';
import { makeCheckpoint, parseCheckpoint, checkpointParams, CheckpointError } from '../engine/core/checkpoint';
import type { ParamValues } from '../engine/core/params';
import { sineGrid } from '../engine/tasks/sine';
import { chooseBackend, fallbackChain, trySetBackend, watchDeviceLoss } from './backends';
import type { FamilyView, FromWorker, SineModelName, SineSettings, SupportPoints, ToWorker } from './sineProtocol';
import type { BackendChoice, BrowserBackend, Speed } from './vocabulary';

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
const tr = newTransport();
type AdaptRequest = { support: SupportPoints; alpha: number; demo?: number[] };
let pendingAdapt: AdaptRequest | null = null;
let lastAdaptRequest: AdaptRequest | null = null;
let adaptStale = false;
let lastAdaptAt = 0;
let lastEvalAt = -Infinity;
/** How long the last evaluation / adaptation took: on a slow device they run less often, so training keeps most of the time. */
let evalCost = 0;
let adaptCost = 0;
let evalStale = true;
let stepsPerS = 0;
let simulateFailure = false;
/** The last parameters read back without error: what a backend fallback restarts from. */
let lastGood: { maml: ParamValues; pretrain: ParamValues; step: number } | null = null;

/** The first model ('maml' slot) trains the selected algorithm; the second is always pretraining. */
function configFor(model: SineModelName, s: SineSettings): SineConfig {
  const shared = { k: s.k, alpha: s.alpha, metaLr: s.metaLr, metaBatch: s.metaBatch, seed: s.seed };
  if (model === 'pretrain') return sineConfigFor('pretrain', shared);
  const { algorithm, innerSteps, firstOrder, epsilon, reptileMode, innerOptimizer, contextAlpha, tamlLambda, tamlMeasure } = s;
  return sineConfigFor(algorithm, { ...shared, innerSteps, firstOrder, epsilon, reptileMode, innerOptimizer, contextAlpha, tamlLambda, tamlMeasure });
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
  const cfg = settings ? configFor('maml', settings) : DEFAULT_SINE_CONFIG;
  backend = await chooseBackend(choice, probeCache, post, async () => {
    {
      const t = new SineTrainer(cfg);
      return {
        step: async () => {
          const loss = t.step();
          await loss.data();
          loss.dispose();
        },
        dispose: () => t.dispose(),
      };
    };
  });
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
  tr.running = false;
  post({ type: 'notice', level: 'error', key: 'noticeNoBackend', params: { reason: error.message.slice(0, 160) } });
}

function sendSnapshot(maml: Float32Array, pretrain: Float32Array, weights: Float32Array | null = null): void {
  post(
    {
      type: 'snapshot',
      step: models?.maml.steps ?? 0,
      running: tr.running,
      stepsPerS,
      mamlLoss: maml,
      pretrainLoss: pretrain,
      weights,
      stage: tr.running ? 'outer' : 'idle',
    },
    weights ? [maml.buffer, pretrain.buffer, weights.buffer] : [maml.buffer, pretrain.buffer],
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
  // Gradient agreement: the last step's task weights (nothing steps while this loop awaits).
  const weights = m.maml.lastWeights ? Float32Array.from(await m.maml.lastWeights.data()) : null;
  const elapsed = performance.now() - t0;
  stepsPerS = (maxSteps / elapsed) * 1000;
  const n = maxSteps;
  const maml = values.slice(0, n);
  const pretrain = values.slice(n);
  const bad = (v: number) => !Number.isFinite(v) || v > DIVERGENCE_LIMIT;
  const firstBad = Math.min(...[maml.findIndex(bad), pretrain.findIndex(bad)].map((i) => (i < 0 ? Infinity : i)));
  if (firstBad !== Infinity) {
    tr.running = false;
    tr.diverged = true;
    const model: SineModelName = bad(maml[firstBad]) ? 'maml' : 'pretrain';
    const step = m.maml.steps - n + firstBad + 1;
    sendSnapshot(maml.slice(0, firstBad), pretrain.slice(0, firstBad));
    post({ type: 'diverged', step, model, loss: model === 'maml' ? maml[firstBad] : pretrain[firstBad], alpha: settings!.alpha, metaLr: settings!.metaLr });
    return;
  }
  resizeChunk(tr, elapsed, CHUNK_MS[tr.speed], 500);
  adaptStale = evalStale = true;
  sendSnapshot(maml, pretrain, weights);
  lastGood = await readParams(m);
}

async function sendAdaptation(request: AdaptRequest): Promise<void> {
  const m = models!;
  const t0 = performance.now();
  const xs = Float32Array.from(request.support.xs);
  const ys = Float32Array.from(request.support.ys);
  // Each model adapts with its own rule (Meta-SGD's α, CAML's context, DAML's demonstration).
  const a = m.maml.adaptationCurvesTensor(xs, ys, GRID, request.alpha, ADAPT_STEPS, request.demo ? Float32Array.from(request.demo) : undefined);
  const b = m.pretrain.adaptationCurvesTensor(xs, ys, GRID, request.alpha, ADAPT_STEPS);
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
  const a = m.maml.evaluateTensor(opts);
  const b = m.pretrain.evaluateTensor(opts);
  const [maml, pretrain] = await Promise.all([a.data(), b.data()]);
  a.dispose();
  b.dispose();
  post({ type: 'evaluation', step: m.maml.steps, maml: Array.from(maml), pretrain: Array.from(pretrain), tasks: opts.tasks });
  await sendFamilyView(m.maml);
  evalCost = performance.now() - t0;
  lastEvalAt = performance.now();
  evalStale = false;
}

/** CAML's context plane: the same 60 tasks every time, so the picture changes only as θ learns. */
const CONTEXT_TASKS = 60;

/** What the algorithm itself has learned (Meta-SGD's α, CAML's contexts), sent with each evaluation. */
async function sendFamilyView(t: SineTrainer): Promise<void> {
  const cfg = t.config;
  let view: FamilyView | null = null;
  if (cfg.algorithm === 'metasgd') {
    const specs = t.paramSpecs.slice(t.theta.length);
    const values = await Promise.all(t.extra.map(async (v) => Float32Array.from(await v.data())));
    view = { kind: 'metasgd', step: t.steps, layers: specs.map((sp, i) => ({ name: sp.name.replace(/^alpha_/, ''), rows: sp.shape[0], cols: sp.shape[1], values: values[i] })) };
  } else if (cfg.algorithm === 'caml') {
    const rng = Rng.derive(cfg.seed, 'ui-contexts');
    const tasks = Array.from({ length: CONTEXT_TASKS }, () => sampleSineTask(rng));
    const pts = sampleSinePoints(rng, tasks, cfg.k);
    const phi = t.contextsTensor(pts.xs, pts.ys, CONTEXT_TASKS, cfg.innerSteps);
    const data = (await phi.data()) as Float32Array;
    phi.dispose();
    const c = cfg.contextSize;
    const points = Float32Array.from({ length: CONTEXT_TASKS * 2 }, (_, i) => (i % 2 === 0 || c > 1 ? data[Math.floor(i / 2) * c + (i % 2)] : 0));
    view = { kind: 'caml', step: t.steps, points, amplitude: Float32Array.from(tasks, (x) => x.amplitude), phase: Float32Array.from(tasks, (x) => x.phase), dims: c };
  }
  if (view) post({ type: 'family', view });
}

/** The one loop that does all tensor work, so commands never interleave with a running chunk. */
const { pump, waitForPump } = createPump(
  tr,
  {
    ready: () => models !== null,
    async round() {
      if (pendingAdapt) {
        const req = pendingAdapt; // latest wins: requests that arrived meanwhile replaced each other
        pendingAdapt = null;
        lastAdaptRequest = req;
        await sendAdaptation(req);
      }
      const n = stepsToRun(tr);
      if (n > 0) await trainChunk(n);
      const now = performance.now();
      if (!tr.diverged && adaptStale && lastAdaptRequest && (!tr.running || now - lastAdaptAt > Math.max(ADAPT_REFRESH_MS, 4 * adaptCost))) {
        adaptStale = false;
        await sendAdaptation(lastAdaptRequest);
      }
      // Evaluation is the costliest view: it never takes more than about a sixth of the time.
      const evalGap = Math.max(tr.running ? EVAL_REFRESH_MS : 1000, 5 * evalCost);
      if (!tr.diverged && evalStale && tr.pendingSteps === 0) {
        if (now - lastEvalAt > evalGap) await sendEvaluation();
        else if (!tr.running) setTimeout(() => void pump(), evalGap - (now - lastEvalAt));
      }
    },
    pending: () => pendingAdapt !== null,
    onError: fallBack,
    stopped() {
      if (!tr.running) sendSnapshot(new Float32Array(0), new Float32Array(0));
    },
  },
  SLOW_PAUSE_MS,
);

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
    case 'reset':
      tr.running = false;
      tr.diverged = false;
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
      pendingAdapt = { support: msg.support, alpha: msg.alpha, demo: msg.demo };
      break;
    case 'setBackend': {
      tr.running = false;
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
      const which: SineModelName = msg.model === 'pretrain' ? 'pretrain' : 'maml';
      const t = models[which];
      const saved = await readParams(models);
      const name = which === 'pretrain' ? 'pretrain' : t.config.algorithm === 'maml' && t.config.firstOrder ? 'fomaml' : t.config.algorithm;
      const ckpt = makeCheckpoint(name, 'sine', { ...t.config }, t.steps, saved[which]);
      post({ type: 'checkpoint', model: which, text: JSON.stringify(ckpt) });
      break;
    }
    case 'loadCheckpoint': {
      try {
        const ckpt = parseCheckpoint(msg.text);
        if (ckpt.task !== 'sine') throw new CheckpointError(`it was trained on the "${ckpt.task}" task, not on sine waves`);
        // The first slot takes the selected algorithm (MAML and first-order MAML share a model); the second, pretraining.
        const selected = settings!.algorithm;
        const mamlLike = (a: string) => a === 'maml' || a === 'fomaml';
        if (ckpt.algorithm !== 'pretrain' && ckpt.algorithm !== selected && !(mamlLike(ckpt.algorithm) && mamlLike(selected)))
          throw new CheckpointError(`it was trained with "${ckpt.algorithm}", but this lab is training "${selected}": choose that algorithm first`);
        const model: SineModelName = ckpt.algorithm === 'pretrain' ? 'pretrain' : 'maml';
        const params = checkpointParams(ckpt);
        tr.running = false;
        await waitForPump();
        const current = await readParams(models!);
        // Building the trainer validates the shapes; only then is the old model replaced.
        const replacement = new SineTrainer(configFor(model, settings!), params);
        models![model].dispose();
        models![model] = replacement;
        replacement.steps = models!.maml.steps = models!.pretrain.steps = Math.max(current.step, ckpt.step);
        tr.diverged = false;
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
      tr.running = true;
      break;
    default:
      // play / pause / step / speed
      applyTransport(tr, msg);
  }
  void pump();
}

serveInOrder<ToWorker>(scope, handle, post);
