import { COPY_SCHEMA } from '../algorithms/copyConfig';
import { MANN_SCHEMA } from '../algorithms/mannConfig';
import { OMNIGLOT_SCHEMA } from '../algorithms/omniglotConfig';
import { LSTM_OPTIMIZER_SCHEMA } from '../algorithms/optimizers/config';
import { SINE_SCHEMA } from '../algorithms/sineConfig';
import { CheckpointError, parseCheckpoint as parseCheckpointFile, type Checkpoint } from '../core/checkpoint';
import { checkpointConfigProblem } from '../settings/checkpointConfig';
import { METRIC_FIELDS } from '../settings/metric';
import type { Schema } from '../settings/schema';

/**
 * The schema that declares the settings in a checkpoint's config, by the checkpoint's task (and
 * algorithm, where a task hosts several families): what the trainers save under `task`.
 */
function configSchema(task: string, algorithm: string): Schema | null {
  if (task === 'sine') return SINE_SCHEMA;
  if (task === 'copy') return COPY_SCHEMA;
  if (task === 'omniglot') return algorithm === 'mann' ? MANN_SCHEMA : OMNIGLOT_SCHEMA;
  if (task === 'quadratic') return LSTM_OPTIMIZER_SCHEMA;
  // The metric family's checkpoints (METRIC_CHECKPOINT_TASK).
  if (task === 'characters') return METRIC_FIELDS;
  return null;
}

/**
 * Parses a checkpoint file (core's parseCheckpoint: format, version, shapes within limits, data)
 * and checks its config's settings against their declared ranges, so a file asking for an absurd
 * size is refused, naming the setting, before a model is built from it. Throws CheckpointError.
 */
export function parseCheckpoint(text: string): Checkpoint {
  const c = parseCheckpointFile(text);
  const schema = configSchema(c.task, c.algorithm);
  const problem = schema && checkpointConfigProblem(schema, c.config);
  if (problem) throw new CheckpointError(`This ${c.algorithm} checkpoint cannot be loaded: ${problem}.`);
  return c;
}
