import { describe, expect, it } from 'vitest';
import { DEFAULT_OMNIGLOT_CONFIG, FAMILY_SCHEMA, OMNIGLOT_ALGORITHMS, OMNIGLOT_SCHEMA, familyConfigFromSettings, omniglotConfigFor, type FamilySettings } from './omniglotConfig';
import { cliSpec, defaultsOf, readCli, SettingError, type Schema } from '../settings/schema';

describe('the episode family schema', () => {
  it('keeps the config it replaced', () => {
    expect(DEFAULT_OMNIGLOT_CONFIG).toEqual({
      algorithm: 'maml', ways: 5, shots: 1, queries: 5, metaBatch: 8, alpha: 0.4, innerSteps: 1, metaLr: 1e-3, width: 32, seed: 0, epsilon: 1, metaSgdInit: [0.1, 0.4],
      tamlLambda: 0.1, tamlMeasure: 'theil', advEpsilon: 0.2, contextSize: 100, contextAlpha: 1, filmBlock: 3, adaptHidden: 32, learnedSteps: 1, learnedAlpha: 0.1,
    });
  });

  it('takes the CLI flags it took before, and refuses the same ones per algorithm', () => {
    expect(Object.keys(cliSpec(OMNIGLOT_SCHEMA)).sort()).toEqual(
      ['seed', 'way', 'shot', 'query', 'meta-batch', 'alpha', 'meta-lr', 'inner-steps', 'width', 'epsilon', 'lambda', 'measure', 'adv-epsilon', 'context-size', 'context-alpha', 'film-block', 'adapt-hidden', 'learned-steps', 'learned-alpha'].sort(),
    );
    // The "only applies to" lists of the hand-written CLI (its ONLY_FOR table).
    const only = Object.fromEntries(Object.values(OMNIGLOT_SCHEMA as Schema).flatMap((f) => (f.only && f.cli ? [[f.cli, f.only]] : [])));
    expect(only).toEqual({
      epsilon: ['reptile', 'reptile-ga'], lambda: ['taml', 'taml-ineq'], measure: ['taml-ineq'], 'adv-epsilon': ['adml'],
      'context-size': ['caml'], 'context-alpha': ['caml'], 'film-block': ['caml'], 'adapt-hidden': ['daml'], 'learned-steps': ['daml'], 'learned-alpha': ['daml'],
    });
    for (const f of Object.values(OMNIGLOT_SCHEMA as Schema)) for (const id of f.only ?? []) expect(OMNIGLOT_ALGORITHMS).toContain(id);
  });

  it('reads CLI values within the old ranges (wider than the card’s)', () => {
    const base = omniglotConfigFor('caml');
    const c = readCli(OMNIGLOT_SCHEMA, { way: '60', shot: '20', 'meta-batch': '1000', width: '128', 'inner-steps': '50', alpha: '0', 'context-size': '10000' }, base, 'caml');
    expect(c).toMatchObject({ ways: 60, shots: 20, metaBatch: 1000, width: 128, innerSteps: 50, alpha: 0, contextSize: 10_000 });
    for (const [flag, bad] of [['way', '1'], ['way', '61'], ['width', '0'], ['width', '129'], ['query', '20'], ['film-block', '5'], ['adv-epsilon', '1.5'], ['shot', '1.5']])
      expect(() => readCli(OMNIGLOT_SCHEMA, { [flag]: bad }, omniglotConfigFor('caml'), flag === 'adv-epsilon' ? 'adml' : 'caml')).toThrow(SettingError);
    expect(() => readCli(OMNIGLOT_SCHEMA, { epsilon: '1' }, base, 'caml')).toThrow('--epsilon only applies to reptile, reptile-ga');
  });

  it('gives the family card the fields it held, and the configs the worker built by hand', () => {
    expect(Object.keys(FAMILY_SCHEMA).sort()).toEqual(['algorithm', 'alpha', 'innerSteps', 'metaBatch', 'seed', 'shots', 'tamlLambda', 'tamlMeasure', 'ways', 'width']);
    const s: FamilySettings = { ...defaultsOf(FAMILY_SCHEMA), algorithm: 'taml-ineq', ways: 3, shots: 2, width: 16, metaBatch: 2, alpha: 0.3, innerSteps: 2, tamlLambda: 0.5, tamlMeasure: 'gini', seed: 7 };
    // The worker's former familyConfigOf: the algorithm's config with the card's fields, its queries and FGSM step on top.
    const shared = { ways: 3, shots: 2, queries: 4, width: 16, metaBatch: 2, innerSteps: 2, tamlLambda: 0.5, tamlMeasure: 'gini' as const, seed: 7, advEpsilon: 0.3 };
    expect(familyConfigFromSettings(s, 4, 0.3)).toEqual({ ...omniglotConfigFor('taml-ineq'), ...shared, alpha: 0.3 });
    // CAML: the card's rate is the context's; the network's α keeps its default.
    expect(familyConfigFromSettings({ ...s, algorithm: 'caml', alpha: 0.8 }, 4, 0.3)).toEqual({ ...omniglotConfigFor('caml'), ...shared, contextAlpha: 0.8 });
  });
});
