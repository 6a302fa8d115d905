import { describe, expect, it } from 'vitest';
import type { Episode } from '../../engine/tasks/characters';
import { classifyBaselineEpisode, inkPoints, modifiedHausdorff, pixelDistance } from './baselines';

const pts = (...xy: number[]) => Float64Array.from(xy);

describe('modified Hausdorff distance', () => {
  it('matches hand-computed values', () => {
    // A = {(0,0)}, B = {(0,0), (0,3)}: A→B mean 0, B→A mean (0 + 3)/2 = 1.5.
    expect(modifiedHausdorff(pts(0, 0), pts(0, 0, 0, 3))).toBeCloseTo(1.5, 12);
    // A = {(0,0), (4,0)}, B = {(0,3)}: A→B (3 + 5)/2 = 4, B→A 3.
    expect(modifiedHausdorff(pts(0, 0, 4, 0), pts(0, 3))).toBeCloseTo(4, 12);
    expect(modifiedHausdorff(pts(1, 2), pts(1, 2))).toBe(0);
  });
  it('is symmetric and infinite for an empty set', () => {
    const a = pts(0, 0, 2, 1, 5, 5);
    const b = pts(1, 1, 3, 3);
    expect(modifiedHausdorff(a, b)).toBeCloseTo(modifiedHausdorff(b, a), 12);
    expect(modifiedHausdorff(a, pts())).toBe(Infinity);
  });
});

describe('baseline classification', () => {
  const size = 3;
  // Class 0: a vertical bar in column 0; class 1: a horizontal bar in row 2.
  const vbar = [1, 0, 0, 1, 0, 0, 1, 0, 0];
  const hbar = [0, 0, 0, 0, 0, 0, 1, 1, 1];
  const query = [0, 1, 0, 0, 1, 0, 0, 1, 0]; // a vertical bar in column 1
  const ep: Episode = {
    nWay: 2,
    kShot: 1,
    qQuery: 1,
    imageSize: size,
    support: Float32Array.from([...vbar, ...hbar]),
    supportLabels: Int32Array.from([0, 1]),
    query: Float32Array.from(query),
    queryLabels: Int32Array.from([0]),
    classes: [],
    supportImages: Int32Array.from([-1, -1]),
    queryImages: Int32Array.from([-1]),
  };

  it('pixel nearest neighbour: distances and the hard decision', () => {
    // ‖q − vbar‖² = 6 (no overlap), ‖q − hbar‖² = 4 (they share (1, 2)): pixels prefer the wrong class.
    expect(pixelDistance(ep.query, 0, ep.support, 0, 9)).toBeCloseTo(Math.sqrt(6), 6);
    const c = classifyBaselineEpisode('pixel-nn', ep);
    expect(Array.from(c.distances!)).toEqual([Math.fround(Math.sqrt(6)), Math.fround(2)]);
    expect(Array.from(c.predicted)).toEqual([1]);
    expect(Array.from(c.probs)).toEqual([0, 1]);
  });

  it('MHD: hand-computed class distances on ink points', () => {
    expect(Array.from(inkPoints(ep.query, 0, size))).toEqual([1, 0, 1, 1, 1, 2]);
    const c = classifyBaselineEpisode('mhd', ep);
    // vbar: every point is 1 away both ways → 1. hbar: q→h (2 + 1 + 0)/3 = 1, h→q (1 + 0 + 1)/3 = 2/3 → max 1.
    expect(c.distances![0]).toBeCloseTo(1, 6);
    expect(c.distances![1]).toBeCloseTo(1, 6);
  });
});
