/**
 * Sub-stroke splines: clamped uniform cubic B-splines with 5 control points (knots 0,0,0,0,½,1,1,1,1),
 * the sub-stroke shape model of Bayesian Program Learning. A clamped spline starts at its first
 * control point and ends at its last, so sub-strokes chain into a stroke exactly.
 *
 * Control points are stored flat as [x0, y0, x1, y1, …, x4, y4].
 */

export const SPLINE_CONTROLS = 5;
const KNOTS = [0, 0, 0, 0, 0.5, 1, 1, 1, 1];

/** The 5 basis weights at parameter u in [0, 1] (Cox–de Boor recursion). */
export function splineBasis(u: number, out: Float64Array = new Float64Array(SPLINE_CONTROLS)): Float64Array {
  const t = KNOTS;
  const p = 3;
  const x = Math.min(Math.max(u, 0), 1);
  out.fill(0);
  if (x >= 1) {
    out[SPLINE_CONTROLS - 1] = 1;
    return out;
  }
  // Degree-0 basis over the 8 knot spans, raised to degree 3.
  const n = t.length - 1;
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) b[i] = t[i] <= x && x < t[i + 1] ? 1 : 0;
  for (let d = 1; d <= p; d++)
    for (let i = 0; i < n - d; i++) {
      const l = t[i + d] - t[i];
      const r = t[i + d + 1] - t[i + 1];
      b[i] = (l > 0 ? ((x - t[i]) / l) * b[i] : 0) + (r > 0 ? ((t[i + d + 1] - x) / r) * b[i + 1] : 0);
    }
  for (let i = 0; i < SPLINE_CONTROLS; i++) out[i] = b[i];
  return out;
}

const tables = new Map<number, Float64Array>();

/** Basis weights at `samples` evenly spaced parameters 0 … 1, flat [samples, 5] (cached). */
export function basisTable(samples: number): Float64Array {
  let t = tables.get(samples);
  if (!t) {
    t = new Float64Array(samples * SPLINE_CONTROLS);
    const row = new Float64Array(SPLINE_CONTROLS);
    for (let k = 0; k < samples; k++) {
      splineBasis(samples === 1 ? 0 : k / (samples - 1), row);
      t.set(row, k * SPLINE_CONTROLS);
    }
    tables.set(samples, t);
  }
  return t;
}

/** Evaluates the spline at `samples` evenly spaced parameters, offset by (x0, y0); flat [samples, 2]. */
export function evalSpline(controls: ArrayLike<number>, samples: number, x0 = 0, y0 = 0, out?: Float64Array): Float64Array {
  const table = basisTable(samples);
  const dst = out ?? new Float64Array(samples * 2);
  for (let k = 0; k < samples; k++) {
    let x = 0;
    let y = 0;
    for (let c = 0; c < SPLINE_CONTROLS; c++) {
      const w = table[k * SPLINE_CONTROLS + c];
      x += w * controls[2 * c];
      y += w * controls[2 * c + 1];
    }
    dst[2 * k] = x + x0;
    dst[2 * k + 1] = y + y0;
  }
  return dst;
}

/** The point at parameter u (offset by x0, y0). */
export function splinePoint(controls: ArrayLike<number>, u: number, x0 = 0, y0 = 0): [number, number] {
  const w = splineBasis(u);
  let x = 0;
  let y = 0;
  for (let c = 0; c < SPLINE_CONTROLS; c++) {
    x += w[c] * controls[2 * c];
    y += w[c] * controls[2 * c + 1];
  }
  return [x + x0, y + y0];
}

/**
 * Least-squares spline through a polyline (flat xs, ys), parameterized by chord length, with the end
 * control points pinned to the polyline's ends. Returns controls as offsets from the first point.
 */
export function fitSpline(xs: ArrayLike<number>, ys: ArrayLike<number>): number[] {
  const m = xs.length;
  if (m === 0) return new Array(2 * SPLINE_CONTROLS).fill(0);
  const ex = xs[m - 1] - xs[0];
  const ey = ys[m - 1] - ys[0];
  const line = () => {
    const c: number[] = [];
    for (let k = 0; k < SPLINE_CONTROLS; k++) c.push((ex * k) / (SPLINE_CONTROLS - 1), (ey * k) / (SPLINE_CONTROLS - 1));
    return c;
  };
  if (m < 4) return line();
  const u = new Float64Array(m);
  for (let k = 1; k < m; k++) u[k] = u[k - 1] + Math.hypot(xs[k] - xs[k - 1], ys[k] - ys[k - 1]);
  const total = u[m - 1];
  if (total < 1e-9) return line();
  // Normal equations for the three free (interior) control points, with a small ridge toward the chord.
  const A = [new Float64Array(3), new Float64Array(3), new Float64Array(3)];
  const bx = new Float64Array(3);
  const by = new Float64Array(3);
  const w = new Float64Array(SPLINE_CONTROLS);
  for (let k = 0; k < m; k++) {
    splineBasis(u[k] / total, w);
    const rx = xs[k] - xs[0] - w[4] * ex;
    const ry = ys[k] - ys[0] - w[4] * ey;
    for (let a = 0; a < 3; a++) {
      bx[a] += w[a + 1] * rx;
      by[a] += w[a + 1] * ry;
      for (let b = 0; b < 3; b++) A[a][b] += w[a + 1] * w[b + 1];
    }
  }
  const ridge = 1e-3 * m;
  for (let a = 0; a < 3; a++) {
    A[a][a] += ridge;
    bx[a] += (ridge * ex * (a + 1)) / 4;
    by[a] += (ridge * ey * (a + 1)) / 4;
  }
  const cx = solve3(A, bx);
  const cy = solve3(A, by);
  return [0, 0, cx[0], cy[0], cx[1], cy[1], cx[2], cy[2], ex, ey];
}

/** Solves the 3×3 system A·x = b by Gaussian elimination with partial pivoting (A is symmetric positive definite here). */
function solve3(A: Float64Array[], b: Float64Array): number[] {
  const m = A.map((row, r) => [row[0], row[1], row[2], b[r]]);
  for (let col = 0; col < 3; col++) {
    let piv = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    [m[col], m[piv]] = [m[piv], m[col]];
    const d = m[col][col];
    if (Math.abs(d) < 1e-12) return [0, 0, 0];
    for (let r = col + 1; r < 3; r++) {
      const f = m[r][col] / d;
      for (let k = col; k < 4; k++) m[r][k] -= f * m[col][k];
    }
  }
  const x = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let v = m[r][3];
    for (let k = r + 1; k < 3; k++) v -= m[r][k] * x[k];
    x[r] = v / m[r][r];
  }
  return x;
}
