import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_SETTINGS, metricLinkParams, parseMetricLink, trainingKey } from './settings';

describe('metric lab link', () => {
  it('round-trips every setting', () => {
    const s = { ...DEFAULT_METRIC_SETTINGS, method: 'matching' as const, ways: 20, shots: 5, width: 64, fce: true, semiVariant: 'masked' as const, source: 'omniglot' as const };
    expect(parseMetricLink(metricLinkParams(s))).toEqual({ settings: s, invalid: [] });
  });

  it('replaces invalid values by defaults and names them', () => {
    const link = parseMetricLink(new URLSearchParams('method=knn&ways=1&width=48&fce=yes&shots=3'));
    expect(link.invalid.sort()).toEqual(['fce', 'method', 'ways', 'width']);
    expect(link.settings).toEqual({ ...DEFAULT_METRIC_SETTINGS, shots: 3 });
  });

  it('a method retrains only for its own settings', () => {
    const proto = { ...DEFAULT_METRIC_SETTINGS, method: 'protonet' as const };
    expect(trainingKey({ ...proto, fce: true })).toBe(trainingKey(proto));
    expect(trainingKey({ ...proto, shots: 5 })).not.toBe(trainingKey(proto));
    const matching = { ...proto, method: 'matching' as const };
    expect(trainingKey({ ...matching, fce: true })).not.toBe(trainingKey(matching));
  });
});
