import * as tf from '@tensorflow/tfjs';
import { CopyTrainer, copyBitErrorsTensor, copyConfig, copyTraceTensors, type CopyConfig } from '../engine/algorithms/copyTask';
import { COPY_MODELS, COPY_PRESETS } from '../engine/algorithms/copyConfig';
import { MANN_PRESETS } from '../engine/algorithms/mannConfig';
import { MannTrainer, accuracyByInstance, mannConfig, mannCorrectTensor, mannForward, type MannConfig } from '../engine/algorithms/mannOmniglot';
import { CheckpointError } from '../engine/core/checkpoint';
import type { ParamSpec, ParamValues } from '../engine/core/params';
import { Rng } from '../engine/core/rng';
import { DEFAULT_SYNTHETIC_CONFIG, EpisodeSampler, generateSyntheticDataset, type CharacterDataset } from '../engine/tasks/characters';
import { copyBatchFromPattern, sampleCopyBatch } from '../engine/tasks/copy';
import { sampleLabelSequences } from '../engine/tasks/labelSequence';
import { copyConfigFromSettings } from '../engine/algorithms/copyConfig';
import { mannConfigFromSettings } from '../engine/algorithms/mannConfig';
import type { BitPattern, CopySettings, CopyTraceView, FromMemoryWorker, MannSettings, MannTraceView, MemoryJob } from './memoryProtocol';
import type { Post } from './session';

/**
 * The memory lab's two jobs: the NTM (or the LSTM baseline) on the copy task, and a MANN on
 * label sequences of synthetic characters. Each trains, draws its trace (the sequence or episode
 * the page shows) and evaluates; memorySession.ts drives whichever the page chose.
 */
const COPY_EVAL_SEQUENCES = 32;
const MANN_EVAL_EPISODES = 16;
const MANN_IMAGE_SIZE = 20;

/** What the session needs from a trainer, whatever the task. */
export interface Job {
  readonly description: MemoryJob;
  /** The full config, to rebuild the model exactly (a checkpoint's may differ from its preset's). */
  readonly config: CopyConfig | MannConfig;
  readonly trainer: { step(): tf.Scalar; steps: number; readonly variables: readonly tf.Variable[]; readonly specs: ParamSpec[]; dispose(): void };
  /** Training-sequence length of the last step (copy) or 0. */
  lastLength(): number;
  sendTrace(): Promise<void>;
  sendEvaluation(): Promise<void>;
  checkpointHeader(): { algorithm: string; task: string; config: Record<string, unknown> };
}

/** What the page asked to see: its own bit pattern (copy) and the episode's draw number (MANN). */
export interface MemoryViewState {
  pattern: BitPattern | null;
  episodeDraw: number;
}

export interface JobContext {
  view: MemoryViewState;
  post: Post<FromMemoryWorker>;
}

/** The job of `d`; `init` and `full` rebuild a trained one (from a checkpoint or another backend). */
export function buildJob(d: MemoryJob, ctx: JobContext, init?: { params: ParamValues; step: number }, full?: CopyConfig | MannConfig): Job {
  return d.task === 'copy' ? copyJob(d.settings, ctx, init, full as CopyConfig | undefined) : mannJob(d.settings, ctx, init, full as MannConfig | undefined);
}

// ---------------------------------------------------------------------------------------------
// The copy task

export function copyJob(settings: CopySettings, ctx: JobContext, init?: { params: ParamValues; step: number }, fullConfig?: CopyConfig): Job {
  const trainer = new CopyTrainer(fullConfig ?? copyConfigFromSettings(settings), init?.params);
  if (init) trainer.steps = init.step;
  const cfg = trainer.config;
  return {
    description: { task: 'copy', settings },
    config: cfg,
    trainer,
    lastLength: () => trainer.lastLength,
    checkpointHeader: () => ({ algorithm: cfg.model, task: 'copy', config: { ...cfg } }),
    async sendTrace() {
      const batch = copyBatchFromPattern(currentPattern(settings, ctx.view.pattern));
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
      ctx.post({ type: 'trace', view }, buffersOf(view));
    },
    async sendEvaluation() {
      const lengths = Array.from({ length: 2 * cfg.maxLength }, (_, i) => i + 1);
      const errors = lengths.map((len) => copyBitErrorsTensor(cfg, trainer.variables, sampleCopyBatch(Rng.derive(cfg.seed, `ui-eval-${len}`), COPY_EVAL_SEQUENCES, len, cfg.bits)));
      const stacked = tf.stack(errors);
      errors.forEach((e) => e.dispose());
      const counts = await stacked.data();
      stacked.dispose();
      const ber = lengths.map((len, i) => counts[i] / (COPY_EVAL_SEQUENCES * len * cfg.bits));
      ctx.post({ type: 'evaluation', view: { step: trainer.steps, lengths, ber, sequences: COPY_EVAL_SEQUENCES } });
    },
  };
}

