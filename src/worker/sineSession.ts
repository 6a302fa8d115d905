import * as tf from '@tensorflow/tfjs';
import { DEFAULT_SINE_EVAL, SineTrainer } from '../engine/algorithms/sineRegression';
import { makeCheckpoint, checkpointParams, CheckpointError } from '../engine/core/checkpoint';
import { parseCheckpoint } from '../engine/methods/checkpoint';
import type { ParamValues } from '../engine/core/params';
import { sineGrid } from '../engine/tasks/sine';
import { readParamsAsync } from './readState';
import type { Chunk, Post, RoundInfo, TrainingSession } from './session';
import { sineConfigFromSettings } from '../engine/algorithms/sineConfig';
import { sineFamilyView } from './sineFamilyView';
import type { AdaptMessage, FromWorker, SineModelName, SineSettings } from './sineProtocol';

/**
 * The sine lab's session: MAML (or the selected algorithm) and the pretraining baseline side by
 * side on the same task stream. Its views are the adaptation curves of the support set on the page
 * and the evaluation, refreshed only as often as they can be afforded.
 */
const ADAPT_STEPS = 10;
const GRID = sineGrid(161);
const EVAL = { ...DEFAULT_SINE_EVAL, tasks: 100 };
const ADAPT_REFRESH_MS = 250;
const EVAL_REFRESH_MS = 4000;

/** Both models' parameters and the step they reached. */
export interface SineState {
  maml: ParamValues;
  pretrain: ParamValues;
  step: number;
}

interface SineChunk extends Chunk {
  /** Gradient agreement: the last step's task weights. */
  weights: Float32Array | null;
}

type AdaptRequest = Omit<AdaptMessage, 'type'>;

export type SineSession = TrainingSession<SineSettings, SineState, FromWorker, AdaptMessage, SineChunk>;

