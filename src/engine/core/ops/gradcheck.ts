import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import {
  CONVNET_BN_EPS,
  convMamlMetaGradient,
  disposeEpisodes,
  initConvNet,
  syntheticConvEpisodes,
  type ConvNetSpec,
} from '../../models/convNet';
import { conv2d, type ConvPadding } from './conv';
import * as E from './elementwise';
import { lstmCell } from './lstm';
import { batchNorm, layerNorm } from './norm';
import { avgPool2d, maxPool2d } from './pool';
import * as ref from './reference';

/**
 * Gradient checks of the second-order-safe ops, shared by the unit tests, `metaplay gradcheck`
 * and the playground's Diagnostics page (environment-neutral: no Node or DOM APIs, so it also
 * runs in a Web Worker, on whatever tfjs backend is active).
 *
 * Each op check draws small, well-conditioned inputs (float32-representable), and compares on the
 * active backend, for the scalar objective L(x) = Σ a⊙y + ½ Σ b⊙y² of the op's output y
 * (a, b fixed random weights, so that the gradient flowing into the op depends on x):
 *   order 1: ∇L from tf.grads       vs 4-point central differences of a float64 plain-JS L;
 *            plus the forward values vs the stock tfjs op and ∇L vs the stock op's ∇L (where
 *            the stock gradient exists);
 *   order 2: the Hessian-vector product ∇(∇L·v) (a gradient of a gradient)  vs central
 *            differences, along v, of the float64 finite-difference gradient.
 * The float64 references are accurate to ~1e-9, so the error measured is the op's float32 error.
 * Error measure: max_rel_err = max_i |actual_i − expected_i| / max_i |expected_i| (relative to the
 * largest entry, so that near-zero entries do not blow it up).
 */

export interface GradCheckResult {
  name: string;
  order: 1 | 2;
  /** null when the check could not run (see `error`). */
  max_rel_err: number | null;
  ok: boolean;
  tolerance: number;
  /** Order-1 op checks: forward values vs the stock tfjs op. */
  forward_rel_err?: number;
  /** Order-1 op checks: gradient vs the stock op's first-order gradient (null: the stock gradient cannot run here). */
  stock_rel_err?: number | null;
  /** MAML check: how far the first-order meta-gradient is from the finite difference (must be large). */
  first_order_rel_err?: number;
  note?: string;
  /** Why the check could not run (e.g. a kernel missing on this backend). */
  error?: string;
  ms?: number;
}

export interface GradCheckReport {
  backend: string;
  checks: GradCheckResult[];
  ok: boolean;
}

/** Tolerances (float32 ops vs float64 references). */
export const GRADCHECK_TOLERANCE = {
  /** On cpu and wasm the measured errors are ~1e-7; the margin is for GPU backends' transcendentals. */
  order1: 5e-4,
  order2: 5e-4,
  /** forward values vs the stock op */
  forward: 1e-4,
  /** first-order gradient vs the stock op's */
  stock: 5e-4,
  /** full MAML meta-gradient vs a finite-difference directional derivative */
  maml: 0.01,
  /** …and the first-order meta-gradient must miss that derivative by at least this much */
  mamlFirstOrderMin: 0.05,
} as const;

// ---------------------------------------------------------------------------------------------
// Finite differences in float64

export type ScalarFn64 = (xs: Float64Array[]) => number;

