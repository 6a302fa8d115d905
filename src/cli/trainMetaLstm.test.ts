import { describe, expect, it } from 'vitest';
import { expectUsageError, lastJson, metaplay } from './runCli';

describe('metaplay train meta-lstm --task omniglot (issue #13)', () => {
  it('trains the meta-learner LSTM and reports accuracy, the mean gates per inner step and the SGD fine-tuning baselines', async () => {
    const r = await metaplay(['train', 'meta-lstm', '--task', 'omniglot', '--steps', '2', '--inner-steps', '2', '--width', '4', '--meta-batch', '2', '--way', '3', '--eval-episodes', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({ algorithm: 'meta-lstm', task: 'omniglot', source: 'synthetic', steps: 2, ways: 3, eval_steps: 2 });
    for (const key of ['accuracy', 'ci95', 'final_meta_loss']) expect(out).toHaveProperty(key);
    expect(out.gates.input).toHaveLength(2);
    expect(out.gates.forget).toHaveLength(2);
    for (const key of ['sgd_from_meta_init', 'sgd_from_random_init']) {
      expect(out[key].accuracy).toBeGreaterThanOrEqual(0);
      expect(out[key].accuracy).toBeLessThanOrEqual(1);
      expect(out[key]).toHaveProperty('ci95');
    }
  });

  it.each([[['--context-size', '8']], [['--preset', 'paper']]])('refuses %j with exit code 2', (extra) => expectUsageError(['train', 'meta-lstm', '--task', 'omniglot', ...extra]));
});
