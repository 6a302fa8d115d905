import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, lastJson, metaplay } from './runCli';

describe('metaplay train ntm|lstm --task copy', () => {
  it('trains, reports bit-error rates at the trained and at twice the length, and saves a checkpoint that loads back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metaplay-copy-'));
    const file = path.join(dir, 'ntm.json');
    const r = await metaplay(['train', 'ntm', '--task', 'copy', '--steps', '3', '--max-length', '2', '--eval-sequences', '10', '--seed', '4', '--save', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({ algorithm: 'ntm', task: 'copy', preset: 'small', steps: 3, seed: 4, trained_lengths: [1, 2] });
    expect(Object.keys(out.bit_error)).toEqual(['trained', 'max_length', 'double']);
    expect(Object.keys(out.bit_error_by_length)).toEqual(['1', '2', '4']);
    expect(r.stderr).toContain('step 3/3');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'metaplay-checkpoint', algorithm: 'ntm', task: 'copy', step: 3 });
    const again = await metaplay(['train', 'ntm', '--steps', '0', '--load', file, '--eval-sequences', '10', '--seed', '4', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(lastJson(again.stdout).bit_error).toEqual(out.bit_error);
    // A checkpoint of another model or task is the user's mistake: exit code 2, saying why.
    const wrongModel = await metaplay(['train', 'lstm', '--steps', '0', '--load', file]);
    expect(wrongModel.code).toBe(2);
    expect(wrongModel.stderr).toMatch(/holds a ntm model, not lstm/);
    const wrongTask = await metaplay(['train', 'mann', '--steps', '0', '--load', file]);
    expect(wrongTask.code).toBe(2);
    expect(wrongTask.stderr).toMatch(/holds ntm on copy, not mann on omniglot/);
  });

  it.each([
    [['train', 'ntm', '--task', 'sine']],
    [['train', 'lstm', '--controller', 'ff']],
    [['train', 'ntm', '--preset', 'huge']],
    [['train', 'lstm', '--wat']],
  ])('rejects %j with exit code 2', (args) => expectUsageError(args));
});
