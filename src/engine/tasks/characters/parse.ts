import { centreAndScale } from './rasterize';
import { fitSpline } from './spline';
import type { Drawing, Stroke } from './strokes';
import type { CharacterParse, CharacterType, ParsedStroke, Relation } from './characterType';

/**
 * Parsing a drawing into strokes and sub-strokes, the way BPL segments motor data: a stroke is
 * already a pen-down … pen-up trace; it is cut into sub-strokes where the pen pauses or slows to a
 * local speed minimum. Each stroke after the first gets the relation that best explains where it
 * starts (at the start or end of an earlier stroke, along one, or independent). A parse can be
 * turned into a character type, which the synthetic model then re-draws as new tokens.
 */

export interface ParseOptions {
  /** A gap of at least this many ms between two points is a pause (the pen rested; pads record no samples then). Default 100. */
  pauseMs?: number;
  /** Speed is averaged over ±this many milliseconds (default 30). */
  smoothMs?: number;
  /** A local speed minimum below this fraction of the stroke's median speed is a boundary (default 0.35). */
  speedFraction?: number;
  /** Sub-strokes shorter than this (pixels of the 105 canvas) are not split off (default 8). */
  minSubStrokeLength?: number;
  /** Without timestamps, turns sharper than this (radians) over ±4 px split sub-strokes (default 1.2). */
  cornerAngle?: number;
  /** A stroke starting this close (pixels) to an earlier one is attached to it (default 6). */
  attachDistance?: number;
}

const DEFAULTS: Required<ParseOptions> = {
  pauseMs: 100,
  smoothMs: 30,
  speedFraction: 0.35,
  minSubStrokeLength: 8,
  cornerAngle: 1.2,
  attachDistance: 6,
};

/** Cumulative arc length at every point. */
function arcLengths(stroke: Stroke): Float64Array {
  const s = new Float64Array(stroke.length);
  for (let k = 1; k < stroke.length; k++) s[k] = s[k - 1] + Math.hypot(stroke[k].x - stroke[k - 1].x, stroke[k].y - stroke[k - 1].y);
  return s;
}

/**
 * Pen speed (pixels per ms) at every point, as arc length travelled over a ±smoothMs window.
 * Robust to Omniglot's repeated timestamps and to pauses (a resting pen has speed 0).
 */
export function strokeSpeeds(stroke: Stroke, smoothMs = DEFAULTS.smoothMs): Float64Array {
  const n = stroke.length;
  const s = arcLengths(stroke);
  const v = new Float64Array(n);
  if (n < 2) return v;
  // Arc length as a function of time: piecewise linear through (t_k, s_k), last value for repeated times.
  const at = (t: number): number => {
    if (t <= stroke[0].t) return 0;
    if (t >= stroke[n - 1].t) return s[n - 1];
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (stroke[mid].t <= t) lo = mid;
      else hi = mid;
    }
    const t0 = stroke[lo].t;
    const t1 = stroke[hi].t;
    return t1 > t0 ? s[lo] + ((s[hi] - s[lo]) * (t - t0)) / (t1 - t0) : s[hi];
  };
  const tStart = stroke[0].t;
  const tEnd = stroke[n - 1].t;
  for (let k = 0; k < n; k++) {
    const a = Math.max(tStart, stroke[k].t - smoothMs);
    const b = Math.min(tEnd, stroke[k].t + smoothMs);
    v[k] = b > a ? (at(b) - at(a)) / (b - a) : 0;
  }
  return v;
}

function hasTiming(stroke: Stroke): boolean {
  return stroke.length > 1 && stroke[stroke.length - 1].t > stroke[0].t;
}

/**
 * Sub-stroke boundaries of one stroke: point indices where each sub-stroke starts (the first is 0).
 * With timestamps, cuts at pauses and speed minima (pauses first); without, at sharp corners.
 */
export function splitSubStrokes(stroke: Stroke, options: ParseOptions = {}): number[] {
  const o = { ...DEFAULTS, ...options };
  const n = stroke.length;
  if (n < 3) return [0];
  const s = arcLengths(stroke);
  const total = s[n - 1];
  if (total < 2 * o.minSubStrokeLength) return [0];
  // Candidate cut points with a score (lower = stronger cut).
  const candidates: { k: number; score: number }[] = [];
  if (hasTiming(stroke)) {
    const v = strokeSpeeds(stroke, o.smoothMs);
    const sorted = Array.from(v).sort((a, b) => a - b);
    const median = sorted[n >> 1];
    const limit = o.speedFraction * median;
    // Pauses: a long silence between two samples; the cut goes where the pen rested.
    for (let k = 1; k < n - 1; k++) if (stroke[k + 1].t - stroke[k].t >= o.pauseMs) candidates.push({ k, score: -1 });
    for (let k = 1; k < n - 1; k++) {
      if (v[k] > limit) continue;
      // A local minimum, taking the middle of a flat run (a resting pen).
      let e = k;
      while (e + 1 < n - 1 && v[e + 1] === v[k]) e++;
      if (v[k - 1] >= v[k] && v[e + 1] >= v[e]) candidates.push({ k: (k + e) >> 1, score: v[k] / (median || 1) });
      k = e;
    }
  } else {
    const w = 4;
    const pointAt = (target: number): { x: number; y: number } => {
      let k = 0;
      while (k < n - 1 && s[k + 1] < target) k++;
      if (k >= n - 1) return stroke[n - 1];
      const f = s[k + 1] > s[k] ? (target - s[k]) / (s[k + 1] - s[k]) : 0;
      return { x: stroke[k].x + f * (stroke[k + 1].x - stroke[k].x), y: stroke[k].y + f * (stroke[k + 1].y - stroke[k].y) };
    };
    const turn = new Float64Array(n);
    for (let k = 1; k < n - 1; k++) {
      const a = pointAt(Math.max(0, s[k] - w));
      const b = pointAt(Math.min(total, s[k] + w));
      const p = stroke[k];
      const h1 = Math.atan2(p.y - a.y, p.x - a.x);
      const h2 = Math.atan2(b.y - p.y, b.x - p.x);
      let d = Math.abs(h2 - h1);
      if (d > Math.PI) d = 2 * Math.PI - d;
      turn[k] = d;
    }
    for (let k = 1; k < n - 1; k++)
      if (turn[k] >= o.cornerAngle && turn[k] >= turn[k - 1] && turn[k] >= turn[k + 1]) candidates.push({ k, score: -turn[k] });
  }
  candidates.sort((a, b) => a.score - b.score || a.k - b.k);
  const cuts: number[] = [];
  for (const c of candidates) {
    const at = s[c.k];
    if (at < o.minSubStrokeLength || total - at < o.minSubStrokeLength) continue;
    if (cuts.some((k) => Math.abs(s[k] - at) < o.minSubStrokeLength)) continue;
    cuts.push(c.k);
  }
  return [0, ...cuts.sort((a, b) => a - b)];
}

