import type { Rng } from '../../core/rng';
import { type AlphabetStyle, syntheticRng } from './alphabets';
import { PRIMITIVES } from './primitives';
import { evalSpline, SPLINE_CONTROLS } from './spline';
import { OMNIGLOT_CANVAS, type Drawing, type Stroke } from './strokes';
import { pick } from './weights';

/**
 * Characters (types) of the synthetic alphabets: a character is a list of strokes, a stroke a chain
 * of sub-strokes shaped like primitives, each stroke after the first placed by a relation to an
 * earlier one. Also the shapes a drawing's parse takes, shared with the parser of user drawings.
 */

export type RelationKind = 'independent' | 'start' | 'end' | 'along';
export const RELATION_KINDS: readonly RelationKind[] = ['independent', 'start', 'end', 'along'];

/** How a stroke's start is placed. Stroke indices refer to earlier strokes of the same character. */
export type Relation =
  | { kind: 'independent'; x: number; y: number }
  | { kind: 'start'; stroke: number }
  | { kind: 'end'; stroke: number }
  | { kind: 'along'; stroke: number; subStroke: number; at: number };

/** A sub-stroke's shape: spline controls as offsets from the sub-stroke's start ([0, 0, x1, y1, …, x4, y4]). */
export interface SubStrokeType {
  /** Library primitive it was drawn from (−1 when fitted to a user drawing). */
  primitive: number;
  controls: number[];
}

export interface StrokeType {
  subStrokes: SubStrokeType[];
  relation: Relation;
}

/** A character: the type-level program that every drawer's token follows. */
export interface CharacterType {
  strokes: StrokeType[];
}

/** A stroke of a drawing with its sub-stroke boundaries (point indices where each sub-stroke starts; the first is 0). */
export interface ParsedStroke {
  points: Stroke;
  subStrokeStarts: number[];
}

/** A drawing split into strokes and sub-strokes, with each stroke's relation (what the lab page shows). */
export interface CharacterParse {
  strokes: ParsedStroke[];
  relations: Relation[];
}

/** Samples a new character type in an alphabet's style, fitted to the canvas. */
export function sampleCharacterType(style: AlphabetStyle, rng: Rng): CharacterType {
  const nStrokes = 1 + pick(rng, style.strokeCounts);
  const strokes: StrokeType[] = [];
  const cos = Math.cos(style.slant);
  const sin = Math.sin(style.slant);
  for (let i = 0; i < nStrokes; i++) {
    const nSub = 1 + pick(rng, style.subStrokeCounts);
    const subStrokes: SubStrokeType[] = [];
    for (let j = 0; j < nSub; j++) {
      const primitive = style.primitives[pick(rng, style.primitiveWeights)];
      const len = style.subStrokeLength * Math.exp(0.25 * rng.normal());
      const base = PRIMITIVES[primitive].controls;
      const controls: number[] = [0, 0];
      for (let c = 1; c < SPLINE_CONTROLS; c++) {
        const px = base[2 * c] * style.aspect;
        const py = base[2 * c + 1];
        controls.push(
          len * (cos * px - sin * py + style.shapeNoise * rng.normal()),
          len * (sin * px + cos * py + style.shapeNoise * rng.normal()),
        );
      }
      subStrokes.push({ primitive, controls });
    }
    let relation: Relation;
    if (i === 0) relation = { kind: 'independent', x: 0, y: 0 };
    else {
      const kind = RELATION_KINDS[pick(rng, style.relationWeights)];
      const stroke = rng.int(i);
      if (kind === 'independent') {
        const box = meanBounds(strokes);
        const m = 0.35 * style.subStrokeLength;
        relation = { kind, x: rng.uniform(box.minX - m, box.maxX + m), y: rng.uniform(box.minY - m, box.maxY + m) };
      } else if (kind === 'along')
        relation = { kind, stroke, subStroke: rng.int(strokes[stroke].subStrokes.length), at: rng.uniform(0.2, 0.8) };
      else relation = { kind, stroke };
    }
    strokes.push({ subStrokes, relation });
  }
  return fitTypeToCanvas({ strokes }, style.characterSize * Math.exp(0.08 * rng.normal()));
}

