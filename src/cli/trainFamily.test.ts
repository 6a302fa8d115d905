import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, metaplay } from './runCli';

const shared = (name: string) => path.resolve(__dirname, '../../../shared/omniglot', name);
const small1 = shared('images_background_small1.zip');
const small2 = shared('images_background_small2.zip');

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
  ])('rejects %j with exit code 2', (args) => expectUsageError(args));
});

describe('metaplay train --task omniglot (issue #6)', () => {
  it('trains ADML on synthetic character episodes and reports accuracy with a 95% interval (clean and adversarial)', async () => {
    const r = await metaplay(['train', 'adml', '--task', 'omniglot', '--steps', '2', '--width', '4', '--meta-batch', '2', '--way', '3', '--eval-episodes', '4', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
    expect(out).toMatchObject({ algorithm: 'adml', task: 'omniglot', source: 'synthetic', steps: 2, ways: 3, backend: 'wasm' });
    for (const key of ['accuracy', 'ci95', 'adversarial_accuracy', 'adversarial_ci95', 'steps_per_s']) expect(out).toHaveProperty(key);
  });

  it.each([
    ['maml-ga', []],
    ['reptile-ga', ['--inner-steps', '2']],
  ])('%s: reports the last step’s agreement weights (Σ|wᵢ| = 1, one per task)', async (alg, extra) => {
    const r = await metaplay(['train', alg, '--task', 'omniglot', '--steps', '1', '--width', '4', '--meta-batch', '3', '--way', '3', '--eval-episodes', '2', ...extra, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
    expect(out).toMatchObject({ algorithm: alg, task: 'omniglot', steps: 1 });
    expect(out.last_task_weights).toHaveLength(3);
    expect(out.last_task_weights.reduce((s: number, w: number) => s + Math.abs(w), 0)).toBeCloseTo(1, 3);
  });

  it('taml-ineq --measure gini trains and evaluates', async () => {
    const r = await metaplay(['train', 'taml-ineq', '--task', 'omniglot', '--measure', 'gini', '--lambda', '0.5', '--steps', '1', '--width', '4', '--meta-batch', '2', '--way', '3', '--eval-episodes', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
    expect(out).toMatchObject({ algorithm: 'taml-ineq', task: 'omniglot', steps: 1 });
    expect(Number.isFinite(out.final_meta_loss)).toBe(true);
  });

  it('caml: trains with its context flags and reports them with accuracy and ci95', async () => {
    const r = await metaplay(['train', 'caml', '--task', 'omniglot', '--context-size', '8', '--context-alpha', '0.5', '--film-block', '2', '--steps', '1', '--width', '4', '--meta-batch', '2', '--way', '3', '--eval-episodes', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
    expect(out).toMatchObject({ algorithm: 'caml', task: 'omniglot', steps: 1, context_size: 8, context_alpha: 0.5, film_block: 2 });
    for (const key of ['accuracy', 'ci95']) expect(out).toHaveProperty(key);
  });

  it('daml: reports the accuracy with and without the learned-loss steps', async () => {
    const r = await metaplay(['train', 'daml', '--task', 'omniglot', '--adapt-hidden', '6', '--learned-steps', '2', '--learned-alpha', '0.05', '--steps', '1', '--width', '4', '--meta-batch', '2', '--way', '3', '--eval-episodes', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
    expect(out).toMatchObject({ algorithm: 'daml', task: 'omniglot', steps: 1, learned_steps: 2, learned_alpha: 0.05 });
    for (const key of ['accuracy', 'ci95', 'accuracy_without_learned_steps', 'ci95_without_learned_steps']) expect(out).toHaveProperty(key);
  });

  it.skipIf(!existsSync(small1) || !existsSync(small2))('--eval-data: evaluates on a second subset without the alphabets it trained on (skipped without ../shared/omniglot)', async () => {
    const r = await metaplay(['train', 'maml', '--task', 'omniglot', '--data', small1, '--eval-data', small2, '--steps', '1', '--width', '4', '--meta-batch', '1', '--eval-episodes', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
    // small2 holds Greek, Japanese (katakana), Latin, Sanskrit, Tagalog; Greek and Latin are in small1 too.
    expect(out).toMatchObject({ source: 'omniglot', eval_alphabets: ['Japanese_(katakana)', 'Sanskrit', 'Tagalog'] });
  });

  it('--preset paper: Finn et al.’s Omniglot settings, flags given still win', async () => {
    const r = await metaplay(['train', 'maml', '--task', 'omniglot', '--preset', 'paper', '--steps', '0', '--width', '4', '--eval-episodes', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
    expect(out).toMatchObject({ preset: 'paper', meta_batch: 32, ways: 5, shots: 1, width: 4 });
    expect(r.stderr).toContain('Finn');
  });

  it.each([
    [['train', 'adml', '--task', 'omniglot', '--preset', 'paper']],
    [['train', 'maml', '--task', 'omniglot', '--preset', 'book']],
    [['train', 'maml', '--task', 'omniglot', '--eval-data', 'x.zip']],
    [['train', 'daml', '--task', 'omniglot', '--preset', 'paper']],
    [['train', 'caml', '--task', 'omniglot', '--learned-steps', '2']],
    [['train', 'daml', '--task', 'omniglot', '--context-size', '8']],
    [['train', 'maml', '--task', 'omniglot', '--film-block', '2']],
    [['train', 'caml', '--task', 'omniglot', '--film-block', '5']],
    [['train', 'reptile', '--task', 'omniglot', '--lambda', '1']],
    [['train', 'taml-ineq', '--task', 'omniglot', '--measure', 'atkinson']],
    [['train', 'maml-ga', '--task', 'omniglot', '--measure', 'gini']],
    [['train', 'adml', '--task', 'sine']],
    [['train', 'maml', '--task', 'omniglot', '--way', '1']],
    [['train', 'maml', '--task', 'omniglot', '--width', '0']],
  ])('rejects %j with exit code 2', (args) => expectUsageError(args));

  it('names the algorithms a refused flag is for, and lists them in the usage (from the schema)', async () => {
    const r = await metaplay(['train', 'caml', '--task', 'omniglot', '--epsilon', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--epsilon only applies to reptile, reptile-ga');
    const help = await metaplay(['--help']);
    expect(help.stdout + help.stderr).toMatch(/\[--film-block N\] \(caml\)/);
  });
});
