/**
 * Plain-JavaScript float64 reimplementations of the ops, used only as ground truth by the
 * gradient checks (finite differences of these are accurate to ~1e-10, far below float32 noise).
 * Layouts match tfjs: row-major, NHWC images, [kh, kw, in, out] filters.
 */

export type Vec = Float64Array;

export const mapRef = (x: Vec, f: (v: number) => number): Vec => x.map(f);

export const expRef = (x: Vec): Vec => mapRef(x, Math.exp);
export const sigmoidRef = (x: Vec): Vec => mapRef(x, (v) => 1 / (1 + Math.exp(-v)));
export const tanhRef = (x: Vec): Vec => mapRef(x, Math.tanh);
export const softplusRef = (x: Vec): Vec => mapRef(x, (v) => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))));

/** Applies f to each row of length `cols` (the last axis). */
function rows(x: Vec, cols: number, outCols: number, f: (row: Vec, out: Vec) => void): Vec {
  const n = x.length / cols;
  const out = new Float64Array(n * outCols);
  for (let r = 0; r < n; r++) f(x.subarray(r * cols, (r + 1) * cols), out.subarray(r * outCols, (r + 1) * outCols));
  return out;
}

function lseRow(row: Vec): number {
  let m = -Infinity;
  for (const v of row) m = Math.max(m, v);
  let s = 0;
  for (const v of row) s += Math.exp(v - m);
  return m + Math.log(s);
}

export const logSumExpRef = (x: Vec, cols: number): Vec => rows(x, cols, 1, (row, out) => (out[0] = lseRow(row)));
export const logSoftmaxRef = (x: Vec, cols: number): Vec =>
  rows(x, cols, cols, (row, out) => {
    const l = lseRow(row);
    row.forEach((v, i) => (out[i] = v - l));
  });
export const softmaxRef = (x: Vec, cols: number): Vec => mapRef(logSoftmaxRef(x, cols), Math.exp);

export function softmaxCrossEntropyRef(labels: Vec, logits: Vec, cols: number): Vec {
  const ls = logSoftmaxRef(logits, cols);
  const out = new Float64Array(logits.length / cols);
  for (let i = 0; i < ls.length; i++) out[Math.floor(i / cols)] -= labels[i] * ls[i];
  return out;
}

export function sigmoidCrossEntropyRef(labels: Vec, logits: Vec): Vec {
  const sp = softplusRef(logits);
  return sp.map((s, i) => s - logits[i] * labels[i]);
}

/** Output size and leading padding of one axis, TensorFlow's 'same'/'valid' convention. */
function axis(size: number, k: number, s: number, pad: 'same' | 'valid'): { out: number; before: number } {
  if (pad === 'valid') return { out: Math.ceil((size - k + 1) / s), before: 0 };
  const out = Math.ceil(size / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) };
}

/** Direct convolution. x [N,H,W,Ci], w [kh,kw,Ci,Co] → [N,Ho,Wo,Co]. */
export function conv2dRef(x: Vec, xShape: number[], w: Vec, wShape: number[], stride: number, pad: 'same' | 'valid'): Vec {
  const [n, h, wd, ci] = xShape;
  const [kh, kw, , co] = wShape;
  const ay = axis(h, kh, stride, pad);
  const ax = axis(wd, kw, stride, pad);
  const out = new Float64Array(n * ay.out * ax.out * co);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ay.out; i++)
      for (let j = 0; j < ax.out; j++)
        for (let o = 0; o < co; o++) {
          let s = 0;
          for (let a = 0; a < kh; a++) {
            const r = i * stride + a - ay.before;
            if (r < 0 || r >= h) continue;
            for (let c = 0; c < kw; c++) {
              const q = j * stride + c - ax.before;
              if (q < 0 || q >= wd) continue;
              for (let k = 0; k < ci; k++) s += x[((b * h + r) * wd + q) * ci + k] * w[((a * kw + c) * ci + k) * co + o];
            }
          }
          out[((b * ay.out + i) * ax.out + j) * co + o] = s;
        }
  return out;
}

