import { describe, expect, it } from 'vitest';
import { contentHash, DatasetBuilder, datasetStats, type CharacterDataset } from './dataset';
import { mergeDatasets, selectSplit, withRotations } from './datasetTransforms';
import { datasetFromDrawingSet, DrawingSetError, emptyDrawingSet, parseDrawingSet, serializeDrawingSet, type DrawingSet } from './drawingSet';
import type { Drawing } from './strokes';

function tiny(): CharacterDataset {
  const b = new DatasetBuilder(2);
  const bg = { name: 'A', split: 'background' as const, source: 'synthetic' as const };
  const ev = { name: 'Z', split: 'evaluation' as const, source: 'synthetic' as const };
  // Added out of order on purpose: the builder sorts.
  b.add(ev, 'c1', { id: 'd1', drawer: '1', pixels: Uint8Array.from([9, 9, 9, 9]) });
  b.add(bg, 'c2', { id: 'd2', drawer: '2', pixels: Uint8Array.from([5, 6, 7, 8]) });
  b.add(bg, 'c2', { id: 'd1', drawer: '1', pixels: Uint8Array.from([1, 2, 3, 4]) });
  b.add(bg, 'c1', { id: 'd1', drawer: '1', pixels: Uint8Array.from([0, 0, 0, 255]) });
  return b.build();
}

const stroke = (x: number): Drawing => [[{ x, y: 10, t: 0 }, { x: x + 20, y: 30, t: 200 }]];

function drawingSet(): DrawingSet {
  const set = emptyDrawingSet();
  set.classes.push({ name: 'alpha', drawings: [stroke(10), stroke(12), stroke(14)] }, { name: 'beta', alphabet: 'mine', drawings: [stroke(50), stroke(52)] });
  set.episodes.push({ name: 'first', classes: [0, 1], support: [[0], [1]], query: [[1, 2], [0]] });
  return set;
}

describe('CharacterDataset', () => {
  it('builds a canonical order: background first, then names and ids', () => {
    const ds = tiny();
    expect(ds.alphabets.map((a) => a.name)).toEqual(['A', 'Z']);
    expect(ds.characters.map((c) => `${ds.alphabets[c.alphabet].name}/${c.name}:${c.first}+${c.count}`)).toEqual(['A/c1:0+1', 'A/c2:1+2', 'Z/c1:3+1']);
    expect(ds.imageIds).toEqual(['d1', 'd1', 'd2', 'd1']);
    expect(Array.from(ds.pixels.subarray(4, 8))).toEqual([1, 2, 3, 4]);
    expect(datasetStats(ds)).toMatchObject({ alphabets: 2, characters: 3, images: 4, background: { characters: 2, images: 3 }, evaluation: { images: 1 } });
  });

  it('merges with de-duplication and an order-independent hash', () => {
    const ds = tiny();
    const merged = mergeDatasets(ds, ds);
    expect(datasetStats(merged).images).toBe(4);
    expect(contentHash(merged)).toBe(contentHash(ds));
    expect(contentHash(ds)).toMatch(/^[0-9a-f]{16}$/);
    const changed = { ...ds, pixels: ds.pixels.slice() };
    changed.pixels[0] = 1;
    expect(contentHash(changed)).not.toBe(contentHash(ds));
    expect(datasetStats(selectSplit(ds, 'evaluation'))).toMatchObject({ alphabets: 1, images: 1 });
  });

  it('adds rotated copies as new classes of the same alphabet', () => {
    const r = withRotations(tiny());
    expect(datasetStats(r)).toMatchObject({ alphabets: 2, characters: 12, images: 16 });
    const c90 = r.characters.find((c) => c.name === 'c1' && c.rotation === 90 && r.alphabets[c.alphabet].name === 'A')!;
    // [[0, 0], [0, 255]] turned clockwise is [[0, 0], [255, 0]].
    expect(Array.from(r.pixels.subarray(c90.first * 4, c90.first * 4 + 4))).toEqual([0, 0, 255, 0]);
    expect(() => withRotations(tiny(), [45])).toThrow(/multiples of 90/);
  });
});

describe('user drawings file', () => {
  it('round-trips through JSON', () => {
    const set = drawingSet();
    const text = serializeDrawingSet(set);
    expect(parseDrawingSet(text)).toEqual(set);
  });

  it('rejects malformed files with a message that says where', () => {
    expect(() => parseDrawingSet('{')).toThrow(/not a JSON file/);
    expect(() => parseDrawingSet('[]')).toThrow(/JSON object/);
    expect(() => parseDrawingSet({ format: 'x', version: 1, classes: [] })).toThrow(/format/);
    expect(() => parseDrawingSet({ ...drawingSet(), version: 2 })).toThrow(/version 2/);
    const bad = (mutate: (s: DrawingSet) => void) => {
      const s = JSON.parse(JSON.stringify(drawingSet()));
      mutate(s);
      return () => parseDrawingSet(s);
    };
    expect(bad((s) => (s.classes[0].name = ''))).toThrow(/class 0 needs a non-empty "name"/);
    expect(bad((s) => (s.classes[1].drawings[0][0][0].x = 'a' as unknown as number))).toThrow(/class 1 \("beta"\), drawing 0, stroke 0, point 0/);
    expect(bad((s) => (s.episodes[0].classes = [0, 5]))).toThrow(/class index 5 is out of range/);
    expect(bad((s) => (s.episodes[0].support = [[0], [1, 0]]))).toThrow(/same number/);
    expect(bad((s) => (s.episodes[0].query = [[0], [0]]))).toThrow(/both as support and as query/);
    expect(bad((s) => (s.episodes[0].query = [[7], [0]]))).toThrow(/refers to drawing 7/);
    expect(bad((s) => s.classes.push({ name: 'alpha', drawings: [] }))).toThrow(DrawingSetError);
  });

  it('rasterizes classes into a data set (centred, user split evaluation by default)', () => {
    const ds = datasetFromDrawingSet(drawingSet());
    expect(datasetStats(ds)).toMatchObject({ alphabets: 2, characters: 2, images: 5, evaluation: { images: 5 }, withStrokes: 5 });
    expect(ds.alphabets.map((a) => a.name).sort()).toEqual(['mine', 'my drawings']);
    // Centring makes the three shifted copies of "alpha" identical.
    const a = ds.characters.find((c) => c.name === 'alpha')!;
    const n = 28 * 28;
    expect(Array.from(ds.pixels.subarray(a.first * n, a.first * n + n))).toEqual(Array.from(ds.pixels.subarray((a.first + 2) * n, (a.first + 3) * n)));
  });
});
