import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { useCpu, values } from '../../core/ops/testUtil';
import { glorot } from './moduleParams';
import { accuracyBeforeAfterTraining, disposeEpisode, linearContext, testConfig, vectorEpisode } from './metricTestUtil';
import {
  classSums,
  denseStack,
  initRelationModule,
  relationImpl,
  relationLogits,
  relationLogProbs,
  relationLoss,
  relationModuleSpecs,
  relationMse,
  relationPredict,
  type DenseLayer,
} from './relation';

beforeAll(useCpu);

const layer = (w: number[][], b: number[]): DenseLayer => ({ w: tf.tensor2d(w), b: tf.tensor1d(b) });

describe('relation network head', () => {
  it('sums the support embeddings per class and scores σ(module([e_c, q])) with MSE against 1(same class) (hand-computed)', () => {
    tf.tidy(() => {
      // D = 1, support 1, 3 (class 0) and 2 (class 1): sums 4 and 2.
      const sums = classSums(tf.tensor2d([[1], [3], [2]]), Int32Array.from([0, 0, 1]), 2);
      expect(values(sums)).toEqual([4, 2]);
      // Rescaled to 1 trained shot (class 0 has 2 shots, class 1 one): means 2 and 2; to 2 shots: 4 and 4.
      expect(values(classSums(tf.tensor2d([[1], [3], [2]]), Int32Array.from([0, 0, 1]), 2, 1))).toEqual([2, 2]);
      expect(values(classSums(tf.tensor2d([[1], [3], [2]]), Int32Array.from([0, 0, 1]), 2, 2))).toEqual([4, 4]);
      // Module z = e_c − q (one layer, class first): query 1 → z = [3, 1].
      const logits = relationLogits([layer([[1], [-1]], [0])], sums, tf.tensor2d([[1]]));
      expect(values(logits)).toEqual([3, 1]);
      const r = tf.sigmoid(logits) as tf.Tensor2D;
      // r = [σ(3), σ(1)] = [0.95257413, 0.73105858]; label 1: ((0.95257413)² + (0.73105858 − 1)²)/2
      expect(relationMse(r, Int32Array.from([1])).dataSync()[0]).toBeCloseTo(0.48986348, 5);
      // logProbs = log(r / Σ r)
      const lp = values(relationLogProbs(logits));
      expect(lp[0]).toBeCloseTo(-0.56954114, 5);
      expect(lp[1]).toBeCloseTo(-0.83421547, 5);
    });
  });

  it('pairs every query with every class, class first, ReLU between layers', () => {
    tf.tidy(() => {
      const classes = tf.tensor2d([[1], [-2], [5]]);
      const queries = tf.tensor2d([[10], [-20]]);
      expect(values(relationLogits([layer([[1], [0]], [0])], classes, queries))).toEqual([1, -2, 5, 1, -2, 5]);
      expect(values(relationLogits([layer([[0], [1]], [0.5])], classes, queries))).toEqual([10.5, 10.5, 10.5, -19.5, -19.5, -19.5]);
      // Two layers: relu(x − 1)·2 + 1, with x the class value.
      const two = [layer([[1], [0]], [-1]), layer([[2]], [1])];
      expect(values(relationLogits(two, classes, queries))).toEqual([1, 1, 9, 1, 1, 9]);
      expect(values(denseStack(two, tf.tensor2d([[3, 7]])))).toEqual([5]);
    });
  });

  it('logProbs stay finite when every σ(z) underflows', () => {
    tf.tidy(() => {
      // log(σ(−200)/(σ(−200)+σ(−201))) = −log(1 + e^−1) = −0.31326169
      const lp = values(relationLogProbs(tf.tensor2d([[-200, -201]])));
      expect(lp[0]).toBeCloseTo(-0.31326169, 5);
      expect(lp[1]).toBeCloseTo(-1.31326169, 5);
    });
  });

  it('gradients wrt the embeddings and the relation module match finite differences', () => {
    const rng = new Rng(21);
    const d = 3;
    const mod = initRelationModule({ width: d, ways: 2 }, rng);
    // Non-zero biases so the ReLUs sit at different places; all tensors differentiated.
    const moduleTensors = mod.specs.map((s, i) => tf.tensor(s.shape.length === 1 ? Float32Array.from({ length: s.shape[0] }, () => 0.3 * rng.normal()) : mod.values[i], s.shape));
    const all = [tf.tensor2d(Array.from({ length: 4 * d }, () => rng.normal()), [4, d]), tf.tensor2d(Array.from({ length: 3 * d }, () => rng.normal()), [3, d]), ...moduleTensors];
    const labels = Int32Array.from([0, 1, 0, 1]);
    const loss = (xs: tf.Tensor[]): tf.Scalar => {
      const layers: DenseLayer[] = [];
      for (let i = 2; i < xs.length; i += 2) layers.push({ w: xs[i] as tf.Tensor2D, b: xs[i + 1] as tf.Tensor1D });
      const sums = classSums(xs[0] as tf.Tensor2D, labels, 2);
      return relationMse(tf.sigmoid(relationLogits(layers, sums, xs[1] as tf.Tensor2D)) as tf.Tensor2D, Int32Array.from([0, 1, 1]));
    };
    const grads = tf.grads((...xs: tf.Tensor[]) => loss(xs))(all);
    const dirs = all.map((t) => tf.tensor(Array.from({ length: t.size }, () => rng.normal()), t.shape));
    const analytic = grads.reduce((s, g, i) => s + tf.sum(tf.mul(g, dirs[i])).dataSync()[0], 0);
    const at = (h: number) => tf.tidy(() => loss(all.map((t, i) => tf.add(t, tf.mul(dirs[i], h)))).dataSync()[0]);
    // A small step: with ~80 ReLU units some pre-activation lies within 1e-2 of its kink along
    // this direction (larger steps disagree by up to 20%, shrinking towards the gradient).
    const h = 2e-4;
    const numeric = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
    expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
    expect(Math.abs(analytic - numeric) / Math.abs(numeric)).toBeLessThan(3e-3);
    grads.forEach((g) => expect(tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(1e-7));
    tf.dispose([...all, ...grads, ...dirs]);
  });
});

describe('relation network method', () => {
  function setup(seed: number, shots: number) {
    const cfg = { width: 8, ways: 5, shots, queries: 5 };
    const rng = new Rng(seed);
    const mod = initRelationModule({ width: 8, ways: 5 }, rng);
    const names = ['lin_w', ...mod.specs.map((s) => s.name)];
    const vars = [tf.variable(tf.tensor2d(glorot({ name: 'lin_w', shape: [12, 8] }, rng), [12, 8])), ...mod.specs.map((s, i) => tf.variable(tf.tensor(mod.values[i], s.shape)))];
    return { ctx: linearContext('relation', cfg, vars, names, seed), vars };
  }

  it('declares the encoder plus the relation module 2D → D → D → 8 → 1', () => {
    const names = relationImpl.paramSpecs(testConfig('relation', { width: 16 })).map((s) => s.name);
    expect(names).toContain('conv4_w');
    expect(relationModuleSpecs({ width: 16 }).map((s) => s.shape)).toEqual([[32, 16], [16], [16, 16], [16], [16, 8], [8], [8, 1], [1]]);
    const init = relationImpl.init(testConfig('relation', { width: 16 }), new Rng(0));
    expect(init.specs.map((s) => s.name)).toEqual(names);
    // The output bias starts at the constant-score optimum: σ(b) = 1/ways (5-way: logit(0.2)).
    const b4 = init.values[init.specs.findIndex((s) => s.name === 'rel_b4')][0];
    expect(1 / (1 + Math.exp(-b4))).toBeCloseTo(1 / testConfig('relation').ways, 6);
    expect(init.values[init.specs.findIndex((s) => s.name === 'rel_b3')].every((v) => v === 0)).toBe(true);
  });

  it('leaks no tensors in loss, gradients and predict; outputs relations [Q, ways] in [0, 1]', () => {
    const { ctx, vars } = setup(1, 2);
    const ep = vectorEpisode(new Rng(2), 5, 2, 3);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => relationLoss(ctx, ep), vars);
    tf.dispose(value);
    tf.dispose(Object.values(grads));
    const out = relationPredict(ctx, ep);
    expect(out.relations?.shape).toEqual([15, 5]);
    expect(out.prototypes?.shape).toEqual([5, 8]);
    const r = values(out.relations as tf.Tensor);
    expect(r.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Probabilities are the normalised relation scores.
    const p = tf.tidy(() => values(tf.exp(out.logProbs)));
    const rowSum = r.slice(0, 5).reduce((a, b) => a + b, 0);
    p.slice(0, 5).forEach((v, i) => expect(v).toBeCloseTo(r[i] / rowSum, 5));
    tf.dispose(Object.values(out) as tf.Tensor[]);
    expect(tf.memory().numTensors).toBe(before);
    disposeEpisode(ep);
    tf.dispose(vars);
  });

  for (const shots of [1, 5]) {
    it(`learns: 5-way ${shots}-shot accuracy well above chance`, () => {
      const { ctx, vars } = setup(3, shots);
      const { before, after } = accuracyBeforeAfterTraining(relationPredict, relationLoss, ctx, vars, { shots: shots, lr: 0.01, steps: 300 });
      expect(after).toBeGreaterThan(0.7);
      expect(after).toBeGreaterThan(before + 0.15);
      tf.dispose(vars);
    });
  }
});
