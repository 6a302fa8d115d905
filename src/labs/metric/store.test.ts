import { describe, expect, it } from 'vitest';
import { recentMean } from '../../ui/trainingStatus';
import { etaSeconds, formatDuration } from './store';

describe('metric lab progress', () => {
  it('ETA is the remaining steps at the measured rate', () => {
    expect(etaSeconds(500, 2000, 10)).toBe(150);
    expect(etaSeconds(2000, 2000, 10)).toBe(0);
    expect(etaSeconds(10, 2000, 0)).toBeNull();
  });
  it('formats durations', () => {
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(0.4)).toBe('0:00');
  });
  it('averages the recent values', () => {
    expect(recentMean([5, 1, 2, 3], 3)).toBe(2);
    expect(recentMean([])).toBeUndefined();
  });
});
