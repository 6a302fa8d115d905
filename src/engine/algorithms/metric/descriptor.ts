import { defineMethod, type MethodDescriptor } from '../../settings/method';
import type { MetricConfig, MetricMethodImpl } from './types';

/** A method of the metric family: its implementation, its defaults on top of DEFAULT_METRIC_CONFIG and the papers' presets. */
export type MetricDescriptor<Id extends string = string> = MethodDescriptor<Id, 'metric', MetricMethodImpl, MetricConfig> & { impl: MetricMethodImpl };

/**
 * Declares a metric method in its own file (`export const protonetMethod = defineMetricMethod({ id: 'protonet', impl, … })`);
 * one line in ./registry.ts then makes it a CLI train target, a worker slot and a choice of the lab.
 */
export function defineMetricMethod<const Id extends string>(d: Omit<MetricDescriptor<Id>, 'family' | 'task'>): MetricDescriptor<Id> {
  return { ...defineMethod<Id, 'metric', MetricMethodImpl, MetricConfig>({ ...d, family: 'metric', task: 'characters' }), impl: d.impl };
}
