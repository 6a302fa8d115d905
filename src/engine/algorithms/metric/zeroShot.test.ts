import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { useCpu } from '../../core/ops/testUtil';
import { DEFAULT_ZERO_SHOT, trainZeroShot, ZeroShotTask, ZeroShotTrainer, zeroShotLogits, zeroShotParamSpecs, type ZeroShotConfig } from './zeroShot';

beforeAll(useCpu);

const small: ZeroShotConfig = { ...DEFAULT_ZERO_SHOT, attributes: 4, features: 3, trainClasses: 6, testClasses: 4, hidden: 5, ways: 3, queries: 2 };

describe('zero-shot task', () => {
  it('gives every class a distinct binary attribute vector and keeps training and held-out classes disjoint', () => {
    const task = new ZeroShotTask(small);
    const codes = new Set<string>();
    for (let c = 0; c < task.classes; c++) {
      const a = Array.from(task.attributes.subarray(c * 4, c * 4 + 4));
      expect(a.every((v) => v === 0 || v === 1)).toBe(true);
      codes.add(a.join(''));
    }
    expect(codes.size).toBe(10);
    const train = task.classSet('train');
    const test = task.classSet('test');
    expect(train.filter((c) => test.includes(c))).toEqual([]);
    const rng = new Rng(1);
    for (let i = 0; i < 20; i++) expect(task.episode('test', 3, 2, rng).classes.every((c) => test.includes(c))).toBe(true);
    expect(() => new ZeroShotTask({ ...small, attributes: 3 })).toThrow(/cannot describe/);
  });

  it('items scatter around the class centre tanh(M a + m) with the configured noise', () => {
    const task = new ZeroShotTask({ ...small, noise: 0.5 });
    const centre = task.centre(2);
    expect(centre.every((v) => Math.abs(v) < 1)).toBe(true);
    const rng = new Rng(3);
    let sq = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) task.sample(2, rng).forEach((v, j) => (sq += (v - centre[j]) ** 2));
    // E‖x − centre‖² = F·σ² = 3·0.25
    expect(sq / n).toBeCloseTo(0.75, 1);
    const ep = task.episode('train', 3, 2, new Rng(4));
    expect(Array.from(ep.labels)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(ep.attributes.subarray(4, 8))).toEqual(Array.from(task.attributes.subarray(ep.classes[1] * 4, ep.classes[1] * 4 + 4)));
  });
});

describe('zero-shot relation network', () => {
  it('the attribute MLP feeds the relation module: hand-computed logits', () => {
    tf.tidy(() => {
      const cfg = { ...small, attributes: 1, features: 1, hidden: 1 };
      const names = zeroShotParamSpecs(cfg).map((s) => s.name);
      expect(names).toEqual(['attr_w1', 'attr_b1', 'attr_w2', 'attr_b2', 'rel_w1', 'rel_b1', 'rel_w2', 'rel_b2']);
      // h(a) = 2·relu(a) + 1;  g([e, x]) = 3·relu(e − x) − 1
      const p = [[[1]], [0], [[2]], [1], [[1], [-1]], [0], [[3]], [-1]].map((v) => tf.tensor(v as number[]));
      const z = zeroShotLogits(p, names, tf.tensor2d([[0], [1]]), tf.tensor2d([[0.5], [4]])).dataSync();
      // classes e = 1, 3; queries 0.5, 4 → [3·0.5 − 1, 3·2.5 − 1, −1, −1]
      expect(Array.from(z)).toEqual([0.5, 6.5, -1, -1]);
    });
  });

  it('gradient of the episode loss matches finite differences', () => {
    const trainer = new ZeroShotTrainer(small);
    const ep = trainer.task.episode('train', 3, 2, new Rng(5));
    const rng = new Rng(6);
    const specs = zeroShotParamSpecs(small);
    const params = specs.map((s) => tf.tensor(Float32Array.from({ length: s.shape.reduce((a, b) => a * b, 1) }, () => 0.5 * rng.normal()), s.shape));
    const grads = tf.grads((...xs: tf.Tensor[]) => trainer.loss(xs, ep))(params);
    const dirs = params.map((t) => tf.tensor(Array.from({ length: t.size }, () => rng.normal()), t.shape));
    const analytic = grads.reduce((s, g, i) => s + tf.sum(tf.mul(g, dirs[i])).dataSync()[0], 0);
    const at = (h: number) => tf.tidy(() => trainer.loss(params.map((t, i) => tf.add(t, tf.mul(dirs[i], h))), ep).dataSync()[0]);
    const h = 2e-4;
    const numeric = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
    expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
    expect(Math.abs(analytic - numeric) / Math.abs(numeric)).toBeLessThan(3e-3);
    tf.dispose([...params, ...grads, ...dirs]);
    trainer.dispose();
  });

  it('leaks no tensors over steps, evaluation and dispose', () => {
    const before = tf.memory().numTensors;
    const trainer = new ZeroShotTrainer(small);
    trainer.step();
    trainer.step();
    const during = tf.memory().numTensors;
    trainer.step();
    trainer.evaluate('test', 3, 2);
    expect(tf.memory().numTensors).toBe(during);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('learns: 5-way accuracy on held-out classes (never trained on) far above chance', () => {
    const untrained = new ZeroShotTrainer(DEFAULT_ZERO_SHOT);
    const before = untrained.evaluate('test', 5, 30);
    untrained.dispose();
    const result = trainZeroShot(DEFAULT_ZERO_SHOT, 150, 5, 30);
    expect(result.losses.length).toBe(150);
    expect(result.heldOut.chance).toBe(0.2);
    expect(before.accuracy).toBeLessThan(0.4);
    expect(result.heldOut.accuracy).toBeGreaterThan(0.6);
    expect(result.heldOut.accuracy).toBeGreaterThan(before.accuracy + 0.3);
  });
});
