import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { contentHash, datasetStats } from './dataset';
import { toBytes } from './rasterize';
import { parseOmniglotStrokes, serializeOmniglotStrokes } from './strokes';
import { syntheticAlphabet, syntheticAlphabetIndex } from './alphabets';
import { sampleCharacterType, syntheticCharacter, typeSkeleton } from './characterType';
import { PRIMITIVES } from './primitives';
import { generateSyntheticDataset, type SyntheticConfig } from './synthetic';
import { renderToken, sampleCharacterToken, syntheticToken } from './tokens';

const SMALL: SyntheticConfig = { seed: 3, alphabets: 6, charactersPerAlphabet: 5, drawersPerCharacter: 4 };
const PX = 28 * 28;

describe('synthetic alphabets', () => {
  it('are deterministic: same seed → same hash, another seed → another hash', () => {
    const a = generateSyntheticDataset(SMALL);
    expect(contentHash(generateSyntheticDataset(SMALL))).toBe(contentHash(a));
    expect(contentHash(generateSyntheticDataset({ ...SMALL, seed: 4 }))).not.toBe(contentHash(a));
    expect(datasetStats(a)).toMatchObject({ alphabets: 6, characters: 30, images: 120, background: { alphabets: 4 }, evaluation: { alphabets: 2 } });
  });

  it('draws every image with a plausible amount of ink inside the canvas', () => {
    const ds = generateSyntheticDataset(SMALL);
    for (let i = 0; i < 120; i++) {
      let ink = 0;
      let border = 0;
      for (let k = 0; k < PX; k++) {
        const v = ds.pixels[i * PX + k] / 255;
        ink += v;
        const r = Math.floor(k / 28);
        const c = k % 28;
        if (r === 0 || c === 0 || r === 27 || c === 27) border += v;
      }
      expect(ink).toBeGreaterThan(10);
      expect(ink).toBeLessThan(300);
      expect(border).toBeLessThan(3);
    }
  });

  it('keeps drawers of a character closer to each other than to other characters', () => {
    const ds = generateSyntheticDataset({ ...SMALL, drawersPerCharacter: 6 });
    const dist = (i: number, j: number) => {
      let s = 0;
      for (let k = 0; k < PX; k++) s += Math.abs(ds.pixels[i * PX + k] - ds.pixels[j * PX + k]);
      return s;
    };
    let within = 0;
    let nw = 0;
    let between = 0;
    let nb = 0;
    for (const c of ds.characters)
      for (const d of ds.characters)
        for (let i = 0; i < 3; i++) {
          if (c === d) {
            within += dist(c.first + i, c.first + i + 1);
            nw++;
          } else if (c.alphabet === d.alphabet) {
            between += dist(c.first + i, d.first + i);
            nb++;
          }
        }
    expect(within / nw).toBeLessThan(0.75 * (between / nb));
  });

  it('regenerates any single drawer exactly as it is in the data set', () => {
    const ds = generateSyntheticDataset(SMALL);
    const style = syntheticAlphabet(SMALL.seed, 2, SMALL.alphabets);
    const type = syntheticCharacter(style, 3);
    const token = syntheticToken(style, type, 3, 1); // with timestamps: same path and image
    const img = toBytes(renderToken(token));
    const ch = ds.characters.find((c) => c.alphabet === 2 && c.name === 'character04')!;
    expect(ds.alphabets[2].name).toBe(style.name);
    expect(syntheticAlphabetIndex(ds.alphabets[2].name)).toBe(2);
    expect(Array.from(ds.pixels.subarray((ch.first + 1) * PX, (ch.first + 2) * PX))).toEqual(Array.from(img));
  });

  it('exposes the parse: strokes, sub-stroke boundaries, relations, and Omniglot-format timing', () => {
    const rng = new Rng(1);
    expect(PRIMITIVES.length).toBe(88);
    for (let a = 0; a < 8; a++) {
      const style = syntheticAlphabet(11, a);
      const type = sampleCharacterType(style, rng); // "a new character in this alphabet"
      const token = sampleCharacterToken(type, rng); // "a new drawer"
      expect(token.parse.strokes).toHaveLength(type.strokes.length);
      expect(token.parse.relations[0].kind).toBe('independent');
      token.parse.relations.forEach((r, i) => {
        if (r.kind !== 'independent') expect(r.stroke).toBeLessThan(i);
        if (r.kind === 'along') expect(r.subStroke).toBeLessThan(type.strokes[r.stroke].subStrokes.length);
      });
      token.parse.strokes.forEach((s, i) => {
        expect(s.subStrokeStarts).toHaveLength(type.strokes[i].subStrokes.length);
        expect(s.subStrokeStarts[0]).toBe(0);
        for (let k = 1; k < s.subStrokeStarts.length; k++) expect(s.subStrokeStarts[k]).toBeGreaterThan(s.subStrokeStarts[k - 1]);
        expect(s.subStrokeStarts.at(-1)!).toBeLessThan(s.points.length - 1);
      });
      const times = token.drawing.flat().map((p) => p.t);
      for (let k = 1; k < times.length; k++) expect(times[k]).toBeGreaterThanOrEqual(times[k - 1]);
      // The drawing is an Omniglot stroke file, up to the file's 6 decimals.
      const back = parseOmniglotStrokes(serializeOmniglotStrokes(token.drawing));
      expect(back.length).toBe(token.drawing.length);
      expect(back[0][0].x).toBeCloseTo(token.drawing[0][0].x, 5);
      // Without motor or affine noise a token retraces the type's skeleton.
      const exact = sampleCharacterToken(type, rng, { motorNoise: 0, affineNoise: 0, timing: false });
      const skel = typeSkeleton(type);
      expect(exact.path[0][5].x).toBeCloseTo(skel[0][5].x, 6);
      expect(exact.path[0][5].y).toBeCloseTo(skel[0][5].y, 6);
    }
  });

  it('offers Bernoulli ink at the image level (binary at 105×105)', () => {
    const style = syntheticAlphabet(0, 0);
    const token = syntheticToken(style, syntheticCharacter(style, 0), 0, 0);
    const big = renderToken(token, { size: 105, bernoulli: { rng: new Rng(5), epsilon: 0.01 } });
    expect(big.every((v) => v === 0 || v === 1)).toBe(true);
    const smooth = renderToken(token, { size: 105 });
    expect(smooth.some((v) => v > 0 && v < 1)).toBe(true);
  });
});
