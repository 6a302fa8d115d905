import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, metaplay } from './runCli';

const example = (name: string) => path.resolve(__dirname, '../../public/examples', name);

/** `metaplay train <alg> --task omniglot --load / --init`: the shipped checkpoints evaluate, others are refused (issue 16). */
describe('metaplay train --task omniglot from a checkpoint', () => {
  it('--steps 0 --load evaluates the shipped MAML with its own settings', async () => {
    const r = await metaplay(['train', 'maml', '--task', 'omniglot', '--steps', '0', '--load', example('maml-omniglot.json'), '--eval-episodes', '20', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    for (const key of ['accuracy', 'ci95', 'eval_episodes', 'eval_steps', 'loaded']) expect(out).toHaveProperty(key);
    // The checkpoint's settings: 5-way, 32 filters, one inner step (the evaluation's default steps).
    expect(out).toMatchObject({ algorithm: 'maml', steps: 0, ways: 5, width: 32, eval_episodes: 20, eval_steps: 1, final_meta_loss: null });
    expect(out.loaded.step).toBeGreaterThan(1000);
  }, 120_000);

  it('--init continues training (the saved step count adds up) and takes training flags', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metaplay-init-'));
    const saved = path.join(dir, 'reptile.json');
    const r = await metaplay(['train', 'reptile', '--task', 'omniglot', '--steps', '1', '--meta-batch', '1', '--init', example('reptile-omniglot.json'), '--inner-steps', '2', '--eval-episodes', '2', '--save', saved, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({ algorithm: 'reptile', steps: 1, width: 32, meta_batch: 1, eval_steps: 2 });
    expect(Number.isFinite(out.final_meta_loss)).toBe(true);
    const ckpt = JSON.parse(readFileSync(saved, 'utf8'));
    expect(ckpt.step).toBe(out.loaded.step + 1);
    expect(ckpt.config).toMatchObject({ innerSteps: 2, width: 32 });
  }, 120_000);

  it.each([
    ['a sine checkpoint', ['--load', example('sine-maml-2000.json')], /sine/],
    ['another algorithm’s file', ['--load', example('fomaml-omniglot.json')], /fomaml model, not maml/],
    ['a metric network', ['--init', example('protonet-omniglot.json')], /protonet/],
    ['a flag that would reshape the model', ['--init', example('maml-omniglot.json'), '--width', '64'], /width 32 \(here 64\)/],
    ['--load with --init', ['--load', example('maml-omniglot.json'), '--init', example('maml-omniglot.json')], /one of --load and --init/],
    ['--load with --preset', ['--load', example('maml-omniglot.json'), '--preset', 'paper'], /--preset/],
  ])('refuses %s with exit code 2', async (_what, args, message) => {
    const r = await metaplay(['train', 'maml', '--task', 'omniglot', '--steps', '0', '--eval-episodes', '2', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
