import { describe, expect, it } from 'vitest';
import { INK, inkToRgba, PAPER } from './inkImage';

describe('ink → RGBA', () => {
  it('maps 0 to paper and full ink to ink, bytes and floats alike, clamping out-of-range values', () => {
    const out = new Uint8ClampedArray(4 * 4);
    inkToRgba([0, 255, 128, 300], 0, 2, 1 / 255, out);
    expect(Array.from(out.slice(0, 4))).toEqual([...PAPER, 255]);
    expect(Array.from(out.slice(4, 8))).toEqual([...INK, 255]);
    expect(out[8]).toBeCloseTo(PAPER[0] + (INK[0] - PAPER[0]) * (128 / 255), 0);
    expect(Array.from(out.slice(12, 16))).toEqual([...INK, 255]);
    const f = new Uint8ClampedArray(4);
    inkToRgba(new Float32Array([9, -1]), 1, 1, 1, f);
    expect(Array.from(f)).toEqual([...PAPER, 255]);
  });
});
