import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNTHETIC_CONFIG, drawingToImage, generateSyntheticDataset, toBytes, type Drawing } from '../../engine/tasks/characters';
import { drawingView, newCharacter, newDrawer, relationMessage, syntheticDrawing, syntheticIndices, syntheticView } from './bpl';

describe('the BPL view', () => {
  it('resamples a drawer (same type) or a character (same style), reproducibly', () => {
    const v = syntheticView(2, 3, 4);
    expect(v.origin).toBe('synthetic');
    expect(v.token.parse.strokes.length).toBe(v.type.strokes.length);
    const d = newDrawer(v);
    expect(d.type).toBe(v.type);
    expect(d.token.drawing).not.toEqual(v.token.drawing);
    expect(newDrawer(v).token.drawing).toEqual(d.token.drawing);
    const c = newCharacter(v);
    expect(c.style).toBe(v.style);
    expect(c.type).not.toEqual(v.type);
  });

  it('parses a drawing into strokes and sub-strokes and re-draws it as new tokens', () => {
    // An L drawn with a pause at the corner, then a separate dot-free bar starting at its end.
    const L: Drawing = [
      [...Array.from({ length: 20 }, (_, k) => ({ x: 30, y: 20 + 2 * k, t: 16 * k })), ...Array.from({ length: 20 }, (_, k) => ({ x: 30 + 2 * k, y: 58, t: 600 + 16 * k }))],
      Array.from({ length: 15 }, (_, k) => ({ x: 68, y: 58 - 2 * k, t: 1500 + 16 * k })),
    ];
    const v = drawingView(L, { alphabet: 'a', character: 'c', drawer: 'd' });
    expect(v.token.parse.strokes).toHaveLength(2);
    expect(v.token.parse.strokes[0].subStrokeStarts.length).toBe(2);
    expect(v.token.parse.relations[1].kind).toBe('end');
    expect(v.redraws).toHaveLength(6);
    expect(v.style).toBeNull();
    expect(newCharacter(v)).toBe(v);
    expect(newDrawer(v).redraws[0].drawing).not.toEqual(v.redraws[0].drawing);
  });

  it('regenerates the strokes behind a synthetic data-set image (the data set keeps none)', () => {
    const cfg = { ...DEFAULT_SYNTHETIC_CONFIG, alphabets: 2, charactersPerAlphabet: 2, drawersPerCharacter: 2 };
    const ds = generateSyntheticDataset(cfg);
    expect(syntheticIndices(ds.alphabets[1].name, 'character02', 'd02')).toEqual({ a: 1, c: 1, d: 1 });
    expect(syntheticIndices('Latin', 'character02', 'd02')).toBeNull();
    // Names in a 2-alphabet set pad like the default 30-alphabet one (two digits), so the lookup matches.
    const c = ds.characters[ds.characters.length - 1];
    const i = c.first + 1;
    const strokes = syntheticDrawing(ds.alphabets[c.alphabet].name, c.name, ds.imageIds[i], 0)!;
    expect(strokes.length).toBeGreaterThan(0);
    // Re-rendered (timed) strokes give an image close to the stored one: same shape, same place.
    const img = toBytes(drawingToImage(strokes, { centre: false }));
    const stored = ds.pixels.subarray(i * 784, (i + 1) * 784);
    let overlap = 0;
    let ink = 0;
    for (let k = 0; k < 784; k++) {
      if (stored[k] > 128) ink++;
      if (stored[k] > 128 && img[k] > 64) overlap++;
    }
    expect(overlap / ink).toBeGreaterThan(0.8);
  });

  it('words relations with 1-based stroke numbers', () => {
    expect(relationMessage({ kind: 'independent', x: 1, y: 2 })).toEqual({ key: 'relIndependent', params: {} });
    expect(relationMessage({ kind: 'end', stroke: 0 })).toEqual({ key: 'relEnd', params: { stroke: 1 } });
    expect(relationMessage({ kind: 'along', stroke: 1, subStroke: 0, at: 0.426 })).toEqual({ key: 'relAlong', params: { stroke: 2, sub: 1, at: 43 } });
  });
});
