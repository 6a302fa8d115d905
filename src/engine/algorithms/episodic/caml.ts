import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '../../core/params';
import { convNetForwardParts } from '../../models/convNet';
import { innerLoop } from '../innerLoop';
import type { OmniglotConfig } from '../omniglotConfig';
import { byTaskObjective, crossEntropy, episodeBase } from './common';
import type { EpisodeAlgorithmImpl, TaskObjective } from './types';

/* CAML (Zintgraf et al. 2019) on episodes: the inner loop adapts only a context φ that modulates one conv block. */

type CamlSettings = Pick<OmniglotConfig, 'contextSize' | 'contextAlpha' | 'filmBlock'>;

/** CAML's extra meta-parameters: the FiLM map [γ, β] = φW + b from the context to the block's channels. */
export function filmParamSpecs(cfg: Pick<OmniglotConfig, 'contextSize' | 'width'>): ParamSpec[] {
  return [
    { name: 'film_w', shape: [cfg.contextSize, 2 * cfg.width] },
    { name: 'film_b', shape: [2 * cfg.width] },
  ];
}

/** The conv net conditioned on the context φ [c]: FiLM on block `block` with [γ, β] = φW + b (φ = 0, b = 0: the plain net). */
export function camlForward(theta: readonly tf.Tensor[], film: readonly tf.Tensor[], phi: tf.Tensor, x: tf.Tensor4D, block: number): tf.Tensor2D {
  const width = film[1].shape[0] / 2;
  const gb = tf.add(tf.matMul(tf.reshape(phi, [1, -1]), film[0] as tf.Tensor2D), film[1]);
  const gamma = tf.reshape(tf.slice(gb, [0, 0], [1, width]), [width]);
  const beta = tf.reshape(tf.slice(gb, [0, width], [1, width]), [width]);
  return convNetForwardParts(theta, x, { block, gamma, beta }).out;
}

/**
 * CAML on an episode: φ starts at 0 and takes `steps` steps φ ← φ − α_ctx ∇φ L_support(θ, φ);
 * θ and the FiLM map stay as they are (they are meta-learned through φ′, second order when called
 * on the tape).
 */
export function camlContext(theta: readonly tf.Tensor[], film: readonly tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor2D, cfg: CamlSettings, steps: number): tf.Tensor {
  const model = (ps: readonly tf.Tensor[], xi: tf.Tensor4D) => camlForward(theta, film, ps[0], xi, cfg.filmBlock);
  return innerLoop(model, crossEntropy, [tf.zeros([cfg.contextSize])], x, y, { alpha: cfg.contextAlpha, steps })[0];
}

/** L_q(θ, φ′), φ′ adapted on the support set from 0 (params after θ: the FiLM map). */
const camlObjective: TaskObjective = (cfg, params, nTheta, task) => {
  const theta = params.slice(0, nTheta);
  const film = params.slice(nTheta);
  const phi = camlContext(theta, film, task.support.x, task.support.y, cfg, cfg.innerSteps);
  return crossEntropy(camlForward(theta, film, phi, task.query.x, cfg.filmBlock), task.query.y);
};

export const CAML: EpisodeAlgorithmImpl = {
  ...episodeBase,
  extraSpecs: (cfg) => filmParamSpecs(cfg),
  ...byTaskObjective(camlObjective),
  adapt: (m, task, steps) => {
    const phi = camlContext(m.theta, m.extra, task.support.x, task.support.y, m.cfg, steps);
    return (x) => camlForward(m.theta, m.extra, phi, x, m.cfg.filmBlock);
  },
};
