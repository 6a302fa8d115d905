import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointParams, makeCheckpoint, parseCheckpoint } from '../core/checkpoint';
import { conv2d } from '../core/ops/conv';
import { meanSoftmaxCrossEntropy } from '../core/ops/elementwise';
import { batchNorm } from '../core/ops/norm';
import { Rng } from '../core/rng';
import { CONVNET_BN_EPS, convNetForward, convNetForwardParts, convNetParamSpecs, initConvNet } from '../models/convNet';
import { EpisodeSampler, generateSyntheticDataset } from '../tasks/characters';
import { episodeTensors, type ConvEpisode } from '../tasks/convEpisodes';
import { innerLoop } from './innerLoop';
import { camlContext, camlForward, filmParamSpecs } from './episodic/caml';
import { convSpecFor } from './episodic/common';
import { adaptNetParamSpecs, damlAdapt, learnedInnerLoss } from './episodic/daml';
import { taskObjective } from './episodic/table';
import { OmniglotTrainer, omniglotConfigFor, type OmniglotConfig } from './omniglotFamily';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

// Tiny nets: 3 filters, 3-way episodes of the synthetic characters (6 alphabets, the last 2 for evaluation).
const dataset = generateSyntheticDataset({ seed: 1, alphabets: 6, charactersPerAlphabet: 6, drawersPerCharacter: 6 });
const spec = { nWay: 3, kShot: 1, qQuery: 2 };
const WIDTH = 3;
const cfgOf = (algorithm: 'caml' | 'daml', o: Partial<OmniglotConfig> = {}) =>
  omniglotConfigFor(algorithm, { ways: 3, width: WIDTH, metaBatch: 2, queries: 2, contextSize: 4, adaptHidden: 5, ...o });
const episode = (seed = 2): ConvEpisode => episodeTensors(new EpisodeSampler(dataset, spec, seed).next());
const theta = () => {
  const p = initConvNet(convSpecFor({ width: WIDTH, ways: 3 }), new Rng(3));
  return p.values.map((v, i) => tf.tensor(v, p.specs[i].shape));
};
/** Seeded normal values for a parameter list (scale s). */
const randomParams = (specs: { shape: number[] }[], seed: number, s: number) => {
  const rng = new Rng(seed);
  return specs.map((sp) => tf.tensor(Float32Array.from({ length: sp.shape.reduce((a, b) => a * b, 1) }, () => s * rng.normal()), sp.shape));
};
const ce = (logits: tf.Tensor2D, y: tf.Tensor2D) => meanSoftmaxCrossEntropy(y, logits);
const bump = (ps: readonly tf.Tensor[], pi: number, j: number, d: number) =>
  ps.map((p, i) => {
    if (i !== pi) return p;
    const v = Float32Array.from(p.dataSync());
    v[j] += d;
    return tf.tensor(v, p.shape);
  });
const value = (t: tf.Tensor) => t.dataSync()[0];

/** Central differences of f at coordinate (pi, j) against the analytic gradient `grads`. */
function expectFd(f: (ps: tf.Tensor[]) => number, ps: tf.Tensor[], grads: tf.Tensor[], coords: readonly (readonly [number, number])[], h = 1e-2) {
  let checked = 0;
  for (const [pi, j] of coords) {
    const fd = (f(bump(ps, pi, j, h)) - f(bump(ps, pi, j, -h))) / (2 * h);
    const got = grads[pi].dataSync()[j];
    expect(Math.abs(got - fd), `param ${pi}[${j}]: analytic ${got}, central differences ${fd}`).toBeLessThan(2e-3 + 3e-2 * Math.abs(fd));
    if (Math.abs(fd) > 1e-3) checked++;
  }
  // Not all zeros: a check of zero against zero proves nothing.
  expect(checked).toBeGreaterThanOrEqual(Math.ceil(coords.length / 2));
}

