/**
 * One declaration per algorithm: a method descriptor says which family hosts it (the trainer, the
 * CLI runner and the worker session that run it), what implements it and with which defaults and
 * presets. `src/engine/methods/registry.ts` lists every trainable algorithm; the CLI's train
 * targets, the worker and the labs' method lists come from there.
 *
 * The type lives here, beside the settings schema and free of tfjs, so that an algorithm's own
 * file (in engine/algorithms) can export its descriptor without importing upwards.
 */
import type { Schema } from './schema';

/** The families of algorithms; each has one trainer, one CLI runner and one worker session. */
export type MethodFamily = 'sine' | 'episodes' | 'memory' | 'metric' | 'zero-shot' | 'optimizer';

/** A published or named setting of a method (`--preset` in the CLI, a button in a lab). */
export interface MethodPreset<C> {
  id: string;
  /** Who used these values and where. */
  label: string;
  config: Partial<C>;
}

export interface MethodDescriptor<Id extends string = string, F extends MethodFamily = MethodFamily, Impl = unknown, C = unknown> {
  /** The algorithm's name: the CLI's train target, the link's `method`/`alg` value, checkpoints' `algorithm`. */
  id: Id;
  family: F;
  /**
   * The task it trains on, as the CLI's `--task` names it (`sine`, `omniglot`, `copy`,
   * `characters`). One id may exist in two families (maml on sine and on Omniglot): `--task`
   * picks the descriptor, and the first one registered is the default.
   */
  task: string;
  /** What the family's trainer runs; absent where the family's trainer keeps its own table by id. */
  impl?: Impl;
  /** The family's settings schema (the fields that apply to this method carry its id in `only`, or no `only`). */
  settings?: Schema;
  /** This method's defaults on top of the family's. */
  defaults?: Partial<C>;
  presets?: readonly MethodPreset<C>[];
}

/** Declares a method, keeping its literal id (so a family's method union derives from its registry). */
export function defineMethod<const Id extends string, F extends MethodFamily, Impl = unknown, C = unknown>(
  d: MethodDescriptor<Id, F, Impl, C>,
): MethodDescriptor<Id, F, Impl, C> {
  return d;
}
