import { readFileSync } from 'node:fs';
import type { Checkpoint } from '../engine/core/checkpoint';
import { parseCheckpoint } from '../engine/methods/checkpoint';
import { UsageError } from './args';

/**
 * Reads the checkpoint file a flag names (--load, --init, --checkpoint): the engine's checks of the
 * file and of its settings' ranges, then `accept`, which refuses it (throws, e.g. a CheckpointError
 * saying what it holds instead) or reads it as the command's model. Any problem is the user's:
 * "cannot load FILE: why", exit code 2.
 */
export function readCheckpointFile<T = Checkpoint>(path: string, accept: (c: Checkpoint) => T = (c) => c as T): T {
  try {
    return accept(parseCheckpoint(readFileSync(path, 'utf8')));
  } catch (e) {
    throw new UsageError(`cannot load ${path}: ${(e as Error).message}`);
  }
}

/**
 * Builds a trainer; when it starts from the checkpoint file `path`, parameters that do not fit it
 * are a usage error naming the file (and `hint`). Without a file, an error is a bug and propagates.
 */
export function withLoaded<T>(path: string | undefined, make: () => T, hint = ''): T {
  if (path === undefined) return make();
  try {
    return make();
  } catch (e) {
    throw new UsageError(`cannot load ${path}: ${(e as Error).message}${hint}`);
  }
}
