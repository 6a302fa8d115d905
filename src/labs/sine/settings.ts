import { SINE_LAB_ALGORITHMS, SINE_LAB_SCHEMA, type SineSettings } from '../../engine/algorithms/sineConfig';
import { defaultsOf, defineSettings, readLink, writeLink } from '../../engine/settings/schema';
import { SINE_RANGES, type SineTask } from '../../engine/tasks/sine';

/**
 * The sine lab's link: its settings (the engine's sine schema, SINE_LAB_SCHEMA) and the task on
 * screen. The hash is the single source of truth for what a shared link reproduces.
 */

/** The algorithms the first model can train, in the order the selector lists them. */
export const LAB_ALGORITHMS = SINE_LAB_ALGORITHMS;

/** The task drawn on the page: not a training setting, so it lives with the page. */
export const TASK_SCHEMA = defineSettings({
  amplitude: { kind: 'number', default: 3, min: SINE_RANGES.amplitude[0], max: SINE_RANGES.amplitude[1], round: 2, url: 'amp', cli: false, help: 'amplitude', retrain: false },
  phase: { kind: 'number', default: 1, min: SINE_RANGES.phase[0], max: SINE_RANGES.phase[1], round: 2, url: 'phase', cli: false, help: 'phase', retrain: false },
});

export const DEFAULT_SETTINGS: SineSettings = defaultsOf(SINE_LAB_SCHEMA);

export interface ParsedLink {
  settings: SineSettings;
  task: SineTask;
  /** URL parameter names whose values were invalid and replaced by defaults. */
  invalid: string[];
}

export function parseLink(params: URLSearchParams): ParsedLink {
  const settings = readLink(SINE_LAB_SCHEMA, params);
  const task = readLink(TASK_SCHEMA, params);
  return { settings: settings.settings, task: task.settings, invalid: [...settings.invalid, ...task.invalid] };
}

export function toLinkParams(settings: SineSettings, task: SineTask): URLSearchParams {
  return writeLink(TASK_SCHEMA, task, writeLink(SINE_LAB_SCHEMA, settings));
}
