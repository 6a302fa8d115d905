import { describe, expect, it } from 'vitest';
import { DRAWING_SET_FORMAT, DRAWING_SET_LIMITS, DRAWING_SET_VERSION, DrawingSetError, parseDrawingSet } from './drawingSet';
import type { Drawing } from './strokes';

const line = (points: number): Drawing => [Array.from({ length: points }, (_, i) => ({ x: i % 105, y: 50, t: i }))];
const file = (classes: { name: string; drawings: Drawing[] }[]) => ({ format: DRAWING_SET_FORMAT, version: DRAWING_SET_VERSION, classes, episodes: [] });

describe('drawings files over the limits are refused with a message, before their drawings are copied', () => {
  it('a drawing with a million points', () => {
    const text = JSON.stringify(file([{ name: 'a', drawings: [line(10), line(1_000_000)] }]));
    expect(() => parseDrawingSet(text)).toThrow(DrawingSetError);
    expect(() => parseDrawingSet(text)).toThrow(`class 0 ("a"), drawing 1: 1000000 points; a drawing may have at most ${DRAWING_SET_LIMITS.pointsPerDrawing}`);
  });

  it('a million points spread over many drawings, and too many drawings', () => {
    const many = Array.from({ length: 200 }, () => line(5000));
    expect(() => parseDrawingSet(file([{ name: 'a', drawings: many }]))).toThrow(`more than ${DRAWING_SET_LIMITS.points} points`);
    const crowd = Array.from({ length: DRAWING_SET_LIMITS.drawings + 1 }, () => line(2));
    expect(() => parseDrawingSet(file([{ name: 'a', drawings: crowd.slice(0, 3000) }, { name: 'b', drawings: crowd.slice(3000) }]))).toThrow(
      `more than ${DRAWING_SET_LIMITS.drawings} drawings`,
    );
  });

  it('a text longer than a drawings file can be is not parsed', () => {
    const text = `{"format":"${DRAWING_SET_FORMAT}","pad":"${'x'.repeat(DRAWING_SET_LIMITS.textLength)}"}`;
    expect(() => parseDrawingSet(text)).toThrow(/the file is 32 MB; a drawings file is at most 32 MB/);
  });

  it('files within the limits still read', () => {
    const ok = parseDrawingSet(JSON.stringify(file([{ name: 'a', drawings: [line(DRAWING_SET_LIMITS.pointsPerDrawing), line(3)] }])));
    expect(ok.classes[0].drawings.map((d) => d[0].length)).toEqual([DRAWING_SET_LIMITS.pointsPerDrawing, 3]);
  });
});
