/**
 * The embedding view's 2-D projection: the two principal axes of a point set (power iteration
 * with deflation on the covariance, in plain arrays: a few hundred points of ≤ 64 dimensions), the
 * projection, and the 1-σ ellipse of a diagonal Gaussian seen in that plane. Runs in the worker.
 */

export interface Pca2 {
  dims: number;
  mean: Float64Array;
  /** Two orthonormal axes, [2, dims]. */
  axes: Float64Array;
  /** Variance along each axis. */
  variances: [number, number];
  /** Share of the total variance the two axes explain (0 … 1). */
  explained: number;
}

/**
 * Principal axes of `n` points (`data` row-major [n, dims]). With `previous` (the axes of the last
 * snapshot) each axis is flipped to point the same way as before, so the picture does not mirror
 * between snapshots; it also warm-starts the iteration.
 */
export function pca2(data: ArrayLike<number>, n: number, dims: number, previous?: Float64Array | null): Pca2 {
  if (n < 1 || data.length !== n * dims) throw new RangeError(`pca2: ${data.length} values are not ${n} × ${dims}`);
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let j = 0; j < dims; j++) mean[j] += data[i * dims + j] / n;
  const cov = new Float64Array(dims * dims);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < dims; a++) {
      const da = data[i * dims + a] - mean[a];
      if (da === 0) continue;
      for (let b = a; b < dims; b++) cov[a * dims + b] += (da * (data[i * dims + b] - mean[b])) / n;
    }
  let total = 0;
  for (let a = 0; a < dims; a++) {
    total += cov[a * dims + a];
    for (let b = a + 1; b < dims; b++) cov[b * dims + a] = cov[a * dims + b];
  }
  const axes = new Float64Array(2 * dims);
  const variances: [number, number] = [0, 0];
  for (let k = 0; k < 2; k++) {
    const v = startVector(cov, dims, k, previous);
    let lambda = 0;
    for (let it = 0; it < 300; it++) {
      const w = matVec(cov, v, dims);
      // Deflation: stay orthogonal to the axes already found.
      for (let p = 0; p < k; p++) orthogonalise(w, axes.subarray(p * dims, (p + 1) * dims));
      const norm = Math.hypot(...w);
      if (norm < 1e-12) break;
      let change = 0;
      for (let j = 0; j < dims; j++) {
        const next = w[j] / norm;
        change += Math.abs(next - v[j]);
        v[j] = next;
      }
      lambda = norm;
      if (change < 1e-10) break;
    }
    if (lambda < 1e-12) {
      // No variance left: any unit vector orthogonal to the first axis will do.
      v.fill(0);
      v[k % dims] = 1;
      for (let p = 0; p < k; p++) orthogonalise(v, axes.subarray(p * dims, (p + 1) * dims));
      const norm = Math.hypot(...v) || 1;
      for (let j = 0; j < dims; j++) v[j] /= norm;
    }
    if (previous && previous.length === 2 * dims) {
      let dot = 0;
      for (let j = 0; j < dims; j++) dot += v[j] * previous[k * dims + j];
      if (dot < 0) for (let j = 0; j < dims; j++) v[j] = -v[j];
    }
    axes.set(v, k * dims);
    variances[k] = lambda;
  }
  return { dims, mean, axes, variances, explained: total > 0 ? Math.min(1, (variances[0] + variances[1]) / total) : 1 };
}

function startVector(cov: Float64Array, dims: number, k: number, previous?: Float64Array | null): Float64Array {
  if (previous && previous.length === 2 * dims) return Float64Array.from(previous.subarray(k * dims, (k + 1) * dims));
  // The column of largest norm is rarely orthogonal to the top axis; a slight tilt breaks ties.
  let best = 0;
  let bestNorm = -1;
  for (let j = 0; j < dims; j++) {
    let s = 0;
    for (let i = 0; i < dims; i++) s += cov[i * dims + j] ** 2;
    if (s > bestNorm) {
      bestNorm = s;
      best = j;
    }
  }
  const v = new Float64Array(dims);
  for (let i = 0; i < dims; i++) v[i] = cov[i * dims + best] + 1e-3 * (((i * 7 + k * 3) % 11) - 5);
  return v;
}

function matVec(m: Float64Array, v: Float64Array, dims: number): Float64Array {
  const out = new Float64Array(dims);
  for (let i = 0; i < dims; i++) {
    let s = 0;
    for (let j = 0; j < dims; j++) s += m[i * dims + j] * v[j];
    out[i] = s;
  }
  return out;
}

function orthogonalise(v: Float64Array, axis: Float64Array): void {
  let dot = 0;
  for (let j = 0; j < v.length; j++) dot += v[j] * axis[j];
  for (let j = 0; j < v.length; j++) v[j] -= dot * axis[j];
}

/** Projects points [n, dims] onto the axes: [n, 2]. */
export function project(p: Pca2, data: ArrayLike<number>, n: number): Float32Array {
  const out = new Float32Array(2 * n);
  const d = p.dims;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 2; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[i * d + j] - p.mean[j]) * p.axes[k * d + j];
      out[2 * i + k] = s;
    }
  return out;
}

/**
 * The 1-σ ellipse of a Gaussian with diagonal covariance diag(variance) (length `dims`, or 1 for
 * an isotropic radius) seen through the axes: the 2×2 covariance A·Σ·Aᵀ and its eigen-decomposition.
 * Returns [a, b, angle]: semi-axes (a ≥ b) and the angle of a from the first axis.
 */
export function projectedEllipse(p: Pca2, variance: ArrayLike<number>): [number, number, number] {
  const d = p.dims;
  const vAt = (j: number) => (variance.length === 1 ? variance[0] : variance[j]);
  let c00 = 0;
  let c01 = 0;
  let c11 = 0;
  for (let j = 0; j < d; j++) {
    const x = p.axes[j];
    const y = p.axes[d + j];
    const v = vAt(j);
    c00 += x * x * v;
    c01 += x * y * v;
    c11 += y * y * v;
  }
  const mid = (c00 + c11) / 2;
  const rad = Math.sqrt(((c00 - c11) / 2) ** 2 + c01 ** 2);
  const l1 = mid + rad;
  const l2 = Math.max(0, mid - rad);
  const angle = 0.5 * Math.atan2(2 * c01, c00 - c11);
  return [Math.sqrt(l1), Math.sqrt(l2), angle];
}
