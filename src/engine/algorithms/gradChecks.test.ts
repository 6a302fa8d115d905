import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../core/ops/testUtil';
import { listGradChecks, runGradChecks, GRADCHECK_GROUPS } from './gradChecks';

beforeAll(useCpu);

describe('runGradChecks', () => {
  it('reports the JSON shape the CLI prints, filtered by name or group', async () => {
    const before = tf.memory().numTensors;
    const report = await runGradChecks({ only: ['exp', 'pool'] });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.backend).toBe('cpu');
    expect(report.checks.map((c) => `${c.name}/${c.order}`)).toEqual(['exp/1', 'exp/2', 'maxPool-2x2/1', 'maxPool-2x2/2', 'avgPool-2x2/1', 'avgPool-2x2/2']);
    for (const c of report.checks) {
      expect(typeof c.max_rel_err).toBe('number');
      expect(c.ok).toBe(true);
    }
    expect(report.ok).toBe(true);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('lists every check in a known group', () => {
    const list = listGradChecks();
    expect(list.length).toBe(19);
    for (const c of list) expect(GRADCHECK_GROUPS).toContain(c.group);
  });

  it('an empty selection is not ok', async () => {
    expect((await runGradChecks({ only: ['no-such-check'] })).ok).toBe(false);
  });
});
