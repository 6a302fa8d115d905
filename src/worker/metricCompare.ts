import { classifyBaseline } from '../engine/algorithms/metric/baselines';
import { METRIC_METHODS } from '../engine/algorithms/metric/registry';
import type { MetricTrainer } from '../engine/algorithms/metric/trainer';
import { METRIC_BASELINES, type MetricClassification, type MetricMethod } from '../engine/algorithms/metric/types';
import { Rng } from '../engine/core/rng';
import { EpisodeError, EpisodeSampler, IMAGE_SIZE, type EpisodeSpec, type CharacterDataset, type Episode } from '../engine/tasks/characters';
import type { ArenaRow, DrawnResult, FromMetricWorker, MetricSource } from './metricProtocol';
import type { Post } from './session';
import { pause } from './transport';

/**
 * The metric lab's comparisons of every trained method and the baselines: on a hand-drawn episode,
 * on a pair of images (Siamese), and in the arena on held-out episodes.
 */
const ARENA_QUERIES = 5;
const PX = IMAGE_SIZE * IMAGE_SIZE;

export type ArenaRequest = { episodes: number; ways: number; shots: number };

export function handEpisode(ways: number, shots: number, support: Float32Array, query: Float32Array): Episode {
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

/** A hand-made episode classified by every trained method and the baselines. */
export function classifyDrawn(trainers: ReadonlyMap<MetricMethod, MetricTrainer>, ways: number, shots: number, support: Float32Array, query: Float32Array): DrawnResult[] {
  const ep = handEpisode(ways, shots, support, query);
  const out: DrawnResult[] = [];
  for (const m of METRIC_METHODS) {
    const t = trainers.get(m);
    if (!t || t.steps === 0) continue;
    out.push(drawnResult(t.classify(ep), t.steps, shots));
  }
  for (const b of METRIC_BASELINES) out.push(drawnResult(classifyBaseline(b, ep), 0, shots));
  return out;
}

/**
 * The arena's episodes have their own ways and shots (the lab offers the papers' four settings), so
 * a checkpoint trained on 40-way episodes is still compared on 5-way ones.
 */
export async function runArena(trainers: ReadonlyMap<MetricMethod, MetricTrainer>, ds: CharacterDataset, source: MetricSource, seed: number, { episodes, ways, shots }: ArenaRequest, post: Post<FromMetricWorker>): Promise<void> {
  const spec = { nWay: ways, kShot: shots, qQuery: ARENA_QUERIES, split: 'evaluation' as const };
  const rows: ArenaRow[] = [];
  const post2 = (done: boolean) => post({ type: 'arena', rows: rows.slice(), ways, shots, source, running: !done });
  const samplerFor = (sp: EpisodeSpec): EpisodeSampler | null => {
    try {
      return new EpisodeSampler(ds, sp, Rng.derive(seed, 'metric-arena'));
    } catch (e) {
      if (!(e instanceof EpisodeError)) throw e;
      post({ type: 'notice', level: 'warning', key: 'metricArenaRefused', params: { ways, shots, reason: e.message } });
      return null;
    }
  };
  const trained = METRIC_METHODS.filter((m) => (trainers.get(m)?.steps ?? 0) > 0);
  for (const m of trained) {
    const t = trainers.get(m)!;
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


/** Siamese pair explorer: the embedding distance of two images. */
export function pairDistance(trainer: MetricTrainer, a: Float32Array, b: Float32Array): number {
  const c = trainer.classify(handEpisode(1, 1, a, b));
  const ea = c.supportEmbeddings!;
  const eb = c.queryEmbeddings!;
  let d2 = 0;
  for (let j = 0; j < ea.length; j++) d2 += (ea[j] - eb[j]) ** 2;
  return Math.sqrt(d2);
}
