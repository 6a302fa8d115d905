import { describe, expect, it } from 'vitest';
import { niceTicks } from './LineChart';

describe('LineChart ticks', () => {
  it('round values; whole numbers only on an axis of counts', () => {
    expect(niceTicks(0, 1.5)).toEqual([0, 0.5, 1, 1.5]);
    // Training steps: whole numbers, never 0.5 or 2.5.
    expect(niceTicks(0, 1.5, 5, true)).toEqual([0, 1]);
    expect(niceTicks(0, 3, 5, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(1, 2, 5, true)).toEqual([1, 2]);
    expect(niceTicks(0, 12, 5, true)).toEqual([0, 5, 10]);
    expect(niceTicks(0, 365, 5, true)).toEqual([0, 100, 200, 300]);
  });
});
