import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { checkpointParams, makeCheckpoint, CheckpointError } from '../../engine/core/checkpoint';
import type { ParamValues } from '../../engine/core/params';
import {
  COPY_PRESETS,
  CopyTrainer,
  copyConfig,
  evaluateCopy,
  type CopyConfig,
  type CopyModel,
} from '../../engine/algorithms/copyTask';
import {
  MANN_PRESETS,
  MannTrainer,
  REPORTED_INSTANCES,
  evaluateMann,
  mannConfig,
  type MannConfig,
} from '../../engine/algorithms/mannOmniglot';
import { Rng } from '../../engine/core/rng';
import {
  DEFAULT_SYNTHETIC_CONFIG,
  EpisodeSampler,
  charactersInSplit,
  generateSyntheticDataset,
  omniglotDataset,
  OmniglotFormatError,
  type CharacterDataset,
  type OmniglotArchive,
} from '../../engine/tasks/characters';
import { choiceFlag, numberFlag, parseFlags, progress, UsageError, USAGE_WRAP, TRAIN_RUN_FLAGS } from '../args';
import { cliSpec, cliUsage, readCli } from '../../engine/settings/schema';
import { COPY_SCHEMA } from '../../engine/algorithms/copyConfig';
import { MANN_SCHEMA } from '../../engine/algorithms/mannConfig';
import { readCheckpointFile, withLoaded } from '../checkpointFile';
import { NODE_BACKENDS, selectNodeBackend } from '../nodeBackend';
import { readOmniglotPath } from './data';

/** The run's own flags; the settings' flags come from the copy schema. */
const COPY_FLAGS = {
  ...TRAIN_RUN_FLAGS,
  preset: { type: 'string' },
  ...cliSpec(COPY_SCHEMA),
  'eval-sequences': { type: 'string' },
} as const;

export const COPY_TRAIN_USAGE = `metaplay train <ntm|lstm> --task copy [--preset small|large] [--steps N]
${cliUsage(COPY_SCHEMA, USAGE_WRAP)}
    [--backend cpu|wasm] [--load FILE] [--save FILE] [--eval-sequences N] [--json]`;

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** `metaplay train ntm|lstm --task copy`: train on the copy task, then report bit-error rates at the trained and at twice the length. */
export async function trainCopy(model: CopyModel, argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, COPY_FLAGS);
  if (values.task !== undefined && values.task !== 'copy') throw new UsageError(`--task must be copy for ${model}; got "${values.task}"`);
  const preset = choiceFlag(values, 'preset', COPY_PRESETS, 'small');
  const steps = numberFlag(values, 'steps', 4000, { min: 0, max: 10_000_000, integer: true });
  const evalSequences = numberFlag(values, 'eval-sequences', 100, { min: 10, max: 100_000, integer: true });
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'cpu');

  let init: ParamValues | undefined;
  let base: CopyConfig = copyConfig(model, preset);
  if (values.load !== undefined) {
    const ckpt = readCheckpointFile(values.load, (c) => {
      if (c.task !== 'copy') throw new CheckpointError(`the checkpoint is for task "${c.task}", not copy`);
      if (c.algorithm !== model) throw new CheckpointError(`the checkpoint holds a ${c.algorithm} model, not ${model}`);
      return c;
    });
    base = { ...base, ...(ckpt.config as Partial<CopyConfig>), model };
    init = checkpointParams(ckpt);
  }
  // The seed is the flag's or 0, never a loaded checkpoint's: a continued run draws fresh sequences only when asked.
  const config = readCli(COPY_SCHEMA, values, { ...base, seed: 0 }, model);
  if (init && config.controller !== base.controller) throw new UsageError('--controller cannot change the controller of a loaded checkpoint');
  await selectNodeBackend(backend);

  const trainer = withLoaded(values.load, () => new CopyTrainer(config, init));
  const arch =
    model === 'ntm'
      ? `N=${config.slots} M=${config.width} ${config.controller} controller ${config.controllerSize}`
      : `LSTM ${config.lstmHidden}`;
  progress(`training ${model} (${preset}: ${arch}) on copy, lengths ${config.minLength}…${config.maxLength}: ${steps} steps, backend ${backend}, seed ${config.seed}`);
  const run = trainLoop(trainer, steps, 100, ' (nats per bit)');
  if (!run) return 1;
  const { seconds, cpuSeconds, lastLoss } = run;
  const L = config.maxLength;
  const evalSeed = config.seed + 1_000_003;
  let trainedErrors = 0;
  let trainedBits = 0;
  const byLength: Record<string, number> = {};
  for (let len = config.minLength; len <= L; len++) {
    const e = evaluateCopy(config, trainer.variables, len, evalSequences, evalSeed);
    trainedErrors += e.bitErrors;
    trainedBits += e.sequences * len * config.bits;
    byLength[len] = round(e.ber, 5);
  }
  const double = evaluateCopy(config, trainer.variables, 2 * L, evalSequences, evalSeed);
  byLength[2 * L] = round(double.ber, 5);
  if (values.save !== undefined) {
    writeFileSync(values.save, JSON.stringify(makeCheckpoint(model, 'copy', { ...config }, trainer.steps, trainer.params())));
    progress(`saved checkpoint to ${values.save}`);
  }
  const paramCount = trainer.variables.reduce((a, v) => a + v.size, 0);
  trainer.dispose();
  const result = {
    algorithm: model,
    task: 'copy',
    preset,
    steps,
    seed: config.seed,
    backend: tf.getBackend(),
    params: paramCount,
    ...timing(steps, seconds, cpuSeconds),
    final_loss: steps > 0 ? round(lastLoss, 5) : null,
    trained_lengths: [config.minLength, L],
    eval_sequences: evalSequences,
    bit_error: { trained: round(trainedErrors / trainedBits, 5), max_length: byLength[L], double: byLength[2 * L] },
    bit_error_by_length: byLength,
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${model} on copy (${preset}): ${steps} steps in ${result.train_seconds}s (${result.steps_per_s} steps/s, ${result.backend})`);
    console.log(`bit-error rate on ${evalSequences} fresh sequences per length: lengths ${config.minLength}…${L} ${pct(result.bit_error.trained)}, length ${L} ${pct(result.bit_error.max_length)}, length ${2 * L} (2×) ${pct(result.bit_error.double)}`);
  }
  return 0;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The timing fields of both reports (CPU seconds are steadier than wall time on a shared machine). */
function timing(steps: number, seconds: number, cpuSeconds: number) {
  return { train_seconds: round(seconds, 1), train_cpu_seconds: round(cpuSeconds, 1), steps_per_s: steps > 0 ? round(steps / seconds, 3) : 0 };
}

/**
 * The training loop both memory trainers share: steps, progress every `every` steps (mean loss of
 * the window), stop on a non-finite loss. Returns null (after saying so) when training diverged.
 */
function trainLoop(trainer: { step(): tf.Scalar; dispose(): void }, steps: number, every: number, unit: string): { seconds: number; cpuSeconds: number; lastLoss: number } | null {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let window: number[] = [];
  let lastLoss = NaN;
  for (let s = 1; s <= steps; s++) {
    const loss = trainer.step();
    const v = loss.dataSync()[0];
    loss.dispose();
    if (!Number.isFinite(v)) {
      progress(`training diverged at step ${s} (loss ${v}); lower --lr`);
      trainer.dispose();
      return null;
    }
    window.push(v);
    if (s % every === 0 || s === steps) {
      lastLoss = window.reduce((a, b) => a + b, 0) / window.length;
      window = [];
      progress(`step ${s}/${steps}  loss ${lastLoss.toFixed(4)}${unit}  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  }
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSince(cpu0), lastLoss };
}

