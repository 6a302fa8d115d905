import * as tf from '@tensorflow/tfjs';
import { customOp } from './custom';

/**
 * 2-D convolution (NHWC, filter [kh, kw, in, out], dilation 1) differentiable any number of times,
 * with the backend's native kernels doing all the arithmetic.
 *
 * Three bilinear maps close under differentiation:
 *   C(x, w)  = conv2d(x, w)                         y-shaped   (native Conv2D)
 *   T(g, w)  = ∂⟨C(x,w), g⟩/∂x = conv2dTranspose      x-shaped   (native Conv2DBackpropInput)
 *   F(x, g)  = ∂⟨C(x,w), g⟩/∂w                        w-shaped   (native Conv2DBackpropFilter,
 *                                                      or a dilated conv2d where the backend lacks it)
 * Each is a customGrad whose gradients are the other two:
 *   ∂C: (T(dy, w), F(x, dy))    ∂T: (C(du, w), F(du, g))    ∂F: (T(g, dv), C(x, dv)),
 * so a gradient of any order is again a graph of native convolutions.
 */

export type ConvPadding = 'same' | 'valid';
export type Strides = number | [number, number];

interface Geometry {
  strides: [number, number];
  pad: ConvPadding;
}

function geometry(strides: Strides, pad: ConvPadding): Geometry {
  const s: [number, number] = typeof strides === 'number' ? [strides, strides] : strides;
  if (!s.every((v) => Number.isInteger(v) && v >= 1)) throw new RangeError(`conv2d: strides must be positive integers, got ${strides}`);
  return { strides: s, pad };
}

/**
 * How F (the filter gradient) is computed: 'kernel' = the backend's Conv2DBackpropFilter,
 * 'conv' = a dilated conv2d. 'auto' uses the kernel where it exists, except on cpu, whose
 * Conv2DBackpropFilter is a slow scalar loop: there (and on wasm, which lacks the kernel) the
 * conv2d route is used; measured on the cpu backend it makes a MAML meta-gradient of the conv
 * net about 10× faster.
 */
export type FilterGradStrategy = 'auto' | 'kernel' | 'conv';
let filterGradStrategy: FilterGradStrategy = 'auto';

/** Forces how F's forward is computed (tests use 'conv' to exercise the wasm path on cpu). */
export function setFilterGradStrategy(s: FilterGradStrategy): void {
  filterGradStrategy = s;
}

function useFilterKernel(): boolean {
  if (filterGradStrategy === 'kernel') return true;
  if (filterGradStrategy === 'conv') return false;
  const backend = tf.getBackend();
  return backend !== 'cpu' && tf.getKernel('Conv2DBackpropFilter', backend) !== undefined;
}

/** Output size and leading padding of one spatial axis, in TensorFlow's convention. */
export function convAxis(size: number, k: number, s: number, pad: ConvPadding): { out: number; before: number } {
  if (pad === 'valid') return { out: Math.ceil((size - k + 1) / s), before: 0 };
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + k - size, 0);
  return { out, before: Math.floor(total / 2) };
}

/**
 * F through a stride-1 dilated conv2d (for backends without Conv2DBackpropFilter, e.g. wasm):
 * dW[a,b,i,o] = Σ_{n,p,q} x[n, s·p + a − top, s·q + b − left, i] · g[n,p,q,o], i.e. the input with
 * batch and channels swapped, convolved with g (as a [Ho, Wo, N, out] filter) dilated by s.
 */
