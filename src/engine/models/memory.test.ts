import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fdGradient, maxRelErr } from '../core/ops';
import { Rng } from '../core/rng';
import {
  circularShift,
  contentWeights,
  cosineSimilarity,
  headParams,
  interpolate,
  leastUsed,
  lruaWrite,
  lruaWriteWeights,
  ntmAddress,
  readMemory,
  sharpen,
  updateUsage,
  writeMemory,
} from './memory';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
});

const t3 = (rows: number[][]) => tf.tensor3d([rows]);
const row = (t: tf.Tensor) => Array.from(t.dataSync());
const close = (actual: number[], expected: number[], digits = 6) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v, `entry ${i}: ${actual.join(', ')}`).toBeCloseTo(expected[i], digits));
};

describe('NTM addressing, hand-computed', () => {
  it('reads a convex combination of the rows: weighting [0.3, 0.1, 0.3, 0.1, 0.2]', () => {
    const memory = t3([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
      [13, 14, 15],
    ]);
    // 0.3·1 + 0.1·4 + 0.3·7 + 0.1·10 + 0.2·13 = 6.4; each next column adds Σw = 1.
    close(row(readMemory(memory, t3([[0.3, 0.1, 0.3, 0.1, 0.2]]))), [6.4, 7.4, 8.4], 5);
  });

  it('cosine similarity and content weights with key strength β', () => {
    const memory = t3([
      [1, 0],
      [0, 1],
      [1, 1],
      [-1, 0],
    ]);
    const key = t3([[2, 0]]);
    close(row(cosineSimilarity(memory, key)), [1, 0, Math.SQRT1_2, -1]);
    // β = 2: w ∝ exp(2·cos)
    const e = [Math.exp(2), 1, Math.exp(2 * Math.SQRT1_2), Math.exp(-2)];
    const s = e.reduce((a, b) => a + b, 0);
    close(row(contentWeights(memory, key, t3([[2]]))), e.map((v) => v / s));
    // β = 0: uniform whatever the key
    close(row(contentWeights(memory, key, t3([[0]]))), [0.25, 0.25, 0.25, 0.25]);
  });

  it('a zero memory row has similarity 0, not NaN', () => {
    const sim = row(cosineSimilarity(t3([[0, 0], [3, 4]]), t3([[3, 4]])));
    close(sim, [0, 1]);
  });

  it('interpolation gate g = 0.25 mixes content and previous weights', () => {
    close(row(interpolate(t3([[1, 0, 0]]), t3([[0, 0, 1]]), t3([[0.25]]))), [0.25, 0, 0.75]);
  });

  it('shift [0, 0, 1] rotates the weighting forward by one, [1, 0, 0] back by one', () => {
    const w = t3([[0.1, 0.2, 0.3, 0.4]]);
    close(row(circularShift(w, t3([[0, 0, 1]]))), [0.4, 0.1, 0.2, 0.3]);
    close(row(circularShift(w, t3([[1, 0, 0]]))), [0.2, 0.3, 0.4, 0.1]);
    close(row(circularShift(w, t3([[0, 1, 0]]))), [0.1, 0.2, 0.3, 0.4]);
    // Half back, half forward from slot 0: w̃(i) = ½ w(i+1) + ½ w(i−1) → slots 1 and 3 (wrapping).
    close(row(circularShift(t3([[1, 0, 0, 0]]), t3([[0.5, 0, 0.5]]))), [0, 0.5, 0, 0.5]);
  });

  it('sharpening with γ = 2: [0.5, 0.25, 0.25] → [2/3, 1/6, 1/6]; γ = 1 changes nothing', () => {
    close(row(sharpen(t3([[0.5, 0.25, 0.25]]), t3([[2]]))), [2 / 3, 1 / 6, 1 / 6]);
    close(row(sharpen(t3([[0.5, 0.3, 0.2]]), t3([[1]]))), [0.5, 0.3, 0.2]);
  });

  it('the full pipeline on two heads at once (batched over heads)', () => {
    const memory = t3([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    // Head 0: g = 0 keeps the previous weighting, then shifts it forward, γ = 1.
    // Head 1: g = 1 takes the content weighting (β = 0: uniform), no shift, γ = 1.
    const p = {
      key: t3([[1, 0], [0, 1]]),
      beta: t3([[5], [0]]),
      gate: t3([[0], [1]]),
      shift: t3([[0, 0, 1], [0, 1, 0]]),
      gamma: t3([[1], [1]]),
    };
    const prev = t3([[1, 0, 0], [0, 0, 1]]);
    const stages = ntmAddress(memory, p, prev);
    close(row(stages.gated), [1, 0, 0, 1 / 3, 1 / 3, 1 / 3]);
    close(row(stages.shifted), [0, 1, 0, 1 / 3, 1 / 3, 1 / 3]);
    close(row(stages.w), [0, 1, 0, 1 / 3, 1 / 3, 1 / 3], 5);
  });

  it('head parameter activations: key tanh, β softplus, g sigmoid, s softmax, γ = 1 + softplus', () => {
    const raw = t3([[0.5, -1, 0, 0, 0, 1, 2, 0]]); // M = 2: key(2) β g s(3) γ
    const p = headParams(raw, 2);
    close(row(p.key), [Math.tanh(0.5), Math.tanh(-1)]);
    close(row(p.beta), [Math.log(2)]);
    close(row(p.gate), [0.5]);
    const e = [1, Math.E, Math.exp(2)];
    close(row(p.shift), e.map((v) => v / (1 + Math.E + Math.exp(2))));
    close(row(p.gamma), [1 + Math.log(2)]);
  });

  it('write: erase then add', () => {
    const memory = t3([
      [1, 1],
      [1, 1],
    ]);
    // w = [1, 0.5], e = [1, 0], a = [0, 2]
    //   row 0: [1·(1 − 1), 1·(1 − 0)] + [0, 2]     = [0, 3]
    //   row 1: [1·(1 − 0.5), 1·(1 − 0)] + [0, 1]   = [0.5, 2]
    close(row(writeMemory(memory, t3([[1, 0.5]]), t3([[1, 0]]), t3([[0, 2]]))), [0, 3, 0.5, 2]);
  });
});

describe('LRUA (Santoro et al. 2016), hand-computed', () => {
  it('usage [0.3, 0.3, 0.1, 0.3] gives least-used [0, 0, 1, 0]; n = 2 marks the two least used', () => {
    close(row(leastUsed(tf.tensor2d([[0.3, 0.3, 0.1, 0.3]]), 1)), [0, 0, 1, 0]);
    close(row(leastUsed(tf.tensor2d([[0.3, 0.2, 0.1, 0.4]]), 2)), [0, 1, 1, 0]);
    // Batched rows are independent.
    close(row(leastUsed(tf.tensor2d([[0.5, 0.1, 0.9], [0.05, 0.2, 0.3]]), 1)), [0, 1, 0, 1, 0, 0]);
  });

  it('usage update w_u ← γ w_u + Σ w_r + Σ w_w', () => {
    const usage = tf.tensor2d([[1, 0, 0.5]]);
    const reads = t3([[0.5, 0.5, 0], [0, 0, 1]]);
    const writes = t3([[0, 1, 0]]);
    close(row(updateUsage(usage, reads, writes, 0.9)), [0.9 + 0.5, 0 + 0.5 + 1, 0.45 + 1]);
  });

  it('write weights σ(α)·w_r(t−1) + (1 − σ(α))·w_lu(t−1)', () => {
    // α = 0 → σ = ½
    close(row(lruaWriteWeights(t3([[0]]), t3([[1, 0, 0, 0]]), tf.tensor2d([[0, 0, 1, 0]]))), [0.5, 0, 0.5, 0]);
    // α = ln 3 → σ = ¾
    close(row(lruaWriteWeights(t3([[Math.log(3)]]), t3([[0, 1, 0, 0]]), tf.tensor2d([[1, 0, 0, 0]]))), [0.25, 0.75, 0, 0]);
  });

  it('clears the least-used slot before adding', () => {
    const memory = t3([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const clear = tf.tensor2d([[0, 1, 0]]);
    // Slot 1 is cleared; then 0.5·[2, 2] goes to slot 1 and 0.5·[2, 2] to slot 2.
    close(row(lruaWrite(memory, clear, t3([[0, 0.5, 0.5]]), t3([[2, 2]]))), [1, 2, 1, 1, 6, 7]);
  });
});

// ---------------------------------------------------------------------------------------------
// Gradients against float64 finite differences of a plain-JS reference.

type Mat = Float64Array;
const B = 2;
const H = 2; // head 0 reads, head 1 writes
const N = 5;
const M = 3;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => Math.log1p(Math.exp(x));
function softmax(v: number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/**
 * Reference NTM step in float64: addressing of both heads from raw parameters, a read with head 0,
 * an erase-then-add write with head 1, and the objective Σ a·r + Σ b·M'.
 */
function ntmReference([memory, raw, wPrev, ea, a, b]: Mat[]): number {
  let total = 0;
  for (let bi = 0; bi < B; bi++) {
    const mem = (i: number, j: number) => memory[(bi * N + i) * M + j];
    const w: number[][] = [];
    for (let h = 0; h < H; h++) {
      const r = (k: number) => raw[(bi * H + h) * (M + 6) + k];
      const key = Array.from({ length: M }, (_, j) => Math.tanh(r(j)));
      const beta = softplus(r(M));
      const g = sigmoid(r(M + 1));
      const s = softmax([r(M + 2), r(M + 3), r(M + 4)]);
      const gamma = 1 + softplus(r(M + 5));
      const kn = Math.sqrt(key.reduce((x, v) => x + v * v, 0) + 1e-8);
      const sims = Array.from({ length: N }, (_, i) => {
        let dot = 0;
        let mn = 0;
        for (let j = 0; j < M; j++) {
          dot += key[j] * mem(i, j);
          mn += mem(i, j) ** 2;
        }
        return dot / (kn * Math.sqrt(mn + 1e-8));
      });
      const wc = softmax(sims.map((x) => beta * x));
      const prev = (i: number) => wPrev[(bi * H + h) * N + i];
      const wg = wc.map((v, i) => g * v + (1 - g) * prev(i));
      const ws = wg.map((_, i) => s[0] * wg[(i + 1) % N] + s[1] * wg[i] + s[2] * wg[(i - 1 + N) % N]);
      w.push(softmax(ws.map((v) => gamma * Math.log(v + 1e-12))));
    }
    for (let j = 0; j < M; j++) {
      let r = 0;
      for (let i = 0; i < N; i++) r += w[0][i] * mem(i, j);
      total += a[bi * M + j] * r;
    }
    for (let i = 0; i < N; i++)
      for (let j = 0; j < M; j++) {
        const e = sigmoid(ea[(bi * 2 + 0) * M + j]);
        const add = Math.tanh(ea[(bi * 2 + 1) * M + j]);
        total += b[(bi * N + i) * M + j] * (mem(i, j) * (1 - w[1][i] * e) + w[1][i] * add);
      }
  }
  return total;
}

function ntmTf([memory, raw, wPrev, ea, a, b]: tf.Tensor[]): tf.Scalar {
  const p = headParams(raw as tf.Tensor3D, M);
  const { w } = ntmAddress(memory as tf.Tensor3D, p, wPrev as tf.Tensor3D);
  const [wr, ww] = tf.split(w, 2, 1) as tf.Tensor3D[];
  const [eRaw, aRaw] = tf.split(ea, 2, 1) as tf.Tensor3D[];
  const r = readMemory(memory as tf.Tensor3D, wr);
  const m2 = writeMemory(memory as tf.Tensor3D, ww, tf.sigmoid(eRaw), tf.tanh(aRaw));
  return tf.add(tf.sum(tf.mul(a.reshape([B, 1, M]), r)), tf.sum(tf.mul(b, m2))) as tf.Scalar;
}

function randomInputs(rng: Rng, shapes: number[][], make: ((rng: Rng, i: number) => number)[]): Float64Array[] {
  return shapes.map((s, k) => Float64Array.from({ length: s.reduce((x, y) => x * y, 1) }, (_, i) => Math.fround(make[k](rng, i))));
}

function weightRows(rng: Rng, rows: number, n: number): (r: Rng, i: number) => number {
  const v = Array.from({ length: rows }, () => softmax(Array.from({ length: n }, () => rng.normal())));
  return (_r, i) => v[Math.floor(i / n)][i % n];
}

describe('gradients against float64 finite differences', () => {
  it('NTM addressing, read and write', () => {
    const rng = new Rng(7);
    const shapes = [
      [B, N, M],
      [B, H, M + 6],
      [B, H, N],
      [B, 2, M],
      [B, M],
      [B, N, M],
    ];
    const xs = randomInputs(rng, shapes, [
      (r) => r.uniform(-1, 1),
      (r) => r.uniform(-1.5, 1.5),
      weightRows(rng, B * H, N),
      (r) => r.uniform(-1, 1),
      (r) => r.uniform(-1, 1),
      (r) => r.uniform(-1, 1),
    ]);
    const differentiable = [true, true, true, true, false, false];
    const expected = fdGradient(ntmReference, xs, differentiable, 1e-3);
    const tensors = xs.map((x, i) => tf.tensor(Float32Array.from(x), shapes[i]));
    const grads = tf.grads((...ts: tf.Tensor[]) => ntmTf(ts))(tensors);
    for (let i = 0; i < 4; i++) {
      const err = maxRelErr([grads[i].dataSync()], [expected[i]]);
      expect(err, `input ${i}`).toBeLessThan(2e-3);
    }
    // The forward value matches the reference too.
    expect(ntmTf(tensors).dataSync()[0]).toBeCloseTo(ntmReference(xs), 3);
  });

  it('LRUA write weights and memory update', () => {
    const rng = new Rng(3);
    const Hh = 2;
    const shapes = [
      [B, N, M],
      [B, Hh, 1],
      [B, Hh, N],
      [B, Hh, M],
      [B, N, M],
    ];
    const xs = randomInputs(rng, shapes, [(r) => r.uniform(-1, 1), (r) => r.uniform(-2, 2), weightRows(rng, B * Hh, N), (r) => r.uniform(-1, 1), (r) => r.uniform(-1, 1)]);
    const lu = [0, 0, 1, 0, 0, 1, 0, 0, 0, 0];
    const clear = [0, 0, 1, 0, 0, 1, 0, 0, 0, 0];
    const ref = ([memory, alpha, wr, add, c]: Mat[]): number => {
      let total = 0;
      for (let bi = 0; bi < B; bi++)
        for (let i = 0; i < N; i++)
          for (let j = 0; j < M; j++) {
            let v = memory[(bi * N + i) * M + j] * (1 - clear[bi * N + i]);
            for (let h = 0; h < Hh; h++) {
              const s = sigmoid(alpha[bi * Hh + h]);
              const ww = s * wr[(bi * Hh + h) * N + i] + (1 - s) * lu[bi * N + i];
              v += ww * add[(bi * Hh + h) * M + j];
            }
            total += c[(bi * N + i) * M + j] * v;
          }
      return total;
    };
    const expected = fdGradient(ref, xs, [true, true, true, true, false], 1e-3);
    const tensors = xs.map((x, i) => tf.tensor(Float32Array.from(x), shapes[i]));
    const luT = tf.tensor2d(lu, [B, N]);
    const clearT = tf.tensor2d(clear, [B, N]);
    const f = (memory: tf.Tensor, alpha: tf.Tensor, wr: tf.Tensor, add: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(c, lruaWrite(memory as tf.Tensor3D, clearT, lruaWriteWeights(alpha as tf.Tensor3D, wr as tf.Tensor3D, luT), add as tf.Tensor3D))) as tf.Scalar;
    const grads = tf.grads((...ts: tf.Tensor[]) => f(ts[0], ts[1], ts[2], ts[3], ts[4]))(tensors);
    for (let i = 0; i < 4; i++) expect(maxRelErr([grads[i].dataSync()], [expected[i]]), `input ${i}`).toBeLessThan(1e-3);
  });

  it('the least-used choice is a constant: gradients flow around it, not through it', () => {
    const usage = tf.tensor2d([[0.3, 0.3, 0.1, 0.3]]);
    const g = tf.grad((u: tf.Tensor) => tf.sum(tf.mul(leastUsed(u as tf.Tensor2D, 1), tf.tensor2d([[1, 2, 3, 4]]))))(usage);
    close(row(g), [0, 0, 0, 0]);
  });
});
