import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSyntheticDataset, DEFAULT_SYNTHETIC_CONFIG } from '../engine/tasks/characters';
import { createFamilySession } from './familySession';
import { init, serve } from './hostTestUtil';
import { createMemorySession } from './memorySession';
import { createMetricSession } from './metricSession';
import type { MetricSettings } from './metricProtocol';
import { createSineSession } from './sineSession';
import type { SineSettings } from './sineProtocol';
import { createZeroShotLabSession } from './zeroShotSession';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SINE: SineSettings = { algorithm: 'maml', k: 10, alpha: 0.01, innerSteps: 1, metaLr: 0.001, metaBatch: 2, firstOrder: false, seed: 0, epsilon: 0.1, reptileMode: 'batched', innerOptimizer: 'sgd', contextAlpha: 1, tamlLambda: 0.1, tamlMeasure: 'theil' };

/**
 * Every lab's real session on the host, in Node on tfjs's CPU backend: init, single steps, views
 * and a backend switch that keeps the parameters. The page's e2e tests check the same in a browser;
 * these catch a session that breaks the host's contract without one.
 */
describe('every lab session on the host (tfjs CPU)', () => {
  it('sine: steps, adaptation and evaluation views, a checkpoint round trip, no tensor left behind on reset', async () => {
    const t = serve(createSineSession);
    t.send(init(SINE));
    t.send({ type: 'adapt', support: { xs: [0, 1], ys: [0, 0.5] }, alpha: 0.01 });
    t.send({ type: 'step' });
    t.send({ type: 'step' });
    const losses = () => t.of('snapshot').flatMap((m) => Array.from(m.mamlLoss as Float32Array));
    await vi.waitFor(() => expect(losses()).toHaveLength(2), { timeout: 20_000 });
    // The adaptation curves follow the new parameters; the (costlier) evaluation has shown the untrained ones.
    await vi.waitFor(() => expect(t.of('adaptation').length).toBeGreaterThan(1), { timeout: 20_000 });
    expect(t.of('evaluation')[0]).toMatchObject({ step: 0 });
    t.send({ type: 'saveCheckpoint', model: 'maml' });
    await vi.waitFor(() => expect(t.of('checkpoint')).toHaveLength(1));
    t.send({ type: 'loadCheckpoint', text: t.of('checkpoint')[0].text, fileName: 'm.json' });
    await vi.waitFor(() => expect(t.of('checkpointLoaded')).toHaveLength(1));
    // Two resets in a row leave the same number of tensors: the old models are freed.
    const counts: number[] = [];
    for (const n of [1, 2]) {
      const evaluations = t.of('evaluation').length;
      t.send({ type: 'reset', settings: SINE });
      await vi.waitFor(() => expect([t.of('reset').length, t.of('evaluation').length > evaluations]).toEqual([n, true]), { timeout: 20_000 });
      await new Promise((r) => setTimeout(r, 50));
      counts.push(tf.memory().numTensors);
    }
    expect(counts[1]).toBe(counts[0]);
  }, 60_000);

  it('zero-shot: the first evaluation, a step and the query view', async () => {
    const t = serve(createZeroShotLabSession);
    t.send(init(null));
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.of('snapshot').some((m) => (m.losses as Float32Array).length === 1)).toBe(true), { timeout: 20_000 });
    expect(t.of('snapshot')[0].evaluation).toMatchObject({ step: 0 });
    expect(t.of('view').length).toBeGreaterThan(0);
  }, 60_000);

  it('memory: the copy task steps, draws its trace, and keeps its parameters across a backend switch', async () => {
    const t = serve(createMemorySession);
    t.send(init({ task: 'copy', settings: { model: 'ntm', preset: 'small', controller: 'ff', maxLength: 3, lr: 3e-3, batch: 2, seed: 0 } }));
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.of('trace').length).toBeGreaterThan(0), { timeout: 20_000 });
    t.send({ type: 'setBackend', backend: 'cpu' });
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.of('snapshot').at(-1)!.step).toBe(2), { timeout: 20_000 });
  }, 60_000);

  it('family card: waits for its data, then trains one step and shows the attacked episode', async () => {
    const ds = generateSyntheticDataset({ ...DEFAULT_SYNTHETIC_CONFIG, alphabets: 3, charactersPerAlphabet: 4, drawersPerCharacter: 6 });
    const t = serve(createFamilySession, 1);
    t.send(init({ algorithm: 'maml', ways: 3, shots: 1, width: 8, metaBatch: 1, alpha: 0.4, innerSteps: 1, tamlLambda: 0.1, tamlMeasure: 'theil', seed: 0 }));
    t.send({ type: 'step' });
    t.send({ type: 'data', data: { source: 'synthetic', imageSize: ds.imageSize, alphabets: ds.alphabets, characters: ds.characters, pixels: ds.pixels } });
    await vi.waitFor(() => expect(t.posted.filter((m) => m.type === 'ready' || m.type === 'notice').map((m) => m.type === 'notice' ? JSON.stringify(m.params) : m.type)).toEqual(['ready']), { timeout: 20_000 });
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.of('snapshot').some((m) => (m.losses as number[]).length === 1)).toBe(true), { timeout: 30_000 });
    expect(t.of('view').length).toBeGreaterThan(0);
  }, 90_000);

  it('metric: a protonet step, the embedding view, a per-method reset that keeps the other method', async () => {
    const proto: MetricSettings = { method: 'protonet', ways: 3, shots: 1, width: 16, seed: 0, episodes: 100, siameseLoss: 'contrastive', covariance: 'radius', transform: 'softplus', semiVariant: 'soft-kmeans', fce: false, cosineScale: true, source: 'synthetic' };
    const t = serve(createMetricSession);
    t.send(init(proto));
    t.send({ type: 'step' });
    await vi.waitFor(() => expect(t.of('snapshot').some((m) => (m.trained as Record<string, number>).protonet === 1)).toBe(true), { timeout: 120_000 });
    await vi.waitFor(() => expect(t.of('embedding').length).toBeGreaterThan(0), { timeout: 20_000 });
    t.send({ type: 'configure', settings: { ...proto, method: 'matching' } });
    t.send({ type: 'step' });
    t.send({ type: 'reset', settings: { ...proto, method: 'matching' } });
    await vi.waitFor(() => expect(t.of('reset').at(-1)).toMatchObject({ method: 'matching' }), { timeout: 20_000 });
    await vi.waitFor(() => expect(t.of('snapshot').at(-1)!.trained).toEqual({ protonet: 1, matching: 0 }), { timeout: 20_000 });
    expect(t.of('methods')[0].available).toContain('protonet');
  }, 180_000);
});
