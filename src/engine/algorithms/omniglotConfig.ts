/*
 * The gradient-based family's Omniglot settings, without tfjs: the page imports them (the
 * characters lab's family card) and must not pull the engine's tensor code into its bundle.
 */

import { defaultsOf, defineSettings, linkFields, SEED_FIELD, type SettingsOf } from '../settings/schema';
import { INEQUALITY_MEASURES } from './sineConfig';

export const OMNIGLOT_ALGORITHMS = ['maml', 'fomaml', 'reptile', 'metasgd', 'taml', 'adml', 'maml-ga', 'reptile-ga', 'taml-ineq', 'caml', 'daml', 'meta-lstm'] as const;
export type OmniglotAlgorithm = (typeof OMNIGLOT_ALGORITHMS)[number];

/**
 * Every setting of the episode family a user can set, declared once: the CLI's flags, validation
 * and usage, the family card's settings (the fields with a link name) and the config the trainer
 * reads all derive from it. `min`…`max` are the card's browser budget; the CLI accepts the wider
 * `cliRange`. Fields are in the usage's order.
 */
export const OMNIGLOT_SCHEMA = defineSettings({
  algorithm: { kind: 'choice', choices: OMNIGLOT_ALGORITHMS, default: 'maml', url: 'alg', cli: false, help: 'settingAlgorithm', retrain: true },
  seed: SEED_FIELD,
  ways: { kind: 'number', default: 5, min: 2, max: 20, integer: true, cliRange: [2, 60], url: 'ways', cli: 'way', help: 'charsWay', retrain: true },
  shots: { kind: 'number', default: 1, min: 1, max: 10, integer: true, cliRange: [1, 20], url: 'shots', cli: 'shot', help: 'charsShot', retrain: true },
  /** Query images per class while meta-training (the card keeps its own). */
  queries: { kind: 'number', default: 5, min: 1, max: 19, integer: true, url: false, cli: 'query', help: 'charsQuery', retrain: true },
  metaBatch: { kind: 'number', default: 8, min: 1, max: 32, integer: true, cliRange: [1, 1000], url: 'metaBatch', cli: 'meta-batch', help: 'famMetaBatch', retrain: true },
  /**
   * Inner learning rate α (Finn et al. use 0.4 on Omniglot); the meta-learner LSTM's input gate
   * starts at it. The card's one rate is CAML's context rate for CAML (see familyConfigFromSettings).
   */
  alpha: { kind: 'number', default: 0.4, min: 0.001, max: 2, cliRange: [0, 100], url: 'alpha', cli: 'alpha', help: 'famAlpha', retrain: true },
  /** Adam rate β of the outer loop (Reptile: unused). */
  metaLr: { kind: 'number', default: 1e-3, min: 0, max: 10, url: false, cli: 'meta-lr', help: 'settingMetaLr', retrain: true },
  innerSteps: { kind: 'number', default: 1, min: 1, max: 5, integer: true, cliRange: [1, 50], url: 'inner', cli: 'inner-steps', help: 'famInnerSteps', retrain: true },
  /** Conv filters per layer (the card offers 8 to 64). */
  width: { kind: 'number', default: 32, min: 8, max: 64, integer: true, cliRange: [1, 128], url: 'width', cli: 'width', help: 'famWidth', retrain: true },
  /** Reptile's ε. */
  epsilon: { kind: 'number', default: 1, min: 0, max: 10, url: false, cli: 'epsilon', help: 'settingEpsilon', retrain: true, only: ['reptile', 'reptile-ga'] },
  /** TAML: the weight λ of the entropy terms (entropy reduction) or of the inequality (taml-ineq). */
  tamlLambda: { kind: 'number', default: 0.1, min: 0, max: 10, cliRange: [0, 100], url: 'lambda', cli: 'lambda', help: 'settingLambda', retrain: true, only: ['taml', 'taml-ineq'] },
  /** Inequality TAML: the measure over the tasks' losses at θ (its weight is tamlLambda). */
  tamlMeasure: { kind: 'choice', choices: INEQUALITY_MEASURES, default: 'theil', url: 'measure', cli: 'measure', help: 'settingMeasure', retrain: true, only: ['taml-ineq'] },
  /** ADML: the FGSM step ε of the adversarial images (pixel ink in [0, 1]); the card sends its own. */
  advEpsilon: { kind: 'number', default: 0.2, min: 0, max: 1, url: false, cli: 'adv-epsilon', help: 'famEpsilon', retrain: true, only: ['adml'] },
  /** CAML: context parameters φ (reset to 0 per task, the only parameters the inner loop adapts); 100 as Zintgraf et al. on mini-ImageNet. */
  contextSize: { kind: 'number', default: 100, min: 1, max: 10_000, integer: true, url: false, cli: 'context-size', help: 'settingContextSize', retrain: true, only: ['caml'] },
  /** CAML: inner learning rate of φ (Zintgraf et al.: 1.0). */
  contextAlpha: { kind: 'number', default: 1, min: 0, max: 100, url: false, cli: 'context-alpha', help: 'settingContextAlpha', retrain: true, only: ['caml'] },
  /** CAML: the 1-based conv block whose batch-norm output φ modulates through FiLM (paper: the 3rd). */
  filmBlock: { kind: 'number', default: 3, min: 1, max: 4, integer: true, url: false, cli: 'film-block', help: 'famFilmBlock', retrain: true, only: ['caml'] },
  /** DAML: hidden units of the adaptation network ψ (two ReLU layers). */
  adaptHidden: { kind: 'number', default: 32, min: 1, max: 1024, integer: true, url: false, cli: 'adapt-hidden', help: 'settingAdaptHidden', retrain: true, only: ['daml'] },
  /** DAML: steps on the learned label-free loss over the query images, after the labelled steps. */
  learnedSteps: { kind: 'number', default: 1, min: 0, max: 50, integer: true, url: false, cli: 'learned-steps', help: 'famLearnedSteps', retrain: true, only: ['daml'] },
  /** DAML: the step size of those learned-loss steps. */
  learnedAlpha: { kind: 'number', default: 0.1, min: 0, max: 100, url: false, cli: 'learned-alpha', help: 'famLearnedAlpha', retrain: true, only: ['daml'] },
});

