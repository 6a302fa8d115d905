import { defaultsOf, readLink, writeLink, type LinkRead, type SettingsOf } from '../../engine/settings/schema';
import { METRIC_FIELDS } from '../../engine/settings/metric';
import { METRIC_LINK, metricTrainingKey, type MetricSettings } from '../../engine/algorithms/metric/settings';

/**
 * The metric lab's link (URL hash): the method on screen and the settings every method trains
 * with, so a link reproduces the run. Names, defaults and validation are the engine's schema
 * (engine/settings/metric.ts); the page's ranges below are read from it.
 */
export const WIDTHS = METRIC_FIELDS.width.choices;
export const MAX_WAYS = METRIC_FIELDS.ways.max;
export const MAX_SHOTS = METRIC_FIELDS.shots.max;

export const DEFAULT_METRIC_SETTINGS: MetricSettings = defaultsOf(METRIC_LINK);

/** The settings of a link; `invalid` names the parameters whose values were replaced by defaults. */
export type MetricLink = LinkRead<MetricSettings>;

export function parseMetricLink(params: URLSearchParams): MetricLink {
  return readLink(METRIC_LINK, params);
}

export function metricLinkParams(s: MetricSettings): URLSearchParams {
  // A width the page does not offer never reaches a link: settingsFromMetricConfig keeps the page's.
  return writeLink(METRIC_LINK, s as SettingsOf<typeof METRIC_LINK>);
}

/** Settings that change a method's model or its episodes: a change of any of them retrains that method. */
export const trainingKey = metricTrainingKey;
