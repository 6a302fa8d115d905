import { COPY_MODELS, COPY_PRESETS, COPY_PRESET_CONFIGS } from '../../engine/algorithms/copyConfig';
import { MANN_PRESETS, MANN_PRESET_CONFIGS } from '../../engine/algorithms/mannConfig';
import type { CopySettings, MannSettings, MemoryTask } from '../../worker/memoryProtocol';

/**
 * The memory lab's URL parameters: name in the hash, default and validation. The hash is the
 * single source of truth for what a shared link reproduces.
 */
// Method syntax (bivariant), so a Field<"a" | "b"> is also a Field<unknown>.
type Field<T> = { param: string; fallback: T; parse(raw: string): T | null; show(v: T): string };

const num = (min: number, max: number, integer = false) => (raw: string) => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) return null;
  return n;
};
const choice = <C extends string>(choices: readonly C[]) => (raw: string) => ((choices as readonly string[]).includes(raw) ? (raw as C) : null);
const showNum = (v: number) => String(v);
const showStr = (v: string) => v;
const small = COPY_PRESET_CONFIGS.small;

export const MAX_PATTERN_LENGTH = 40;

export const MEMORY_FIELDS: { [K in keyof CopySettings]: Field<CopySettings[K]> } = {
  model: { param: 'model', fallback: 'ntm', parse: choice(COPY_MODELS), show: showStr },
  preset: { param: 'preset', fallback: 'small', parse: choice(COPY_PRESETS), show: showStr },
  controller: { param: 'controller', fallback: small.controller, parse: choice(['lstm', 'ff'] as const), show: showStr },
  maxLength: { param: 'L', fallback: small.maxLength, parse: num(1, 20, true), show: showNum },
  lr: { param: 'lr', fallback: small.lr, parse: num(1e-6, 0.1), show: showNum },
  batch: { param: 'batch', fallback: small.batch, parse: num(1, 64, true), show: showNum },
  seed: { param: 'seed', fallback: 0, parse: num(0, 2 ** 32 - 1, true), show: showNum },
};

const mannSmall = MANN_PRESET_CONFIGS.small;

/** The MANN's parameters (prefixed, so one link can hold both tasks' settings). */
export const MANN_FIELDS: { [K in keyof MannSettings]: Field<MannSettings[K]> } = {
  preset: { param: 'mannPreset', fallback: 'small', parse: choice(MANN_PRESETS), show: showStr },
  lr: { param: 'mannLr', fallback: mannSmall.lr, parse: num(1e-6, 0.1), show: showNum },
  batch: { param: 'mannBatch', fallback: 4, parse: num(1, 64, true), show: showNum },
  seed: { param: 'mannSeed', fallback: 0, parse: num(0, 2 ** 32 - 1, true), show: showNum },
};

const TASK_FIELD: Field<MemoryTask> = { param: 'task', fallback: 'copy', parse: choice(['copy', 'omniglot'] as const), show: showStr };

const defaults = <T>(fields: Record<string, Field<unknown>>) => Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.fallback])) as T;
export const DEFAULT_MEMORY_SETTINGS: CopySettings = defaults<CopySettings>(MEMORY_FIELDS);
export const DEFAULT_MANN_SETTINGS: MannSettings = defaults<MannSettings>(MANN_FIELDS);

function read<T>(fields: Record<string, Field<unknown>>, params: URLSearchParams, invalid: string[]): T {
  const out = {} as Record<string, unknown>;
  for (const [key, f] of Object.entries(fields)) {
    const raw = params.get(f.param);
    const parsed = raw === null ? null : f.parse(raw);
    if (raw !== null && parsed === null) invalid.push(f.param);
    out[key] = parsed ?? f.fallback;
  }
  return out as T;
}

export interface MemoryLink {
  task: MemoryTask;
  settings: CopySettings;
  mann: MannSettings;
  /** URL parameter names whose values were invalid and replaced by defaults. */
  invalid: string[];
}

export function parseMemoryLink(params: URLSearchParams): MemoryLink {
  const invalid: string[] = [];
  const { task } = read<{ task: MemoryTask }>({ task: TASK_FIELD as Field<unknown> }, params, invalid);
  const settings = read<CopySettings>(MEMORY_FIELDS, params, invalid);
  const mann = read<MannSettings>(MANN_FIELDS, params, invalid);
  return { task, settings, mann, invalid };
}

/** The link of the task on screen: its own settings only. */
export function memoryLinkParams(task: MemoryTask, copy: CopySettings, mann: MannSettings): URLSearchParams {
  const p = new URLSearchParams();
  p.set(TASK_FIELD.param, task);
  const [fields, values] = task === 'copy' ? [MEMORY_FIELDS as Record<string, Field<unknown>>, copy as unknown as Record<string, unknown>] : [MANN_FIELDS as Record<string, Field<unknown>>, mann as unknown as Record<string, unknown>];
  for (const [key, f] of Object.entries(fields)) p.set(f.param, f.show(values[key]));
  return p;
}
