import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as E from './elementwise';
import { checkOp, GRADCHECK_TOLERANCE, type OpCheck } from './gradcheck';
import { expectChecksPass, useCpu, values } from './testUtil';

beforeAll(useCpu);

const xs = [-2.5, -0.7, 0, 0.4, 1.9];

/** The n-th derivative of a scalar function, elementwise, through nested tf.grad. */
function nthDerivative(f: (x: tf.Tensor) => tf.Tensor, n: number): (x: tf.Tensor) => tf.Tensor {
  let g = f;
  for (let k = 0; k < n; k++) {
    const prev = g;
    g = (x: tf.Tensor) => tf.grad((y: tf.Tensor) => tf.sum(prev(y)))(x);
  }
  return g;
}

describe('elementwise ops', () => {
  it('pass the float64 finite-difference checks (orders 1 and 2; forward and first order vs stock)', async () => {
    await expectChecksPass(['elementwise'], 18);
  });

  // Analytic derivatives in float64; tolerance 1e-5 absolute on O(1) values (float32 arithmetic).
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const cases: [string, (x: tf.Tensor) => tf.Tensor, ((x: number) => number)[]][] = [
    ['exp', E.exp, [Math.exp, Math.exp, Math.exp]],
    [
      'sigmoid',
      E.sigmoid,
      [
        (x) => sig(x) * (1 - sig(x)),
        (x) => sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)),
        (x) => sig(x) * (1 - sig(x)) * (1 - 6 * sig(x) + 6 * sig(x) ** 2),
      ],
    ],
    [
      'tanh',
      E.tanh,
      [(x) => 1 - Math.tanh(x) ** 2, (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2), (x) => (1 - Math.tanh(x) ** 2) * (6 * Math.tanh(x) ** 2 - 2)],
    ],
    ['softplus', E.softplus, [sig, (x) => sig(x) * (1 - sig(x)), (x) => sig(x) * (1 - sig(x)) * (1 - 2 * sig(x))]],
  ];
  for (const [name, op, derivs] of cases)
    it(`${name}: first, second and third derivatives match the analytic ones`, () => {
      const x = tf.tensor1d(xs);
      derivs.forEach((d, k) => {
        const got = values(nthDerivative(op, k + 1)(x));
        got.forEach((g, i) => expect(g).toBeCloseTo(d(xs[i]), 5));
      });
    });

  it('softplus, log-sum-exp and softmax stay finite and exact for large inputs', () => {
    expect(values(E.softplus(tf.tensor1d([-200, 200])))).toEqual([0, 200]);
    const big = tf.tensor2d([[1000, 1001, 999]]);
    expect(values(E.logSumExp(big))[0]).toBeCloseTo(1001 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), 3);
    const hess = tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.grad((y: tf.Tensor) => tf.sum(tf.mul(E.logSumExp(y), 3)))(x))))(big);
    expect(values(hess).every(Number.isFinite)).toBe(true);
    expect(values(tf.sum(E.softmax(big)))[0]).toBeCloseTo(1, 6);
  });

  it('shapes: logSumExp keepDims/axis, softmaxCrossEntropy per row, sigmoidCrossEntropy elementwise', () => {
    const x = tf.zeros([2, 3, 4]);
    expect(E.logSumExp(x, 1).shape).toEqual([2, 4]);
    expect(E.logSumExp(x, -1, true).shape).toEqual([2, 3, 1]);
    expect(E.softmax(x, 1).shape).toEqual([2, 3, 4]);
    expect(E.softmaxCrossEntropy(tf.onesLike(x), x).shape).toEqual([2, 3]);
    expect(E.sigmoidCrossEntropy(tf.onesLike(x), x).shape).toEqual([2, 3, 4]);
    expect(() => E.logSumExp(x, 3)).toThrow(/out of range/);
  });

  // Negative controls: the same harness must reject the stock ops the issue reports as broken.
  const stockAsSafe = (name: string, op: (x: tf.Tensor) => tf.Tensor, reference: (x: Float64Array) => Float64Array): OpCheck => ({
    name,
    group: 'elementwise',
    inputs: [{ shape: [3, 4], init: (rng, n) => Array.from({ length: n }, () => rng.uniform(-1, 1)) }],
    safe: op,
    stock: op,
    reference: ([x]) => reference(x),
  });

  it('rejects stock square(exp(x)): its second derivative is silently wrong', async () => {
    const [first, second] = await checkOp(
      stockAsSafe('stock-square-exp', (x) => tf.square(tf.exp(x)), (x) => x.map((v) => Math.exp(2 * v))),
    );
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(false);
    expect(second.max_rel_err).toBeGreaterThan(0.1);
  });

  it('rejects stock tanh and sigmoid: their gradients reuse the saved output, so Hessians are wrong', async () => {
    for (const [name, op, reference] of [
      ['stock-tanh', tf.tanh, (v: number) => Math.tanh(v)],
      ['stock-sigmoid', tf.sigmoid, (v: number) => 1 / (1 + Math.exp(-v))],
    ] as const) {
      const [first, second] = await checkOp(stockAsSafe(name, (x) => op(x), (x) => x.map(reference)));
      expect(first.ok).toBe(true);
      expect(second.ok).toBe(false);
      expect(second.max_rel_err).toBeGreaterThan(0.01);
    }
  });

  it('rejects a MAML-style meta-gradient through stock softmaxCrossEntropy but not through ours', async () => {
    const labels = tf.tensor2d([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]);
    const ce = (lossFn: (l: tf.Tensor, x: tf.Tensor) => tf.Tensor) => (x: tf.Tensor) => {
      // One inner SGD step on the logits, then the loss again: needs the Hessian of the loss.
      const g = tf.grad((y: tf.Tensor) => tf.sum(lossFn(labels, y)))(x);
      return lossFn(labels, tf.sub(x, tf.mul(g, 0.5)));
    };
    const reference = ([x]: Float64Array[]) => {
      const ls = (v: Float64Array) => {
        const out = new Float64Array(v.length);
        for (let r = 0; r < 2; r++) {
          const row = Array.from(v.subarray(3 * r, 3 * r + 3));
          const m = Math.max(...row);
          const l = m + Math.log(row.reduce((s, t) => s + Math.exp(t - m), 0));
          row.forEach((t, i) => (out[3 * r + i] = t - l));
        }
        return out;
      };
      const lab = labels.dataSync();
      const loss = (v: Float64Array) => {
        const l = ls(v);
        return [0, 1].map((r) => -[0, 1, 2].reduce((s, i) => s + lab[3 * r + i] * l[3 * r + i], 0));
      };
      const lsx = ls(x);
      const stepped = x.map((v, i) => v - 0.5 * (Math.exp(lsx[i]) - lab[i]));
      return Float64Array.from(loss(stepped));
    };
    const make = (name: string, lossFn: (l: tf.Tensor, x: tf.Tensor) => tf.Tensor): OpCheck => ({
      name,
      group: 'elementwise',
      inputs: [{ shape: [2, 3], init: (rng, n) => Array.from({ length: n }, () => rng.uniform(-2, 2)) }],
      safe: ce(lossFn),
      stock: ce(lossFn),
      reference,
    });
    const stock = await checkOp(make('stock-ce-maml', (l, x) => tf.losses.softmaxCrossEntropy(l, x, undefined, 0, tf.Reduction.NONE)));
    const ours = await checkOp(make('safe-ce-maml', E.softmaxCrossEntropy));
    expect(stock[0].ok).toBe(false); // the meta-gradient (first derivative of the stepped loss) is off
    expect(stock[0].max_rel_err).toBeGreaterThan(GRADCHECK_TOLERANCE.order1);
    expect(ours[0].ok && ours[1].ok).toBe(true);
  });
});
