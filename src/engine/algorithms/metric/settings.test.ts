import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../core/checkpoint';
import { useCpu } from '../../core/ops/testUtil';
import { EpisodeSampler, generateSyntheticDataset } from '../../tasks/characters';
import { metricConfigFor } from './registry';
import { METRIC_LINK, metricConfigFromSettings, settingsFromMetricConfig, type MetricSettings } from './settings';
import { defaultsOf } from '../../settings/schema';
import { MetricTrainer } from './trainer';

const PAGE: MetricSettings = defaultsOf(METRIC_LINK);

describe('metric settings ↔ config', () => {
  it('gives a trainer the link fields on top of the method defaults, as the worker did by hand', () => {
    const s: MetricSettings = { ...PAGE, method: 'siamese', ways: 7, shots: 3, width: 16, seed: 9, siameseLoss: 'triplet', fce: true, cosineScale: false, episodes: 50, source: 'omniglot' };
    expect(metricConfigFromSettings(s)).toEqual(
      metricConfigFor('siamese', { ways: 7, shots: 3, width: 16, seed: 9, siameseLoss: 'triplet', covariance: 'radius', transform: 'softplus', semiVariant: 'soft-kmeans', fce: true, cosineScale: false }),
    );
    // Config-only fields keep the method's defaults (siamese: 2 queries).
    expect(metricConfigFromSettings(s).queries).toBe(2);
    expect(metricConfigFromSettings(s, 'relation').method).toBe('relation');
  });

  it('reads a checkpoint config back into the page settings, keeping the page width when it offers not the checkpoint one', () => {
    const cfg = metricConfigFor('matching', { ways: 60, shots: 5, width: 8, seed: 4, fce: true });
    expect(settingsFromMetricConfig(cfg, PAGE)).toEqual({ ...PAGE, method: 'matching', ways: 60, shots: 5, width: PAGE.width, seed: 4, fce: true, cosineScale: true });
    expect(settingsFromMetricConfig({ ...cfg, width: 64 }, PAGE).width).toBe(64);
  });
});

describe('a metric checkpoint saved by the CLI before the registry', () => {
  beforeAll(useCpu);

  it('still loads and classifies (fixtures/protonet-w16.json: `metaplay train protonet --episodes 2 --width 16 --seed 3 --save …`)', () => {
    const text = readFileSync(new URL('./fixtures/protonet-w16.json', import.meta.url), 'utf8');
    const t = MetricTrainer.fromCheckpoint(parseCheckpoint(text));
    expect(t.cfg).toMatchObject({ method: 'protonet', ways: 20, width: 16, seed: 3, cosineScale: false });
    expect(t.steps).toBe(2);
    const ds = generateSyntheticDataset({ alphabets: 2, charactersPerAlphabet: 5, drawersPerCharacter: 4, seed: 1 });
    const ep = new EpisodeSampler(ds, { ...t.episodeSpec(3, 1, 2), split: 'background' }, 1).next();
    const n0 = tf.memory().numTensors;
    const c = t.classify(ep);
    expect(tf.memory().numTensors).toBe(n0);
    expect(c.shapes.prototypes).toEqual([3, 16]);
    for (let q = 0; q < c.queries; q++) expect(c.probs.slice(q * 3, q * 3 + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Saving it again writes the same weights.
    const again = t.checkpoint();
    const old = parseCheckpoint(text);
    expect(again.params).toEqual(old.params);
    t.dispose();
  });
});
