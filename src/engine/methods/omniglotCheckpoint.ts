import { OMNIGLOT_ALGORITHMS, OMNIGLOT_SCHEMA, omniglotConfigFor, type OmniglotAlgorithm, type OmniglotConfig } from '../algorithms/omniglotConfig';
import { CheckpointError, checkpointParams, type Checkpoint } from '../core/checkpoint';
import type { ParamValues } from '../core/params';

/**
 * The settings that shape the conv net's parameters (the head's classes, the filters, CAML's
 * context and FiLM block, DAML's adaptation network): a loaded checkpoint's values win, and a
 * setting asked for that differs is refused rather than silently ignored.
 */
const OMNIGLOT_MODEL_FIELDS = ['ways', 'width', 'contextSize', 'filmBlock', 'adaptHidden'] as const satisfies readonly (keyof OmniglotConfig)[];

export interface OmniglotCheckpoint {
  algorithm: OmniglotAlgorithm;
  /** The algorithm's defaults with the checkpoint's settings over them. */
  config: OmniglotConfig;
  params: ParamValues;
  step: number;
}

/**
 * A parsed checkpoint (methods/checkpoint.ts' parseCheckpoint, which has checked its settings
 * against their declared ranges) read as one of the gradient-based family's conv nets on
 * characters, as `metaplay train <algorithm> --task omniglot --save` writes it: its task and
 * algorithm, and its settings over the algorithm's defaults. `expected` is the
 * algorithm the caller trains. Whether the weights fit is checked when the trainer is built from
 * them. Throws CheckpointError with a reader-facing reason.
 */
export function readOmniglotCheckpoint(c: Checkpoint, expected?: OmniglotAlgorithm): OmniglotCheckpoint {
  const algorithm = OMNIGLOT_ALGORITHMS.find((a) => a === c.algorithm);
  if (c.task !== 'omniglot' || !algorithm) throw new CheckpointError(`it holds ${c.algorithm} trained on the "${c.task}" task, not a gradient-based conv net on characters (${OMNIGLOT_ALGORITHMS.join(', ')} on omniglot)`);
  if (expected && algorithm !== expected) throw new CheckpointError(`it holds a ${algorithm} model, not ${expected}`);
  const overrides: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(OMNIGLOT_SCHEMA)) {
    const v = c.config[key];
    // Numbers were range-checked by parseCheckpoint; a choice must be one of its choices; anything else keeps the default.
    if (f.kind === 'number' && typeof v === 'number') overrides[key] = v;
    else if (f.kind === 'choice' && (f.choices as readonly unknown[]).includes(v)) overrides[key] = v;
  }
  const init = c.config.metaSgdInit;
  if (Array.isArray(init) && init.length === 2 && init.every((x) => typeof x === 'number' && Number.isFinite(x))) overrides.metaSgdInit = [init[0], init[1]];
  return { algorithm, config: omniglotConfigFor(algorithm, overrides as Partial<OmniglotConfig>), params: checkpointParams(c), step: c.step };
}

/** The model settings in which `config` differs from a checkpoint's, as "width 32 (here 64)"; empty when they agree. */
export function modelFieldsDiffer(checkpoint: OmniglotConfig, config: OmniglotConfig): string[] {
  return OMNIGLOT_MODEL_FIELDS.filter((k) => checkpoint[k] !== config[k]).map((k) => `${k} ${String(checkpoint[k])} (here ${String(config[k])})`);
}
