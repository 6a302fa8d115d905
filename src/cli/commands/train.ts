import { UsageError } from '../args';
import { findMethod, methodIds } from '../../engine/methods/registry';
import type { MethodDescriptor, MethodFamily } from '../../engine/settings/method';
import type { SineAlgorithm } from '../../engine/algorithms/sineConfig';
import type { OmniglotAlgorithm } from '../../engine/algorithms/omniglotFamily';
import type { CopyModel } from '../../engine/algorithms/copyConfig';
import type { MetricMethod } from '../../engine/algorithms/metric/types';
import { SINE_TRAIN_USAGE, trainSine } from './trainSine';
import { OMNIGLOT_TRAIN_USAGE, taskOf, trainOmniglot } from './trainOmniglot';
import { COPY_TRAIN_USAGE, MANN_TRAIN_USAGE, trainCopy, trainMann } from './trainMemory';
import { METRIC_TRAIN_USAGE, trainMetric } from './metricTrain';
import { ZERO_SHOT_TRAIN_USAGE, trainZeroShotCommand } from './trainZeroShot';
import { LSTM_OPTIMIZER_TRAIN_USAGE, trainLstmOptimizer } from './trainLstmOptimizer';

/**
 * `metaplay train <algorithm> …`: the targets are the method registry's algorithms; each family
 * has one runner here, which parses its own flags (strictly) and prints its own JSON result. A
 * family missing from RUNNERS is a compile error; an algorithm needs no line here.
 */
type TrainTarget = { usage: string; run: (argv: string[]) => Promise<number> };

const RUNNERS: Record<MethodFamily, (d: MethodDescriptor) => TrainTarget> = {
  sine: (d) => ({ usage: SINE_TRAIN_USAGE, run: (argv) => trainSine(d.id as SineAlgorithm, argv) }),
  episodes: (d) => ({ usage: OMNIGLOT_TRAIN_USAGE, run: (argv) => trainOmniglot(d.id as OmniglotAlgorithm, argv) }),
  memory: (d) => (d.task === 'copy' ? { usage: COPY_TRAIN_USAGE, run: (argv) => trainCopy(d.id as CopyModel, argv) } : { usage: MANN_TRAIN_USAGE, run: trainMann }),
  metric: (d) => ({ usage: METRIC_TRAIN_USAGE, run: (argv) => trainMetric(d.id as MetricMethod, argv) }),
  'zero-shot': () => ({ usage: ZERO_SHOT_TRAIN_USAGE, run: trainZeroShotCommand }),
  optimizer: () => ({ usage: LSTM_OPTIMIZER_TRAIN_USAGE, run: trainLstmOptimizer }),
};

const targetOf = (d: MethodDescriptor) => RUNNERS[d.family](d);

/**
 * One target per algorithm name. Its usage is its default family's; `--task` picks the family
 * that runs it (maml on sine by default, on character episodes with `--task omniglot`).
 */
export const TRAIN_TARGETS: Record<string, TrainTarget> = Object.fromEntries(
  methodIds().map((id): [string, TrainTarget] => [id, { usage: targetOf(findMethod(id)!).usage, run: (argv) => targetOf(findMethod(id, taskOf(argv))!).run(argv) }]),
);

export async function trainCommand(argv: string[]): Promise<number> {
  const [algorithm, ...rest] = argv;
  if (!algorithm || algorithm.startsWith('-'))
    throw new UsageError(`train needs an algorithm: one of ${Object.keys(TRAIN_TARGETS).join(', ')}`);
  const target = TRAIN_TARGETS[algorithm];
  if (!target) throw new UsageError(`unknown algorithm "${algorithm}"; choose one of ${Object.keys(TRAIN_TARGETS).join(', ')}`);
  return target.run(rest);
}
