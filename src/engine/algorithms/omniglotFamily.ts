import * as tf from '@tensorflow/tfjs';
import { readParams, toVariables, type ParamSpec, type ParamValues } from '../core/params';
import { Rng } from '../core/rng';
import { convNetParamSpecs, initConvNet, type ConvNetSpec } from '../models/convNet';
import type { Episode, EpisodeSampler } from '../tasks/characters';
import { episodeTensors, type ConvEpisode } from '../tasks/convEpisodes';
import { convSpecFor, sgdAdapt } from './episodic/common';
import { fgsmOn } from './episodic/fgsm';
import { OMNIGLOT_FAMILY } from './episodic/table';
import type { EpisodeAlgorithmImpl, EpisodeState, Forward, GateMeans } from './episodic/types';
import type { OmniglotConfig } from './omniglotConfig';

/*
 * The gradient-based family on Omniglot-style episodes with the 4-block conv net (issue #6). Each
 * algorithm is one entry of OMNIGLOT_FAMILY (episodic/table.ts): its extra meta-parameters, its
 * outer step, its test-time adaptation and what its evaluation adds. The trainer holds the
 * variables and looks its algorithm's entry up.
 */

export { OMNIGLOT_ALGORITHMS, DEFAULT_OMNIGLOT_CONFIG, OMNIGLOT_DEFAULTS, OMNIGLOT_PRESETS, omniglotConfigFor, type OmniglotAlgorithm, type OmniglotConfig, type OmniglotPreset } from './omniglotConfig';

export interface OmniglotEval {
  /** Mean query accuracy over the episodes, and the 95% confidence half-width (1.96·sd/√n). */
  accuracy: number;
  ci95: number;
  episodes: number;
  /** ADML: the same on FGSM query images of the adapted model. */
  adversarialAccuracy?: number;
  adversarialCi95?: number;
  /** DAML: the same θ adapted with the labelled steps only (what the learned-loss steps add is the difference). */
  labelledOnlyAccuracy?: number;
  labelledOnlyCi95?: number;
  /** Meta-learner LSTM: the mean input and forget gate of each adaptation step, averaged over the episodes. */
  gates?: GateMeans;
}

/** Mean and 95% confidence half-width (1.96·sd/√n) of per-episode accuracies. */
function stats(v: readonly number[]): { mean: number; ci: number } {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, v.length - 1));
  return { mean, ci: (1.96 * sd) / Math.sqrt(v.length) };
}

/** Meta-trains the conv net on character episodes with one algorithm of the family. */
export class OmniglotTrainer {
  readonly config: OmniglotConfig;
  readonly spec: ConvNetSpec;
  private readonly impl: EpisodeAlgorithmImpl;
  private readonly vars: tf.Variable[];
  private readonly nTheta: number;
  private readonly optimizer: tf.Optimizer | null;
  steps = 0;
  /** Gradient agreement (maml-ga, reptile-ga): the task weights wᵢ of the last step. */
  lastWeights: number[] = [];

  constructor(config: OmniglotConfig, init?: ParamValues) {
    this.config = { ...config, metaSgdInit: [...config.metaSgdInit] };
    this.impl = OMNIGLOT_FAMILY[config.algorithm];
    this.spec = convSpecFor(config);
    this.nTheta = convNetParamSpecs(this.spec).length;
    const expected = this.paramSpecs;
    const initial = init ?? {
      specs: expected,
      values: [...initConvNet(this.spec, Rng.derive(config.seed, 'init')).values, ...this.impl.initExtra(this.config, expected.slice(this.nTheta))],
    };
    if (initial.specs.length !== expected.length || initial.specs.some((s, i) => s.shape.join() !== expected[i].shape.join()))
      throw new Error(`the parameters do not fit a ${config.algorithm} conv net of width ${config.width} for ${config.ways}-way tasks`);
    this.vars = toVariables(initial, `omniglot_${config.algorithm}`);
    this.optimizer = this.impl.usesOptimizer ? tf.train.adam(config.metaLr) : null;
  }

  get paramSpecs(): ParamSpec[] {
    const theta = convNetParamSpecs(this.spec);
    return [...theta, ...this.impl.extraSpecs(this.config, theta)];
  }

  get theta(): readonly tf.Variable[] {
    return this.vars.slice(0, this.nTheta);
  }

  /** Meta-SGD's learned α, CAML's FiLM map, DAML's ψ (empty for the others). */
  get extra(): readonly tf.Variable[] {
    return this.vars.slice(this.nTheta);
  }