/** The episode family's config: its settings plus Meta-SGD's fixed initial range. */
export type OmniglotConfig = SettingsOf<typeof OMNIGLOT_SCHEMA> & {
  /** Meta-SGD's α starts uniform in this range. */
  metaSgdInit: [number, number];
};

export const DEFAULT_OMNIGLOT_CONFIG: OmniglotConfig = { ...defaultsOf(OMNIGLOT_SCHEMA), metaSgdInit: [0.1, 0.4] };

/**
 * The characters lab's family card: the fields that links carry (algorithm, episode shape, conv
 * width, meta-batch, α, inner steps, λ and the measure, seed). The worker's protocol and the card
 * read this type.
 */
export const FAMILY_SCHEMA = defineSettings(linkFields(OMNIGLOT_SCHEMA));
export type FamilySettings = SettingsOf<typeof FAMILY_SCHEMA>;

/** Per algorithm, what differs from the defaults (Reptile: several SGD steps and a smaller α). */
export const OMNIGLOT_DEFAULTS: Record<OmniglotAlgorithm, Partial<OmniglotConfig>> = {
  maml: {},
  fomaml: {},
  reptile: { alpha: 0.1, innerSteps: 5, epsilon: 1 },
  metasgd: {},
  taml: {},
  adml: {},
  'maml-ga': {},
  'reptile-ga': { alpha: 0.1, innerSteps: 5, epsilon: 1 },
  'taml-ineq': {},
  caml: {},
  daml: {},
  // Several learned updates from a small starting rate (this playground's choice: the paper's runs are on mini-ImageNet).
  'meta-lstm': { alpha: 0.1, innerSteps: 5 },
};

