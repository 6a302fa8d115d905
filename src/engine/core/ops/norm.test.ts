import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNorm, layerNorm } from './norm';
import { expectChecksPass, useCpu, values } from './testUtil';

beforeAll(useCpu);

describe('normalization', () => {
  it('transductive batch norm and layer norm pass the float64 finite-difference checks', async () => {
    await expectChecksPass(['norm'], 4);
  });

  it('batch norm uses the statistics of the current batch, per channel', () => {
    const x = tf.tensor4d(Float32Array.from({ length: 4 * 3 * 3 * 2 }, (_, i) => Math.cos(i) * (1 + (i % 2) * 5)), [4, 3, 3, 2]);
    const y = batchNorm(x, tf.ones([2]), tf.zeros([2]), 0);
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    values(mean).forEach((m) => expect(m).toBeCloseTo(0, 5));
    values(variance).forEach((v) => expect(v).toBeCloseTo(1, 4));
    const shifted = batchNorm(x, tf.tensor1d([2, 3]), tf.tensor1d([-1, 1]), 0);
    values(tf.mean(shifted, [0, 1, 2])).forEach((m, i) => expect(m).toBeCloseTo([-1, 1][i], 5));
  });

  it('layer norm normalizes each row', () => {
    const x = tf.tensor2d([[1, 2, 3, 4], [10, 0, -10, 5]]);
    const y = layerNorm(x, tf.ones([4]), tf.zeros([4]), 0);
    values(tf.mean(y, 1)).forEach((m) => expect(m).toBeCloseTo(0, 5));
    values(tf.mean(tf.square(y), 1)).forEach((v) => expect(v).toBeCloseTo(1, 4));
  });

  it('Hessian-vector product through batch norm agrees with stock tf.moments + tf.batchNorm', () => {
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => Math.sin(i)), [2, 2, 2, 3]);
    const scale = tf.tensor1d([1, 0.5, 2]);
    const offset = tf.tensor1d([0, 0.1, -0.2]);
    const hvp = (bn: (t: tf.Tensor) => tf.Tensor) =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.grad((u: tf.Tensor) => tf.sum(tf.pow(bn(u), 3)))(t))))(x);
    const ours = values(hvp((t) => batchNorm(t, scale, offset)));
    const stock = values(
      hvp((t) => {
        const { mean, variance } = tf.moments(t, [0, 1, 2]);
        return tf.batchNorm(t, mean, variance, offset, scale, 1e-3);
      }),
    );
    const scaleOf = Math.max(...stock.map(Math.abs));
    ours.forEach((v, i) => expect(Math.abs(v - stock[i]) / scaleOf).toBeLessThan(1e-5));
  });
});
