import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { meanSoftmaxCrossEntropy } from '../core/ops/elementwise';
import { convNetForward } from '../models/convNet';
import { EpisodeSampler, generateSyntheticDataset } from '../tasks/characters';
import { episodeTensors } from '../tasks/convEpisodes';
import { adversarialEpisode, robustAccuracy } from './adversarialView';
import { camlContext, camlForward } from './episodic/caml';
import { OmniglotTrainer, omniglotConfigFor, type OmniglotAlgorithm } from './omniglotFamily';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

const dataset = generateSyntheticDataset({ seed: 1, alphabets: 6, charactersPerAlphabet: 6, drawersPerCharacter: 6 });
const spec = { nWay: 3, kShot: 1, qQuery: 2 };
const trainerOf = (algorithm: OmniglotAlgorithm) => new OmniglotTrainer(omniglotConfigFor(algorithm, { ways: 3, width: 4, metaBatch: 1, queries: 2 }));
const ce = (logits: tf.Tensor2D, y: tf.Tensor2D) => meanSoftmaxCrossEntropy(y, logits);

/** x + ε·sign(∇ₓ CE(f_params(x), y)), clipped to [0, 1], by hand. */
function fgsmByHand(params: readonly tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor2D, eps: number): Float32Array {
  const g = tf.grad((xi: tf.Tensor) => ce(convNetForward(params, xi as tf.Tensor4D), y))(x).dataSync();
  return Float32Array.from(x.dataSync(), (v, i) => Math.min(1, Math.max(0, v + eps * Math.sign(g[i]))));
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

function argmaxRows(t: tf.Tensor2D): number[] {
  const v = t.arraySync();
  return v.map((row) => row.indexOf(Math.max(...row)));
}

describe('the adversarial view of an episode', () => {
  it('support images attacked through θ, query images through θ′ = θ − α∇L_s(θ); predictions and accuracies of θ′', () => {
    const trainer = trainerOf('maml');
    const episode = new EpisodeSampler(dataset, spec, 5).next();
    const eps = 0.15;
    const view = adversarialEpisode(trainer, episode, eps, 1);
    const ep = episodeTensors(episode);
    const theta = [...trainer.theta];
    const gs = tf.grads((...ps: tf.Tensor[]) => ce(convNetForward(ps, ep.support.x), ep.support.y))(theta);
    const fast = theta.map((p, i) => tf.sub(p, tf.mul(gs[i], trainer.config.alpha)));
    const wantSupport = fgsmByHand(theta, ep.support.x, ep.support.y, eps);
    const wantQuery = fgsmByHand(fast, ep.query.x, ep.query.y, eps);
    expect(maxDiff(view.supportAdv, wantSupport)).toBeLessThan(1e-6);
    expect(maxDiff(view.queryAdv, wantQuery)).toBeLessThan(1e-6);
    // Perturbation: exactly ±ε wherever the pixel was not clipped.
    const moved = view.queryAdv.filter((v, i) => v > 0 && v < 1 && Math.abs(Math.abs(v - episode.query[i]) - eps) < 1e-6).length;
    expect(moved).toBeGreaterThan(100);
    const clean = argmaxRows(convNetForward(fast, ep.query.x) as tf.Tensor2D);
    const adv = argmaxRows(convNetForward(fast, tf.tensor4d(wantQuery, ep.query.x.shape)) as tf.Tensor2D);
    expect([...view.cleanPredictions]).toEqual(clean);
    expect([...view.advPredictions]).toEqual(adv);
    const acc = (p: number[]) => p.filter((l, i) => l === episode.queryLabels[i]).length / p.length;
    expect(view.cleanAccuracy).toBeCloseTo(acc(clean), 10);
    expect(view.advAccuracy).toBeCloseTo(acc(adv), 10);
    trainer.dispose();
  });

  it('Meta-SGD adapts with its learned α tensors, not the scalar α', () => {
    const trainer = trainerOf('metasgd');
    const episode = new EpisodeSampler(dataset, spec, 7).next();
    const view = adversarialEpisode(trainer, episode, 0.1, 1);
    const ep = episodeTensors(episode);
    const gs = tf.grads((...ps: tf.Tensor[]) => ce(convNetForward(ps, ep.support.x), ep.support.y))([...trainer.theta]);
    const fast = trainer.theta.map((p, i) => tf.sub(p, tf.mul(trainer.extra[i], gs[i])));
    expect(maxDiff(view.queryAdv, fgsmByHand(fast, ep.query.x, ep.query.y, 0.1))).toBeLessThan(1e-6);
    // The scalar α would attack a different θ′: some pixels move the other way.
    const scalar = trainer.theta.map((p, i) => tf.sub(p, tf.mul(gs[i], trainer.config.alpha)));
    expect(maxDiff(view.queryAdv, fgsmByHand(scalar, ep.query.x, ep.query.y, 0.1))).toBeGreaterThan(0.1);
    trainer.dispose();
  });

  it('ε = 0 leaves the images and the accuracy unchanged; nothing leaks', () => {
    const trainer = trainerOf('adml');
    const sampler = new EpisodeSampler(dataset, { ...spec, split: 'evaluation' }, 3);
    const episode = sampler.next();
    const before = tf.memory().numTensors;
    const view = adversarialEpisode(trainer, episode, 0, 1);
    const robust = robustAccuracy(trainer, sampler, 3, 0.2, 1, 9);
    expect(tf.memory().numTensors).toBe(before);
    expect(view.supportAdv).toEqual(episode.support);
    expect(view.queryAdv).toEqual(episode.query);
    expect(view.advAccuracy).toBe(view.cleanAccuracy);
    // The same episodes each call (seeded), accuracies in [0, 1].
    expect(robustAccuracy(trainer, sampler, 3, 0.2, 1, 9)).toEqual(robust);
    for (const a of [robust.clean, robust.adversarial]) expect(a >= 0 && a <= 1).toBe(true);
    expect(robust.labelledOnly).toBeUndefined();
    trainer.dispose();
  });

  it('CAML: the queries are attacked through the net with the adapted context φ′ (θ unchanged)', () => {
    const trainer = new OmniglotTrainer(omniglotConfigFor('caml', { ways: 3, width: 4, metaBatch: 1, queries: 2, contextSize: 6 }));
    const episode = new EpisodeSampler(dataset, spec, 7).next();
    const view = adversarialEpisode(trainer, episode, 0.1, 1);
    const ep = episodeTensors(episode);
    const phi = camlContext(trainer.theta, trainer.extra, ep.support.x, ep.support.y, trainer.config, 1);
    const g = tf.grad((xi: tf.Tensor) => ce(camlForward(trainer.theta, trainer.extra, phi, xi as tf.Tensor4D, trainer.config.filmBlock), ep.query.y))(ep.query.x).dataSync();
    const want = Float32Array.from(ep.query.x.dataSync(), (v, i) => Math.min(1, Math.max(0, v + 0.1 * Math.sign(g[i]))));
    expect(maxDiff(view.queryAdv, want)).toBeLessThan(1e-6);
    expect([...view.cleanPredictions]).toEqual(argmaxRows(camlForward(trainer.theta, trainer.extra, phi, ep.query.x, trainer.config.filmBlock)));
    trainer.dispose();
  });

  it('DAML: also the accuracy without the learned-loss steps (the labelled SGD steps only)', () => {
    const trainer = new OmniglotTrainer(omniglotConfigFor('daml', { ways: 3, width: 4, metaBatch: 1, queries: 2, learnedAlpha: 0.5 }));
    const sampler = new EpisodeSampler(dataset, { ...spec, split: 'evaluation' }, 3);
    const episode = sampler.next();
    const view = adversarialEpisode(trainer, episode, 0.1, 1);
    const ep = episodeTensors(episode);
    const gs = tf.grads((...ps: tf.Tensor[]) => ce(convNetForward(ps, ep.support.x), ep.support.y))([...trainer.theta]);
    const labelled = trainer.theta.map((p, i) => tf.sub(p, tf.mul(gs[i], trainer.config.alpha)));
    const pred = argmaxRows(convNetForward(labelled, ep.query.x));
    expect(view.labelledOnlyAccuracy).toBeCloseTo(pred.filter((l, i) => l === episode.queryLabels[i]).length / pred.length, 10);
    const robust = robustAccuracy(trainer, sampler, 2, 0.1, 1, 9);
    expect(robust.labelledOnly).toBeGreaterThanOrEqual(0);
    expect(robust.labelledOnly).toBeLessThanOrEqual(1);
    trainer.dispose();
  });
});
