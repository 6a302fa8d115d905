/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { applyTransport, createPump, newTransport, pause, resizeChunk, serveInOrder, stepsToRun } from './transport';
import { isMetricMethod, metricConfigFor } from '../engine/algorithms/metric/registry';
import { MetricTrainer } from '../engine/algorithms/metric/trainer';
import { SCALE_PARAM } from '../engine/algorithms/metric/matching';
import { METRIC_BASELINES, METRIC_METHODS, type MetricClassification, type MetricConfig, type MetricMethod } from '../engine/algorithms/metric/types';
import { CheckpointError, parseCheckpoint } from '../engine/core/checkpoint';
import { Rng } from '../engine/core/rng';
import { DEFAULT_SYNTHETIC_CONFIG, EpisodeError, EpisodeSampler, generateSyntheticDataset, IMAGE_SIZE, type CharacterDataset, type Episode, type EpisodeSpec } from '../engine/tasks/characters';
import { pca2, project, projectedEllipse, type Pca2 } from '../labs/metric/pca';
import { trainingKey } from '../labs/metric/settings';
import { readAtlas } from './atlasCache';
import { chooseBackend, fallbackChain, trySetBackend, watchDeviceLoss } from './backends';
import { classifyBaseline } from '../engine/algorithms/metric/baselines';
import type { ArenaRow, DrawnResult, EmbeddingView, FromMetricWorker, MetricSettings, MetricSource, ToMetricWorker } from './metricProtocol';
import type { BackendChoice, BrowserBackend, Speed } from './vocabulary';

/**
 * The metric lab's worker: one MetricTrainer per method the user trains, on character episodes
 * (synthetic alphabets by default, or the Omniglot atlas the characters lab cached in IndexedDB).
 * Like the other lab workers it never blocks: training runs in chunks sized to a time budget,
 * read-backs are asynchronous, page messages are handled between chunks, and the embedding view
 * is refreshed only as often as it can be afforded.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromMetricWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

const CHUNK_MS: Record<Speed, number> = { slow: 0, normal: 150, fast: 500 };
const SLOW_PAUSE_MS = 450;
const VIEW_REFRESH_MS = 400;
const VIEW_QUERIES = 3;
const ARENA_QUERIES = 5;
const PX = IMAGE_SIZE * IMAGE_SIZE;

interface Slot {
  key: string;
  trainer: MetricTrainer;
  sampler: EpisodeSampler;
}

const slots = new Map<MetricMethod, Slot>();
let settings: MetricSettings | null = null;
let data: { source: MetricSource; dataset: CharacterDataset } | null = null;
let backend: BrowserBackend = 'cpu';
const tr = newTransport();
let stepsPerS = 0;
let viewStale = true;
let viewRequested = false;
let lastViewAt = 0;
let viewCost = 0;
let viewDraw = 0;
let viewShuffle = 0;
let previousAxes: Float64Array | null = null;
let arenaRequest: { episodes: number; ways: number; shots: number } | null = null;

// ---------------------------------------------------------------------------------------------
// Data and trainers

async function dataset(source: MetricSource): Promise<CharacterDataset> {
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
  const alphabets = ds.alphabets.length;
  post({ type: 'source', source: used, alphabets, characters: ds.characters.length });
  post({ type: 'preparing', busy: false, source: used });
  return ds;
}

function configOf(s: MetricSettings, method: MetricMethod = s.method): MetricConfig {
  return metricConfigFor(method, {
    ways: s.ways,
    shots: s.shots,
    width: s.width,
    seed: s.seed,
    siameseLoss: s.siameseLoss,
    covariance: s.covariance,
    transform: s.transform,
    semiVariant: s.semiVariant,
    fce: s.fce,
    cosineScale: s.cosineScale,
  });
}

function makeSlot(trainer: MetricTrainer, key: string, ds: CharacterDataset): Slot {
  const sampler = new EpisodeSampler(ds, { ...trainer.episodeSpec(), split: 'background' }, Rng.derive(trainer.cfg.seed, `metric-episodes-${trainer.cfg.method}-${trainer.steps}`));
  return { key, trainer, sampler };
}

/** The slot of the method on screen, built (or rebuilt, if its settings changed) on demand. */
async function activeSlot(): Promise<Slot> {
  const s = settings!;
  const ds = await dataset(s.source);
  const key = trainingKey({ ...s, source: data!.source });
  const have = slots.get(s.method);
  if (have && have.key === key) return have;
  if (have) {
    have.trainer.dispose();
    // Its curves belong to the old model: the page clears them.
    post({ type: 'reset', method: s.method });
  }
  const slot = makeSlot(new MetricTrainer(configOf(s)), key, ds);
  slots.set(s.method, slot);
  previousAxes = null;
  return slot;
}

