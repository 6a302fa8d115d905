import { describe, expect, it } from 'vitest';
import { binned, runningMean } from './panels';

describe('metric curves', () => {
  it('running mean over a window', () => {
    expect(runningMean([2, 4, 6, 8], 2)).toEqual([2, 3, 5, 7]);
  });
  it('bins long curves into means, x = last step of the bin', () => {
    expect(binned([1, 3, 5, 7, 9], 2)).toEqual([
      { x: 3, y: 3 },
      { x: 5, y: 8 },
    ]);
    expect(binned([4, 2], 10)).toEqual([
      { x: 1, y: 4 },
      { x: 2, y: 2 },
    ]);
  });
});
