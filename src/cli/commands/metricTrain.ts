import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { METRIC_METHODS, metricConfigFor } from '../../engine/algorithms/metric/registry';
import { METRIC_FIELDS } from '../../engine/settings/metric';
import { cliSpec, cliUsage, readCli, type SettingsOf } from '../../engine/settings/schema';
import { MetricTrainer } from '../../engine/algorithms/metric/trainer';
import { METRIC_BASELINES, type MetricConfig, type MetricEval, type MetricMethod } from '../../engine/algorithms/metric/types';
import { BASELINE_IMAGE_SIZE, evaluateBaseline } from '../../engine/algorithms/metric/baselines';
import { EpisodeError, EpisodeSampler, IMAGE_SIZE } from '../../engine/tasks/characters';
import { choiceFlag, numberFlag, parseFlags, progress, USAGE_WRAP, UsageError } from '../args';
import { readCheckpointFile } from '../checkpointFile';
import { NODE_BACKENDS, selectNodeBackend } from '../nodeBackend';
import { keepAlphabets, loadEvalData, loadMetricData } from './metricData';

/** Flags of the run, beside the settings flags that the metric schema declares (engine/settings/metric.ts). */
const RUN_FLAGS = {
  'max-seconds': { type: 'string' },
  init: { type: 'string' },
  data: { type: 'string', multiple: true },
  'eval-data': { type: 'string', multiple: true },
  'no-rotate': { type: 'boolean' },
  'eval-ways': { type: 'string' },
  'eval-shots': { type: 'string' },
  'eval-episodes': { type: 'string' },
  'within-alphabet': { type: 'boolean' },
  backend: { type: 'string' },
  save: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const METRIC_TRAIN_USAGE = `metaplay train <${METRIC_METHODS.join('|')}>
    [--data ZIP_OR_FOLDER …] (default: synthetic alphabets) [--eval-data ZIP_OR_FOLDER …] (evaluate on its alphabets not in --data) [--no-rotate]
      (without --eval-data: the evaluation split of --data, or else the last third of its alphabets by name, held out)
${cliUsage(METRIC_FIELDS, USAGE_WRAP)}
    [--max-seconds T] (stop training early) [--init CHECKPOINT] (continue from its weights)
    [--eval-ways N] [--eval-shots K] [--eval-episodes E] [--within-alphabet] [--backend wasm|cpu] [--save FILE] [--json]
  A flag followed by (methods) only applies to those; --no-scale: the paper's unscaled cosines.`;

/** Config fields that shape a method's parameters: an --init checkpoint must agree on them. */
const MODEL_FIELDS = ['width', 'covariance', 'transform', 'semiVariant', 'fce', 'cosineScale'] as const satisfies readonly (keyof MetricConfig)[];

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The method's config and the number of training episodes from the flags, validated by the schema
 * (a method-specific flag for another method is refused) on top of the method's defaults.
 */
function configFromFlags(method: MetricMethod, values: Record<string, unknown>): { cfg: MetricConfig; episodes: number } {
  // The CLI's width is any whole number (cliRange): the schema's page type is widened here, as in MetricConfig.
  const base = { ...metricConfigFor(method), episodes: 1000, source: 'synthetic' } as MetricConfig & SettingsOf<typeof METRIC_FIELDS>;
  const { episodes, source: _source, ...cfg } = readCli(METRIC_FIELDS, values, base, method);
  return { cfg: metricConfigFor(method, cfg), episodes };
}

function sampler(...args: ConstructorParameters<typeof EpisodeSampler>): EpisodeSampler {
  try {
    return new EpisodeSampler(...args);
  } catch (e) {
    if (e instanceof EpisodeError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * `metaplay train <metric method>`: episodic training of one method of the metric family on
 * character episodes, then accuracy ± ci95 on episodes of alphabets never seen in training.
 */
export async function trainMetric(method: MetricMethod, argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { ...cliSpec(METRIC_FIELDS), ...RUN_FLAGS });
  const { cfg, episodes } = configFromFlags(method, values);
  const maxSeconds = numberFlag(values, 'max-seconds', Infinity, { min: 1 });
  const evalWays = numberFlag(values, 'eval-ways', 5, { min: 2, max: 100, integer: true });
  const evalShots = numberFlag(values, 'eval-shots', cfg.shots, { min: 1, max: 19, integer: true });
  const evalEpisodes = numberFlag(values, 'eval-episodes', 200, { min: 1, max: 100_000, integer: true });
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'wasm');
  const data = loadMetricData(values.data ?? [], values['eval-data'] ?? [], values.data !== undefined && values['no-rotate'] !== true);
  await selectNodeBackend(backend);
  let trainer: MetricTrainer;
  const init = values.init !== undefined ? loadMetricCheckpoint(values.init).trainer : null;
  if (init && init.cfg.method !== method) throw new UsageError(`--init holds a ${init.cfg.method} checkpoint, not ${method}`);
  try {
    trainer = new MetricTrainer(cfg, init?.params());
  } catch (e) {
    if (!init) throw new UsageError((e as Error).message);
    // Name the model settings that differ, so the user knows which flags to give (e.g. --no-scale, --width).
    const differ = MODEL_FIELDS.filter((k) => init.cfg[k] !== cfg[k]).map((k) => `${k} ${String(init.cfg[k])} (here ${String(cfg[k])})`);
    throw new UsageError(`--init does not fit these settings: ${(e as Error).message}${differ.length ? `; the checkpoint has ${differ.join(', ')}` : ''}`);
  } finally {
    init?.dispose();
  }
  if (init) trainer.steps = init.steps;
  const train = sampler(data.train, { ...trainer.episodeSpec(), split: data.trainSplit }, cfg.seed);
  // No evaluation alphabet (one alphabet given, none held out): train, and say there is nothing to evaluate on.
  const evaluation =
    data.evalAlphabets.length > 0
      ? sampler(data.evaluation, { ...trainer.episodeSpec(evalWays, evalShots, 5), split: 'evaluation', mode: values['within-alphabet'] ? 'within' : 'between' }, cfg.seed + 1)
      : null;
  progress(
    `training ${method} on ${cfg.ways}-way ${cfg.shots}-shot ${cfg.queries}-query episodes (${data.source}: ${data.trainAlphabets.length} alphabets, ${train.pool.length} classes): ${episodes} episodes, width ${cfg.width}, backend ${backend}, seed ${cfg.seed}`,
  );
  const t0 = performance.now();
  let lossAvg = NaN;
  let accAvg = NaN;
  let done = 0;
  for (let s = 1; s <= episodes; s++) {
    const r = trainer.step(train.next());
    const [loss, acc] = [r.loss.dataSync()[0], r.accuracy.dataSync()[0]];
    tf.dispose([r.loss, r.accuracy]);
    if (!Number.isFinite(loss)) {
      progress(`training diverged at episode ${s} (loss ${loss}); lower --lr`);
      trainer.dispose();
      return 1;
    }
    lossAvg = Number.isNaN(lossAvg) ? loss : 0.95 * lossAvg + 0.05 * loss;
    accAvg = Number.isNaN(accAvg) ? acc : 0.95 * accAvg + 0.05 * acc;
    if (s % 50 === 0 || s === episodes) {
      const el = (performance.now() - t0) / 1000;
      progress(`episode ${s}/${episodes}  loss ${lossAvg.toFixed(4)}  accuracy ${(100 * accAvg).toFixed(1)}%  ${el.toFixed(0)}s, ETA ${((el / s) * (episodes - s)).toFixed(0)}s`);
    }
    done = s;
    if ((performance.now() - t0) / 1000 > maxSeconds) {
      progress(`--max-seconds reached after ${s} episodes`);
      break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  if (evaluation) progress(`evaluating on ${evalEpisodes} ${evalWays}-way ${evalShots}-shot episodes of ${data.evalAlphabets.join(', ')}${data.heldOut ? ' (held out of --data)' : ''}`);
  else progress('no evaluation: --data holds one alphabet and no --eval-data was given');
  const t1 = performance.now();
  const ev = evaluation ? trainer.evaluate(evaluation, evalEpisodes) : null;
  const evalSeconds = (performance.now() - t1) / 1000;
  if (values.save !== undefined) {
    const c = trainer.checkpoint();
    c.config = { ...c.config, trainAlphabets: data.trainAlphabets, source: data.source };
    writeFileSync(values.save, JSON.stringify(c));
    progress(`saved checkpoint to ${values.save}`);
  }
  trainer.dispose();
  const result = {
    method,
    source: data.source,
    train_alphabets: data.trainAlphabets,
    eval_alphabets: data.evalAlphabets,
    eval_held_out: data.heldOut,
    episodes: done,
    ways: cfg.ways,
    shots: cfg.shots,
    queries: cfg.queries,
    width: cfg.width,
    seed: cfg.seed,
    backend: tf.getBackend(),
    train_seconds: round(seconds, 1),
    episodes_per_s: done > 0 ? round(done / seconds, 3) : 0,
    final_loss: done > 0 ? round(lossAvg, 4) : null,
    eval_ways: evalWays,
    eval_shots: evalShots,
    eval_episodes: ev ? evalEpisodes : 0,
    eval_seconds: round(evalSeconds, 1),
    within_alphabet: values['within-alphabet'] === true,
    accuracy: ev ? round(ev.accuracy, 4) : null,
    ci95: ev ? round(ev.ci95, 4) : null,
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${method}: ${done} ${cfg.ways}-way ${cfg.shots}-shot episodes in ${result.train_seconds}s`);
    if (ev) console.log(`${evalWays}-way ${evalShots}-shot accuracy on ${evalEpisodes} episodes of unseen alphabets: ${(100 * ev.accuracy).toFixed(1)}% ± ${(100 * ev.ci95).toFixed(1)}%`);
  }
  return 0;
}

const EVAL_FLAGS = {
  checkpoint: { type: 'string' },
  method: { type: 'string' },
  alphabets: { type: 'string' },
  data: { type: 'string', multiple: true },
  ways: { type: 'string' },
  shots: { type: 'string' },
  queries: { type: 'string' },
  'within-alphabet': { type: 'boolean' },
  episodes: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const METRIC_EVAL_USAGE = `metaplay eval (--checkpoint FILE | --method mhd|pixel-nn) [--data ZIP_OR_FOLDER …] [--alphabets A,B,…] [--ways N] [--shots K] [--queries Q] [--within-alphabet] [--episodes E] [--seed S] [--backend wasm|cpu] [--json]
  Few-shot accuracy ± ci95 of a metric-family checkpoint on classes never seen in training (alphabets of --data that the
  checkpoint was not trained on; synthetic evaluation alphabets by default). The baselines need no checkpoint;
  mhd compares the 105×105 images as Lake et al. (2015) did, pixel-nn the 28×28 ones. --alphabets keeps only the
  named alphabets.`;

/** Reads and rebuilds a metric checkpoint (--checkpoint, --init); a bad file is a usage error with the reason. */
export function loadMetricCheckpoint(path: string): { trainer: MetricTrainer; trainAlphabets: string[] | null } {
  return readCheckpointFile(path, (c) => {
    const list = c.config.trainAlphabets;
    const trainAlphabets = Array.isArray(list) && list.every((x) => typeof x === 'string') ? (list as string[]) : null;
    return { trainer: MetricTrainer.fromCheckpoint(c), trainAlphabets };
  });
}

export async function evalCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(METRIC_EVAL_USAGE);
    return 0;
  }
  const { values } = parseFlags(argv, EVAL_FLAGS);
  if ((values.checkpoint === undefined) === (values.method === undefined)) throw new UsageError('eval needs exactly one of --checkpoint FILE or --method mhd|pixel-nn');
  const baseline = values.method !== undefined ? choiceFlag(values, 'method', METRIC_BASELINES, 'mhd') : null;
  const ways = numberFlag(values, 'ways', 5, { min: 2, max: 100, integer: true });
  const shots = numberFlag(values, 'shots', 1, { min: 1, max: 19, integer: true });
  const queries = numberFlag(values, 'queries', 5, { min: 1, max: 19, integer: true });
  const episodes = numberFlag(values, 'episodes', 200, { min: 1, max: 100_000, integer: true });
  const seed = numberFlag(values, 'seed', 1, { min: 0, max: 2 ** 32 - 1, integer: true });
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'wasm');
  const loaded = values.checkpoint !== undefined ? loadMetricCheckpoint(values.checkpoint) : null;
  const imageSize = baseline ? BASELINE_IMAGE_SIZE[baseline] : IMAGE_SIZE;
  const data = loadEvalData(values.data ?? [], loaded ? loaded.trainAlphabets : [], imageSize);
  if (values.alphabets !== undefined) {
    const wanted = new Set(values.alphabets.split(',').map((a) => a.trim()));
    const missing = [...wanted].filter((a) => !data.alphabets.includes(a));
    if (missing.length > 0) throw new UsageError(`--alphabets: ${missing.join(', ')} not among the evaluation alphabets (${data.alphabets.join(', ')})`);
    data.evaluation = keepAlphabets(data.evaluation, (n) => wanted.has(n));
    data.alphabets = data.alphabets.filter((a) => wanted.has(a));
  }
  const method = loaded ? loaded.trainer.cfg.method : baseline!;
  const spec = loaded ? loaded.trainer.episodeSpec(ways, shots, queries) : { nWay: ways, kShot: shots, qQuery: queries };
  const s = sampler(data.evaluation, { ...spec, split: 'evaluation', mode: values['within-alphabet'] ? 'within' : 'between' }, seed);
  progress(`evaluating ${method} on ${episodes} ${ways}-way ${shots}-shot episodes (${imageSize}×${imageSize} images) of ${data.alphabets.join(', ')}`);
  let ev: MetricEval;
  let seconds: number;
  if (loaded) {
    await selectNodeBackend(backend);
    const t0 = performance.now();
    ev = loaded.trainer.evaluate(s, episodes);
    seconds = (performance.now() - t0) / 1000;
    loaded.trainer.dispose();
  } else {
    const t0 = performance.now();
    ev = evaluateBaseline(baseline!, Array.from({ length: episodes }, () => s.next()));
    seconds = (performance.now() - t0) / 1000;
  }
  const result = {
    method,
    source: data.source,
    alphabets: data.alphabets,
    ways,
    shots,
    queries,
    episodes,
    within_alphabet: values['within-alphabet'] === true,
    image_size: imageSize,
    backend: loaded ? tf.getBackend() : 'js',
    eval_seconds: round(seconds, 1),
    accuracy: round(ev.accuracy, 4),
    ci95: round(ev.ci95, 4),
  };
  if (values.json) console.log(JSON.stringify(result));
  else console.log(`${method}: ${ways}-way ${shots}-shot accuracy ${(100 * ev.accuracy).toFixed(1)}% ± ${(100 * ev.ci95).toFixed(1)}% (${episodes} episodes)`);
  return 0;
}
