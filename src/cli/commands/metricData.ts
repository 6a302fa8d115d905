import { DatasetBuilder, DEFAULT_SYNTHETIC_CONFIG, OmniglotFormatError, generateSyntheticDataset, omniglotDataset, withRotations, type CharacterDataset, type Split } from '../../engine/tasks/characters';
import { progress, UsageError } from '../args';
import { readOmniglotPath } from './data';

/**
 * The data of the metric commands. Training classes: every alphabet of --data (background split
 * only when no --eval-data is given), with 90/180/270° rotations as extra classes (Vinyals et al.,
 * Snell et al.). Evaluation classes: the alphabets of --eval-data that are not in the training
 * data, or else the evaluation split of --data; never rotated, never seen in training.
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
}

function loadArchives(paths: readonly string[]): CharacterDataset {
  try {
    return omniglotDataset(paths.map((p) => readOmniglotPath(p, 28)));
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
    return { source: 'synthetic', train: ds, trainSplit: 'background', evaluation: ds, trainAlphabets: names(ds, 'background'), evalAlphabets: names(ds, 'evaluation') };
  }
  const data = loadArchives(dataPaths);
  let train: CharacterDataset;
  let evaluation: CharacterDataset;
  let trainSplit: Split | 'all';
  if (evalPaths.length > 0) {
    train = data;
    trainSplit = 'all';
    const used = new Set(names(data));
    const extra = loadArchives(evalPaths);
    const dropped = names(extra).filter((n) => used.has(n));
    if (dropped.length > 0) progress(`--eval-data: leaving out ${dropped.join(', ')} (also in the training data)`);
    evaluation = keepAlphabets(extra, (n) => !used.has(n), 'evaluation');
    if (evaluation.characters.length === 0) throw new UsageError('--eval-data holds no alphabet that is not already in the training data');
  } else {
    trainSplit = 'background';
    train = keepAlphabets(data, (_, s) => s === 'background');
    evaluation = keepAlphabets(data, (_, s) => s === 'evaluation');
  }
  const trainAlphabets = names(train);
  const evalAlphabets = names(evaluation, 'evaluation');
  if (rotate) train = withRotations(train);
  return { source: 'omniglot', train, trainSplit, evaluation, trainAlphabets, evalAlphabets };
}

/** Evaluation data for `eval`: --data's alphabets minus those the checkpoint was trained on (or its evaluation split). */
export function loadEvalData(dataPaths: readonly string[], trainAlphabets: readonly string[] | null): { evaluation: CharacterDataset; source: 'synthetic' | 'omniglot'; alphabets: string[] } {
  if (dataPaths.length === 0) {
    const ds = generateSyntheticDataset(DEFAULT_SYNTHETIC_CONFIG);
    const evaluation = keepAlphabets(ds, (_, s) => s === 'evaluation');
    return { evaluation, source: 'synthetic', alphabets: names(evaluation) };
  }
  const data = loadArchives(dataPaths);
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
