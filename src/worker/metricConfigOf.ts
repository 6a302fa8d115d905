import { metricConfigFor } from '../engine/algorithms/metric/registry';
import type { MetricConfig, MetricMethod } from '../engine/algorithms/metric/types';
import type { MetricSettings } from './metricProtocol';

/** The trainer's config of the metric lab's settings, for `method` (the one on screen by default). */
export function configOf(s: MetricSettings, method: MetricMethod = s.method): MetricConfig {
  return metricConfigFor(method, {
    ways: s.ways,
    shots: s.shots,
    width: s.width,
    seed: s.seed,
    siameseLoss: s.siameseLoss,
    covariance: s.covariance,
    transform: s.transform,
    semiVariant: s.semiVariant,
    fce: s.fce,
    cosineScale: s.cosineScale,
  });
}

/** The lab's settings of a loaded checkpoint's config, on top of `base`. */
export function settingsOf(cfg: MetricConfig, base: MetricSettings): MetricSettings {
  return {
    ...base,
    method: cfg.method,
    ways: cfg.ways,
    shots: cfg.shots,
    width: [16, 32, 64].includes(cfg.width) ? cfg.width : base.width,
    seed: cfg.seed,
    siameseLoss: cfg.siameseLoss,
    covariance: cfg.covariance,
    transform: cfg.transform,
    semiVariant: cfg.semiVariant,
    fce: cfg.fce,
    cosineScale: cfg.cosineScale,
  };
}