/** 4-point central difference of f along direction `dir` (a list like xs) at xs. */
export function fdDirectional(f: ScalarFn64, xs: Float64Array[], dir: Float64Array[], h: number): number {
  const at = (t: number) => f(xs.map((x, i) => x.map((v, j) => v + t * dir[i][j])));
  return (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
}

/** ∇f by 4-point central differences, entry by entry (zeros for inputs not marked differentiable). */
export function fdGradient(f: ScalarFn64, xs: Float64Array[], differentiable: boolean[], h = 1e-3): Float64Array[] {
  return xs.map((x, i) => {
    const g = new Float64Array(x.length);
    if (!differentiable[i]) return g;
    const probe = xs.map((y) => Float64Array.from(y));
    const at = (j: number, t: number) => {
      probe[i][j] = x[j] + t;
      const v = f(probe);
      probe[i][j] = x[j];
      return v;
    };
    for (let j = 0; j < x.length; j++) g[j] = (8 * (at(j, h) - at(j, -h)) - (at(j, 2 * h) - at(j, -2 * h))) / (12 * h);
    return g;
  });
}

/** Hessian-vector product H·v: 4-point central differences along v of the finite-difference gradient. */
export function fdHvp(f: ScalarFn64, xs: Float64Array[], differentiable: boolean[], v: Float64Array[], h = 1e-3): Float64Array[] {
  const gradAt = (t: number) =>
    fdGradient(
      f,
      xs.map((x, i) => x.map((val, j) => val + t * v[i][j])),
      differentiable,
      h,
    );
  const [p1, m1, p2, m2] = [gradAt(h), gradAt(-h), gradAt(2 * h), gradAt(-2 * h)];
  return xs.map((x, i) => x.map((_, j) => (8 * (p1[i][j] - m1[i][j]) - (p2[i][j] - m2[i][j])) / (12 * h)));
}

/** max |a − e| / max |e| over all entries of all lists. */
export function maxRelErr(actual: ArrayLike<number>[], expected: ArrayLike<number>[]): number {
  let num = 0;
  let den = 0;
  expected.forEach((e, i) => {
    for (let j = 0; j < e.length; j++) {
      const d = Math.abs(actual[i][j] - e[j]);
      num = Number.isNaN(d) ? Infinity : Math.max(num, d);
      den = Math.max(den, Math.abs(e[j]));
    }
  });
  return num / Math.max(den, 1e-12);
}

// ---------------------------------------------------------------------------------------------
// The op checks

export interface InputSpec {
  shape: number[];
  init: (rng: Rng, n: number) => number[];
  /** Labels and other constants: not differentiated (default true). */
  differentiable?: boolean;
}

/** One op check: inputs, the safe op, the same function with stock ops, and a float64 reference. */
export interface OpCheck {
  name: string;
  group: GradCheckGroup;
  inputs: InputSpec[];
  /** The second-order-safe op under test. */
  safe: (...xs: tf.Tensor[]) => tf.Tensor;
  /** The same function with stock tfjs ops. */
  stock: (...xs: tf.Tensor[]) => tf.Tensor;
  reference: (xs: Float64Array[]) => Float64Array;
}

export const GRADCHECK_GROUPS = ['elementwise', 'conv', 'pool', 'norm', 'lstm', 'maml'] as const;
export type GradCheckGroup = (typeof GRADCHECK_GROUPS)[number];

const uniform = (lo: number, hi: number) => (rng: Rng, n: number) => Array.from({ length: n }, () => rng.uniform(lo, hi));
const normal = (scale: number) => (rng: Rng, n: number) => Array.from({ length: n }, () => scale * rng.normal());
/** Distinct values at least 0.05 apart (a shuffled grid), so no max-pool window is near a tie. */
const spread = (rng: Rng, n: number) => rng.shuffle(Array.from({ length: n }, (_, i) => (i - n / 2) * 0.05 + 0.01 * rng.next()));
/** Rows of positive weights summing to 1 (soft labels). */
const softLabels = (cols: number) => (rng: Rng, n: number) => {
  const v = Array.from({ length: n }, () => 0.1 + rng.next());
  for (let r = 0; r < n; r += cols) {
    const s = v.slice(r, r + cols).reduce((a, b) => a + b, 0);
    for (let c = r; c < r + cols; c++) v[c] /= s;
  }
  return v;
};
/** One row with a large offset, to exercise the max shift of the log-sum-exp family. */
const logits = (cols: number) => (rng: Rng, n: number) => uniform(-3, 3)(rng, n).map((v, i) => (Math.floor(i / cols) === 1 ? v + 40 : v));

const conv4 = (x: tf.Tensor) => x as tf.Tensor4D;
const C = 5; // classes in the softmax checks

/** The stock LSTM cell (gate order i | g | f | o, forget bias 0) on our i | f | g | o parameters. */
function stockLstm(x: tf.Tensor, h: tf.Tensor, c: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const reorder = (t: tf.Tensor, axis: number) => {
    const [i, f, g, o] = tf.split(t, 4, axis);
    return tf.concat([i, g, f, o], axis);
  };
  const [cNew, hNew] = tf.basicLSTMCell(
    0,
    reorder(kernel, 1) as tf.Tensor2D,
    reorder(bias, 0) as tf.Tensor1D,
    x as tf.Tensor2D,
    c as tf.Tensor2D,
    h as tf.Tensor2D,
  );
  return tf.concat([hNew, cNew], 1);
}

function convCheck(stride: number, pad: ConvPadding): OpCheck {
  const xShape = [2, 6, 6, 2];
  const wShape = [3, 3, 2, 3];
  return {
    name: `conv2d-3x3-s${stride}-${pad}`,
    group: 'conv',
    inputs: [
      { shape: xShape, init: uniform(-1, 1) },
      { shape: wShape, init: uniform(-0.5, 0.5) },
    ],
    safe: (x, w) => conv2d(conv4(x), conv4(w), stride, pad),
    stock: (x, w) => tf.conv2d(conv4(x), conv4(w), stride, pad),
    reference: ([x, w]) => ref.conv2dRef(x, xShape, w, wShape, stride, pad),
  };
}

const OP_CHECKS: OpCheck[] = [
  {
    name: 'exp',
    group: 'elementwise',
    inputs: [{ shape: [3, 4], init: uniform(-2, 2) }],
    safe: (x) => E.exp(x),
    stock: (x) => tf.exp(x),
    reference: ([x]) => ref.expRef(x),
  },
  {
    name: 'sigmoid',
    group: 'elementwise',
    inputs: [{ shape: [3, 4], init: uniform(-4, 4) }],
    safe: (x) => E.sigmoid(x),
    stock: (x) => tf.sigmoid(x),
    reference: ([x]) => ref.sigmoidRef(x),
  },
  {
    name: 'tanh',
    group: 'elementwise',
    inputs: [{ shape: [3, 4], init: uniform(-2, 2) }],
    safe: (x) => E.tanh(x),
    stock: (x) => tf.tanh(x),
    reference: ([x]) => ref.tanhRef(x),
  },
  {
    name: 'softplus',
    group: 'elementwise',
    inputs: [{ shape: [3, 4], init: uniform(-4, 4) }],
    safe: (x) => E.softplus(x),
    stock: (x) => tf.softplus(x),
    reference: ([x]) => ref.softplusRef(x),
  },
  {
    name: 'logSumExp',
    group: 'elementwise',
    inputs: [{ shape: [3, C], init: logits(C) }],
    safe: (x) => E.logSumExp(x, -1),
    stock: (x) => tf.logSumExp(x, -1),
    reference: ([x]) => ref.logSumExpRef(x, C),
  },
  {
    name: 'softmax',
    group: 'elementwise',
    inputs: [{ shape: [3, C], init: logits(C) }],
    safe: (x) => E.softmax(x),
    stock: (x) => tf.softmax(x),
    reference: ([x]) => ref.softmaxRef(x, C),
  },
  {
    name: 'logSoftmax',
    group: 'elementwise',
    inputs: [{ shape: [3, C], init: logits(C) }],
    safe: (x) => E.logSoftmax(x),
    stock: (x) => tf.logSoftmax(x),
    reference: ([x]) => ref.logSoftmaxRef(x, C),
  },
  {
    name: 'softmaxCrossEntropy',
    group: 'elementwise',
    inputs: [
      { shape: [4, C], init: softLabels(C), differentiable: false },
      { shape: [4, C], init: logits(C) },
    ],
    safe: (labels, x) => E.softmaxCrossEntropy(labels, x),
    stock: (labels, x) => tf.losses.softmaxCrossEntropy(labels, x, undefined, 0, tf.Reduction.NONE),
    reference: ([labels, x]) => ref.softmaxCrossEntropyRef(labels, x, C),
  },
  {
    name: 'sigmoidCrossEntropy',
    group: 'elementwise',
    inputs: [
      { shape: [3, 4], init: uniform(0, 1), differentiable: false },
      { shape: [3, 4], init: uniform(-4, 4) },
    ],
    safe: (labels, x) => E.sigmoidCrossEntropy(labels, x),
    stock: (labels, x) => tf.losses.sigmoidCrossEntropy(labels, x, undefined, 0, tf.Reduction.NONE),
    reference: ([labels, x]) => ref.sigmoidCrossEntropyRef(labels, x),
  },
  convCheck(1, 'same'),
  convCheck(1, 'valid'),
  convCheck(2, 'same'),
  convCheck(2, 'valid'),
  {
    name: 'maxPool-2x2',
    group: 'pool',
    inputs: [{ shape: [2, 5, 5, 3], init: spread }],
    safe: (x) => maxPool2d(conv4(x), 2),
    stock: (x) => tf.maxPool(conv4(x), 2, 2, 'valid'),
    reference: ([x]) => ref.poolRef(x, [2, 5, 5, 3], 2, 'max'),
  },
  {
    name: 'avgPool-2x2',
    group: 'pool',
    inputs: [{ shape: [2, 5, 5, 3], init: uniform(-1, 1) }],
    safe: (x) => avgPool2d(conv4(x), 2),
    stock: (x) => tf.avgPool(conv4(x), 2, 2, 'valid'),
    reference: ([x]) => ref.poolRef(x, [2, 5, 5, 3], 2, 'avg'),
  },
  {
    name: 'batchNorm',
    group: 'norm',
    inputs: [
      { shape: [3, 2, 2, 3], init: normal(1) },
      { shape: [3], init: uniform(0.5, 1.5) },
      { shape: [3], init: uniform(-0.5, 0.5) },
    ],
    safe: (x, scale, offset) => batchNorm(x, scale, offset, 1e-3),
    stock: (x, scale, offset) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, offset, scale, 1e-3);
    },
    reference: ([x, scale, offset]) => ref.batchNormRef(x, 3, scale, offset, 1e-3),
  },
  {
    name: 'layerNorm',
    group: 'norm',
    inputs: [
      { shape: [4, 5], init: normal(1) },
      { shape: [5], init: uniform(0.5, 1.5) },
      { shape: [5], init: uniform(-0.5, 0.5) },
    ],
    safe: (x, scale, offset) => layerNorm(x, scale, offset, 1e-3),
    stock: (x, scale, offset) => {
      const { mean, variance } = tf.moments(x, [1], true);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), scale), offset);
    },
    reference: ([x, scale, offset]) => ref.layerNormRef(x, 5, scale, offset, 1e-3),
  },
  {
    name: 'lstmCell',
    group: 'lstm',
    inputs: [
      { shape: [2, 3], init: uniform(-1, 1) },
      { shape: [2, 4], init: uniform(-1, 1) },
      { shape: [2, 4], init: uniform(-1, 1) },
      { shape: [7, 16], init: uniform(-0.6, 0.6) },
      { shape: [16], init: uniform(-0.3, 0.3) },
    ],
    safe: (x, h, c, kernel, bias) => {
      const s = lstmCell(x as tf.Tensor2D, { h: h as tf.Tensor2D, c: c as tf.Tensor2D }, kernel as tf.Tensor2D, bias as tf.Tensor1D);
      return tf.concat([s.h, s.c], 1);
    },
    stock: stockLstm,
    reference: ([x, h, c, kernel, bias]) => ref.lstmCellRef(x, h, c, kernel, bias, 2, 3, 4),
  },
];

