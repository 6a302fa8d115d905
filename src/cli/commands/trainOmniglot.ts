import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { makeCheckpoint } from '../../engine/core/checkpoint';
import { modelFieldsDiffer, readOmniglotCheckpoint, type OmniglotCheckpoint } from '../../engine/methods/omniglotCheckpoint';
import { OMNIGLOT_ALGORITHMS, OMNIGLOT_PRESETS, OMNIGLOT_SCHEMA, omniglotConfigFor, type OmniglotAlgorithm, type OmniglotConfig } from '../../engine/algorithms/omniglotConfig';
import { OmniglotTrainer, type OmniglotEval } from '../../engine/algorithms/omniglotFamily';
import { cliSpec, cliUsage, readCli } from '../../engine/settings/schema';
import {
  DEFAULT_SYNTHETIC_CONFIG,
  EpisodeError,
  EpisodeSampler,
  OmniglotFormatError,
  generateSyntheticDataset,
  omniglotDataset,
  type CharacterDataset,
  type OmniglotArchive,
  type OmniglotItem,
} from '../../engine/tasks/characters';
import { choiceFlag, numberFlag, parseFlags, progress, UsageError, USAGE_WRAP, TRAIN_RUN_FLAGS } from '../args';
import { readCheckpointFile, withLoaded } from '../checkpointFile';
import { NODE_BACKENDS, selectNodeBackend } from '../nodeBackend';
import { runTrainingLoop } from '../trainLoop';
import { readOmniglotPath } from './data';

/** The run's own flags; the settings' flags come from the episode family's schema. */
const FLAGS = {
  ...TRAIN_RUN_FLAGS,
  preset: { type: 'string' },
  ...cliSpec(OMNIGLOT_SCHEMA),
  data: { type: 'string', multiple: true },
  'eval-data': { type: 'string', multiple: true },
  'eval-episodes': { type: 'string' },
  'eval-steps': { type: 'string' },
  init: { type: 'string' },
} as const;

export const OMNIGLOT_TRAIN_USAGE = `metaplay train <${OMNIGLOT_ALGORITHMS.join('|')}> --task omniglot [--steps N] [--preset paper] (${Object.keys(OMNIGLOT_PRESETS).join(', ')})
${cliUsage(OMNIGLOT_SCHEMA, USAGE_WRAP)}
    [--data ZIP_OR_FOLDER …] (default: synthetic alphabets) [--eval-data ZIP_OR_FOLDER …]
    [--eval-episodes N] [--eval-steps n]
    [--backend wasm|cpu] [--load FILE | --init FILE] (start from a checkpoint of <algorithm>: its weights and settings;
      flags may change the training settings, not the model's; with --steps 0: evaluate it) [--save FILE] [--json]`;

/** The --task value of an argument list (both `--task x` and `--task=x`), or null. */
export function taskOf(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--task') return argv[i + 1] ?? null;
    if (argv[i].startsWith('--task=')) return argv[i].slice(7);
  }
  return null;
}

/**
 * An archive read as evaluation data (e.g. a second background subset: the official evaluation zip
 * is large), without the alphabets the training archives already hold, so no class is seen twice.
 */
export function asEvaluation(archive: OmniglotArchive, train: readonly OmniglotArchive[]): OmniglotArchive {
  const seen = new Set(train.flatMap((a) => a.images.map((img) => img.alphabet)));
  const keep = <T extends OmniglotItem>(items: T[]) => items.filter((x) => !seen.has(x.alphabet)).map((x) => ({ ...x, split: 'evaluation' as const }));
  return { ...archive, images: keep(archive.images), strokes: keep(archive.strokes) };
}

/**
 * The checkpoint of --load or --init (the same: MANN's and the metric methods' names for it), read
 * as a model of `algorithm`; a file that is not one is a usage error naming it.
 */
function readStart(values: { load?: string; init?: string }, algorithm: OmniglotAlgorithm): { path: string; flag: string; checkpoint: OmniglotCheckpoint } | null {
  if (values.load !== undefined && values.init !== undefined) throw new UsageError('give one of --load and --init (both start from a checkpoint)');
  const flag = values.load !== undefined ? '--load' : '--init';
  const path = values.load ?? values.init;
  if (path === undefined) return null;
  return { path, flag, checkpoint: readCheckpointFile(path, (c) => readOmniglotCheckpoint(c, algorithm)) };
}

/**
 * A learned optimiser's baselines (Ravi & Larochelle): the same conv net fine-tuned by plain SGD
 * with α for the same steps on the same episodes, from the meta-learned initialisation and from the
 * untrained one (the seeded θ the meta-training started from).
 */
