import { describe, expect, it } from 'vitest';
import { DEFAULT_ZERO_SHOT, ZERO_SHOT_SCHEMA } from './zeroShot';
import { cliSpec, readCli, SettingError } from '../../settings/schema';

describe('the zero-shot schema', () => {
  it('keeps the config it replaced, in the JSON result’s key order', () => {
    expect(Object.entries(DEFAULT_ZERO_SHOT)).toEqual(
      Object.entries({ attributes: 10, features: 16, trainClasses: 60, testClasses: 20, noise: 0.3, ways: 10, queries: 5, hidden: 32, lr: 3e-3, seed: 0 }),
    );
    expect(Object.keys(cliSpec(ZERO_SHOT_SCHEMA))).toEqual(['attributes', 'features', 'train-classes', 'test-classes', 'noise', 'ways', 'queries', 'hidden', 'lr', 'seed']);
    expect(() => readCli(ZERO_SHOT_SCHEMA, { lr: '0' }, DEFAULT_ZERO_SHOT)).toThrow(SettingError);
    expect(readCli(ZERO_SHOT_SCHEMA, { ways: '5', hidden: '16' }, DEFAULT_ZERO_SHOT)).toEqual({ ...DEFAULT_ZERO_SHOT, ways: 5, hidden: 16 });
  });
});
