import { COPY_SCHEMA, type CopySettings } from '../../engine/algorithms/copyConfig';
import { MANN_SCHEMA, type MannSettings } from '../../engine/algorithms/mannConfig';
import { defaultsOf, defineSettings, readLink, writeLink } from '../../engine/settings/schema';
import type { MemoryTask } from '../../worker/memoryProtocol';

/**
 * The memory lab's link: the task on screen and the settings of both tasks (the engine's copy and
 * MANN schemas; the MANN's link names carry a `mann` prefix). The hash is the single source of
 * truth for what a shared link reproduces.
 */

export const MAX_PATTERN_LENGTH = 40;

export const MEMORY_TASKS: readonly MemoryTask[] = ['copy', 'omniglot'];
const TASK_SCHEMA = defineSettings({
  task: { kind: 'choice', choices: MEMORY_TASKS, default: 'copy', url: 'task', cli: false, help: 'memTask', retrain: true },
});

export const DEFAULT_MEMORY_SETTINGS: CopySettings = defaultsOf(COPY_SCHEMA);
export const DEFAULT_MANN_SETTINGS: MannSettings = defaultsOf(MANN_SCHEMA);

export interface MemoryLink {
  task: MemoryTask;
  settings: CopySettings;
  mann: MannSettings;
  /** URL parameter names whose values were invalid and replaced by defaults. */
  invalid: string[];
}

/** The names the memory lab's links use: both tasks' settings and the backend. */
const LINK_NAMES = new Set<string>([TASK_SCHEMA, COPY_SCHEMA, MANN_SCHEMA].flatMap((s) => Object.values(s).map((f) => f.url)).filter((u) => u !== false).concat('backend'));

/** Reads a link; invalid values and names the lab does not know (e.g. `maxLength=`, whose link name is `L`) are named in `invalid`. */
export function parseMemoryLink(params: URLSearchParams): MemoryLink {
  const task = readLink(TASK_SCHEMA, params);
  const copy = readLink(COPY_SCHEMA, params);
  const mann = readLink(MANN_SCHEMA, params);
  const unknown = [...new Set(params.keys())].filter((n) => !LINK_NAMES.has(n));
  return { task: task.settings.task, settings: copy.settings, mann: mann.settings, invalid: [...task.invalid, ...copy.invalid, ...mann.invalid, ...unknown] };
}

/** The link of the task on screen: its own settings only. */
export function memoryLinkParams(task: MemoryTask, copy: CopySettings, mann: MannSettings): URLSearchParams {
  const p = writeLink(TASK_SCHEMA, { task });
  return task === 'copy' ? writeLink(COPY_SCHEMA, copy, p) : writeLink(MANN_SCHEMA, mann, p);
}
