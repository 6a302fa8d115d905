import * as tf from '@tensorflow/tfjs';
import type { Baseline } from './config';
import type { UpdateRule } from './trajectory';

/** The baselines' fixed constants: the usual defaults, the learning rate being the one tuned. */
export const BASELINE_CONSTANTS = {
  /** Momentum and NAG: μ. */
  momentum: 0.9,
  /** RMSProp: decay ρ of the mean square, ε added to its root. */
  rmsDecay: 0.9,
  rmsEpsilon: 1e-8,
  /** Adam (Kingma & Ba 2015). */
  beta1: 0.9,
  beta2: 0.999,
  adamEpsilon: 1e-8,
} as const;

/**
 * A hand-designed optimiser as an update rule over the batch. `lr` is one rate, or a column
 * [B, 1] of rates (one per row), so every rate of a grid runs in the same ops.
 *   sgd        Δ = −lr·g
 *   momentum   v ← μv + g,                     Δ = −lr·v            (heavy ball)
 *   nag        v ← μv + g,                     Δ = −lr·(g + μv)     (Nesterov, in the form that needs the gradient at θ only)
 *   rmsprop    s ← ρs + (1 − ρ)g²,             Δ = −lr·g / (√s + ε)
 *   adam       m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,  Δ = −lr·m̂ / (√v̂ + ε),  m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)
 * Every step returns new state tensors (never its inputs), so a caller may dispose the old state.
 */
export function baselineRule(kind: Baseline, lr: number | tf.Tensor): UpdateRule {
  const c = BASELINE_CONSTANTS;
  const descend = (x: tf.Tensor) => tf.neg(tf.mul(x, lr)) as tf.Tensor2D;
  switch (kind) {
    case 'sgd':
      return { init: () => [], step: (g) => ({ delta: descend(g), state: [] }) };
    case 'momentum':
    case 'nag':
      return {
        init: (theta0) => [tf.zerosLike(theta0)],
        step: (g, [v]) => {
          const next = tf.add(tf.mul(v, c.momentum), g);
          return { delta: descend(kind === 'nag' ? tf.add(g, tf.mul(next, c.momentum)) : next), state: [next] };
        },
      };
    case 'rmsprop':
      return {
        init: (theta0) => [tf.zerosLike(theta0)],
        step: (g, [s]) => {
          const next = tf.add(tf.mul(s, c.rmsDecay), tf.mul(tf.square(g), 1 - c.rmsDecay));
          return { delta: descend(tf.div(g, tf.add(tf.sqrt(next), c.rmsEpsilon))), state: [next] };
        },
      };
    case 'adam':
      return {
        init: (theta0) => [tf.zerosLike(theta0), tf.zerosLike(theta0)],
        step: (g, [m, v], t) => {
          const m1 = tf.add(tf.mul(m, c.beta1), tf.mul(g, 1 - c.beta1));
          const v1 = tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2));
          const mHat = tf.div(m1, 1 - c.beta1 ** t);
          const vHat = tf.div(v1, 1 - c.beta2 ** t);
          return { delta: descend(tf.div(mHat, tf.add(tf.sqrt(vHat), c.adamEpsilon))), state: [m1, v1] };
        },
      };
  }
}
