import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';

/**
 * Gradient checks of the second-order-safe ops, shared by the unit tests, `metaplay gradcheck`
 * and the playground's Diagnostics page (the checks themselves are in opChecks.ts; the whole
 * conv-net MAML meta-gradient check, a model-level one, is in algorithms/convMamlCheck.ts) (environment-neutral: no Node or DOM APIs, so it also
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
  /** Conv-net MAML check: how far the first-order meta-gradient is from the finite difference (must be large). */
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
  group: OpCheckGroup;
  inputs: InputSpec[];
  /** The second-order-safe op under test. */
  safe: (...xs: tf.Tensor[]) => tf.Tensor;
  /** The same function with stock tfjs ops. */
  stock: (...xs: tf.Tensor[]) => tf.Tensor;
  reference: (xs: Float64Array[]) => Float64Array;
}

export const OP_CHECK_GROUPS = ['elementwise', 'conv', 'pool', 'norm', 'lstm'] as const;
export type OpCheckGroup = (typeof OP_CHECK_GROUPS)[number];

/** Whether a check is in a selection of check and group names (no selection: every check). */
export const isSelected = (only: readonly string[] | undefined, name: string, group: string): boolean => !only || only.includes(name) || only.includes(group);

/** Gaussian input values of the given scale. */
export const normal = (scale: number) => (rng: Rng, n: number) => Array.from({ length: n }, () => scale * rng.normal());
const f32 = (values: number[]) => Float64Array.from(values, Math.fround);
const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Reads tensors back (waits for asynchronous backends). */
export async function readAll(ts: tf.Tensor[]): Promise<Float32Array[]> {
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
