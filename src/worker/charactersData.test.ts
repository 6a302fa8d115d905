import { describe, expect, it } from 'vitest';
import { DatasetBuilder, type CharacterDataset } from '../engine/tasks/characters';
import { ATLAS_CACHE_VERSION, archivesCover, atlasCacheKey, atlasRecordProblem, canonicalArchives, fromWire, mergeArchiveIds, toWire } from './charactersData';

function tinyDataset(strokes = false): CharacterDataset {
  const b = new DatasetBuilder(2);
  const px = (v: number) => new Uint8Array([v, 0, 0, v]);
  const alpha = { name: 'Ωmega ü', split: 'background' as const, source: 'omniglot' as const };
  b.add(alpha, 'character01', { id: '0001_01', drawer: '01', pixels: px(255), strokes: strokes ? [[{ x: 1, y: 2, t: 0 }]] : null });
  b.add(alpha, 'character01', { id: '0001_02', drawer: '02', pixels: px(128) });
  b.add({ ...alpha, name: 'B', split: 'evaluation' }, 'character01', { id: '0002_01', drawer: '01', pixels: px(7) });
  return b.build();
}

describe('the atlas cache key', () => {
  const bg = { name: 'images_background.zip', bytes: 9464212 };
  const ev = { name: 'images_evaluation.zip', bytes: 6462886 };

  it('does not depend on loading order or repeats', () => {
    expect(atlasCacheKey([bg, ev], 28)).toBe(atlasCacheKey([ev, bg, ev], 28));
    expect(atlasCacheKey([bg, ev], 28)).toBe(`omniglot/v${ATLAS_CACHE_VERSION}/28/images_background.zip:9464212|images_evaluation.zip:6462886`);
  });

  it('changes with the image size, the zips and their sizes', () => {
    const k = atlasCacheKey([bg], 28);
    expect(atlasCacheKey([bg], 20)).not.toBe(k);
    expect(atlasCacheKey([{ ...bg, bytes: 1 }], 28)).not.toBe(k);
    expect(atlasCacheKey([bg, ev], 28)).not.toBe(k);
    // A name with the separator characters cannot forge another list.
    expect(atlasCacheKey([{ name: 'a.zip:1|b.zip', bytes: 2 }], 28)).not.toBe(atlasCacheKey([{ name: 'a.zip', bytes: 1 }, { name: 'b.zip', bytes: 2 }], 28));
  });

  it('merges archive lists and tells whether named zips are covered', () => {
    expect(canonicalArchives([ev, bg, bg])).toEqual([bg, ev]);
    const have = mergeArchiveIds([bg], [ev, bg]);
    expect(have).toEqual([bg, ev]);
    expect(archivesCover(have, ['images_background.zip', 'images_evaluation.zip'])).toBe(true);
    expect(archivesCover([bg], ['images_background.zip', 'images_evaluation.zip'])).toBe(false);
  });
});

describe('cached records are checked before use', () => {
  const record = (ds: CharacterDataset) => {
    const archives = [{ name: 'x.zip', bytes: 10 }];
    return { version: ATLAS_CACHE_VERSION, key: atlasCacheKey(archives, ds.imageSize), archives, savedAt: 0, dataset: ds };
  };

  it('accepts a sound record', () => {
    expect(atlasRecordProblem(record(tinyDataset(true)))).toBeNull();
  });

  it('refuses old versions, mismatched keys and inconsistent atlases', () => {
    const ds = tinyDataset();
    expect(atlasRecordProblem(undefined)).toBe('not a record');
    expect(atlasRecordProblem({ ...record(ds), version: ATLAS_CACHE_VERSION + 1 })).toMatch(/version/);
    expect(atlasRecordProblem({ ...record(ds), key: 'omniglot/v1/28/other' })).toMatch(/key/);
    expect(atlasRecordProblem(record({ ...ds, pixels: ds.pixels.subarray(1) }))).toMatch(/bytes/);
    expect(atlasRecordProblem(record({ ...ds, drawers: ['01'] }))).toMatch(/disagree/);
    expect(atlasRecordProblem(record({ ...ds, characters: ds.characters.slice(1) }))).toMatch(/tile/);
  });
});

describe('the wire form', () => {
  it('round-trips a data set, keeping the worker copy intact and strokes as a mask', () => {
    const ds = tinyDataset(true);
    const { wire, transfer } = toWire(ds);
    expect(wire.pixels).not.toBe(ds.pixels);
    expect(transfer).toContain(wire.pixels.buffer);
    expect(wire.strokes).toBeUndefined();
    const back = fromWire(wire);
    expect(back.imageIds).toEqual(ds.imageIds);
    expect(back.drawers).toEqual(ds.drawers);
    expect(Array.from(back.pixels)).toEqual(Array.from(ds.pixels));
    expect(Array.from(back.strokeMask!)).toEqual([1, 0, 0]);
    expect(back.alphabets[0].name).toBe('Ωmega ü');
    expect(fromWire(toWire(ds, { includeStrokes: true }).wire).strokes).toEqual(ds.strokes);
  });

  it('handles an empty data set', () => {
    const empty = new DatasetBuilder(28).build();
    const back = fromWire(toWire(empty).wire);
    expect(back.imageIds).toEqual([]);
    expect(back.strokeMask).toBeNull();
  });
});
