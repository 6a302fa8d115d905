import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { useCpu, values } from '../../core/ops/testUtil';
import { glorot } from './moduleParams';
import { fceParamsOf, initMatchingModule, matchingHead, matchingImpl, matchingLoss, matchingModuleSpecs, matchingPredict, nllLoss, SCALE_INIT, SCALE_PARAM, type FceParams } from './matching';
import { accuracyBeforeAfterTraining, disposeEpisode, linearContext, testConfig, vectorEpisode } from './metricTestUtil';

beforeAll(useCpu);

const G = [
  [1, 0],
  [0, 1],
  [1, 1],
];
const LABELS = Int32Array.from([0, 1, 1]);

function randomFce(d: number, seed: number): FceParams {
  const mod = initMatchingModule({ fce: true, width: d, cosineScale: false }, new Rng(seed));
  // Random (not forget-gate-1) biases too, so every parameter moves the output.
  const t = mod.specs.map((s, i) => tf.tensor(s.shape.length === 1 ? glorot({ name: s.name, shape: [4, s.shape[0]] }, new Rng(seed + i)).subarray(0, s.shape[0]) : mod.values[i], s.shape));
  return fceParamsOf({ params: t, names: mod.specs.map((s) => s.name) });
}

describe('matching network head', () => {
  it('attention is the softmax of cosines; P(y|x̂) is the attention-weighted label sum (hand-computed)', () => {
    tf.tidy(() => {
      // Query norms do not matter (cosine): [2, 0] and [0, 3].
      const out = matchingHead(tf.tensor2d(G), tf.tensor2d([[2, 0], [0, 3]]), LABELS, 2, null);
      // q1: cosines 1, 0, 1/√2 → attention e, 1, e^{1/√2} over Z = 5.7463968
      const att = values(out.attention);
      [0.47304109, 0.17402209, 0.35293682].forEach((v, i) => expect(att[i]).toBeCloseTo(v, 5));
      // P(0 | q1) = 0.47304109, P(1 | q1) = 0.52695891; P(0 | q2) = 0.17402209, P(1 | q2) = 0.82597791
      const p = values(tf.exp(out.logProbs));
      [0.47304109, 0.52695891, 0.17402209, 0.82597791].forEach((v, i) => expect(p[i]).toBeCloseTo(v, 5));
      // Loss with labels [0, 1]: −½(log 0.47304109 + log 0.82597791) = 0.46988013
      expect(nllLoss(out.logProbs, Int32Array.from([0, 1])).dataSync()[0]).toBeCloseTo(0.46988013, 5);
    });
  });

  it('a cosine scale s multiplies the cosines before the softmax (hand-computed, s = 3)', () => {
    tf.tidy(() => {
      const out = matchingHead(tf.tensor2d(G), tf.tensor2d([[2, 0], [0, 3]]), LABELS, 2, null, tf.tensor1d([3]));
      // q1: logits 3, 0, 3/√2 → attention 0.68253888, 0.03398161, 0.28347951
      const att = values(out.attention);
      [0.68253888, 0.03398161, 0.28347951].forEach((v, i) => expect(att[i]).toBeCloseTo(v, 5));
      const p = values(tf.exp(out.logProbs));
      [0.68253888, 0.31746112, 0.03398161, 0.96601839].forEach((v, i) => expect(p[i]).toBeCloseTo(v, 5));
      // −½(log 0.68253888 + log 0.96601839)
      expect(nllLoss(out.logProbs, Int32Array.from([0, 1])).dataSync()[0]).toBeCloseTo(0.2082541, 5);
    });
  });

  it('log-probabilities stay finite and exact when a large scale makes the attention underflow', () => {
    tf.tidy(() => {
      const out = matchingHead(tf.tensor2d(G), tf.tensor2d([[2, 0]]), LABELS, 2, null, tf.tensor1d([1000]));
      // Logits 1000, 0, 707.1068: log P(1) = log(e^0 + e^707.1068) − log(e^1000 + …) = 707.1068 − 1000.
      const lp = values(out.logProbs);
      expect(lp[0]).toBeCloseTo(0, 5);
      expect(lp[1]).toBeCloseTo(-292.8932, 2);
      // The log of the summed attention would be log(0) = −∞ here in float32.
      expect(values(out.attention)[1]).toBe(0);
    });
  });

  it('the gradient wrt the scale matches finite differences', () => {
    const q = tf.tensor2d([[1, 0.3], [-0.2, 1]]);
    const loss = (s: tf.Tensor) => nllLoss(matchingHead(tf.tensor2d(G), q, LABELS, 2, null, s).logProbs, Int32Array.from([0, 1]));
    const s0 = tf.tensor1d([2.5]);
    const g = tf.grad(loss)(s0).dataSync()[0];
    const at = (h: number) => tf.tidy(() => loss(tf.tensor1d([2.5 + h])).dataSync()[0]);
    const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
    expect(Math.abs(g)).toBeGreaterThan(1e-3);
    expect(Math.abs(g - numeric) / Math.abs(numeric)).toBeLessThan(2e-3);
    tf.dispose([q, s0]);
  });

  it('probabilities are the attention sums, not a second softmax of them', () => {
    tf.tidy(() => {
      const out = matchingHead(tf.tensor2d(G), tf.tensor2d([[0.1, 1]]), LABELS, 2, null);
      const a = values(out.attention);
      const p = values(tf.exp(out.logProbs));
      expect(p[0]).toBeCloseTo(a[0], 6);
      expect(p[1]).toBeCloseTo(a[1] + a[2], 6);
      // A second softmax would give e^{p0}/(e^{p0}+e^{p1}) instead: measurably different here.
      expect(Math.abs(p[0] - Math.exp(a[0]) / (Math.exp(a[0]) + Math.exp(a[1] + a[2])))).toBeGreaterThan(0.05);
    });
  });

  it('without FCE the result ignores the support order; with FCE it depends on it', () => {
    tf.tidy(() => {
      const perm = [2, 0, 1];
      const q = tf.tensor2d([[1, 0.3], [-0.2, 1]]);
      const shuffled = tf.tensor2d(perm.map((i) => G[i]));
      const shuffledLabels = Int32Array.from(perm, (i) => LABELS[i]);
      const plain = values(matchingHead(tf.tensor2d(G), q, LABELS, 2, null).logProbs);
      const plainShuffled = values(matchingHead(shuffled, q, shuffledLabels, 2, null).logProbs);
      plain.forEach((v, i) => expect(plainShuffled[i]).toBeCloseTo(v, 6));

      const fce = { params: randomFce(2, 3), steps: 2 };
      const a = values(matchingHead(tf.tensor2d(G), q, LABELS, 2, fce).logProbs);
      const b = values(matchingHead(shuffled, q, shuffledLabels, 2, fce).logProbs);
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeGreaterThan(1e-3);
    });
  });

  it('FCE: g adds both LSTM directions to g′; f with 0 steps is f′', () => {
    tf.tidy(() => {
      const p = randomFce(2, 5);
      // One support item read from the zero state by both directions with the same kernel: h→ = h←.
      const same: FceParams = { ...p, bwdKernel: p.fwdKernel, bwdBias: p.fwdBias };
      const out = matchingHead(tf.tensor2d([[0.5, -1]]), tf.tensor2d([[1, 1]]), Int32Array.from([0]), 1, { params: same, steps: 0 });
      // f: no processing step leaves the query embedding unchanged.
      expect(values(out.f)).toEqual([1, 1]);
      // g = 2·h→ + g′ with h→ = o ⊙ tanh(i ⊙ tanh(z_g)) for the zero state.
      const z = tf.add(tf.matMul(tf.tensor2d([[0.5, -1, 0, 0]]), p.fwdKernel), p.fwdBias);
      const [zi, , zg, zo] = tf.split(z, 4, 1);
      const hf = tf.mul(tf.sigmoid(zo), tf.tanh(tf.mul(tf.sigmoid(zi), tf.tanh(zg))));
      const expected = values(tf.add(tf.mul(hf, 2), tf.tensor2d([[0.5, -1]])));
      values(out.g).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    });
  });

  it('gradients wrt the embeddings and every FCE parameter match finite differences', () => {
    const rng = new Rng(11);
    const d = 3;
    const inputs = [
      tf.tensor2d(Array.from({ length: 4 * d }, () => rng.normal()), [4, d]),
      tf.tensor2d(Array.from({ length: 2 * d }, () => rng.normal()), [2, d]),
    ];
    const fce = randomFce(d, 7);
    const fceList = [fce.fwdKernel, fce.fwdBias, fce.bwdKernel, fce.bwdBias, fce.attKernel, fce.attBias];
    const all = [...inputs, ...fceList];
    const labels = Int32Array.from([0, 1, 1, 0]);
    const loss = (xs: tf.Tensor[]): tf.Scalar => {
      const [fk, fb, bk, bb, ak, ab] = xs.slice(2);
      const p = { fwdKernel: fk, fwdBias: fb, bwdKernel: bk, bwdBias: bb, attKernel: ak, attBias: ab } as FceParams;
      return nllLoss(matchingHead(xs[0] as tf.Tensor2D, xs[1] as tf.Tensor2D, labels, 2, { params: p, steps: 2 }).logProbs, Int32Array.from([1, 0]));
    };
    const grads = tf.grads((...xs: tf.Tensor[]) => loss(xs))(all);
    const dirs = all.map((t) => tf.tensor(Array.from({ length: t.size }, () => rng.normal()), t.shape));
    const analytic = grads.reduce((s, g, i) => s + tf.sum(tf.mul(g, dirs[i])).dataSync()[0], 0);
    const at = (h: number) => tf.tidy(() => loss(all.map((t, i) => tf.add(t, tf.mul(dirs[i], h)))).dataSync()[0]);
    const h = 1e-2;
    const numeric = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
    expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
    expect(Math.abs(analytic - numeric) / Math.abs(numeric)).toBeLessThan(2e-3);
    // Each FCE tensor gets a non-zero gradient (all of them are used).
    grads.slice(2).forEach((g) => expect(tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(1e-6));
    tf.dispose([...all, ...grads, ...dirs]);
  });
});

describe('matching network method', () => {
  function setup(fce: boolean, seed: number) {
    const cfg = { fce, fceSteps: 2, width: 8, ways: 5, shots: 1, queries: 5 };
    const rng = new Rng(seed);
    const w = glorot({ name: 'lin_w', shape: [12, 8] }, rng);
    const mod = initMatchingModule(testConfig('matching', cfg), rng);
    const names = ['lin_w', ...mod.specs.map((s) => s.name)];
    const vars = [tf.variable(tf.tensor2d(w, [12, 8])), ...mod.specs.map((s, i) => tf.variable(tf.tensor(mod.values[i], s.shape)))];
    return { ctx: linearContext('matching', cfg, vars, names, seed), vars };
  }

  it('declares the encoder plus the FCE LSTMs only when FCE is on', () => {
    const base = testConfig('matching', { width: 16 });
    const names = matchingImpl.paramSpecs(base).map((s) => s.name);
    expect(names).toContain('conv1_w');
    expect(names.some((n) => n.startsWith('fce_'))).toBe(false);
    expect(matchingModuleSpecs({ fce: true, width: 16, cosineScale: false }).map((s) => s.shape)).toEqual([[32, 64], [64], [32, 64], [64], [48, 64], [64]]);
    // The learned cosine scale comes first, one number, starting at SCALE_INIT.
    expect(matchingModuleSpecs({ fce: true, width: 16, cosineScale: true })[0]).toEqual({ name: SCALE_PARAM, shape: [1] });
    expect(matchingImpl.paramSpecs({ ...base, cosineScale: false }).some((s) => s.name === SCALE_PARAM)).toBe(false);
    const scaled = matchingImpl.init({ ...base, cosineScale: true }, new Rng(1));
    expect(Array.from(scaled.values[scaled.specs.findIndex((s) => s.name === SCALE_PARAM)])).toEqual([SCALE_INIT]);
    const init = matchingImpl.init({ ...base, fce: true }, new Rng(1));
    expect(init.values.length).toBe(matchingImpl.paramSpecs({ ...base, fce: true }).length);
    // Forget-gate bias slice at 1.
    const bias = init.values[init.specs.findIndex((s) => s.name === 'fce_att_bias')];
    expect(Array.from(bias.subarray(16, 32)).every((v) => v === 1)).toBe(true);
    expect(Array.from(bias.subarray(0, 16)).every((v) => v === 0)).toBe(true);
  });

  it('leaks no tensors in loss, gradients and predict', () => {
    for (const fce of [false, true]) {
      const { ctx, vars } = setup(fce, 1);
      const ep = vectorEpisode(new Rng(2), 5, 1, 2);
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(() => matchingLoss(ctx, ep), vars);
      tf.dispose(value);
      tf.dispose(Object.values(grads));
      const out = matchingPredict(ctx, ep);
      expect(out.attention?.shape).toEqual([10, 5]);
      expect(out.logProbs.shape).toEqual([10, 5]);
      tf.dispose(Object.values(out) as tf.Tensor[]);
      expect(tf.memory().numTensors).toBe(before);
      disposeEpisode(ep);
      tf.dispose(vars);
    }
  });

  for (const fce of [false, true]) {
    it(`learns to ignore noise features: 5-way 1-shot accuracy well above chance (${fce ? 'FCE' : 'no FCE'})`, () => {
      const { ctx, vars } = setup(fce, 3);
      const { before, after } = accuracyBeforeAfterTraining(matchingPredict, matchingLoss, ctx, vars, { shots: 1, lr: 0.02, steps: 150 });
      expect(after).toBeGreaterThan(0.7);
      expect(after).toBeGreaterThan(before + 0.15);
      tf.dispose(vars);
    });
  }
});
