import { UsageError } from '../args';
import { SINE_TRAIN_USAGE, trainSine } from './trainSine';

/**
 * `metaplay train <algorithm> …`: each algorithm family registers its trainer here.
 * A family's file parses its own flags (strictly) and prints its own JSON result.
 */
type TrainTarget = { usage: string; run: (argv: string[]) => Promise<number> };

export const TRAIN_TARGETS: Record<string, TrainTarget> = {
  maml: { usage: SINE_TRAIN_USAGE, run: (argv) => trainSine('maml', argv) },
  pretrain: { usage: SINE_TRAIN_USAGE, run: (argv) => trainSine('pretrain', argv) },
};

export async function trainCommand(argv: string[]): Promise<number> {
  const [algorithm, ...rest] = argv;
  if (!algorithm || algorithm.startsWith('-'))
    throw new UsageError(`train needs an algorithm: one of ${Object.keys(TRAIN_TARGETS).join(', ')}`);
  const target = TRAIN_TARGETS[algorithm];
  if (!target) throw new UsageError(`unknown algorithm "${algorithm}"; choose one of ${Object.keys(TRAIN_TARGETS).join(', ')}`);
  return target.run(rest);
}
