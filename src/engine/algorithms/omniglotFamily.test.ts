import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { convNetForward, convNetParamSpecs, initConvNet } from '../models/convNet';
import { episodeTensors, type ConvEpisode } from '../tasks/convEpisodes';
import { convMamlMetaGradient } from './convMaml';
import { meanSoftmaxCrossEntropy } from '../core/ops/elementwise';
import { EpisodeSampler, generateSyntheticDataset } from '../tasks/characters';
import { innerLoop } from './innerLoop';
import { convSpecFor } from './episodic/common';
import { fgsm } from './episodic/fgsm';
import { agreementCombine } from './episodic/maml';
import { taskObjective } from './episodic/table';
import { inequalityCoefficients, meanPredictionEntropy, tamlInequalityGradient } from './episodic/taml';
import { OMNIGLOT_ALGORITHMS, OmniglotTrainer, omniglotConfigFor } from './omniglotFamily';
import { inequality } from './agreement';
import { inequalityTensor, reptileInner } from './familyMath';
import { INEQUALITY_MEASURES } from './sineConfig';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

// A small synthetic character set: 6 alphabets (the last 2 are the evaluation split) × 6 characters × 6 drawers.
const dataset = generateSyntheticDataset({ seed: 1, alphabets: 6, charactersPerAlphabet: 6, drawersPerCharacter: 6 });
const spec = { nWay: 3, kShot: 1, qQuery: 2 };
const cfgOf = (algorithm: (typeof OMNIGLOT_ALGORITHMS)[number]) => omniglotConfigFor(algorithm, { ways: 3, width: 4, metaBatch: 2, queries: 2 });

function oneEpisode(seed = 2): ConvEpisode {
  return episodeTensors(new EpisodeSampler(dataset, spec, seed).next());
}
const theta = () => {
  const p = initConvNet(convSpecFor({ width: 4, ways: 3 }), new Rng(3));
  return p.values.map((v, i) => tf.tensor(v, p.specs[i].shape));
};
const ce = (logits: tf.Tensor2D, y: tf.Tensor2D) => meanSoftmaxCrossEntropy(y, logits);

