/*
 * The parameter-space lab's mathematics (issue #6), in plain numbers: a 2-parameter model
 * f(x; θ) = w·x + b, θ = (w, b), and a few linear-regression tasks. Every task loss on a set of
 * points is a quadratic L(θ) = θᵀAθ − 2cᵀθ + d with A = mean[[x², x], [x, 1]], c = mean[x·y, y],
 * so gradients (2(Aθ − c)), Hessians (2A) and every algorithm's update have closed forms. Cheap
 * enough to run on the main thread for every frame (microseconds per update).
 */
import { Rng } from '../core/rng';
import { gradientAgreementWeights } from '../algorithms/agreement';

export type Vec2 = [number, number];
export type Mat2 = [[number, number], [number, number]];

export const add = (a: Vec2, b: Vec2): Vec2 => [a[0] + b[0], a[1] + b[1]];
export const sub = (a: Vec2, b: Vec2): Vec2 => [a[0] - b[0], a[1] - b[1]];
export const scale = (a: Vec2, s: number): Vec2 => [a[0] * s, a[1] * s];
export const dot = (a: Vec2, b: Vec2): number => a[0] * b[0] + a[1] * b[1];
export const matVec = (m: Mat2, v: Vec2): Vec2 => [m[0][0] * v[0] + m[0][1] * v[1], m[1][0] * v[0] + m[1][1] * v[1]];
export const matMul = (a: Mat2, b: Mat2): Mat2 => [
  [a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]],
  [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]],
];
export const transpose = (m: Mat2): Mat2 => [
  [m[0][0], m[1][0]],
  [m[0][1], m[1][1]],
];
const I: Mat2 = [
  [1, 0],
  [0, 1],
];

/** A task loss on a set of points: L(θ) = θᵀAθ − 2cᵀθ + d. */
export interface Quadratic {
  A: Mat2;
  c: Vec2;
  d: number;
}

export function quadraticOf(xs: readonly number[], ys: readonly number[]): Quadratic {
  const n = xs.length;
  let xx = 0;
  let x1 = 0;
  let xy = 0;
  let y1 = 0;
  let yy = 0;
  xs.forEach((x, i) => {
    xx += x * x;
    x1 += x;
    xy += x * ys[i];
    y1 += ys[i];
    yy += ys[i] * ys[i];
  });
  return {
    A: [
      [xx / n, x1 / n],
      [x1 / n, 1],
    ],
    c: [xy / n, y1 / n],
    d: yy / n,
  };
}

export const lossAt = (q: Quadratic, t: Vec2): number => dot(t, matVec(q.A, t)) - 2 * dot(q.c, t) + q.d;
export const gradAt = (q: Quadratic, t: Vec2): Vec2 => scale(sub(matVec(q.A, t), q.c), 2);
export const hessian = (q: Quadratic): Mat2 => [
  [2 * q.A[0][0], 2 * q.A[0][1]],
  [2 * q.A[1][0], 2 * q.A[1][1]],
];

export interface LandscapeTask {
  name: string;
  /** The task's true line y = slope·x + intercept (its loss minimum is θ* = (slope, intercept)). */
  slope: number;
  intercept: number;
  /** Where its inputs lie: x ~ U[lo, hi]. */
  xRange: [number, number];
  support: Quadratic;
  query: Quadratic;
  /** Support ∪ query: what pretraining fits. */
  all: Quadratic;
}

export interface TaskSpec {
  name: string;
  slope: number;
  intercept: number;
  xRange: [number, number];
}

/** Three tasks whose minima lie apart and whose loss bowls have different shapes (input ranges). */
export const DEFAULT_TASKS: TaskSpec[] = [
  { name: 'A', slope: 1.6, intercept: 1.2, xRange: [0.2, 1.2] },
  { name: 'B', slope: -1.2, intercept: 0.6, xRange: [-1.5, 1.5] },
  { name: 'C', slope: 0.4, intercept: -1.4, xRange: [-1.4, -0.3] },
];

/** Builds the tasks: `points` support and as many query points each, from a seeded stream (noise-free). */
export function makeTasks(specs: readonly TaskSpec[], points: number, seed: number): LandscapeTask[] {
  const rng = Rng.derive(seed, 'landscape');
  return specs.map((s) => {
    const draw = () => {
      const xs = Array.from({ length: points }, () => rng.uniform(s.xRange[0], s.xRange[1]));
      return { xs, ys: xs.map((x) => s.slope * x + s.intercept) };
    };
    const sp = draw();
    const qp = draw();
    return { ...s, support: quadraticOf(sp.xs, sp.ys), query: quadraticOf(qp.xs, qp.ys), all: quadraticOf([...sp.xs, ...qp.xs], [...sp.ys, ...qp.ys]) };
  });
}

