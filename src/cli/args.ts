import { parseArgs } from 'node:util';

/** A mistake in the command line: reported with a clear message and exit code 2. */
export class UsageError extends Error {}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** Strict flag parsing: unknown flags, missing values and arguments that are not flags are usage errors. */
export function parseFlags<T extends FlagSpec>(argv: string[], spec: T) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  return { values: parsed.values };
}

/** Reads a numeric flag, checking it is a number in [min, max] (and an integer when asked). */
export function numberFlag(
  values: Record<string, unknown>,
  name: string,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} needs a number, got "${String(raw)}"`);
  if (range.integer && !Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number, got ${raw}`);
  if (range.min !== undefined && n < range.min) throw new UsageError(`--${name} must be at least ${range.min}, got ${raw}`);
  if (range.max !== undefined && n > range.max) throw new UsageError(`--${name} must be at most ${range.max}, got ${raw}`);
  return n;
}

export function choiceFlag<C extends string>(values: Record<string, unknown>, name: string, choices: readonly C[], fallback: C): C {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!choices.includes(raw as C)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got "${String(raw)}"`);
  return raw as C;
}

/**
 * The flags of every `metaplay train` runner of a trainer family beside its schema's settings
 * (the seed is a setting): --task, --steps, --backend, --save, --load, --json.
 */
export const TRAIN_RUN_FLAGS = {
  task: { type: 'string' },
  steps: { type: 'string' },
  backend: { type: 'string' },
  save: { type: 'string' },
  load: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies FlagSpec;

/** How usage text lists a schema's flags: the continuation lines of a command's usage. */
export const USAGE_WRAP = { width: 96, indent: '    ' };

/** Progress and notes go to stderr so that stdout's last line stays the JSON result. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}
