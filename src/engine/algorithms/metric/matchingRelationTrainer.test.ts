import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../core/checkpoint';
import { useCpu } from '../../core/ops/testUtil';
import { EpisodeSampler, generateSyntheticDataset } from '../../tasks/characters';
import { metricConfigFor } from './registry';
import { MetricTrainer } from './trainer';
import type { MetricConfig } from './types';

beforeAll(useCpu);

/** Matching and relation networks through the shared trainer on (tiny) character episodes. */
describe('matching and relation networks in MetricTrainer', () => {
  const dataset = generateSyntheticDataset({ seed: 2, alphabets: 3, charactersPerAlphabet: 5, drawersPerCharacter: 10 });
  const cases: [string, Partial<MetricConfig> & { method: 'matching' | 'relation' }, string][] = [
    ['matching', { method: 'matching', fce: false }, 'conv1_w'],
    ['matching with FCE', { method: 'matching', fce: true, fceSteps: 2 }, 'fce_att_kernel'],
    ['relation', { method: 'relation' }, 'rel_w1'],
  ];
  for (const [label, extra, ownParam] of cases)
    it(`${label}: steps update its own module, classify gives the reason, no leaks, checkpoints round-trip`, () => {
      const cfg = metricConfigFor(extra.method, { ways: 3, shots: 2, queries: 2, width: 4, ...extra });
      const t = new MetricTrainer(cfg);
      const sampler = new EpisodeSampler(dataset, t.episodeSpec(), 3);
      const first = t.step(sampler.next());
      tf.dispose([first.loss, first.accuracy]);
      const n0 = tf.memory().numTensors;
      const index = t.params().specs.findIndex((s) => s.name === ownParam);
      const before = Float32Array.from(t.params().values[index]);
      const r = t.step(sampler.next());
      expect(Number.isFinite(r.loss.dataSync()[0])).toBe(true);
      const acc = r.accuracy.dataSync()[0];
      expect(acc).toBeGreaterThanOrEqual(0);
      expect(acc).toBeLessThanOrEqual(1);
      tf.dispose([r.loss, r.accuracy]);
      expect(t.params().values[index].some((x, j) => x !== before[j])).toBe(true);

      const ep = sampler.next();
      const c = t.classify(ep);
      expect(tf.memory().numTensors).toBe(n0);
      expect(c.queries).toBe(6);
      for (let q = 0; q < 6; q++) expect(c.probs.slice(q * 3, q * 3 + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (cfg.method === 'matching') {
        expect(c.shapes.attention).toEqual([6, 6]);
        // Without FCE the probabilities are the attention sums per class (class-major support, 2 shots).
        const a = c.attention!;
        expect(c.probs[0]).toBeCloseTo(a[0] + a[1], 5);
      } else {
        expect(c.shapes.relations).toEqual([6, 3]);
        expect(c.shapes.prototypes).toEqual([3, 4]);
      }

      const restored = MetricTrainer.fromCheckpoint(parseCheckpoint(JSON.stringify(t.checkpoint())));
      const again = restored.classify(ep);
      Array.from(again.probs).forEach((p, i) => expect(p).toBeCloseTo(c.probs[i], 5));
      restored.dispose();
      t.dispose();
    });

  it('a matching checkpoint saved before the cosine scale existed loads as the unscaled paper form', () => {
    const t = new MetricTrainer(metricConfigFor('matching', { ways: 3, shots: 1, queries: 2, width: 4, cosineScale: false }));
    const ep = new EpisodeSampler(dataset, t.episodeSpec(), 4).next();
    const c = t.classify(ep);
    const old = t.checkpoint();
    delete (old.config as Record<string, unknown>).cosineScale;
    const restored = MetricTrainer.fromCheckpoint(parseCheckpoint(JSON.stringify(old)));
    expect(restored.cfg.cosineScale).toBe(false);
    Array.from(restored.classify(ep).probs).forEach((p, i) => expect(p).toBeCloseTo(c.probs[i], 5));
    // A new matching model has the scale by default, and it trains.
    const scaled = new MetricTrainer(metricConfigFor('matching', { ways: 3, shots: 1, queries: 2, width: 4 }));
    expect(scaled.cfg.cosineScale).toBe(true);
    const i = scaled.params().specs.findIndex((s) => s.name === 'matching_scale');
    const r = scaled.step(ep);
    tf.dispose([r.loss, r.accuracy]);
    expect(scaled.params().values[i][0]).not.toBe(10);
    [t, restored, scaled].forEach((x) => x.dispose());
  });
});
