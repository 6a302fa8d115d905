import { describe, expect, it } from 'vitest';
import { findMethod, methodIds, methodsOf, METHODS } from './registry';
import { SINE_ALGORITHM_INFO, SINE_SCHEMA } from '../algorithms/sineConfig';
import { OMNIGLOT_PRESETS, OMNIGLOT_SCHEMA } from '../algorithms/omniglotConfig';
import { COPY_PRESET_CONFIGS, COPY_SCHEMA } from '../algorithms/copyConfig';
import { MANN_PRESET_CONFIGS, MANN_SCHEMA } from '../algorithms/mannConfig';
import { ZERO_SHOT_SCHEMA } from '../algorithms/metric/zeroShot';
import { METRIC_FIELDS } from '../settings/metric';

describe('method registry', () => {
  it('lists every trainable algorithm once per family', () => {
    expect(methodsOf('sine').map((d) => d.id)).toEqual(['maml', 'pretrain', 'fomaml', 'reptile', 'metasgd', 'caml', 'maml-ga', 'reptile-ga', 'taml', 'daml']);
    expect(methodsOf('episodes').map((d) => d.id)).toEqual(['maml', 'fomaml', 'reptile', 'metasgd', 'taml', 'adml', 'maml-ga', 'reptile-ga', 'taml-ineq', 'caml', 'daml', 'meta-lstm']);
    expect(methodsOf('memory').map((d) => d.id)).toEqual(['ntm', 'lstm', 'mann']);
    expect(methodsOf('metric').map((d) => d.id)).toEqual(['siamese', 'protonet', 'gaussian-protonet', 'semi-protonet', 'matching', 'relation']);
    expect(methodsOf('zero-shot').map((d) => d.id)).toEqual(['relation-zero-shot']);
    expect(new Set(methodIds()).size).toBe(methodIds().length);
  });

  it('picks the family of a name by --task, the first registered by default', () => {
    expect(findMethod('maml')?.family).toBe('sine');
    expect(findMethod('maml', 'omniglot')?.family).toBe('episodes');
    expect(findMethod('pretrain', 'omniglot')?.family).toBe('sine');
    expect(findMethod('adml')?.family).toBe('episodes');
    expect(findMethod('protonet')?.family).toBe('metric');
    expect(findMethod('nope')).toBeUndefined();
  });

  it('keeps the episode family presets of the papers', () => {
    expect(findMethod('maml', 'omniglot')?.presets?.map((p) => p.id)).toEqual(['paper']);
    expect(findMethod('adml')?.presets).toEqual([]);
  });

  it('answers what settings, defaults and presets each algorithm has', () => {
    for (const d of METHODS) {
      expect(d.settings, `${d.family} ${d.id}`).toBeDefined();
      // A field's `only` names algorithms of the same family.
      const family = methodsOf(d.family).map((m) => m.id);
      for (const f of Object.values(d.settings ?? {})) for (const id of f.only ?? []) expect(family).toContain(id);
    }
    expect(findMethod('maml')?.settings).toBe(SINE_SCHEMA);
    expect(findMethod('reptile')?.defaults).toEqual(SINE_ALGORITHM_INFO.reptile.defaults);
    expect(findMethod('reptile')?.presets?.map((p) => [p.id, p.config])).toEqual(SINE_ALGORITHM_INFO.reptile.presets.map((p) => [p.id, p.values]));
    expect(findMethod('daml')?.presets?.map((p) => p.id)).toEqual(['book']);
    expect(findMethod('maml', 'omniglot')?.settings).toBe(OMNIGLOT_SCHEMA);
    expect(findMethod('reptile', 'omniglot')?.defaults).toEqual({ alpha: 0.1, innerSteps: 5, epsilon: 1 });
    expect(findMethod('caml', 'omniglot')?.presets?.[0].config).toEqual(OMNIGLOT_PRESETS.caml?.values);
    expect(findMethod('ntm')?.settings).toBe(COPY_SCHEMA);
    expect(findMethod('lstm')?.presets?.map((p) => [p.id, p.config])).toEqual([['small', COPY_PRESET_CONFIGS.small], ['large', COPY_PRESET_CONFIGS.large]]);
    expect(findMethod('mann')?.settings).toBe(MANN_SCHEMA);
    expect(findMethod('mann')?.presets?.map((p) => [p.id, p.config])).toEqual([['small', MANN_PRESET_CONFIGS.small], ['large', MANN_PRESET_CONFIGS.large]]);
    expect(findMethod('relation-zero-shot')?.settings).toBe(ZERO_SHOT_SCHEMA);
    expect(findMethod('matching')?.settings).toBe(METRIC_FIELDS);
    expect(findMethod('protonet')?.presets?.map((p) => p.id)).toEqual(['snell-1shot', 'snell-5shot']);
  });
});