describe('FiLM on the conv net (CAML)', () => {
  it('φ = 0 (and b = 0) gives exactly convNetForward, whatever W', () => {
    const th = theta();
    const ep = episode();
    const film = randomParams(filmParamSpecs({ contextSize: 4, width: WIDTH }), 5, 1);
    const plain = convNetForward(th, ep.query.x).dataSync();
    const zeroB = [film[0], tf.zerosLike(film[1])];
    for (const block of [1, 3, 4]) expect(camlForward(th, zeroB, tf.zeros([4]), ep.query.x, block).dataSync()).toEqual(plain);
    expect(convNetForwardParts(th, ep.query.x).out.dataSync()).toEqual(plain);
    // and a non-zero context does change the output
    const moved = camlForward(th, film, tf.ones([4]), ep.query.x, 3).dataSync();
    expect(Math.max(...moved.map((v, i) => Math.abs(v - plain[i])))).toBeGreaterThan(1e-3);
  });

  it('modulates after batch norm and before ReLU: (1 + γ) ⊙ BN(conv x) + β on a one-block net, by hand', () => {
    const rng = new Rng(9);
    const rand = (shape: number[], s = 1) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => s * rng.normal()), shape);
    const x = rand([3, 4, 4, 1]) as tf.Tensor4D;
    const params = [rand([3, 3, 1, 2]), rand([2]), rand([2]), rand([4 * 2, 3]), rand([3])];
    const gamma = tf.tensor1d([0.5, -0.3]);
    const beta = tf.tensor1d([0.2, 0.7]);
    const got = convNetForwardParts(params, x, { block: 1, gamma, beta });
    const bn = batchNorm(conv2d(x, params[0] as tf.Tensor4D, 1, 'same'), params[1], params[2], CONVNET_BN_EPS).arraySync() as number[][][][];
    // by hand: modulate each channel, ReLU, 2×2 max, flatten (row-major, channel last), then the head
    const g = [0.5, -0.3];
    const b = [0.2, 0.7];
    const feats = bn.map((img) => {
      const out: number[] = [];
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++)
          for (let c = 0; c < 2; c++) {
            let m = -Infinity;
            for (const [di, dj] of [[0, 0], [0, 1], [1, 0], [1, 1]]) m = Math.max(m, Math.max(0, (1 + g[c]) * img[2 * i + di][2 * j + dj][c] + b[c]));
            out.push(m);
          }
      return out;
    });
    const f = got.features.arraySync();
    feats.forEach((row, n) => row.forEach((v, k) => expect(f[n][k]).toBeCloseTo(v, 5)));
    const logits = tf.add(tf.matMul(tf.tensor2d(feats), params[3] as tf.Tensor2D), params[4]).dataSync();
    got.out.dataSync().forEach((v, i) => expect(v).toBeCloseTo(logits[i], 4));
  });
});

