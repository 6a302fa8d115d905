import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '../../core/params';
import { Rng } from '../../core/rng';
import { meanSoftmaxCrossEntropy } from '../../core/ops/elementwise';
import { convNetForward, type ConvNetSpec } from '../../models/convNet';
import type { ConvEpisode } from '../../tasks/convEpisodes';
import { innerLoop } from '../innerLoop';
import type { OmniglotConfig } from '../omniglotConfig';
import { fgsm } from './fgsm';
import type { AdaptRule, EpisodeAlgorithmImpl, EpisodeState, EpisodeStepResult, TaskObjective } from './types';

/* What most entries of the episode family share: the loss, SGD adaptation, and the averaged per-task step. */

export const convSpecFor = (cfg: Pick<OmniglotConfig, 'width' | 'ways'>): ConvNetSpec => ({ width: cfg.width, ways: cfg.ways, inputSize: 28, inputChannels: 1, blocks: 4 });

export const crossEntropy = (logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar => meanSoftmaxCrossEntropy(labels, logits);

/** θ′ after k SGD steps on a labelled set (per-parameter α tensors for Meta-SGD). */
export function adaptOn(theta: readonly tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor2D, alpha: number | readonly tf.Tensor[], steps: number, firstOrder = false): tf.Tensor[] {
  return innerLoop(convNetForward, crossEntropy, theta, x, y, { alpha, steps, firstOrder });
}

/** SGD of θ with α on the support images. */
export const sgdAdapt: AdaptRule = (m, task, steps) => {
  const fast = adaptOn(m.theta, task.support.x, task.support.y, m.cfg.alpha, steps);
  return (x) => convNetForward(fast, x);
};

/** Glorot-uniform weights (names ending in _w), zero biases. */
function glorotValues(specs: readonly ParamSpec[], rng: Rng): Float32Array[] {
  return specs.map((s) => {
    const v = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
    if (s.name.endsWith('_w')) {
      const limit = Math.sqrt(6 / (s.shape[0] + s.shape[1]));
      for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-limit, limit);
    }
    return v;
  });
}

/** An entry's defaults: no parameters beyond θ (others Glorot-initialised from their own seed), Adam, SGD adaptation. */
export const episodeBase: Pick<EpisodeAlgorithmImpl, 'extraSpecs' | 'initExtra' | 'usesOptimizer' | 'adapt'> = {
  extraSpecs: () => [],
  initExtra: (cfg, specs) => glorotValues(specs, Rng.derive(cfg.seed, `init-${cfg.algorithm}`)),
  usesOptimizer: true,
  adapt: sgdAdapt,
};

/** Applies gradients (same order as the variables) with the state's Adam. */
export function applyGradients(state: EpisodeState, vars: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
  state.optimizer!.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
}

/**
 * The step of the entries that differentiate a per-task objective wrt every meta-parameter (θ and
 * extra): each task's gradient on its own (one conv-net graph in memory at a time), averaged, one
 * Adam step. With `adversarial` (ADML) each task's FGSM images are made from θ first, as constants.
 */
function averagedTaskStep(state: EpisodeState, tasks: readonly ConvEpisode[], objective: TaskObjective, adversarial: boolean): EpisodeStepResult {
  const { cfg, theta } = state;
  const vars = [...state.theta, ...state.extra];
  let lossSum: tf.Tensor = tf.scalar(0);
  let gradSum = vars.map((v) => tf.zerosLike(v) as tf.Tensor);
  for (const task of tasks) {
    const adv = adversarial ? { support: fgsm(theta, task.support.x, task.support.y, cfg.advEpsilon), query: fgsm(theta, task.query.x, task.query.y, cfg.advEpsilon) } : undefined;
    const { value, grads } = tf.tidy(() => tf.valueAndGrads((...ps: tf.Tensor[]) => objective(cfg, ps, theta.length, task, adv))([...vars]));
    if (adv) tf.dispose([adv.support, adv.query]);
    const next = gradSum.map((g, i) => tf.add(g, grads[i]));
    const nextLoss = tf.add(lossSum, value);
    tf.dispose([lossSum, value, ...gradSum, ...grads]);
    gradSum = next;
    lossSum = nextLoss;
  }
  const n = tasks.length;
  const grads = gradSum.map((g) => tf.div(g, n));
  applyGradients(state, vars, grads);
  tf.dispose([...grads, ...gradSum]);
  const loss = tf.div(lossSum, n) as tf.Scalar;
  lossSum.dispose();
  return { loss };
}

/** The objective, step and adversarial fields of an entry whose step averages a per-task objective's gradient. */
export function byTaskObjective(objective: TaskObjective, opts: { adversarial?: boolean } = {}): Pick<EpisodeAlgorithmImpl, 'objective' | 'step' | 'adversarial'> {
  const adversarial = opts.adversarial ?? false;
  return { objective, adversarial, step: (state, tasks) => averagedTaskStep(state, tasks, objective, adversarial) };
}
