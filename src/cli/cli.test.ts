import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, lastJson, metaplay } from './runCli';

describe('metaplay CLI', () => {
  it('trains MAML on sine and prints the JSON result as the last stdout line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metaplay-'));
    const file = path.join(dir, 'maml.json');
    const r = await metaplay(['train', 'maml', '--task', 'sine', '--steps', '20', '--meta-batch', '5', '--seed', '3', '--save', file, '--json']);
    expect(r.code).toBe(0);
    const out = lastJson(r.stdout);
    for (const key of ['algorithm', 'task', 'steps', 'seed', 'backend', 'steps_per_s', 'mse_before', 'mse_after_1', 'mse_after_10'])
      expect(out).toHaveProperty(key);
    expect(out).toMatchObject({ algorithm: 'maml', task: 'sine', steps: 20, seed: 3, backend: 'cpu' });
    expect(r.stderr).toContain('step 20/20');
    // The saved file loads back and evaluates to the same numbers.
    const again = await metaplay(['train', 'maml', '--steps', '0', '--seed', '3', '--load', file, '--json']);
    expect(again.code).toBe(0);
    expect(lastJson(again.stdout).mse_after_1).toBe(out.mse_after_1);
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('metaplay-checkpoint');
  });

  it.each([
    [['train', 'maml', '--bogus']],
    [['train', 'maml', '--alpha', 'abc']],
    [['train', 'maml', '--steps', '-3']],
    [['train', 'maml', '--task', 'copy']],
    [['train', 'nosuch']],
    [['frobnicate']],
    [['train', 'maml', '--backend', 'cuda']],
  ])('rejects bad input %j with exit code 2 and a message', (args) => expectUsageError(args));

  it('refuses a corrupt checkpoint with exit code 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metaplay-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{"format":"metaplay-checkpoint","version":1,"algorithm":"maml","task":"sine","config":{},"params":[{"name":"w1","shape":[1,40],"data":"AAAAAAAAAAAAAAAA"}]}');
    const r = await metaplay(['train', 'maml', '--steps', '0', '--load', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot load .*do not fill shape/);
  });
});
