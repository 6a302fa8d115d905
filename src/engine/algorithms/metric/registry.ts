import { defaultsOf } from '../../settings/schema';
import { METRIC_FIELDS } from '../../settings/metric';
import type { MetricConfig, MetricMethod, MetricMethodImpl } from './types';
import type { MetricDescriptor } from './descriptor';
import { siameseMethod } from './siamese';
import { protonetMethod } from './protonet';
import { gaussianProtonetMethod } from './gaussianProtonet';
import { semiProtonetMethod } from './semiProtonet';
import { matchingMethod } from './matching';
import { relationMethod } from './relation';

/**
 * The methods of the metric family, in the order the lab, the CLI and the arena list them. A new
 * method is its own file (exporting its descriptor) and one line here: `MetricMethod`, the CLI's
 * train targets, the worker's slots and the lab's choices all derive from this list.
 */
export const METRIC_DESCRIPTORS = [siameseMethod, protonetMethod, gaussianProtonetMethod, semiProtonetMethod, matchingMethod, relationMethod] as const;

export const METRIC_METHODS: readonly MetricMethod[] = METRIC_DESCRIPTORS.map((d) => d.id);

const BY_ID = new Map<string, MetricDescriptor>(METRIC_DESCRIPTORS.map((d) => [d.id, d]));

export function isMetricMethod(x: string): x is MetricMethod {
  return BY_ID.has(x);
}

function metricDescriptor(method: MetricMethod): MetricDescriptor<MetricMethod> {
  return BY_ID.get(method) as MetricDescriptor<MetricMethod>;
}

/** The impl of a method, or an Error naming the registered ones. */
export function methodImpl(method: MetricMethod): MetricMethodImpl {
  const d = BY_ID.get(method);
  if (!d) throw new Error(`the metric method "${method}" is not available; registered: ${METRIC_METHODS.join(', ')}`);
  return d.impl;
}

const { episodes: _budget, source: _source, ...SCHEMA_DEFAULTS } = defaultsOf(METRIC_FIELDS);

/**
 * Every field of MetricConfig at a value that works for any method: the schema's defaults (the
 * page's), except a 64-wide encoder and the paper's unscaled cosines (s = 1) for the engine.
 */
export const DEFAULT_METRIC_CONFIG: MetricConfig = { ...SCHEMA_DEFAULTS, method: 'protonet', width: 64, cosineScale: false };

/**
 * Config fields added after checkpoints were first saved, at the value that reproduces what such a
 * checkpoint was trained with (a matching checkpoint without `cosineScale` used the paper's s = 1).
 */
export const CONFIG_BEFORE_FIELD: Partial<MetricConfig> = { cosineScale: false };

/** Defaults of `method` (its descriptor's on top of DEFAULT_METRIC_CONFIG) with `overrides` applied (method itself always wins). */
export function metricConfigFor(method: MetricMethod, overrides: Partial<MetricConfig> = {}): MetricConfig {
  return { ...DEFAULT_METRIC_CONFIG, ...metricDescriptor(method).defaults, ...overrides, method };
}
