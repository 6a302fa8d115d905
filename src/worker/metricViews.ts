import { SCALE_PARAM } from '../engine/algorithms/metric/matching';
import type { MetricTrainer } from '../engine/algorithms/metric/trainer';
import type { MetricMethod } from '../engine/algorithms/metric/types';
import { pca2, project, projectedEllipse, type Pca2 } from '../engine/core/pca';
import { Rng } from '../engine/core/rng';
import { EpisodeSampler, IMAGE_SIZE, type CharacterDataset, type Episode } from '../engine/tasks/characters';
import type { EmbeddingView } from './metricProtocol';

/**
 * The metric lab's embedding view, computed in the worker (the page only draws): an evaluation
 * episode's embeddings in 2-D, FCE's support order, the semi-supervised episode's unlabeled part.
 */
const VIEW_QUERIES = 3;
const PX = IMAGE_SIZE * IMAGE_SIZE;

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

function viewEpisode(trainer: MetricTrainer, dataset: CharacterDataset, draw: number): Episode {
  const cfg = trainer.cfg;
  const spec = { ...trainer.episodeSpec(cfg.ways, cfg.shots, VIEW_QUERIES), split: 'evaluation' as const };
  return new EpisodeSampler(dataset, spec, 0).sample(Rng.derive(cfg.seed, `metric-view-${draw}`));
}

/**
 * The embedding view of the evaluation episode of draw `draw`: the trainer's embeddings projected
 * on the plane of their two principal axes (kept close to `previousAxes` so the picture does not
 * flip between refreshes), with its prototypes, ellipses, attention and unlabeled items.
 */
export function embeddingView(trainer: MetricTrainer, dataset: CharacterDataset, draw: number, shuffle: number, previousAxes: Float64Array | null): { view: EmbeddingView; axes: Float64Array } {
  const cfg = trainer.cfg;
  const method = cfg.method;
  const raw = viewEpisode(trainer, dataset, draw);
  let ep = raw;
  let semi: { unlabeled: Float32Array; truth: Int32Array } | null = null;
  if (method === 'semi-protonet') {
    const split = splitSemi(raw, cfg.ways, cfg.shots);
    ep = split.labelled;
    semi = { unlabeled: split.unlabeled, truth: split.truth };
  }
  const order = permutation(ep.supportLabels.length, method === 'matching' ? shuffle : 0);
  const shown = reorderSupport(ep, order);
  const c = method === 'semi-protonet' ? trainer.classify(raw, { ways: cfg.ways, shots: cfg.shots }) : trainer.classify(shown);
  // The unlabeled items' embeddings: the same encoder, reading them as queries of the labelled episode.
  let unlabeledEmb: Float32Array | null = null;
  if (semi && semi.truth.length > 0) {
    const asQueries: Episode = { ...ep, query: semi.unlabeled, queryLabels: new Int32Array(semi.truth.length), queryImages: new Int32Array(semi.truth.length).fill(-1) };
    unlabeledEmb = trainer.classify(asQueries).queryEmbeddings ?? null;
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
  // Support rows back in the episode's class-major order for the picture (order[i] = original row of shown row i).
  const supportRows = new Float32Array(S[0] * D);
  order.forEach((src, i) => supportRows.set(c.supportEmbeddings!.subarray(i * D, (i + 1) * D), src * D));
  const attention = c.attention ? unshuffleColumns(c.attention, Q[0], order) : null;
  const protos = showsPrototypes(method) && c.prototypes ? c.prototypes : null;
  const view: EmbeddingView = {
    method,
    step: trainer.steps,
    draw,
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
    cosineScale: method === 'matching' ? (trainer.param(SCALE_PARAM)?.[0] ?? null) : null,
    order,
  };
  return { view, axes: p.axes };
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