// ---------------------------------------------------------------- inner loops

export interface InnerPath {
  /** θ⁰ = θ, θ¹ … θᵏ. */
  points: Vec2[];
  /** g_j = ∇L at θ^{j−1} on step j's minibatch. */
  grads: Vec2[];
}

/**
 * k inner SGD steps from θ. MAML-style: every step on the support set. Reptile-style
 * (`alternate`): step j on the support set when j is odd, on the query set when even, so that
 * g₁ and g₂ come from different minibatches as in Nichol et al.
 */
export function innerPath(task: LandscapeTask, theta: Vec2, alpha: number | Vec2, k: number, alternate = false): InnerPath {
  const a: Vec2 = typeof alpha === 'number' ? [alpha, alpha] : alpha;
  const points: Vec2[] = [theta];
  const grads: Vec2[] = [];
  let t = theta;
  for (let j = 1; j <= k; j++) {
    const q = alternate && j % 2 === 0 ? task.query : task.support;
    const g = gradAt(q, t);
    grads.push(g);
    t = [t[0] - a[0] * g[0], t[1] - a[1] * g[1]];
    points.push(t);
  }
  return { points, grads };
}

// ---------------------------------------------------------------- the algorithms' updates

export const LANDSCAPE_ALGORITHMS = ['pretrain', 'fomaml', 'maml', 'reptile', 'metasgd', 'maml-ga'] as const;
export type LandscapeAlgorithm = (typeof LANDSCAPE_ALGORITHMS)[number];

export interface Hyper {
  /** Inner step size α (Meta-SGD: the initial value of both entries of its learned α). */
  alpha: number;
  /** Inner steps k. */
  k: number;
  /** Outer step size β (plain gradient steps, so arrows are exact updates). */
  beta: number;
  /** Reptile's ε. */
  epsilon: number;
}

/** Mean over tasks of the per-task vectors. */
const mean = (vs: readonly Vec2[]): Vec2 => scale(vs.reduce((s, v) => add(s, v), [0, 0] as Vec2), 1 / vs.length);

/** ∇ of the pretraining objective (1/n) Σᵢ Lᵢ(θ) on all of each task's points. */
export const pretrainGradient = (tasks: readonly LandscapeTask[], theta: Vec2): Vec2 => mean(tasks.map((t) => gradAt(t.all, theta)));

/** Task i's first-order MAML gradient: ∇L_query,i(θ′ᵢ). */
export const fomamlTaskGradient = (task: LandscapeTask, theta: Vec2, h: Hyper): Vec2 => gradAt(task.query, innerPath(task, theta, h.alpha, h.k).points[h.k]);

/** Task i's MAML meta-gradient: (I − αH_s)ᵏ ∇L_query,i(θ′ᵢ) (the support Hessian is constant for a quadratic). */
export function mamlTaskGradient(task: LandscapeTask, theta: Vec2, h: Hyper): Vec2 {
  const H = hessian(task.support);
  const step: Mat2 = [
    [1 - h.alpha * H[0][0], -h.alpha * H[0][1]],
    [-h.alpha * H[1][0], 1 - h.alpha * H[1][1]],
  ];
  let J = I;
  for (let j = 0; j < h.k; j++) J = matMul(step, J);
  return matVec(transpose(J), fomamlTaskGradient(task, theta, h));
}

/**
 * Meta-SGD's gradients for one task with k steps θ_{j+1} = θ_j − a ∘ ∇L_s(θ_j), by forward-mode
 * Jacobians: dθ_{j+1}/dθ = (I − diag(a)H) dθ_j/dθ and dθ_{j+1}/da = (I − diag(a)H) dθ_j/da − diag(g_j).
 */
