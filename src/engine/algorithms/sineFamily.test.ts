import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toVariables } from '../core/params';
import { Rng } from '../core/rng';
import { initMlp } from '../models/mlp';
import { sampleSineEpisodes } from '../tasks/sine';
import { gradientAgreementWeights, gradientAgreementWeightsTensor, inequality, inequalityTensor, reptileInner } from './familyMath';
import { sineConfigFor, type SineAlgorithm, type SineConfig } from './sineConfig';
import { SINE_FAMILY, type FamilyState, type SineBatch } from './sineFamily';
import { batchTensors, pretrainLoss, sineParamSpecs, SineTrainer, tamlMetaLoss } from './sineRegression';
import { mlpForward, perTaskMseSum } from '../models/mlp';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

/*
 * The worked example used throughout (1-D linear regression f(x) = w·x + b, θ = (w, b), MSE):
 *   one task, support (x, y) = (1, 2), query (x, y) = (2, 1), θ = (0.5, 0), α = 0.1.
 *   support: prediction 0.5, error −1.5, g_s = 2·(−1.5)·(x, 1) = (−3, −3)
 *   θ′ = θ − α g_s = (0.8, 0.3); query: prediction 1.9, error 0.9, ∇L_q(θ′) = 2·0.9·(2, 1) = (3.6, 1.8)
 *   first-order MAML: (3.6, 1.8)
 *   MAML: (I − α H_s) ∇L_q(θ′), H_s = 2·[[1, 1], [1, 1]] → [[0.8, −0.2], [−0.2, 0.8]]·(3.6, 1.8) = (2.52, 0.72)
 */
const SUPPORT = { x: [[1]], y: [[2]] };
const QUERY = { x: [[2]], y: [[1]] };

function batchOf(support: { x: number[][]; y: number[][] }, query: { x: number[][]; y: number[][] }): SineBatch {
  const t = (rows: number[][]) => tf.tensor3d(rows.flat(), [rows.length, rows[0].length, 1]);
  return { support: { x: t(support.x), y: t(support.y) }, query: { x: t(query.x), y: t(query.y) }, demo: null };
}

/**
 * A linear model (no hidden layer) with the given θ and an SGD optimizer of rate 1, so that the
 * change of each parameter after one step is minus its meta-gradient.
 */
function linearState(algorithm: SineAlgorithm, theta: { w: number[]; b: number }, overrides: Partial<SineConfig> = {}, extra: number[][] = []): FamilyState {
  const cfg = sineConfigFor(algorithm, { hidden: [], alpha: 0.1, innerSteps: 1, ...overrides });
  const specs = sineParamSpecs(cfg);
  const values = [Float32Array.from(theta.w), Float32Array.from([theta.b]), ...extra.map((e) => Float32Array.from(e))];
  const vars = toVariables({ specs, values }, 'test');
  const nTheta = SINE_FAMILY[algorithm].thetaSpecs(cfg).length;
  return { cfg, theta: vars.slice(0, nTheta), extra: vars.slice(nTheta), optimizer: SINE_FAMILY[algorithm].usesOptimizer ? tf.train.sgd(1) : null };
}

const read = (vs: readonly tf.Tensor[]) => vs.flatMap((v) => Array.from(v.dataSync()));

/** One step; returns the change of θ and of the extra tensors (= −gradient with SGD rate 1). */
function stepDelta(state: FamilyState, batch: SineBatch): { dTheta: number[]; dExtra: number[]; weights: number[] | null } {
  const t0 = read(state.theta);
  const e0 = read(state.extra);
  const r = tf.tidy(() => {
    const out = SINE_FAMILY[state.cfg.algorithm].step(state, batch);
    return { loss: out.loss, weights: out.weights ?? tf.scalar(0) };
  });
  const weights = r.weights.rank === 1 ? Array.from(r.weights.dataSync()) : null;
  r.loss.dispose();
  r.weights.dispose();
  return { dTheta: read(state.theta).map((v, i) => v - t0[i]), dExtra: read(state.extra).map((v, i) => v - e0[i]), weights };
}

const close = (got: number[], want: number[], tol = 1e-5) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]), `entry ${i}: got ${g}, want ${want[i]}`).toBeLessThan(tol * Math.max(1, Math.abs(want[i]))));
};