function trainedSteps(): Partial<Record<MetricMethod, number>> {
  const out: Partial<Record<MetricMethod, number>> = {};
  for (const [m, s] of slots) out[m] = s.trainer.steps;
  return out;
}

function snapshot(curves: { losses: Float32Array; accuracies: Float32Array } | null): void {
  const method = settings?.method ?? 'protonet';
  const step = slots.get(method)?.trainer.steps ?? 0;
  post(
    { type: 'snapshot', method, step, running: tr.running, stepsPerS, curves: curves ? { method, ...curves } : null, trained: trainedSteps() },
    curves ? [curves.losses.buffer, curves.accuracies.buffer] : [],
  );
}

// ---------------------------------------------------------------------------------------------
// Training

async function trainChunk(n: number): Promise<void> {
  const slot = await activeSlot();
  const t0 = performance.now();
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
  const lossValues = Float32Array.from(values.subarray(0, n));
  const accValues = Float32Array.from(values.subarray(n));
  const elapsed = performance.now() - t0;
  stepsPerS = (n / elapsed) * 1000;
  const bad = lossValues.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    tr.running = false;
    tr.diverged = true;
    snapshot({ losses: lossValues.slice(0, bad), accuracies: accValues.slice(0, bad) });
    post({ type: 'diverged', method: slot.trainer.cfg.method, step: slot.trainer.steps - n + bad + 1, loss: lossValues[bad] });
    return;
  }
  resizeChunk(tr, elapsed, CHUNK_MS[tr.speed], 100);
  viewStale = true;
  snapshot({ losses: lossValues, accuracies: accValues });
}

// ---------------------------------------------------------------------------------------------
// Views

