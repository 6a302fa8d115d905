import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runTrainingLoop } from './trainLoop';

describe('runTrainingLoop', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs every step, reads the loss every `every` steps and at the end, and leaks nothing', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (lines.push(String(s)), true));
    const before = tf.memory().numTensors;
    let calls = 0;
    const run = runTrainingLoop(25, () => tf.scalar(++calls), { every: 10, divergeAbove: 1e6 });
    expect(calls).toBe(25);
    expect(run?.lastLoss).toBe(25);
    expect(lines.map((l) => l.trim())).toEqual(['step 10/25  meta-loss 10.0000', 'step 20/25  meta-loss 20.0000', 'step 25/25  meta-loss 25.0000']);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops at the first read-back above the threshold or not finite, and says so', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (lines.push(String(s)), true));
    let calls = 0;
    expect(runTrainingLoop(100, () => tf.scalar(++calls > 12 ? 1e9 : 1), { every: 5, divergeAbove: 1e6 })).toBeNull();
    expect(calls).toBe(15);
    expect(lines.at(-1)).toContain('training diverged at step 15');
    calls = 0;
    expect(runTrainingLoop(10, () => tf.scalar(++calls === 10 ? NaN : 1), { every: 100, divergeAbove: 1e6 })).toBeNull();
  });
});