describe('closed forms on 1-D linear regression', () => {
  it('MAML: the meta-gradient is (I − αH_s)∇L_q(θ′) = (2.52, 0.72)', () => {
    const st = linearState('maml', { w: [0.5], b: 0 });
    close(stepDelta(st, batchOf(SUPPORT, QUERY)).dTheta, [-2.52, -0.72]);
  });

  it('first-order MAML: the meta-gradient is the query gradient at θ′ = (3.6, 1.8)', () => {
    const st = linearState('fomaml', { w: [0.5], b: 0 });
    close(stepDelta(st, batchOf(SUPPORT, QUERY)).dTheta, [-3.6, -1.8]);
  });

  it('Meta-SGD: θ and α get their own gradients (α: −∇L_q(θ′) ∘ ∇L_s(θ), not θ’s)', () => {
    // α = (0.1, 0.2): θ′ = (0.5, 0) − (0.1·−3, 0.2·−3) = (0.8, 0.6); query error 2.2 − 1 = 1.2, ∇L_q(θ′) = (4.8, 2.4)
    // ∂/∂α = −(4.8·−3, 2.4·−3) = (14.4, 7.2); ∂/∂θ = (I − 2A_s diag α)∇L_q = [[0.8, −0.4], [−0.2, 0.6]]·(4.8, 2.4) = (2.88, 0.48)
    const st = linearState('metasgd', { w: [0.5], b: 0 }, {}, [[0.1], [0.2]]);
    const d = stepDelta(st, batchOf(SUPPORT, QUERY));
    close(d.dTheta, [-2.88, -0.48]);
    close(d.dExtra, [-14.4, -7.2]);
  });

  it('Reptile: two SGD steps (support, then query) and θ ← θ + ε(θ′ − θ)', () => {
    // θ₁ = (0.8, 0.3); on the query g₂ = (3.6, 1.8), θ₂ = (0.44, 0.12); θ − θ₂ = α(g₁ + g₂) = (0.06, −0.12)
    // ε = 0.5: θ ← (0.5, 0) + 0.5·((0.44, 0.12) − (0.5, 0)) = (0.47, 0.06)
    const st = linearState('reptile', { w: [0.5], b: 0 }, { innerSteps: 2, epsilon: 0.5 });
    close(stepDelta(st, batchOf(SUPPORT, QUERY)).dTheta, [-0.03, 0.06]);
  });

  it('Reptile with inner Adam (β₁ = 0, reset per task): the first step is α·sign(g)', () => {
    const st = linearState('reptile', { w: [0.5], b: 0 }, { innerSteps: 1, epsilon: 1, innerOptimizer: 'adam' });
    // g₁ = (−3, −3): Adam's first step with β₁ = 0 moves each weight by α·g/|g| (ε_Adam = 1e-8 is negligible).
    close(stepDelta(st, batchOf(SUPPORT, QUERY)).dTheta, [0.1, 0.1], 1e-6);
  });

  it('serial Reptile updates after each task; batched averages the tasks', () => {
    const two = batchOf({ x: [[1], [1]], y: [[2], [-1]] }, { x: [[2], [2]], y: [[1], [0]] });
    // Task A (y = 2 at x = 1): from (0.5, 0): θ′ = (0.8, 0.3), so with ε = 1 serial moves to (0.8, 0.3).
    // Task B (y = −1 at x = 1) from there: error 1.1 − (−1) = 2.1, g = (4.2, 4.2), θ′ = (0.38, −0.12).
    const serial = linearState('reptile', { w: [0.5], b: 0 }, { innerSteps: 1, epsilon: 1, reptileMode: 'serial' });
    close(stepDelta(serial, two).dTheta, [0.38 - 0.5, -0.12]);
    // Batched: both from (0.5, 0): task B error 1.5, g = (3, 3), θ′_B = (0.2, −0.3); mean θ′ = (0.5, 0) → no move.
    const batched = linearState('reptile', { w: [0.5], b: 0 }, { innerSteps: 1, epsilon: 1, reptileMode: 'batched' });
    close(stepDelta(batched, two).dTheta, [0, 0]);
  });

  it('CAML: only the context adapts (φ′ = 0.3) and θ = (w, v, b) gets the gradient through φ′', () => {
    // f(x, φ) = w·x + v·φ + b, θ = (w, v, b) = (0.5, 1, 0), φ₀ = 0, α_ctx = 0.1.
    // support error −1.5: ∇φ = 2·(−1.5)·v = −3, φ′ = 0.3; query prediction 2·0.5 + 0.3 = 1.3, error 0.3.
    // dφ′/dw = −2α·x_s·v = −0.2, dφ′/dv = −2α(w·x_s + b − y_s) = 0.3, dφ′/db = −2α·v = −0.2
    // dL/dw = 0.6·(2 + v·(−0.2)) = 1.08, dL/dv = 0.6·(φ′ + v·0.3) = 0.36, dL/db = 0.6·(1 − 0.2) = 0.48
    const st = linearState('caml', { w: [0.5, 1], b: 0 }, { contextSize: 1, contextAlpha: 0.1 });
    close(stepDelta(st, batchOf(SUPPORT, QUERY)).dTheta, [-1.08, -0.36, -0.48]);
  });
});

