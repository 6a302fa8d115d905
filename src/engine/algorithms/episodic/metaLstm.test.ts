import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointParams, makeCheckpoint, parseCheckpoint } from '../../core/checkpoint';
import { Rng } from '../../core/rng';
import { convNetParamSpecs, initConvNet } from '../../models/convNet';
import { EpisodeSampler, generateSyntheticDataset } from '../../tasks/characters';
import { episodeTensors, type ConvEpisode } from '../../tasks/convEpisodes';
import { OmniglotTrainer, omniglotConfigFor, type OmniglotConfig } from '../omniglotFamily';
import { adaptOn, convSpecFor } from './common';
import { lstmReplay, lstmTrajectory, metaLstmParamSpecs, metaLstmQueryLoss, preprocess } from './metaLstm';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

// Tiny nets: 4 filters, 2-way 1-shot episodes of the synthetic characters (6 alphabets, the last 2 for evaluation).
const dataset = generateSyntheticDataset({ seed: 1, alphabets: 6, charactersPerAlphabet: 6, drawersPerCharacter: 6 });
const spec = { nWay: 2, kShot: 1, qQuery: 2 };
const WIDTH = 4;
const cfgOf = (o: Partial<OmniglotConfig> = {}) => omniglotConfigFor('meta-lstm', { ways: 2, width: WIDTH, metaBatch: 2, queries: 2, ...o });
const episodes = (n: number, seed = 2): ConvEpisode[] => {
  const sampler = new EpisodeSampler(dataset, spec, seed);
  return Array.from({ length: n }, () => episodeTensors(sampler.next()));
};
const disposeEpisodes = (eps: readonly ConvEpisode[]) => tf.dispose(eps.flatMap((e) => [e.support.x, e.support.y, e.query.x, e.query.y]));
const theta = () => {
  const p = initConvNet(convSpecFor({ width: WIDTH, ways: 2 }), new Rng(3));
  return p.values.map((v, i) => tf.tensor(v, p.specs[i].shape));
};
const value = (t: tf.Tensor) => t.dataSync()[0];
const logit = (p: number) => Math.log(p / (1 - p));
/** Gate parameters W_I, b_I, W_F, b_F. */
const gates = (wI: number[], bI: number, wF: number[], bF: number) => [tf.tensor1d(wI), tf.tensor1d([bI]), tf.tensor1d(wF), tf.tensor1d([bF])];
const flat = (ps: readonly tf.Tensor[]) => Float32Array.from(ps.flatMap((p) => Array.from(p.dataSync())));

describe('meta-learner LSTM: the update', () => {
  it('preprocesses as Andrychowicz et al.: (log|x|/10, sign x) above e^−10, (−1, e^10·x) below', () => {
    const x = [2, -0.5, 1e-5, -2e-6, 0];
    const got = preprocess(tf.tensor1d(x)).arraySync() as number[][];
    const want = x.map((v) => (Math.abs(v) >= Math.exp(-10) ? [Math.log(Math.abs(v)) / 10, Math.sign(v)] : [-1, Math.exp(10) * v]));
    got.forEach((row, k) => row.forEach((v, j) => expect(v).toBeCloseTo(want[k][j], 5)));
  });

  it('with i ≡ α and f ≡ 1 (W = 0, b_I = logit α, b_F = 30) its T updates are plain SGD fine-tuning, for every task of the batch', () => {
    const th = theta();
    const eps = episodes(2);
    const alpha = 0.3;
    const T = 4;
    const g = gates(Array(6).fill(0), logit(alpha), Array(6).fill(0), 30);
    const { final, states } = lstmTrajectory(th, g, eps, T);
    const rows = final.c.arraySync();
    eps.forEach((ep, k) => {
      const sgd = flat(adaptOn(th, ep.support.x, ep.support.y, alpha, T));
      let err = 0;
      sgd.forEach((v, j) => (err = Math.max(err, Math.abs(rows[k][j] - v) / (1 + Math.abs(v)))));
      expect(err).toBeLessThan(1e-6);
    });
    for (const s of states) {
      expect(Math.abs(value(tf.max(tf.abs(tf.sub(s.i, alpha)))))).toBeLessThan(1e-7);
      expect(value(tf.min(s.f))).toBe(1);
    }
    // and SGD really moved: the check is not of θ against θ
    expect(Math.max(...Array.from(flat(th)).map((v, j) => Math.abs(v - rows[0][j])))).toBeGreaterThan(1e-3);
    disposeEpisodes(eps);
  });

  it('replaying the recorded inputs gives the trajectory’s parameters exactly', () => {
    const th = theta();
    const eps = episodes(2, 4);
    const g = gates([0.3, -0.2, 0.1, 0.4, -0.5, 0.2], -1.5, [0.1, 0.2, -0.3, 0.1, 0.4, 0.3], 3);
    const { inputs, final } = lstmTrajectory(th, g, eps, 3);
    expect(lstmReplay(th, g, inputs, eps.length).c.dataSync()).toEqual(final.c.dataSync());
    disposeEpisodes(eps);
  });

  it('meta-gradient wrt W_I, b_I, W_F, b_F and c_0 = θ matches central differences of the query loss (∇_t and L_t held as inputs)', () => {
    const th = theta();
    const eps = episodes(2, 6);
    const g = gates([0.4, -0.3, 0.2, 0.5, -0.6, 0.3], logit(0.2), [0.2, 0.3, -0.4, 0.2, 0.5, 0.4], 2);
    const { inputs } = lstmTrajectory(th, g, eps, 3);
    const n = th.length;
    const ps = [...th, ...g];
    const f = (p: tf.Tensor[]) => tf.tidy(() => value(metaLstmQueryLoss(p.slice(0, n), p.slice(n), inputs, eps)));
    const grads = tf.grads((...p: tf.Tensor[]) => metaLstmQueryLoss(p.slice(0, n), p.slice(n), inputs, eps))(ps);
    const bump = (pi: number, j: number, d: number) =>
      ps.map((p, i) => {
        if (i !== pi) return p;
        const v = Float32Array.from(p.dataSync());
        v[j] += d;
        return tf.tensor(v, p.shape);
      });
    // every gate coordinate, and a few of c_0 in the first conv, a batch-norm scale and the head
    const headW = convNetParamSpecs(convSpecFor({ width: WIDTH, ways: 2 })).findIndex((s) => s.name === 'head_w');
    const coords: [number, number][] = [...[0, 1, 2, 3, 4, 5].flatMap((j) => [[n, j] as [number, number], [n + 2, j] as [number, number]]), [n + 1, 0], [n + 3, 0], [0, 0], [0, 7], [1, 2], [headW, 1], [headW, 3], [headW + 1, 0]];
    // a small step (float32 losses of order 1 still resolve it): the gates' sigmoid curves over ±1e-2
    const h = 2e-3;
    let checked = 0;
    for (const [pi, j] of coords) {
      const fd = (f(bump(pi, j, h)) - f(bump(pi, j, -h))) / (2 * h);
      const got = grads[pi].dataSync()[j];
      expect(Math.abs(got - fd), `param ${pi}[${j}]: analytic ${got}, central differences ${fd}`).toBeLessThan(2e-3 + 3e-2 * Math.abs(fd));
      if (Math.abs(fd) > 1e-3) checked++;
    }
    // not a check of zero against zero
    expect(checked).toBeGreaterThanOrEqual(Math.ceil(coords.length / 2));
    disposeEpisodes(eps);
  });
});

