import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { initMlp } from '../models/mlp';
import type { ParamValues } from '../core/params';
import {
  DEFAULT_SINE_CONFIG,
  SineTrainer,
  adaptationCurves,
  batchTensors,
  evaluateSine,
  mamlMetaLoss,
  pretrainLoss,
} from './sineRegression';
import { sampleSineEpisodes, sineGrid, type SineEpisodeBatch } from '../tasks/sine';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

// ---------- a float64 reference MLP in plain JavaScript (forward and backward by hand) ----------
type Layer = { w: number[][]; b: number[] };

function toLayers(p: ParamValues): Layer[] {
  const layers: Layer[] = [];
  for (let l = 0; l < p.specs.length; l += 2) {
    const [nin, nout] = p.specs[l].shape;
    const w = Array.from({ length: nin }, (_, i) => Array.from({ length: nout }, (_, j) => p.values[l][i * nout + j]));
    layers.push({ w, b: Array.from(p.values[l + 1]) });
  }
  return layers;
}

function forward64(layers: Layer[], x: number): { acts: number[][]; pre: number[][]; out: number } {
  const acts: number[][] = [[x]];
  const pre: number[][] = [];
  let h = [x];
  layers.forEach((L, l) => {
    const z = L.b.map((b, j) => b + h.reduce((s, hi, i) => s + hi * L.w[i][j], 0));
    pre.push(z);
    h = l < layers.length - 1 ? z.map((v) => Math.max(0, v)) : z;
    acts.push(h);
  });
  return { acts, pre, out: h[0] };
}

/** Mean squared error over points and its gradient wrt every weight, in float64. */
function mseAndGrad64(layers: Layer[], xs: number[], ys: number[]): { loss: number; grad: Layer[] } {
  const grad: Layer[] = layers.map((L) => ({ w: L.w.map((r) => r.map(() => 0)), b: L.b.map(() => 0) }));
  let loss = 0;
  xs.forEach((x, n) => {
    const { acts, pre, out } = forward64(layers, x);
    loss += (out - ys[n]) ** 2 / xs.length;
    let delta = [(2 * (out - ys[n])) / xs.length];
    for (let l = layers.length - 1; l >= 0; l--) {
      delta.forEach((d, j) => {
        grad[l].b[j] += d;
        acts[l].forEach((a, i) => (grad[l].w[i][j] += a * d));
      });
      if (l > 0) delta = acts[l].map((_, i) => delta.reduce((s, d, j) => s + d * layers[l].w[i][j], 0) * (pre[l - 1][i] > 0 ? 1 : 0));
    }
  });
  return { loss, grad };
}

const axpy = (layers: Layer[], g: Layer[], a: number): Layer[] =>
  layers.map((L, l) => ({ w: L.w.map((r, i) => r.map((v, j) => v + a * g[l].w[i][j])), b: L.b.map((v, j) => v + a * g[l].b[j]) }));

function taskPoints(b: SineEpisodeBatch['support'], t: number) {
  const xs = Array.from(b.xs.slice(t * b.points, (t + 1) * b.points));
  const ys = Array.from(b.ys.slice(t * b.points, (t + 1) * b.points));
  return { xs, ys };
}

/** MAML meta-loss in float64: mean over tasks of the query MSE after `steps` SGD steps on the support set. */
function mamlLoss64(layers: Layer[], batch: SineEpisodeBatch, alpha: number, steps: number): number {
  let total = 0;
  for (let t = 0; t < batch.tasks.length; t++) {
    const s = taskPoints(batch.support, t);
    const q = taskPoints(batch.query, t);
    let fast = layers;
    for (let k = 0; k < steps; k++) fast = axpy(fast, mseAndGrad64(fast, s.xs, s.ys).grad, -alpha);
    total += mseAndGrad64(fast, q.xs, q.ys).loss;
  }
  return total / batch.tasks.length;
}

/** θ + eps·d in float64 (the perturbation is never rounded to float32). */
function perturb(p: ParamValues, dir: Float64Array[], eps: number): Layer[] {
  return toLayers(p).map((L, l) => {
    const wd = dir[2 * l];
    const bd = dir[2 * l + 1];
    return {
      w: L.w.map((r, i) => r.map((v, j) => v + eps * wd[i * r.length + j])),
      b: L.b.map((v, j) => v + eps * bd[j]),
    };
  });
}

