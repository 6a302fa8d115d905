import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ZERO_SHOT, ZeroShotTask, type ZeroShotConfig } from '../engine/algorithms/metric/zeroShot';
import { useCpu } from '../engine/core/ops/testUtil';
import { episodeAccuracy, makeEvalSet, viewEpisode, ZERO_SHOT_WAYS, ZeroShotSession } from './zeroShotSession';

beforeAll(useCpu);

describe('episode accuracy from one score matrix', () => {
  // 4 items × 3 classes; item i is of class labels[i].
  const scores = [
    0.9, 0.1, 0.0, // item 0 (class 0): right among {0,1,2}
    0.2, 0.3, 0.8, // item 1 (class 1): wrong among {0,1,2} (class 2 wins), right among {0,1}
    0.5, 0.5, 0.1, // item 2 (class 0): a tie with class 1 counts as wrong
    0.0, 0.0, 0.7, // item 3 (class 2)
  ];
  const labels = Int32Array.from([0, 1, 0, 2]);

  it('counts an item right only when its own class beats every other column of the episode', () => {
    expect(episodeAccuracy(scores, 3, labels, [{ cols: [0, 1, 2], rows: [0, 1, 2, 3] }])).toBeCloseTo(2 / 4);
    expect(episodeAccuracy(scores, 3, labels, [{ cols: [0, 1], rows: [0, 1] }])).toBeCloseTo(1);
    // Mean over episodes, not over items: (1/1 + 0/2) / 2.
    expect(episodeAccuracy(scores, 3, labels, [{ cols: [0, 2], rows: [0] }, { cols: [0, 1], rows: [2, 1] }])).toBeCloseTo(0.75);
    expect(episodeAccuracy(scores, 3, labels, [])).toBeNaN();
  });
});

describe('evaluation sets and the view episode', () => {
  const cfg: ZeroShotConfig = DEFAULT_ZERO_SHOT;
  const task = new ZeroShotTask(cfg);

  it('held-out evaluation items and view episodes use held-out classes only, and are the same on every call', () => {
    const test = makeEvalSet(task, 'test', cfg.seed);
    expect(test.classes).toEqual(task.classSet('test'));
    expect(test.labels.length * cfg.features).toBe(test.features.length);
    for (const ep of test.episodes) {
      expect(new Set(ep.cols).size).toBe(ZERO_SHOT_WAYS);
      // every asked item belongs to one of the episode's classes
      for (const r of ep.rows) expect(ep.cols).toContain(test.labels[r]);
    }
    expect(makeEvalSet(task, 'test', cfg.seed).features).toEqual(test.features);
    const v = viewEpisode(task, cfg.seed, 3);
    expect(v.classes.every((c) => c >= cfg.trainClasses)).toBe(true);
    expect(v.attributes.length).toBe(ZERO_SHOT_WAYS * cfg.attributes);
    expect(viewEpisode(task, cfg.seed, 3)).toEqual(v);
    expect(viewEpisode(task, cfg.seed, 4).classes).not.toEqual(v.classes);
  });
});

describe('ZeroShotSession', () => {
  it('trains in chunks, evaluates and scores edited attribute vectors without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const s = new ZeroShotSession();
    const untrained = await s.evaluate();
    expect(untrained.step).toBe(0);
    expect(untrained.heldOut).toBeLessThan(0.4);
    const first = await s.trainChunk(5);
    expect(first.length).toBe(5);
    expect(s.steps).toBe(5);
    const during = tf.memory().numTensors;
    await s.trainChunk(145);
    const trained = await s.evaluate();
    await s.view(0, null);
    expect(tf.memory().numTensors).toBe(during);
    expect(trained.step).toBe(150);
    // Held-out classes were never trained on: accuracy far above chance (0.2) means h read the attributes.
    expect(trained.heldOut).toBeGreaterThan(0.55);
    expect(trained.heldOut).toBeGreaterThan(untrained.heldOut + 0.25);

    const view = await s.view(0, null);
    expect(view.scores.length).toBe(ZERO_SHOT_WAYS);
    expect(view.scores.every((r) => r >= 0 && r <= 1)).toBe(true);
    expect(Array.from(view.attributes)).toEqual(Array.from(view.original));
    // The same vectors passed explicitly give the same scores.
    const same = await s.view(0, Array.from(view.original));
    expect(Array.from(same.scores)).toEqual(Array.from(view.scores));
    // Copying the true class's vector onto another row gives that row the true class's score.
    const A = view.attributeCount;
    const other = (view.truth + 1) % ZERO_SHOT_WAYS;
    const copied = Array.from(view.original);
    for (let j = 0; j < A; j++) copied[other * A + j] = view.original[view.truth * A + j];
    const twin = await s.view(0, copied);
    expect(twin.scores[other]).toBeCloseTo(twin.scores[view.truth], 6);
    expect(twin.scores[view.truth]).toBeCloseTo(view.scores[view.truth], 6);
    // Flipping every attribute of the true class changes its score.
    const flipped = Array.from(view.original);
    for (let j = 0; j < A; j++) flipped[view.truth * A + j] = 1 - flipped[view.truth * A + j];
    expect(Math.abs((await s.view(0, flipped)).scores[view.truth] - view.scores[view.truth])).toBeGreaterThan(1e-3);
    await expect(s.view(0, [1, 0])).rejects.toThrow(/attributes/);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
