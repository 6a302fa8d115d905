import { defineSettings } from './schema';

/**
 * The metric family's settings (issue #5), each declared once: the lab's link fields with today's
 * link names (`loss`, `cov`, `semi`, `scale`, `data`, …), the config-only fields the CLI takes
 * (`url: false`), and which methods read each (`only`; the CLI refuses a flag for another method,
 * and a change retrains only the methods it applies to). The method itself is not here: its
 * choices come from the registry (algorithms/metric/settings.ts adds it), a layer above.
 *
 * Defaults are the page's (a browser-sized 32-wide encoder, the learned cosine scale); the engine's
 * config defaults and each method's own are in algorithms/metric/registry.ts and the descriptors.
 * Fields are in the link's order.
 */
export const METRIC_FIELDS = defineSettings({
  ways: { kind: 'number', default: 5, min: 2, max: 20, integer: true, cliRange: [2, 100], url: 'ways', cli: 'ways', help: 'metricWays', retrain: true },
  shots: { kind: 'number', default: 1, min: 1, max: 10, integer: true, cliRange: [1, 19], url: 'shots', cli: 'shots', help: 'metricShots', retrain: true },
  queries: { kind: 'number', default: 5, min: 1, max: 19, integer: true, url: false, cli: 'queries', help: 'metricQueriesHelp', retrain: true },
  width: { kind: 'choice', choices: [16, 32, 64], default: 32, cliRange: [1, 256], url: 'width', cli: 'width', help: 'metricWidth', retrain: true },
  lr: { kind: 'number', default: 1e-3, min: 1e-7, max: 1, url: false, cli: 'lr', help: 'metricLrHelp', retrain: true },
  seed: { kind: 'number', default: 0, min: 0, max: 2 ** 31 - 1, integer: true, cliRange: [0, 2 ** 32 - 1], url: 'seed', cli: 'seed', help: 'metricSeedHelp', retrain: true },
  // The page's training budget (progress bar, ETA); the CLI's number of training episodes.
  episodes: { kind: 'number', default: 2000, min: 10, max: 100_000, integer: true, cliRange: [0, 10_000_000], url: 'episodes', cli: 'episodes', help: 'metricBudget', retrain: false },
  siameseLoss: { kind: 'choice', choices: ['contrastive', 'triplet'], default: 'contrastive', url: 'loss', cli: 'loss', help: 'metricSiameseLoss', retrain: true, only: ['siamese'] },
  margin: { kind: 'number', default: 1, min: 1e-6, max: 1000, url: false, cli: 'margin', help: 'metricMarginHelp', retrain: true, only: ['siamese'] },
  covariance: { kind: 'choice', choices: ['radius', 'diagonal'], default: 'radius', url: 'cov', cli: 'covariance', help: 'metricCovariance', retrain: true, only: ['gaussian-protonet'] },
  transform: {
    kind: 'choice',
    choices: ['softplus', 'sigmoid', 'sigmoid4', 'learned'],
    default: 'softplus',
    url: 'transform',
    cli: 'transform',
    help: 'metricTransform',
    retrain: true,
    only: ['gaussian-protonet'],
  },
  semiVariant: { kind: 'choice', choices: ['soft-kmeans', 'distractor', 'masked'], default: 'soft-kmeans', url: 'semi', cli: 'variant', help: 'metricSemiVariant', retrain: true, only: ['semi-protonet'] },
  unlabeledPerClass: { kind: 'number', default: 5, min: 0, max: 15, integer: true, url: false, cli: 'unlabeled', help: 'metricUnlabeledHelp', retrain: true, only: ['semi-protonet'] },
  distractorClasses: { kind: 'number', default: 3, min: 0, max: 50, integer: true, url: false, cli: 'distractors', help: 'metricDistractorsHelp', retrain: true, only: ['semi-protonet'] },
  refineSteps: { kind: 'number', default: 1, min: 0, max: 10, integer: true, url: false, cli: 'refine-steps', help: 'metricRefineStepsHelp', retrain: true, only: ['semi-protonet'] },
  fce: { kind: 'boolean', default: false, url: 'fce', cli: 'fce', help: 'metricFce', retrain: true, only: ['matching'] },
  fceSteps: { kind: 'number', default: 5, min: 1, max: 20, integer: true, url: false, cli: 'fce-steps', help: 'metricFceStepsHelp', retrain: true, only: ['matching'] },
  // --no-scale: the paper's unscaled cosines (s = 1).
  cosineScale: { kind: 'boolean', default: true, url: 'scale', cli: 'no-scale', cliNegates: true, help: 'metricCosineScale', retrain: true, only: ['matching'] },
  source: { kind: 'choice', choices: ['synthetic', 'omniglot'], default: 'synthetic', url: 'data', cli: false, help: 'metricSource', retrain: true },
});

/** Fields of a run that are not part of a model's config (the budget, where the characters come from). */
export const METRIC_RUN_FIELDS = ['episodes', 'source'] as const;
