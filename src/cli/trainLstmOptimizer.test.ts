import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, lastJson, metaplay } from './runCli';

describe('metaplay train lstm-optimizer --task quadratic', () => {
  it('trains, reports the learned and the tuned baselines at the horizon and twice it, and saves a checkpoint that loads back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metaplay-lstmopt-'));
    const file = path.join(dir, 'opt.json');
    const args = ['--task', 'quadratic', '--batch', '2', '--unroll', '3', '--horizon', '6', '--seed', '3', '--json'];
    const r = await metaplay(['train', 'lstm-optimizer', '--steps', '4', ...args, '--save', file]);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({ algorithm: 'lstm-optimizer', task: 'quadratic', steps: 4, seed: 3, unroll: 3, horizon: 6, preprocess: 'log-sign', second_order: false, eval_functions: 100 });
    expect(Object.keys(out.baselines)).toEqual(['sgd', 'momentum', 'rmsprop', 'adam', 'nag']);
    for (const b of Object.values(out.baselines) as { lr: number; final_loss: number; final_loss_2x: number }[]) {
      expect(b.lr).toBeGreaterThan(0);
      expect(Number.isFinite(b.final_loss) && Number.isFinite(b.final_loss_2x)).toBe(true);
    }
    expect(Number.isFinite(out.final_loss) && Number.isFinite(out.final_loss_2x) && out.steps_per_s > 0).toBe(true);
    expect(r.stderr).toContain('step 4/4');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'metaplay-checkpoint', algorithm: 'lstm-optimizer', task: 'quadratic', step: 4 });
    // Loading keeps the checkpoint's settings and parameters: zero further steps evaluate the same.
    const again = await metaplay(['train', 'lstm-optimizer', '--steps', '0', '--load', file, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(lastJson(again.stdout)).toMatchObject({ final_loss: out.final_loss, final_loss_2x: out.final_loss_2x, baselines: out.baselines, horizon: 6 });
  }, 120_000);

  it.each([
    [['train', 'lstm-optimizer', '--task', 'omniglot']],
    [['train', 'lstm-optimizer', '--preprocess', 'cubic']],
    [['train', 'lstm-optimizer', '--unroll', '0']],
    [['train', 'lstm-optimizer', '--wat']],
  ])('rejects %j with exit code 2', (args) => expectUsageError(args));
});
