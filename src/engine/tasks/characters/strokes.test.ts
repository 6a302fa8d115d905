import { describe, expect, it } from 'vitest';
import { drawingBounds, parseOmniglotStrokes, rotateDrawing, serializeOmniglotStrokes, StrokeFormatError, validateDrawing } from './strokes';

const FILE = `START
18.954528,-43.534334,0
19.739983,-41.963425,56
20.5,-40,96
BREAK
30,-10.5,500
31,-11,530
BREAK
`;

describe('Omniglot stroke text', () => {
  it('parses START / x,y,t / BREAK into strokes in image coordinates (y flipped down)', () => {
    const d = parseOmniglotStrokes(FILE);
    expect(d).toHaveLength(2);
    expect(d[0]).toHaveLength(3);
    expect(d[0][0]).toEqual({ x: 18.954528, y: 43.534334, t: 0 });
    expect(d[1][1]).toEqual({ x: 31, y: 11, t: 530 });
  });

  it('round-trips through the serializer', () => {
    const d = parseOmniglotStrokes(FILE);
    expect(parseOmniglotStrokes(serializeOmniglotStrokes(d))).toEqual(d);
    expect(serializeOmniglotStrokes(d).split('\n')[0]).toBe('START');
  });

  it('keeps a last stroke without BREAK and accepts CRLF', () => {
    expect(parseOmniglotStrokes('START\r\n1,-2,0\r\n3,-4,10\r\n')).toEqual([[{ x: 1, y: 2, t: 0 }, { x: 3, y: 4, t: 10 }]]);
  });

  it('rejects text that is not a strokes file, naming the line', () => {
    expect(() => parseOmniglotStrokes('')).toThrow(StrokeFormatError);
    expect(() => parseOmniglotStrokes('hello')).toThrow(/line 1: expected START/);
    expect(() => parseOmniglotStrokes('START\n1,2\n')).toThrow(/line 2/);
    expect(() => parseOmniglotStrokes('START\n1,x,3\n')).toThrow(/not three numbers/);
  });

  it('validates drawings read from JSON', () => {
    expect(validateDrawing([[{ x: 1, y: 2, t: 3 }]])).toEqual([[{ x: 1, y: 2, t: 3 }]]);
    expect(() => validateDrawing({})).toThrow(StrokeFormatError);
    expect(() => validateDrawing([[]])).toThrow(/non-empty/);
    expect(() => validateDrawing([[{ x: 1, y: 'a', t: 0 }]])).toThrow(/stroke 0, point 0/);
  });

  it('rotates clockwise about the canvas centre (pixel centres at integers: 0 … 104)', () => {
    const d = [[{ x: 52, y: 0, t: 0 }, { x: 104, y: 52, t: 1 }]];
    const r = rotateDrawing(d, 90);
    expect(r[0][0].x).toBeCloseTo(104);
    expect(r[0][0].y).toBeCloseTo(52);
    expect(r[0][1].x).toBeCloseTo(52);
    expect(r[0][1].y).toBeCloseTo(104);
    const back = rotateDrawing(rotateDrawing(r, 180), 90);
    expect(back[0][0].x).toBeCloseTo(52);
    expect(back[0][0].y).toBeCloseTo(0);
    expect(drawingBounds(d)).toEqual({ minX: 52, minY: 0, maxX: 104, maxY: 52 });
  });
});