describe('gradient agreement', () => {
  it('weights fixed vectors by Σⱼgᵢᵀgⱼ / Σₖ|Σⱼgₖᵀgⱼ|', () => {
    // Gram rows sum to 1, 2, −1; Σ|·| = 4.
    const g = [
      [1, 0],
      [1, 1],
      [-1, 0],
    ];
    close(gradientAgreementWeights(g), [0.25, 0.5, -0.25]);
    const w = tf.tidy(() => gradientAgreementWeightsTensor(tf.tensor2d(g)).arraySync());
    close(w, [0.25, 0.5, -0.25]);
  });

  it('MAML-GA weights the tasks’ own meta-gradients (two tasks, hand-derived)', () => {
    // Task A as in the worked example: g_A = (2.52, 0.72). Task B: support (1, −1), query (2, 0).
    // B: g_s = 2·1.5·(1, 1) = (3, 3), θ′ = (0.2, −0.3), query error 0.1, ∇L_q = (0.4, 0.2),
    //    g_B = [[0.8, −0.2], [−0.2, 0.8]]·(0.4, 0.2) = (0.28, 0.08).
    const gA = [2.52, 0.72];
    const gB = [0.28, 0.08];
    const w = gradientAgreementWeights([gA, gB]);
    const st = linearState('maml-ga', { w: [0.5], b: 0 });
    const d = stepDelta(st, batchOf({ x: [[1], [1]], y: [[2], [-1]] }, { x: [[2], [2]], y: [[1], [0]] }));
    close(d.weights!, w);
    close(d.dTheta, [-(w[0] * gA[0] + w[1] * gB[0]), -(w[0] * gA[1] + w[1] * gB[1])], 1e-4);
  });

  it('Reptile-GA weights the tasks’ θ − θ′ᵢ', () => {
    // One inner step: θ − θ′_A = α g_s,A = (−0.3, −0.3). Task B (y = −2.5 at x = 1): error 3, g = (6, 6),
    // θ − θ′_B = (0.6, 0.6). Gram row sums −0.18 and 0.36 → weights (−1/3, 2/3).
    const dA = [-0.3, -0.3];
    const dB = [0.6, 0.6];
    const st = linearState('reptile-ga', { w: [0.5], b: 0 }, { innerSteps: 1, epsilon: 1 });
    const d = stepDelta(st, batchOf({ x: [[1], [1]], y: [[2], [-2.5]] }, { x: [[2], [2]], y: [[1], [0]] }));
    const w = gradientAgreementWeights([dA, dB]);
    close(w, [-1 / 3, 2 / 3]);
    close(d.weights!, w);
    close(d.dTheta, [-(w[0] * dA[0] + w[1] * dB[0]), -(w[0] * dA[1] + w[1] * dB[1])]);
  });
});

describe('TAML inequality measures', () => {
  const losses = [1, 2, 3, 4];
  it.each([
    ['theil', 0.10644013528622318],
    ['gini', 0.25],
    ['varlog', 0.2710518733140692],
  ] as const)('%s of (1, 2, 3, 4) = %f, and 0 for equal losses; tensor version agrees', (measure, want) => {
    expect(inequality(losses, measure)).toBeCloseTo(want, 12);
    expect(inequality([2, 2, 2], measure)).toBeCloseTo(0, 12);
    const got = tf.tidy(() => inequalityTensor(tf.tensor1d(losses), measure).dataSync()[0]);
    expect(got).toBeCloseTo(want, 5);
  });

  it('the TAML objective is the MAML loss plus λ times the inequality of the initial support losses', () => {
    // Two tasks with initial support losses (0.5 − 2)² = 2.25 and (0.5 + 1)² = 2.25: equal → no penalty;
    // make them differ: task B y = 0 → (0.5)² = 0.25.
    const b = batchOf({ x: [[1], [1]], y: [[2], [0]] }, { x: [[2], [2]], y: [[1], [0]] });
    const theta = [tf.tensor2d([[0.5]]), tf.tensor2d([[0]])];
    const opts = { alpha: 0.1, innerSteps: 1, firstOrder: false, tamlLambda: 0.7, tamlMeasure: 'gini' as const };
    const r = tamlMetaLoss(theta, b.support, b.query, opts);
    const maml = r.maml.dataSync()[0];
    expect(r.objective.dataSync()[0]).toBeCloseTo(maml + 0.7 * inequality([2.25, 0.25], 'gini'), 5);
  });
});