export function metaSgdTaskGradients(task: LandscapeTask, theta: Vec2, a: Vec2, k: number): { theta: Vec2; alpha: Vec2 } {
  const H = hessian(task.support);
  const M: Mat2 = [
    [1 - a[0] * H[0][0], -a[0] * H[0][1]],
    [-a[1] * H[1][0], 1 - a[1] * H[1][1]],
  ];
  let Jt = I;
  let Ja: Mat2 = [
    [0, 0],
    [0, 0],
  ];
  let t = theta;
  for (let j = 0; j < k; j++) {
    const g = gradAt(task.support, t);
    Ja = matMul(M, Ja);
    Ja = [
      [Ja[0][0] - g[0], Ja[0][1]],
      [Ja[1][0], Ja[1][1] - g[1]],
    ];
    Jt = matMul(M, Jt);
    t = [t[0] - a[0] * g[0], t[1] - a[1] * g[1]];
  }
  const gq = gradAt(task.query, t);
  return { theta: matVec(transpose(Jt), gq), alpha: matVec(transpose(Ja), gq) };
}

/** Reptile's per-task difference θ′ᵢ − θ after k alternating inner steps: −α(g₁ + g₂ + … + g_k). */
export const reptileTaskDelta = (task: LandscapeTask, theta: Vec2, h: Hyper): Vec2 => sub(innerPath(task, theta, h.alpha, h.k, true).points[h.k], theta);

export interface AlgorithmState {
  theta: Vec2;
  /** Meta-SGD's learned per-parameter α. */
  metaAlpha: Vec2;
}

export interface UpdateInfo {
  /** θ_new − θ. */
  delta: Vec2;
  /** Meta-SGD: α_new − α. */
  alphaDelta?: Vec2;
  /** Gradient agreement: the task weights. */
  weights?: number[];
}

/** The update each algorithm makes from its state: exact one-step changes of θ (and Meta-SGD's α). */
export function algorithmUpdate(alg: LandscapeAlgorithm, tasks: readonly LandscapeTask[], s: AlgorithmState, h: Hyper): UpdateInfo {
  switch (alg) {
    case 'pretrain':
      return { delta: scale(pretrainGradient(tasks, s.theta), -h.beta) };
    case 'fomaml':
      return { delta: scale(mean(tasks.map((t) => fomamlTaskGradient(t, s.theta, h))), -h.beta) };
    case 'maml':
      return { delta: scale(mean(tasks.map((t) => mamlTaskGradient(t, s.theta, h))), -h.beta) };
    case 'reptile':
      return { delta: scale(mean(tasks.map((t) => reptileTaskDelta(t, s.theta, h))), h.epsilon) };
    case 'metasgd': {
      const gs = tasks.map((t) => metaSgdTaskGradients(t, s.theta, s.metaAlpha, h.k));
      // α's gradient is a product of two gradients, huge far from the minima: its step is clipped.
      const da = scale(mean(gs.map((g) => g.alpha)), -h.beta);
      const norm = Math.hypot(da[0], da[1]);
      return { delta: scale(mean(gs.map((g) => g.theta)), -h.beta), alphaDelta: norm > META_ALPHA_STEP ? scale(da, META_ALPHA_STEP / norm) : da };
    }
    case 'maml-ga': {
      const gs = tasks.map((t) => mamlTaskGradient(t, s.theta, h));
      const w = gradientAgreementWeights(gs);
      return { delta: scale(gs.reduce((acc, g, i) => add(acc, scale(g, w[i])), [0, 0] as Vec2), -h.beta), weights: w };
    }
  }
}

/** Meta-SGD in this lab: the longest step its α takes per outer step, and α's range. */
export const META_ALPHA_STEP = 0.05;
export const META_ALPHA_MAX = 1;

/** Applies an update (Meta-SGD's α stays a step size in [0, META_ALPHA_MAX]). */
export function applyUpdate(s: AlgorithmState, u: UpdateInfo): AlgorithmState {
  const a = u.alphaDelta ? add(s.metaAlpha, u.alphaDelta) : s.metaAlpha;
  const clamp = (v: number) => Math.max(0, Math.min(META_ALPHA_MAX, v));
  return { theta: add(s.theta, u.delta), metaAlpha: [clamp(a[0]), clamp(a[1])] };
}

/** The MAML objective (1/n) Σᵢ L_query,i(θ′ᵢ): what MAML's update descends (used by tests and the background). */
export const mamlObjective = (tasks: readonly LandscapeTask[], theta: Vec2, h: { alpha: number | Vec2; k: number }): number =>
  tasks.reduce((s, t) => s + lossAt(t.query, innerPath(t, theta, h.alpha, h.k).points[h.k]), 0) / tasks.length;