/** Nearest point on a stroke to p: distance, sub-stroke, and arc-length fraction within that sub-stroke. */
function nearestAlong(p: { x: number; y: number }, stroke: ParsedStroke): { d: number; subStroke: number; at: number } {
  const pts = stroke.points;
  const s = arcLengths(pts);
  let best = { d: Infinity, arc: 0 };
  if (pts.length === 1) best = { d: Math.hypot(p.x - pts[0].x, p.y - pts[0].y), arc: 0 };
  for (let k = 1; k < pts.length; k++) {
    const ax = pts[k - 1].x;
    const ay = pts[k - 1].y;
    const dx = pts[k].x - ax;
    const dy = pts[k].y - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((p.x - ax) * dx + (p.y - ay) * dy) / len2)) : 0;
    const d = Math.hypot(p.x - ax - t * dx, p.y - ay - t * dy);
    if (d < best.d) best = { d, arc: s[k - 1] + t * (s[k] - s[k - 1]) };
  }
  const starts = stroke.subStrokeStarts;
  let sub = 0;
  while (sub + 1 < starts.length && s[starts[sub + 1]] <= best.arc) sub++;
  const a = s[starts[sub]];
  const b = sub + 1 < starts.length ? s[starts[sub + 1]] : s[s.length - 1];
  return { d: best.d, subStroke: sub, at: b > a ? (best.arc - a) / (b - a) : 0 };
}

/** The relation that best explains where stroke `index` starts, given the earlier parsed strokes. */
export function inferRelation(strokes: readonly ParsedStroke[], index: number, options: ParseOptions = {}): Relation {
  const o = { ...DEFAULTS, ...options };
  const p = strokes[index].points[0];
  let best: Relation = { kind: 'independent', x: p.x, y: p.y };
  let bestD = o.attachDistance;
  // Ends attach a little more readily than a point along (a common, exact junction).
  for (let j = 0; j < index; j++) {
    const pts = strokes[j].points;
    const dStart = Math.hypot(p.x - pts[0].x, p.y - pts[0].y);
    const dEnd = Math.hypot(p.x - pts[pts.length - 1].x, p.y - pts[pts.length - 1].y);
    if (dStart <= bestD) [best, bestD] = [{ kind: 'start', stroke: j }, dStart];
    if (dEnd <= bestD) [best, bestD] = [{ kind: 'end', stroke: j }, dEnd];
  }
  if (best.kind !== 'independent') return best;
  for (let j = 0; j < index; j++) {
    const near = nearestAlong(p, strokes[j]);
    if (near.d <= bestD) [best, bestD] = [{ kind: 'along', stroke: j, subStroke: near.subStroke, at: near.at }, near.d];
  }
  return best;
}

/** Splits every stroke into sub-strokes and infers the relations between strokes. */
export function parseDrawing(drawing: Drawing, options: ParseOptions = {}): CharacterParse {
  const strokes: ParsedStroke[] = drawing.filter((s) => s.length > 0).map((points) => ({ points, subStrokeStarts: splitSubStrokes(points, options) }));
  const relations = strokes.map((_, i) => inferRelation(strokes, i, options));
  return { strokes, relations };
}

/** Fits a 5-control-point spline to every sub-stroke of a parse: a character type that tokens can be sampled from. */
export function characterTypeFromParse(parse: CharacterParse): CharacterType {
  return {
    strokes: parse.strokes.map((st, i) => {
      const starts = st.subStrokeStarts;
      const subStrokes = starts.map((from, j) => {
        const to = j + 1 < starts.length ? starts[j + 1] : st.points.length - 1;
        const piece = st.points.slice(from, to + 1);
        return { primitive: -1, controls: fitSpline(piece.map((p) => p.x), piece.map((p) => p.y)) };
      });
      return { subStrokes, relation: { ...parse.relations[i] } };
    }),
  };
}

/**
 * A user's drawing as a character type (centred and scaled like an Omniglot character first, unless
 * `centre` is false), ready for `sampleCharacterToken` to draw new tokens of it.
 */
export function characterTypeFromDrawing(drawing: Drawing, options: ParseOptions & { centre?: boolean } = {}): CharacterType {
  const d = options.centre === false ? drawing : centreAndScale(drawing);
  return characterTypeFromParse(parseDrawing(d, options));
}
