import type * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '../../core/params';
import type { ConvEpisode } from '../../tasks/convEpisodes';
import type { OmniglotConfig } from '../omniglotConfig';

/*
 * One member of the gradient-based family on episodes (the conv net on N-way K-shot characters),
 * as an entry of OMNIGLOT_FAMILY (table.ts). The fields mirror the sine family's table
 * (sineFamily.ts: extraSpecs, initExtra, usesOptimizer, step, adapt) so the two families extend
 * the same way; the episode entries work one task at a time and adapt into a classifier.
 */

/** A classifier after adapting to an episode: images [N, 28, 28, 1] → logits [N, ways]. */
export type Forward = (x: tf.Tensor4D) => tf.Tensor2D;

/** The meta-learned tensors and the settings: what adapting to a task reads. */
export interface EpisodeModel {
  cfg: OmniglotConfig;
  /** The conv net's parameters θ. */
  theta: readonly tf.Tensor[];
  /** The algorithm's further meta-parameters, stored after θ (Meta-SGD: α; CAML: the FiLM map; DAML: ψ). */
  extra: readonly tf.Tensor[];
}

/** What an outer step updates: the model as variables and the outer optimizer. */
export interface EpisodeState extends EpisodeModel {
  theta: readonly tf.Variable[];
  extra: readonly tf.Variable[];
  /** Adam on θ and extra; null when the entry's usesOptimizer is false (Reptile). */
  optimizer: tf.Optimizer | null;
}

export interface EpisodeStepResult {
  /** The reported meta-loss of the batch; the caller disposes it. */
  loss: tf.Scalar;
  /** Gradient agreement: the task weights wᵢ of this step; the caller disposes them. */
  weights?: tf.Tensor1D;
}

/** FGSM images of one task, constants for the meta-gradient (ADML). */
export interface AdversarialImages {
  support: tf.Tensor4D;
  query: tf.Tensor4D;
}

/**
 * One task's differentiable meta-objective; params are θ (the first nTheta tensors) then extra.
 * ADML reads the task's FGSM images from `adv`.
 */
export type TaskObjective = (cfg: OmniglotConfig, params: readonly tf.Tensor[], nTheta: number, task: ConvEpisode, adv?: AdversarialImages) => tf.Scalar;

/** The mean input and forget gate of each adaptation step (the meta-learner LSTM's learned rate and shrinkage). */
export interface GateMeans {
  input: number[];
  forget: number[];
}

/** Test-time adaptation to one episode with `steps` steps; call inside tf.tidy. */
export type AdaptRule = (m: EpisodeModel, task: ConvEpisode, steps: number) => Forward;

export interface EpisodeAlgorithmImpl {
  /** Shapes of the meta-parameters after θ, given θ's (their names are the checkpoint's). */
  extraSpecs(cfg: OmniglotConfig, thetaSpecs: readonly ParamSpec[]): ParamSpec[];
  /** Seeded initial values of those parameters. */
  initExtra(cfg: OmniglotConfig, specs: readonly ParamSpec[]): Float32Array[];
  /** Uses an Adam outer optimizer over θ and extra (everything but Reptile). */
  usesOptimizer: boolean;
  /** One outer step on a meta-batch of episodes (the caller disposes the episodes). */
  step(state: EpisodeState, tasks: readonly ConvEpisode[]): EpisodeStepResult;
  /** The per-task objective whose gradient `step` averages, where there is one (Meta-SGD, TAML, ADML, CAML, DAML). */
  objective?: TaskObjective;
  /** ADML: meta-trains on FGSM images of each task, and its evaluation also reports the accuracy on attacked queries. */
  adversarial?: boolean;
  /** The algorithm's own test-time rule (SGD of θ with α; Meta-SGD: its learned α; CAML: only the context). */
  adapt: AdaptRule;
  /** DAML: the same model adapted with the labelled steps only; evaluation reports its accuracy too (what the rest adds). */
  labelledOnly?: AdaptRule;
  /** Meta-learner LSTM: `adapt` that also reads out its gates per step; evaluation reports their mean over the episodes. */
  adaptWithGates?: (m: EpisodeModel, task: ConvEpisode, steps: number) => { forward: Forward; gates: GateMeans };
}