/** Non-overlapping k×k pooling, 'valid'. */
export function poolRef(x: Vec, shape: number[], k: number, kind: 'max' | 'avg'): Vec {
  const [n, h, w, c] = shape;
  const ho = Math.floor(h / k);
  const wo = Math.floor(w / k);
  const out = new Float64Array(n * ho * wo * c);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let ch = 0; ch < c; ch++) {
          let acc = kind === 'max' ? -Infinity : 0;
          for (let a = 0; a < k; a++)
            for (let d = 0; d < k; d++) {
              const v = x[((b * h + i * k + a) * w + j * k + d) * c + ch];
              acc = kind === 'max' ? Math.max(acc, v) : acc + v / (k * k);
            }
          out[((b * ho + i) * wo + j) * c + ch] = acc;
        }
  return out;
}

/** Batch norm over all axes but the last (c channels): scale·(x−μ)/√(σ²+eps) + offset. */
export function batchNormRef(x: Vec, c: number, scale: Vec, offset: Vec, eps: number): Vec {
  const m = x.length / c;
  const out = new Float64Array(x.length);
  for (let ch = 0; ch < c; ch++) {
    let mean = 0;
    for (let i = 0; i < m; i++) mean += x[i * c + ch] / m;
    let v = 0;
    for (let i = 0; i < m; i++) v += (x[i * c + ch] - mean) ** 2 / m;
    const inv = 1 / Math.sqrt(v + eps);
    for (let i = 0; i < m; i++) out[i * c + ch] = scale[ch] * (x[i * c + ch] - mean) * inv + offset[ch];
  }
  return out;
}

/** Layer norm over the last axis (d features). */
export function layerNormRef(x: Vec, d: number, scale: Vec, offset: Vec, eps: number): Vec {
  return rows(x, d, d, (row, out) => {
    let mean = 0;
    for (const v of row) mean += v / d;
    let v2 = 0;
    for (const v of row) v2 += (v - mean) ** 2 / d;
    const inv = 1 / Math.sqrt(v2 + eps);
    row.forEach((v, i) => (out[i] = scale[i] * (v - mean) * inv + offset[i]));
  });
}

