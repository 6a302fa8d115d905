import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, convAxis, setFilterGradStrategy } from './conv';
import { expectChecksPass, useCpu, values } from './testUtil';

beforeAll(useCpu);
afterEach(() => setFilterGradStrategy('auto'));

const CONV_CHECKS = ['conv2d-3x3-s1-same', 'conv2d-3x3-s1-valid', 'conv2d-3x3-s2-same', 'conv2d-3x3-s2-valid'];

/** A deterministic non-trivial tensor. */
const wave = (shape: number[], phase: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + phase)), shape);
};

describe('conv2d', () => {
  it('passes the float64 finite-difference checks, 3×3, stride 1 and 2, same and valid (filter gradient by the native kernel)', async () => {
    setFilterGradStrategy('kernel');
    await expectChecksPass(CONV_CHECKS, 8);
  });

  it('passes them with the filter gradient computed as a dilated conv2d (the wasm route)', async () => {
    setFilterGradStrategy('conv');
    await expectChecksPass(CONV_CHECKS, 8);
  });

  it('both filter-gradient routes agree with tfjs for other sizes (5×5 filter, 7×9 input, strides 1–3)', () => {
    const x = wave([2, 7, 9, 3], 0) as tf.Tensor4D;
    for (const [k, s, pad] of [[5, 1, 'same'], [5, 2, 'valid'], [3, 3, 'same'], [2, 2, 'same']] as const) {
      const w = wave([k, k, 3, 4], 1) as tf.Tensor4D;
      const y = tf.conv2d(x, w, s, pad);
      const dy = wave(y.shape, 2) as tf.Tensor4D;
      const [, stockDw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad), dy)))([x, w]);
      for (const strategy of ['kernel', 'conv'] as const) {
        setFilterGradStrategy(strategy);
        const dw = conv2dBackpropFilter(x, dy, [k, k, 3, 4], s, pad);
        values(dw).forEach((v, i) => expect(v).toBeCloseTo(values(stockDw)[i], 4));
      }
      const dx = conv2dBackpropInput(dy, w, [2, 7, 9, 3], s, pad);
      values(dx).forEach((v, i) => expect(v).toBeCloseTo(values(tf.conv2dTranspose(dy, w, [2, 7, 9, 3], s, pad))[i], 4));
      expect(conv2d(x, w, s, pad).shape).toEqual(y.shape);
      expect(convAxis(7, k, s, pad).out).toBe(y.shape[1]);
    }
  });

  it('runs the native Conv2D kernel forward, and only conv kernels for gradients of any order', async () => {
    const x = wave([1, 5, 5, 2], 0) as tf.Tensor4D;
    const w = wave([3, 3, 2, 2], 1) as tf.Tensor4D;
    const forward = await tf.profile(() => conv2d(x, w));
    expect(forward.kernels.map((k) => k.name)).toContain('Conv2D');
    // Third derivative of a cubic in the filter: must run (stock tfjs throws at order 2).
    const third = await tf.profile(() => {
      let f = (v: tf.Tensor) => tf.sum(tf.pow(conv2d(x, v as tf.Tensor4D), 3));
      for (let k = 0; k < 3; k++) {
        const prev = f;
        f = (v: tf.Tensor) => tf.sum(tf.grad(prev)(v));
      }
      return f(w);
    });
    const names = new Set(third.kernels.map((k) => k.name));
    expect(names.has('Conv2D')).toBe(true);
    expect(names.has('Conv2DBackpropInput')).toBe(true);
  });

  it('third derivative of a cubic matches its analytic value', () => {
    // f(w) = Σ (x⊛w)³ is a cubic in w; along direction v its third derivative is 6 Σ (x⊛v)³.
    const x = wave([1, 6, 6, 2], 0) as tf.Tensor4D;
    const w = wave([3, 3, 2, 3], 1) as tf.Tensor4D;
    const v = wave([3, 3, 2, 3], 2) as tf.Tensor4D;
    const along = (f: (t: tf.Tensor) => tf.Scalar) => (t: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(t), v)) as tf.Scalar;
    const f0 = (t: tf.Tensor) => tf.sum(tf.pow(conv2d(x, t as tf.Tensor4D, 2, 'same'), 3)) as tf.Scalar;
    const third = along(along(along(f0)))(w);
    const expected = tf.mul(6, tf.sum(tf.pow(tf.conv2d(x, v, 2, 'same'), 3)));
    expect(values(third)[0]).toBeCloseTo(values(expected)[0], 2);
  });

  it('rejects mismatched channels', () => {
    expect(() => conv2d(tf.zeros([1, 4, 4, 2]) as tf.Tensor4D, tf.zeros([3, 3, 3, 1]) as tf.Tensor4D)).toThrow(/channels/);
  });
});
