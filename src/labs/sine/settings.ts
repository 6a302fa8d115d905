import { DEFAULT_SINE_CONFIG, INEQUALITY_MEASURES, INNER_OPTIMIZERS, REPTILE_MODES, SINE_ALGORITHMS } from '../../engine/algorithms/sineConfig';
import { SINE_RANGES, type SineTask } from '../../engine/tasks/sine';
import type { SineLabAlgorithm, SineSettings } from '../../worker/sineProtocol';

/**
 * One typed table of the lab's URL parameters: name in the hash, default, and validation.
 * The hash is the single source of truth for what a shared link reproduces.
 */
type Field<T> = { param: string; fallback: T; parse: (raw: string) => T | null; show: (v: T) => string };

const num = (min: number, max: number, integer = false) => (raw: string) => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) return null;
  return n;
};
const bool = (raw: string) => (raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : null);
const showNum = (v: number) => String(v);
const choice =
  <C extends string>(options: readonly C[]) =>
  (raw: string): C | null =>
    options.includes(raw as C) ? (raw as C) : null;
const showText = <C extends string>(v: C) => v;

/** The algorithms the first model can train, in the order the selector lists them. */
export const LAB_ALGORITHMS = SINE_ALGORITHMS.filter((a): a is SineLabAlgorithm => a !== 'pretrain');

export const SETTINGS_FIELDS: { [K in keyof SineSettings]: Field<SineSettings[K]> } = {
  algorithm: { param: 'alg', fallback: 'maml', parse: choice(LAB_ALGORITHMS), show: showText },
  k: { param: 'k', fallback: DEFAULT_SINE_CONFIG.k, parse: num(1, 100, true), show: showNum },
  alpha: { param: 'alpha', fallback: DEFAULT_SINE_CONFIG.alpha, parse: num(0, 100), show: showNum },
  innerSteps: { param: 'inner', fallback: DEFAULT_SINE_CONFIG.innerSteps, parse: num(1, 5, true), show: showNum },
  metaLr: { param: 'metaLr', fallback: DEFAULT_SINE_CONFIG.metaLr, parse: num(1e-6, 1), show: showNum },
  metaBatch: { param: 'metaBatch', fallback: DEFAULT_SINE_CONFIG.metaBatch, parse: num(1, 100, true), show: showNum },
  firstOrder: { param: 'firstOrder', fallback: DEFAULT_SINE_CONFIG.firstOrder, parse: bool, show: (v) => (v ? '1' : '0') },
  seed: { param: 'seed', fallback: DEFAULT_SINE_CONFIG.seed, parse: num(0, 2 ** 32 - 1, true), show: showNum },
  epsilon: { param: 'eps', fallback: DEFAULT_SINE_CONFIG.epsilon, parse: num(0, 2), show: showNum },
  reptileMode: { param: 'reptile', fallback: DEFAULT_SINE_CONFIG.reptileMode, parse: choice(REPTILE_MODES), show: showText },
  innerOptimizer: { param: 'innerOpt', fallback: DEFAULT_SINE_CONFIG.innerOptimizer, parse: choice(INNER_OPTIMIZERS), show: showText },
  contextAlpha: { param: 'ctxAlpha', fallback: DEFAULT_SINE_CONFIG.contextAlpha, parse: num(0, 100), show: showNum },
  tamlLambda: { param: 'lambda', fallback: DEFAULT_SINE_CONFIG.tamlLambda, parse: num(0, 10), show: showNum },
  tamlMeasure: { param: 'measure', fallback: DEFAULT_SINE_CONFIG.tamlMeasure, parse: choice(INEQUALITY_MEASURES), show: showText },
};

export const TASK_FIELDS: { [K in keyof SineTask]: Field<number> } = {
  amplitude: { param: 'amp', fallback: 3, parse: num(SINE_RANGES.amplitude[0], SINE_RANGES.amplitude[1]), show: (v) => v.toFixed(2) },
  phase: { param: 'phase', fallback: 1, parse: num(SINE_RANGES.phase[0], SINE_RANGES.phase[1]), show: (v) => v.toFixed(2) },
};

export const DEFAULT_SETTINGS: SineSettings = Object.fromEntries(
  Object.entries(SETTINGS_FIELDS).map(([k, f]) => [k, f.fallback]),
) as unknown as SineSettings;

export interface ParsedLink {
  settings: SineSettings;
  task: SineTask;
  /** URL parameter names whose values were invalid and replaced by defaults. */
  invalid: string[];
}

function read<T extends object>(fields: { [K in keyof T]: Field<T[K]> }, params: URLSearchParams, invalid: string[]): T {
  const out = {} as T;
  for (const key of Object.keys(fields) as (keyof T)[]) {
    const f = fields[key];
    const raw = params.get(f.param);
    const parsed = raw === null ? null : f.parse(raw);
    if (raw !== null && parsed === null) invalid.push(f.param);
    out[key] = parsed ?? f.fallback;
  }
  return out;
}

export function parseLink(params: URLSearchParams): ParsedLink {
  const invalid: string[] = [];
  const settings = read<SineSettings>(SETTINGS_FIELDS, params, invalid);
  const task = read<SineTask>(TASK_FIELDS, params, invalid);
  return { settings, task, invalid };
}

export function toLinkParams(settings: SineSettings, task: SineTask): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of Object.keys(SETTINGS_FIELDS) as (keyof SineSettings)[]) {
    const f = SETTINGS_FIELDS[key] as Field<unknown>;
    p.set(f.param, f.show(settings[key]));
  }
  p.set(TASK_FIELDS.amplitude.param, TASK_FIELDS.amplitude.show(task.amplitude));
  p.set(TASK_FIELDS.phase.param, TASK_FIELDS.phase.show(task.phase));
  return p;
}
