import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../../core/stopGradient';
import { optimiseeGrad, optimiseeValueAndGrad, type Optimisee } from './optimisee';

/**
 * An optimiser as a rule over a whole batch at once: from the gradients g [B, D] of B functions at
 * their own points, the update Δ [B, D] (θ ← θ + Δ) and the rule's next state. The learned LSTM
 * optimiser and the hand-designed baselines are both rules, so they run through the same driver.
 */
export interface UpdateRule {
  /** The state before the first step at θ₀ [B, D] (moment estimates, LSTM states). */
  init(theta0: tf.Tensor2D): tf.Tensor[];
  /** Step t (1-based: Adam's bias correction counts from 1). */
  step(g: tf.Tensor2D, state: readonly tf.Tensor[], t: number): { delta: tf.Tensor2D; state: tf.Tensor[] };
}

/** Where a run of a rule on an optimisee stands: after t steps at θ, with the rule's state. */
export interface RunState {
  theta: tf.Tensor2D;
  state: tf.Tensor[];
  t: number;
}

export function startRun(o: Optimisee, rule: UpdateRule): RunState {
  return { theta: o.theta0.clone(), state: rule.init(o.theta0), t: 0 };
}

export function disposeRun(r: RunState): void {
  tf.dispose([r.theta, ...r.state]);
}

/**
 * `steps` steps of the rule from `from`, and the meta-loss Σ_{s=1..steps} mean_b f_b(θ_{t+s}):
 * the paper's objective with every step weighted 1. Meant to run inside a tape: the update rule's
 * parameters get their meta-gradient through every θ and state. The optimisee's gradient is an
 * input (stopGradient: the paper drops its second derivatives) unless `secondOrder`, when the
 * meta-gradient also flows through it (Hessian-vector products of the optimisee).
 * Nothing is disposed: the caller's tidy or tape owns the intermediate tensors.
 */
export function unroll(o: Optimisee, rule: UpdateRule, from: RunState, steps: number, secondOrder: boolean): { loss: tf.Scalar; end: RunState } {
  let theta = from.theta;
  let state: readonly tf.Tensor[] = from.state;
  let loss: tf.Scalar = tf.scalar(0);
  for (let s = 0; s < steps; s++) {
    const { value, grad } = optimiseeValueAndGrad(o, theta);
    if (s > 0) loss = tf.add(loss, value);
    const next = rule.step(secondOrder ? grad : stopGradient(grad), state, from.t + s + 1);
    theta = tf.add(theta, next.delta);
    state = next.state;
  }
  loss = tf.add(loss, tf.sum(o.losses(theta)));
  return { loss: tf.div(loss, o.functions), end: { theta, state: [...state], t: from.t + steps } };
}

/**
 * The mean loss of each block of functions after 0 … steps steps, off the tape (evaluation and the
 * rate grid): `blocks` equal blocks of rows (one per tried rate) give one curve each. One read back
 * at the end. A diverging run gives non-finite values, not an error.
 */
export function lossCurves(o: Optimisee, rule: UpdateRule, steps: number, blocks = 1): Float32Array[] {
  const perBlock = o.functions / blocks;
  if (!Number.isInteger(perBlock)) throw new Error(`lossCurves: ${o.functions} functions do not split into ${blocks} blocks`);
  const blockMeans = (theta: tf.Tensor2D) => tf.tidy(() => tf.mean(tf.reshape(o.losses(theta), [blocks, perBlock]), 1));
  let run = startRun(o, rule);
  const means: tf.Tensor[] = [blockMeans(run.theta)];
  for (let s = 1; s <= steps; s++) {
    const next = tf.tidy(() => {
      const g = optimiseeGrad(o, run.theta);
      const { delta, state } = rule.step(g, run.state, s);
      return { theta: tf.add(run.theta, delta) as tf.Tensor2D, state };
    });
    disposeRun(run);
    run = { ...next, t: s };
    means.push(blockMeans(run.theta));
  }
  disposeRun(run);
  const table = tf.tidy(() => tf.transpose(tf.stack(means)));
  const data = table.dataSync() as Float32Array;
  tf.dispose([table, ...means]);
  return Array.from({ length: blocks }, (_, b) => data.slice(b * (steps + 1), (b + 1) * (steps + 1)));
}