export function omniglotConfigFor(algorithm: OmniglotAlgorithm, overrides: Partial<OmniglotConfig> = {}): OmniglotConfig {
  return { ...DEFAULT_OMNIGLOT_CONFIG, ...OMNIGLOT_DEFAULTS[algorithm], ...overrides, algorithm };
}

/**
 * The conv net's config of the family card's settings, with the card's own episode queries per
 * class and FGSM step. The card has one rate α: CAML adapts only its context, so there it is the
 * context's rate and the network's α keeps its default.
 */
export function familyConfigFromSettings(s: FamilySettings, queries: number, advEpsilon: number): OmniglotConfig {
  const { alpha, ...rest } = s;
  return omniglotConfigFor(s.algorithm, { ...rest, ...(s.algorithm === 'caml' ? { contextAlpha: alpha } : { alpha }), queries, advEpsilon });
}

export interface OmniglotPreset {
  id: 'paper';
  /** Human-readable citation (not translated: it names a publication). */
  citation: string;
  values: Partial<OmniglotConfig>;
}

/**
 * The papers' Omniglot 5-way 1-shot settings, where a paper gives them for this conv net (CAML: the
 * mini-ImageNet defaults of the authors' code, the paper has no Omniglot runs). None yet for Reptile (its
 * Omniglot runs use an Adam inner loop this trainer lacks), Meta-SGD, ADML (mini-ImageNet and CIFAR-100
 * only), the meta-learner LSTM (mini-ImageNet only) or DAML (a label-free loss of our design here, in
 * the spirit of Antoniou & Storkey's self-critique, 2019). The source books meta-train these algorithms only on toy tasks: their values
 * are the sine lab's "book" presets.
 */
export const OMNIGLOT_PRESETS: Partial<Record<OmniglotAlgorithm, OmniglotPreset>> = {
  maml: { id: 'paper', citation: 'Finn, Abbeel & Levine 2017, Omniglot 5-way 1-shot: 64 filters, 32 tasks per meta-batch, one inner step with α = 0.4, Adam 0.001', values: { ways: 5, shots: 1, width: 64, metaBatch: 32, alpha: 0.4, innerSteps: 1, metaLr: 1e-3 } },
  fomaml: { id: 'paper', citation: 'Finn, Abbeel & Levine 2017, first-order approximation with MAML’s Omniglot settings', values: { ways: 5, shots: 1, width: 64, metaBatch: 32, alpha: 0.4, innerSteps: 1, metaLr: 1e-3 } },
  taml: { id: 'paper', citation: 'Jamal & Qi 2019 keep MAML’s Omniglot settings (λ = 0.1 is this playground’s choice)', values: { ways: 5, shots: 1, width: 64, metaBatch: 32, alpha: 0.4, innerSteps: 1, metaLr: 1e-3, tamlLambda: 0.1 } },
  caml: {
    id: 'paper',
    citation: 'Zintgraf et al. 2019 (CAVIA), the mini-ImageNet 5-way defaults of the authors’ code (the paper has no Omniglot classification): 32 filters, 16 tasks per meta-batch, 100 context parameters, FiLM on the 3rd conv block, context lr 1.0, 2 inner steps, Adam 0.001',
    values: { ways: 5, width: 32, metaBatch: 16, contextSize: 100, filmBlock: 3, contextAlpha: 1, innerSteps: 2, metaLr: 1e-3 },
  },
  // Eshratifar, Eigen & Pedram (2018) run gradient agreement on Omniglot with MAML's settings.
  'maml-ga': { id: 'paper', citation: 'Eshratifar, Eigen & Pedram 2018, gradient agreement with MAML’s Omniglot settings (Finn et al. 2017)', values: { ways: 5, shots: 1, width: 64, metaBatch: 32, alpha: 0.4, innerSteps: 1, metaLr: 1e-3 } },
};
