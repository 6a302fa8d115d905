import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { avgPool2d, maxPool2d } from './pool';
import { expectChecksPass, useCpu, values } from './testUtil';

beforeAll(useCpu);

describe('pooling', () => {
  it('max- and average-pool 2×2 pass the float64 finite-difference checks (odd input: the last row/column is dropped)', async () => {
    await expectChecksPass(['pool'], 4);
  });

  it('ties: the whole gradient of a window goes to its first maximum, never split or doubled', () => {
    const x = tf.tensor4d([1, 1, 2, 2, 1, 1, 2, 2, 0, 3, 3, 3, 3, 3, 3, 3], [1, 4, 4, 1]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(maxPool2d(t as tf.Tensor4D), tf.tensor4d([1, 10, 100, 1000], [1, 2, 2, 1]))))(x);
    expect(values(g)).toEqual([1, 0, 10, 0, 0, 0, 0, 0, 0, 100, 1000, 0, 0, 0, 0, 0]);
  });

  it('values equal tf.maxPool / tf.avgPool for several sizes and pool widths', () => {
    for (const [h, w, k] of [[4, 4, 2], [7, 7, 2], [6, 9, 3], [28, 28, 2]]) {
      const x = tf.tensor4d(Float32Array.from({ length: 2 * h * w * 3 }, (_, i) => Math.sin(i * 1.3)), [2, h, w, 3]);
      expect(values(maxPool2d(x, k))).toEqual(values(tf.maxPool(x, k, k, 'valid')));
      values(avgPool2d(x, k)).forEach((v, i) => expect(v).toBeCloseTo(values(tf.avgPool(x, k, k, 'valid'))[i], 6));
    }
  });

  it('second derivative through max-pool: the Hessian of Σ maxpool(x)² is 2 on each window maximum', () => {
    // One 2×2 window (rows/cols 0–1: 4, 1, 3, 0); the last row and column are dropped.
    const x = tf.tensor4d([4, 1, 2, 3, 0, 5, 6, 7, 8], [1, 3, 3, 1]);
    const v = tf.onesLike(x);
    const hv = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.grad((u: tf.Tensor) => tf.sum(tf.square(maxPool2d(u as tf.Tensor4D))))(t), v)))(x);
    expect(values(hv)).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('the max-pool gradient (orders 1 and 2) never transposes int32 data, even cast to float32 (tfjs-webgpu cannot)', () => {
    // tfjs-webgpu 4.22's rank ≥ 3 Transpose shader reads its input buffer without converting it to
    // f32, so it fails to compile on an int32 buffer (tensorflow/tfjs#8638), and that silently
    // zeroed the whole max-pool gradient on WebGPU. A cast int32/bool → float32 keeps the input's
    // buffer (the same dataId) there and here alike, so with no WebGPU in Node the cpu Cast and
    // Transpose kernels are wrapped to catch the precondition: a Transpose of such data.
    const wrap = (name: string, fn: (args: Parameters<tf.KernelFunc>[0], run: () => tf.TensorInfo) => void) => {
      const stock = tf.getKernel(name, 'cpu');
      if (!stock) throw new Error(`no cpu ${name} kernel`);
      tf.unregisterKernel(name, 'cpu');
      tf.registerKernel({
        ...stock,
        kernelFunc: (args) => {
          let out: tf.TensorInfo | undefined;
          fn(args, () => (out = stock.kernelFunc(args) as tf.TensorInfo));
          return out ?? stock.kernelFunc(args);
        },
      });
      return () => {
        tf.unregisterKernel(name, 'cpu');
        tf.registerKernel(stock);
      };
    };
    const intData = new WeakSet<object>();
    const offenders: string[] = [];
    const restore = [
      wrap('Cast', (args, run) => {
        const x = args.inputs.x as tf.TensorInfo;
        if (x.dtype !== 'float32' && run().dataId === x.dataId) intData.add(x.dataId);
      }),
      wrap('Transpose', (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        if (x.dtype !== 'float32' || intData.has(x.dataId)) offenders.push(`${x.dtype} [${x.shape}]`);
      }),
    ];
    try {
      tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from({ length: 2 * 5 * 5 * 3 }, (_, i) => Math.sin(i * 1.7)), [2, 5, 5, 3]);
        const w = tf.tensor4d(Float32Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => Math.cos(i)), [2, 2, 2, 3]);
        const loss = (t: tf.Tensor) => tf.sum(tf.mul(tf.square(maxPool2d(t as tf.Tensor4D)), w));
        const g = tf.grad(loss)(x);
        const hv = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.grad(loss)(t), tf.onesLike(t))))(x);
        expect(values(g).some((v) => v !== 0)).toBe(true);
        expect(values(hv).some((v) => v !== 0)).toBe(true);
      });
    } finally {
      restore.forEach((r) => r());
    }
    expect(offenders).toEqual([]);
  });

  it('rejects inputs smaller than a window', () => {
    expect(() => maxPool2d(tf.zeros([1, 1, 5, 1]) as tf.Tensor4D)).toThrow(/smaller/);
  });
});
