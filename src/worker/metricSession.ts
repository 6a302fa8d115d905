import * as tf from '@tensorflow/tfjs';
import { isMetricMethod, METRIC_METHODS } from '../engine/algorithms/metric/registry';
import { metricTrainingKey } from '../engine/algorithms/metric/settings';
import { MetricTrainer } from '../engine/algorithms/metric/trainer';
import type { MetricMethod } from '../engine/algorithms/metric/types';
import { CheckpointError, type Checkpoint } from '../engine/core/checkpoint';
import { parseCheckpoint } from '../engine/methods/checkpoint';
import { Rng } from '../engine/core/rng';
import { DEFAULT_SYNTHETIC_CONFIG, EpisodeSampler, generateSyntheticDataset, type CharacterDataset } from '../engine/tasks/characters';
import { readAtlas } from './atlasCache';
import { classifyDrawn, pairDistance, runArena, type ArenaRequest } from './metricCompare';
import { metricConfigFromSettings, settingsFromMetricConfig } from '../engine/algorithms/metric/settings';
import type { FromMetricWorker, MetricCommand, MetricSettings, MetricSource } from './metricProtocol';
import { embeddingView } from './metricViews';
import type { Chunk, HostControl, Post, RoundInfo, TrainingSession } from './session';

/**
 * The metric lab's session: one MetricTrainer per method the user trains, on character episodes
 * (synthetic alphabets by default, or the Omniglot atlas the characters lab cached in IndexedDB), so
 * that draw-your-own and the arena compare them all. Play trains the method on screen; the
 * embedding view is refreshed only as often as it can be afforded.
 */
const VIEW_REFRESH_MS = 400;

interface Slot {
  /** The settings it was trained with (metricTrainingKey): a change of them retrains the method. */
  key: string;
  trainer: MetricTrainer;
  sampler: EpisodeSampler;
}

/** Every method's checkpoint (read back after its last step) and the settings on screen. */
export interface MetricState {
  settings: MetricSettings;
  slots: { method: MetricMethod; key: string; checkpoint: Checkpoint }[];
}

interface MetricChunk extends Chunk {
  accuracies: Float32Array;
}

export type MetricSession = TrainingSession<MetricSettings, MetricState, FromMetricWorker, MetricCommand, MetricChunk>;

/** The data set, kept for the worker's life (a probe's session, a fallback's and a reset's share it). */
let data: { source: MetricSource; dataset: CharacterDataset } | null = null;

async function dataset(source: MetricSource, post: Post<FromMetricWorker>): Promise<CharacterDataset> {
  if (data?.source === source) return data.dataset;
  post({ type: 'preparing', busy: true, source });
  let ds: CharacterDataset | null = null;
  let used: MetricSource = source;
  if (source === 'omniglot') {
    // The characters lab keeps the Omniglot atlas it loaded in IndexedDB; this lab reads the same record.
    try {
      ds = (await readAtlas())?.dataset ?? null;
    } catch {
      ds = null;
    }
    if (!ds) {
      post({ type: 'notice', level: 'warning', key: 'metricNoOmniglot' });
      used = 'synthetic';
    }
  }
  ds ??= data?.source === 'synthetic' ? data.dataset : generateSyntheticDataset(DEFAULT_SYNTHETIC_CONFIG);
  data = { source: used, dataset: ds };
  post({ type: 'source', source: used, alphabets: ds.alphabets.length, characters: ds.characters.length });
  post({ type: 'preparing', busy: false, source: used });
  return ds;
}

function makeSlot(trainer: MetricTrainer, key: string, ds: CharacterDataset): Slot {
  const sampler = new EpisodeSampler(ds, { ...trainer.episodeSpec(), split: 'background' }, Rng.derive(trainer.cfg.seed, `metric-episodes-${trainer.cfg.method}-${trainer.steps}`));
  return { key, trainer, sampler };
}