describe('the Omniglot pieces', () => {
  it('prediction entropy: ln C for equal logits, about 0 for a confident prediction', () => {
    expect(meanPredictionEntropy(tf.zeros([4, 5]) as tf.Tensor2D).dataSync()[0]).toBeCloseTo(Math.log(5), 5);
    expect(meanPredictionEntropy(tf.tensor2d([[30, 0, 0]])).dataSync()[0]).toBeLessThan(1e-6);
  });

  it('FGSM moves every pixel by ±ε along the sign of ∇ₓJ (inside [0, 1]) and raises the loss', () => {
    const th = theta();
    const ep = oneEpisode();
    const eps = 0.1;
    const adv = fgsm(th, ep.support.x, ep.support.y, eps);
    const g = tf.grad((x: tf.Tensor) => ce(convNetForward(th, x as tf.Tensor4D), ep.support.y))(ep.support.x).dataSync();
    const x0 = ep.support.x.dataSync();
    const x1 = adv.dataSync();
    let checked = 0;
    for (let i = 0; i < x0.length; i++) {
      const want = Math.min(1, Math.max(0, x0[i] + eps * Math.sign(g[i])));
      expect(Math.abs(x1[i] - want)).toBeLessThan(1e-6);
      if (g[i] !== 0 && want > 0 && want < 1) checked++;
    }
    expect(checked).toBeGreaterThan(50);
    expect(ce(convNetForward(th, adv), ep.support.y).dataSync()[0]).toBeGreaterThan(ce(convNetForward(th, ep.support.x), ep.support.y).dataSync()[0]);
  });

  it('first-order MAML: the meta-gradient is ∇L_q at θ′ = θ − α∇L_s(θ) (central differences), not MAML’s', () => {
    const th = theta();
    const ep = oneEpisode();
    const alpha = 0.4;
    const fo = convMamlMetaGradient(th, [ep], { alpha, innerSteps: 1, firstOrder: true });
    const so = convMamlMetaGradient(th, [ep], { alpha, innerSteps: 1 });
    const fast = innerLoop(convNetForward, ce, th, ep.support.x, ep.support.y, { alpha, steps: 1 });
    const lossAt = (ps: tf.Tensor[]) => ce(convNetForward(ps, ep.query.x), ep.query.y).dataSync()[0];
    const h = 1e-2;
    // head bias, the last batch-norm offset and one first-layer filter tap
    for (const [pi, j] of [[fast.length - 1, 0], [fast.length - 1, 2], [fast.length - 3, 1], [0, 4]] as const) {
      const bump = (d: number) => fast.map((p, i) => (i === pi ? tf.add(p, tf.oneHot([j], p.size).reshape(p.shape).mul(d)) : p));
      const fd = (lossAt(bump(h)) - lossAt(bump(-h))) / (2 * h);
      expect(Math.abs(fo.grads[pi].dataSync()[j] - fd)).toBeLessThan(2e-3 + 2e-2 * Math.abs(fd));
    }
    const diff = fo.grads.reduce((m, g, i) => Math.max(m, tf.max(tf.abs(tf.sub(g, so.grads[i]))).dataSync()[0]), 0);
    expect(diff).toBeGreaterThan(1e-3);
  });

  it('Meta-SGD: α’s gradient is −∇L_q(θ′) ∘ ∇L_s(θ), not θ’s gradient', () => {
    const th = theta();
    const cfg = cfgOf('metasgd');
    const alpha = th.map((p, i) => tf.fill(p.shape, 0.05 + 0.01 * (i % 3)));
    const ep = oneEpisode();
    const grads = tf.grads((...ps: tf.Tensor[]) => taskObjective(cfg, ps, th.length, ep))([...th, ...alpha]);
    const gs = tf.grads((...ps: tf.Tensor[]) => ce(convNetForward(ps, ep.support.x), ep.support.y))(th);
    const fast = th.map((p, i) => tf.sub(p, tf.mul(alpha[i], gs[i])));
    const gq = tf.grads((...ps: tf.Tensor[]) => ce(convNetForward(ps, ep.query.x), ep.query.y))(fast);
    let err = 0;
    let ref = 0;
    let differsFromTheta = 0;
    th.forEach((_, i) => {
      const want = tf.neg(tf.mul(gq[i], gs[i])).dataSync();
      const got = grads[th.length + i].dataSync();
      const thetaGrad = grads[i].dataSync();
      want.forEach((w, j) => {
        err = Math.max(err, Math.abs(w - got[j]));
        ref = Math.max(ref, Math.abs(w));
        differsFromTheta = Math.max(differsFromTheta, Math.abs(thetaGrad[j] - got[j]));
      });
    });
    expect(err / ref).toBeLessThan(1e-4);
    expect(differsFromTheta / ref).toBeGreaterThan(0.1);
  });

  it('TAML (entropy): cross-entropy after adapting + λ(H(θ′) − H(θ)) on the queries', () => {
    const th = theta();
    const cfg = { ...cfgOf('taml'), tamlLambda: 0.7 };
    const ep = oneEpisode();
    const got = taskObjective(cfg, th, th.length, ep).dataSync()[0];
    const fast = innerLoop(convNetForward, ce, th, ep.support.x, ep.support.y, { alpha: cfg.alpha, steps: 1 });
    const after = convNetForward(fast, ep.query.x);
    const want = ce(after, ep.query.y).dataSync()[0] + 0.7 * (meanPredictionEntropy(after).dataSync()[0] - meanPredictionEntropy(convNetForward(th, ep.query.x)).dataSync()[0]);
    expect(got).toBeCloseTo(want, 4);
  });

  it('ADML: L(θ′_adv on clean queries) + L(θ′_clean on adversarial queries)', () => {
    const th = theta();
    const cfg = cfgOf('adml');
    const ep = oneEpisode();
    const adv = { support: fgsm(th, ep.support.x, ep.support.y, cfg.advEpsilon), query: fgsm(th, ep.query.x, ep.query.y, cfg.advEpsilon) };
    const got = taskObjective(cfg, th, th.length, ep, adv).dataSync()[0];
    const clean = innerLoop(convNetForward, ce, th, ep.support.x, ep.support.y, { alpha: cfg.alpha, steps: 1 });
    const robust = innerLoop(convNetForward, ce, th, adv.support, ep.support.y, { alpha: cfg.alpha, steps: 1 });
    const want = ce(convNetForward(robust, ep.query.x), ep.query.y).dataSync()[0] + ce(convNetForward(clean, adv.query), ep.query.y).dataSync()[0];
    expect(got).toBeCloseTo(want, 4);
  });
});

