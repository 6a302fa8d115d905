/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { applyTransport, createPump, newTransport, resizeChunk, serveInOrder, stepsToRun } from './transport';
import { CopyTrainer, copyBitErrorsTensor, copyConfig, copyTraceTensors, type CopyConfig } from '../engine/algorithms/copyTask';
import { COPY_MODELS, COPY_PRESETS } from '../engine/algorithms/copyConfig';
import { MANN_PRESETS } from '../engine/algorithms/mannConfig';
import { MannTrainer, accuracyByInstance, mannConfig, mannCorrectTensor, mannForward, type MannConfig } from '../engine/algorithms/mannOmniglot';
import { makeCheckpoint, parseCheckpoint, checkpointParams, CheckpointError } from '../engine/core/checkpoint';
import type { ParamSpec, ParamValues } from '../engine/core/params';
import { Rng } from '../engine/core/rng';
import { DEFAULT_SYNTHETIC_CONFIG, EpisodeSampler, generateSyntheticDataset, type CharacterDataset } from '../engine/tasks/characters';
import { copyBatchFromPattern, sampleCopyBatch } from '../engine/tasks/copy';
import { sampleLabelSequences } from '../engine/tasks/labelSequence';
import { chooseBackend, fallbackChain, trySetBackend, watchDeviceLoss } from './backends';
import type { BitPattern, CopySettings, CopyTraceView, FromMemoryWorker, MannSettings, MannTraceView, MemoryJob, ToMemoryWorker } from './memoryProtocol';
import type { BackendChoice, BrowserBackend, Speed } from './vocabulary';

/**
 * The memory lab's training loop: one job per worker, the NTM (or the LSTM baseline) on the copy
 * task or a MANN on character episodes. Like the sine worker it never blocks: training runs in
 * chunks sized to a time budget, every read-back is asynchronous, page messages are handled between
 * chunks, and the trace on screen and the evaluation are refreshed only as often as they can be
 * afforded.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromMemoryWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

const CHUNK_MS: Record<Speed, number> = { slow: 0, normal: 120, fast: 400 };
const SLOW_PAUSE_MS = 450;
const TRACE_REFRESH_MS = 300;
const EVAL_REFRESH_MS = 5000;
const COPY_EVAL_SEQUENCES = 32;
const MANN_EVAL_EPISODES = 16;
const MANN_IMAGE_SIZE = 20;

/** What the loop needs from a trainer, whatever the task. */
interface Job {
  readonly description: MemoryJob;
  readonly trainer: { step(): tf.Scalar; steps: number; readonly variables: readonly tf.Variable[]; readonly specs: ParamSpec[]; dispose(): void };
  /** Training-sequence length of the last step (copy) or 0. */
  lastLength(): number;
  sendTrace(): Promise<void>;
  sendEvaluation(): Promise<void>;
  checkpointHeader(): { algorithm: string; task: string; config: Record<string, unknown> };
}

let job: Job | null = null;
let backend: BrowserBackend = 'cpu';
const tr = newTransport();
let pattern: BitPattern | null = null;
let episodeDraw = 0;
let traceRequested = false;
let traceStale = false;
let lastTraceAt = 0;
let traceCost = 0;
let evalStale = true;
let lastEvalAt = -Infinity;
let evalCost = 0;
let stepsPerS = 0;
let lastGood: { params: ParamValues; step: number } | null = null;

// ---------------------------------------------------------------------------------------------
// The copy task

function copyConfigOf(s: CopySettings): CopyConfig {
  return copyConfig(s.model, s.preset, { controller: s.controller, maxLength: s.maxLength, lr: s.lr, batch: s.batch, seed: s.seed });
}