export async function createMetricSession(initial: MetricSettings, from: MetricState | undefined, post: Post<FromMetricWorker>): Promise<MetricSession> {
  let settings = from?.settings ?? (isMetricMethod(initial.method) ? initial : { ...initial, method: 'protonet' as const });
  const slots = new Map<MetricMethod, Slot>();
  /** Each slot's last checkpoint, re-read only when it has trained since. */
  const saved = new Map<MetricMethod, { key: string; checkpoint: Checkpoint }>();
  let viewStale = true;
  let viewRequested = true;
  let lastViewAt = 0;
  let viewCost = 0;
  let viewDraw = 0;
  let viewShuffle = 0;
  let previousAxes: Float64Array | null = null;
  let arenaRequest: ArenaRequest | null = null;
  const trainers = () => new Map([...slots].map(([m, s]) => [m, s.trainer]));

  if (from) {
    const ds = await dataset(settings.source, post);
    for (const s of from.slots) slots.set(s.method, makeSlot(MetricTrainer.fromCheckpoint(s.checkpoint), s.key, ds));
  }

  /** The slot of the method on screen, built (or rebuilt, if its settings changed) on demand. */
  async function activeSlot(): Promise<Slot> {
    const ds = await dataset(settings.source, post);
    const key = metricTrainingKey({ ...settings, source: data!.source });
    const have = slots.get(settings.method);
    if (have && have.key === key) return have;
    if (have) {
      have.trainer.dispose();
      // Its curves belong to the old model: the page clears them.
      post({ type: 'reset', method: settings.method });
    }
    const slot = makeSlot(new MetricTrainer(metricConfigFromSettings(settings)), key, ds);
    slots.set(settings.method, slot);
    previousAxes = null;
    return slot;
  }
  await activeSlot();

  async function sendView(): Promise<void> {
    const t0 = performance.now();
    const slot = await activeSlot();
    const { view, axes } = embeddingView(slot.trainer, data!.dataset, viewDraw, viewShuffle, previousAxes);
    previousAxes = axes;
    post({ type: 'embedding', view });
    viewCost = performance.now() - t0;
    lastViewAt = performance.now();
  }

  async function refresh(round: RoundInfo): Promise<void> {
    if (viewRequested) {
      viewRequested = false;
      viewStale = false;
      await sendView();
    }
    if (arenaRequest !== null) {
      const request = arenaRequest;
      arenaRequest = null;
      await runArena(trainers(), await dataset(settings.source, post), data!.source, settings.seed, request, post);
    }
    if (round.diverged) return;
    if (round.trained > 0) viewStale = true;
    if (viewStale && (!round.running || performance.now() - lastViewAt > Math.max(VIEW_REFRESH_MS, 4 * viewCost))) {
      viewStale = false;
      await sendView();
    }
  }

  async function configure(next: MetricSettings, host: HostControl<MetricSettings, FromMetricWorker>): Promise<void> {
    const wasRunning = await host.halt();
    if (settings.method !== next.method) previousAxes = null;
    settings = next;
    await activeSlot();
    viewRequested = true;
    await host.replaced();
    if (wasRunning) host.play();
  }

  async function command(msg: MetricCommand, host: HostControl<MetricSettings, FromMetricWorker>): Promise<void> {
    switch (msg.type) {
      case 'configure':
        return configure(msg.settings, host);
      case 'episode':
        viewDraw = msg.draw;
        viewShuffle = msg.shuffle;
        viewRequested = true;
        return;
      case 'classifyDrawn':
        // No waiting for the loop: between chunks no step is in flight, so the weights are consistent.
        try {
          post({ type: 'drawn', requestId: msg.requestId, ways: msg.ways, queries: msg.query.count, results: classifyDrawn(trainers(), msg.ways, msg.shots, msg.support.pixels, msg.query.pixels) });
        } catch (e) {
          post({ type: 'notice', level: 'error', key: 'metricClassifyFailed', params: { reason: (e as Error).message } });
        }
        return;
      case 'pair': {
        const t = slots.get('siamese')?.trainer;
        if (t) post({ type: 'pair', requestId: msg.requestId, distance: pairDistance(t, msg.a, msg.b), margin: t.cfg.margin, loss: t.cfg.siameseLoss, step: t.steps });
        return;
      }
      case 'arena':
        await host.halt();
        arenaRequest = { episodes: msg.episodes, ways: msg.ways, shots: msg.shots };
        return;
    }
  }

  return {
    get steps() {
      return slots.get(settings.method)?.trainer.steps ?? 0;
    },
    async trainChunk(n) {
      const slot = await activeSlot();
      const losses: tf.Scalar[] = [];
      const accs: tf.Scalar[] = [];
      for (let i = 0; i < n; i++) {
        const { loss, accuracy } = slot.trainer.step(slot.sampler.next());
        losses.push(loss);
        accs.push(accuracy);
      }
      const stacked = tf.stack([tf.stack(losses), tf.stack(accs)]);
      tf.dispose([...losses, ...accs]);
      const values = (await stacked.data()) as Float32Array;
      stacked.dispose();
      return { losses: [Float32Array.from(values.subarray(0, n))], accuracies: Float32Array.from(values.subarray(n)) };
    },
    snapshot(status, chunk, keep) {
      const method = settings.method;
      const curves = chunk ? { method, losses: chunk.losses[0].slice(0, keep), accuracies: chunk.accuracies.slice(0, keep) } : null;
      const trained: Partial<Record<MetricMethod, number>> = {};
      for (const [m, s] of slots) trained[m] = s.trainer.steps;
      const step = slots.get(method)?.trainer.steps ?? 0;
      return { msg: { type: 'snapshot', method, step, ...status, curves, trained }, transfer: curves ? [curves.losses.buffer, curves.accuracies.buffer] : [] };
    },
    diverged: ({ step, loss }) => ({ type: 'diverged', method: settings.method, step, loss }),
    async opened(reason) {
      if (reason === 'init') post({ type: 'methods', available: [...METRIC_METHODS] });
      viewRequested = true;
    },
    refresh,
    pending: () => viewRequested || arenaRequest !== null,
    command,
    async reset(next) {
      slots.get(next.method)?.trainer.dispose();
      slots.delete(next.method);
      saved.delete(next.method);
      if (settings.method !== next.method) previousAxes = null;
      settings = next;
      await activeSlot();
      viewRequested = true;
      post({ type: 'reset', method: next.method });
    },
    async state() {
      for (const [method, s] of slots) {
        const have = saved.get(method);
        if (!have || have.key !== s.key || have.checkpoint.step !== s.trainer.steps) saved.set(method, { key: s.key, checkpoint: s.trainer.checkpoint() });
      }
      for (const method of saved.keys()) if (!slots.has(method)) saved.delete(method);
      return { settings, slots: [...saved].map(([method, s]) => ({ method, ...s })) };
    },
    async save() {
      const slot = await activeSlot();
      return { type: 'checkpoint', text: JSON.stringify(slot.trainer.checkpoint()), method: slot.trainer.cfg.method, step: slot.trainer.steps };
    },
    async load(text, fileName, host) {
      const trainer = MetricTrainer.fromCheckpoint(parseCheckpoint(text));
      if (!isMetricMethod(trainer.cfg.method)) {
        trainer.dispose();
        throw new CheckpointError(`this build has no ${trainer.cfg.method}`);
      }
      await host.halt();
      const next = settingsFromMetricConfig(trainer.cfg, settings);
      const ds = await dataset(next.source, post);
      slots.get(next.method)?.trainer.dispose();
      slots.set(next.method, makeSlot(trainer, metricTrainingKey({ ...next, source: data!.source }), ds));
      settings = next;
      previousAxes = null;
      viewRequested = true;
      await host.replaced();
      post({ type: 'checkpointLoaded', step: trainer.steps, fileName, settings: next });
    },
    dispose() {
      for (const s of slots.values()) s.trainer.dispose();
      slots.clear();
    },
  };
}
