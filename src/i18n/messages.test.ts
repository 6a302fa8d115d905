import { describe, expect, it } from 'vitest';
import { en, fa, zh } from './messages';

type Area = { en: Record<string, string>; zh: Record<string, string>; fa: Record<string, string> };
const areas = import.meta.glob<Area>('./catalog/*.ts', { eager: true });

describe('the message catalog', () => {
  // The merge spreads the files into one object: a key in two files would silently lose one string.
  it('has every key in exactly one catalog file', () => {
    const files = new Map<string, string[]>();
    for (const [file, area] of Object.entries(areas)) for (const key of Object.keys(area.en)) files.set(key, [...(files.get(key) ?? []), file]);
    expect([...files].filter(([, where]) => where.length > 1)).toEqual([]);
  });

  it('merges every catalog file, in every language', () => {
    const keys = Object.values(areas).flatMap((area) => Object.keys(area.en)).sort();
    for (const catalog of [en, zh, fa]) expect(Object.keys(catalog).sort()).toEqual(keys);
  });
});
