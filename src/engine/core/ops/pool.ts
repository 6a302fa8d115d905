import * as tf from '@tensorflow/tfjs';
import { customOp, detached } from './custom';

/**
 * Non-overlapping k×k pooling (stride k, 'valid': trailing rows/columns that do not fill a window
 * are dropped, so 7×7 → 3×3) on NHWC tensors, differentiable any number of times.
 *
 * The forward pass is the backend's native pool kernel. The gradient spreads dy back over each
 * window through a reshape to [N·Ho, k, Wo, k, C] (rank ≤ 5, which every backend supports):
 *   avg: dx = dy / k² on every cell of the window;
 *   max: dx = dy on the first maximal cell of the window (a one-hot argmax mask, so ties never
 *        double-count), 0 elsewhere.
 * The mask is a detached constant, so the gradient is linear in dy with safe ops (mul, reshape,
 * transpose, pad), and its own gradient (wrt dy) is the pooled sum again: the true second
 * derivative, since pooling is piecewise linear.
 */

interface Windows {
  n: number;
  h: number;
  w: number;
  c: number;
  ho: number;
  wo: number;
  k: number;
}

function windows(shape: number[], k: number): Windows {
  if (shape.length !== 4) throw new Error(`pooling expects [N,H,W,C], got rank ${shape.length}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`pool size must be a positive integer, got ${k}`);
  const [n, h, w, c] = shape;
  const ho = Math.floor(h / k);
  const wo = Math.floor(w / k);
  if (ho < 1 || wo < 1) throw new Error(`a ${h}×${w} input is smaller than one ${k}×${k} pooling window`);
  return { n, h, w, c, ho, wo, k };
}

/** The part of x covered by whole windows, as [N·Ho, k, Wo, k, C]. */
function toWindows(x: tf.Tensor, g: Windows): tf.Tensor {
  const covered = g.ho * g.k === g.h && g.wo * g.k === g.w ? x : tf.slice(x, [0, 0, 0, 0], [g.n, g.ho * g.k, g.wo * g.k, g.c]);
  return tf.reshape(covered, [g.n * g.ho, g.k, g.wo, g.k, g.c]);
}

/** Inverse of toWindows: [N·Ho, k, Wo, k, C] → x's shape, zero on the uncovered border. */
function fromWindows(t: tf.Tensor, g: Windows): tf.Tensor4D {
  const covered = tf.reshape(t, [g.n, g.ho * g.k, g.wo * g.k, g.c]) as tf.Tensor4D;
  const padH = g.h - g.ho * g.k;
  const padW = g.w - g.wo * g.k;
  return padH || padW ? tf.pad(covered, [[0, 0], [0, padH], [0, padW], [0, 0]]) : covered;
}

/** dy [N,Ho,Wo,C] as [N·Ho, 1, Wo, 1, C], to broadcast over each window. */
function dyPerWindow(dy: tf.Tensor, g: Windows): tf.Tensor {
  return tf.reshape(dy, [g.n * g.ho, 1, g.wo, 1, g.c]);
}

/**
 * One-hot mask of the first maximum of each window, as [N·Ho, Wo, C, k·k] (the window's cells
 * last, row-major). float32 only by a no-op cast of the int32 one-hot (on webgpu it keeps the
 * int32 buffer): see maxPoolWith.
 */
function firstMaxMask(x: tf.Tensor, g: Windows): tf.Tensor {
  const win = tf.transpose(toWindows(x, g), [0, 2, 4, 1, 3]); // [N·Ho, Wo, C, k, k]
  const flat = tf.reshape(win, [g.n * g.ho, g.wo, g.c, g.k * g.k]);
  // int32 one-hot, then cast: tf.oneHot with a float32 dtype returns zeros on wasm (tfjs 4.22).
  return tf.cast(tf.oneHot(tf.argMax(flat, -1), g.k * g.k), 'float32');
}

function maxPoolWith(g: Windows): (x: tf.Tensor4D) => tf.Tensor4D {
  const mask = detached((x) => firstMaxMask(x, g));
  return customOp<tf.Tensor4D>(
    (x) => tf.maxPool(x as tf.Tensor4D, g.k, g.k, 'valid'),
    (dy, [x]) => {
      // The mask is only ever an operand of mul, and the transpose back to window layout comes
      // after it: a cast int32 → float32 is a no-op on webgpu (the tensor keeps its int32 buffer),
      // and tfjs-webgpu 4.22's rank ≥ 3 Transpose shader reads its input without converting it to
      // f32, so transposing the mask itself fails to compile on Chromium's current WGSL compiler
      // (tensorflow/tfjs#8638) and the whole batch of queued kernels comes back as zeros or garbage.
      // mul reads its inputs through converting accessors, so its product is a true float32 tensor.
      const spread = tf.mul(tf.reshape(dy, [g.n * g.ho, g.wo, g.c, 1]), mask(x)); // [N·Ho, Wo, C, k·k]
      const win = tf.transpose(tf.reshape(spread, [g.n * g.ho, g.wo, g.c, g.k, g.k]), [0, 3, 1, 4, 2]); // [N·Ho, k, Wo, k, C]
      return [fromWindows(win, g)];
    },
  );
}

function avgPoolWith(g: Windows): (x: tf.Tensor4D) => tf.Tensor4D {
  return customOp<tf.Tensor4D>(
    (x) => tf.avgPool(x as tf.Tensor4D, g.k, g.k, 'valid'),
    (dy) => [fromWindows(tf.mul(dyPerWindow(dy, g), tf.fill([1, g.k, 1, g.k, 1], 1 / (g.k * g.k))), g)],
  );
}

/** k×k max-pool, stride k, 'valid' (default 2×2): same values as tf.maxPool(x, k, k, 'valid'). */
export function maxPool2d(x: tf.Tensor4D, k = 2): tf.Tensor4D {
  return maxPoolWith(windows(x.shape, k))(x);
}

/** k×k average pool, stride k, 'valid' (default 2×2): same values as tf.avgPool(x, k, k, 'valid'). */
export function avgPool2d(x: tf.Tensor4D, k = 2): tf.Tensor4D {
  return avgPoolWith(windows(x.shape, k))(x);
}
