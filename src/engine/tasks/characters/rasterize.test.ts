import { describe, expect, it } from 'vitest';
import { centreAndScale, downsampleArea, drawingToImage, OMNIGLOT_PEN_WIDTH, rasterizeDrawing, rotateImage, toBytes } from './rasterize';
import { drawingBounds, type Drawing } from './strokes';

const line = (x0: number, y0: number, x1: number, y1: number): Drawing => [[{ x: x0, y: y0, t: 0 }, { x: x1, y: y1, t: 100 }]];

describe('rasterization', () => {
  it('draws a horizontal stroke exactly pen-width rows thick on the 105 canvas', () => {
    expect(OMNIGLOT_PEN_WIDTH).toBe(5);
    const img = rasterizeDrawing(line(10, 52, 94, 52));
    for (let i = 0; i < 105; i++) {
      const v = img[i * 105 + 50];
      expect(v).toBe(i >= 50 && i <= 54 ? 1 : 0);
    }
    // Round caps, anti-aliased: the pen reaches 2.5 px (+0.5 px soft edge) beyond the ends.
    expect(img[52 * 105 + 7]).toBe(0);
    expect(img[52 * 105 + 8]).toBeCloseTo(1);
    expect(img[52 * 105 + 97]).toBe(0);
  });

  it('gives ink 2/3 in exactly rows 13 and 14 of the 28×28 (hand-checked area average)', () => {
    // Ink rows 50..54 of 105. Output row 13 covers input rows [48.75, 52.5): rows 50, 51 and half of 52
    // = 2.5 of 3.75 → 2/3; row 14 covers [52.5, 56.25): half of 52, 53, 54 → 2/3. Columns 4..23 lie
    // inside the stroke's straight part (x 15 … 90).
    const img = drawingToImage(line(10, 52, 94, 52), { centre: false });
    expect(img.length).toBe(28 * 28);
    for (let i = 0; i < 28; i++)
      for (let j = 0; j < 28; j++) {
        const v = img[i * 28 + j];
        if (i !== 13 && i !== 14) expect(v).toBe(0);
        else if (j >= 4 && j <= 23) expect(v).toBeCloseTo(2 / 3, 6);
      }
    // And a vertical stroke lands in columns 13 and 14.
    const v = drawingToImage(line(52, 10, 52, 94), { centre: false });
    for (let i = 4; i <= 23; i++) {
      expect(v[i * 28 + 13]).toBeCloseTo(2 / 3, 6);
      expect(v[i * 28 + 14]).toBeCloseTo(2 / 3, 6);
      expect(v[i * 28 + 12]).toBe(0);
      expect(v[i * 28 + 15]).toBe(0);
    }
  });

  it('reduces to 20×20 for MANN the same way (rows 9 and 10 get 2.5/5.25)', () => {
    const img = drawingToImage(line(10, 52, 94, 52), { centre: false, size: 20 });
    for (let j = 4; j <= 15; j++) {
      expect(img[9 * 20 + j]).toBeCloseTo(2.5 / 5.25, 6);
      expect(img[10 * 20 + j]).toBeCloseTo(2.5 / 5.25, 6);
      expect(img[8 * 20 + j]).toBe(0);
      expect(img[11 * 20 + j]).toBe(0);
    }
  });

  it('area-averages exactly (matches a supersampled reference and keeps the mean)', () => {
    const src = new Float32Array(105 * 105);
    for (let i = 0; i < src.length; i++) src[i] = (i * 7919) % 13 === 0 ? ((i * 31) % 100) / 100 : 0;
    const out = downsampleArea(src, 105, 28);
    const ref = new Float64Array(28 * 28); // 420 = lcm(105, 28): each input pixel is 4×4 cells, each output 15×15
    for (let y = 0; y < 420; y++) for (let x = 0; x < 420; x++) ref[Math.floor(y / 15) * 28 + Math.floor(x / 15)] += src[Math.floor(y / 4) * 105 + Math.floor(x / 4)] / 225;
    for (let k = 0; k < out.length; k++) expect(out[k]).toBeCloseTo(ref[k], 5);
    // Bytes scale (the decoded-bitmap path uses the same function).
    const bytes = toBytes(src);
    const fromBytes = downsampleArea(bytes, 105, 28, undefined, 1 / 255);
    for (let k = 0; k < out.length; k++) expect(fromBytes[k]).toBeCloseTo(out[k], 2);
  });

  it('centres and scales a small off-centre drawing to Omniglot size', () => {
    const d = centreAndScale(line(5, 5, 25, 15));
    const b = drawingBounds(d);
    expect((b.minX + b.maxX) / 2).toBeCloseTo(52);
    expect((b.minY + b.maxY) / 2).toBeCloseTo(52);
    expect(b.maxX - b.minX).toBeCloseTo(0.56 * 105);
    // Centring is on by default for drawingToImage, so where a user draws does not matter.
    const a = drawingToImage(line(5, 5, 25, 15));
    const c = drawingToImage(line(60, 70, 80, 80));
    for (let k = 0; k < a.length; k++) expect(a[k]).toBeCloseTo(c[k], 5);
  });

  it('draws a one-point stroke as a dot', () => {
    const img = rasterizeDrawing([[{ x: 30, y: 40, t: 0 }]]);
    expect(img[40 * 105 + 30]).toBe(1);
    expect(img[40 * 105 + 33]).toBe(0);
  });

  it('rotates images clockwise, consistently with rotateDrawing', () => {
    const img = Uint8Array.from([1, 2, 3, 4]); // [[1, 2], [3, 4]]
    expect(Array.from(rotateImage(img, 2, 90))).toEqual([3, 1, 4, 2]);
    expect(Array.from(rotateImage(img, 2, 180))).toEqual([4, 3, 2, 1]);
    expect(Array.from(rotateImage(img, 2, 270))).toEqual([2, 4, 1, 3]);
  });
});
