import { Rng } from '../../core/rng';
import { charactersInSplit, readImage, type CharacterDataset, type Split } from './dataset';
import { datasetFromDrawingSet, type DrawingSet, type DrawnDatasetOptions } from './drawingSet';
import { drawingToImage, IMAGE_SIZE } from './rasterize';

/**
 * Few-shot episodes: N classes, K labelled support images and Q query images per class, from any
 * character data set (synthetic, Omniglot, user drawings). Same code in Node and in the worker.
 */

/**
 * 'between': the N classes are drawn from the whole split, across alphabets (the usual setting of
 * Vinyals et al. 2016 and most papers). 'within': all N come from one alphabet, as in Lake et al.'s
 * one-shot classification task, which is harder (similar-looking characters).
 */
export type AlphabetMode = 'between' | 'within';

export interface EpisodeSpec {
  nWay: number;
  kShot: number;
  qQuery: number;
  /** Which alphabets to draw from (default 'background'; evaluate on 'evaluation'). */
  split?: Split | 'all';
  mode?: AlphabetMode;
}

export interface EpisodeClass {
  /** Index into the data set's characters (−1 for a hand-built episode's class). */
  character: number;
  alphabet: string;
  name: string;
  rotation: number;
}

export interface Episode {
  nWay: number;
  kShot: number;
  qQuery: number;
  imageSize: number;
  /** [N·K, size, size], ink 1, class-major: rows i·K … i·K+K−1 show class i. */
  support: Float32Array;
  /** [N·K], the episode's labels 0 … N−1. */
  supportLabels: Int32Array;
  /** [number of queries, size, size], class-major (Q per class for sampled episodes). */
  query: Float32Array;
  queryLabels: Int32Array;
  /** Label i ↦ the class it stands for. */
  classes: EpisodeClass[];
  /** Data-set image index of every support / query image (−1 where none). */
  supportImages: Int32Array;
  queryImages: Int32Array;
}

/** An episode that cannot be drawn (too few classes or drawers); the message says what is short. */
export class EpisodeError extends Error {
  override name = 'EpisodeError';
}

/** Seeded episode sampler over one data set. `next()` draws episodes in a reproducible sequence. */
export class EpisodeSampler {
  readonly spec: Required<EpisodeSpec>;
  /** Characters that can serve as classes (in the split, with at least K+Q images). */
  readonly pool: readonly number[];
  private readonly byAlphabet: Map<number, number[]>;
  /** Alphabets with at least N eligible characters (for 'within' episodes). */
  private readonly alphabetsForWithin: number[];
  private readonly rng: Rng;

  constructor(
    readonly dataset: CharacterDataset,
    spec: EpisodeSpec,
    seed: number | Rng = 0,
  ) {
    const s: Required<EpisodeSpec> = { split: 'background', mode: 'between', ...spec };
    for (const k of ['nWay', 'kShot', 'qQuery'] as const)
      if (!Number.isInteger(s[k]) || s[k] < (k === 'qQuery' ? 0 : 1)) throw new EpisodeError(`${k} must be a whole number ≥ ${k === 'qQuery' ? 0 : 1}, got ${s[k]}`);
    this.spec = s;
    const need = s.kShot + s.qQuery;
    this.pool = charactersInSplit(dataset, s.split).filter((c) => dataset.characters[c].count >= need);
    this.byAlphabet = new Map();
    for (const c of this.pool) {
      const a = dataset.characters[c].alphabet;
      const list = this.byAlphabet.get(a);
      if (list) list.push(c);
      else this.byAlphabet.set(a, [c]);
    }
    this.alphabetsForWithin = [...this.byAlphabet].filter(([, cs]) => cs.length >= s.nWay).map(([a]) => a);
    const where = s.split === 'all' ? 'the data set' : `the ${s.split} split`;
    if (this.pool.length < s.nWay)
      throw new EpisodeError(`${s.nWay}-way episodes need ${s.nWay} characters with ≥ ${need} drawers each in ${where}; there are ${this.pool.length}`);
    if (s.mode === 'within' && this.alphabetsForWithin.length === 0)
      throw new EpisodeError(`within-alphabet ${s.nWay}-way episodes need an alphabet with ${s.nWay} characters (≥ ${need} drawers each) in ${where}; none has`);
    this.rng = typeof seed === 'number' ? new Rng(seed) : seed;
  }

  /** The next episode of this sampler's sequence. */
  next(): Episode {
    return this.sample(this.rng);
  }