describe('gradient agreement and inequality TAML on episodes', () => {
  it('agreementCombine: hand-computed weights and weighted sum on fixed per-task gradients', () => {
    // flattened g₁ = (1, 0 | 1), g₂ = (1, 1 | 0), g₃ = (−1, 0 | 0): Σⱼ gᵢᵀgⱼ = 2, 2, −1; Σ|·| = 5
    const g = [
      [tf.tensor1d([1, 0]), tf.tensor1d([1])],
      [tf.tensor1d([1, 1]), tf.tensor1d([0])],
      [tf.tensor1d([-1, 0]), tf.tensor1d([0])],
    ];
    const { weights, combined } = agreementCombine(g);
    const w = Array.from(weights.dataSync());
    [0.4, 0.4, -0.2].forEach((want, i) => expect(w[i]).toBeCloseTo(want, 6));
    // 0.4·(1,0) + 0.4·(1,1) − 0.2·(−1,0) = (1, 0.4); 0.4·1 = 0.4
    const a = combined[0].dataSync();
    expect(a[0]).toBeCloseTo(1, 6);
    expect(a[1]).toBeCloseTo(0.4, 6);
    expect(combined[1].dataSync()[0]).toBeCloseTo(0.4, 6);
  });

  it('inequality coefficients ∂I/∂ℓᵢ: Gini by hand at ℓ = (1, 3); all measures by central differences', () => {
    // G = 2|ℓ₁ − ℓ₂| / (4(ℓ₁ + ℓ₂)): ∂G/∂ℓ₁ = (−2·16 − 4·4)/16² = −0.1875, ∂G/∂ℓ₂ = (2·16 − 4·4)/16² = 0.0625
    const [c1, c2] = inequalityCoefficients([1, 3], 'gini');
    expect(c1).toBeCloseTo(-0.1875, 5);
    expect(c2).toBeCloseTo(0.0625, 5);
    const losses = [0.7, 1.3, 2.1];
    const h = 1e-3;
    for (const m of INEQUALITY_MEASURES) {
      const c = inequalityCoefficients(losses, m);
      losses.forEach((_, i) => {
        const at = (d: number) => inequality(losses.map((v, j) => (j === i ? v + d : v)), m);
        expect(c[i]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 3);
      });
    }
  });

  it('inequality TAML: the task-at-a-time gradient equals the gradient of the joint objective', () => {
    const th = theta();
    const tasks = [oneEpisode(2), oneEpisode(7)];
    const cfg = { ...cfgOf('taml-ineq'), tamlLambda: 2, tamlMeasure: 'varlog' as const };
    const got = tamlInequalityGradient(cfg, th, tasks);
    const joint = (...ps: tf.Tensor[]) => {
      const query = tasks.map((t) => ce(convNetForward(innerLoop(convNetForward, ce, ps, t.support.x, t.support.y, { alpha: cfg.alpha, steps: 1 }), t.query.x), t.query.y));
      const initial = tf.stack(tasks.map((t) => ce(convNetForward(ps, t.support.x), t.support.y))) as tf.Tensor1D;
      return tf.add(tf.mean(tf.stack(query)), tf.mul(inequalityTensor(initial, 'varlog'), 2)) as tf.Scalar;
    };
    const want = tf.valueAndGrads(joint)(th);
    expect(got.loss.dataSync()[0]).toBeCloseTo(want.value.dataSync()[0], 4);
    expect(got.inequality).toBeGreaterThan(0);
    let err = 0;
    let ref = 0;
    want.grads.forEach((g, i) => {
      const a = g.dataSync();
      const b = got.grads[i].dataSync();
      a.forEach((v, j) => {
        err = Math.max(err, Math.abs(v - b[j]));
        ref = Math.max(ref, Math.abs(v));
      });
    });
    expect(err / ref).toBeLessThan(1e-4);
  });

  it('reptile-ga: θ ← θ − ε Σᵢ wᵢ (θ − θ′ᵢ) with the agreement weights of the differences', () => {
    const cfg = { ...cfgOf('reptile-ga'), innerSteps: 2, epsilon: 0.5 };
    const tr = new OmniglotTrainer(cfg);
    const before = tr.theta.map((v) => v.clone());
    const eps = [new EpisodeSampler(dataset, spec, 11).next(), new EpisodeSampler(dataset, spec, 12).next()];
    const tasks = eps.map(episodeTensors);
    const diffs = tasks.map((t) => reptileInner(convNetForward, ce, before, [t.support, t.query], { alpha: cfg.alpha, steps: 2, optimizer: 'sgd' }).map((f, i) => tf.sub(before[i], f)));
    const { weights, combined } = agreementCombine(diffs);
    tr.step(eps).dispose();
    expect(tr.lastWeights).toHaveLength(2);
    const w = weights.dataSync();
    tr.lastWeights.forEach((v, i) => expect(v).toBeCloseTo(w[i], 5));
    let err = 0;
    tr.theta.forEach((v, i) => {
      const want = tf.sub(before[i], tf.mul(combined[i], 0.5)).dataSync();
      v.dataSync().forEach((x, j) => (err = Math.max(err, Math.abs(x - want[j]))));
    });
    expect(err).toBeLessThan(1e-5);
    tr.dispose();
  });
});

describe('OmniglotTrainer', () => {
  it.each(OMNIGLOT_ALGORITHMS)('%s trains two steps, evaluates on the other split and keeps the tensor count', (algorithm) => {
    const tr = new OmniglotTrainer(cfgOf(algorithm));
    const sampler = new EpisodeSampler(dataset, spec, 5);
    const evalSampler = new EpisodeSampler(dataset, { ...spec, split: 'evaluation' }, 6);
    tr.step([sampler.next(), sampler.next()]).dispose();
    const before = tf.memory().numTensors;
    const loss = tr.step([sampler.next(), sampler.next()]);
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    loss.dispose();
    const ev = tr.evaluate(evalSampler, 3, 1, 0);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0);
    expect(ev.accuracy).toBeLessThanOrEqual(1);
    if (algorithm === 'adml') expect(ev.adversarialAccuracy).toBeDefined();
    if (algorithm === 'daml') expect(ev.labelledOnlyAccuracy).toBeDefined();
    expect(tf.memory().numTensors).toBe(before);
    const extra = { metasgd: convNetParamSpecs(tr.spec).length, caml: 2, daml: 6, 'meta-lstm': 4 } as Partial<Record<typeof algorithm, number>>;
    expect(tr.params().specs).toHaveLength(convNetParamSpecs(tr.spec).length + (extra[algorithm] ?? 0));
    tr.dispose();
  });
});
