// Settings of the sine lab's algorithms, free of tfjs so the page can import them cheaply.
import { defaultsOf, defineSettings, linkFields, SEED_FIELD, type SettingsOf } from '../settings/schema';

/**
 * The algorithms of the sine lab (issue #6 adds the gradient-based family). Each turns a
 * meta-batch into an update of its meta-parameters; `src/engine/algorithms/sineFamily.ts` holds
 * the table that implements them.
 */
export const SINE_ALGORITHMS = ['maml', 'pretrain', 'fomaml', 'reptile', 'metasgd', 'caml', 'maml-ga', 'reptile-ga', 'taml', 'daml'] as const;
export type SineAlgorithm = (typeof SINE_ALGORITHMS)[number];

export const REPTILE_MODES = ['batched', 'serial'] as const;
export const INNER_OPTIMIZERS = ['sgd', 'adam'] as const;
/** TAML's inequality measures over the tasks' initial losses (Jamal & Qi 2019, §3.2). */
export const INEQUALITY_MEASURES = ['theil', 'gini', 'varlog'] as const;
export type InequalityMeasure = (typeof INEQUALITY_MEASURES)[number];

/**
 * Every setting of the sine family a user can set, declared once: the page's settings and link,
 * the CLI's flags and the config the trainer reads all derive from it. Links and the page keep a
 * browser's budget; the CLI accepts the wider `cliRange`.
 */
export const SINE_SCHEMA = defineSettings({
  algorithm: { kind: 'choice', choices: SINE_ALGORITHMS, default: 'maml', url: 'alg', cli: false, help: 'settingAlgorithm', retrain: true },
  /** Support points per task (K-shot). The query set has as many points (Finn et al.). */
  k: { kind: 'number', default: 10, min: 1, max: 100, integer: true, cliRange: [1, 1000], url: 'k', cli: 'k', help: 'settingK', retrain: true },
  /** Inner-loop learning rate α (Meta-SGD: unused, α is learned; CAML: see contextAlpha). */
  alpha: { kind: 'number', default: 0.01, min: 0, max: 100, cliRange: [0, 1000], url: 'alpha', cli: 'alpha', help: 'settingAlpha', retrain: true },
  /** Inner steps used during meta-training. */
  innerSteps: { kind: 'number', default: 1, min: 1, max: 5, integer: true, cliRange: [1, 100], url: 'inner', cli: 'inner-steps', help: 'settingInnerSteps', retrain: true },
  /** Adam learning rate β of the outer loop (Reptile: unused, see epsilon). */
  metaLr: { kind: 'number', default: 1e-3, min: 1e-6, max: 1, cliRange: [0, 10], url: 'metaLr', cli: 'meta-lr', help: 'settingMetaLr', retrain: true },
  metaBatch: { kind: 'number', default: 25, min: 1, max: 100, integer: true, cliRange: [1, 10_000], url: 'metaBatch', cli: 'meta-batch', help: 'settingMetaBatch', retrain: true },
  /** MAML, MAML-GA and TAML: drop the second-order terms. */
  firstOrder: { kind: 'boolean', default: false, url: 'firstOrder', cli: 'first-order', help: 'settingFirstOrder', retrain: true, only: ['maml', 'maml-ga', 'taml'] },
  seed: SEED_FIELD,
  /** Reptile's outer step size ε: θ ← θ + ε(θ′ − θ). */
  epsilon: { kind: 'number', default: 0.1, min: 0, max: 2, cliRange: [0, 10], url: 'eps', cli: 'epsilon', help: 'settingEpsilon', retrain: true, only: ['reptile', 'reptile-ga'] },
  /** Reptile: one task per update in turn (serial) or the mean over the meta-batch (batched). */
  reptileMode: { kind: 'choice', choices: REPTILE_MODES, default: 'batched', url: 'reptile', cli: 'reptile-mode', help: 'settingReptileMode', retrain: true, only: ['reptile'] },
  /** Reptile's inner optimizer; Adam's moments are reset for every task. */
  innerOptimizer: { kind: 'choice', choices: INNER_OPTIMIZERS, default: 'sgd', url: 'innerOpt', cli: 'inner-optimizer', help: 'settingInnerOptimizer', retrain: true, only: ['reptile', 'reptile-ga'] },
  /** CAML: number of context parameters φ (2 draws directly as a plane); the page keeps 2. */
  contextSize: { kind: 'number', default: 2, min: 1, max: 100, integer: true, url: false, cli: 'context-size', help: 'settingContextSize', retrain: true, only: ['caml'] },
  /** CAML: inner learning rate of the context parameters. */
  contextAlpha: { kind: 'number', default: 1, min: 0, max: 100, cliRange: [0, 1000], url: 'ctxAlpha', cli: 'context-alpha', help: 'settingContextAlpha', retrain: true, only: ['caml'] },
  /** TAML: weight λ of the inequality term and the measure. */
  tamlLambda: { kind: 'number', default: 0.1, min: 0, max: 10, cliRange: [0, 1000], slider: { min: 0, max: 2, step: 0.05 }, url: 'lambda', cli: 'lambda', help: 'settingLambda', retrain: true, only: ['taml'] },
  tamlMeasure: { kind: 'choice', choices: INEQUALITY_MEASURES, default: 'theil', url: 'measure', cli: 'measure', help: 'settingMeasure', retrain: true, only: ['taml'] },
  /** DAML: hidden width of the adaptation network that produces the label-free inner loss; the page keeps 32. */
  adaptHidden: { kind: 'number', default: 32, min: 1, max: 1000, integer: true, url: false, cli: 'adapt-hidden', help: 'settingAdaptHidden', retrain: true, only: ['daml'] },
});

