import { OMNIGLOT_CANVAS, type Drawing, type Stroke, type StrokePoint } from '../../engine/tasks/characters';

/**
 * The maths behind the drawing pad and stroke replays, DOM-free so that it is unit-tested in Node.
 *
 * Coordinates follow the engine (see strokes.ts): pixels of the 105×105 Omniglot canvas, x right,
 * y down, a pointer at fraction u of the pad's width is at x = 105·u − 0.5. Times are milliseconds
 * since the drawing's first point and run on across strokes (Omniglot's format).
 */

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A pointer position (client pixels) → canvas coordinates, clamped to the canvas (−0.5 … 104.5). */
export function pointerToCanvas(clientX: number, clientY: number, rect: Rect, canvas = OMNIGLOT_CANVAS): { x: number; y: number } {
  const u = rect.width > 0 ? (clientX - rect.left) / rect.width : 0;
  const v = rect.height > 0 ? (clientY - rect.top) / rect.height : 0;
  const clamp = (w: number) => Math.min(canvas - 0.5, Math.max(-0.5, canvas * w - 0.5));
  return { x: clamp(u), y: clamp(v) };
}

/** Canvas coordinates → pixels of a pad `side` pixels wide (the inverse of pointerToCanvas). */
export function canvasToPad(x: number, side: number, canvas = OMNIGLOT_CANVAS): number {
  return ((x + 0.5) / canvas) * side;
}

/**
 * Appends a sample to a stroke unless it repeats the last one: closer than `minDistance` canvas
 * pixels. A pen resting in place adds nothing; its pause still shows as a gap in the timestamps,
 * which is what the parser reads as a sub-stroke boundary. Times never run backwards.
 */
export function appendPoint(stroke: Stroke, p: StrokePoint, minDistance = 0.35): boolean {
  const last = stroke[stroke.length - 1];
  const t = last ? Math.max(last.t, p.t) : p.t;
  if (last && Math.hypot(p.x - last.x, p.y - last.y) < minDistance) return false;
  stroke.push({ x: p.x, y: p.y, t: Math.round(t) });
  return true;
}

/** The drawing without its last stroke. */
export function undoStroke(drawing: Drawing): Drawing {
  return drawing.slice(0, -1);
}

/** Whether a drawing carries usable timing (any time advances), else replays go by arc length. */
export function hasTiming(drawing: Drawing): boolean {
  let first: number | null = null;
  for (const s of drawing)
    for (const p of s) {
      if (first === null) first = p.t;
      else if (p.t !== first) return true;
    }
  return false;
}

export interface ReplayOptions {
  /** Any silence between two samples (a pause or a pen-up) is shortened to this (ms). Default 250. */
  maxGap?: number;
  /** Pen speed for drawings without timing, in canvas pixels per ms. Default 0.12. */
  speed?: number;
  /** Pen-up time between strokes for drawings without timing (ms). Default 200. */
  penUp?: number;
}

/**
 * A replay timeline: the same strokes with times starting at 0, long silences shortened, and, for a
 * drawing without timing (synthetic paths, hand-written files), times from arc length at a steady speed.
 */
export function replayTimeline(drawing: Drawing, options: ReplayOptions = {}): Drawing {
  const maxGap = options.maxGap ?? 250;
  const speed = options.speed ?? 0.12;
  const penUp = options.penUp ?? 200;
  const timed = hasTiming(drawing);
  const out: Drawing = [];
  let clock = 0;
  let prev: StrokePoint | null = null;
  for (const s of drawing) {
    if (s.length === 0) continue;
    const stroke: Stroke = [];
    for (let k = 0; k < s.length; k++) {
      const p = s[k];
      if (prev) {
        let dt: number;
        if (timed) dt = Math.max(0, p.t - prev.t);
        else dt = k === 0 ? penUp : Math.hypot(p.x - prev.x, p.y - prev.y) / speed;
        clock += Math.min(dt, maxGap);
      }
      stroke.push({ x: p.x, y: p.y, t: clock });
      prev = p;
    }
    out.push(stroke);
  }
  return out;
}

/** How long a replay timeline lasts (ms). */
export function timelineDuration(timeline: Drawing): number {
  const last = timeline[timeline.length - 1];
  return last && last.length > 0 ? last[last.length - 1].t : 0;
}

/**
 * What has been drawn by time `t` of a timeline: whole earlier strokes, and the current one up to
 * a point interpolated between its last two samples.
 */
export function drawingAt(timeline: Drawing, t: number): Drawing {
  const out: Drawing = [];
  for (const s of timeline) {
    if (s.length === 0 || s[0].t > t) break;
    if (s[s.length - 1].t <= t) {
      out.push(s);
      continue;
    }
    const part: Stroke = [];
    for (let k = 0; k < s.length; k++) {
      const p = s[k];
      if (p.t <= t) {
        part.push(p);
        continue;
      }
      const q = s[k - 1];
      const f = p.t > q.t ? (t - q.t) / (p.t - q.t) : 1;
      part.push({ x: q.x + f * (p.x - q.x), y: q.y + f * (p.y - q.y), t });
      break;
    }
    out.push(part);
    break;
  }
  return out;
}

/** Total ink of an image (sum of its values): what the preview reports, 0 for a blank image. */
export function inkSum(img: ArrayLike<number>, scale = 1): number {
  let s = 0;
  for (let i = 0; i < img.length; i++) s += img[i];
  return s * scale;
}

export function pointTotal(drawing: Drawing): number {
  let n = 0;
  for (const s of drawing) n += s.length;
  return n;
}
