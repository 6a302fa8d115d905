import { describe, expect, it } from 'vitest';
import { findMethod, methodIds, methodsOf } from './registry';

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
});
