import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { checkpointParams, makeCheckpoint, CheckpointError, type Checkpoint } from '../../engine/core/checkpoint';
import { BASELINES, LSTM_OPTIMIZER_SCHEMA, OPTIMIZER_TASKS, lstmOptimizerConfig, type LstmOptimizerConfig } from '../../engine/algorithms/optimizers/config';
import { LstmOptimizerTrainer, type OptimizerEvaluation } from '../../engine/algorithms/optimizers/trainer';
import { cliSpec, cliUsage, readCli } from '../../engine/settings/schema';
import { choiceFlag, numberFlag, parseFlags, progress, USAGE_WRAP, TRAIN_RUN_FLAGS } from '../args';
import { readCheckpointFile, withLoaded } from '../checkpointFile';
import { NODE_BACKENDS, selectNodeBackend } from '../nodeBackend';
import { runTrainingLoop } from '../trainLoop';

const ALGORITHM = 'lstm-optimizer';

/** The run's own flags; the settings' flags come from the LSTM optimiser's schema. */
const FLAGS = {
  ...TRAIN_RUN_FLAGS,
  ...cliSpec(LSTM_OPTIMIZER_SCHEMA),
} as const;

export const LSTM_OPTIMIZER_TRAIN_USAGE = `metaplay train ${ALGORITHM} --task ${OPTIMIZER_TASKS.join('|')} [--steps N]
${cliUsage(LSTM_OPTIMIZER_SCHEMA, USAGE_WRAP)}
    [--backend cpu|wasm] [--load FILE] [--save FILE] [--json]
  A step is one meta-update (one unroll); the baselines' rates are tuned on training functions,
  then every optimiser runs on 100 held-out functions to the horizon and to twice it.`;

/** The settings a checkpoint was trained with (schema fields only), so --load keeps its architecture and run. */
function checkpointSettings(c: Checkpoint): Partial<LstmOptimizerConfig> {
  return Object.fromEntries(Object.keys(LSTM_OPTIMIZER_SCHEMA).filter((k) => k in c.config).map((k) => [k, c.config[k]])) as Partial<LstmOptimizerConfig>;
}

function loadCheckpoint(file: string, task: string): Checkpoint {
  return readCheckpointFile(file, (c) => {
    if (c.algorithm !== ALGORITHM || c.task !== task) throw new CheckpointError(`it holds ${c.algorithm} on ${c.task}, not ${ALGORITHM} on ${task}`);
    return c;
  });
}

/** `metaplay train lstm-optimizer --task quadratic`: meta-train the LSTM optimiser, then compare it with tuned baselines. */
export async function trainLstmOptimizer(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  const task = choiceFlag(values, 'task', OPTIMIZER_TASKS, 'quadratic');
  const steps = numberFlag(values, 'steps', 500, { min: 0, max: 10_000_000, integer: true });
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'cpu');
  const loaded = values.load === undefined ? undefined : loadCheckpoint(values.load, task);
  const config = readCli(LSTM_OPTIMIZER_SCHEMA, values, lstmOptimizerConfig({ task, ...(loaded ? checkpointSettings(loaded) : {}) }), ALGORITHM);
  await selectNodeBackend(backend);

  const trainer = withLoaded(values.load, () => new LstmOptimizerTrainer(config, loaded && checkpointParams(loaded)));
  progress(
    `training the LSTM optimiser on ${config.dims}-D ${task}s: ${steps} meta-updates of ${config.unroll} steps (horizon ${config.horizon}), ` +
      `${config.preprocess} inputs, ${config.secondOrder ? 'second-order' : 'optimisee gradient as an input'}, backend ${backend}, seed ${config.seed}`,
  );
  const run = runTrainingLoop(steps, () => trainer.step(), { every: 25, divergeAbove: 1e8 });
  if (!run) {
    trainer.dispose();
    return 1;
  }
  progress(`tuning the baselines' rates on ${config.tuneFunctions} training functions, evaluating on ${config.evalFunctions} held-out functions`);
  const ev = trainer.evaluate();
  if (values.save !== undefined) {
    writeFileSync(values.save, JSON.stringify(makeCheckpoint(ALGORITHM, task, { ...config }, trainer.steps, trainer.params())));
    progress(`saved checkpoint to ${values.save}`);
  }
  trainer.dispose();
  const result = resultJson(config, ev, steps, run);
  if (values.json) console.log(JSON.stringify(result));
  else printResult(result, ev);
  return 0;
}

function resultJson(config: LstmOptimizerConfig, ev: OptimizerEvaluation, steps: number, run: { lastLoss: number; seconds: number }) {
  return {
    algorithm: ALGORITHM,
    task: config.task,
    steps,
    seed: config.seed,
    backend: tf.getBackend(),
    preprocess: config.preprocess,
    second_order: config.secondOrder,
    unroll: config.unroll,
    horizon: config.horizon,
    steps_per_s: steps > 0 ? round(steps / run.seconds, 3) : 0,
    train_seconds: round(run.seconds, 2),
    final_meta_loss: steps > 0 ? sig(run.lastLoss) : null,
    eval_functions: ev.functions,
    final_loss: sig(ev.learned.final),
    final_loss_2x: sig(ev.learned.double),
    baselines: Object.fromEntries(
      BASELINES.map((b) => [b, { lr: ev.baselines[b].lr, final_loss: sig(ev.baselines[b].final), final_loss_2x: sig(ev.baselines[b].double) }]),
    ),
  };
}

function printResult(r: ReturnType<typeof resultJson>, ev: OptimizerEvaluation): void {
  console.log(`${ALGORITHM} on ${r.task}: ${r.steps} meta-updates in ${r.train_seconds}s (${r.steps_per_s}/s, ${r.backend})`);
  console.log(`mean loss on ${r.eval_functions} held-out functions after ${ev.horizon} steps (and ${2 * ev.horizon}):`);
  console.log(`  learned   ${r.final_loss}  (${r.final_loss_2x})`);
  for (const b of BASELINES) console.log(`  ${b.padEnd(9)} ${ev.baselines[b].final.toPrecision(4)}  (${ev.baselines[b].double.toPrecision(4)})  lr ${ev.baselines[b].lr}`);
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
/** Six significant digits (losses span many decades); a non-finite value (a diverged baseline) stays as it is, JSON writes it as null. */
const sig = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);
