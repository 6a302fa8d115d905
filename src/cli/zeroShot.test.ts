import { describe, expect, it } from 'vitest';
import { lastJson, metaplay } from './runCli';

describe('metaplay train relation-zero-shot', () => {
  it('trains on the training classes and reports accuracy on held-out classes above chance', async () => {
    const r = await metaplay(['train', 'relation-zero-shot', '--episodes', '150', '--eval-episodes', '40', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = lastJson(r.stdout);
    expect(j.method).toBe('relation-zero-shot');
    expect(j.episodes).toBe(150);
    expect(j.chance).toBe(0.2);
    expect(j.accuracy).toBeGreaterThan(0.4);
    expect(j.ci95).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/60 training classes, 20 held-out/);
  }, 120_000);

  it('refuses more classes than the attributes can describe (exit 2)', async () => {
    const r = await metaplay(['train', 'relation-zero-shot', '--attributes', '4', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot describe 80 distinct classes/);
  }, 60_000);

  it.each([
    [['--lr', '0'], /--lr must be a number from 1e-7 to 1/],
    [['--ways', '1'], /--ways must be a whole number from 2 to 1000/],
    [['--ways', '100'], /--ways 100 exceeds --train-classes 60/],
  ])('refuses %j (exit 2)', async (args, message) => {
    const r = await metaplay(['train', 'relation-zero-shot', ...args, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  }, 60_000);
});