  /** An episode drawn with the given random stream (the sampler's own state is untouched). */
  sample(rng: Rng): Episode {
    const { nWay, kShot, qQuery, mode } = this.spec;
    let candidates: readonly number[] = this.pool;
    if (mode === 'within') candidates = this.byAlphabet.get(this.alphabetsForWithin[rng.int(this.alphabetsForWithin.length)])!;
    const chosen = rng.sampleWithoutReplacement(candidates.length, nWay).map((i) => candidates[i]);
    const ds = this.dataset;
    const px = ds.imageSize * ds.imageSize;
    const ep = emptyEpisode(nWay, kShot, nWay * qQuery, ds.imageSize);
    ep.qQuery = qQuery;
    chosen.forEach((c, label) => {
      const meta = ds.characters[c];
      ep.classes.push({ character: c, alphabet: ds.alphabets[meta.alphabet].name, name: meta.name, rotation: meta.rotation });
      const picks = rng.sampleWithoutReplacement(meta.count, kShot + qQuery);
      for (let k = 0; k < kShot; k++) {
        const row = label * kShot + k;
        const img = meta.first + picks[k];
        readImage(ds, img, ep.support, row * px);
        ep.supportLabels[row] = label;
        ep.supportImages[row] = img;
      }
      for (let q = 0; q < qQuery; q++) {
        const row = label * qQuery + q;
        const img = meta.first + picks[kShot + q];
        readImage(ds, img, ep.query, row * px);
        ep.queryLabels[row] = label;
        ep.queryImages[row] = img;
      }
    });
    return ep;
  }
}

function emptyEpisode(nWay: number, kShot: number, queries: number, size: number): Episode {
  const px = size * size;
  return {
    nWay,
    kShot,
    qQuery: 0,
    imageSize: size,
    support: new Float32Array(nWay * kShot * px),
    supportLabels: new Int32Array(nWay * kShot),
    query: new Float32Array(queries * px),
    queryLabels: new Int32Array(queries),
    classes: [],
    supportImages: new Int32Array(nWay * kShot).fill(-1),
    queryImages: new Int32Array(queries).fill(-1),
  };
}

/** Draws one episode (a convenience over `new EpisodeSampler(...).next()`). */
export function sampleEpisode(dataset: CharacterDataset, spec: EpisodeSpec, seed: number | Rng = 0): Episode {
  return new EpisodeSampler(dataset, spec, seed).next();
}

/**
 * A user's hand-built episode from a drawing set, rasterized like the data (centred and scaled by
 * default). `qQuery` is the largest per-class query count; query rows are class-major.
 */
export function drawnEpisode(set: DrawingSet, episode: number, options: Omit<DrawnDatasetOptions, 'split'> = {}): Episode {
  const e = set.episodes[episode];
  if (!e) throw new EpisodeError(`there is no episode ${episode} (the set has ${set.episodes.length})`);
  const size = options.imageSize ?? IMAGE_SIZE;
  const px = size * size;
  const nWay = e.classes.length;
  const kShot = e.support[0].length;
  const queries = e.query.reduce((n, q) => n + q.length, 0);
  const ep = emptyEpisode(nWay, kShot, queries, size);
  ep.qQuery = Math.max(0, ...e.query.map((q) => q.length));
  const image = { size, centre: options.centre ?? true, penWidth: options.penWidth };
  let qRow = 0;
  e.classes.forEach((ci, label) => {
    const c = set.classes[ci];
    ep.classes.push({ character: -1, alphabet: c.alphabet ?? 'my drawings', name: c.name, rotation: 0 });
    e.support[label].forEach((d, k) => {
      const row = label * kShot + k;
      drawingToImage(c.drawings[d], image, ep.support.subarray(row * px, (row + 1) * px));
      ep.supportLabels[row] = label;
    });
    for (const d of e.query[label]) {
      drawingToImage(c.drawings[d], image, ep.query.subarray(qRow * px, (qRow + 1) * px));
      ep.queryLabels[qRow++] = label;
    }
  });
  return ep;
}

/** A sampler over a user's drawing classes (e.g. to test a trained learner on one's own alphabet). */
export function drawingSetSampler(set: DrawingSet, spec: Omit<EpisodeSpec, 'split'>, seed: number | Rng = 0, options: DrawnDatasetOptions = {}): EpisodeSampler {
  const split = options.split ?? 'evaluation';
  return new EpisodeSampler(datasetFromDrawingSet(set, { ...options, split }), { ...spec, split }, seed);
}