describe('meta-learner LSTM: training', () => {
  it('the meta-loss falls over a few dozen steps, with a flat tensor count, and nothing is left after dispose', () => {
    const start = tf.memory().numTensors;
    const tr = new OmniglotTrainer(cfgOf({ metaLr: 0.02, innerSteps: 2 }));
    const sampler = new EpisodeSampler(dataset, spec, 5);
    const losses: number[] = [];
    const step = () => {
      const l = tr.step([sampler.next(), sampler.next()]);
      losses.push(value(l));
      l.dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 29; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-8))).toBeLessThan(0.8 * mean(losses.slice(0, 8)));
    tr.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('starts with i near α and f near 1; evaluation reports the mean gates per step and the SGD baseline', () => {
    const cfg = cfgOf({ alpha: 0.1, innerSteps: 3 });
    const tr = new OmniglotTrainer(cfg);
    const evalSampler = () => new EpisodeSampler(dataset, { ...spec, split: 'evaluation' }, 6);
    const before = tf.memory().numTensors;
    const ev = tr.evaluate(evalSampler(), 3, 3, 0);
    expect(ev.gates?.input).toHaveLength(3);
    expect(ev.gates?.forget).toHaveLength(3);
    ev.gates!.input.forEach((v) => expect(Math.abs(v - 0.1)).toBeLessThan(0.01));
    ev.gates!.forget.forEach((v) => expect(v).toBeGreaterThan(0.98));
    const sgd = tr.evaluate(evalSampler(), 3, 3, 0, 'sgd');
    expect(sgd.gates).toBeUndefined();
    expect(sgd.accuracy).toBeGreaterThanOrEqual(0);
    expect(tf.memory().numTensors).toBe(before);
    tr.dispose();
  });

  it('a checkpoint round trip gives the same model (gates included)', () => {
    const cfg = cfgOf({ innerSteps: 2 });
    const tr = new OmniglotTrainer(cfg);
    const sampler = new EpisodeSampler(dataset, spec, 5);
    // a meta-batch of one (the family card's smallest)
    tr.step([sampler.next()]).dispose();
    expect(tr.paramSpecs.map((s) => s.name)).toEqual([...convNetParamSpecs(tr.spec).map((s) => s.name), ...metaLstmParamSpecs().map((s) => s.name)]);
    const text = JSON.stringify(makeCheckpoint('meta-lstm', 'omniglot', { ...cfg }, tr.steps, tr.params()));
    const loaded = new OmniglotTrainer(cfg, checkpointParams(parseCheckpoint(text)));
    loaded.params().values.forEach((v, i) => expect(v).toEqual(tr.params().values[i]));
    const evalSampler = () => new EpisodeSampler(dataset, { ...spec, split: 'evaluation' }, 6);
    expect(loaded.evaluate(evalSampler(), 3, 2, 0)).toEqual(tr.evaluate(evalSampler(), 3, 2, 0));
    // θ alone (a MAML model) does not fit
    const maml = new OmniglotTrainer(omniglotConfigFor('maml', { ways: 2, width: WIDTH }));
    expect(() => new OmniglotTrainer(cfg, maml.params())).toThrow(/do not fit/);
    maml.dispose();
    tr.dispose();
    loaded.dispose();
  });
});
