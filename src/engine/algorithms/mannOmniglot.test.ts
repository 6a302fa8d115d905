import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { EpisodeSampler, generateSyntheticDataset, type CharacterDataset } from '../tasks/characters';
import { sampleLabelSequences } from '../tasks/labelSequence';
import { MannTrainer, accuracyByInstance, evaluateMann, mannConfig, mannForward, mannLoss } from './mannOmniglot';

let dataset: CharacterDataset;

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
  // A small synthetic set at 20 × 20: 6 alphabets (4 background, 2 evaluation) × 6 characters × 10 drawers.
  dataset = generateSyntheticDataset({ seed: 3, alphabets: 6, charactersPerAlphabet: 6, drawersPerCharacter: 10, evaluationAlphabets: 2, imageSize: 20 });
});

const sampler = (split: 'background' | 'evaluation' = 'background') => new EpisodeSampler(dataset, { nWay: 5, kShot: 10, qQuery: 0, split }, 1);

describe('label sequences (Santoro et al. 2016)', () => {
  it('shows each label one step late, each class 10 times, in a shuffled order', () => {
    const b = sampleLabelSequences(sampler(), new Rng(5), 3);
    expect(b.steps).toBe(50);
    expect(b.pixels).toBe(400);
    for (let e = 0; e < 3; e++) {
      const labels = Array.from({ length: 50 }, (_, t) => b.labels[t * 3 + e]);
      for (let c = 0; c < 5; c++) expect(labels.filter((l) => l === c).length).toBe(10);
      // not in class-major order
      expect(labels.slice(0, 10).every((l) => l === labels[0])).toBe(false);
      const seen = [0, 0, 0, 0, 0];
      for (let t = 0; t < 50; t++) {
        const prev = Array.from(b.previous.subarray((t * 3 + e) * 5, (t * 3 + e + 1) * 5));
        if (t === 0) expect(prev).toEqual([0, 0, 0, 0, 0]);
        else expect(prev.indexOf(1)).toBe(labels[t - 1]);
        expect(prev.reduce((a, v) => a + v, 0)).toBe(t === 0 ? 0 : 1);
        expect(b.instance[t * 3 + e]).toBe(++seen[labels[t]]);
        const ink = b.images.subarray((t * 3 + e) * 400, (t * 3 + e + 1) * 400).reduce((a, v) => a + v, 0);
        expect(ink).toBeGreaterThan(5);
      }
    }
  });

  it('accuracy by instance groups predictions by presentation number', () => {
    const b = sampleLabelSequences(sampler(), new Rng(6), 2);
    const correct = Array.from(b.instance, (n) => (n >= 5 ? 1 : 0));
    const { hits, counts } = accuracyByInstance(correct, b, 10);
    expect(counts).toEqual(Array(10).fill(10)); // 2 episodes × 5 classes
    expect(hits).toEqual([0, 0, 0, 0, 10, 10, 10, 10, 10, 10]);
  });
});

describe('MANN with LRUA', () => {
  it('keeps its usage and weights consistent over an episode', () => {
    const cfg = mannConfig('small', { slots: 16, width: 8, controllerSize: 24, readHeads: 2, embedding: 16 });
    const tr = new MannTrainer(cfg, sampler());
    const b = sampleLabelSequences(sampler(), new Rng(7), 2);
    const { logits, trace } = mannForward(tr.spec, tr.variables, b, true);
    expect(logits.shape).toEqual([50, 2, 5]);
    expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
    const steps = trace!;
    // Read weightings are distributions; write weightings sum to 1 per head (σ(α)·w_r + (1−σ(α))·w_lu,
    // w_lu marks R slots, so from the second step on Σ w_w = σ(α) + (1 − σ(α))·R).
    for (const s of [steps[3], steps[40]]) s.readWeights.sum(-1).dataSync().forEach((v) => expect(v).toBeCloseTo(1, 4));
    // The slot cleared at each step is one-hot.
    steps.slice(0, 5).forEach((s) => s.cleared.sum(-1).dataSync().forEach((v) => expect(v).toBe(1)));
    // Usage accumulates: γ Σ w_u + (reads + writes) grows from 0.
    const u1 = steps[0].usage.sum().dataSync()[0];
    const u10 = steps[9].usage.sum().dataSync()[0];
    expect(u1).toBeGreaterThan(0);
    expect(u10).toBeGreaterThan(u1);
    tr.dispose();
  });

  it('has finite, non-zero gradients for every parameter; the evaluation counts every presentation', () => {
    const cfg = mannConfig('small', { slots: 16, width: 8, controllerSize: 24, readHeads: 2, embedding: 16, lr: 3e-3 });
    const tr = new MannTrainer(cfg, sampler());
    const b = sampleLabelSequences(sampler(), new Rng(8), 4);
    const { grads } = tf.variableGrads(() => mannLoss(tr.spec, tr.variables, b), tr.variables as tf.Variable[]);
    for (const [name, g] of Object.entries(grads)) {
      expect(Array.from(g.dataSync()).every(Number.isFinite), name).toBe(true);
      expect(g.abs().max().dataSync()[0], name).toBeGreaterThan(0);
    }
    const evalA = evaluateMann(cfg, tr.spec, tr.variables, sampler('evaluation'), 8, 1);
    expect(evalA.accuracy).toHaveLength(10);
    expect(evalA.counts.every((c) => c === 40)).toBe(true);
    tr.dispose();
  });

  it('training and evaluating leave no tensors behind; dispose frees the model and the optimiser', () => {
    const before = tf.memory().numTensors;
    const cfg = mannConfig('small', { slots: 8, width: 4, controllerSize: 8, readHeads: 1, embedding: 8, batch: 2 });
    const tr = new MannTrainer(cfg, sampler());
    tr.step().dispose();
    const afterFirst = tf.memory().numTensors;
    expect(afterFirst).toBeGreaterThan(before);
    tr.step().dispose();
    evaluateMann(cfg, tr.spec, tr.variables, sampler('evaluation'), 4, 2);
    expect(tf.memory().numTensors).toBe(afterFirst);
    tr.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
