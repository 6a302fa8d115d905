import * as tf from '@tensorflow/tfjs';
import { decode } from 'fast-png';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BASELINE_IMAGE_SIZE, classifyBaseline } from '../../engine/algorithms/metric/baselines';
import { METRIC_BASELINES, type MetricBaseline, type MetricClassification } from '../../engine/algorithms/metric/types';
import { decodeOmniglotPng, downsampleArea, IMAGE_SIZE, OMNIGLOT_CANVAS, pngInkInto, type Episode } from '../../engine/tasks/characters';
import { choiceFlag, parseFlags, progress, UsageError } from '../args';
import { NODE_BACKENDS, selectNodeBackend } from '../nodeBackend';
import { loadMetricCheckpoint } from './metricTrain';

const FLAGS = {
  checkpoint: { type: 'string' },
  method: { type: 'string' },
  support: { type: 'string' },
  query: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const CLASSIFY_USAGE = `metaplay classify (--checkpoint FILE | --method mhd|pixel-nn) --support DIR --query DIR [--backend wasm|cpu] [--json]
  DIR of the support set: one sub-folder per class (its name is the label) with one or more PNGs; the query
  folder holds PNGs. Any size, ink dark on light; each image is padded to a square and area-averaged to 28×28
  as the Omniglot images are (to 105×105 for mhd, the size Lake et al. compared). With --json the last line is {"predictions":[{"file","label","probs":{…}}]}.`;

/**
 * Ink coverage (1 = ink) of any PNG: grey/RGB darkness times alpha. 105×105 images go through the
 * Omniglot decoder itself, so they are read exactly as the training data.
 */
export function pngInk(bytes: Uint8Array, where: string): { ink: Float32Array; side: number } {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new UsageError(`${where}: not a readable PNG (${(e as Error).message})`);
  }
  const { width, height } = png;
  if (width === OMNIGLOT_CANVAS && height === OMNIGLOT_CANVAS) return { ink: decodeOmniglotPng(bytes, where), side: OMNIGLOT_CANVAS };
  // Paper around the image makes it square without stretching it.
  const side = Math.max(width, height);
  const ink = pngInkInto(png, new Float32Array(side * side), side, Math.floor((side - height) / 2), Math.floor((side - width) / 2));
  return { ink, side };
}

/**
 * A PNG file → size×size ink image, as the training images are made (area average of the square
 * canvas). A canvas smaller than `size` is centred on paper of that size, not enlarged.
 */
export function loadCharacterImage(path: string, size = IMAGE_SIZE): Float32Array {
  const { ink, side } = pngInk(new Uint8Array(readFileSync(path)), path);
  if (side >= size) return downsampleArea(ink, side, size);
  const out = new Float32Array(size * size);
  const at = Math.floor((size - side) / 2);
  for (let i = 0; i < side; i++) out.set(ink.subarray(i * side, (i + 1) * side), (at + i) * size + at);
  return out;
}

const pngsIn = (dir: string) => readdirSync(dir).filter((f) => /\.png$/i.test(f) && statSync(join(dir, f)).isFile()).sort();

/** The support folders and query files as one episode (query labels unknown: 0). */
export function folderEpisode(supportDir: string, queryDir: string, size = IMAGE_SIZE): { episode: Episode; labels: string[]; files: string[] } {
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  if (!isDir(supportDir)) throw new UsageError(`--support ${supportDir} is not a folder`);
  if (!isDir(queryDir)) throw new UsageError(`--query ${queryDir} is not a folder`);
  const labels = readdirSync(supportDir).filter((d) => !d.startsWith('.') && isDir(join(supportDir, d))).sort();
  if (labels.length < 2) throw new UsageError(`--support needs at least two class folders, found ${labels.length}`);
  const support: Float32Array[] = [];
  const supportLabels: number[] = [];
  labels.forEach((l, c) => {
    const files = pngsIn(join(supportDir, l));
    if (files.length === 0) throw new UsageError(`class folder ${join(supportDir, l)} has no PNG images`);
    for (const f of files) {
      support.push(loadCharacterImage(join(supportDir, l, f), size));
      supportLabels.push(c);
    }
  });
  const files = pngsIn(queryDir);
  if (files.length === 0) throw new UsageError(`--query ${queryDir} has no PNG images`);
  const query = files.map((f) => loadCharacterImage(join(queryDir, f), size));
  const px = size * size;
  const pack = (xs: Float32Array[]) => {
    const out = new Float32Array(xs.length * px);
    xs.forEach((x, i) => out.set(x, i * px));
    return out;
  };
  const episode: Episode = {
    nWay: labels.length,
    kShot: Math.min(...labels.map((_, c) => supportLabels.filter((l) => l === c).length)),
    qQuery: files.length,
    imageSize: size,
    support: pack(support),
    supportLabels: Int32Array.from(supportLabels),
    query: pack(query),
    queryLabels: new Int32Array(files.length),
    classes: labels.map((name) => ({ character: -1, alphabet: 'support folder', name, rotation: 0 })),
    supportImages: new Int32Array(support.length).fill(-1),
    queryImages: new Int32Array(files.length).fill(-1),
  };
  return { episode, labels, files };
}

/** `metaplay classify`: few-shot classification of the query images by a trained checkpoint or a baseline. */
export async function classifyCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(CLASSIFY_USAGE);
    return 0;
  }
  const { values } = parseFlags(argv, FLAGS);
  if ((values.checkpoint === undefined) === (values.method === undefined)) throw new UsageError('classify needs exactly one of --checkpoint FILE or --method mhd|pixel-nn');
  if (values.support === undefined || values.query === undefined) throw new UsageError('classify needs --support DIR and --query DIR');
  const baseline: MetricBaseline | null = values.method !== undefined ? choiceFlag(values, 'method', METRIC_BASELINES, 'mhd') : null;
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'wasm');
  const loaded = values.checkpoint !== undefined ? loadMetricCheckpoint(values.checkpoint) : null;
  const { episode, labels, files } = folderEpisode(values.support, values.query, baseline ? BASELINE_IMAGE_SIZE[baseline] : IMAGE_SIZE);
  let c: MetricClassification;
  if (loaded) {
    await selectNodeBackend(backend);
    c = loaded.trainer.classify(episode);
    loaded.trainer.dispose();
  } else c = classifyBaseline(baseline!, episode);
  progress(`${c.method}: ${files.length} queries, ${labels.length} classes (${labels.join(', ')})${loaded ? `, backend ${tf.getBackend()}` : ''}`);
  const predictions = files.map((file, q) => ({
    file,
    label: labels[c.predicted[q]],
    probs: Object.fromEntries(labels.map((l, k) => [l, Math.round(c.probs[q * c.ways + k] * 1e4) / 1e4])),
  }));
  if (values.json) console.log(JSON.stringify({ method: c.method, predictions }));
  else for (const p of predictions) console.log(`${p.file}\t${p.label}\t${(100 * p.probs[p.label]).toFixed(1)}%`);
  return 0;
}