function sgdBaselines(trainer: OmniglotTrainer, config: OmniglotConfig, sampler: EpisodeSampler, episodes: number, steps: number): { meta: OmniglotEval; random: OmniglotEval } {
  const untrained = new OmniglotTrainer(config);
  try {
    return { meta: trainer.evaluate(sampler, episodes, steps, config.seed, 'sgd'), random: untrained.evaluate(sampler, episodes, steps, config.seed, 'sgd') };
  } finally {
    untrained.dispose();
  }
}

/**
 * `metaplay train <algorithm> --task omniglot`: meta-train the 4-block conv net on N-way K-shot
 * character episodes (background alphabets), then report the few-shot accuracy and its 95%
 * confidence interval on episodes of the evaluation alphabets.
 */
export async function trainOmniglot(algorithm: OmniglotAlgorithm, argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  if (values.task !== undefined && values.task !== 'omniglot') throw new UsageError(`--task must be omniglot here; got "${values.task}"`);
  const steps = numberFlag(values, 'steps', 1000, { min: 0, max: 10_000_000, integer: true });
  const preset = values.preset === undefined ? undefined : OMNIGLOT_PRESETS[algorithm];
  if (values.preset !== undefined && (values.preset !== 'paper' || !preset))
    throw new UsageError(`--preset: ${Object.keys(OMNIGLOT_PRESETS).includes(algorithm) ? 'the one preset is "paper"' : `${algorithm} has no Omniglot preset (${Object.keys(OMNIGLOT_PRESETS).join(', ')} have "paper")`}; got "${values.preset}"`);
  const start = readStart(values, algorithm);
  if (start && preset) throw new UsageError(`--preset cannot be combined with ${start.flag}: the checkpoint brings its own settings`);
  const config = readCli(OMNIGLOT_SCHEMA, values, start ? start.checkpoint.config : omniglotConfigFor(algorithm, preset?.values), algorithm);
  // The checkpoint's model wins: a flag that would reshape it is refused, named.
  const differ = start ? modelFieldsDiffer(start.checkpoint.config, config) : [];
  if (start && differ.length > 0) throw new UsageError(`${start.flag} ${start.path}: the model's settings come from the checkpoint; it has ${differ.join(', ')}: leave those flags out`);
  const evalEpisodes = numberFlag(values, 'eval-episodes', 100, { min: 1, max: 100_000, integer: true });
  const evalSteps = numberFlag(values, 'eval-steps', config.innerSteps, { min: 0, max: 100, integer: true });
  // The conv net is 10–14× faster on wasm (XNNPACK) than on tfjs-cpu's scalar loops (docs/benchmarks.md).
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'wasm');

  let dataset: CharacterDataset;
  const paths = values.data ?? [];
  const evalPaths = values['eval-data'] ?? [];
  if (evalPaths.length > 0 && paths.length === 0) throw new UsageError('--eval-data needs --data (the training alphabets)');
  if (paths.length === 0) {
    progress(`generating the synthetic alphabets (${DEFAULT_SYNTHETIC_CONFIG.alphabets} alphabets, the last ${Math.round(DEFAULT_SYNTHETIC_CONFIG.alphabets / 3)} for evaluation)`);
    dataset = generateSyntheticDataset(DEFAULT_SYNTHETIC_CONFIG);
  } else {
    try {
      const train = paths.map((p) => readOmniglotPath(p, 28));
      dataset = omniglotDataset([...train, ...evalPaths.map((p) => asEvaluation(readOmniglotPath(p, 28), train))]);
    } catch (e) {
      if (e instanceof OmniglotFormatError || (e as NodeJS.ErrnoException).code) throw new UsageError((e as Error).message);
      throw e;
    }
  }
  const spec = { nWay: config.ways, kShot: config.shots, qQuery: config.queries };
  let train: EpisodeSampler;
  let evaluation: EpisodeSampler;
  try {
    train = new EpisodeSampler(dataset, { ...spec, split: 'background' }, config.seed);
    evaluation = new EpisodeSampler(dataset, { ...spec, split: 'evaluation' }, config.seed);
  } catch (e) {
    if (e instanceof EpisodeError) throw new UsageError(`${e.message} (evaluation needs the evaluation alphabets: add images_evaluation.zip, or leave out --data for the synthetic set)`);
    throw e;
  }
  await selectNodeBackend(backend);

  const trainer = withLoaded(start?.path, () => new OmniglotTrainer(config, start?.checkpoint.params));
  if (start) {
    trainer.steps = start.checkpoint.step;
    progress(`loaded ${start.path}: ${algorithm} after ${start.checkpoint.step} steps`);
  }
  if (preset) progress(`${preset.id} preset: ${preset.citation} (flags given override it)`);
  progress(`training ${algorithm} on ${config.ways}-way ${config.shots}-shot episodes (${paths.length > 0 ? 'Omniglot' : 'synthetic'}): ${steps} steps of ${config.metaBatch} tasks, conv width ${config.width}, backend ${backend}, seed ${config.seed}`);
  const run = runTrainingLoop(steps, () => trainer.step(Array.from({ length: config.metaBatch }, () => train.next())), { every: 10, divergeAbove: 1e6 });
  if (!run) {
    trainer.dispose();
    return 1;
  }
  const { lastLoss, seconds } = run;
  progress(`evaluating on ${evalEpisodes} episodes of the evaluation alphabets (${evalSteps} adaptation steps)`);
  const ev = trainer.evaluate(evaluation, evalEpisodes, evalSteps, config.seed);
  const baselines = algorithm === 'meta-lstm' ? sgdBaselines(trainer, config, evaluation, evalEpisodes, evalSteps) : undefined;
  if (values.save !== undefined) {
    writeFileSync(values.save, JSON.stringify(makeCheckpoint(algorithm, 'omniglot', { ...config }, trainer.steps, trainer.params())));
    progress(`saved checkpoint to ${values.save}`);
  }
  trainer.dispose();
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  const accuracyOf = (e: OmniglotEval) => ({ accuracy: round(e.accuracy, 4), ci95: round(e.ci95, 4) });
  const result = {
    algorithm,
    task: 'omniglot',
    source: paths.length > 0 ? 'omniglot' : 'synthetic',
    ...(preset ? { preset: preset.id } : {}),
    ...(start ? { loaded: { file: start.path, step: start.checkpoint.step } } : {}),
    ...(evalPaths.length > 0 ? { eval_alphabets: dataset.alphabets.filter((a) => a.split === 'evaluation').map((a) => a.name) } : {}),
    steps,
    seed: config.seed,
    backend: tf.getBackend(),
    ways: config.ways,
    shots: config.shots,
    width: config.width,
    meta_batch: config.metaBatch,
    steps_per_s: steps > 0 ? round(steps / seconds, 3) : 0,
    train_seconds: round(seconds, 2),
    final_meta_loss: steps > 0 ? round(lastLoss, 4) : null,
    eval_episodes: evalEpisodes,
    eval_steps: evalSteps,
    accuracy: round(ev.accuracy, 4),
    ci95: round(ev.ci95, 4),
    ...(trainer.lastWeights.length > 0 ? { last_task_weights: trainer.lastWeights.map((w) => round(w, 4)) } : {}),
    ...(ev.adversarialAccuracy !== undefined ? { adversarial_accuracy: round(ev.adversarialAccuracy, 4), adversarial_ci95: round(ev.adversarialCi95 ?? 0, 4) } : {}),
    ...(algorithm === 'caml' ? { context_size: config.contextSize, context_alpha: config.contextAlpha, film_block: config.filmBlock } : {}),
    ...(algorithm === 'daml' ? { learned_steps: config.learnedSteps, learned_alpha: config.learnedAlpha } : {}),
    ...(ev.labelledOnlyAccuracy !== undefined ? { accuracy_without_learned_steps: round(ev.labelledOnlyAccuracy, 4), ci95_without_learned_steps: round(ev.labelledOnlyCi95 ?? 0, 4) } : {}),
    ...(ev.gates ? { gates: { input: ev.gates.input.map((g) => round(g, 4)), forget: ev.gates.forget.map((g) => round(g, 4)) } } : {}),
    ...(baselines ? { sgd_from_meta_init: accuracyOf(baselines.meta), sgd_from_random_init: accuracyOf(baselines.random) } : {}),
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${algorithm} on ${config.ways}-way ${config.shots}-shot characters: ${steps} steps in ${result.train_seconds}s (${result.steps_per_s} steps/s)`);
    console.log(`accuracy on ${evalEpisodes} evaluation episodes: ${(100 * ev.accuracy).toFixed(1)}% ± ${(100 * ev.ci95).toFixed(1)}%`);
    if (ev.labelledOnlyAccuracy !== undefined)
      console.log(`without the learned-loss steps: ${(100 * ev.labelledOnlyAccuracy).toFixed(1)}% ± ${(100 * (ev.labelledOnlyCi95 ?? 0)).toFixed(1)}%`);
    if (ev.gates) console.log(`mean gates per inner step: input ${ev.gates.input.map((g) => g.toFixed(3)).join(', ')}; forget ${ev.gates.forget.map((g) => g.toFixed(3)).join(', ')}`);
    if (baselines)
      console.log(
        `plain SGD (α ${config.alpha}, ${evalSteps} steps) from the meta-learned initialisation: ${(100 * baselines.meta.accuracy).toFixed(1)}% ± ${(100 * baselines.meta.ci95).toFixed(1)}%; from a random one: ${(100 * baselines.random.accuracy).toFixed(1)}% ± ${(100 * baselines.random.ci95).toFixed(1)}%`,
      );
  }
  return 0;
}
