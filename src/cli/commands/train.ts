import { UsageError } from '../args';
import { SINE_ALGORITHMS } from '../../engine/algorithms/sineConfig';
import { SINE_TRAIN_USAGE, trainSine } from './trainSine';
import { OMNIGLOT_TRAIN_USAGE, taskOf, trainOmniglot } from './trainOmniglot';
import { OMNIGLOT_ALGORITHMS, type OmniglotAlgorithm } from '../../engine/algorithms/omniglotFamily';

const isOmniglotAlgorithm = (a: string): a is OmniglotAlgorithm => (OMNIGLOT_ALGORITHMS as readonly string[]).includes(a);
import { COPY_TRAIN_USAGE, MANN_TRAIN_USAGE, trainCopy, trainMann } from './trainMemory';
import { METRIC_METHODS } from '../../engine/algorithms/metric/types';
import { METRIC_TRAIN_USAGE, trainMetric } from './metricTrain';
import { ZERO_SHOT_TRAIN_USAGE, trainZeroShotCommand } from './trainZeroShot';

/**
 * `metaplay train <algorithm> …`: each algorithm family registers its trainer here.
 * A family's file parses its own flags (strictly) and prints its own JSON result.
 */
type TrainTarget = { usage: string; run: (argv: string[]) => Promise<number> };

export const TRAIN_TARGETS: Record<string, TrainTarget> = {
  // The gradient-based family (issue #6) on sine (maml, pretrain, fomaml, reptile, metasgd, caml, maml-ga,
  // reptile-ga, taml, daml) and, with --task omniglot, on character episodes (maml, fomaml, reptile, metasgd,
  // taml, adml, maml-ga, reptile-ga, taml-ineq, caml, daml: the entropy TAML is `taml` there, the inequality one `taml-ineq`).
  ...Object.fromEntries(
    SINE_ALGORITHMS.map((a): [string, TrainTarget] => [
      a,
      { usage: SINE_TRAIN_USAGE, run: (argv) => (taskOf(argv) === 'omniglot' && isOmniglotAlgorithm(a) ? trainOmniglot(a, argv) : trainSine(a, argv)) },
    ]),
  ),
  adml: { usage: OMNIGLOT_TRAIN_USAGE, run: (argv) => trainOmniglot('adml', argv) },
  'taml-ineq': { usage: OMNIGLOT_TRAIN_USAGE, run: (argv) => trainOmniglot('taml-ineq', argv) },
  ntm: { usage: COPY_TRAIN_USAGE, run: (argv) => trainCopy('ntm', argv) },
  lstm: { usage: COPY_TRAIN_USAGE, run: (argv) => trainCopy('lstm', argv) },
  mann: { usage: MANN_TRAIN_USAGE, run: trainMann },
  // The metric-based family (issue #5) on character episodes.
  ...Object.fromEntries(METRIC_METHODS.map((m): [string, TrainTarget] => [m, { usage: METRIC_TRAIN_USAGE, run: (argv) => trainMetric(m, argv) }])),
  'relation-zero-shot': { usage: ZERO_SHOT_TRAIN_USAGE, run: trainZeroShotCommand },
};

export async function trainCommand(argv: string[]): Promise<number> {
  const [algorithm, ...rest] = argv;
  if (!algorithm || algorithm.startsWith('-'))
    throw new UsageError(`train needs an algorithm: one of ${Object.keys(TRAIN_TARGETS).join(', ')}`);
  const target = TRAIN_TARGETS[algorithm];
  if (!target) throw new UsageError(`unknown algorithm "${algorithm}"; choose one of ${Object.keys(TRAIN_TARGETS).join(', ')}`);
  return target.run(rest);
}
