import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import type { CharacterDataset } from './dataset';
import { emptyDrawingSet } from './drawingSet';
import { drawingSetSampler, drawnEpisode, EpisodeError, EpisodeSampler } from './sampler';
import { generateSyntheticDataset } from './synthetic';

// 9 alphabets (6 background, 3 evaluation) × 8 characters × 6 drawers, 28×28.
const DS: CharacterDataset = generateSyntheticDataset({ seed: 7, alphabets: 9, charactersPerAlphabet: 8, drawersPerCharacter: 6 });
const PX = 28 * 28;

describe('EpisodeSampler', () => {
  it('returns exactly N·K support and N·Q query images with class-major labels', () => {
    const ep = new EpisodeSampler(DS, { nWay: 5, kShot: 2, qQuery: 3 }, 1).next();
    expect(ep.support.length).toBe(5 * 2 * PX);
    expect(ep.query.length).toBe(5 * 3 * PX);
    expect(Array.from(ep.supportLabels)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(Array.from(ep.queryLabels)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(new Set(ep.classes.map((c) => c.character)).size).toBe(5);
    // Each support/query row is the image it says, and support and query never share an image.
    for (let r = 0; r < 10; r++) {
      const img = ep.supportImages[r];
      const c = DS.characters[ep.classes[ep.supportLabels[r]].character];
      expect(img).toBeGreaterThanOrEqual(c.first);
      expect(img).toBeLessThan(c.first + c.count);
      expect(ep.support[r * PX + 300]).toBeCloseTo(DS.pixels[img * PX + 300] / 255, 6);
    }
    const used = [...ep.supportImages, ...ep.queryImages];
    expect(new Set(used).size).toBe(used.length);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = new EpisodeSampler(DS, { nWay: 5, kShot: 1, qQuery: 2 }, 42);
    const b = new EpisodeSampler(DS, { nWay: 5, kShot: 1, qQuery: 2 }, 42);
    for (let i = 0; i < 5; i++) {
      const x = a.next();
      const y = b.next();
      expect(Array.from(x.supportImages)).toEqual(Array.from(y.supportImages));
      expect(Array.from(x.queryImages)).toEqual(Array.from(y.queryImages));
      expect(x.support).toEqual(y.support);
    }
    const c = new EpisodeSampler(DS, { nWay: 5, kShot: 1, qQuery: 2 }, 43).next();
    expect(Array.from(c.supportImages)).not.toEqual(Array.from(new EpisodeSampler(DS, { nWay: 5, kShot: 1, qQuery: 2 }, 42).next().supportImages));
    // sample(rng) leaves the sampler's own stream alone.
    const s = new EpisodeSampler(DS, { nWay: 3, kShot: 1, qQuery: 1 }, 5);
    s.sample(new Rng(99));
    expect(Array.from(s.next().supportImages)).toEqual(Array.from(new EpisodeSampler(DS, { nWay: 3, kShot: 1, qQuery: 1 }, 5).next().supportImages));
  });

  it('never mixes splits: background episodes use background alphabets only, evaluation ones evaluation only', () => {
    const seen = { background: new Set<number>(), evaluation: new Set<number>() };
    for (const split of ['background', 'evaluation'] as const) {
      const s = new EpisodeSampler(DS, { nWay: 5, kShot: 1, qQuery: 1, split }, 3);
      for (let i = 0; i < 50; i++)
        for (const c of s.next().classes) {
          expect(DS.alphabets[DS.characters[c.character].alphabet].split).toBe(split);
          seen[split].add(c.character);
        }
    }
    for (const c of seen.background) expect(seen.evaluation.has(c)).toBe(false);
    expect(seen.background.size).toBeGreaterThan(24);
  });

  it('within-alphabet mode draws every class of an episode from one alphabet; between mode mixes', () => {
    const within = new EpisodeSampler(DS, { nWay: 5, kShot: 1, qQuery: 1, mode: 'within' }, 11);
    const between = new EpisodeSampler(DS, { nWay: 5, kShot: 1, qQuery: 1, mode: 'between' }, 11);
    let mixed = 0;
    for (let i = 0; i < 30; i++) {
      expect(new Set(within.next().classes.map((c) => c.alphabet)).size).toBe(1);
      if (new Set(between.next().classes.map((c) => c.alphabet)).size > 1) mixed++;
    }
    expect(mixed).toBeGreaterThan(25);
  });

  it('explains episodes it cannot draw', () => {
    expect(() => new EpisodeSampler(DS, { nWay: 49, kShot: 1, qQuery: 1 })).toThrow(/49-way episodes need 49 characters .* there are 48/);
    expect(() => new EpisodeSampler(DS, { nWay: 5, kShot: 4, qQuery: 3 })).toThrow(EpisodeError);
    expect(() => new EpisodeSampler(DS, { nWay: 9, kShot: 1, qQuery: 1, mode: 'within' })).toThrow(/within-alphabet/);
    expect(() => new EpisodeSampler(DS, { nWay: 0, kShot: 1, qQuery: 1 })).toThrow(/nWay/);
  });
});

describe('episodes from user drawings', () => {
  const stroke = (x: number, y: number) => [[{ x, y, t: 0 }, { x: x + 30, y: y + 5, t: 300 }]];
  const set = emptyDrawingSet();
  set.classes.push({ name: 'a', drawings: [stroke(10, 10), stroke(20, 20), stroke(30, 30)] }, { name: 'b', drawings: [[[{ x: 50, y: 10, t: 0 }, { x: 50, y: 80, t: 300 }]], [[{ x: 40, y: 10, t: 0 }, { x: 42, y: 80, t: 300 }]]] });
  set.episodes.push({ classes: [1, 0], support: [[0], [2]], query: [[1], [0, 1]] });

  it('builds a hand-made episode with its labels', () => {
    const ep = drawnEpisode(set, 0);
    expect(ep).toMatchObject({ nWay: 2, kShot: 1, qQuery: 2 });
    expect(ep.classes.map((c) => c.name)).toEqual(['b', 'a']);
    expect(Array.from(ep.queryLabels)).toEqual([0, 1, 1]);
    expect(ep.query.length).toBe(3 * PX);
    expect(ep.support.reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
    expect(() => drawnEpisode(set, 3)).toThrow(/no episode 3/);
  });

  it('samples episodes from the drawing classes', () => {
    const ep = drawingSetSampler(set, { nWay: 2, kShot: 1, qQuery: 1 }, 0).next();
    expect(ep.classes.map((c) => c.name).sort()).toEqual(['a', 'b']);
  });
});