describe('CAML on episodes', () => {
  it('the inner step moves only φ: φ′ = −α_ctx ∇φ L_s(θ, 0) (central differences), and the adapted classifier is θ with φ′', () => {
    const cfg = cfgOf('caml', { contextAlpha: 0.7 });
    const tr = new OmniglotTrainer(cfg);
    const ep = episode();
    const film = tr.extra;
    const phi = camlContext(tr.theta, film, ep.support.x, ep.support.y, cfg, 1).dataSync();
    expect(phi).toHaveLength(4);
    const lossAt = (p: tf.Tensor[]) => value(ce(camlForward(tr.theta, film, p[0], ep.support.x, cfg.filmBlock), ep.support.y));
    // a small step: the ReLU and max-pool kinks are near at this tiny width
    const h = 1e-3;
    let moved = 0;
    for (let j = 0; j < 4; j++) {
      const fd = (lossAt(bump([tf.zeros([4])], 0, j, h)) - lossAt(bump([tf.zeros([4])], 0, j, -h))) / (2 * h);
      expect(Math.abs(phi[j] + 0.7 * fd)).toBeLessThan(1e-3 + 2e-2 * Math.abs(fd));
      moved = Math.max(moved, Math.abs(phi[j]));
    }
    expect(moved).toBeGreaterThan(1e-3);
    const before = tr.params().values;
    const logits = tf.tidy(() => tr.adaptedForward(ep, 1)(ep.query.x).dataSync());
    const want = camlForward(tr.theta, film, tf.tensor1d(phi), ep.query.x, cfg.filmBlock).dataSync();
    logits.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    tr.params().values.forEach((v, i) => expect(v).toEqual(before[i]));
    tr.dispose();
  });

  it('second-order meta-gradient wrt θ and the FiLM map matches central differences of L_q(θ, φ′(θ, W, b))', () => {
    const cfg = cfgOf('caml', { contextAlpha: 1, innerSteps: 1 });
    const th = theta();
    const film = randomParams(filmParamSpecs(cfg), 7, 0.5);
    const ps = [...th, ...film];
    const ep = episode(4);
    const grads = tf.grads((...p: tf.Tensor[]) => taskObjective(cfg, p, th.length, ep))(ps);
    const f = (p: tf.Tensor[]) => value(taskObjective(cfg, p, th.length, ep));
    const n = th.length;
    // FiLM W and b, head bias, block-3 batch-norm scale (modulated block) and a first-layer filter tap
    expectFd(f, ps, grads, [[n, 0], [n, 5], [n + 1, 1], [n + 1, 4], [n - 1, 0], [7, 1], [0, 4]]);
  });

  it('φ′ is differentiated through: the FiLM weights’ meta-gradient is not the first-order one', () => {
    const cfg = cfgOf('caml');
    const th = theta();
    const film = randomParams(filmParamSpecs(cfg), 7, 0.5);
    const ep = episode(4);
    const so = tf.grads((...p: tf.Tensor[]) => taskObjective(cfg, p, th.length, ep))([...th, ...film]);
    const phi = camlContext(th, film, ep.support.x, ep.support.y, cfg, 1);
    const fo = tf.grads((w: tf.Tensor, b: tf.Tensor) => ce(camlForward(th, [w, b], phi, ep.query.x, cfg.filmBlock), ep.query.y))(film);
    expect(tf.max(tf.abs(tf.sub(so[th.length], fo[0]))).dataSync()[0]).toBeGreaterThan(1e-3);
  });
});

describe('DAML on episodes (labelled steps, then a learned label-free loss on the query images)', () => {
  const psiOf = (cfg: OmniglotConfig, seed = 8) => randomParams(adaptNetParamSpecs(cfg), seed, 0.4);

  it('the learned loss is mean ‖ψ([logits, features])‖² (by hand), and with 0 learned steps DAML is the labelled SGD steps', () => {
    const cfg = cfgOf('daml');
    const th = theta();
    const psi = psiOf(cfg);
    const ep = episode();
    const { features, out } = convNetForwardParts(th, ep.query.x);
    const z = tf.concat([out, features], 1).arraySync();
    const w = psi.map((p) => p.arraySync() as number[][] | number[]);
    const layer = (v: number[], wi: number, relu: boolean) =>
      (w[wi + 1] as number[]).map((bias, k) => {
        const s = v.reduce((acc, x, i) => acc + x * (w[wi] as number[][])[i][k], bias);
        return relu ? Math.max(0, s) : s;
      });
    const want = z.reduce((acc, row) => acc + layer(layer(layer(row, 0, true), 2, true), 4, false).reduce((s, h) => s + h * h, 0), 0) / z.length;
    expect(value(learnedInnerLoss(th, psi, ep.query.x))).toBeCloseTo(want, 4);
    const labelled = innerLoop(convNetForward, ce, th, ep.support.x, ep.support.y, { alpha: cfg.alpha, steps: 2 });
    const got = damlAdapt(th, psi, ep, cfg, 2, 0);
    got.forEach((p, i) => expect(p.dataSync()).toEqual(labelled[i].dataSync()));
  });

  it('the learned-loss steps read no query label: permuting them leaves θ″ unchanged; the steps do move θ′', () => {
    const cfg = cfgOf('daml', { learnedSteps: 2, learnedAlpha: 0.5 });
    const th = theta();
    const psi = psiOf(cfg);
    const ep = episode();
    const permuted = { ...ep, query: { x: ep.query.x, y: tf.reverse(ep.query.y, 0) as tf.Tensor2D } };
    const a = damlAdapt(th, psi, ep, cfg, 1);
    const b = damlAdapt(th, psi, permuted, cfg, 1);
    a.forEach((p, i) => expect(p.dataSync()).toEqual(b[i].dataSync()));
    const labelledOnly = damlAdapt(th, psi, ep, cfg, 1, 0);
    expect(Math.max(...a.map((p, i) => tf.max(tf.abs(tf.sub(p, labelledOnly[i]))).dataSync()[0]))).toBeGreaterThan(1e-4);
    // the outer loss does read the query labels
    expect(value(taskObjective(cfg, [...th, ...psi], th.length, ep))).not.toBeCloseTo(value(taskObjective(cfg, [...th, ...psi], th.length, permuted)), 3);
  });

  it('second-order meta-gradient wrt ψ and θ matches central differences through both stages', () => {
    const cfg = cfgOf('daml', { learnedSteps: 1, learnedAlpha: 0.5 });
    const th = theta();
    const psi = psiOf(cfg, 12);
    const ps = [...th, ...psi];
    const ep = episode(4);
    const grads = tf.grads((...p: tf.Tensor[]) => taskObjective(cfg, p, th.length, ep))(ps);
    const f = (p: tf.Tensor[]) => value(taskObjective(cfg, p, th.length, ep));
    const n = th.length;
    // ψ's three weight matrices and last bias, the head bias, a batch-norm offset and a first-layer
    // filter tap. A small step: at width 3 max-pool switches and ReLU kinks lie within 1e-3 of the
    // point for some coordinates (larger steps disagree there for plain MAML too).
    expectFd(f, ps, grads, [[n, 0], [n, 7], [n + 2, 3], [n + 4, 0], [n + 4, 2], [n + 5, 0], [n - 1, 1], [6, 1], [0, 4]], 3e-4);
  });
});

