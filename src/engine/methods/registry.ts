import type { MethodDescriptor, MethodFamily } from '../settings/method';
import { METRIC_FIELDS } from '../settings/metric';
import { METRIC_DESCRIPTORS } from '../algorithms/metric/registry';
import { SINE_METHODS } from './sine';
import { EPISODE_METHODS } from './episodes';
import { MEMORY_METHODS } from './memory';
import { ZERO_SHOT_METHODS } from './zeroShot';
import { OPTIMIZER_METHODS } from './optimizers';

/**
 * Every trainable algorithm, one descriptor each, in the order the CLI lists them. A family's own
 * list (e.g. the metric family's, in algorithms/metric/registry.ts) is where a new algorithm gets
 * its one line; this file only gathers the families. Its consumers (the CLI's train targets, the
 * workers, the labs) read it and never the other way round: it imports no worker, UI or CLI code.
 */
export const METHODS: readonly MethodDescriptor[] = [
  ...SINE_METHODS,
  ...EPISODE_METHODS,
  ...MEMORY_METHODS,
  // The metric methods share the family's schema (a field's `only` says which methods read it).
  ...METRIC_DESCRIPTORS.map((d) => ({ ...d, settings: METRIC_FIELDS })),
  ...ZERO_SHOT_METHODS,
  ...OPTIMIZER_METHODS,
];

/** The descriptors of one family, in registry order. */
export function methodsOf(family: MethodFamily): MethodDescriptor[] {
  return METHODS.filter((d) => d.family === family);
}

/**
 * The descriptor an algorithm name and an optional `--task` select: the one of that task, else the
 * first registered under the name (maml → sine unless `--task omniglot`); undefined for an unknown name.
 */
export function findMethod(id: string, task?: string | null): MethodDescriptor | undefined {
  const named = METHODS.filter((d) => d.id === id);
  return named.find((d) => d.task === task) ?? named[0];
}

/** The algorithm names in registry order, each once (maml is in two families). */
export function methodIds(): string[] {
  return [...new Set(METHODS.map((d) => d.id))];
}