/** One LSTM step, gate order i | f | g | o; returns [h' (B×H), c' (B×H)] concatenated per row: [B, 2H]. */
export function lstmCellRef(x: Vec, h: Vec, c: Vec, kernel: Vec, bias: Vec, batch: number, inputs: number, hidden: number): Vec {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const out = new Float64Array(batch * 2 * hidden);
  const cols = 4 * hidden;
  for (let b = 0; b < batch; b++) {
    const z = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      let s = bias[j];
      for (let k = 0; k < inputs; k++) s += x[b * inputs + k] * kernel[k * cols + j];
      for (let k = 0; k < hidden; k++) s += h[b * hidden + k] * kernel[(inputs + k) * cols + j];
      z[j] = s;
    }
    for (let u = 0; u < hidden; u++) {
      const i = sig(z[u]);
      const f = sig(z[hidden + u]);
      const g = Math.tanh(z[2 * hidden + u]);
      const o = sig(z[3 * hidden + u]);
      const cn = f * c[b * hidden + u] + i * g;
      out[b * 2 * hidden + u] = o * Math.tanh(cn);
      out[b * 2 * hidden + hidden + u] = cn;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The 4-block conv net and its MAML meta-loss, in float64 with hand-written backprop: the ground
// truth of the MAML meta-gradient check. Same layout and semantics as src/engine/models/convNet.ts
// (conv 3×3 same, no bias → transductive batch norm → ReLU → 2×2 max-pool, first maximum wins;
// flatten → linear head; mean softmax cross-entropy on one-hot labels).

interface BlockCache {
  input: Vec;
  side: number;
  cin: number;
  xhat: Vec;
  sigma: Vec;
  pre: Vec;
  argmax: Int32Array;
}

interface NetShape {
  n: number;
  side: number;
  channels: number;
  width: number;
  blocks: number;
}

function convNetForwardRef(params: Vec[], x: Vec, shape: NetShape, eps: number): { logits: Vec; caches: BlockCache[]; flat: Vec } {
  const { n, width, blocks } = shape;
  let a = x;
  let side = shape.side;
  let cin = shape.channels;
  const caches: BlockCache[] = [];
  for (let b = 0; b < blocks; b++) {
    const [w, scale, offset] = [params[3 * b], params[3 * b + 1], params[3 * b + 2]];
    const z = conv2dRef(a, [n, side, side, cin], w, [3, 3, cin, width], 1, 'same');
    const m = n * side * side;
    const xhat = new Float64Array(z.length);
    const sigma = new Float64Array(width);
    const pre = new Float64Array(z.length);
    for (let c = 0; c < width; c++) {
      let mean = 0;
      for (let i = 0; i < m; i++) mean += z[i * width + c] / m;
      let v = 0;
      for (let i = 0; i < m; i++) v += (z[i * width + c] - mean) ** 2 / m;
      sigma[c] = Math.sqrt(v + eps);
      for (let i = 0; i < m; i++) {
        xhat[i * width + c] = (z[i * width + c] - mean) / sigma[c];
        pre[i * width + c] = scale[c] * xhat[i * width + c] + offset[c];
      }
    }
    const half = Math.floor(side / 2);
    const pooled = new Float64Array(n * half * half * width);
    const argmax = new Int32Array(pooled.length);
    for (let s = 0; s < n; s++)
      for (let i = 0; i < half; i++)
        for (let j = 0; j < half; j++)
          for (let c = 0; c < width; c++) {
            let best = -Infinity;
            let at = -1;
            for (let r = 0; r < 2; r++)
              for (let q = 0; q < 2; q++) {
                const idx = ((s * side + 2 * i + r) * side + 2 * j + q) * width + c;
                const v = Math.max(pre[idx], 0);
                if (v > best) {
                  best = v;
                  at = idx;
                }
              }
            const o = ((s * half + i) * half + j) * width + c;
            pooled[o] = best;
            argmax[o] = at;
          }
    caches.push({ input: a, side, cin, xhat, sigma, pre, argmax });
    a = pooled;
    side = half;
    cin = width;
  }
  const feat = a.length / n;
  const [hw, hb] = [params[3 * blocks], params[3 * blocks + 1]];
  const ways = hb.length;
  const logits = new Float64Array(n * ways);
  for (let s = 0; s < n; s++)
    for (let k = 0; k < ways; k++) {
      let v = hb[k];
      for (let f = 0; f < feat; f++) v += a[s * feat + f] * hw[f * ways + k];
      logits[s * ways + k] = v;
    }
  return { logits, caches, flat: a };
}

function crossEntropyRef(logits: Vec, labels: Vec, ways: number): { loss: number; dlogits: Vec } {
  const n = logits.length / ways;
  const ls = logSoftmaxRef(logits, ways);
  let loss = 0;
  const dlogits = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) {
    loss -= (labels[i] * ls[i]) / n;
    dlogits[i] = (Math.exp(ls[i]) - labels[i]) / n;
  }
  return { loss, dlogits };
}

/** Loss and gradient wrt every parameter of the conv net on one batch. */
function convNetLossGradRef(params: Vec[], x: Vec, labels: Vec, shape: NetShape, eps: number): { loss: number; grads: Vec[] } {
  const { n, width, blocks } = shape;
  const { logits, caches, flat } = convNetForwardRef(params, x, shape, eps);
  const ways = params[3 * blocks + 1].length;
  const { loss, dlogits } = crossEntropyRef(logits, labels, ways);
  const grads = params.map((p) => new Float64Array(p.length));
  const feat = flat.length / n;
  const hw = params[3 * blocks];
  const dflat = new Float64Array(flat.length);
  for (let s = 0; s < n; s++)
    for (let k = 0; k < ways; k++) {
      const d = dlogits[s * ways + k];
      grads[3 * blocks + 1][k] += d;
      for (let f = 0; f < feat; f++) {
        grads[3 * blocks][f * ways + k] += flat[s * feat + f] * d;
        dflat[s * feat + f] += hw[f * ways + k] * d;
      }
    }
  let dpooled = dflat;
  for (let b = blocks - 1; b >= 0; b--) {
    const { input, side, cin, xhat, sigma, pre, argmax } = caches[b];
    const [w, scale] = [params[3 * b], params[3 * b + 1]];
    const dpre = new Float64Array(pre.length);
    for (let o = 0; o < dpooled.length; o++) if (pre[argmax[o]] > 0) dpre[argmax[o]] += dpooled[o];
    const m = n * side * side;
    const dz = new Float64Array(pre.length);
    for (let c = 0; c < width; c++) {
      let sumD = 0;
      let sumDX = 0;
      for (let i = 0; i < m; i++) {
        const d = dpre[i * width + c];
        grads[3 * b + 1][c] += d * xhat[i * width + c];
        grads[3 * b + 2][c] += d;
        sumD += d * scale[c];
        sumDX += d * scale[c] * xhat[i * width + c];
      }
      for (let i = 0; i < m; i++) {
        const dxhat = dpre[i * width + c] * scale[c];
        dz[i * width + c] = (dxhat - sumD / m - (xhat[i * width + c] * sumDX) / m) / sigma[c];
      }
    }
    const dinput = new Float64Array(input.length);
    const gw = grads[3 * b];
    for (let s = 0; s < n; s++)
      for (let i = 0; i < side; i++)
        for (let j = 0; j < side; j++)
          for (let a = 0; a < 3; a++) {
            const r = i + a - 1;
            if (r < 0 || r >= side) continue;
            for (let q = 0; q < 3; q++) {
              const col = j + q - 1;
              if (col < 0 || col >= side) continue;
              const inBase = ((s * side + r) * side + col) * cin;
              const outBase = ((s * side + i) * side + j) * width;
              for (let ci = 0; ci < cin; ci++) {
                const wBase = ((a * 3 + q) * cin + ci) * width;
                const xv = input[inBase + ci];
                let acc = 0;
                for (let co = 0; co < width; co++) {
                  const d = dz[outBase + co];
                  gw[wBase + co] += xv * d;
                  acc += w[wBase + co] * d;
                }
                dinput[inBase + ci] += acc;
              }
            }
          }
    dpooled = dinput;
  }
  return { loss, grads };
}

/** One task for convMamlLossRef: images [n, side, side, channels] and one-hot labels, as float64. */
export interface EpisodeRef {
  supportX: Vec;
  supportY: Vec;
  queryX: Vec;
  queryY: Vec;
}

/**
 * MAML meta-loss of the conv net in float64: mean over tasks of the query cross-entropy after
 * `steps` SGD steps of size alpha on the support cross-entropy (exact float64 gradients).
 */
export function convMamlLossRef(
  params: Vec[],
  episodes: EpisodeRef[],
  net: { side: number; channels: number; width: number; blocks: number; ways: number },
  alpha: number,
  steps: number,
  eps: number,
): number {
  let total = 0;
  for (const e of episodes) {
    const pixels = net.side * net.side * net.channels;
    const shape = (x: Vec): NetShape => ({ n: x.length / pixels, side: net.side, channels: net.channels, width: net.width, blocks: net.blocks });
    let fast = params;
    for (let s = 0; s < steps; s++) {
      const { grads } = convNetLossGradRef(fast, e.supportX, e.supportY, shape(e.supportX), eps);
      fast = fast.map((p, i) => p.map((v, j) => v - alpha * grads[i][j]));
    }
    const { logits } = convNetForwardRef(fast, e.queryX, shape(e.queryX), eps);
    total += crossEntropyRef(logits, e.queryY, net.ways).loss;
  }
  return total / episodes.length;
}