function permutation(n: number, shuffle: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (shuffle === 0) return order;
  const rng = Rng.derive(shuffle, 'metric-support-order');
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The episode with its support rows reordered (FCE reads the support set as a sequence). */
function reorderSupport(ep: Episode, order: Int32Array): Episode {
  if (order.every((v, i) => v === i)) return ep;
  const support = new Float32Array(ep.support.length);
  const labels = new Int32Array(order.length);
  const images = new Int32Array(order.length);
  order.forEach((src, i) => {
    support.set(ep.support.subarray(src * PX, (src + 1) * PX), i * PX);
    labels[i] = ep.supportLabels[src];
    images[i] = ep.supportImages[src];
  });
  return { ...ep, support, supportLabels: labels, supportImages: images };
}

/** The view's labelled part of a (semi-supervised) episode and its unlabeled images with their truth. */
function splitSemi(ep: Episode, ways: number, shots: number): { labelled: Episode; unlabeled: Float32Array; truth: Int32Array } {
  const sup: number[] = [];
  const unl: number[] = [];
  const truth: number[] = [];
  for (let c = 0; c < ep.nWay; c++)
    for (let k = 0; k < ep.kShot; k++) {
      const row = c * ep.kShot + k;
      if (c < ways && k < shots) sup.push(row);
      else {
        unl.push(row);
        truth.push(c < ways ? c : -1);
      }
    }
  const pick = (src: Float32Array, rows: number[]) => {
    const out = new Float32Array(rows.length * PX);
    rows.forEach((r, i) => out.set(src.subarray(r * PX, (r + 1) * PX), i * PX));
    return out;
  };
  const q: number[] = [];
  ep.queryLabels.forEach((l, i) => {
    if (l < ways) q.push(i);
  });
  const labelled: Episode = {
    ...ep,
    nWay: ways,
    kShot: shots,
    support: pick(ep.support, sup),
    supportLabels: Int32Array.from(sup, (r) => ep.supportLabels[r]),
    supportImages: Int32Array.from(sup, (r) => ep.supportImages[r]),
    query: pick(ep.query, q),
    queryLabels: Int32Array.from(q, (r) => ep.queryLabels[r]),
    queryImages: Int32Array.from(q, (r) => ep.queryImages[r]),
    classes: ep.classes.slice(0, ways),
  };
  return { labelled, unlabeled: pick(ep.support, unl), truth: Int32Array.from(truth) };
}

function viewEpisode(slot: Slot): Episode {
  const cfg = slot.trainer.cfg;
  const spec = { ...slot.trainer.episodeSpec(cfg.ways, cfg.shots, VIEW_QUERIES), split: 'evaluation' as const };
  return new EpisodeSampler(data!.dataset, spec, 0).sample(Rng.derive(cfg.seed, `metric-view-${viewDraw}`));
}

async function sendView(): Promise<void> {
  const slot = await activeSlot();
  const cfg = slot.trainer.cfg;
  const method = cfg.method;
  const raw = viewEpisode(slot);
  let ep = raw;
  let semi: { unlabeled: Float32Array; truth: Int32Array } | null = null;
  if (method === 'semi-protonet') {
    const split = splitSemi(raw, cfg.ways, cfg.shots);
    ep = split.labelled;
    semi = { unlabeled: split.unlabeled, truth: split.truth };
  }
  const order = permutation(ep.supportLabels.length, method === 'matching' ? viewShuffle : 0);
  const shown = reorderSupport(ep, order);
  const c = method === 'semi-protonet' ? slot.trainer.classify(raw, { ways: cfg.ways, shots: cfg.shots }) : slot.trainer.classify(shown);
  // The unlabeled items' embeddings: the same encoder, reading them as queries of the labelled episode.
  let unlabeledEmb: Float32Array | null = null;
  if (semi && semi.truth.length > 0) {
    const asQueries: Episode = { ...ep, query: semi.unlabeled, queryLabels: new Int32Array(semi.truth.length), queryImages: new Int32Array(semi.truth.length).fill(-1) };
    unlabeledEmb = slot.trainer.classify(asQueries).queryEmbeddings ?? null;
  }
  const S = c.shapes.supportEmbeddings;
  const Q = c.shapes.queryEmbeddings;
  if (!S || !Q || !c.supportEmbeddings || !c.queryEmbeddings) throw new Error(`${method} returned no embeddings`);
  const D = S[1];
  // The plane of the support and query embeddings (prototypes and unlabeled items are projected onto it).
  const fit = new Float32Array((S[0] + Q[0]) * D);
  fit.set(c.supportEmbeddings, 0);
  fit.set(c.queryEmbeddings, S[0] * D);
  const p = pca2(fit, S[0] + Q[0], D, previousAxes);
  previousAxes = p.axes;
  // Support rows back in the episode's class-major order for the picture (order[i] = original row of shown row i).
  const supportRows = new Float32Array(S[0] * D);
  order.forEach((src, i) => supportRows.set(c.supportEmbeddings!.subarray(i * D, (i + 1) * D), src * D));
  const attention = c.attention ? unshuffleColumns(c.attention, Q[0], order) : null;
  const protos = showsPrototypes(method) && c.prototypes ? c.prototypes : null;
  const view: EmbeddingView = {
    method,
    step: slot.trainer.steps,
    draw: viewDraw,
    ways: cfg.ways,
    shots: cfg.shots,
    supportImages: ep.support,
    queryImages: ep.query,
    supportLabels: ep.supportLabels,
    queryLabels: ep.queryLabels,
    support2d: project(p, supportRows, S[0]),
    query2d: project(p, c.queryEmbeddings, Q[0]),
    prototypes2d: protos ? project(p, protos, cfg.ways) : null,
    ellipses: protos && c.precisions ? ellipses(p, c.precisions, c.shapes.precisions!, cfg.ways) : null,
    probs: c.probs,
    predicted: c.predicted,
    distances: c.distances ?? null,
    attention,
    relations: c.relations ?? null,
    assignments: c.assignments ?? null,
    assignmentCols: c.shapes.assignments?.[1] ?? 0,
    unlabeledImages: semi?.unlabeled ?? null,
    unlabeled2d: unlabeledEmb ? project(p, unlabeledEmb, semi!.truth.length) : null,
    unlabeledTruth: semi?.truth ?? null,
    explained: p.explained,
    cosineScale: method === 'matching' ? (slot.trainer.param(SCALE_PARAM)?.[0] ?? null) : null,
    order,
  };
  post({ type: 'embedding', view });
}

const showsPrototypes = (m: MetricMethod) => m === 'protonet' || m === 'gaussian-protonet' || m === 'semi-protonet';

/** Attention [Q, S] over the shown (shuffled) support order → columns in the episode's order. */
function unshuffleColumns(a: Float32Array, rows: number, order: Int32Array): Float32Array {
  const S = order.length;
  const out = new Float32Array(rows * S);
  for (let q = 0; q < rows; q++) order.forEach((src, i) => (out[q * S + src] = a[q * S + i]));
  return out;
}

function ellipses(p: Pca2, precisions: Float32Array, shape: [number, number], ways: number): Float32Array {
  const out = new Float32Array(3 * ways);
  const cols = shape[1];
  for (let c = 0; c < ways; c++) {
    const variance = Array.from(precisions.subarray(c * cols, (c + 1) * cols), (s) => 1 / Math.max(s, 1e-6));
    out.set(projectedEllipse(p, variance), 3 * c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Draw your own, pair explorer, arena

function handEpisode(ways: number, shots: number, support: Float32Array, query: Float32Array): Episode {
  const queries = query.length / PX;
  return {
    nWay: ways,
    kShot: shots,
    qQuery: queries,
    imageSize: IMAGE_SIZE,
    support,
    supportLabels: Int32Array.from({ length: ways * shots }, (_, i) => Math.floor(i / shots)),
    query,
    queryLabels: new Int32Array(queries),
    classes: [],
    supportImages: new Int32Array(ways * shots).fill(-1),
    queryImages: new Int32Array(queries).fill(-1),
  };
}

function drawnResult(c: MetricClassification, step: number, shots: number): DrawnResult {
  const { ways, queries } = c;
  if (c.relations) return { method: c.method, step, probs: c.probs, predicted: c.predicted, reason: c.relations, reasonKind: 'relation' };
  if (c.attention) {
    // Attention summed over each class's support items: the share of the vote each class gets.
    const reason = new Float32Array(queries * ways);
    const S = ways * shots;
    for (let q = 0; q < queries; q++) for (let s = 0; s < S; s++) reason[q * ways + Math.floor(s / shots)] += c.attention[q * S + s];
    return { method: c.method, step, probs: c.probs, predicted: c.predicted, reason, reasonKind: 'attention' };
  }
  return { method: c.method, step, probs: c.probs, predicted: c.predicted, reason: c.distances ?? new Float32Array(queries * ways).fill(NaN), reasonKind: 'distance' };
}

function classifyDrawn(ways: number, shots: number, support: Float32Array, query: Float32Array): DrawnResult[] {
  const ep = handEpisode(ways, shots, support, query);
  const out: DrawnResult[] = [];
  for (const m of METRIC_METHODS) {
    const slot = slots.get(m);
    if (!slot || slot.trainer.steps === 0) continue;
    out.push(drawnResult(slot.trainer.classify(ep), slot.trainer.steps, shots));
  }
  for (const b of METRIC_BASELINES) out.push(drawnResult(classifyBaseline(b, ep), 0, shots));
  return out;
}

/**
 * The arena's episodes have their own ways and shots (the lab offers the papers' four settings), so
 * a checkpoint trained on 40-way episodes is still compared on 5-way ones.
 */
async function runArena({ episodes, ways, shots }: { episodes: number; ways: number; shots: number }): Promise<void> {
  const s = settings!;
  const ds = await dataset(s.source);
  const spec = { nWay: ways, kShot: shots, qQuery: ARENA_QUERIES, split: 'evaluation' as const };
  const rows: ArenaRow[] = [];
  const post2 = (done: boolean) => post({ type: 'arena', rows: rows.slice(), ways, shots, source: data!.source, running: !done });
  const samplerFor = (sp: EpisodeSpec): EpisodeSampler | null => {
    try {
      return new EpisodeSampler(ds, sp, Rng.derive(s.seed, 'metric-arena'));
    } catch (e) {
      if (!(e instanceof EpisodeError)) throw e;
      post({ type: 'notice', level: 'warning', key: 'metricArenaRefused', params: { ways, shots, reason: e.message } });
      return null;
    }
  };
  const trained = METRIC_METHODS.filter((m) => (slots.get(m)?.trainer.steps ?? 0) > 0);
  for (const m of trained) {
    const t = slots.get(m)!.trainer;
    // Every method sees the same seeded stream of held-out episodes (semi-protonet draws its unlabeled extras on top).
    const sampler = samplerFor({ ...t.episodeSpec(ways, shots, ARENA_QUERIES), split: 'evaluation' });
    if (!sampler) return post2(true);
    const r = t.evaluate(sampler, episodes);
    rows.push({ method: m, step: t.steps, accuracy: r.accuracy, ci95: r.ci95, episodes: r.episodes });
    post2(false);
    await pause(0);
  }
  for (const b of METRIC_BASELINES) {
    const sampler = samplerFor(spec);
    if (!sampler) return post2(true);
    const accs: number[] = [];
    for (let i = 0; i < episodes; i++) {
      const ep = sampler.next();
      const c = classifyBaseline(b, ep);
      let right = 0;
      c.predicted.forEach((p: number, q: number) => (right += p === ep.queryLabels[q] ? 1 : 0));
      accs.push(right / c.queries);
      if (i % 10 === 9) await pause(0);
    }
    const mean = accs.reduce((a, x) => a + x, 0) / accs.length;
    const sd = Math.sqrt(accs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, accs.length - 1));
    rows.push({ method: b, step: 0, accuracy: mean, ci95: (1.96 * sd) / Math.sqrt(accs.length), episodes });
    post2(false);
  }
  post2(true);
}

// ---------------------------------------------------------------------------------------------
// Backends and the loop

async function selectBackend(choice: BackendChoice, probeCache: BrowserBackend | null): Promise<void> {
  const ds = await dataset(settings!.source);
  backend = await chooseBackend(choice, probeCache, post, async () => {
    {
      const t = new MetricTrainer(configOf(settings!));
      const sampler = new EpisodeSampler(ds, { ...t.episodeSpec(), split: 'background' }, 0);
      return {
        step: async () => {
          const { loss, accuracy } = t.step(sampler.next());
          await loss.data();
          tf.dispose([loss, accuracy]);
        },
        dispose: () => t.dispose(),
      };
    };
  });
}

/** Trainer states as plain values, to rebuild them on another backend. */
function saveAll(): { method: MetricMethod; key: string; text: string }[] {
  return [...slots].map(([method, s]) => ({ method, key: s.key, text: JSON.stringify(s.trainer.checkpoint()) }));
}

function restoreAll(saved: { method: MetricMethod; key: string; text: string }[]): void {
  for (const s of slots.values()) s.trainer.dispose();
  slots.clear();
  for (const s of saved) slots.set(s.method, makeSlot(MetricTrainer.fromCheckpoint(parseCheckpoint(s.text)), s.key, data!.dataset));
}

async function fallBack(error: Error): Promise<void> {
  const failed = backend;
  let saved: ReturnType<typeof saveAll> = [];
  try {
    saved = saveAll();
  } catch {
    // a lost device cannot give its weights back: the methods restart
  }
  for (const next of fallbackChain(failed)) {
    if (!(await trySetBackend(next))) continue;
    backend = next;
    restoreAll(saved);
    post({ type: 'backend', backend, requested: next });
    post({ type: 'notice', level: 'warning', key: 'noticeBackendFellBack', params: { from: failed, to: next, reason: error.message.slice(0, 160) } });
    watchDeviceLoss((m) => void fallBack(new Error(m)));
    viewStale = true;
    snapshot(null);
    return;
  }
  tr.running = false;
  post({ type: 'notice', level: 'error', key: 'noticeNoBackend', params: { reason: error.message.slice(0, 160) } });
}

async function timedView(): Promise<void> {
  const t0 = performance.now();
  await sendView();
  viewCost = performance.now() - t0;
  lastViewAt = performance.now();
}

const { pump, waitForPump } = createPump(
  tr,
  {
    ready: () => settings !== null,
    async round() {
      if (viewRequested) {
        viewRequested = false;
        viewStale = false;
        await timedView();
      }
      if (arenaRequest !== null) {
        const request = arenaRequest;
        arenaRequest = null;
        await runArena(request);
      }
      const n = stepsToRun(tr);
      if (n > 0) await trainChunk(n);
      if (!tr.diverged && viewStale && (!tr.running || performance.now() - lastViewAt > Math.max(VIEW_REFRESH_MS, 4 * viewCost))) {
        viewStale = false;
        await timedView();
      }
    },
    pending: () => viewRequested || arenaRequest !== null,
    onError: fallBack,
    stopped() {
      if (!tr.running) snapshot(null);
    },
  },
  SLOW_PAUSE_MS,
);

function settingsOf(cfg: MetricConfig, base: MetricSettings): MetricSettings {
  return {
    ...base,
    method: cfg.method,
    ways: cfg.ways,
    shots: cfg.shots,
    width: [16, 32, 64].includes(cfg.width) ? cfg.width : base.width,
    seed: cfg.seed,
    siameseLoss: cfg.siameseLoss,
    covariance: cfg.covariance,
    transform: cfg.transform,
    semiVariant: cfg.semiVariant,
    fce: cfg.fce,
    cosineScale: cfg.cosineScale,
  };
}

async function handle(msg: ToMetricWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      settings = msg.settings;
      post({ type: 'methods', available: METRIC_METHODS.filter(isMetricMethod) });
      if (!isMetricMethod(settings.method)) settings = { ...settings, method: 'protonet' };
      await selectBackend(msg.backend, msg.probeCache);
      watchDeviceLoss((m) => void fallBack(new Error(m)));
      await activeSlot();
      viewRequested = true;
      snapshot(null);
      break;
    case 'configure':
    case 'reset': {
      const wasRunning = tr.running;
      tr.running = false;
      await waitForPump();
      if (msg.type === 'reset') {
        slots.get(msg.settings.method)?.trainer.dispose();
        slots.delete(msg.settings.method);
      }
      if (settings?.method !== msg.settings.method) previousAxes = null;
      settings = msg.settings;
      tr.diverged = false;
      await activeSlot();
      viewRequested = true;
      if (msg.type === 'reset') post({ type: 'reset', method: msg.settings.method });
      else tr.running = wasRunning;
      snapshot(null);
      break;
    }
    case 'episode':
      viewDraw = msg.draw;
      viewShuffle = msg.shuffle;
      viewRequested = true;
      break;
    case 'classifyDrawn': {
      // No waiting for the loop: between chunks no step is in flight, so the weights are consistent.
      try {
        const results = classifyDrawn(msg.ways, msg.shots, msg.support.pixels, msg.query.pixels);
        post({ type: 'drawn', requestId: msg.requestId, ways: msg.ways, queries: msg.query.count, results });
      } catch (e) {
        post({ type: 'notice', level: 'error', key: 'metricClassifyFailed', params: { reason: (e as Error).message } });
      }
      break;
    }
    case 'pair': {
      const slot = slots.get('siamese');
      if (!slot) break;
      const ep = handEpisode(1, 1, msg.a, msg.b);
      const c = slot.trainer.classify(ep);
      const a = c.supportEmbeddings!;
      const b = c.queryEmbeddings!;
      let d2 = 0;
      for (let j = 0; j < a.length; j++) d2 += (a[j] - b[j]) ** 2;
      post({ type: 'pair', requestId: msg.requestId, distance: Math.sqrt(d2), margin: slot.trainer.cfg.margin, loss: slot.trainer.cfg.siameseLoss, step: slot.trainer.steps });
      break;
    }
    case 'arena':
      tr.running = false;
      arenaRequest = { episodes: msg.episodes, ways: msg.ways, shots: msg.shots };
      break;
    case 'setBackend': {
      tr.running = false;
      await waitForPump();
      const saved = saveAll();
      await selectBackend(msg.backend, null);
      watchDeviceLoss((m) => void fallBack(new Error(m)));
      restoreAll(saved);
      viewRequested = true;
      snapshot(null);
      break;
    }
    case 'saveCheckpoint': {
      const slot = await activeSlot();
      post({ type: 'checkpoint', text: JSON.stringify(slot.trainer.checkpoint()), method: slot.trainer.cfg.method, step: slot.trainer.steps });
      break;
    }
    case 'loadCheckpoint': {
      try {
        const trainer = MetricTrainer.fromCheckpoint(parseCheckpoint(msg.text));
        if (!isMetricMethod(trainer.cfg.method)) {
          trainer.dispose();
          throw new CheckpointError(`this build has no ${trainer.cfg.method}`);
        }
        tr.running = false;
        await waitForPump();
        const next = settingsOf(trainer.cfg, settings!);
        const ds = await dataset(next.source);
        slots.get(next.method)?.trainer.dispose();
        slots.set(next.method, makeSlot(trainer, trainingKey({ ...next, source: data!.source }), ds));
        settings = next;
        tr.diverged = false;
        previousAxes = null;
        viewRequested = true;
        post({ type: 'checkpointLoaded', step: trainer.steps, fileName: msg.fileName, settings: next });
        snapshot(null);
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

serveInOrder<ToMetricWorker>(scope, handle, post);
