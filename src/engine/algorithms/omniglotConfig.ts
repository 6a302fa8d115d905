/*
 * The gradient-based family's Omniglot settings, without tfjs: the page imports them (the
 * characters lab's family card) and must not pull the engine's tensor code into its bundle.
 */

import type { InequalityMeasure } from './sineConfig';

export const OMNIGLOT_ALGORITHMS = ['maml', 'fomaml', 'reptile', 'metasgd', 'taml', 'adml', 'maml-ga', 'reptile-ga', 'taml-ineq', 'caml', 'daml', 'meta-lstm'] as const;
export type OmniglotAlgorithm = (typeof OMNIGLOT_ALGORITHMS)[number];

export interface OmniglotConfig {
  algorithm: OmniglotAlgorithm;
  ways: number;
  shots: number;
  /** Query images per class while meta-training. */
  queries: number;
  metaBatch: number;
  /** Inner learning rate α (Finn et al. use 0.4 on Omniglot); the meta-learner LSTM's input gate starts at it. */
  alpha: number;
  innerSteps: number;
  /** Adam rate β of the outer loop (Reptile: unused). */
  metaLr: number;
  /** Conv filters per layer. */
  width: number;
  seed: number;
  /** Reptile's ε. */
  epsilon: number;
  /** Meta-SGD's α starts uniform in this range. */
  metaSgdInit: [number, number];
  /** TAML: the weight λ of the entropy terms (entropy reduction) or of the inequality (taml-ineq). */
  tamlLambda: number;
  /** Inequality TAML: the measure over the tasks' losses at θ (its weight is tamlLambda). */
  tamlMeasure: InequalityMeasure;
  /** ADML: the FGSM step ε of the adversarial images (pixel ink in [0, 1]). */
  advEpsilon: number;
  /** CAML: context parameters φ (reset to 0 per task, the only parameters the inner loop adapts). */
  contextSize: number;
  /** CAML: inner learning rate of φ (Zintgraf et al.: 1.0). */
  contextAlpha: number;
  /** CAML: the 1-based conv block whose batch-norm output φ modulates through FiLM (paper: the 3rd). */
  filmBlock: number;
  /** DAML: hidden units of the adaptation network ψ (two ReLU layers). */
  adaptHidden: number;
  /** DAML: steps on the learned label-free loss over the query images, after the labelled steps. */
  learnedSteps: number;
  /** DAML: the step size of those learned-loss steps. */
  learnedAlpha: number;
}

export const DEFAULT_OMNIGLOT_CONFIG: OmniglotConfig = {
  algorithm: 'maml',
  ways: 5,
  shots: 1,
  queries: 5,
  metaBatch: 8,
  alpha: 0.4,
  innerSteps: 1,
  metaLr: 1e-3,
  width: 32,
  seed: 0,
  epsilon: 1,
  metaSgdInit: [0.1, 0.4],
  tamlLambda: 0.1,
  tamlMeasure: 'theil',
  advEpsilon: 0.2,
  // CAML: 100 context parameters, as Zintgraf et al. on mini-ImageNet.
  contextSize: 100,
  contextAlpha: 1,
  filmBlock: 3,
  adaptHidden: 32,
  learnedSteps: 1,
  learnedAlpha: 0.1,
};

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
