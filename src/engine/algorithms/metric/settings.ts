import { defineSettings, linkFields, parseField, showField, trainingKey, type SettingsOf } from '../../settings/schema';
import { METRIC_FIELDS, METRIC_RUN_FIELDS } from '../../settings/metric';
import { METRIC_METHODS, metricConfigFor } from './registry';
import type { MetricConfig, MetricMethod } from './types';

/**
 * What a metric lab link reproduces: the method on screen (its choices are the registry's) and the
 * link fields of the family's schema, under today's link names. The lab reads and writes links
 * with it; the worker turns it into a trainer's config and back.
 */
export const METRIC_LINK = defineSettings({
  method: { kind: 'choice', choices: METRIC_METHODS, default: 'protonet' as MetricMethod, url: 'method', cli: false, help: 'metricMethod', retrain: false },
  ...linkFields(METRIC_FIELDS),
});

/** The lab's settings. The width is a number as in MetricConfig (a checkpoint's width that the page does not offer is replaced on load). */
export type MetricSettings = Omit<SettingsOf<typeof METRIC_LINK>, 'width'> & { width: number };

/** The link fields that are part of a model's config (everything but the method and the run's own fields). */
const CONFIG_LINK_FIELDS = (Object.keys(METRIC_LINK) as (keyof typeof METRIC_LINK)[]).filter(
  (k): k is Exclude<keyof typeof METRIC_LINK, 'method' | (typeof METRIC_RUN_FIELDS)[number]> => k !== 'method' && !(METRIC_RUN_FIELDS as readonly string[]).includes(k),
);

/**
 * Settings that change a method's model or its episodes: a change of any of them retrains that
 * method (the schema's fields marked `retrain` that apply to it); other methods keep their training.
 */
export function metricTrainingKey(s: MetricSettings): string {
  return trainingKey(METRIC_LINK, s as SettingsOf<typeof METRIC_LINK>, s.method);
}

/** The trainer's config for the lab's settings: the method's defaults with the link's config fields on top. */
export function metricConfigFromSettings(s: MetricSettings, method: MetricMethod = s.method): MetricConfig {
  const own: Partial<MetricConfig> = {};
  for (const k of CONFIG_LINK_FIELDS) (own as Record<string, unknown>)[k] = s[k];
  return metricConfigFor(method, own);
}

/**
 * The lab's settings of a loaded checkpoint's config on top of `base`: each config field of the
 * link; a value the page does not offer (a width of 8 trained by the CLI) keeps the base's.
 */
export function settingsFromMetricConfig(cfg: MetricConfig, base: MetricSettings): MetricSettings {
  const out: Record<string, unknown> = { ...base, method: cfg.method };
  for (const k of CONFIG_LINK_FIELDS) {
    const f = METRIC_LINK[k];
    const v = cfg[k];
    out[k] = f.kind !== 'choice' || parseField(f, showField(f, v)) !== null ? v : base[k];
  }
  return out as MetricSettings;
}
