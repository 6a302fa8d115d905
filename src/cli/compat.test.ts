import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, metaplay } from './runCli';

/**
 * Checkpoints saved by an earlier version (fixtures/README.md) still load and evaluate to exactly
 * the numbers that version printed for them (`--steps 0 --load`), so a refactoring of settings,
 * registry or hosts cannot silently change what a saved file means.
 */
const fixture = (name: string) => path.resolve(import.meta.dirname, 'fixtures', name);

describe('checkpoints of earlier versions', () => {
  it.each([
    ['maml', 'sine-maml.json', [4.3722, 4.1988, 4.0858, 4.0114, 3.9634, 3.9355, 3.9217, 3.9176, 3.9194, 3.9257, 3.9349]],
    ['reptile', 'sine-reptile.json', [3.7911, 3.6531, 3.6687, 3.7153, 3.7616, 3.8021, 3.8366, 3.8659, 3.889, 3.9068, 3.9204]],
    ['metasgd', 'sine-metasgd.json', [4.1851, 3.9204, 3.966, 3.9945, 4.0339, 4.0557, 4.0679, 4.0875, 4.1162, 4.1866, 4.1782]],
  ])('sine %s loads and adapts as before', async (algorithm, file, mseBySteps) => {
    const r = await metaplay(['train', algorithm, '--task', 'sine', '--steps', '0', '--load', fixture(file), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ algorithm, task: 'sine', steps: 0, eval_tasks: 200, mse_by_steps: mseBySteps });
  });

  it('a copy-task NTM loads and copies as before', async () => {
    const r = await metaplay(['train', 'ntm', '--task', 'copy', '--steps', '0', '--load', fixture('copy-ntm.json'), '--eval-sequences', '20', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({
      algorithm: 'ntm',
      params: 997,
      bit_error: { trained: 0.48625, max_length: 0.475, double: 0.52375 },
      bit_error_by_length: { 1: 0.45625, 2: 0.46563, 3: 0.49167, 4: 0.51406, 5: 0.475, 10: 0.52375 },
    });
  });
});