/** CPU seconds of this process since `start` (steadier than wall time on a shared machine). */
function cpuSince(start: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(start);
  return (c.user + c.system) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// MANN (Santoro et al. 2016) on Omniglot-style characters

/** The run's own flags; the settings' flags come from the MANN schema. */
const MANN_FLAGS = {
  ...TRAIN_RUN_FLAGS,
  preset: { type: 'string' },
  data: { type: 'string', multiple: true },
  ...cliSpec(MANN_SCHEMA),
  'eval-episodes': { type: 'string' },
} as const;

export const MANN_TRAIN_USAGE = `metaplay train mann --task omniglot [--data PATH …] [--preset small|large] [--steps N]
${cliUsage(MANN_SCHEMA, USAGE_WRAP)}
    [--backend wasm|cpu] [--load FILE] [--save FILE] [--eval-episodes N] [--json]
  Without --data the synthetic characters (20 × 20) are used; --data takes Omniglot zips or folders
  as metaplay data does. Trains on the background split, reports accuracy by instance on evaluation.`;

/** `metaplay train mann --task omniglot`: 5-way episodes of 10 instances per class, labels one step late. */
export async function trainMann(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, MANN_FLAGS);
  if (values.task !== undefined && values.task !== 'omniglot') throw new UsageError(`--task must be omniglot for mann; got "${values.task}"`);
  const preset = choiceFlag(values, 'preset', MANN_PRESETS, 'small');
  const steps = numberFlag(values, 'steps', 2000, { min: 0, max: 10_000_000, integer: true });
  const evalEpisodes = numberFlag(values, 'eval-episodes', 200, { min: 10, max: 100_000, integer: true });
  // wasm by default: MANN's products (16 episodes × 400 pixels, an LSTM of 64) take a third of cpu's CPU time there.
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'wasm');
  let base = mannConfig(preset);
  let init: ParamValues | undefined;
  if (values.load !== undefined) {
    const ckpt = readCheckpointFile(values.load, (c) => {
      if (c.task !== 'omniglot' || c.algorithm !== 'mann') throw new CheckpointError(`the checkpoint holds ${c.algorithm} on ${c.task}, not mann on omniglot`);
      return c;
    });
    base = { ...base, ...(ckpt.config as Partial<MannConfig>) };
    init = checkpointParams(ckpt);
  }
  const config = readCli(MANN_SCHEMA, values, { ...base, seed: 0 }, 'mann');

  // Data: the synthetic characters by default, or Omniglot through the loader of `metaplay data`.
  const paths = values.data ?? [];
  let dataset: CharacterDataset;
  const t0 = performance.now();
  if (paths.length === 0) {
    dataset = generateSyntheticDataset({ ...DEFAULT_SYNTHETIC_CONFIG, seed: config.seed, imageSize: MANN_IMAGE_SIZE });
    progress(`generated the synthetic characters (${dataset.characters.length} characters, 20 × 20) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    const archives: OmniglotArchive[] = [];
    for (const path of paths) {
      try {
        archives.push(readOmniglotPath(path, MANN_IMAGE_SIZE));
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (!(e instanceof OmniglotFormatError) && !err.code) throw e;
        throw new UsageError(`cannot use --data ${path}: ${e instanceof OmniglotFormatError ? e.message : err.message}`);
      }
    }
    dataset = omniglotDataset(archives);
    progress(`loaded ${paths.join(', ')}: ${dataset.characters.length} characters at 20 × 20`);
    if (charactersInSplit(dataset, 'evaluation').length < config.classes) {
      // Only background data (e.g. the small subsets): hold out the last fifth of its alphabets.
      const background = dataset.alphabets.map((a, i) => (a.split === 'background' ? i : -1)).filter((i) => i >= 0);
      const heldOut = new Set(background.slice(background.length - Math.max(1, Math.round(background.length / 5))));
      dataset = { ...dataset, alphabets: dataset.alphabets.map((a, i) => (heldOut.has(i) ? { ...a, split: 'evaluation' as const } : a)) };
      progress(`no evaluation split in the data: evaluating on ${heldOut.size} held-out background alphabets (${[...heldOut].map((i) => dataset.alphabets[i].name).join(', ')})`);
    }
  }
  let trainSampler: EpisodeSampler;
  let evalSampler: EpisodeSampler;
  try {
    const spec = { nWay: config.classes, kShot: config.instances, qQuery: 0 };
    trainSampler = new EpisodeSampler(dataset, { ...spec, split: 'background' }, Rng.derive(config.seed, 'mann-episodes'));
    evalSampler = new EpisodeSampler(dataset, { ...spec, split: 'evaluation' }, 0);
  } catch (e) {
    throw new UsageError(`the data cannot make MANN episodes: ${(e as Error).message}`);
  }
  await selectNodeBackend(backend);
  const trainer = withLoaded(values.load, () => new MannTrainer(config, trainSampler, init));
  progress(
    `training mann (${preset}: N=${config.slots} M=${config.width}, LSTM ${config.controllerSize}, ${config.readHeads} read heads) on ${config.classes}-way episodes of ${config.instances} instances: ${steps} steps × ${config.batch} episodes, backend ${backend}, seed ${config.seed}`,
  );
  const run = trainLoop(trainer, steps, 50, '');
  if (!run) return 1;
  const { seconds, cpuSeconds, lastLoss } = run;
  const evaluation = evaluateMann(config, trainer.spec, trainer.variables, evalSampler, evalEpisodes, config.seed + 1_000_003);
  if (values.save !== undefined) {
    writeFileSync(values.save, JSON.stringify(makeCheckpoint('mann', 'omniglot', { ...config, data: paths.length > 0 ? 'omniglot' : 'synthetic' }, trainer.steps, trainer.params())));
    progress(`saved checkpoint to ${values.save}`);
  }
  trainer.dispose();
  const byInstance = Object.fromEntries(REPORTED_INSTANCES.map((n) => [String(n), round(evaluation.accuracy[n - 1], 4)]));
  const result = {
    algorithm: 'mann',
    task: 'omniglot',
    data: paths.length > 0 ? 'omniglot' : 'synthetic',
    preset,
    steps,
    seed: config.seed,
    backend: tf.getBackend(),
    ...timing(steps, seconds, cpuSeconds),
    episodes_seen: steps * config.batch,
    final_loss: steps > 0 ? round(lastLoss, 4) : null,
    eval_episodes: evalEpisodes,
    accuracy_by_instance: byInstance,
    accuracy_all_instances: evaluation.accuracy.map((a) => round(a, 4)),
    accuracy_overall: round(evaluation.overall, 4),
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`mann on ${result.data} characters (${preset}): ${steps} steps in ${result.train_seconds}s (${result.steps_per_s} steps/s, ${result.backend})`);
    console.log(`accuracy by instance on ${evalEpisodes} evaluation episodes: ${REPORTED_INSTANCES.map((n) => `${n}: ${pct(evaluation.accuracy[n - 1])}`).join(', ')}`);
  }
  return 0;
}

const MANN_IMAGE_SIZE = 20;
