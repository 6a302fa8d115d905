import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng';
import { readParams, sizeOf, toVariables, type ParamValues } from '../../core/params';
import { heldOut, tuneBaselines, type HeldOutResult, type RateChoice } from './baselineTuning';
import { baselineRule } from './baselines';
import { BASELINES, type Baseline, type LstmOptimizerConfig } from './config';
import { initLstmOptimizer, lstmOptimizerRule, lstmOptimizerSpecs, type LstmOptimizerShape } from './lstmOptimizer';
import { quadraticSampler, type Optimisee, type OptimiseeSampler } from './optimisee';
import { disposeRun, startRun, unroll, type RunState } from './trajectory';

/** The optimisee family of a config's task. */
function samplerOf(cfg: LstmOptimizerConfig): OptimiseeSampler {
  switch (cfg.task) {
    case 'quadratic':
      return quadraticSampler(cfg.dims);
  }
}

const shapeOf = (cfg: LstmOptimizerConfig): LstmOptimizerShape => ({
  preprocess: cfg.preprocess,
  hidden: cfg.hidden,
  outputScale: cfg.outputScale,
  preprocessP: cfg.preprocessP,
});

/** The learned optimiser and every tuned baseline on the same held-out functions and starting points. */
export interface OptimizerEvaluation {
  horizon: number;
  functions: number;
  learned: HeldOutResult;
  baselines: Record<Baseline, HeldOutResult & { lr: number }>;
  tuning: Record<Baseline, RateChoice>;
}

/**
 * Meta-trains the LSTM optimiser (Andrychowicz et al. 2016): a batch of functions is optimised by
 * the LSTM for `horizon` steps; every `unroll` steps, Adam updates the LSTM on the sum of the
 * optimisee losses over those steps (truncated backpropagation through time: the run's θ and LSTM
 * states carry over as constants), then a fresh batch starts when the horizon is reached.
 * One `step()` is one meta-update.
 */
export class LstmOptimizerTrainer {
  readonly cfg: LstmOptimizerConfig;
  private readonly vars: tf.Variable[];
  private readonly adam: tf.AdamOptimizer;
  private readonly rng: Rng;
  private readonly sampler: OptimiseeSampler;
  private optimisee: Optimisee | null = null;
  private run: RunState | null = null;
  steps = 0;

  constructor(cfg: LstmOptimizerConfig, init?: ParamValues) {
    this.cfg = cfg;
    const shape = shapeOf(cfg);
    const params = init ?? initLstmOptimizer(Rng.derive(cfg.seed, 'lstm-optimizer-init'), shape);
    const expected = lstmOptimizerSpecs(shape);
    const fits = params.specs.length === expected.length && expected.every((s, i) => params.values[i].length === sizeOf(s.shape) && params.specs[i].name === s.name);
    if (!fits) throw new Error(`the parameters are not an LSTM optimiser of ${cfg.hidden} units with ${cfg.preprocess} inputs`);
    this.vars = toVariables({ specs: expected, values: params.values }, 'lstmopt');
    this.adam = tf.train.adam(cfg.metaLr);
    this.rng = Rng.derive(cfg.seed, 'lstm-optimizer-train');
    this.sampler = samplerOf(cfg);
  }

  /** One meta-update over the next `unroll` steps of the current run; returns the mean loss per step and function. */
  step(): tf.Scalar {
    if (!this.run || !this.optimisee || this.run.t >= this.cfg.horizon) this.restart();
    const o = this.optimisee!;
    const from = this.run!;
    const steps = Math.min(this.cfg.unroll, this.cfg.horizon - from.t);
    const rule = lstmOptimizerRule(this.vars, shapeOf(this.cfg));
    let end: RunState | null = null;
    const cost = this.adam.minimize(() => {
      const r = unroll(o, rule, from, steps, this.cfg.secondOrder);
      end = { theta: tf.keep(r.end.theta), state: r.end.state.map((t) => tf.keep(t)), t: r.end.t };
      return r.loss;
    }, true, this.vars)!;
    disposeRun(from);
    this.run = end!;
    this.steps++;
    const perStep = tf.div(cost, steps) as tf.Scalar;
    cost.dispose();
    return perStep;
  }

  /** A fresh batch of training functions, optimised from their starting points with a fresh LSTM state. */
  private restart(): void {
    if (this.run) disposeRun(this.run);
    this.optimisee?.dispose();
    this.optimisee = this.sampler(this.rng, this.cfg.batch);
    this.run = startRun(this.optimisee, lstmOptimizerRule(this.vars, shapeOf(this.cfg)));
  }

  params(): ParamValues {
    return readParams(lstmOptimizerSpecs(shapeOf(this.cfg)), this.vars);
  }

  /**
   * The paper's comparison: each baseline's rate is chosen on `tuneFunctions` training functions
   * (a stream of their own), then every optimiser runs from the same starting points on
   * `evalFunctions` held-out functions for twice the horizon.
   */
  evaluate(): OptimizerEvaluation {
    const { horizon, rateGrid } = this.cfg;
    const training = this.sampler(Rng.derive(this.cfg.seed, 'lstm-optimizer-tune'), this.cfg.tuneFunctions);
    const tuning = tuneBaselines(training, horizon, rateGrid);
    training.dispose();
    const held = this.sampler(Rng.derive(this.cfg.seed, 'lstm-optimizer-eval'), this.cfg.evalFunctions);
    const learned = heldOut(lstmOptimizerRule(this.vars, shapeOf(this.cfg)), held, horizon);
    const baselines = Object.fromEntries(BASELINES.map((b) => [b, { lr: tuning[b].lr, ...heldOut(baselineRule(b, tuning[b].lr), held, horizon) }])) as OptimizerEvaluation['baselines'];
    held.dispose();
    return { horizon, functions: this.cfg.evalFunctions, learned, baselines, tuning };
  }

  dispose(): void {
    if (this.run) disposeRun(this.run);
    this.optimisee?.dispose();
    this.adam.dispose();
    tf.dispose(this.vars);
    this.run = null;
    this.optimisee = null;
  }
}
