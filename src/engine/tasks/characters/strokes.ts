/**
 * Pen strokes in Omniglot's own format.
 *
 * A drawing is a list of strokes (pen-down to pen-up); a stroke is a list of points with x, y in
 * pixels of the 105×105 Omniglot canvas and t in milliseconds (the clock runs on across strokes).
 * In the engine, points use image coordinates: x to the right, y downwards, and the pixel in row i,
 * column j has its centre at (x = j, y = i), as in Omniglot's files (the canvas spans −0.5 … 104.5;
 * a drawing pad maps a pointer at fraction u of its width to x = 105·u − 0.5). So a pad's points and
 * decoded Omniglot strokes are interchangeable. The Omniglot text files store y negated ("motor" space, y up); the parser and the
 * serializer convert.
 *
 * Text format: a line `START`, then one `x,y,t` line per point, and `BREAK` at every pen-up.
 */

export interface StrokePoint {
  x: number;
  y: number;
  /** Milliseconds since the drawing started. */
  t: number;
}

/** One pen-down … pen-up trace. */
export type Stroke = StrokePoint[];

/** A handwritten character: its strokes in drawing order. */
export type Drawing = Stroke[];

/** Side of the square Omniglot canvas, in pixels. */
export const OMNIGLOT_CANVAS = 105;

/** A strokes text (or JSON drawing) that cannot be read. */
export class StrokeFormatError extends Error {
  override name = 'StrokeFormatError';
}

/** Parses an Omniglot stroke file (`START`, `x,y,t` lines, `BREAK` at each pen-up) into image coordinates. */
export function parseOmniglotStrokes(text: string): Drawing {
  const lines = text.split(/\r?\n/);
  const drawing: Drawing = [];
  let current: Stroke = [];
  let started = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (line === 'START') {
      if (started) throw new StrokeFormatError(`line ${i + 1}: a second START`);
      started = true;
      continue;
    }
    if (!started) throw new StrokeFormatError(`line ${i + 1}: expected START, got "${clip(line)}"`);
    if (line === 'BREAK') {
      if (current.length > 0) drawing.push(current);
      current = [];
      continue;
    }
    const parts = line.split(',');
    if (parts.length !== 3) throw new StrokeFormatError(`line ${i + 1}: expected "x,y,t", got "${clip(line)}"`);
    const x = Number(parts[0]);
    const y = Number(parts[1]);
    const t = Number(parts[2]);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(t) || parts.some((p) => p.trim() === ''))
      throw new StrokeFormatError(`line ${i + 1}: not three numbers: "${clip(line)}"`);
    current.push({ x, y: -y, t });
  }
  if (!started) throw new StrokeFormatError('empty strokes file (no START line)');
  // A file whose last stroke lacks its closing BREAK still keeps that stroke.
  if (current.length > 0) drawing.push(current);
  return drawing;
}

/** Writes a drawing as Omniglot stroke text (y negated back into motor space). */
export function serializeOmniglotStrokes(drawing: Drawing): string {
  const out = ['START'];
  for (const stroke of drawing) {
    for (const p of stroke) out.push(`${fmt(p.x)},${fmt(-p.y)},${Math.round(p.t)}`);
    out.push('BREAK');
  }
  return `${out.join('\n')}\n`;
}

/** Checks a value parsed from JSON is a drawing; returns it typed or throws StrokeFormatError naming `where`. */
export function validateDrawing(value: unknown, where = 'drawing'): Drawing {
  if (!Array.isArray(value)) throw new StrokeFormatError(`${where} must be a list of strokes`);
  return value.map((stroke, s) => {
    if (!Array.isArray(stroke) || stroke.length === 0)
      throw new StrokeFormatError(`${where}, stroke ${s}: must be a non-empty list of points`);
    return stroke.map((p, k) => {
      const q = p as Partial<StrokePoint> | null;
      if (q === null || typeof q !== 'object' || !isNum(q.x) || !isNum(q.y) || !isNum(q.t))
        throw new StrokeFormatError(`${where}, stroke ${s}, point ${k}: needs numeric x, y and t`);
      return { x: q.x, y: q.y, t: q.t };
    });
  });
}

export function pointCount(drawing: Drawing): number {
  let n = 0;
  for (const s of drawing) n += s.length;
  return n;
}

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Bounding box of all points (a zero box at the origin for an empty drawing). */
export function drawingBounds(drawing: Drawing): Box {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of drawing)
    for (const p of s) {
      if (p.x < minX) minX = p.x;
      if (p.x > maxX) maxX = p.x;
      if (p.y < minY) minY = p.y;
      if (p.y > maxY) maxY = p.y;
    }
  if (minX === Infinity) return { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  return { minX, minY, maxX, maxY };
}

/** Applies x' = a·x + b·y + tx, y' = c·x + d·y + ty to every point (times unchanged). */
export function transformDrawing(drawing: Drawing, a: number, b: number, c: number, d: number, tx: number, ty: number): Drawing {
  return drawing.map((s) => s.map((p) => ({ x: a * p.x + b * p.y + tx, y: c * p.x + d * p.y + ty, t: p.t })));
}

/** Rotates a drawing clockwise (as seen on screen) by a multiple of 90° about the canvas centre. */
export function rotateDrawing(drawing: Drawing, degrees: number, canvas = OMNIGLOT_CANVAS): Drawing {
  const q = (((Math.round(degrees / 90) % 4) + 4) % 4) as 0 | 1 | 2 | 3;
  const c = (canvas - 1) / 2;
  // Image coordinates have y downwards, so (x, y) → (c − (y − c), c + (x − c)) turns clockwise on screen.
  const cos = [1, 0, -1, 0][q];
  const sin = [0, 1, 0, -1][q];
  return transformDrawing(drawing, cos, -sin, sin, cos, c - cos * c + sin * c, c - sin * c - cos * c);
}

function fmt(v: number): string {
  return String(Math.round(v * 1e6) / 1e6);
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
