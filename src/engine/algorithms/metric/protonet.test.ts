import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, parseCheckpoint } from '../../core/checkpoint';
import { Rng } from '../../core/rng';
import { EpisodeSampler, generateSyntheticDataset } from '../../tasks/characters';
import { encode, encoderParamSpecs, initEncoder, lookupFor, updateRunningStats, type BatchStats } from './encoder';
import { classMeans, logProbsFromDistances, meanNll, protonetForward, squaredDistances } from './protonet';
import { metricConfigFor } from './registry';
import { MetricTrainer, meanCi95 } from './trainer';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

const dataset = generateSyntheticDataset({ seed: 1, alphabets: 6, charactersPerAlphabet: 6, drawersPerCharacter: 8 });

describe('prototypical network maths on fixed embeddings', () => {
  it('squared distances, class means, log-softmax over −d and the NLL match hand values', () => {
    // Support: class 0 at (0,0) and (2,0) → prototype (1,0); class 1 at (0,2) → prototype (0,2).
    const support = tf.tensor2d([[0, 0], [2, 0], [0, 2]]);
    const labels = Int32Array.from([0, 0, 1]);
    expect(Array.from(classMeans(support, labels, 2).dataSync())).toEqual([1, 0, 0, 2]);
    const query = tf.tensor2d([[1, 1]]);
    // d = ‖(1,1)−(1,0)‖² = 1, ‖(1,1)−(0,2)‖² = 2.
    expect(Array.from(squaredDistances(query, tf.tensor2d([[1, 0], [0, 2]])).dataSync())).toEqual([1, 2]);
    const f = protonetForward(support, query, labels, 2);
    const lp = f.logProbs.dataSync();
    // p(0) = e^{−1}/(e^{−1}+e^{−2}) = 1/(1+e^{−1}).
    expect(lp[0]).toBeCloseTo(-Math.log(1 + Math.exp(-1)), 6);
    expect(lp[1]).toBeCloseTo(-1 - Math.log(1 + Math.exp(-1)), 6);
    expect(meanNll(f.logProbs, Int32Array.from([1])).dataSync()[0]).toBeCloseTo(1 + Math.log(1 + Math.exp(-1)), 6);
    expect(Array.from(logProbsFromDistances(tf.tensor2d([[0, 0]])).dataSync())[0]).toBeCloseTo(Math.log(0.5), 6);
  });

  it('the gradient of the loss wrt a query embedding is 2·Σ_k (p_k − y_k)(x − c_k) (finite differences)', () => {
    const support = tf.tensor2d([[0.3, -0.2], [1.1, 0.4], [-0.5, 0.9]]);
    const labels = Int32Array.from([0, 1, 2]);
    const loss = (q: tf.Tensor) => meanNll(protonetForward(support, q as tf.Tensor2D, labels, 3).logProbs, Int32Array.from([1]));
    const q = tf.tensor2d([[0.2, 0.1]]);
    const g = tf.grad(loss)(q).dataSync();
    const h = 1e-3;
    for (let i = 0; i < 2; i++) {
      const plus = q.dataSync().slice();
      const minus = q.dataSync().slice();
      plus[i] += h;
      minus[i] -= h;
      const fd = (loss(tf.tensor2d(plus, [1, 2])).dataSync()[0] - loss(tf.tensor2d(minus, [1, 2])).dataSync()[0]) / (2 * h);
      expect(g[i]).toBeCloseTo(fd, 2);
    }
  });

  it('meanCi95 is 1.96·s/√n', () => {
    const r = meanCi95([0, 1, 1, 0]);
    expect(r.mean).toBe(0.5);
    expect(r.ci95).toBeCloseTo((1.96 * Math.sqrt(1 / 3)) / 2, 10);
  });
});

