import { describe, expect, it } from 'vitest';
import { drawingToImage, type Drawing, type Stroke } from '../../engine/tasks/characters';
import { appendPoint, canvasToPad, drawingAt, hasTiming, inkSum, pointerToCanvas, replayTimeline, timelineDuration, undoStroke } from './strokeCapture';

const rect = { left: 100, top: 50, width: 210, height: 210 };

describe('pointer → canvas coordinates', () => {
  it('maps a fraction u of the width to x = 105·u − 0.5 (pixel centres at integers)', () => {
    expect(pointerToCanvas(100, 50, rect)).toEqual({ x: -0.5, y: -0.5 });
    expect(pointerToCanvas(100 + 105, 50 + 105, rect)).toEqual({ x: 52, y: 52 });
    // The centre of pad pixel pair 0–1 (2 pad pixels per canvas pixel) is canvas pixel 0's centre.
    expect(pointerToCanvas(101, 51, rect)).toEqual({ x: 0, y: 0 });
    expect(pointerToCanvas(310, 260, rect)).toEqual({ x: 104.5, y: 104.5 });
  });

  it('clamps pointers that left the pad (pointer capture keeps them coming)', () => {
    expect(pointerToCanvas(0, 1000, rect)).toEqual({ x: -0.5, y: 104.5 });
  });

  it('inverts with canvasToPad', () => {
    for (const x of [-0.5, 0, 17.25, 52, 104.5]) {
      const padX = canvasToPad(x, rect.width);
      expect(pointerToCanvas(rect.left + padX, rect.top, rect).x).toBeCloseTo(x, 9);
    }
  });

  it('survives a zero-size pad', () => {
    expect(pointerToCanvas(5, 5, { left: 0, top: 0, width: 0, height: 0 })).toEqual({ x: -0.5, y: -0.5 });
  });
});

describe('stroke recording', () => {
  it('skips samples that repeat the last point and keeps time monotonic and whole', () => {
    const s: Stroke = [];
    expect(appendPoint(s, { x: 10, y: 10, t: 0 })).toBe(true);
    expect(appendPoint(s, { x: 10.1, y: 10.1, t: 5 })).toBe(false);
    expect(appendPoint(s, { x: 12, y: 10, t: 16.4 })).toBe(true);
    expect(appendPoint(s, { x: 14, y: 10, t: 12 })).toBe(true);
    expect(s).toEqual([
      { x: 10, y: 10, t: 0 },
      { x: 12, y: 10, t: 16 },
      { x: 14, y: 10, t: 16 },
    ]);
  });

  it('undo drops the last stroke only', () => {
    const d: Drawing = [[{ x: 1, y: 1, t: 0 }], [{ x: 2, y: 2, t: 10 }]];
    expect(undoStroke(d)).toEqual([[{ x: 1, y: 1, t: 0 }]]);
    expect(undoStroke([])).toEqual([]);
  });
});

describe('replay timeline', () => {
  const drawing: Drawing = [
    [
      { x: 0, y: 0, t: 1000 },
      { x: 10, y: 0, t: 1100 },
    ],
    [
      { x: 0, y: 10, t: 5000 },
      { x: 0, y: 20, t: 5040 },
    ],
  ];

  it('starts at 0 and shortens long pen-ups', () => {
    const tl = replayTimeline(drawing, { maxGap: 250 });
    expect(tl.map((s) => s.map((p) => p.t))).toEqual([
      [0, 100],
      [350, 390],
    ]);
    expect(timelineDuration(tl)).toBe(390);
  });

  it('gives untimed drawings times from arc length', () => {
    const flat = drawing.map((s) => s.map((p) => ({ ...p, t: 0 })));
    expect(hasTiming(flat)).toBe(false);
    expect(hasTiming(drawing)).toBe(true);
    const tl = replayTimeline(flat, { speed: 0.1, penUp: 200, maxGap: 1000 });
    expect(tl.map((s) => s.map((p) => p.t))).toEqual([
      [0, 100],
      [300, 400],
    ]);
  });

  it('drawingAt shows whole earlier strokes and interpolates the current one', () => {
    const tl = replayTimeline(drawing);
    expect(drawingAt(tl, -1)).toEqual([]);
    const mid = drawingAt(tl, 50);
    expect(mid).toHaveLength(1);
    expect(mid[0].at(-1)).toMatchObject({ x: 5, y: 0 });
    expect(drawingAt(tl, 200)).toEqual([tl[0]]);
    const second = drawingAt(tl, 370);
    expect(second).toHaveLength(2);
    expect(second[1].at(-1)!.y).toBeCloseTo(15, 9);
    expect(drawingAt(tl, 1e9)).toEqual(tl);
  });
});

describe('preview ink', () => {
  it('is 0 for an empty drawing and positive once something is drawn', () => {
    expect(inkSum(drawingToImage([]))).toBe(0);
    const img = drawingToImage([[{ x: 30, y: 30, t: 0 }, { x: 70, y: 70, t: 200 }]]);
    expect(inkSum(img)).toBeGreaterThan(5);
    expect(inkSum(new Uint8Array([255, 0, 255]), 1 / 255)).toBeCloseTo(2, 9);
  });
});