/** The sine family's config: its settings plus the fixed architecture. */
export type SineConfig = SettingsOf<typeof SINE_SCHEMA> & {
  hidden: number[];
  /** Meta-SGD: the learned α starts uniform in this range (Li et al.: [0.005, 0.1]). */
  metaSgdInit: [number, number];
};

export const DEFAULT_SINE_CONFIG: SineConfig = { ...defaultsOf(SINE_SCHEMA), hidden: [40, 40], metaSgdInit: [0.005, 0.1] };

/** The algorithms the sine lab's first model can train (the second is always the pretraining baseline). */
export type SineLabAlgorithm = Exclude<SineAlgorithm, 'pretrain'>;
export const SINE_LAB_ALGORITHMS = SINE_ALGORITHMS.filter((a): a is SineLabAlgorithm => a !== 'pretrain');

/**
 * The sine lab's settings: the fields that links carry, shared by both of its models (same budget,
 * same task stream). The worker's protocol and the page both read this type.
 */
export const SINE_LAB_SCHEMA = defineSettings({ ...linkFields(SINE_SCHEMA), algorithm: { ...SINE_SCHEMA.algorithm, choices: SINE_LAB_ALGORITHMS } });
export type SineSettings = SettingsOf<typeof SINE_LAB_SCHEMA>;

/** The settings a preset may change. */
export type SinePresetValues = Partial<Omit<SineConfig, 'algorithm' | 'hidden' | 'seed'>>;

export interface SinePreset {
  id: string;
  /** Where the values come from: the algorithm's paper, the source book, or this playground's tuned defaults. */
  source: 'paper' | 'book' | 'playground';
  /** Human-readable citation (not translated: it names a publication). */
  citation: string;
  values: SinePresetValues;
}

/**
 * The book values are those of "Hands-On Meta Learning with Python" (Ravichandiran, 2018), whose
 * NumPy chapters meta-train on 10 tasks of K = 10 points with α = β = 0.0001 (plain gradient steps).
 * Paper values are each paper's sine (or closest) setting; a paper that reports no sine setting
 * gets its classification hyper-parameters that carry over (λ, inner steps, step sizes).
 */
const BOOK: SinePreset = {
  id: 'book',
  source: 'book',
  citation: 'Ravichandiran, Hands-On Meta Learning with Python (2018)',
  values: { metaBatch: 10, k: 10, alpha: 1e-4, metaLr: 1e-4, innerSteps: 1 },
};

