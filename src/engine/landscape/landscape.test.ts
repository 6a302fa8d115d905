import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TASKS,
  algorithmUpdate,
  argmin1D,
  contourSegments,
  gradAt,
  innerPath,
  lossAt,
  maml1D,
  mamlObjective,
  mamlTaskGradient,
  makeTasks,
  metaSgdTaskGradients,
  pretrain1D,
  pretrainGradient,
  quadraticOf,
  reptileTaskDelta,
  sampleGrid,
  type Hyper,
  type LandscapeTask,
  type Vec2,
} from './landscape';

const tasks = makeTasks(DEFAULT_TASKS, 4, 0);
const h: Hyper = { alpha: 0.2, k: 2, beta: 0.1, epsilon: 0.5 };
const theta: Vec2 = [0.3, -0.4];

/** Central differences of f at θ (float64). */
function fd(f: (t: Vec2) => number, t: Vec2, eps = 1e-6): Vec2 {
  return [(f([t[0] + eps, t[1]]) - f([t[0] - eps, t[1]])) / (2 * eps), (f([t[0], t[1] + eps]) - f([t[0], t[1] - eps])) / (2 * eps)];
}
const expectClose = (got: Vec2, want: Vec2, tol = 1e-6) => got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(tol * Math.max(1, Math.abs(want[i]))));

describe('the 2-parameter landscape', () => {
  it('a task loss is the quadratic of its points, minimal at (slope, intercept)', () => {
    const q = quadraticOf([0, 1, 2], [1, 3, 5]); // y = 2x + 1
    expect(lossAt(q, [2, 1])).toBeCloseTo(0, 12);
    expectClose(gradAt(q, [2, 1]), [0, 0]);
    expectClose(gradAt(q, [0, 0]), fd((t) => lossAt(q, t), [0, 0]));
  });

  it('the MAML update is minus β times the gradient of the MAML objective (finite differences)', () => {
    const task = tasks[0];
    const single = (t: Vec2) => lossAt(task.query, innerPath(task, t, h.alpha, h.k).points[h.k]);
    expectClose(mamlTaskGradient(task, theta, h), fd(single, theta), 1e-6);
    const u = algorithmUpdate('maml', tasks, { theta, metaAlpha: [h.alpha, h.alpha] }, h);
    expectClose(u.delta, fd((t) => mamlObjective(tasks, t, h), theta).map((g) => -h.beta * g) as Vec2, 1e-6);
  });

  it('Meta-SGD: gradients for θ and for α match finite differences (k = 2)', () => {
    const task = tasks[1];
    const a: Vec2 = [0.15, 0.3];
    const g = metaSgdTaskGradients(task, theta, a, 2);
    const loss = (t: Vec2, al: Vec2) => lossAt(task.query, innerPath(task, t, al, 2).points[2]);
    expectClose(g.theta, fd((t) => loss(t, a), theta));
    expectClose(g.alpha, fd((al) => loss(theta, al), a));
  });

  it('Reptile: θ′ − θ = −α(g₁ + g₂); with one inner step the update is pretraining’s direction on the support sets', () => {
    const task: LandscapeTask = tasks[2];
    const p = innerPath(task, theta, h.alpha, 2, true);
    expectClose(reptileTaskDelta(task, theta, h), [-h.alpha * (p.grads[0][0] + p.grads[1][0]), -h.alpha * (p.grads[0][1] + p.grads[1][1])]);
    const one = { ...h, k: 1 };
    const u = algorithmUpdate('reptile', tasks, { theta, metaAlpha: [0, 0] }, one);
    const supportOnly = tasks.map((t) => ({ ...t, all: t.support }));
    const g = pretrainGradient(supportOnly, theta);
    expectClose(u.delta, [-one.epsilon * one.alpha * g[0], -one.epsilon * one.alpha * g[1]]);
  });

  it('gradient agreement reports one weight per task with Σ|w| = 1', () => {
    const u = algorithmUpdate('maml-ga', tasks, { theta, metaAlpha: [0, 0] }, h);
    expect(u.weights).toHaveLength(3);
    expect(u.weights!.reduce((s, w) => s + Math.abs(w), 0)).toBeCloseTo(1, 12);
  });

  it('contours of |θ|² at level 1 lie on the unit circle', () => {
    const grid = sampleGrid((t) => t[0] ** 2 + t[1] ** 2, [-2, -2], [2, 2], 81);
    const segs = contourSegments(grid, 1);
    expect(segs.length).toBeGreaterThan(40);
    for (const [a, b] of segs) for (const p of [a, b]) expect(Math.abs(Math.hypot(p[0], p[1]) - 1)).toBeLessThan(0.01);
  });
});

describe('the 1-D view', () => {
  it('quadratic tasks: pretraining lands at Σaₙmₙ/Σaₙ, MAML at the (1 − 2εaₙ)²-reweighted mean', () => {
    const t = [
      { m: -2, a: 1 },
      { m: 3, a: 0.25 },
    ];
    const eps = 0.4;
    const pre = argmin1D((x) => pretrain1D(t, 'quadratic', x), -6, 6);
    expect(pre).toBeCloseTo((1 * -2 + 0.25 * 3) / 1.25, 6);
    const b = t.map((x) => x.a * (1 - 2 * eps * x.a) ** 2);
    const maml = argmin1D((x) => maml1D(t, 'quadratic', x, eps), -6, 6);
    expect(maml).toBeCloseTo((b[0] * -2 + b[1] * 3) / (b[0] + b[1]), 6);
  });
});
