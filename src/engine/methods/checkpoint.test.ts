import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../core/checkpoint';
import { parseCheckpoint } from './checkpoint';

const fixture = (path: string): Record<string, unknown> & { config: Record<string, unknown> } =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../', path), 'utf8')) as Record<string, unknown> & { config: Record<string, unknown> };
const FIXTURES = ['cli/fixtures/sine-maml.json', 'cli/fixtures/sine-reptile.json', 'cli/fixtures/sine-metasgd.json', 'cli/fixtures/copy-ntm.json', 'engine/algorithms/metric/fixtures/protonet-w16.json'];

/** A saved checkpoint with some config fields changed, as a crafted file would be. */
function withConfig(path: string, config: Record<string, unknown>): string {
  const c = fixture(path);
  return JSON.stringify({ ...c, config: { ...c.config, ...config } });
}

describe('checkpoint configs are checked against their declared settings', () => {
  it('checkpoints saved by earlier versions still load', () => {
    for (const path of FIXTURES) expect(() => parseCheckpoint(readFileSync(resolve(import.meta.dirname, '../../', path), 'utf8')), path).not.toThrow();
  });

  it('refuses an absurd encoder width, naming the field and its range, before a model is built', () => {
    const text = withConfig('engine/algorithms/metric/fixtures/protonet-w16.json', { width: 1e9 });
    expect(() => parseCheckpoint(text)).toThrow(CheckpointError);
    expect(() => parseCheckpoint(text)).toThrow('This protonet checkpoint cannot be loaded: its config asks for width = 1000000000, but width must be a whole number from 1 to 256.');
  });

  it('refuses absurd sizes in each family that declares them, within the CLI’s wider range otherwise', () => {
    expect(() => parseCheckpoint(withConfig('cli/fixtures/copy-ntm.json', { batch: 1e9 }))).toThrow(/ntm checkpoint cannot be loaded: its config asks for batch = 1000000000, but batch must be a whole number from 1 to 1024/);
    expect(() => parseCheckpoint(withConfig('cli/fixtures/sine-maml.json', { metaBatch: 5e8 }))).toThrow(/metaBatch = 500000000, but metaBatch must be a whole number from 1 to 10000/);
    expect(() => parseCheckpoint(withConfig('cli/fixtures/sine-maml.json', { k: 2.5 }))).toThrow(/k = 2.5/);
    // A value only the CLI accepts (K = 500 > the page's 100) is one a run could have saved.
    expect(parseCheckpoint(withConfig('cli/fixtures/sine-maml.json', { k: 500 })).config.k).toBe(500);
    const mann = JSON.stringify({ ...fixture('cli/fixtures/copy-ntm.json'), algorithm: 'mann', task: 'omniglot', config: { batch: 2048 } });
    expect(() => parseCheckpoint(mann)).toThrow(/mann checkpoint cannot be loaded: its config asks for batch = 2048/);
    // The gradient-based family on characters and the LSTM optimiser: the same one reader.
    const conv = JSON.stringify({ ...fixture('cli/fixtures/copy-ntm.json'), algorithm: 'maml', task: 'omniglot', config: { width: 1e9 } });
    expect(() => parseCheckpoint(conv)).toThrow(/maml checkpoint cannot be loaded: its config asks for width = 1000000000, but width must be a whole number from 1 to 128/);
    const lstm = JSON.stringify({ ...fixture('cli/fixtures/copy-ntm.json'), algorithm: 'lstm-optimizer', task: 'quadratic', config: { batch: 1e9 } });
    expect(() => parseCheckpoint(lstm)).toThrow(/lstm-optimizer checkpoint cannot be loaded: its config asks for batch = 1000000000/);
  });
});
