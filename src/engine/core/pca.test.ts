import { describe, expect, it } from 'vitest';
import { pca2, project, projectedEllipse } from './pca';

describe('pca2', () => {
  // Points on a cross in 3-D: ±3 along (1,1,0)/√2 and ±1 along z, variances 4.5 and 0.5.
  const s = Math.SQRT1_2;
  const pts = [3 * s, 3 * s, 0, -3 * s, -3 * s, 0, 0, 0, 1, 0, 0, -1];

  it('finds the principal axes and their variances (hand-computed)', () => {
    const p = pca2(pts, 4, 3);
    expect(Math.abs(p.axes[0] * s + p.axes[1] * s)).toBeCloseTo(1, 6);
    expect(Math.abs(p.axes[5])).toBeCloseTo(1, 6);
    expect(p.variances[0]).toBeCloseTo(4.5, 6); // (9 + 9) / 4
    expect(p.variances[1]).toBeCloseTo(0.5, 6); // (1 + 1) / 4
    expect(p.explained).toBeCloseTo(1, 6);
    const xy = project(p, pts, 4);
    expect(Math.abs(xy[0])).toBeCloseTo(3, 6);
    expect(xy[1]).toBeCloseTo(0, 6);
    expect(Math.abs(xy[5])).toBeCloseTo(1, 6);
  });

  it('keeps the orientation of the previous axes (no mirroring between snapshots)', () => {
    const first = pca2(pts, 4, 3);
    const flipped = Float64Array.from(first.axes, (v) => -v);
    const again = pca2(pts, 4, 3, flipped);
    for (let j = 0; j < 6; j++) expect(again.axes[j]).toBeCloseTo(flipped[j], 6);
  });

  it('handles points with no spread', () => {
    const p = pca2([1, 2, 1, 2], 2, 2);
    expect(p.variances).toEqual([0, 0]);
    expect(Math.hypot(p.axes[0], p.axes[1])).toBeCloseTo(1, 9);
    expect(p.axes[0] * p.axes[2] + p.axes[1] * p.axes[3]).toBeCloseTo(0, 9);
  });

  it('rejects a shape that does not match', () => {
    expect(() => pca2([1, 2, 3], 2, 2)).toThrow(RangeError);
  });
});

describe('projectedEllipse', () => {
  it('a radius Gaussian stays a circle of σ = √variance', () => {
    const p = pca2([2, 0, 0, -2, 0, 0, 0, 1, 0, 0, -1, 0], 4, 3);
    const [a, b] = projectedEllipse(p, [0.25]);
    expect(a).toBeCloseTo(0.5, 9);
    expect(b).toBeCloseTo(0.5, 9);
  });

  it('a diagonal Gaussian projects to the axes’ variances, rotated with them', () => {
    // Axes are x and y (up to sign); variance 4 along x, 1 along y, 9 along z (out of the plane).
    const p = pca2([2, 0, 0, -2, 0, 0, 0, 1, 0, 0, -1, 0], 4, 3);
    const [a, b, angle] = projectedEllipse(p, [4, 1, 9]);
    expect(a).toBeCloseTo(2, 9);
    expect(b).toBeCloseTo(1, 9);
    expect(Math.abs(Math.sin(angle))).toBeCloseTo(0, 9);
  });
});