function copyJob(settings: CopySettings, init?: { params: ParamValues; step: number }, fullConfig?: CopyConfig): Job {
  const trainer = new CopyTrainer(fullConfig ?? copyConfigOf(settings), init?.params);
  if (init) trainer.steps = init.step;
  const cfg = trainer.config;
  return {
    description: { task: 'copy', settings },
    trainer,
    lastLength: () => trainer.lastLength,
    checkpointHeader: () => ({ algorithm: cfg.model, task: 'copy', config: { ...cfg } }),
    async sendTrace() {
      const batch = copyBatchFromPattern(currentPattern(settings));
      const tensors = copyTraceTensors(cfg, trainer.variables, batch);
      const keys = Object.keys(tensors) as (keyof typeof tensors)[];
      const data = await Promise.all(keys.map((k) => tensors[k]!.data() as Promise<Float32Array>));
      keys.forEach((k) => tensors[k]!.dispose());
      const get = (k: keyof typeof tensors) => {
        const i = keys.indexOf(k);
        return i < 0 ? new Float32Array(0) : Float32Array.from(data[i]);
      };
      const outputs = get('outputs');
      let bitErrors = 0;
      for (let s = 0; s < batch.length; s++)
        for (let k = 0; k < batch.bits; k++) if (outputs[(batch.length + 1 + s) * batch.bits + k] > 0.5 !== batch.targets[s * batch.bits + k] > 0.5) bitErrors++;
      const view: CopyTraceView = {
        model: cfg.model,
        length: batch.length,
        steps: batch.steps,
        bits: batch.bits,
        slots: cfg.slots,
        width: cfg.width,
        readHeads: cfg.readHeads,
        writeHeads: cfg.writeHeads,
        inputs: batch.inputs,
        targets: batch.targets,
        outputs,
        bitErrors,
        memory: get('memory'),
        content: get('content'),
        gated: get('gated'),
        shifted: get('shifted'),
        weights: get('weights'),
        key: get('key'),
        beta: get('beta'),
        gate: get('gate'),
        gamma: get('gamma'),
        shift: get('shift'),
        erase: get('erase'),
        add: get('add'),
      };
      post({ type: 'trace', view }, buffersOf(view));
    },
    async sendEvaluation() {
      const lengths = Array.from({ length: 2 * cfg.maxLength }, (_, i) => i + 1);
      const errors = lengths.map((len) => copyBitErrorsTensor(cfg, trainer.variables, sampleCopyBatch(Rng.derive(cfg.seed, `ui-eval-${len}`), COPY_EVAL_SEQUENCES, len, cfg.bits)));
      const stacked = tf.stack(errors);
      errors.forEach((e) => e.dispose());
      const counts = await stacked.data();
      stacked.dispose();
      const ber = lengths.map((len, i) => counts[i] / (COPY_EVAL_SEQUENCES * len * cfg.bits));
      post({ type: 'evaluation', view: { step: trainer.steps, lengths, ber, sequences: COPY_EVAL_SEQUENCES } });
    },
  };
}

/** The pattern on the page, or a seeded random one of the trained length until the page sends one. */
function currentPattern(s: CopySettings): BitPattern {
  if (pattern) return pattern;
  const b = sampleCopyBatch(Rng.derive(s.seed, 'ui-pattern'), 1, s.maxLength);
  return Array.from({ length: b.length }, (_, t) => Array.from(b.targets.subarray(t * b.bits, (t + 1) * b.bits)));
}

const buffersOf = (view: object) => Object.values(view).filter((v): v is Float32Array | Int32Array => v instanceof Float32Array || v instanceof Int32Array).map((a) => a.buffer);

// ---------------------------------------------------------------------------------------------
// MANN on character episodes

let characters: CharacterDataset | null = null;

function mannConfigOf(s: MannSettings): MannConfig {
  return mannConfig(s.preset, { lr: s.lr, batch: s.batch, seed: s.seed });
}

function syntheticCharacters(): CharacterDataset {
  if (!characters) {
    post({ type: 'preparing', busy: true });
    characters = generateSyntheticDataset({ ...DEFAULT_SYNTHETIC_CONFIG, imageSize: MANN_IMAGE_SIZE });
    post({ type: 'preparing', busy: false });
  }
  return characters;
}