export const pretrainObjective = (tasks: readonly LandscapeTask[], theta: Vec2): number => tasks.reduce((s, t) => s + lossAt(t.all, theta), 0) / tasks.length;

// ---------------------------------------------------------------- contours

export interface Grid {
  lo: Vec2;
  hi: Vec2;
  n: number;
  values: Float64Array;
}

export function sampleGrid(f: (t: Vec2) => number, lo: Vec2, hi: Vec2, n: number): Grid {
  const values = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const b = lo[1] + ((hi[1] - lo[1]) * j) / (n - 1);
    for (let i = 0; i < n; i++) values[j * n + i] = f([lo[0] + ((hi[0] - lo[0]) * i) / (n - 1), b]);
  }
  return { lo, hi, n, values };
}

/** Marching squares: the level-set segments of a sampled function, in parameter coordinates. */
export function contourSegments(g: Grid, level: number): [Vec2, Vec2][] {
  const { n, lo, hi, values } = g;
  const dx = (hi[0] - lo[0]) / (n - 1);
  const dy = (hi[1] - lo[1]) / (n - 1);
  const out: [Vec2, Vec2][] = [];
  const at = (i: number, j: number) => values[j * n + i];
  const lerp = (i0: number, j0: number, i1: number, j1: number): Vec2 => {
    const a = at(i0, j0);
    const b = at(i1, j1);
    const t = (level - a) / (b - a);
    return [lo[0] + (i0 + (i1 - i0) * t) * dx, lo[1] + (j0 + (j1 - j0) * t) * dy];
  };
  for (let j = 0; j + 1 < n; j++) {
    for (let i = 0; i + 1 < n; i++) {
      const pts: Vec2[] = [];
      const corners: [number, number][] = [
        [i, j],
        [i + 1, j],
        [i + 1, j + 1],
        [i, j + 1],
      ];
      for (let e = 0; e < 4; e++) {
        const [i0, j0] = corners[e];
        const [i1, j1] = corners[(e + 1) % 4];
        if (at(i0, j0) < level !== at(i1, j1) < level) pts.push(lerp(i0, j0, i1, j1));
      }
      if (pts.length === 2) out.push([pts[0], pts[1]]);
      else if (pts.length === 4) out.push([pts[0], pts[1]], [pts[2], pts[3]]);
    }
  }
  return out;
}

// ---------------------------------------------------------------- the 1-D view

export type OneDShape = 'quadratic' | 'cauchy';

export interface OneDTask {
  /** Minimum position m and curvature a. */
  m: number;
  a: number;
}

/** lⁿ(φ): quadratic a(φ − m)², or the heavy-tailed a·ln(1 + (φ − m)²) whose gradient fades far away. */
export function oneDLoss(t: OneDTask, shape: OneDShape, phi: number): number {
  const u = phi - t.m;
  return shape === 'quadratic' ? t.a * u * u : t.a * Math.log1p(u * u);
}

export function oneDGrad(t: OneDTask, shape: OneDShape, phi: number): number {
  const u = phi - t.m;
  return shape === 'quadratic' ? 2 * t.a * u : (2 * t.a * u) / (1 + u * u);
}

/** Σₙ lⁿ(φ): what pretraining minimises. */
export const pretrain1D = (tasks: readonly OneDTask[], shape: OneDShape, phi: number): number => tasks.reduce((s, t) => s + oneDLoss(t, shape, phi), 0);

/** Σₙ lⁿ(φ − ε∇lⁿ(φ)): what MAML minimises (one inner step). */
export const maml1D = (tasks: readonly OneDTask[], shape: OneDShape, phi: number, eps: number): number =>
  tasks.reduce((s, t) => s + oneDLoss(t, shape, phi - eps * oneDGrad(t, shape, phi)), 0);

/** Grid argmin of f on [lo, hi] (n points), refined by golden-section search around the best point. */
export function argmin1D(f: (x: number) => number, lo: number, hi: number, n = 801): number {
  let best = lo;
  let bestV = Infinity;
  for (let i = 0; i < n; i++) {
    const x = lo + ((hi - lo) * i) / (n - 1);
    const v = f(x);
    if (v < bestV) {
      bestV = v;
      best = x;
    }
  }
  const h = (hi - lo) / (n - 1);
  let a = Math.max(lo, best - h);
  let b = Math.min(hi, best + h);
  const r = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 60; it++) {
    const c = b - r * (b - a);
    const d = a + r * (b - a);
    if (f(c) < f(d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}
