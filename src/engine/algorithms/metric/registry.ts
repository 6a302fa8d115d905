import { METRIC_METHODS, type MetricConfig, type MetricMethod, type MetricMethodImpl } from './types';
import { protonetImpl } from './protonet';
import { gaussianProtonetImpl } from './gaussianProtonet';
import { semiProtonetImpl } from './semiProtonet';
import { siameseImpl } from './siamese';
import { matchingImpl } from './matching';
import { relationImpl } from './relation';

/**
 * The methods of the metric family. Each file registers its impl here (metric-mr's matching and
 * relation call registerMetricMethod from their own modules or are added below).
 */
export const METHOD_IMPLS: Partial<Record<MetricMethod, MetricMethodImpl>> = {
  protonet: protonetImpl,
  'gaussian-protonet': gaussianProtonetImpl,
  'semi-protonet': semiProtonetImpl,
  siamese: siameseImpl,
  matching: matchingImpl,
  relation: relationImpl,
};

export function registerMetricMethod(impl: MetricMethodImpl): void {
  METHOD_IMPLS[impl.method] = impl;
}

export function isMetricMethod(x: string): x is MetricMethod {
  return (METRIC_METHODS as readonly string[]).includes(x);
}

/** The impl of a method, or an Error naming the registered ones. */
export function methodImpl(method: MetricMethod): MetricMethodImpl {
  const impl = METHOD_IMPLS[method];
  if (!impl) throw new Error(`the metric method "${method}" is not available; registered: ${Object.keys(METHOD_IMPLS).join(', ')}`);
  return impl;
}

/** Every field of MetricConfig at a value that works for any method (browser-sized: 5-way, width 64). */
export const DEFAULT_METRIC_CONFIG: MetricConfig = {
  method: 'protonet',
  ways: 5,
  shots: 1,
  queries: 5,
  width: 64,
  lr: 1e-3,
  seed: 0,
  siameseLoss: 'contrastive',
  margin: 1,
  covariance: 'radius',
  transform: 'softplus',
  semiVariant: 'soft-kmeans',
  unlabeledPerClass: 5,
  distractorClasses: 3,
  refineSteps: 1,
  fce: false,
  fceSteps: 5,
  cosineScale: false,
};

/** Per-method defaults on top of DEFAULT_METRIC_CONFIG. */
const METHOD_DEFAULTS: Partial<Record<MetricMethod, Partial<MetricConfig>>> = {
  // Snell et al. train with more ways than they test on (20/60-way); 20 keeps a step affordable.
  protonet: { ways: 20, queries: 5 },
  'gaussian-protonet': { ways: 20, queries: 5, covariance: 'radius', transform: 'softplus' },
  'semi-protonet': { ways: 5, queries: 5, semiVariant: 'masked', unlabeledPerClass: 5, distractorClasses: 3 },
  // Pairs come from the episode: ways × (shots + queries) items; margin on the unit-free Euclidean distance.
  siamese: { ways: 10, shots: 2, queries: 2, margin: 1, siameseLoss: 'contrastive' },
  // A learned scale on the cosines (Oreshkin et al. 2018): 94.9% 5-way 5-shot on unseen Omniglot
  // alphabets against 76.0% without it, same run otherwise (docs/benchmarks.md).
  matching: { ways: 5, queries: 5, cosineScale: true },
  relation: { ways: 5, queries: 5 },
};

/**
 * Config fields added after checkpoints were first saved, at the value that reproduces what such a
 * checkpoint was trained with (a matching checkpoint without `cosineScale` used the paper's s = 1).
 */
export const CONFIG_BEFORE_FIELD: Partial<MetricConfig> = { cosineScale: false };

/** Defaults of `method` with `overrides` applied (method itself always wins). */
export function metricConfigFor(method: MetricMethod, overrides: Partial<MetricConfig> = {}): MetricConfig {
  return { ...DEFAULT_METRIC_CONFIG, ...METHOD_DEFAULTS[method], ...overrides, method };
}

export interface MetricPreset {
  id: string;
  /** Who used these values and where (the papers' GPU budgets were tens of thousands of episodes). */
  label: string;
  config: Partial<MetricConfig> & { method: MetricMethod };
}

/** The papers' Omniglot training settings, labelled with their source. */
export const METRIC_PRESETS: readonly MetricPreset[] = [
  { id: 'snell-1shot', label: 'Snell et al. 2017, Omniglot 1-shot: 60-way, 5 queries, Adam 1e-3, 64 filters', config: { method: 'protonet', ways: 60, shots: 1, queries: 5, width: 64, lr: 1e-3 } },
  { id: 'snell-5shot', label: 'Snell et al. 2017, Omniglot 5-shot: 60-way, 5 queries, Adam 1e-3, 64 filters', config: { method: 'protonet', ways: 60, shots: 5, queries: 5, width: 64, lr: 1e-3 } },
  {
    id: 'fort-radius',
    label: 'Fort 2017, Omniglot: radius covariance, 1 + softplus, 60-way training',
    config: { method: 'gaussian-protonet', ways: 60, shots: 1, queries: 5, width: 64, covariance: 'radius', transform: 'softplus', lr: 1e-3 },
  },
  {
    id: 'ren-masked',
    label: 'Ren et al. 2018, Omniglot 1-shot: 5 unlabeled per class, distractor classes, masked soft k-means',
    config: { method: 'semi-protonet', ways: 5, shots: 1, queries: 5, unlabeledPerClass: 5, distractorClasses: 5, semiVariant: 'masked', refineSteps: 1, lr: 1e-3 },
  },
  { id: 'koch-verification', label: 'Koch et al. 2015 style verification pairs (contrastive loss form of Hadsell et al.)', config: { method: 'siamese', ways: 10, shots: 2, queries: 2, siameseLoss: 'contrastive', margin: 1 } },
];