describe('OmniglotTrainer with CAML and DAML', () => {
  it.each(['caml', 'daml'] as const)('%s: repeated steps on one batch lower its meta-loss, no tensor leaks', (algorithm) => {
    const tr = new OmniglotTrainer(cfgOf(algorithm, { metaLr: 0.01, learnedAlpha: 0.2 }));
    const sampler = new EpisodeSampler(dataset, spec, 5);
    const batch = [sampler.next(), sampler.next()];
    const losses: number[] = [];
    const first = tr.step(batch);
    losses.push(value(first));
    first.dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 14; i++) {
      const l = tr.step(batch);
      losses.push(value(l));
      l.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.at(-1)!).toBeLessThan(0.8 * losses[0]);
    tr.dispose();
  });

  it.each(['caml', 'daml'] as const)('%s: the extra parameters are in paramSpecs, and a checkpoint round trip gives the same model', (algorithm) => {
    const cfg = cfgOf(algorithm);
    const tr = new OmniglotTrainer(cfg);
    const sampler = new EpisodeSampler(dataset, spec, 5);
    tr.step([sampler.next(), sampler.next()]).dispose();
    const names = tr.paramSpecs.map((s) => s.name);
    const extra = algorithm === 'caml' ? ['film_w', 'film_b'] : ['psi1_w', 'psi1_b', 'psi2_w', 'psi2_b', 'psi3_w', 'psi3_b'];
    expect(names).toEqual([...convNetParamSpecs(tr.spec).map((s) => s.name), ...extra]);
    const text = JSON.stringify(makeCheckpoint(algorithm, 'omniglot', { ...cfg }, tr.steps, tr.params()));
    const loaded = new OmniglotTrainer(cfg, checkpointParams(parseCheckpoint(text)));
    loaded.params().values.forEach((v, i) => expect(v).toEqual(tr.params().values[i]));
    const evalSampler = () => new EpisodeSampler(dataset, { ...spec, split: 'evaluation' }, 6);
    const a = tr.evaluate(evalSampler(), 3, 1, 0);
    const b = loaded.evaluate(evalSampler(), 3, 1, 0);
    expect(b).toEqual(a);
    if (algorithm === 'daml') expect(a.labelledOnlyAccuracy).toBeDefined();
    else expect(a.labelledOnlyAccuracy).toBeUndefined();
    // a CAML checkpoint does not fit a DAML trainer
    expect(() => new OmniglotTrainer(cfgOf(algorithm === 'caml' ? 'daml' : 'caml'), checkpointParams(parseCheckpoint(text)))).toThrow(/do not fit/);
    tr.dispose();
    loaded.dispose();
  });
});
