import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { checkpointParams, makeCheckpoint, CheckpointError } from '../../engine/core/checkpoint';
import { DEFAULT_SINE_EVAL, SineTrainer } from '../../engine/algorithms/sineRegression';
import { SINE_ALGORITHMS, SINE_ALGORITHM_INFO, SINE_SCHEMA, sineConfigFor, type SineAlgorithm } from '../../engine/algorithms/sineConfig';
import { cliSpec, cliUsage, readCli } from '../../engine/settings/schema';
import { numberFlag, parseFlags, progress, UsageError, choiceFlag, USAGE_WRAP, TRAIN_RUN_FLAGS } from '../args';
import { readCheckpointFile, withLoaded } from '../checkpointFile';
import { NODE_BACKENDS, selectNodeBackend } from '../nodeBackend';
import { runTrainingLoop } from '../trainLoop';

/** The run's own flags; the settings' flags come from the sine schema. */
const FLAGS = {
  ...TRAIN_RUN_FLAGS,
  preset: { type: 'string' },
  ...cliSpec(SINE_SCHEMA),
  'eval-tasks': { type: 'string' },
} as const;

export const SINE_TRAIN_USAGE = `metaplay train <${SINE_ALGORITHMS.join('|')}> --task sine [--steps N] [--preset paper|book]
${cliUsage(SINE_SCHEMA, USAGE_WRAP)}
    [--backend cpu|wasm] [--load FILE] [--save FILE] [--eval-tasks N] [--json]
  A flag followed by (algorithms) only applies to those.`;

/** `metaplay train <algorithm> --task sine`: meta-train, then evaluate K-shot adaptation on fresh tasks. */
export async function trainSine(algorithm: SineAlgorithm, argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  if (values.task !== undefined && values.task !== 'sine')
    throw new UsageError(`--task must be sine${['maml', 'fomaml', 'reptile', 'metasgd', 'taml'].includes(algorithm) ? ' or omniglot' : ''} for ${algorithm}; got "${values.task}"`);
  const steps = numberFlag(values, 'steps', 2000, { min: 0, max: 10_000_000, integer: true });
  const evalTasks = numberFlag(values, 'eval-tasks', DEFAULT_SINE_EVAL.tasks, { min: 200, max: 100_000, integer: true });
  const presets = SINE_ALGORITHM_INFO[algorithm].presets;
  const presetId = values.preset;
  const preset = presetId === undefined ? undefined : presets.find((p) => p.id === presetId);
  if (presetId !== undefined && !preset) throw new UsageError(`--preset for ${algorithm} must be one of ${presets.map((p) => p.id).join(', ')}; got "${presetId}"`);
  const config = readCli(SINE_SCHEMA, values, sineConfigFor(algorithm, preset?.values), algorithm);
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'cpu');
  const init =
    values.load === undefined
      ? undefined
      : readCheckpointFile(values.load, (c) => {
          if (c.task !== 'sine') throw new CheckpointError(`the checkpoint is for task "${c.task}", not sine`);
          return checkpointParams(c);
        });
  await selectNodeBackend(backend);

  const trainer = withLoaded(values.load, () => new SineTrainer(config, init), ` (is it a ${algorithm} checkpoint with these settings?)`);
  const firstOrderNote = config.firstOrder && algorithm !== 'fomaml' ? ' (first-order)' : '';
  progress(`training ${algorithm}${firstOrderNote}${preset ? ` with the ${preset.id} preset (${preset.citation})` : ''} on sine tasks: ${steps} steps, backend ${backend}, seed ${config.seed}`);
  const run = runTrainingLoop(steps, () => trainer.step(), { every: 100, divergeAbove: 1e8 });
  if (!run) {
    trainer.dispose();
    return 1;
  }
  const { lastLoss, seconds } = run;
  const mse = trainer.evaluate({ ...DEFAULT_SINE_EVAL, tasks: evalTasks, k: config.k, alpha: config.alpha, seed: config.seed });
  if (values.save !== undefined) {
    const ckpt = makeCheckpoint(algorithm, 'sine', { ...config }, trainer.steps, trainer.params());
    writeFileSync(values.save, JSON.stringify(ckpt));
    progress(`saved checkpoint to ${values.save}`);
  }
  trainer.dispose();
  const result = {
    algorithm: config.firstOrder && algorithm === 'maml' ? 'fomaml' : algorithm,
    ...(config.firstOrder && algorithm !== 'maml' && algorithm !== 'fomaml' ? { first_order: true } : {}),
    ...(preset ? { preset: preset.id } : {}),
    task: 'sine',
    steps,
    seed: config.seed,
    backend: tf.getBackend(),
    steps_per_s: steps > 0 ? round(steps / seconds, 2) : 0,
    train_seconds: round(seconds, 2),
    final_meta_loss: steps > 0 ? round(lastLoss, 4) : null,
    eval_tasks: evalTasks,
    mse_before: round(mse[0], 4),
    mse_after_1: round(mse[1], 4),
    mse_after_10: round(mse[10], 4),
    mse_by_steps: mse.map((m) => round(m, 4)),
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${result.algorithm} on sine: ${steps} steps in ${result.train_seconds}s (${result.steps_per_s} steps/s, ${result.backend})`);
    console.log(`query MSE on ${evalTasks} fresh ${config.k}-shot tasks: before ${result.mse_before}, after 1 step ${result.mse_after_1}, after 10 steps ${result.mse_after_10}`);
  }
  return 0;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
