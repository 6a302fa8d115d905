import { DEFAULT_ZERO_SHOT, ZERO_SHOT_SCHEMA, trainZeroShot } from '../../engine/algorithms/metric/zeroShot';
import { cliSpec, cliUsage, readCli } from '../../engine/settings/schema';
import { choiceFlag, numberFlag, parseFlags, progress, UsageError, USAGE_WRAP } from '../args';
import { NODE_BACKENDS, selectNodeBackend } from '../nodeBackend';

/** The run's own flags; the network's and the task's come from the zero-shot schema. */
const FLAGS = {
  episodes: { type: 'string' },
  ...cliSpec(ZERO_SHOT_SCHEMA),
  'eval-ways': { type: 'string' },
  'eval-episodes': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const ZERO_SHOT_TRAIN_USAGE = `metaplay train relation-zero-shot [--episodes E]
${cliUsage(ZERO_SHOT_SCHEMA, USAGE_WRAP)}
    [--eval-ways N] [--eval-episodes E] [--backend wasm|cpu] [--json]
    (zero-shot relation network on the synthetic attribute task; accuracy on held-out classes)`;

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** `metaplay train relation-zero-shot`: trains on the training classes, reports accuracy on disjoint held-out classes. */
export async function trainZeroShotCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  const cfg = readCli(ZERO_SHOT_SCHEMA, values, DEFAULT_ZERO_SHOT);
  const episodes = numberFlag(values, 'episodes', 600, { min: 0, max: 10_000_000, integer: true });
  const evalWays = numberFlag(values, 'eval-ways', 5, { min: 2, max: 1000, integer: true });
  const evalEpisodes = numberFlag(values, 'eval-episodes', 200, { min: 1, max: 100_000, integer: true });
  if (2 ** cfg.attributes < cfg.trainClasses + cfg.testClasses) throw new UsageError(`${cfg.attributes} binary attributes cannot describe ${cfg.trainClasses + cfg.testClasses} distinct classes`);
  if (cfg.ways > cfg.trainClasses) throw new UsageError(`--ways ${cfg.ways} exceeds --train-classes ${cfg.trainClasses}`);
  if (evalWays > cfg.testClasses || evalWays > cfg.trainClasses) throw new UsageError(`--eval-ways ${evalWays} exceeds the held-out or training classes`);
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'wasm');
  await selectNodeBackend(backend);
  progress(
    `training the zero-shot relation network: ${cfg.trainClasses} training classes, ${cfg.testClasses} held-out, ${cfg.attributes} attributes, ${cfg.ways}-way episodes, ${episodes} episodes, backend ${backend}`,
  );
  let avg = NaN;
  const r = trainZeroShot(cfg, episodes, evalWays, evalEpisodes, (s, loss) => {
    avg = Number.isNaN(avg) ? loss : 0.95 * avg + 0.05 * loss;
    if (s % 100 === 0 || s === episodes) progress(`episode ${s}/${episodes}  loss ${avg.toFixed(4)}`);
  });
  const result = {
    method: 'relation-zero-shot',
    ...cfg,
    episodes,
    backend,
    seconds: round(r.seconds, 1),
    final_loss: episodes > 0 ? round(avg, 4) : null,
    eval_ways: evalWays,
    eval_episodes: evalEpisodes,
    chance: round(r.heldOut.chance, 4),
    accuracy: round(r.heldOut.accuracy, 4),
    ci95: round(r.heldOut.ci95, 4),
    seen_accuracy: round(r.seen.accuracy, 4),
    seen_ci95: round(r.seen.ci95, 4),
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${evalWays}-way accuracy on held-out classes: ${(100 * result.accuracy).toFixed(1)}% ± ${(100 * result.ci95).toFixed(1)}% (chance ${(100 * result.chance).toFixed(0)}%)`);
    console.log(`on training classes: ${(100 * result.seen_accuracy).toFixed(1)}% ± ${(100 * result.seen_ci95).toFixed(1)}%`);
  }
  return 0;
}