function filterGradByConv(x: tf.Tensor4D, g: tf.Tensor4D, filterShape: number[], geo: Geometry): tf.Tensor4D {
  const [, h, w] = x.shape;
  const [kh, kw] = filterShape;
  const [sh, sw] = geo.strides;
  const ax = convAxis(h, kh, sh, geo.pad);
  const ay = convAxis(w, kw, sw, geo.pad);
  // Rows/cols of x that the conv touches: [−before, −before + k + s·(out−1)).
  const span = (k: number, s: number, out: number) => k + s * (out - 1);
  const crop = (before: number, len: number, size: number) => ({ padBefore: before, padAfter: Math.max(len - before - size, 0), keep: Math.min(size, len - before) });
  const cx = crop(ax.before, span(kh, sh, ax.out), h);
  const cy = crop(ay.before, span(kw, sw, ay.out), w);
  let xs: tf.Tensor4D = x;
  if (cx.keep < h || cy.keep < w) xs = tf.slice(xs, [0, 0, 0, 0], [-1, cx.keep, cy.keep, -1]);
  if (cx.padBefore || cx.padAfter || cy.padBefore || cy.padAfter)
    xs = tf.pad(xs, [[0, 0], [cx.padBefore, cx.padAfter], [cy.padBefore, cy.padAfter], [0, 0]]);
  const xt = tf.transpose(xs, [3, 1, 2, 0]); // [in, H', W', N]
  const gt = tf.transpose(g, [1, 2, 0, 3]); // [Ho, Wo, N, out]
  const out = tf.conv2d(xt, gt, 1, 'valid', 'NHWC', [sh, sw]); // [in, kh, kw, out]
  return tf.transpose(out, [1, 2, 0, 3]);
}

function filterGradNative(x: tf.Tensor4D, g: tf.Tensor4D, filterShape: number[], geo: Geometry): tf.Tensor4D {
  if (!useFilterKernel()) return filterGradByConv(x, g, filterShape, geo);
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: g }, {
    strides: geo.strides,
    pad: geo.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
    filterShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

function convWith(geo: Geometry): (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D {
  return customOp<tf.Tensor4D>(
    (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, geo.strides, geo.pad),
    (dy, [x, w]) => [transposeWith(geo, x.shape)(dy, w as tf.Tensor4D), filterGradWith(geo, w.shape)(x as tf.Tensor4D, dy)],
  );
}

function transposeWith(geo: Geometry, inputShape: number[]): (g: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D {
  const shape = inputShape as [number, number, number, number];
  return customOp<tf.Tensor4D>(
    (g, w) => tf.conv2dTranspose(g as tf.Tensor4D, w as tf.Tensor4D, shape, geo.strides, geo.pad),
    (du, [g, w]) => [convWith(geo)(du, w as tf.Tensor4D), filterGradWith(geo, w.shape)(du, g as tf.Tensor4D)],
  );
}

function filterGradWith(geo: Geometry, filterShape: number[]): (x: tf.Tensor4D, g: tf.Tensor4D) => tf.Tensor4D {
  return customOp<tf.Tensor4D>(
    (x, g) => filterGradNative(x as tf.Tensor4D, g as tf.Tensor4D, filterShape, geo),
    (dv, [x, g]) => [transposeWith(geo, x.shape)(g as tf.Tensor4D, dv), convWith(geo)(x as tf.Tensor4D, dv)],
  );
}

function checkShapes(x: tf.Tensor, filter: tf.Tensor): void {
  if (x.rank !== 4 || filter.rank !== 4) throw new Error(`conv2d expects x [N,H,W,C] and filter [kh,kw,in,out]; got ranks ${x.rank}, ${filter.rank}`);
  if (x.shape[3] !== filter.shape[2])
    throw new Error(`conv2d: x has ${x.shape[3]} channels but the filter expects ${filter.shape[2]}`);
}

/** conv2d(x [N,H,W,in], filter [kh,kw,in,out]) → [N,Ho,Wo,out]; same values as tf.conv2d. */
export function conv2d(x: tf.Tensor4D, filter: tf.Tensor4D, strides: Strides = 1, pad: ConvPadding = 'same'): tf.Tensor4D {
  checkShapes(x, filter);
  return convWith(geometry(strides, pad))(x, filter);
}

/** T: the gradient of conv2d wrt its input, for an output gradient dy (= tf.conv2dTranspose). */
export function conv2dBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  strides: Strides = 1,
  pad: ConvPadding = 'same',
): tf.Tensor4D {
  return transposeWith(geometry(strides, pad), inputShape)(dy, filter);
}

/** F: the gradient of conv2d wrt its filter, for input x and output gradient dy. */
export function conv2dBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: Strides = 1,
  pad: ConvPadding = 'same',
): tf.Tensor4D {
  return filterGradWith(geometry(strides, pad), filterShape)(x, dy);
}
