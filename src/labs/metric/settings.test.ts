import { describe, expect, it } from 'vitest';
import { METRIC_LINK } from '../../engine/algorithms/metric/settings';
import { METRIC_FIELDS } from '../../engine/settings/metric';
import { en } from '../../i18n/messages';
import { DEFAULT_METRIC_SETTINGS, metricLinkParams, parseMetricLink, trainingKey, type MetricLink } from './settings';

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

  // Links in the format of the lab before the settings schema, with the settings the old codec read (pasted from its output).
  const OLD_LINKS: [string, MetricLink][] = [
    [
      'method=siamese&ways=12&shots=3&width=16&seed=42&episodes=500&loss=triplet&cov=diagonal&transform=learned&semi=masked&fce=1&scale=0&data=omniglot',
      { settings: { method: 'siamese', ways: 12, shots: 3, width: 16, seed: 42, episodes: 500, siameseLoss: 'triplet', covariance: 'diagonal', transform: 'learned', semiVariant: 'masked', fce: true, cosineScale: false, source: 'omniglot' }, invalid: [] },
    ],
    [
      'method=matching&ways=20&shots=10&width=64&seed=2147483647&episodes=100000&loss=contrastive&cov=radius&transform=sigmoid4&semi=distractor&fce=true&scale=false&data=synthetic',
      { settings: { method: 'matching', ways: 20, shots: 10, width: 64, seed: 2147483647, episodes: 100000, siameseLoss: 'contrastive', covariance: 'radius', transform: 'sigmoid4', semiVariant: 'distractor', fce: true, cosineScale: false, source: 'synthetic' }, invalid: [] },
    ],
    [
      'method=knn&ways=21&shots=0&width=48&seed=-1&episodes=9&loss=hinge&cov=full&transform=relu&semi=kmeans&fce=yes&scale=2&data=mnist',
      { settings: { method: 'protonet', ways: 5, shots: 1, width: 32, seed: 0, episodes: 2000, siameseLoss: 'contrastive', covariance: 'radius', transform: 'softplus', semiVariant: 'soft-kmeans', fce: false, cosineScale: true, source: 'synthetic' }, invalid: ['method', 'ways', 'shots', 'width', 'seed', 'episodes', 'loss', 'cov', 'transform', 'semi', 'fce', 'scale', 'data'] },
    ],
    [
      'ways=2.5&shots=&width=32.0&seed=1e3&episodes=1e4',
      { settings: { method: 'protonet', ways: 5, shots: 1, width: 32, seed: 1000, episodes: 10000, siameseLoss: 'contrastive', covariance: 'radius', transform: 'softplus', semiVariant: 'soft-kmeans', fce: false, cosineScale: true, source: 'synthetic' }, invalid: ['ways', 'shots', 'width'] },
    ],
    [
      '',
      { settings: { method: 'protonet', ways: 5, shots: 1, width: 32, seed: 0, episodes: 2000, siameseLoss: 'contrastive', covariance: 'radius', transform: 'softplus', semiVariant: 'soft-kmeans', fce: false, cosineScale: true, source: 'synthetic' }, invalid: [] },
    ],
  ];

  it('reads links saved before the schema as it did', () => {
    for (const [link, expected] of OLD_LINKS) expect(parseMetricLink(new URLSearchParams(link)), link).toEqual(expected);
  });

  it('writes the same link names in the same order', () => {
    expect(metricLinkParams(DEFAULT_METRIC_SETTINGS).toString()).toBe(
      'method=protonet&ways=5&shots=1&width=32&seed=0&episodes=2000&loss=contrastive&cov=radius&transform=softplus&semi=soft-kmeans&fce=0&scale=1&data=synthetic',
    );
  });

  it('retrains a method for its own settings and the shared ones, never for the budget', () => {
    const base = { ...DEFAULT_METRIC_SETTINGS, method: 'siamese' as const };
    expect(trainingKey({ ...base, episodes: 500 })).toBe(trainingKey(base));
    expect(trainingKey({ ...base, siameseLoss: 'triplet' })).not.toBe(trainingKey(base));
    expect(trainingKey({ ...base, source: 'omniglot' })).not.toBe(trainingKey(base));
    for (const change of [{ covariance: 'diagonal' }, { transform: 'learned' }, { semiVariant: 'masked' }, { fce: true }, { cosineScale: false }] as const)
      expect(trainingKey({ ...base, ...change }), JSON.stringify(change)).toBe(trainingKey(base));
    const gauss = { ...DEFAULT_METRIC_SETTINGS, method: 'gaussian-protonet' as const };
    expect(trainingKey({ ...gauss, transform: 'learned' })).not.toBe(trainingKey(gauss));
    const semi = { ...DEFAULT_METRIC_SETTINGS, method: 'semi-protonet' as const };
    expect(trainingKey({ ...semi, semiVariant: 'masked' })).not.toBe(trainingKey(semi));
    const matching = { ...DEFAULT_METRIC_SETTINGS, method: 'matching' as const };
    expect(trainingKey({ ...matching, cosineScale: false })).not.toBe(trainingKey(matching));
    for (const m of ['protonet', 'matching', 'relation'] as const) expect(trainingKey({ ...base, method: m })).not.toBe(trainingKey(base));
  });

  it('names a help text of the catalogue for every setting', () => {
    for (const f of [...Object.values(METRIC_LINK), ...Object.values(METRIC_FIELDS)]) expect(Object.keys(en)).toContain(f.help);
  });
});
