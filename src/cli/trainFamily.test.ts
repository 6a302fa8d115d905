import { describe, expect, it } from 'vitest';
import { metaplay } from './runCli';

describe('metaplay train: the gradient-based family on sine (issue #6)', () => {
  it('trains Reptile (serial, paper preset) and reports the same JSON keys as MAML', async () => {
    const r = await metaplay(['train', 'reptile', '--task', 'sine', '--preset', 'paper', '--steps', '3', '--meta-batch', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
    for (const key of ['algorithm', 'task', 'steps', 'seed', 'backend', 'steps_per_s', 'mse_before', 'mse_after_1', 'mse_after_10']) expect(out).toHaveProperty(key);
    expect(out).toMatchObject({ algorithm: 'reptile', task: 'sine', steps: 3, preset: 'paper' });
    expect(r.stderr).toContain('Nichol');
  });

  it.each([
    [['train', 'maml', '--epsilon', '0.5']],
    [['train', 'reptile', '--reptile-mode', 'sideways']],
    [['train', 'taml', '--measure', 'atkinson']],
    [['train', 'caml', '--preset', 'book']],
    [['train', 'daml', '--task', 'copy']],
  ])('rejects %j with exit code 2', async (args) => {
    const r = await metaplay(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/metaplay: .+/);
  });
});
