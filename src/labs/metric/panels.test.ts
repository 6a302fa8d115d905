import { describe, expect, it } from 'vitest';
import { arenaChoices, binned, runningMean } from './panels';

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

describe('arena settings', () => {
  it("offers the papers' four settings and defaults to the training setting when it is one of them", () => {
    const c = arenaChoices(20, 5);
    expect(c.options).toEqual([[5, 1], [5, 5], [20, 1], [20, 5]]);
    expect(c.initial).toEqual([20, 5]);
  });
  it('adds an unusual training setting as a choice but compares on 5-way episodes by default', () => {
    // The shipped protonet was trained on 40-way 5-shot episodes: its arena defaults to 5-way 5-shot.
    const c = arenaChoices(40, 5);
    expect(c.options.at(-1)).toEqual([40, 5]);
    expect(c.initial).toEqual([5, 5]);
    expect(arenaChoices(10, 2).initial).toEqual([5, 1]);
  });
});
