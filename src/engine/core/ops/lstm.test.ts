import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lstmCell } from './lstm';
import { expectChecksPass, useCpu, values } from './testUtil';

beforeAll(useCpu);

describe('lstmCell', () => {
  it('passes the float64 finite-difference checks (and matches tf.basicLSTMCell with reordered gates)', async () => {
    await expectChecksPass(['lstm'], 2);
  });

  it('gate order is i | f | g | o', () => {
    // Zero kernel: every gate is σ or tanh of its bias slice.
    const H = 2;
    const x = tf.zeros([1, 3]) as tf.Tensor2D;
    const state = { h: tf.zeros([1, H]) as tf.Tensor2D, c: tf.tensor2d([[0.5, -0.5]]) };
    const kernel = tf.zeros([3 + H, 4 * H]) as tf.Tensor2D;
    // i = σ(-20) ≈ 0, f = σ(20) ≈ 1: the cell keeps c; o = σ(20) ≈ 1: h = tanh(c).
    const bias = tf.tensor1d([-20, -20, 20, 20, 1, 1, 20, 20]);
    const next = lstmCell(x, state, kernel, bias);
    values(next.c).forEach((v, i) => expect(v).toBeCloseTo([0.5, -0.5][i], 6));
    values(next.h).forEach((v, i) => expect(v).toBeCloseTo(Math.tanh([0.5, -0.5][i]), 6));
    // i = 1, f = 0, g = tanh(1): the cell is replaced.
    const replaced = lstmCell(x, state, kernel, tf.tensor1d([20, 20, -20, -20, 1, 1, 20, 20]));
    values(replaced.c).forEach((v) => expect(v).toBeCloseTo(Math.tanh(1), 6));
  });

  it('rejects a kernel of the wrong shape', () => {
    const state = { h: tf.zeros([1, 2]) as tf.Tensor2D, c: tf.zeros([1, 2]) as tf.Tensor2D };
    expect(() => lstmCell(tf.zeros([1, 3]) as tf.Tensor2D, state, tf.zeros([5, 4]) as tf.Tensor2D, tf.zeros([4]) as tf.Tensor1D)).toThrow(/kernel/);
  });
});