/** Per algorithm: the settings this playground trains with by default (tuned for 2000 steps), then presets. */
export const SINE_ALGORITHM_INFO: Record<SineAlgorithm, { defaults: SinePresetValues; presets: SinePreset[] }> = {
  maml: {
    defaults: {},
    presets: [{ id: 'paper', source: 'paper', citation: 'Finn, Abbeel & Levine (2017), sine regression', values: { k: 10, alpha: 0.01, innerSteps: 1, metaLr: 1e-3, metaBatch: 25 } }, BOOK],
  },
  pretrain: { defaults: {}, presets: [{ id: 'paper', source: 'paper', citation: 'Finn, Abbeel & Levine (2017), pretrained baseline', values: { k: 10, metaLr: 1e-3, metaBatch: 25 } }] },
  fomaml: {
    defaults: { firstOrder: true },
    presets: [{ id: 'paper', source: 'paper', citation: 'Finn, Abbeel & Levine (2017), first-order approximation', values: { k: 10, alpha: 0.01, innerSteps: 1, metaLr: 1e-3, metaBatch: 25 } }, BOOK],
  },
  reptile: {
    // Batched over 25 tasks the mean of θ′ − θ is a low-noise direction: ε = 1 (Nichol et al.'s batched Omniglot value).
    defaults: { alpha: 0.02, innerSteps: 5, epsilon: 1, metaBatch: 25, reptileMode: 'batched' },
    presets: [
      // Nichol, Achiam & Schulman (2018) sine demo: SGD 0.02, 5 minibatches of 10, ε = 0.1, one task per update.
      { id: 'paper', source: 'paper', citation: 'Nichol, Achiam & Schulman (2018), sine demonstration', values: { alpha: 0.02, innerSteps: 5, epsilon: 0.1, metaBatch: 1, reptileMode: 'serial', innerOptimizer: 'sgd' } },
      { id: 'book', source: 'book', citation: BOOK.citation, values: { ...BOOK.values, epsilon: 1e-4, reptileMode: 'batched' } },
    ],
  },
  metasgd: {
    defaults: { metaSgdInit: [0.005, 0.1], innerSteps: 1 },
    presets: [{ id: 'paper', source: 'paper', citation: 'Li, Zhou, Chen & Li (2017), sine regression', values: { k: 10, innerSteps: 1, metaLr: 1e-3, metaBatch: 25, metaSgdInit: [0.005, 0.1] } }, BOOK],
  },
  caml: {
    defaults: { contextSize: 2, contextAlpha: 1, innerSteps: 1 },
    presets: [{ id: 'paper', source: 'paper', citation: 'Zintgraf et al. (2019), sine regression: 1 step, context lr 1, 2 context parameters', values: { k: 10, contextAlpha: 1, innerSteps: 1, metaLr: 1e-3, metaBatch: 25, contextSize: 2 } }],
  },
  'maml-ga': {
    defaults: {},
    presets: [{ id: 'paper', source: 'paper', citation: 'Eshratifar, Eigen & Pedram (2018): MAML’s sine settings', values: { k: 10, alpha: 0.01, innerSteps: 1, metaLr: 1e-3, metaBatch: 25 } }, BOOK],
  },
  'reptile-ga': {
    // Batched over 25 tasks the mean of θ′ − θ is a low-noise direction: ε = 1 (Nichol et al.'s batched Omniglot value).
    defaults: { alpha: 0.02, innerSteps: 5, epsilon: 1, metaBatch: 25, reptileMode: 'batched' },
    presets: [{ id: 'paper', source: 'paper', citation: 'Eshratifar, Eigen & Pedram (2018) applied to Reptile’s sine settings', values: { alpha: 0.02, innerSteps: 5, epsilon: 0.1, metaBatch: 25 } }],
  },
  taml: {
    defaults: { tamlLambda: 0.1, tamlMeasure: 'theil' },
    // Jamal & Qi (2019) keep MAML's settings; they report no sine λ, so λ is this playground's choice.
    presets: [{ id: 'paper', source: 'paper', citation: 'Jamal & Qi (2019) on MAML’s sine settings (λ: playground)', values: { tamlLambda: 0.1, alpha: 0.01, innerSteps: 1, metaLr: 1e-3, metaBatch: 25 } }],
  },
  daml: {
    defaults: { alpha: 0.01, innerSteps: 1, adaptHidden: 32 },
    presets: [
      // The demonstration script: 5 inner steps with α = 0.03, 32-unit nets.
      { id: 'book', source: 'book', citation: 'Domain-adaptive meta-learning sine demonstration (after Yu et al. 2018)', values: { alpha: 0.03, innerSteps: 5, adaptHidden: 32 } },
    ],
  },
};

/** The full configuration of an algorithm with its playground defaults (and any overrides). */
export function sineConfigFor(algorithm: SineAlgorithm, overrides: Partial<SineConfig> = {}): SineConfig {
  return { ...DEFAULT_SINE_CONFIG, ...SINE_ALGORITHM_INFO[algorithm].defaults, ...overrides, algorithm };
}

/**
 * The settings the pretraining baseline shares with the lab's first model: the same budget and task
 * stream, and α for adapting at test time. It has no inner loop, so the rest stay its own.
 */
const BASELINE_SHARES = ['k', 'alpha', 'metaLr', 'metaBatch', 'seed'] as const;

/** The config of one of the sine lab's two models from the lab's settings. */
export function sineConfigFromSettings(model: 'maml' | 'pretrain', s: SineSettings): SineConfig {
  if (model === 'pretrain') return sineConfigFor('pretrain', Object.fromEntries(BASELINE_SHARES.map((k) => [k, s[k]])));
  return sineConfigFor(s.algorithm, s);
}
