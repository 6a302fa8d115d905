import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SYNTHETIC_CONFIG, EpisodeSampler, generateSyntheticDataset } from '../engine/tasks/characters';
import { createFamilySession } from './familySession';
import { init, serve } from './hostTestUtil';

const example = (name: string) => readFileSync(path.resolve(__dirname, '../../public/examples', name), 'utf8');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The family card's session on the real host: the shipped checkpoints load, adapt to a given episode, and survive a backend switch (issue 16). */
describe('family session: loading a trained net', () => {
  it('loads the shipped MAML (its settings win), classifies an episode, keeps the net across a backend switch, refuses a sine file', async () => {
    const { send, of } = serve(createFamilySession, 1);
    const ds = generateSyntheticDataset({ ...DEFAULT_SYNTHETIC_CONFIG, alphabets: 6, charactersPerAlphabet: 6, drawersPerCharacter: 8 });

    send(init({ algorithm: 'adml', ways: 3, shots: 1, width: 8, metaBatch: 2, alpha: 0.4, innerSteps: 1, tamlLambda: 0.1, tamlMeasure: 'theil', seed: 0 }));
    send({ type: 'data', data: { source: 'synthetic', imageSize: ds.imageSize, alphabets: ds.alphabets, characters: ds.characters, pixels: ds.pixels } });
    send({ type: 'loadCheckpoint', text: example('sine-maml-2000.json'), fileName: 'sine.json' });
    await vi.waitFor(() => expect(of('notice').map((m) => m.key)).toContain('noticeCheckpointRefused'), { timeout: 30_000 });

    send({ type: 'loadCheckpoint', text: example('maml-omniglot.json'), fileName: 'maml-omniglot.json' });
    await vi.waitFor(() => expect(of('checkpointLoaded')).toHaveLength(1), { timeout: 60_000 });
    // The net's shape and rates come from the checkpoint; the card's episodes per step stay.
    expect(of('checkpointLoaded')[0]).toMatchObject({ algorithm: 'maml', settings: { algorithm: 'maml', ways: 5, width: 32, alpha: 0.4, innerSteps: 1, metaBatch: 2 } });
    const step = of('checkpointLoaded')[0].step as number;
    await vi.waitFor(() => expect(of('snapshot').some((m) => (m.accuracy as { step: number } | undefined)?.step === step)).toBe(true), { timeout: 60_000 });

    const episode = new EpisodeSampler(ds, { nWay: 5, kShot: 1, qQuery: 2, split: 'evaluation' }, 3).next();
    send({ type: 'classifyDrawn', episode });
    await vi.waitFor(() => expect(of('drawnResult')).toHaveLength(1), { timeout: 30_000 });
    const result = of('drawnResult')[0].result as { predictions: Int32Array; step: number; accuracy: number };
    expect(result.predictions).toHaveLength(10);
    expect(result.step).toBe(step);
    send({ type: 'classifyDrawn', episode: new EpisodeSampler(ds, { nWay: 3, kShot: 1, qQuery: 1, split: 'evaluation' }, 3).next() });
    await vi.waitFor(() => expect(of('notice').map((m) => m.key)).toContain('famDrawnWays'));

    // A backend switch rebuilds the session from its state: the loaded net and its step count stay.
    const before = of('snapshot').length;
    send({ type: 'setBackend', backend: 'cpu' });
    await vi.waitFor(() => expect(of('snapshot').length).toBeGreaterThan(before), { timeout: 60_000 });
    expect(of('snapshot').at(-1)!.step).toBe(step);
    expect(of('backend')).toHaveLength(2);
  }, 180_000);
});
