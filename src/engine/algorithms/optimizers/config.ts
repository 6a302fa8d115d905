// Settings of the learned-optimiser family (issue #13), free of tfjs so the page can import them cheaply.
import { defaultsOf, defineSettings, SEED_FIELD, type SettingsOf } from '../../settings/schema';

/** The optimisees a learned optimiser trains on (the CLI's `--task`). */
export const OPTIMIZER_TASKS = ['quadratic'] as const;
export type OptimizerTask = (typeof OPTIMIZER_TASKS)[number];

/** How a gradient entry enters the LSTM (the paper's appendix A, or as it is). */
const PREPROCESSINGS = ['log-sign', 'raw'] as const;
export type Preprocessing = (typeof PREPROCESSINGS)[number];

/** The hand-designed optimisers compared with the learned one, each at its best rate of the grid. */
export const BASELINES = ['sgd', 'momentum', 'rmsprop', 'adam', 'nag'] as const;
export type Baseline = (typeof BASELINES)[number];

/**
 * Every setting of the LSTM optimiser a user can set, declared once (the CLI's flags, a lab's link
 * and fields, the config). Defaults are the paper's on quadratics: unrolls of 20 steps over a
 * horizon of 100, log-magnitude and sign inputs, the optimisee's Hessian dropped.
 */
export const LSTM_OPTIMIZER_SCHEMA = defineSettings({
  /** Optimisee steps per meta-update: truncated backpropagation through time runs over this many. */
  unroll: { kind: 'number', default: 20, min: 1, max: 100, integer: true, cliRange: [1, 1000], url: 'unroll', cli: 'unroll', help: 'optSettingUnroll', retrain: true },
  /** Steps of one optimisation run: a batch of functions is optimised this long, then replaced. */
  horizon: { kind: 'number', default: 100, min: 2, max: 1000, integer: true, cliRange: [1, 100_000], url: 'horizon', cli: 'horizon', help: 'optSettingHorizon', retrain: true },
  preprocess: { kind: 'choice', choices: PREPROCESSINGS, default: 'log-sign', url: 'pre', cli: 'preprocess', help: 'optSettingPreprocess', retrain: true },
  /** Differentiate through the optimisee's gradient too (its Hessian), which the paper drops. */
  secondOrder: { kind: 'boolean', default: false, url: 'secondOrder', cli: 'second-order', help: 'optSettingSecondOrder', retrain: true },
  metaLr: { kind: 'number', default: 3e-3, min: 1e-6, max: 1, cliRange: [0, 10], url: 'metaLr', cli: 'meta-lr', help: 'optSettingMetaLr', retrain: true },
  /** Functions optimised side by side in one meta-update. */
  batch: { kind: 'number', default: 128, min: 1, max: 512, integer: true, cliRange: [1, 10_000], url: 'batch', cli: 'batch', help: 'optSettingBatch', retrain: true },
  seed: SEED_FIELD,
});
type LstmOptimizerSettings = SettingsOf<typeof LSTM_OPTIMIZER_SCHEMA>;

/** The settings plus the fixed architecture and protocol constants. */
export type LstmOptimizerConfig = LstmOptimizerSettings & {
  task: OptimizerTask;
  /** Coordinates of each quadratic (θ ∈ R^dims). */
  dims: number;
  /** Hidden units of each of the two LSTM layers. */
  hidden: number;
  /** The LSTM's output is multiplied by this to give the update. */
  outputScale: number;
  /** p of the log-sign preprocessing: gradients below e^−p in magnitude are read as (−1, e^p·g). */
  preprocessP: number;
  /** Training functions on which each baseline's rate is chosen, and held-out functions evaluated. */
  tuneFunctions: number;
  evalFunctions: number;
  /** The rates each baseline tries (the paper's protocol: the best on the training functions). */
  rateGrid: readonly number[];
};

/** Half-decades from 10⁻⁴ to 1. */
const RATE_GRID = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1] as const;

const LSTM_OPTIMIZER_DEFAULTS: LstmOptimizerConfig = {
  ...defaultsOf(LSTM_OPTIMIZER_SCHEMA),
  task: 'quadratic',
  dims: 10,
  hidden: 20,
  outputScale: 0.1,
  preprocessP: 10,
  tuneFunctions: 100,
  evalFunctions: 100,
  rateGrid: RATE_GRID,
};

export function lstmOptimizerConfig(overrides: Partial<LstmOptimizerConfig> = {}): LstmOptimizerConfig {
  return { ...LSTM_OPTIMIZER_DEFAULTS, ...overrides };
}