export async function createSineSession(settings: SineSettings, from: SineState | undefined, post: Post<FromWorker>): Promise<SineSession> {
  const models: Record<SineModelName, SineTrainer> = {
    maml: new SineTrainer(sineConfigFromSettings('maml', settings), from?.maml),
    pretrain: new SineTrainer(sineConfigFromSettings('pretrain', settings), from?.pretrain),
  };
  if (from) models.maml.steps = models.pretrain.steps = from.step;
  let pendingAdapt: AdaptRequest | null = null;
  let lastAdapt: AdaptRequest | null = null;
  let adaptStale = true;
  let evalStale = true;
  let lastAdaptAt = 0;
  let lastEvalAt = -Infinity;
  /** What the last evaluation / adaptation cost: on a slow device they run less often, so training keeps most of the time. */
  let evalCost = 0;
  let adaptCost = 0;

  const state = async (): Promise<SineState> => {
    // Both models in one round trip.
    const [maml, pretrain] = await Promise.all([readParamsAsync(models.maml.paramSpecs, models.maml.variables), readParamsAsync(models.pretrain.paramSpecs, models.pretrain.variables)]);
    return { maml, pretrain, step: models.maml.steps };
  };

  async function sendAdaptation(request: AdaptRequest): Promise<void> {
    const t0 = performance.now();
    const xs = Float32Array.from(request.support.xs);
    const ys = Float32Array.from(request.support.ys);
    // Each model adapts with its own rule (Meta-SGD's α, CAML's context, DAML's demonstration).
    const a = models.maml.adaptationCurvesTensor(xs, ys, GRID, request.alpha, ADAPT_STEPS, request.demo ? Float32Array.from(request.demo) : undefined);
    const b = models.pretrain.adaptationCurvesTensor(xs, ys, GRID, request.alpha, ADAPT_STEPS);
    const [maml, pretrain] = await Promise.all([a.data(), b.data()]);
    a.dispose();
    b.dispose();
    const view = { grid: GRID.slice(), maml: maml as Float32Array, pretrain: pretrain as Float32Array, steps: ADAPT_STEPS, support: request.support };
    post({ type: 'adaptation', view }, [view.grid.buffer, view.maml.buffer, view.pretrain.buffer]);
    adaptCost = performance.now() - t0;
    lastAdaptAt = performance.now();
  }

  async function sendEvaluation(): Promise<void> {
    const t0 = performance.now();
    const opts = { ...EVAL, k: settings.k, alpha: settings.alpha, seed: settings.seed };
    const a = models.maml.evaluateTensor(opts);
    const b = models.pretrain.evaluateTensor(opts);
    const [maml, pretrain] = await Promise.all([a.data(), b.data()]);
    a.dispose();
    b.dispose();
    post({ type: 'evaluation', step: models.maml.steps, maml: Array.from(maml), pretrain: Array.from(pretrain), tasks: opts.tasks });
    const family = await sineFamilyView(models.maml);
    if (family) post({ type: 'family', view: family });
    evalCost = performance.now() - t0;
    lastEvalAt = performance.now();
    evalStale = false;
  }

  async function refresh(round: RoundInfo): Promise<void> {
    if (pendingAdapt) {
      const req = pendingAdapt; // latest wins: requests that arrived meanwhile replaced each other
      pendingAdapt = null;
      lastAdapt = req;
      await sendAdaptation(req);
    }
    if (round.diverged) return;
    if (round.trained > 0) adaptStale = evalStale = true;
    const now = performance.now();
    if (adaptStale && lastAdapt && (!round.running || now - lastAdaptAt > Math.max(ADAPT_REFRESH_MS, 4 * adaptCost))) {
      adaptStale = false;
      await sendAdaptation(lastAdapt);
    }
    // Evaluation is the costliest view: it never takes more than about a sixth of the time.
    const evalGap = Math.max(round.running ? EVAL_REFRESH_MS : 1000, 5 * evalCost);
    if (evalStale && round.pendingSteps === 0) {
      if (now - lastEvalAt > evalGap) await sendEvaluation();
      else if (!round.running) round.wake(evalGap - (now - lastEvalAt));
    }
  }

  return {
    get steps() {
      return models.maml.steps;
    },
    async trainChunk(n) {
      const mamlLosses: tf.Scalar[] = [];
      const preLosses: tf.Scalar[] = [];
      for (let i = 0; i < n; i++) {
        mamlLosses.push(models.maml.step());
        preLosses.push(models.pretrain.step());
      }
      const stacked = tf.stack([...mamlLosses, ...preLosses]);
      tf.dispose([...mamlLosses, ...preLosses]);
      // The losses and the last step's task weights (gradient agreement) in one round trip.
      const last = models.maml.lastWeights;
      const [values, w] = await Promise.all([stacked.data() as Promise<Float32Array>, last ? last.data() : null]);
      stacked.dispose();
      const weights = w ? Float32Array.from(w as Float32Array) : null;
      return { losses: [values.slice(0, n), values.slice(n)], weights };
    },
    snapshot(status, chunk, keep) {
      const [maml, pretrain] = chunk ? chunk.losses.map((l) => l.slice(0, keep)) : [new Float32Array(0), new Float32Array(0)];
      const weights = chunk && keep === undefined ? chunk.weights : null;
      const msg: FromWorker = { type: 'snapshot', step: models.maml.steps, ...status, mamlLoss: maml, pretrainLoss: pretrain, weights, stage: status.running ? 'outer' : 'idle' };
      return { msg, transfer: weights ? [maml.buffer, pretrain.buffer, weights.buffer] : [maml.buffer, pretrain.buffer] };
    },
    diverged: ({ step, series, loss }) => ({ type: 'diverged', step, model: series === 0 ? 'maml' : 'pretrain', loss, alpha: settings.alpha, metaLr: settings.metaLr }),
    async opened(reason) {
      if (reason === 'reset') post({ type: 'reset', settings });
    },
    refresh,
    pending: () => pendingAdapt !== null,
    async command(msg) {
      pendingAdapt = { support: msg.support, alpha: msg.alpha, demo: msg.demo };
    },
    state,
    async save(model) {
      const which: SineModelName = model === 'pretrain' ? 'pretrain' : 'maml';
      const t = models[which];
      const saved = await state();
      const name = which === 'pretrain' ? 'pretrain' : t.config.algorithm === 'maml' && t.config.firstOrder ? 'fomaml' : t.config.algorithm;
      return { type: 'checkpoint', model: which, text: JSON.stringify(makeCheckpoint(name, 'sine', { ...t.config }, t.steps, saved[which])) };
    },
    async load(text, fileName, host) {
      const ckpt = parseCheckpoint(text);
      if (ckpt.task !== 'sine') throw new CheckpointError(`it was trained on the "${ckpt.task}" task, not on sine waves`);
      // The first slot takes the selected algorithm (MAML and first-order MAML share a model); the second, pretraining.
      const selected = settings.algorithm;
      const mamlLike = (a: string) => a === 'maml' || a === 'fomaml';
      if (ckpt.algorithm !== 'pretrain' && ckpt.algorithm !== selected && !(mamlLike(ckpt.algorithm) && mamlLike(selected)))
        throw new CheckpointError(`it was trained with "${ckpt.algorithm}", but this lab is training "${selected}": choose that algorithm first`);
      const model: SineModelName = ckpt.algorithm === 'pretrain' ? 'pretrain' : 'maml';
      const params = checkpointParams(ckpt);
      await host.halt();
      // Building the trainer validates the shapes; only then is the old model replaced.
      const replacement = new SineTrainer(sineConfigFromSettings(model, settings), params);
      const step = Math.max(models.maml.steps, ckpt.step);
      models[model].dispose();
      models[model] = replacement;
      replacement.steps = models.maml.steps = models.pretrain.steps = step;
      adaptStale = evalStale = true;
      lastEvalAt = -Infinity; // the user asked for this model: show its evaluation now
      await host.replaced();
      post({ type: 'checkpointLoaded', model, step: ckpt.step, fileName });
    },
    dispose() {
      models.maml.dispose();
      models.pretrain.dispose();
    },
  };
}
