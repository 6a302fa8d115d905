import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointParams, makeCheckpoint, parseCheckpoint } from '../core/checkpoint';
import { Rng } from '../core/rng';
import { copyBatchFromPattern, countBitErrors, sampleCopyBatch } from '../tasks/copy';
import { CopyTrainer, copyConfig, copyForward, copyTraceTensors, evaluateCopy } from './copyTask';
import { GravesRmsProp } from './rmsprop';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('copy task data', () => {
  it('lays out the vectors, the delimiter and the recall targets', () => {
    const b = copyBatchFromPattern([
      [1, 0, 0, 0, 0, 0, 0, 1],
      [0, 1, 1, 0, 0, 0, 0, 0],
    ]);
    expect(b.steps).toBe(5);
    const row = (t: number) => Array.from(b.inputs.subarray(t * 9, t * 9 + 9));
    expect(row(0)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(row(1)).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(row(2)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]); // delimiter channel only
    expect(row(3)).toEqual(Array(9).fill(0));
    expect(Array.from(b.targets)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0]);
    expect(countBitErrors([5, -1, -1, -1, -1, -1, -1, 2, -3, 4, 4, -1, -1, -1, -1, 9], b.targets)).toBe(1);
  });

  it('samples reproducible random sequences of the requested length', () => {
    const a = sampleCopyBatch(new Rng(4), 3, 4);
    const b = sampleCopyBatch(new Rng(4), 3, 4);
    expect(a.steps).toBe(9);
    expect(Array.from(a.inputs)).toEqual(Array.from(b.inputs));
    const ones = a.targets.reduce((s, v) => s + v, 0);
    expect(ones).toBeGreaterThan(20);
    expect(ones).toBeLessThan(76);
    expect(() => sampleCopyBatch(new Rng(0), 1, 0)).toThrow(RangeError);
  });
});

describe('RMSProp in the form of Graves (2013)', () => {
  it('takes the hand-computed first step and clips the gradient to ±clip', () => {
    const v = tf.variable(tf.tensor1d([1, 1]), true, 'rms_test_v');
    const opt = new GravesRmsProp(0.1, 0.95, 0.9, 10, 1e-4);
    opt.apply([v], { rms_test_v: tf.tensor1d([2, 50]) });
    // ε = (2, 10 after clipping); n = 0.05 ε², ḡ = 0.05 ε; Δ = −0.1 ε / √(n − ḡ² + 1e-4)
    const step = (e: number) => (-0.1 * e) / Math.sqrt(0.05 * e * e - (0.05 * e) ** 2 + 1e-4);
    const got = Array.from(v.dataSync());
    expect(got[0]).toBeCloseTo(1 + step(2), 5);
    expect(got[1]).toBeCloseTo(1 + step(10), 5);
    // A zero gradient never gives NaN (tf.train.rmsprop's centred form does).
    opt.apply([v], { rms_test_v: tf.tensor1d([0, 0]) });
    expect(Array.from(v.dataSync()).every(Number.isFinite)).toBe(true);
    opt.dispose();
  });
});

describe('NTM and LSTM on the copy task', () => {
  it('runs both models, with finite losses and the trace the lab draws', () => {
    for (const model of ['ntm', 'lstm'] as const) {
      const tr = new CopyTrainer(copyConfig(model, 'small', { seed: 2, maxLength: 3 }));
      const loss = tr.step();
      expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
      expect(loss.dataSync()[0]).toBeGreaterThan(0.5); // untrained: close to ln 2 per bit
      loss.dispose();
      const batch = copyBatchFromPattern([[1, 0, 1, 0, 1, 0, 1, 0]]);
      const trace = copyTraceTensors(tr.config, tr.variables, batch);
      expect(trace.outputs.shape).toEqual([3, 8]);
      if (model === 'ntm') {
        expect(trace.memory!.shape).toEqual([3, 16, 5]);
        expect(trace.weights!.shape).toEqual([3, 2, 16]);
        expect(trace.shift!.shape).toEqual([3, 2, 3]);
        expect(trace.erase!.shape).toEqual([3, 1, 5]);
        // Each weighting is a distribution over the slots.
        const w = trace.weights!.sum(-1).dataSync();
        w.forEach((s) => expect(s).toBeCloseTo(1, 4));
      } else expect(trace.memory).toBeUndefined();
      Object.values(trace).forEach((x) => (x as tf.Tensor).dispose());
      tr.dispose();
    }
  });

  it('saves and restores its parameters through a checkpoint file', () => {
    const cfg = copyConfig('ntm', 'small', { seed: 5, maxLength: 2 });
    const a = new CopyTrainer(cfg);
    a.step().dispose();
    const text = JSON.stringify(makeCheckpoint('ntm', 'copy', { ...cfg }, a.steps, a.params()));
    const b = new CopyTrainer(cfg, checkpointParams(parseCheckpoint(text)));
    const batch = sampleCopyBatch(new Rng(9), 4, 2);
    const la = copyForward(cfg, a.variables, batch).logits.dataSync();
    const lb = copyForward(cfg, b.variables, batch).logits.dataSync();
    expect(Array.from(lb)).toEqual(Array.from(la));
    expect(() => new CopyTrainer(copyConfig('ntm', 'large'), a.params())).toThrow(/expected shape/);
    a.dispose();
    b.dispose();
  });
});

describe('tensor bookkeeping', () => {
  it('training, evaluating and tracing leave no tensors behind; dispose frees the model and the optimiser', () => {
    for (const model of ['ntm', 'lstm'] as const) {
      const before = tf.memory().numTensors;
      const tr = new CopyTrainer(copyConfig(model, 'small', { seed: 3, maxLength: 2 }));
      tr.step().dispose(); // the first step creates the optimiser's slots
      const afterFirst = tf.memory().numTensors;
      expect(afterFirst).toBeGreaterThan(before);
      for (let i = 0; i < 3; i++) tr.step().dispose();
      evaluateCopy(tr.config, tr.variables, 2, 10, 1);
      Object.values(copyTraceTensors(tr.config, tr.variables, copyBatchFromPattern([[1, 1, 0, 0, 1, 0, 1, 0]]))).forEach((x) => (x as tf.Tensor).dispose());
      expect(tf.memory().numTensors, model).toBe(afterFirst);
      tr.dispose();
      expect(tf.memory().numTensors, model).toBe(before);
    }
  });
});

describe('learning', () => {
  it('an NTM learns to copy sequences of length 1…3 in a few hundred steps', async () => {
    // A reduced NTM (8 slots of width 8, a 32-unit feed-forward controller) so the run stays short;
    // the same code trains the presets (see docs/benchmarks.md).
    const cfg = copyConfig('ntm', 'small', { slots: 8, width: 8, controllerSize: 32, maxLength: 3, lr: 1e-2, seed: 0 });
    const tr = new CopyTrainer(cfg);
    const before = evaluateCopy(cfg, tr.variables, 3, 64, 11).ber;
    for (let i = 0; i < 400; i++) {
      tr.step().dispose();
      // Let vitest's worker talk to the runner now and then (a long synchronous block times it out).
      if (i % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    const after = [1, 2, 3].map((len) => evaluateCopy(cfg, tr.variables, len, 64, 11).ber);
    tr.dispose();
    expect(before).toBeGreaterThan(0.3);
    for (const ber of after) expect(ber).toBeLessThan(0.1);
  });
});