describe('the encoder', () => {
  it('embeds 28×28 images to width features; train mode collects batch stats, eval mode uses the running ones', () => {
    const spec = { width: 4, extra: 0 };
    const init = initEncoder(spec, new Rng(1));
    const params = init.values.map((v, i) => tf.variable(tf.tensor(v, init.specs[i].shape)));
    const names = init.specs.map((s) => s.name);
    const p = lookupFor(names, params);
    expect(init.values[names.indexOf('bn1_var')].every((v) => v === 1)).toBe(true);
    const x = tf.tensor4d(Float32Array.from({ length: 3 * 784 }, (_, i) => (i * 7919) % 13 / 13), [3, 28, 28, 1]);
    const collected: BatchStats[] = [];
    expect(encode(p, x, 'train', collected).shape).toEqual([3, 4]);
    expect(collected.map((c) => c.block)).toEqual([1, 2, 3, 4]);
    const batchMean = collected[0].mean.dataSync().slice();
    updateRunningStats((n) => params[names.indexOf(n)], collected);
    expect(collected.length).toBe(0);
    const rm = params[names.indexOf('bn1_mean')].dataSync();
    batchMean.forEach((m, c) => expect(rm[c]).toBeCloseTo(0.1 * m, 6));
    // One image alone in eval mode: no batch statistics needed, and its embedding does not depend on the batch.
    const single = encode(p, tf.slice(x, [0], [1]) as tf.Tensor4D, 'eval').dataSync();
    const inBatch = encode(p, x, 'eval').dataSync().slice(0, 4);
    single.forEach((v, i) => expect(v).toBeCloseTo(inBatch[i], 5));
    expect(encoderParamSpecs({ width: 4, extra: 1 }).find((s) => s.name === 'conv4_w')!.shape).toEqual([3, 3, 4, 5]);
  });
});

describe('MetricTrainer with the prototypical network', () => {
  const cfg = metricConfigFor('protonet', { ways: 3, shots: 1, queries: 3, width: 8, lr: 3e-3, seed: 4 });

  it('learns on synthetic characters: accuracy rises well above chance on held-out alphabets', () => {
    const t = new MetricTrainer(cfg);
    const train = new EpisodeSampler(dataset, { ...t.episodeSpec(), split: 'background' }, 1);
    const evalSampler = () => new EpisodeSampler(dataset, { ...t.episodeSpec(), split: 'evaluation' }, 9);
    const before = t.evaluate(evalSampler(), 30);
    let lastLoss = Infinity;
    for (let s = 0; s < 60; s++) {
      const { loss, accuracy } = t.step(train.next());
      lastLoss = loss.dataSync()[0];
      expect(accuracy.dataSync()[0]).toBeGreaterThanOrEqual(0);
      tf.dispose([loss, accuracy]);
    }
    const after = t.evaluate(evalSampler(), 30);
    expect(Number.isFinite(lastLoss)).toBe(true);
    expect(after.accuracy).toBeGreaterThan(0.6);
    expect(after.accuracy).toBeGreaterThan(before.accuracy);
    expect(after.ci95).toBeGreaterThan(0);
    t.dispose();
  });

  it('steps and classifies without leaking tensors; classify gives probabilities, prototypes and distances', () => {
    const t = new MetricTrainer(cfg);
    const sampler = new EpisodeSampler(dataset, t.episodeSpec(), 2);
    const warm = t.step(sampler.next());
    tf.dispose([warm.loss, warm.accuracy]);
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const r = t.step(sampler.next());
      tf.dispose([r.loss, r.accuracy]);
    }
    const c = t.classify(sampler.next());
    expect(tf.memory().numTensors).toBe(n0);
    expect(c.queries).toBe(9);
    for (let q = 0; q < 9; q++) expect(c.probs.slice(q * 3, q * 3 + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(c.shapes.prototypes).toEqual([3, 8]);
    expect(c.shapes.distances).toEqual([9, 3]);
    t.dispose();
  });

  it('checkpoints round-trip (running stats included) and a mismatched checkpoint is refused', () => {
    const t = new MetricTrainer(cfg);
    const sampler = new EpisodeSampler(dataset, t.episodeSpec(), 3);
    const r = t.step(sampler.next());
    tf.dispose([r.loss, r.accuracy]);
    const text = JSON.stringify(t.checkpoint());
    const back = MetricTrainer.fromCheckpoint(parseCheckpoint(text));
    expect(back.steps).toBe(1);
    const ep = sampler.next();
    expect(Array.from(back.classify(ep).probs)).toEqual(Array.from(t.classify(ep).probs));
    expect(back.params().specs.some((s) => s.name === 'bn4_var')).toBe(true);
    const wrong = parseCheckpoint(text);
    wrong.config.width = 16;
    expect(() => MetricTrainer.fromCheckpoint(wrong)).toThrow(CheckpointError);
    const other = parseCheckpoint(text);
    other.algorithm = 'maml';
    expect(() => MetricTrainer.fromCheckpoint(other)).toThrow(/not a metric-based method/);
    t.dispose();
    back.dispose();
  });
});