export const MAML_CHECK_NAME = 'maml-conv4';

/** Every check's name and group, in run order. */
export function listGradChecks(): { name: string; group: GradCheckGroup }[] {
  return [...OP_CHECKS.map((c) => ({ name: c.name, group: c.group })), { name: MAML_CHECK_NAME, group: 'maml' as const }];
}

const f32 = (values: number[]) => Float64Array.from(values, Math.fround);
const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function readAll(ts: tf.Tensor[]): Promise<Float32Array[]> {
  const out = await Promise.all(ts.map((t) => t.data()));
  return out as Float32Array[];
}

/** L = Σ a⊙y + ½ Σ b⊙y² on a tfjs output. */
function objectiveTf(y: tf.Tensor, a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  const flat = tf.reshape(y, [-1]);
  return tf.add(tf.sum(tf.mul(a, flat)), tf.mul(0.5, tf.sum(tf.mul(b, tf.square(flat))))) as tf.Scalar;
}

function objective64(y: Float64Array, a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += a[i] * y[i] + 0.5 * b[i] * y[i] * y[i];
  return s;
}

/** Runs one op check (orders 1 and 2) on the active backend; also usable with ops defined elsewhere. */
export async function checkOp(check: OpCheck, seed = 0): Promise<GradCheckResult[]> {
  const t0 = Date.now();
  const rng = Rng.derive(seed, `gradcheck:${check.name}`);
  const xs = check.inputs.map((s) => f32(s.init(rng, sizeOf(s.shape))));
  const diff = check.inputs.map((s) => s.differentiable !== false);
  const outSize = check.reference(xs).length;
  const a = f32(normal(1)(rng, outSize));
  const b = f32(normal(1)(rng, outSize));
  const v = xs.map((x, i) => (diff[i] ? f32(normal(1)(rng, x.length)) : new Float64Array(x.length)));

  // Float64 references.
  const L64: ScalarFn64 = (ins) => objective64(check.reference(ins), a, b);
  const g64 = fdGradient(L64, xs, diff).filter((_, i) => diff[i]);
  const hv64 = fdHvp(L64, xs, diff, v).filter((_, i) => diff[i]);

  const base: Pick<GradCheckResult, 'name'> = { name: check.name };
  const results: GradCheckResult[] = [];
  try {
    const inputs = xs.map((x, i) => tf.tensor(Float32Array.from(x), check.inputs[i].shape, 'float32'));
    const aT = tf.tensor1d(Float32Array.from(a));
    const bT = tf.tensor1d(Float32Array.from(b));
    const vT = v.filter((_, i) => diff[i]).map((vi, k) => tf.tensor(Float32Array.from(vi), inputs.filter((_, i) => diff[i])[k].shape));
    const diffInputs = inputs.filter((_, i) => diff[i]);
    /** Objective as a function of the differentiable inputs only. */
    const over = (op: (...xs: tf.Tensor[]) => tf.Tensor) => (...d: tf.Tensor[]) => {
      let k = 0;
      const all = inputs.map((t, i) => (diff[i] ? d[k++] : t));
      return objectiveTf(op(...all), aT, bT);
    };
    const [grads, hvps, fwd, fwdStock] = tf.tidy(() => {
      const g = tf.grads(over(check.safe))(diffInputs);
      const hv = tf.grads((...d: tf.Tensor[]) => {
        const gi = tf.grads(over(check.safe))(d);
        return gi.map((t, k) => tf.sum(tf.mul(t, vT[k]))).reduce((s, t) => tf.add(s, t)) as tf.Scalar;
      })(diffInputs);
      return [g, hv, check.safe(...inputs), check.stock(...inputs)];
    });
    let stockGrads: tf.Tensor[] | null = null;
    let stockError: string | undefined;
    try {
      stockGrads = tf.tidy(() => tf.grads(over(check.stock))(diffInputs));
    } catch (e) {
      stockError = (e as Error).message;
    }
    const [gTf, hvTf, [yTf, yStock], sTf] = await Promise.all([
      readAll(grads),
      readAll(hvps),
      readAll([fwd, fwdStock]),
      stockGrads ? readAll(stockGrads) : Promise.resolve(null),
    ]);
    tf.dispose([inputs, aT, bT, vT, grads, hvps, fwd, fwdStock, stockGrads ?? []]);

    const forwardErr = maxRelErr([yTf], [yStock]);
    const stockErr = sTf ? maxRelErr(gTf, sTf) : null;
    // A stock gradient that itself disagrees with the float64 finite differences is a stock bug
    // (e.g. wasm's MaxPoolGrad on multi-channel input): reported, but not held against the op.
    const stockWrong = sTf !== null && maxRelErr(sTf, g64) > GRADCHECK_TOLERANCE.order1;
    const notes: string[] = [];
    if (stockError) notes.push(`stock gradient unavailable on this backend: ${stockError}`);
    if (stockWrong) notes.push(`the stock gradient disagrees with finite differences on this backend (rel err ${maxRelErr(sTf, g64).toExponential(1)})`);
    const e1 = maxRelErr(gTf, g64);
    const e2 = maxRelErr(hvTf, hv64);
    const T = GRADCHECK_TOLERANCE;
    const ms = Date.now() - t0;
    results.push({
      ...base,
      order: 1,
      max_rel_err: e1,
      ok: e1 <= T.order1 && forwardErr <= T.forward && (stockErr === null || stockErr <= T.stock || stockWrong),
      tolerance: T.order1,
      forward_rel_err: forwardErr,
      stock_rel_err: stockErr,
      ...(notes.length ? { note: notes.join('; ') } : {}),
      ms,
    });
    results.push({ ...base, order: 2, max_rel_err: e2, ok: e2 <= T.order2, tolerance: T.order2, ms });
  } catch (e) {
    const error = (e as Error).message;
    results.push({ ...base, order: 1, max_rel_err: null, ok: false, tolerance: GRADCHECK_TOLERANCE.order1, error });
    results.push({ ...base, order: 2, max_rel_err: null, ok: false, tolerance: GRADCHECK_TOLERANCE.order2, error });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// The MAML meta-gradient check

export interface MamlCheckConfig {
  width: number;
  ways: number;
  shots: number;
  queries: number;
  tasks: number;
  alpha: number;
  innerSteps: number;
}

/** Small enough to run in seconds on the cpu backend; the architecture is the full 4-block net on 28×28. */
export const DEFAULT_MAML_CHECK: MamlCheckConfig = { width: 8, ways: 5, shots: 1, queries: 2, tasks: 2, alpha: 0.4, innerSteps: 1 };

/**
 * Directional derivative of a piecewise-smooth float64 function by a 4-point stencil. The MAML
 * meta-loss of a ReLU/max-pool net is only piecewise smooth (its inner gradient even jumps where
 * an activation or a pooling winner switches), so the step starts at 1e-5 and shrinks while the
 * 2h and 4h central differences disagree (a switch inside the stencil).
 */
function robustDirectional(f: (t: number) => number): { value: number; h: number } {
  const steps = [1e-5, 1e-6, 1e-7, 1e-8];
  let last = { value: NaN, h: NaN };
  for (const h of steps) {
    const [p1, m1, p2, m2] = [f(h), f(-h), f(2 * h), f(-2 * h)];
    const d1 = (p1 - m1) / (2 * h);
    const d2 = (p2 - m2) / (4 * h);
    last = { value: (8 * (p1 - m1) - (p2 - m2)) / (12 * h), h };
    if (Math.abs(d1 - d2) <= 1e-4 * Math.abs(last.value)) break;
  }
  return last;
}

/**
 * The full second-order MAML meta-gradient g₂ of the 4-block conv net (computed by tfjs on the
 * active backend) vs finite-difference directional derivatives of the same meta-loss computed in
 * float64 plain JavaScript (src/engine/core/ops/reference.ts, its own hand-written backprop for the
 * inner step), along two unit directions: u = (g₂ − g₁)/|g₂ − g₁|, where g₁ is the first-order
 * meta-gradient (the direction in which the two disagree most), and a random one. max_rel_err is
 * the worse of the two; first_order_rel_err is g₁'s error along u, which must be large: the check
 * fails if the second-order terms were lost. forward_rel_err compares the two meta-losses.
 */
export async function checkConvMamlGradient(config: Partial<MamlCheckConfig> = {}, seed = 0): Promise<GradCheckResult> {
  const cfg = { ...DEFAULT_MAML_CHECK, ...config };
  const t0 = Date.now();
  const spec: ConvNetSpec = { width: cfg.width, ways: cfg.ways, inputSize: 28, inputChannels: 1, blocks: 4 };
  const rng = Rng.derive(seed, 'gradcheck:maml');
  const init = initConvNet(spec, rng);
  const theta = init.specs.map((s, i) => tf.tensor(init.values[i], s.shape));
  const episodes = syntheticConvEpisodes(rng, { tasks: cfg.tasks, ways: cfg.ways, shots: cfg.shots, queries: cfg.queries, inputSize: 28, inputChannels: 1 });
  const opts = { alpha: cfg.alpha, innerSteps: cfg.innerSteps };
  const base = { name: MAML_CHECK_NAME, order: 2 as const, tolerance: GRADCHECK_TOLERANCE.maml };
  try {
    const second = convMamlMetaGradient(theta, episodes, opts);
    const first = convMamlMetaGradient(theta, episodes, { ...opts, firstOrder: true });
    const g2 = await readAll(second.grads);
    const g1 = await readAll(first.grads);
    const lossTf = (await second.loss.data())[0];
    tf.dispose([second.loss, second.grads, first.loss, first.grads]);

    const episodes64: ref.EpisodeRef[] = [];
    for (const e of episodes) {
      const [sx, sy, qx, qy] = await readAll([e.support.x, e.support.y, e.query.x, e.query.y]);
      episodes64.push({ supportX: Float64Array.from(sx), supportY: Float64Array.from(sy), queryX: Float64Array.from(qx), queryY: Float64Array.from(qy) });
    }
    const theta64 = init.values.map((v) => Float64Array.from(v));
    const net = { side: 28, channels: 1, width: cfg.width, blocks: 4, ways: cfg.ways };
    const loss64 = (params: Float64Array[]) => ref.convMamlLossRef(params, episodes64, net, cfg.alpha, cfg.innerSteps, CONVNET_BN_EPS);

    const unit = (d: Float64Array[]) => {
      const norm = Math.sqrt(d.reduce((s, x) => s + x.reduce((t, v) => t + v * v, 0), 0));
      return d.map((x) => x.map((v) => v / norm));
    };
    const dot = (g: Float32Array[], u: Float64Array[]) => g.reduce((s, gi, i) => s + gi.reduce((t, v, j) => t + v * u[i][j], 0), 0);
    const along = (u: Float64Array[]) => robustDirectional((t) => loss64(theta64.map((p, i) => p.map((v, j) => v + t * u[i][j]))));
    const uDiff = unit(g2.map((g, i) => Float64Array.from(g, (v, j) => v - g1[i][j])));
    const uRand = unit(theta64.map((p) => Float64Array.from(p, () => rng.normal())));
    const fdDiff = along(uDiff);
    const fdRand = along(uRand);
    const errDiff = Math.abs(dot(g2, uDiff) - fdDiff.value) / Math.abs(fdDiff.value);
    const errRand = Math.abs(dot(g2, uRand) - fdRand.value) / Math.abs(fdRand.value);
    const firstErr = Math.abs(dot(g1, uDiff) - fdDiff.value) / Math.abs(fdDiff.value);
    const l64 = loss64(theta64);
    const forwardErr = Math.abs(lossTf - l64) / Math.abs(l64);
    const err = Math.max(errDiff, errRand);
    const fmt = (x: number) => x.toPrecision(5);
    return {
      ...base,
      max_rel_err: err,
      ok: err <= GRADCHECK_TOLERANCE.maml && firstErr >= GRADCHECK_TOLERANCE.mamlFirstOrderMin && forwardErr <= GRADCHECK_TOLERANCE.forward,
      forward_rel_err: forwardErr,
      first_order_rel_err: firstErr,
      note:
        `4-block conv net width ${cfg.width} on 28×28, ${cfg.ways}-way ${cfg.shots}-shot, ${cfg.queries} queries/class, ${cfg.tasks} tasks, ` +
        `α=${cfg.alpha}, ${cfg.innerSteps} inner step(s). Along (g2−g1): FD ${fmt(fdDiff.value)} (h=${fdDiff.h}), second-order ${fmt(dot(g2, uDiff))}, ` +
        `first-order ${fmt(dot(g1, uDiff))}; along a random direction: FD ${fmt(fdRand.value)}, second-order ${fmt(dot(g2, uRand))}`,
      ms: Date.now() - t0,
    };
  } catch (e) {
    return { ...base, max_rel_err: null, ok: false, error: (e as Error).message };
  } finally {
    tf.dispose(theta);
    disposeEpisodes(episodes);
  }
}

// ---------------------------------------------------------------------------------------------

export interface GradCheckOptions {
  /** Check names or group names to run (default: all). */
  only?: readonly string[];
  /** Overrides for the MAML check's size. */
  maml?: Partial<MamlCheckConfig>;
  seed?: number;
  /** Called after each check (progress reporting). */
  onResult?: (result: GradCheckResult) => void;
}

/** Runs the gradient checks on the active tfjs backend. Never throws for a failing op: it reports it. */
export async function runGradChecks(opts: GradCheckOptions = {}): Promise<GradCheckReport> {
  await tf.ready();
  const seed = opts.seed ?? 0;
  const wanted = (name: string, group: string) => !opts.only || opts.only.includes(name) || opts.only.includes(group);
  const checks: GradCheckResult[] = [];
  const report = (r: GradCheckResult) => {
    checks.push(r);
    opts.onResult?.(r);
  };
  for (const check of OP_CHECKS) {
    if (!wanted(check.name, check.group)) continue;
    for (const r of await checkOp(check, seed)) report(r);
    await yieldToEventLoop();
  }
  if (wanted(MAML_CHECK_NAME, 'maml')) report(await checkConvMamlGradient(opts.maml, seed));
  return { backend: tf.getBackend(), checks, ok: checks.length > 0 && checks.every((c) => c.ok) };
}

/** One line per check, for people. */
export function formatGradCheck(r: GradCheckResult): string {
  const err = r.max_rel_err === null ? 'n/a' : r.max_rel_err.toExponential(2);
  const extra = [
    r.forward_rel_err !== undefined ? `forward ${r.forward_rel_err.toExponential(1)}` : '',
    r.stock_rel_err !== undefined ? `vs stock ${r.stock_rel_err === null ? 'n/a' : r.stock_rel_err.toExponential(1)}` : '',
    r.first_order_rel_err !== undefined ? `first-order off by ${(100 * r.first_order_rel_err).toFixed(1)}%` : '',
    r.error ? `error: ${r.error}` : '',
  ].filter(Boolean);
  return `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(22)} order ${r.order}  rel err ${err} (tol ${r.tolerance})${extra.length ? `  ${extra.join(', ')}` : ''}`;
}