describe('Reptile with one inner step is pretraining on the expected loss', () => {
  it('θ − εα·∇(1/T)Σ L_support,t(θ) on a nonlinear MLP', () => {
    const cfg = sineConfigFor('reptile', { hidden: [8], innerSteps: 1, alpha: 0.05, epsilon: 0.4, metaBatch: 4 });
    const init = initMlp({ sizes: [1, 8, 1] }, new Rng(5));
    const episodes = sampleSineEpisodes(new Rng(6), 4, 5, 5);
    const reptile = toVariables(init, 'reptile1');
    const state: FamilyState = { cfg, theta: reptile, extra: [], optimizer: null };
    tf.tidy(() => SINE_FAMILY.reptile.step(state, { support: batchTensors(episodes.support), query: batchTensors(episodes.query), demo: null }).loss);
    // Pretraining on the same minibatch (the support sets), plain SGD with rate εα.
    const pre = toVariables(init, 'pre1');
    tf.tidy(() => {
      const s = batchTensors(episodes.support);
      const { grads } = tf.variableGrads(() => pretrainLoss(pre, s, s), pre);
      tf.train.sgd(cfg.epsilon * cfg.alpha).applyGradients(grads);
    });
    close(read(reptile), read(pre), 1e-5);
    [...reptile, ...pre].forEach((v) => v.dispose());
  });

  it('the inner loop alternates minibatches: g₁ on the support, g₂ on the query', () => {
    const theta = [tf.tensor3d([[[0.5]]]), tf.tensor3d([[[0]]])];
    const b = batchOf(SUPPORT, QUERY);
    const fast = reptileInner(mlpForward, perTaskMseSum, theta, [b.support, b.query], { alpha: 0.1, steps: 2, optimizer: 'sgd' });
    close(read(fast), [0.44, 0.12]);
  });
});

describe('every algorithm of the table', () => {
  it.each(['fomaml', 'reptile', 'metasgd', 'caml', 'maml-ga', 'reptile-ga', 'taml', 'daml'] as const)(
    '%s trains a few steps, evaluates and keeps the tensor count constant',
    (algorithm) => {
      const tr = new SineTrainer(sineConfigFor(algorithm, { metaBatch: 3, k: 4, hidden: [8, 8], reptileMode: algorithm === 'reptile' ? 'serial' : 'batched' }));
      tr.step().dispose();
      tr.step().dispose();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) tr.step().dispose();
      const mse = tr.evaluate({ tasks: 5, k: 4, alpha: tr.config.alpha, maxSteps: 2, queryPoints: 10, seed: 1 });
      expect(mse).toHaveLength(3);
      expect(mse.every(Number.isFinite)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      expect(tr.params().specs).toHaveLength(tr.paramSpecs.length);
      if (algorithm.endsWith('-ga')) expect(tr.lastWeights!.shape).toEqual([3]);
      tr.dispose();
    },
  );

  it('DAML adapts without labels: the support labels do not change its adapted predictions', () => {
    const tr = new SineTrainer(sineConfigFor('daml', { hidden: [8, 8], adaptHidden: 6 }));
    const grid = new Float32Array([-1, 0, 1]);
    const demo = new Float32Array([2, 2.2, 2.4]);
    const a = tr.adaptationCurvesTensor(new Float32Array([0, 1]), new Float32Array([5, 5]), grid, 0.1, 2, demo);
    const b = tr.adaptationCurvesTensor(new Float32Array([0, 1]), new Float32Array([-3, 7]), grid, 0.1, 2, demo);
    const other = tr.adaptationCurvesTensor(new Float32Array([0, 1]), new Float32Array([5, 5]), grid, 0.1, 2, new Float32Array([3, 3.1, 3.2]));
    close(Array.from(a.dataSync()), Array.from(b.dataSync()), 1e-7);
    expect(Array.from(a.dataSync().slice(6))).not.toEqual(Array.from(other.dataSync().slice(6)));
    [a, b, other].forEach((t) => t.dispose());
    tr.dispose();
  });

  it('MAML keeps its exact numbers (same init and task stream as before the family)', () => {
    // Seed 0, default settings: the first meta-batch's loss that the sine lab's e2e test also checks.
    const tr = new SineTrainer(sineConfigFor('maml'));
    const loss = tr.step();
    expect(loss.dataSync()[0]).toBeCloseTo(4.8214, 3);
    loss.dispose();
    tr.dispose();
  });
});