/** Character `index` of an alphabet (deterministic for the alphabet's seed). */
export function syntheticCharacter(style: AlphabetStyle, index: number): CharacterType {
  return sampleCharacterType(style, syntheticRng(style.seed, 'alphabet', style.index, 'character', index));
}

/** Points a sub-stroke is sampled at, for skeletons, relations and token paths. */
export const SUB_STROKE_SAMPLES = 16;

/** The noise-free drawing of a type (its "mean token"), as spline samples. */
export function typeSkeleton(type: CharacterType): Drawing {
  const strokes: Drawing = [];
  const subs: Float64Array[][] = [];
  for (const s of type.strokes) {
    const [x0, y0] = relationPoint(s.relation, subs);
    const pts: Stroke = [];
    const mine: Float64Array[] = [];
    let x = x0;
    let y = y0;
    for (const sub of s.subStrokes) {
      const e = evalSpline(sub.controls, SUB_STROKE_SAMPLES, x, y);
      mine.push(e);
      for (let k = pts.length === 0 ? 0 : 1; k < SUB_STROKE_SAMPLES; k++) pts.push({ x: e[2 * k], y: e[2 * k + 1], t: 0 });
      x = e[2 * SUB_STROKE_SAMPLES - 2];
      y = e[2 * SUB_STROKE_SAMPLES - 1];
    }
    subs.push(mine);
    strokes.push(pts);
  }
  return strokes;
}

/** Where a relation puts a stroke's start, given the sampled sub-strokes of earlier strokes. */
export function relationPoint(r: Relation, subs: Float64Array[][], along?: number): [number, number] {
  if (r.kind === 'independent') return [r.x, r.y];
  const s = subs[r.stroke];
  if (r.kind === 'start') return [s[0][0], s[0][1]];
  if (r.kind === 'end') {
    const last = s[s.length - 1];
    return [last[last.length - 2], last[last.length - 1]];
  }
  const e = s[Math.min(r.subStroke, s.length - 1)];
  const u = Math.min(1, Math.max(0, along ?? r.at)) * (SUB_STROKE_SAMPLES - 1);
  const k = Math.min(SUB_STROKE_SAMPLES - 2, Math.floor(u));
  const f = u - k;
  return [e[2 * k] * (1 - f) + e[2 * k + 2] * f, e[2 * k + 1] * (1 - f) + e[2 * k + 3] * f];
}

function meanBounds(strokes: StrokeType[]) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of typeSkeleton({ strokes }))
    for (const p of s) {
      minX = Math.min(minX, p.x);
      maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y);
      maxY = Math.max(maxY, p.y);
    }
  return { minX, minY, maxX, maxY };
}

/**
 * Scales and moves a type so that its skeleton's bounding box is centred on the canvas with its
 * longer side `size` pixels. Exact, because every point of a type is a linear function of the
 * independent positions and the control offsets.
 */
export function fitTypeToCanvas(type: CharacterType, size: number): CharacterType {
  const b = meanBounds(type.strokes);
  const side = Math.max(b.maxX - b.minX, b.maxY - b.minY, 1e-6);
  const s = Math.min(4, Math.max(0.25, size / side));
  const cx = (b.minX + b.maxX) / 2;
  const cy = (b.minY + b.maxY) / 2;
  const c = (OMNIGLOT_CANVAS - 1) / 2;
  return {
    strokes: type.strokes.map((st) => ({
      subStrokes: st.subStrokes.map((sub) => ({ primitive: sub.primitive, controls: sub.controls.map((v) => v * s) })),
      relation: st.relation.kind === 'independent' ? { kind: 'independent', x: c + (st.relation.x - cx) * s, y: c + (st.relation.y - cy) * s } : { ...st.relation },
    })),
  };
}