/** The pattern on the page, or a seeded random one of the trained length until the page sends one. */
function currentPattern(s: CopySettings, pattern: BitPattern | null): BitPattern {
  if (pattern) return pattern;
  const b = sampleCopyBatch(Rng.derive(s.seed, 'ui-pattern'), 1, s.maxLength);
  return Array.from({ length: b.length }, (_, t) => Array.from(b.targets.subarray(t * b.bits, (t + 1) * b.bits)));
}

const buffersOf = (view: object) => Object.values(view).filter((v): v is Float32Array | Int32Array => v instanceof Float32Array || v instanceof Int32Array).map((a) => a.buffer);

// ---------------------------------------------------------------------------------------------
// MANN on character episodes

/** The synthetic characters, generated once per worker (the page is told while it takes). */
let characters: CharacterDataset | null = null;

function syntheticCharacters(post: Post<FromMemoryWorker>): CharacterDataset {
  if (!characters) {
    post({ type: 'preparing', busy: true });
    characters = generateSyntheticDataset({ ...DEFAULT_SYNTHETIC_CONFIG, imageSize: MANN_IMAGE_SIZE });
    post({ type: 'preparing', busy: false });
  }
  return characters;
}

export function mannJob(settings: MannSettings, ctx: JobContext, init?: { params: ParamValues; step: number }, fullConfig?: MannConfig): Job {
  const cfg = fullConfig ?? mannConfigFromSettings(settings);
  const data = syntheticCharacters(ctx.post);
  const spec = { nWay: cfg.classes, kShot: cfg.instances, qQuery: 0 };
  const trainer = new MannTrainer(cfg, new EpisodeSampler(data, { ...spec, split: 'background' }, Rng.derive(cfg.seed, 'mann-episodes')), init?.params);
  if (init) trainer.steps = init.step;
  const evalSampler = new EpisodeSampler(data, { ...spec, split: 'evaluation' }, 0);
  return {
    description: { task: 'omniglot', settings },
    config: cfg,
    trainer,
    lastLength: () => 0,
    checkpointHeader: () => ({ algorithm: 'mann', task: 'omniglot', config: { ...cfg, data: 'synthetic' } }),
    async sendTrace() {
      const batch = sampleLabelSequences(evalSampler, Rng.derive(cfg.seed, `ui-episode-${ctx.view.episodeDraw}`), 1);
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
      ctx.post({ type: 'mannTrace', view }, buffersOf(view));
    },
    async sendEvaluation() {
      const batch = sampleLabelSequences(evalSampler, Rng.derive(cfg.seed, 'ui-eval'), MANN_EVAL_EPISODES);
      const correct = mannCorrectTensor(trainer.spec, trainer.variables, batch);
      const values = await correct.data();
      correct.dispose();
      const { hits, counts } = accuracyByInstance(values, batch, cfg.instances);
      ctx.post({ type: 'mannEvaluation', view: { step: trainer.steps, accuracy: hits.map((h, i) => (counts[i] > 0 ? h / counts[i] : NaN)), episodes: MANN_EVAL_EPISODES } });
    },
  };
}

/** The settings a checkpoint was trained with, and the full config to rebuild its model exactly. */
export function jobFromCheckpoint(algorithm: string, task: string, config: Record<string, unknown>): { description: MemoryJob; full: CopyConfig | MannConfig } {
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

