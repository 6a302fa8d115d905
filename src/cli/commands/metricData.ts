import { DatasetBuilder, DEFAULT_SYNTHETIC_CONFIG, IMAGE_SIZE, OmniglotFormatError, generateSyntheticDataset, omniglotDataset, withRotations, type CharacterDataset, type Split } from '../../engine/tasks/characters';
import { progress, UsageError } from '../args';
import { readOmniglotPath } from './data';

/**
 * The data of the metric commands. Training classes: every alphabet of --data (background split
 * only when no --eval-data is given), with 90/180/270° rotations as extra classes (Vinyals et al.,
 * Snell et al.). Evaluation classes: the alphabets of --eval-data that are not in the training
 * data, or else the evaluation split of --data, or else (--data holds one split only, e.g. the two
 * images_background_small zips) the last third of its alphabets by name, held out of training;
 * never rotated, never seen in training. One alphabet alone is trained on and not evaluated.
 */
export interface MetricData {
  source: 'synthetic' | 'omniglot';
  train: CharacterDataset;
  /** Which split of `train` to draw training episodes from. */
  trainSplit: Split | 'all';
  evaluation: CharacterDataset;
  /** Alphabet names used for training (stored in checkpoints so `eval` can leave them out). */
  trainAlphabets: string[];
  evalAlphabets: string[];
  /** The evaluation alphabets were held out of --data (it had no evaluation split and no --eval-data came). */
  heldOut: boolean;
}

/** The alphabets held out for evaluation when --data has one split only: the last third by name (at least one, never all). */
export function heldOutAlphabets(alphabets: readonly string[]): string[] {
  const sorted = [...alphabets].sort();
  if (sorted.length < 2) return [];
  return sorted.slice(sorted.length - Math.max(1, Math.round(sorted.length / 3)));
}

function loadArchives(paths: readonly string[], imageSize = IMAGE_SIZE): CharacterDataset {
  try {
    return omniglotDataset(paths.map((p) => readOmniglotPath(p, imageSize)));
  } catch (e) {
    if (e instanceof OmniglotFormatError || (e as NodeJS.ErrnoException).code) throw new UsageError((e as Error).message);
    throw e;
  }
}

/** The alphabets of `ds` passing `keep`, all relabelled to `split`. */
export function keepAlphabets(ds: CharacterDataset, keep: (name: string, split: Split) => boolean, split?: Split): CharacterDataset {
  const b = new DatasetBuilder(ds.imageSize);
  const alphabets = ds.alphabets.map((a) => ({ ...a, split: split ?? a.split }));
  b.addDataset({ ...ds, alphabets, characters: ds.characters.filter((c) => keep(ds.alphabets[c.alphabet].name, ds.alphabets[c.alphabet].split)) });
  return b.build();
}

const names = (ds: CharacterDataset, split?: Split) => [...new Set(ds.alphabets.filter((a) => !split || a.split === split).map((a) => a.name))].sort();

export function loadMetricData(dataPaths: readonly string[], evalPaths: readonly string[], rotate: boolean): MetricData {
  if (dataPaths.length === 0) {
    if (evalPaths.length > 0) throw new UsageError('--eval-data needs --data (the synthetic alphabets have their own evaluation split)');
    progress(`generating the synthetic alphabets (${DEFAULT_SYNTHETIC_CONFIG.alphabets}, the last ${Math.round(DEFAULT_SYNTHETIC_CONFIG.alphabets / 3)} for evaluation)`);
    const ds = generateSyntheticDataset(DEFAULT_SYNTHETIC_CONFIG);
    return { source: 'synthetic', train: ds, trainSplit: 'background', evaluation: ds, trainAlphabets: names(ds, 'background'), evalAlphabets: names(ds, 'evaluation'), heldOut: false };
  }
  const data = loadArchives(dataPaths);
  let train: CharacterDataset;
  let evaluation: CharacterDataset;
  let trainSplit: Split | 'all';
  let heldOut = false;
  if (evalPaths.length > 0) {
    train = data;
    trainSplit = 'all';
    const used = new Set(names(data));
    const extra = loadArchives(evalPaths);
    const dropped = names(extra).filter((n) => used.has(n));
    if (dropped.length > 0) progress(`--eval-data: leaving out ${dropped.join(', ')} (also in the training data)`);
    evaluation = keepAlphabets(extra, (n) => !used.has(n), 'evaluation');
    if (evaluation.characters.length === 0) throw new UsageError('--eval-data holds no alphabet that is not already in the training data');
  } else if (names(data, 'background').length > 0 && names(data, 'evaluation').length > 0) {
    trainSplit = 'background';
    train = keepAlphabets(data, (_, s) => s === 'background');
    evaluation = keepAlphabets(data, (_, s) => s === 'evaluation');
  } else {
    // Training must not need an evaluation split: hold some of the given alphabets out instead.
    const held = new Set(heldOutAlphabets(names(data)));
    heldOut = true;
    trainSplit = 'all';
    train = keepAlphabets(data, (n) => !held.has(n));
    evaluation = keepAlphabets(data, (n) => held.has(n), 'evaluation');
    if (held.size > 0) progress(`--data has no evaluation split and no --eval-data was given: holding out ${[...held].join(', ')} for evaluation (not trained on)`);
    else progress('--data holds a single alphabet and no --eval-data was given: training without an evaluation');
  }
  const trainAlphabets = names(train);
  const evalAlphabets = names(evaluation, 'evaluation');
  if (rotate) train = withRotations(train);
  return { source: 'omniglot', train, trainSplit, evaluation, trainAlphabets, evalAlphabets, heldOut };
}

/**
 * Evaluation data for `eval`: --data's alphabets minus those the checkpoint was trained on (or its
 * evaluation split), with images of `imageSize` (the baselines' own size, BASELINE_IMAGE_SIZE).
 */
export function loadEvalData(
  dataPaths: readonly string[],
  trainAlphabets: readonly string[] | null,
  imageSize = IMAGE_SIZE,
): { evaluation: CharacterDataset; source: 'synthetic' | 'omniglot'; alphabets: string[] } {
  if (dataPaths.length === 0) {
    const ds = generateSyntheticDataset({ ...DEFAULT_SYNTHETIC_CONFIG, imageSize });
    const evaluation = keepAlphabets(ds, (_, s) => s === 'evaluation');
    return { evaluation, source: 'synthetic', alphabets: names(evaluation) };
  }
  const data = loadArchives(dataPaths, imageSize);
  let evaluation: CharacterDataset;
  if (trainAlphabets) {
    const used = new Set(trainAlphabets);
    evaluation = keepAlphabets(data, (n) => !used.has(n), 'evaluation');
  } else {
    progress('the checkpoint does not list its training alphabets: evaluating on the evaluation split of --data');
    evaluation = keepAlphabets(data, (_, s) => s === 'evaluation');
  }
  if (evaluation.characters.length === 0) throw new UsageError('--data holds no alphabet that the checkpoint was not trained on');
  return { evaluation, source: 'omniglot', alphabets: names(evaluation) };
}