function randomDirection(p: ParamValues, rng: Rng): Float64Array[] {
  return p.values.map((v) => Float64Array.from(v, () => rng.normal()));
}

function tfMetaGradient(p: ParamValues, batch: SineEpisodeBatch, alpha: number, steps: number, firstOrder: boolean): Float32Array[] {
  return tf.tidy(() => {
    const theta = p.values.map((v, i) => tf.tensor(v, p.specs[i].shape));
    const s = batchTensors(batch.support);
    const q = batchTensors(batch.query);
    const grads = tf.grads((...th: tf.Tensor[]) => mamlMetaLoss(th, s, q, { alpha, innerSteps: steps, firstOrder }))(theta);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

const dot = (g: Float32Array[], d: Float64Array[]) => g.reduce((s, gi, i) => s + gi.reduce((a, v, j) => a + v * d[i][j], 0), 0);

describe('MAML meta-gradient on the sine MLP', () => {
  const p = initMlp({ sizes: [1, 8, 8, 1] }, new Rng(3));
  const batch = sampleSineEpisodes(new Rng(4), 3, 5, 5);

  it('the float64 reference agrees with tfjs on the meta-loss value', () => {
    const ref = mamlLoss64(toLayers(p), batch, 0.05, 2);
    const value = tf.tidy(() => {
      const theta = p.values.map((v, i) => tf.tensor(v, p.specs[i].shape));
      return mamlMetaLoss(theta, batchTensors(batch.support), batchTensors(batch.query), { alpha: 0.05, innerSteps: 2, firstOrder: false }).dataSync()[0];
    });
    expect(Math.abs(value - ref) / ref).toBeLessThan(1e-5);
  });

  it.each([1, 2])('second-order meta-gradient matches central finite differences (%i inner steps)', (steps) => {
    const alpha = 0.05;
    const rng = new Rng(10 + steps);
    const g = tfMetaGradient(p, batch, alpha, steps, false);
    for (let trial = 0; trial < 3; trial++) {
      const d = randomDirection(p, rng);
      const eps = 1e-5;
      const fd = (mamlLoss64(perturb(p, d, eps), batch, alpha, steps) - mamlLoss64(perturb(p, d, -eps), batch, alpha, steps)) / (2 * eps);
      const analytic = dot(g, d);
      // float32 forward/backward against a float64 reference: 1e-3 relative is ample and still catches any missing term.
      expect(Math.abs(analytic - fd) / Math.max(1e-8, Math.abs(fd))).toBeLessThan(1e-3);
    }
  });

  it('first-order MAML equals the query gradient at the adapted weights, and differs from second order', () => {
    const alpha = 0.05;
    const so = tfMetaGradient(p, batch, alpha, 1, false);
    const fo = tfMetaGradient(p, batch, alpha, 1, true);
    // Hand-derived: ∇θ L_FO = (1/T) Σ_t ∇L_query,t(θ'_t) with θ'_t = θ − α∇L_support,t(θ).
    const layers = toLayers(p);
    const sum = layers.map((L) => ({ w: L.w.map((r) => r.map(() => 0)), b: L.b.map(() => 0) }));
    for (let t = 0; t < batch.tasks.length; t++) {
      const s = taskPoints(batch.support, t);
      const q = taskPoints(batch.query, t);
      const fast = axpy(layers, mseAndGrad64(layers, s.xs, s.ys).grad, -alpha);
      const gq = mseAndGrad64(fast, q.xs, q.ys).grad;
      gq.forEach((G, l) => {
        G.w.forEach((r, i) => r.forEach((v, j) => (sum[l].w[i][j] += v / batch.tasks.length)));
        G.b.forEach((v, j) => (sum[l].b[j] += v / batch.tasks.length));
      });
    }
    const expected = sum.flatMap((L) => [L.w.flat(), L.b]);
    let maxErr = 0;
    let maxRef = 0;
    expected.forEach((e, i) => e.forEach((v, j) => ((maxErr = Math.max(maxErr, Math.abs(v - fo[i][j]))), (maxRef = Math.max(maxRef, Math.abs(v))))));
    expect(maxErr / maxRef).toBeLessThan(1e-4);
    // The second-order terms are not negligible here.
    let diff = 0;
    let norm = 0;
    so.forEach((g, i) => g.forEach((v, j) => ((diff += (v - fo[i][j]) ** 2), (norm += v * v))));
    expect(Math.sqrt(diff / norm)).toBeGreaterThan(1e-3);
  });

  it('pretraining gradient matches finite differences of the joint loss', () => {
    const rng = new Rng(99);
    const d = randomDirection(p, rng);
    const joint = (layers: Layer[]) => {
      let total = 0;
      for (let t = 0; t < batch.tasks.length; t++) {
        const s = taskPoints(batch.support, t);
        const q = taskPoints(batch.query, t);
        total += mseAndGrad64(layers, [...s.xs, ...q.xs], [...s.ys, ...q.ys]).loss;
      }
      return total / batch.tasks.length;
    };
    const g = tf.tidy(() => {
      const theta = p.values.map((v, i) => tf.tensor(v, p.specs[i].shape));
      return tf
        .grads((...th: tf.Tensor[]) => pretrainLoss(th, batchTensors(batch.support), batchTensors(batch.query)))(theta)
        .map((t) => t.dataSync() as Float32Array);
    });
    const eps = 1e-5;
    const fd = (joint(perturb(p, d, eps)) - joint(perturb(p, d, -eps))) / (2 * eps);
    expect(Math.abs(dot(g, d) - fd) / Math.abs(fd)).toBeLessThan(1e-3);
  });
});

describe('SineTrainer', () => {
  it('is deterministic for a seed and differs between first- and second-order runs', () => {
    const run = (firstOrder: boolean) => {
      const tr = new SineTrainer({ ...DEFAULT_SINE_CONFIG, metaBatch: 5, firstOrder, alpha: 0.1 });
      for (let i = 0; i < 5; i++) tr.step().dispose();
      const out = tr.params().values.map((v) => Array.from(v));
      tr.dispose();
      return out.flat();
    };
    const a = run(false);
    expect(run(false)).toEqual(a);
    const b = run(true);
    const diff = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    expect(diff).toBeGreaterThan(1e-6);
  });

  it('keeps the tensor count constant over hundreds of steps, evaluations and adaptations', () => {
    const maml = new SineTrainer({ ...DEFAULT_SINE_CONFIG, metaBatch: 4 });
    const pre = new SineTrainer({ ...DEFAULT_SINE_CONFIG, metaBatch: 4, algorithm: 'pretrain' });
    const cycle = () => {
      maml.step().dispose();
      pre.step().dispose();
    };
    for (let i = 0; i < 5; i++) cycle(); // optimizer slots are created lazily on the first steps
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) cycle();
    evaluateSine(maml.variables, { tasks: 20, k: 5, alpha: 0.01, maxSteps: 3, queryPoints: 10, seed: 1 });
    adaptationCurves(maml.variables, new Float32Array([0, 1]), new Float32Array([1, 2]), sineGrid(20), 0.01, 10);
    adaptationCurves(maml.variables, new Float32Array([]), new Float32Array([]), sineGrid(20), 0.01, 10);
    expect(tf.memory().numTensors).toBe(before);
    maml.dispose();
    pre.dispose();
  });

  it('learns: 300 MAML steps lower the one-step query MSE on fresh tasks', () => {
    const tr = new SineTrainer({ ...DEFAULT_SINE_CONFIG, metaBatch: 10 });
    const evalOpts = { tasks: 100, k: 10, alpha: 0.01, maxSteps: 1, queryPoints: 50, seed: 7 };
    const before = evaluateSine(tr.variables, evalOpts)[1];
    for (let i = 0; i < 300; i++) tr.step().dispose();
    const after = evaluateSine(tr.variables, evalOpts)[1];
    expect(after).toBeLessThan(0.7 * before);
    tr.dispose();
  });

  it('adaptation curves start at the meta-parameters and move towards the support points', () => {
    const tr = new SineTrainer(DEFAULT_SINE_CONFIG);
    const xs = new Float32Array([-2, 0, 2]);
    const ys = new Float32Array([3, 3, 3]);
    const curves = adaptationCurves(tr.variables, xs, ys, xs, 0.05, 10);
    expect(curves).toHaveLength(11);
    const err = (c: Float32Array) => c.reduce((s, v) => s + (v - 3) ** 2, 0);
    expect(err(curves[10])).toBeLessThan(err(curves[0]));
    tr.dispose();
  });
});
