import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { lstmCell } from '../../core/ops';
import { useCpu, values } from '../../core/ops/testUtil';
import { baselineRule } from './baselines';
import { initLstmOptimizer, lstmOptimizerRule, preprocessGradient, rowLstmCell, type LstmOptimizerShape } from './lstmOptimizer';
import { quadraticSampler } from './optimisee';
import { disposeRun, lossCurves, startRun, unroll, type UpdateRule } from './trajectory';

beforeAll(useCpu);

const SHAPE: LstmOptimizerShape = { preprocess: 'log-sign', hidden: 3, outputScale: 0.1, preprocessP: 10 };
const tensorsOf = (s: LstmOptimizerShape, seed: number) => {
  const p = initLstmOptimizer(new Rng(seed), s);
  // Larger weights than the initialisation's, so that the updates react strongly to their gradient
  // inputs (and the meta-gradient's Hessian terms are not negligible).
  return p.values.map((v, i) => tf.tensor(v.map((x) => x * (i === 4 ? 20 : 3)), p.specs[i].shape));
};

describe('LSTM optimiser', () => {
  it('preprocesses a gradient into (log|g|/p, sign g) above e^−p and (−1, e^p g) below it', () => {
    tf.tidy(() => {
      const g = tf.tensor2d([[2], [-0.5], [1e-6], [-3e-5]]);
      const [magnitude, direction] = preprocessGradient(g, 'log-sign', 10).map(values);
      const small = Math.exp(-10);
      expect(small).toBeGreaterThan(3e-5);
      expect(magnitude[0]).toBeCloseTo(Math.log(2) / 10, 6);
      expect(magnitude[1]).toBeCloseTo(Math.log(0.5) / 10, 6);
      expect(magnitude.slice(2)).toEqual([-1, -1]);
      expect(direction.slice(0, 2)).toEqual([1, -1]);
      expect(direction[2]).toBeCloseTo(1e-6 / small, 5);
      expect(direction[3]).toBeCloseTo(-3e-5 / small, 5);
      expect(values(preprocessGradient(g, 'raw', 10)[0])).toEqual(values(g));
    });
  });

  it('its cell over column blocks equals lstmCell on their concatenation', () => {
    tf.tidy(() => {
      const rng = new Rng(3);
      const normal = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()), shape);
      const [x1, x2] = [normal([5, 1]), normal([5, 2])] as tf.Tensor2D[];
      const state = { h: normal([5, 4]) as tf.Tensor2D, c: normal([5, 4]) as tf.Tensor2D };
      const kernel = normal([7, 16]) as tf.Tensor2D;
      const bias = normal([16]) as tf.Tensor1D;
      const ours = rowLstmCell([x1, x2], state, kernel, bias);
      const reference = lstmCell(tf.concat([x1, x2], 1), state, kernel, bias);
      values(ours.h).forEach((v, i) => expect(v).toBeCloseTo(values(reference.h)[i], 5));
      values(ours.c).forEach((v, i) => expect(v).toBeCloseTo(values(reference.c)[i], 5));
    });
  });

  it.each([
    ['log-sign', true],
    ['raw', true],
    ['raw', false],
  ] as const)('meta-gradient through a 3-step unroll matches finite differences (%s inputs, second order %s)', (preprocess, secondOrder) => {
    const shape = { ...SHAPE, preprocess };
    const params = tensorsOf(shape, 5);
    // Quadratics scaled down so that raw gradients do not saturate the LSTM's gates (a saturated
    // LSTM barely reacts to its input, and the Hessian terms would vanish from the meta-gradient).
    const unscaled = quadraticSampler(3)(new Rng(8), 2);
    const o = { ...unscaled, losses: (t: tf.Tensor2D) => tf.mul(unscaled.losses(t), 0.05) as tf.Tensor1D };
    const start = startRun(o, lstmOptimizerRule(params, shape));
    const metaLoss = (ps: readonly tf.Tensor[], second: boolean) => unroll(o, lstmOptimizerRule(ps, shape), start, 3, second).loss;
    const rng = new Rng(13);
    const dirs = params.map((p) => tf.tensor(Array.from({ length: p.size }, () => rng.normal()), p.shape));
    const grads = tf.grads((...ps: tf.Tensor[]) => metaLoss(ps, secondOrder))(params);
    const analytic = tf.tidy(() => grads.reduce((s, g, i) => s + tf.sum(tf.mul(g, dirs[i])).dataSync()[0], 0));
    // The true derivative: finite differences of the loss, whose forward pass is the same either way.
    const at = (h: number) => tf.tidy(() => metaLoss(params.map((p, i) => tf.add(p, tf.mul(dirs[i], h))), true).dataSync()[0]);
    const h = 1e-2;
    const numeric = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
    expect(Math.abs(numeric)).toBeGreaterThan(1e-2);
    const relErr = Math.abs(analytic - numeric) / Math.abs(numeric);
    // Second order: the true derivative (measured errors 2–4e-5). With the optimisee's gradient treated as an
    // input (the paper) the Hessian terms are missing and it misses by 1.4e-3 here: small, as the paper found.
    if (secondOrder) expect(relErr).toBeLessThan(2e-4);
    else expect(relErr).toBeGreaterThan(1e-3);
    grads.forEach((g) => expect(tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0));
    tf.dispose([...params, ...dirs, ...grads]);
    disposeRun(start);
    unscaled.dispose();
  });

  it('with its output fixed to −lr·g it reproduces SGD exactly (trajectory, meta-loss and curve)', () => {
    const lr = 0.02;
    const params = tensorsOf(SHAPE, 1);
    const lstm = lstmOptimizerRule(params, SHAPE);
    const fixed: UpdateRule = { init: lstm.init, step: (g, state, t) => ({ ...lstm.step(g, state, t), delta: tf.mul(g, -lr) as tf.Tensor2D }) };
    const sgd = baselineRule('sgd', lr);
    const o = quadraticSampler(10)(new Rng(2), 4);
    tf.tidy(() => {
      const a = unroll(o, fixed, startRun(o, fixed), 7, false);
      const b = unroll(o, sgd, startRun(o, sgd), 7, false);
      expect(values(a.end.theta)).toEqual(values(b.end.theta));
      expect(values(a.loss)).toEqual(values(b.loss));
    });
    expect(Array.from(lossCurves(o, fixed, 30)[0])).toEqual(Array.from(lossCurves(o, sgd, 30)[0]));
    tf.dispose(params);
    o.dispose();
  });

  it('runs every function on its own rows: a function alone and beside a copy of itself has the same curve', () => {
    const params = tensorsOf(SHAPE, 4);
    const rule = lstmOptimizerRule(params, SHAPE);
    const one = quadraticSampler(5)(new Rng(6), 1);
    const twice = one.repeated(2);
    const [alone] = lossCurves(one, rule, 12);
    const [a, b] = lossCurves(twice, rule, 12, 2);
    expect(Array.from(a)).toEqual(Array.from(alone));
    expect(Array.from(b)).toEqual(Array.from(alone));
    expect(alone.every(Number.isFinite)).toBe(true);
    tf.dispose(params);
    [one, twice].forEach((o) => o.dispose());
  });
});
