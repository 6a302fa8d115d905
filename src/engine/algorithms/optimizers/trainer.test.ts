import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointParams, makeCheckpoint, parseCheckpoint } from '../../core/checkpoint';
import { useCpu } from '../../core/ops/testUtil';
import { BASELINES, lstmOptimizerConfig } from './config';
import { LstmOptimizerTrainer } from './trainer';

beforeAll(useCpu);

const TINY = lstmOptimizerConfig({ dims: 3, hidden: 4, batch: 2, unroll: 5, horizon: 10, tuneFunctions: 3, evalFunctions: 4, rateGrid: [1e-3, 1e-2, 0.1], seed: 7 });

describe('LSTM optimiser trainer', () => {
  it('keeps the tensor count flat over hundreds of optimisee steps (meta-updates across horizons, evaluation)', () => {
    const trainer = new LstmOptimizerTrainer(TINY);
    trainer.step().dispose();
    const before = tf.memory().numTensors;
    // 60 meta-updates of 5 steps: 300 optimisee steps, 30 fresh batches of functions.
    for (let i = 0; i < 60; i++) {
      const loss = trainer.step();
      expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
      loss.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    trainer.evaluate();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('a checkpoint round trip gives the same parameters and the same evaluation', () => {
    const trainer = new LstmOptimizerTrainer(TINY);
    for (let i = 0; i < 3; i++) trainer.step().dispose();
    const text = JSON.stringify(makeCheckpoint('lstm-optimizer', 'quadratic', { ...TINY }, trainer.steps, trainer.params()));
    const loaded = new LstmOptimizerTrainer(TINY, checkpointParams(parseCheckpoint(text)));
    expect(loaded.params().values).toEqual(trainer.params().values);
    const [a, b] = [trainer.evaluate(), loaded.evaluate()];
    expect(b.learned.curve).toEqual(a.learned.curve);
    expect(Object.keys(a.baselines)).toEqual([...BASELINES]);
    for (const k of BASELINES) expect(b.baselines[k].final).toBe(a.baselines[k].final);
    expect(() => new LstmOptimizerTrainer({ ...TINY, preprocess: 'raw' }, trainer.params())).toThrow(/not an LSTM optimiser/);
    trainer.dispose();
    loaded.dispose();
  });

  it('meta-training lowers the loss the LSTM reaches on its training functions', () => {
    const trainer = new LstmOptimizerTrainer({ ...TINY, batch: 16, metaLr: 0.01 });
    const mean = (n: number) => {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const l = trainer.step();
        sum += l.dataSync()[0];
        l.dispose();
      }
      return sum / n;
    };
    const first = mean(10);
    for (let i = 0; i < 40; i++) trainer.step().dispose();
    expect(mean(10)).toBeLessThan(first);
    trainer.dispose();
  });
});
