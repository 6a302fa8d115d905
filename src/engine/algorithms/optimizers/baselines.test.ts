import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { useCpu, values } from '../../core/ops/testUtil';
import { sampleQuadratics } from '../../tasks/quadratic';
import { bestRate, heldOut, tuneBaseline } from './baselineTuning';
import { BASELINE_CONSTANTS as C, baselineRule } from './baselines';
import { BASELINES, type Baseline } from './config';
import { quadraticSampler } from './optimisee';
import { lossCurves } from './trajectory';

beforeAll(useCpu);

/** Two steps of each baseline by hand, one coordinate, gradients 0.5 then −2, rate 0.1. */
function byHand(kind: Baseline): number[] {
  const lr = 0.1;
  const gs = [0.5, -2];
  let v = 0;
  let m = 0;
  let s = 0;
  return gs.map((g, i) => {
    const t = i + 1;
    switch (kind) {
      case 'sgd':
        return -lr * g;
      case 'momentum':
        v = C.momentum * v + g;
        return -lr * v;
      case 'nag':
        v = C.momentum * v + g;
        return -lr * (g + C.momentum * v);
      case 'rmsprop':
        s = C.rmsDecay * s + (1 - C.rmsDecay) * g * g;
        return (-lr * g) / (Math.sqrt(s) + C.rmsEpsilon);
      case 'adam':
        m = C.beta1 * m + (1 - C.beta1) * g;
        s = C.beta2 * s + (1 - C.beta2) * g * g;
        return (-lr * (m / (1 - C.beta1 ** t))) / (Math.sqrt(s / (1 - C.beta2 ** t)) + C.adamEpsilon);
    }
  });
}

describe('baseline optimisers', () => {
  it.each(BASELINES)('%s takes the hand-computed steps', (kind) => {
    tf.tidy(() => {
      const rule = baselineRule(kind, 0.1);
      let state = rule.init(tf.zeros([1, 1]) as tf.Tensor2D);
      const steps = [0.5, -2].map((g, i) => {
        const next = rule.step(tf.tensor2d([[g]]), state, i + 1);
        state = next.state;
        return values(next.delta)[0];
      });
      byHand(kind).forEach((d, i) => expect(steps[i]).toBeCloseTo(d, 6));
    });
  });

  it('SGD on a quadratic is gradient descent on ‖Wθ − y‖² (float64 by hand)', () => {
    const dims = 4;
    const lr = 0.01;
    const o = quadraticSampler(dims)(new Rng(9), 1);
    const q = sampleQuadratics(new Rng(9), 1, dims);
    const theta = Array.from(q.theta0, Number);
    const residual = () => Array.from({ length: dims }, (_, r) => theta.reduce((s, x, c) => s + q.w[r * dims + c] * x, 0) - q.y[r]);
    const loss = () => residual().reduce((s, e) => s + e * e, 0);
    const expected = [loss()];
    for (let t = 0; t < 5; t++) {
      const e = residual();
      const grad = theta.map((_, c) => 2 * e.reduce((s, er, r) => s + q.w[r * dims + c] * er, 0));
      grad.forEach((g, c) => (theta[c] -= lr * g));
      expected.push(loss());
    }
    const curve = lossCurves(o, baselineRule('sgd', lr), 5)[0];
    expected.forEach((l, i) => expect(Math.abs(curve[i] - l) / l).toBeLessThan(1e-5));
    o.dispose();
  });

  it('the grid search keeps the rate with the lowest final loss, never a diverged one', () => {
    expect(bestRate([0.1, 0.2, 0.3], [3, 1, 2])).toBe(0.2);
    expect(bestRate([0.1, 0.2, 0.3], [3, NaN, Infinity])).toBe(0.1);
    expect(bestRate([0.1, 0.2], [1, 1])).toBe(0.1);
    expect(() => bestRate([0.1], [NaN])).toThrow(/diverged/);
  });

  it.each(['sgd', 'adam'] as const)('%s: every rate of the grid runs in one batch, each as if alone', (kind) => {
    const grid = [1e-3, 1e-2, 0.1];
    const training = quadraticSampler(10)(new Rng(21), 8);
    const choice = tuneBaseline(kind, training, 20, grid);
    expect(choice.finalLosses).toHaveLength(3);
    const best = Math.min(...choice.finalLosses.filter(Number.isFinite));
    expect(choice.finalLosses[grid.indexOf(choice.lr)]).toBe(best);
    // Each block of the batched grid equals a run at that rate on its own.
    grid.forEach((lr, i) => {
      const alone = heldOut(baselineRule(kind, lr), training, 10).double;
      if (Number.isFinite(alone)) expect(Math.abs(choice.finalLosses[i] - alone) / alone).toBeLessThan(1e-5);
    });
    training.dispose();
  });
});