function mannJob(settings: MannSettings, init?: { params: ParamValues; step: number }, fullConfig?: MannConfig): Job {
  const cfg = fullConfig ?? mannConfigOf(settings);
  const data = syntheticCharacters();
  const spec = { nWay: cfg.classes, kShot: cfg.instances, qQuery: 0 };
  const trainer = new MannTrainer(cfg, new EpisodeSampler(data, { ...spec, split: 'background' }, Rng.derive(cfg.seed, 'mann-episodes')), init?.params);
  if (init) trainer.steps = init.step;
  const evalSampler = new EpisodeSampler(data, { ...spec, split: 'evaluation' }, 0);
  return {
    description: { task: 'omniglot', settings },
    trainer,
    lastLength: () => 0,
    checkpointHeader: () => ({ algorithm: 'mann', task: 'omniglot', config: { ...cfg, data: 'synthetic' } }),
    async sendTrace() {
      const batch = sampleLabelSequences(evalSampler, Rng.derive(cfg.seed, `ui-episode-${episodeDraw}`), 1);
      const tensors = tf.tidy(() => {
        const { logits, trace } = mannForward(trainer.spec, trainer.variables, batch, true);
        const first = (ts: tf.Tensor[]) => tf.stack(ts.map((x) => x.slice(0, 1).squeeze([0])));
        const steps = trace!;
        return {
          probs: tf.softmax(logits.squeeze([1]) as tf.Tensor2D),
          readWeights: first(steps.map((s) => s.readWeights)),
          writeWeights: first(steps.map((s) => s.writeWeights)),
          usage: first(steps.map((s) => s.usage)),
          cleared: first(steps.map((s) => s.cleared)),
          memory: first(steps.map((s) => s.memory)),
        };
      });
      const keys = Object.keys(tensors) as (keyof typeof tensors)[];
      const data = await Promise.all(keys.map((k) => tensors[k].data() as Promise<Float32Array>));
      keys.forEach((k) => tensors[k].dispose());
      const get = (k: keyof typeof tensors) => Float32Array.from(data[keys.indexOf(k)]);
      const probs = get('probs');
      const C = cfg.classes;
      const predicted = Int32Array.from({ length: batch.steps }, (_, t) => {
        let best = 0;
        for (let c = 1; c < C; c++) if (probs[t * C + c] > probs[t * C + best]) best = c;
        return best;
      });
      const view: MannTraceView = {
        steps: batch.steps,
        classes: C,
        slots: cfg.slots,
        width: cfg.width,
        readHeads: cfg.readHeads,
        imageSize: MANN_IMAGE_SIZE,
        images: batch.images,
        labels: batch.labels,
        instance: batch.instance,
        predicted,
        probs,
        readWeights: get('readWeights'),
        writeWeights: get('writeWeights'),
        usage: get('usage'),
        cleared: get('cleared'),
        memory: get('memory'),
      };
      post({ type: 'mannTrace', view }, buffersOf(view));
    },
    async sendEvaluation() {
      const batch = sampleLabelSequences(evalSampler, Rng.derive(cfg.seed, 'ui-eval'), MANN_EVAL_EPISODES);
      const correct = mannCorrectTensor(trainer.spec, trainer.variables, batch);
      const values = await correct.data();
      correct.dispose();
      const { hits, counts } = accuracyByInstance(values, batch, cfg.instances);
      post({ type: 'mannEvaluation', view: { step: trainer.steps, accuracy: hits.map((h, i) => (counts[i] > 0 ? h / counts[i] : NaN)), episodes: MANN_EVAL_EPISODES } });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The loop

function build(d: MemoryJob, init?: { params: ParamValues; step: number }): Job {
  return d.task === 'copy' ? copyJob(d.settings, init) : mannJob(d.settings, init);
}

async function readState(j: Job): Promise<{ params: ParamValues; step: number }> {
  const values = await Promise.all(j.trainer.variables.map(async (v) => Float32Array.from(await v.data())));
  return { params: { specs: j.trainer.specs, values }, step: j.trainer.steps };
}

function dispose(): void {
  try {
    job?.trainer.dispose();
  } catch {
    // a lost device may fail to free its buffers; the backend is being replaced anyway
  }
  job = null;
}

async function selectBackend(choice: BackendChoice, probeCache: BrowserBackend | null, d: MemoryJob): Promise<void> {
  backend = await chooseBackend(choice, probeCache, post, async () => {
    const j = build(d);
    return {
      step: async () => {
        const loss = j.trainer.step();
        await loss.data();
        loss.dispose();
      },
      dispose: () => j.trainer.dispose(),
    };
  });
}

async function fallBack(error: Error): Promise<void> {
  const failed = backend;
  const d = job?.description;
  dispose();
  if (!d) return;
  for (const next of fallbackChain(failed)) {
    if (!(await trySetBackend(next))) continue;
    backend = next;
    job = build(d, lastGood ?? undefined);
    post({ type: 'backend', backend, requested: next });
    post({ type: 'notice', level: 'warning', key: 'noticeBackendFellBack', params: { from: failed, to: next, reason: error.message.slice(0, 160) } });
    watchDeviceLoss((m) => void fallBack(new Error(m)));
    traceStale = evalStale = true;
    snapshot(new Float32Array(0), new Int32Array(0));
    return;
  }
  tr.running = false;
  post({ type: 'notice', level: 'error', key: 'noticeNoBackend', params: { reason: error.message.slice(0, 160) } });
}

function snapshot(losses: Float32Array, lengths: Int32Array): void {
  post({ type: 'snapshot', step: job?.trainer.steps ?? 0, running: tr.running, stepsPerS, losses, lengths }, [losses.buffer, lengths.buffer]);
}

async function trainChunk(n: number): Promise<void> {
  const j = job!;
  const t0 = performance.now();
  const losses: tf.Scalar[] = [];
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    losses.push(j.trainer.step());
    lengths[i] = j.lastLength();
  }
  const stacked = tf.stack(losses);
  losses.forEach((l) => l.dispose());
  const values = Float32Array.from((await stacked.data()) as Float32Array);
  stacked.dispose();
  const elapsed = performance.now() - t0;
  stepsPerS = (n / elapsed) * 1000;
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    tr.running = false;
    tr.diverged = true;
    snapshot(values.slice(0, bad), lengths.slice(0, bad));
    post({ type: 'diverged', step: j.trainer.steps - n + bad + 1, loss: values[bad], lr: j.description.settings.lr });
    return;
  }
  resizeChunk(tr, elapsed, CHUNK_MS[tr.speed], 200);
  traceStale = evalStale = true;
  snapshot(values, lengths);
  lastGood = await readState(j);
}

async function timed(kind: 'trace' | 'eval', f: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  await f();
  const cost = performance.now() - t0;
  if (kind === 'trace') {
    traceCost = cost;
    lastTraceAt = performance.now();
  } else {
    evalCost = cost;
    lastEvalAt = performance.now();
    evalStale = false;
  }
}

const { pump, waitForPump } = createPump(
  tr,
  {
    ready: () => job !== null,
    async round() {
      const j = job!;
      if (traceRequested) {
        traceRequested = false;
        await timed('trace', () => j.sendTrace());
      }
      const n = stepsToRun(tr);
      if (n > 0) await trainChunk(n);
      const now = performance.now();
      if (!tr.diverged && traceStale && (!tr.running || now - lastTraceAt > Math.max(TRACE_REFRESH_MS, 4 * traceCost))) {
        traceStale = false;
        await timed('trace', () => j.sendTrace());
      }
      // The evaluation is the costliest view: it never takes more than about a ninth of the time.
      const evalGap = Math.max(tr.running ? EVAL_REFRESH_MS : 800, 8 * evalCost);
      if (!tr.diverged && evalStale && tr.pendingSteps === 0) {
        if (now - lastEvalAt > evalGap) await timed('eval', () => j.sendEvaluation());
        else if (!tr.running) setTimeout(() => void pump(), evalGap - (now - lastEvalAt));
      }
    },
    pending: () => traceRequested,
    onError: fallBack,
    stopped() {
      if (!tr.running) snapshot(new Float32Array(0), new Int32Array(0));
    },
  },
  SLOW_PAUSE_MS,
);

/** The settings a checkpoint was trained with, and the full config to rebuild its model exactly. */
function jobFromCheckpoint(algorithm: string, task: string, config: Record<string, unknown>): { description: MemoryJob; full: CopyConfig | MannConfig } {
  const num = (k: string, fallback: number) => (typeof config[k] === 'number' && Number.isFinite(config[k]) ? (config[k] as number) : fallback);
  if (task === 'copy') {
    if (!(COPY_MODELS as readonly string[]).includes(algorithm)) throw new CheckpointError(`its model "${algorithm}" has no slot in this lab`);
    const model = algorithm as CopySettings['model'];
    const preset = COPY_PRESETS.find((p) => p === config.preset) ?? 'small';
    const base = copyConfig(model, preset);
    const full: CopyConfig = { ...base, ...(config as Partial<CopyConfig>), model, preset };
    const settings: CopySettings = { model, preset, controller: full.controller === 'ff' ? 'ff' : 'lstm', maxLength: num('maxLength', base.maxLength), lr: num('lr', base.lr), batch: num('batch', base.batch), seed: num('seed', 0) };
    return { description: { task: 'copy', settings }, full };
  }
  if (task === 'omniglot' && algorithm === 'mann') {
    const preset = MANN_PRESETS.find((p) => p === config.preset) ?? 'small';
    const base = mannConfig(preset);
    const full: MannConfig = { ...base, ...(config as Partial<MannConfig>), preset };
    const settings: MannSettings = { preset, lr: num('lr', base.lr), batch: num('batch', base.batch), seed: num('seed', 0) };
    return { description: { task: 'omniglot', settings }, full };
  }
  throw new CheckpointError(`it holds ${algorithm} trained on "${task}", which this lab does not run`);
}

async function handle(msg: ToMemoryWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      await selectBackend(msg.backend, msg.probeCache, msg.job);
      watchDeviceLoss((m) => void fallBack(new Error(m)));
      job = build(msg.job);
      lastGood = await readState(job);
      traceRequested = true;
      snapshot(new Float32Array(0), new Int32Array(0));
      break;
    case 'trace':
      pattern = msg.pattern.length > 0 ? msg.pattern : null;
      traceRequested = true;
      break;
    case 'episode':
      episodeDraw = msg.draw;
      traceRequested = true;
      break;
    case 'reset':
      tr.running = false;
      tr.diverged = false;
      await waitForPump();
      dispose();
      job = build(msg.job);
      lastGood = await readState(job);
      traceRequested = evalStale = true;
      lastEvalAt = -Infinity;
      post({ type: 'reset', job: msg.job });
      snapshot(new Float32Array(0), new Int32Array(0));
      break;
    case 'setBackend': {
      if (!job) break;
      tr.running = false;
      await waitForPump();
      const d = job.description;
      const saved = await readState(job);
      dispose();
      await selectBackend(msg.backend, null, d);
      watchDeviceLoss((m) => void fallBack(new Error(m)));
      job = build(d, saved);
      traceRequested = evalStale = true;
      snapshot(new Float32Array(0), new Int32Array(0));
      break;
    }
    case 'saveCheckpoint': {
      if (!job) break;
      await waitForPump();
      const saved = await readState(job);
      const h = job.checkpointHeader();
      post({ type: 'checkpoint', text: JSON.stringify(makeCheckpoint(h.algorithm, h.task, h.config, saved.step, saved.params)), model: h.algorithm, step: saved.step });
      break;
    }
    case 'loadCheckpoint': {
      try {
        const ckpt = parseCheckpoint(msg.text);
        const { description, full } = jobFromCheckpoint(ckpt.algorithm, ckpt.task, ckpt.config);
        tr.running = false;
        await waitForPump();
        // Building the job validates the shapes; only then is the old model replaced.
        const init = { params: checkpointParams(ckpt), step: ckpt.step };
        const replacement = description.task === 'copy' ? copyJob(description.settings, init, full as CopyConfig) : mannJob(description.settings, init, full as MannConfig);
        dispose();
        job = replacement;
        tr.diverged = false;
        lastGood = await readState(job);
        traceRequested = evalStale = true;
        lastEvalAt = -Infinity;
        post({ type: 'checkpointLoaded', step: ckpt.step, fileName: msg.fileName, job: description });
      } catch (e) {
        post({ type: 'notice', level: 'error', key: 'noticeCheckpointRefused', params: { file: msg.fileName, reason: (e as Error).message } });
      }
      break;
    }
    default:
      // play / pause / step / speed
      applyTransport(tr, msg);
  }
  void pump();
}

serveInOrder<ToMemoryWorker>(scope, handle, post);
