import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, metaplay } from './runCli';

describe('metaplay train mann --task omniglot', () => {
  it('trains on the synthetic characters and reports accuracy by instance as the last stdout line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metaplay-mann-'));
    const file = path.join(dir, 'mann.json');
    const r = await metaplay(['train', 'mann', '--task', 'omniglot', '--steps', '1', '--batch', '2', '--eval-episodes', '10', '--backend', 'wasm', '--save', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
    expect(out).toMatchObject({ algorithm: 'mann', task: 'omniglot', data: 'synthetic', steps: 1, backend: 'wasm', eval_episodes: 10 });
    expect(Object.keys(out.accuracy_by_instance)).toEqual(['1', '2', '5', '10']);
    expect(out.accuracy_all_instances).toHaveLength(10);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'metaplay-checkpoint', algorithm: 'mann', task: 'omniglot' });
  });

  it.each([[['train', 'mann', '--task', 'copy']], [['train', 'mann', '--data', '/no/such/omniglot.zip']]])('rejects %j with exit code 2', (args) => expectUsageError(args));
});
