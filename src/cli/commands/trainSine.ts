import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { checkpointParams, makeCheckpoint, parseCheckpoint, CheckpointError } from '../../engine/core/checkpoint';
import {
  DEFAULT_SINE_CONFIG,
  DEFAULT_SINE_EVAL,
  SineTrainer,
  evaluateSine,
  type SineAlgorithm,
  type SineConfig,
} from '../../engine/algorithms/sineRegression';
import { numberFlag, parseFlags, progress, UsageError, choiceFlag } from '../args';
import { NODE_BACKENDS, selectNodeBackend } from '../nodeBackend';

const FLAGS = {
  task: { type: 'string' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  'meta-batch': { type: 'string' },
  k: { type: 'string' },
  alpha: { type: 'string' },
  'meta-lr': { type: 'string' },
  'inner-steps': { type: 'string' },
  'first-order': { type: 'boolean' },
  backend: { type: 'string' },
  save: { type: 'string' },
  load: { type: 'string' },
  'eval-tasks': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const SINE_TRAIN_USAGE = `metaplay train <maml|pretrain> --task sine [--steps N] [--seed S] [--meta-batch B] [--k K]
    [--alpha A] [--meta-lr L] [--inner-steps n] [--first-order] [--backend cpu|wasm]
    [--load FILE] [--save FILE] [--eval-tasks N] [--json]`;

/** `metaplay train maml|pretrain --task sine`: meta-train, then evaluate K-shot adaptation on fresh tasks. */
export async function trainSine(algorithm: SineAlgorithm, argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.task !== undefined && values.task !== 'sine') throw new UsageError(`--task must be sine for ${algorithm}; got "${values.task}"`);
  if (values['first-order'] && algorithm !== 'maml') throw new UsageError('--first-order only applies to maml');
  const steps = numberFlag(values, 'steps', 2000, { min: 0, max: 10_000_000, integer: true });
  const evalTasks = numberFlag(values, 'eval-tasks', DEFAULT_SINE_EVAL.tasks, { min: 200, max: 100_000, integer: true });
  const config: SineConfig = {
    ...DEFAULT_SINE_CONFIG,
    algorithm,
    seed: numberFlag(values, 'seed', 0, { min: 0, max: 2 ** 32 - 1, integer: true }),
    metaBatch: numberFlag(values, 'meta-batch', DEFAULT_SINE_CONFIG.metaBatch, { min: 1, max: 10_000, integer: true }),
    k: numberFlag(values, 'k', DEFAULT_SINE_CONFIG.k, { min: 1, max: 1000, integer: true }),
    alpha: numberFlag(values, 'alpha', DEFAULT_SINE_CONFIG.alpha, { min: 0, max: 1000 }),
    metaLr: numberFlag(values, 'meta-lr', DEFAULT_SINE_CONFIG.metaLr, { min: 0, max: 10 }),
    innerSteps: numberFlag(values, 'inner-steps', DEFAULT_SINE_CONFIG.innerSteps, { min: 1, max: 100, integer: true }),
    firstOrder: values['first-order'] === true,
  };
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'cpu');
  let init;
  if (values.load !== undefined) {
    try {
      const ckpt = parseCheckpoint(readFileSync(values.load, 'utf8'));
      if (ckpt.task !== 'sine') throw new CheckpointError(`the checkpoint is for task "${ckpt.task}", not sine`);
      init = checkpointParams(ckpt);
    } catch (e) {
      throw new UsageError(`cannot load ${values.load}: ${(e as Error).message}`);
    }
  }
  await selectNodeBackend(backend);

  const trainer = new SineTrainer(config, init);
  progress(`training ${algorithm}${config.firstOrder ? ' (first-order)' : ''} on sine tasks: ${steps} steps, backend ${backend}, seed ${config.seed}`);
  const t0 = performance.now();
  let lastLoss = NaN;
  for (let s = 1; s <= steps; s++) {
    const loss = trainer.step();
    if (s % 100 === 0 || s === steps) {
      lastLoss = loss.dataSync()[0];
      if (!Number.isFinite(lastLoss) || lastLoss > 1e8) {
        loss.dispose();
        progress(`training diverged at step ${s} (meta-loss ${lastLoss}); lower --alpha or --meta-lr`);
        trainer.dispose();
        return 1;
      }
      progress(`step ${s}/${steps}  meta-loss ${lastLoss.toFixed(4)}`);
    }
    loss.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  const mse = evaluateSine(trainer.variables, { ...DEFAULT_SINE_EVAL, tasks: evalTasks, k: config.k, alpha: config.alpha, seed: config.seed });
  if (values.save !== undefined) {
    const ckpt = makeCheckpoint(algorithm, 'sine', { ...config }, trainer.steps, trainer.params());
    writeFileSync(values.save, JSON.stringify(ckpt));
    progress(`saved checkpoint to ${values.save}`);
  }
  trainer.dispose();
  const result = {
    algorithm: config.firstOrder ? 'fomaml' : algorithm,
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