  /** Whether evaluation also reports the accuracy without the algorithm's learned-loss steps (DAML). */
  get reportsLabelledOnly(): boolean {
    return this.impl.labelledOnly !== undefined;
  }

  params(): ParamValues {
    return readParams(this.paramSpecs, this.vars);
  }

  private get state(): EpisodeState {
    return { cfg: this.config, theta: this.theta, extra: this.extra, optimizer: this.optimizer };
  }

  /** One outer step on a batch of episodes; returns the mean task loss (the caller disposes it). */
  step(episodes: readonly Episode[]): tf.Scalar {
    const tasks = episodes.map(episodeTensors);
    try {
      const { loss, weights } = this.impl.step(this.state, tasks);
      if (weights) {
        this.lastWeights = Array.from(weights.dataSync());
        weights.dispose();
      }
      this.steps++;
      return loss;
    } finally {
      for (const t of tasks) tf.dispose([t.support.x, t.support.y, t.query.x, t.query.y]);
    }
  }

  /**
   * The classifier after adapting to an episode with the algorithm's own rule, `steps` steps on the
   * support images (SGD of θ with α; Meta-SGD: the learned α; CAML: only the context φ; DAML: then
   * its learned-loss steps on the query images unless `learned` is false). Call inside tf.tidy.
   */
  adaptedForward(task: ConvEpisode, steps: number, learned = true): Forward {
    const rule = !learned && this.impl.labelledOnly ? this.impl.labelledOnly : this.impl.adapt;
    return rule(this.state, task, steps);
  }

  /**
   * Few-shot accuracy on episodes of another split: adapt with adaptedForward for `steps` steps,
   * then classify the queries. ADML also reports the accuracy on FGSM query images of the adapted
   * model; DAML the accuracy without its learned-loss steps; the meta-learner LSTM its mean gates.
   * With rule 'sgd' the adaptation is plain SGD of θ with α instead, and nothing else is reported:
   * the fine-tuning baseline of a learned optimiser (Ravi & Larochelle).
   */
  evaluate(sampler: EpisodeSampler, episodes: number, steps: number, seed: number, rule: 'own' | 'sgd' = 'own'): OmniglotEval {
    const { config: cfg } = this;
    const impl: Partial<EpisodeAlgorithmImpl> = rule === 'own' ? this.impl : {};
    const rng = Rng.derive(seed, 'omniglot-eval');
    const accs: number[] = [];
    const advAccs: number[] = [];
    const labelledAccs: number[] = [];
    const gateRuns: GateMeans[] = [];
    for (let e = 0; e < episodes; e++) {
      const ep = episodeTensors(sampler.sample(rng));
      tf.tidy(() => {
        const hit = (forward: Forward, x: tf.Tensor4D) => tf.mean(tf.equal(tf.argMax(forward(x), 1), tf.argMax(ep.query.y, 1)).toFloat()).dataSync()[0];
        const gated = impl.adaptWithGates?.(this.state, ep, steps);
        if (gated) gateRuns.push(gated.gates);
        const forward = gated?.forward ?? (rule === 'sgd' ? sgdAdapt(this.state, ep, steps) : this.adaptedForward(ep, steps));
        accs.push(hit(forward, ep.query.x));
        if (impl.adversarial) advAccs.push(hit(forward, fgsmOn(forward, ep.query.x, ep.query.y, cfg.advEpsilon)));
        if (impl.labelledOnly) labelledAccs.push(hit(impl.labelledOnly(this.state, ep, steps), ep.query.x));
      });
      tf.dispose([ep.support.x, ep.support.y, ep.query.x, ep.query.y]);
    }
    const clean = stats(accs);
    const out: OmniglotEval = { accuracy: clean.mean, ci95: clean.ci, episodes };
    if (advAccs.length > 0) {
      const adv = stats(advAccs);
      out.adversarialAccuracy = adv.mean;
      out.adversarialCi95 = adv.ci;
    }
    if (labelledAccs.length > 0) {
      const lab = stats(labelledAccs);
      out.labelledOnlyAccuracy = lab.mean;
      out.labelledOnlyCi95 = lab.ci;
    }
    if (gateRuns.length > 0) {
      const mean = (pick: (g: GateMeans) => number[]) => pick(gateRuns[0]).map((_, t) => gateRuns.reduce((sum, g) => sum + pick(g)[t], 0) / gateRuns.length);
      out.gates = { input: mean((g) => g.input), forget: mean((g) => g.forget) };
    }
    return out;
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose());
    this.optimizer?.dispose();
  }
}
