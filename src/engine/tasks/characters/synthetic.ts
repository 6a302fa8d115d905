import { hashString, Rng } from '../../core/rng';
import { DatasetBuilder, type CharacterDataset, type Split } from './dataset';
import { downsampleArea, IMAGE_SIZE, inkRows, OMNIGLOT_PEN_WIDTH, rasterizeDrawing, toBytes } from './rasterize';
import { evalSpline, fitSpline, SPLINE_CONTROLS } from './spline';
import { OMNIGLOT_CANVAS, type Drawing, type Stroke } from './strokes';

/**
 * Synthetic alphabets: a generative model of handwritten characters in the spirit of Bayesian
 * Program Learning (Lake, Salakhutdinov & Tenenbaum 2015), written from the paper's description.
 *
 * - Type level. An alphabet is a style: a preferred subset of a shared library of spline primitives,
 *   how many strokes and sub-strokes its characters have, how strokes connect, size, slant and aspect.
 *   A character (type) is a list of strokes; a stroke is a chain of sub-strokes, each a 5-control-point
 *   cubic B-spline shaped like a primitive; each stroke after the first is placed by a relation to
 *   an earlier one: independent (its own position), start / end (at that stroke's start or end), or
 *   along (somewhere on one of its sub-strokes).
 * - Token level (one drawer's rendition). Motor noise on control points and sub-stroke scale,
 *   jitter of where relations attach, a global affine jitter, the drawer's pen width and speed
 *   (points get timestamps with a minimum-jerk speed profile per sub-stroke, so a token is an
 *   Omniglot-format drawing with speed minima at sub-stroke boundaries).
 * - Image level. The token is rasterized like the Omniglot data (105×105 at the pen width, area
 *   averaged to 28×28), optionally with Bernoulli ink sampling.
 *
 * Everything is a function of (seed, alphabet, character, drawer) through derived Rng streams, so
 * any single character or drawer can be regenerated on its own and a seed reproduces a data set.
 * Coordinates are pixels of the 105 canvas (image coordinates, y down), as in `strokes.ts`.
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

/** One drawer's rendition of a character. */
export interface CharacterToken {
  /** The strokes as drawn, with timestamps (Omniglot format). */
  drawing: Drawing;
  /** Strokes and sub-stroke boundaries of `drawing`, and each stroke's relation. */
  parse: CharacterParse;
  /** The same path as dense spline samples (what images are rendered from; timestamps are 0). */
  path: Drawing;
  penWidth: number;
}

// ---------------------------------------------------------------------------------------------
// The primitive library

export type PrimitiveFamily = 'line' | 'arc' | 'wide-arc' | 'loop' | 's-curve' | 'hook';

export interface Primitive {
  id: number;
  family: PrimitiveFamily;
  /** Spline controls of a unit-length curve starting at the origin (flat, 10 numbers). */
  controls: number[];
}

function makePrimitive(id: number, family: PrimitiveFamily, heading: number, curvature: (s: number) => number): Primitive {
  const n = 48;
  const xs = new Float64Array(n + 1);
  const ys = new Float64Array(n + 1);
  let th = heading;
  for (let k = 1; k <= n; k++) {
    const s = (k - 0.5) / n;
    th += curvature(s) / n;
    xs[k] = xs[k - 1] + Math.cos(th) / n;
    ys[k] = ys[k - 1] + Math.sin(th) / n;
  }
  return { id, family, controls: fitSpline(xs, ys) };
}

function buildLibrary(): Primitive[] {
  const lib: Primitive[] = [];
  const add = (family: PrimitiveFamily, heading: number, k: (s: number) => number) => lib.push(makePrimitive(lib.length, family, heading, k));
  const dirs8 = Array.from({ length: 8 }, (_, i) => (i * Math.PI) / 4);
  const dirs4 = Array.from({ length: 4 }, (_, i) => (i * Math.PI) / 2);
  for (const h of dirs8) add('line', h, () => 0);
  for (const sign of [1, -1]) {
    for (const h of dirs8) add('arc', h, () => (sign * Math.PI) / 2);
    for (const h of dirs8) add('arc', h, () => sign * Math.PI);
    for (const h of dirs4) add('wide-arc', h, () => (sign * 3 * Math.PI) / 2);
    for (const h of dirs4) add('loop', h, () => sign * (2 * Math.PI - 0.6));
    for (const h of dirs8) add('s-curve', h, (s) => sign * 2.4 * Math.PI * (0.5 - s));
    for (const h of dirs8) add('hook', h, (s) => (s < 0.6 ? 0 : (sign * 2.6) / 0.4));
  }
  return lib;
}

/** The shared library of spline primitives (88 shapes: lines, arcs, loops, S-curves, hooks in 4–8 headings). */
export const PRIMITIVES: readonly Primitive[] = buildLibrary();

// ---------------------------------------------------------------------------------------------
// Alphabets (type-level style)

export interface AlphabetStyle {
  index: number;
  name: string;
  /** Seed of the generator this style belongs to. */
  seed: number;
  /** Preferred primitives (ids into PRIMITIVES) and their probabilities. */
  primitives: number[];
  primitiveWeights: number[];
  /** Probabilities of 1, 2, … strokes per character. */
  strokeCounts: number[];
  /** Probabilities of 1, 2, … sub-strokes per stroke. */
  subStrokeCounts: number[];
  /** Probabilities of independent / start / end / along, in RELATION_KINDS order. */
  relationWeights: number[];
  /** Typical sub-stroke length (pixels, before the character is fitted to the canvas). */
  subStrokeLength: number;
  /** Type-level variation of a primitive's shape, as a fraction of its length. */
  shapeNoise: number;
  /** Rotation of all shapes (radians) and horizontal stretch. */
  slant: number;
  aspect: number;
  /** Typical longer side of a character's bounding box (pixels of the 105 canvas). */
  characterSize: number;
}

const CONSONANTS = ['b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'sh', 'th', 'kr', 'tr', 'ny'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ei'];

function alphabetWord(rng: Rng): string {
  const syllables = 2 + rng.int(2);
  let w = '';
  for (let i = 0; i < syllables; i++) w += CONSONANTS[rng.int(CONSONANTS.length)] + VOWELS[rng.int(VOWELS.length)];
  return w[0].toUpperCase() + w.slice(1);
}

/** Zero-padded so that names sort in index order. */
function padded(i: number, total: number): string {
  return String(i).padStart(Math.max(2, String(total).length), '0');
}

/** An independent random stream for one entity of the generator. */
export function syntheticRng(seed: number, ...path: (string | number)[]): Rng {
  return new Rng(hashString(`synthetic:${seed}:${path.join('/')}`));
}

function poissonWeights(mean: number, n: number): number[] {
  const w: number[] = [];
  let p = Math.exp(-mean);
  for (let k = 0; k < n; k++) {
    w.push(p);
    p = (p * mean) / (k + 1);
  }
  return normalize(w);
}

function normalize(w: number[]): number[] {
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

function pick(rng: Rng, weights: readonly number[]): number {
  let u = rng.next();
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** Samples an alphabet's style. `total` only pads the name's number (for sorting). */
export function sampleAlphabetStyle(rng: Rng, index: number, seed = 0, total = 100): AlphabetStyle {
  const nPrim = 8 + rng.int(9);
  const primitives = rng.sampleWithoutReplacement(PRIMITIVES.length, nPrim).sort((a, b) => a - b);
  const primitiveWeights = normalize(primitives.map(() => -Math.log(1 - rng.next())));
  return {
    index,
    name: `${padded(index + 1, total)} ${alphabetWord(rng)}`,
    seed,
    primitives,
    primitiveWeights,
    strokeCounts: poissonWeights(rng.uniform(1.0, 2.8), 6),
    subStrokeCounts: poissonWeights(rng.uniform(0.35, 1.3), 4),
    relationWeights: normalize([rng.uniform(0.2, 1), rng.uniform(0.05, 0.5), rng.uniform(0.2, 1), rng.uniform(0.2, 1)]),
    subStrokeLength: rng.uniform(24, 40),
    shapeNoise: rng.uniform(0.04, 0.12),
    slant: 0.15 * rng.normal(),
    aspect: Math.exp(0.12 * rng.normal()),
    characterSize: rng.uniform(50, 66),
  };
}

/** The generator index of a synthetic alphabet from its data-set name (`"07 Kavoru"` → 6), or null. */
export function syntheticAlphabetIndex(name: string): number | null {
  const m = /^(\d+) /.exec(name);
  return m ? Number(m[1]) - 1 : null;
}

/** Alphabet `index` of the generator with this seed (`total` = the data set's alphabet count, for matching names). */
export function syntheticAlphabet(seed: number, index: number, total = 100): AlphabetStyle {
  return sampleAlphabetStyle(syntheticRng(seed, 'alphabet', index), index, seed, total);
}

// ---------------------------------------------------------------------------------------------
// Characters (types)

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

const SAMPLES = 16;

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
      const e = evalSpline(sub.controls, SAMPLES, x, y);
      mine.push(e);
      for (let k = pts.length === 0 ? 0 : 1; k < SAMPLES; k++) pts.push({ x: e[2 * k], y: e[2 * k + 1], t: 0 });
      x = e[2 * SAMPLES - 2];
      y = e[2 * SAMPLES - 1];
    }
    subs.push(mine);
    strokes.push(pts);
  }
  return strokes;
}

/** Where a relation puts a stroke's start, given the sampled sub-strokes of earlier strokes. */
function relationPoint(r: Relation, subs: Float64Array[][], along?: number): [number, number] {
  if (r.kind === 'independent') return [r.x, r.y];
  const s = subs[r.stroke];
  if (r.kind === 'start') return [s[0][0], s[0][1]];
  if (r.kind === 'end') {
    const last = s[s.length - 1];
    return [last[last.length - 2], last[last.length - 1]];
  }
  const e = s[Math.min(r.subStroke, s.length - 1)];
  const u = Math.min(1, Math.max(0, along ?? r.at)) * (SAMPLES - 1);
  const k = Math.min(SAMPLES - 2, Math.floor(u));
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

// ---------------------------------------------------------------------------------------------
// Tokens (drawers)

export interface TokenOptions {
  /** Multiplies all motor noise (0 draws the type's skeleton exactly, up to affine jitter). Default 1. */
  motorNoise?: number;
  /** Multiplies the global affine jitter (rotation, scale, shear, shift). Default 1. */
  affineNoise?: number;
  /** Fixed pen width; default: Omniglot's width × U(0.85, 1.15) per drawer. */
  penWidth?: number;
  /**
   * Sample the pen in time (default true). When false, `drawing` is the spline path itself with
   * zero timestamps: same shape and image, less work (used to build data sets).
   */
  timing?: boolean;
}

/** A new drawer's rendition of a character type, with timestamps and its parse. */
export function sampleCharacterToken(type: CharacterType, rng: Rng, options: TokenOptions = {}): CharacterToken {
  const mn = options.motorNoise ?? 1;
  const an = options.affineNoise ?? 1;
  const timing = options.timing ?? true;
  const drawnWidth = OMNIGLOT_PEN_WIDTH * rng.uniform(0.85, 1.15);
  const penWidth = options.penWidth ?? drawnWidth;
  const speed = rng.uniform(0.08, 0.16); // px per ms
  // Global affine jitter about the canvas centre.
  const theta = 0.05 * an * rng.normal();
  const common = 0.05 * an * rng.normal();
  const sx = Math.exp(common + 0.04 * an * rng.normal());
  const sy = Math.exp(common + 0.04 * an * rng.normal());
  const shear = 0.06 * an * rng.normal();
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  const a11 = ct * sx;
  const a12 = ct * shear * sy - st * sy;
  const a21 = st * sx;
  const a22 = st * shear * sy + ct * sy;
  const c = (OMNIGLOT_CANVAS - 1) / 2;
  const tx = c + 2.5 * an * rng.normal();
  const ty = c + 2.5 * an * rng.normal();

  const subs: Float64Array[][] = [];
  const path: Drawing = [];
  const strokes: ParsedStroke[] = [];
  const pathStrokes: ParsedStroke[] = [];
  let clock = 0;
  for (const s of type.strokes) {
    // Where the stroke starts: the relation, resolved on this token's earlier strokes, plus noise.
    const alongJitter = s.relation.kind === 'along' ? s.relation.at + 0.03 * mn * rng.normal() : undefined;
    let [x, y] = relationPoint(s.relation, subs, alongJitter);
    const spread = s.relation.kind === 'independent' ? 1.5 : 0.6;
    x += spread * mn * rng.normal();
    y += spread * mn * rng.normal();
    const mine: Float64Array[] = [];
    const pathPoints: Stroke = [];
    const pathStarts: number[] = [];
    const points: Stroke = [];
    const starts: number[] = [];
    for (const sub of s.subStrokes) {
      const scale = Math.exp(0.05 * mn * rng.normal());
      const size = Math.hypot(sub.controls[8], sub.controls[9]) + 4;
      const sigma = mn * (0.3 + 0.025 * size);
      const ctrl = [0, 0];
      for (let k = 1; k < SPLINE_CONTROLS; k++) ctrl.push(sub.controls[2 * k] * scale + sigma * rng.normal(), sub.controls[2 * k + 1] * scale + sigma * rng.normal());
      const pause = rng.uniform(30, 90);
      // Dense samples in token space (for relations), then the affine map onto the canvas.
      const e = evalSpline(ctrl, SAMPLES, x, y);
      mine.push(e);
      x = e[2 * SAMPLES - 2];
      y = e[2 * SAMPLES - 1];
      const mapped = new Float64Array(2 * SAMPLES);
      for (let k = 0; k < SAMPLES; k++) {
        const px = e[2 * k] - c;
        const py = e[2 * k + 1] - c;
        mapped[2 * k] = a11 * px + a12 * py + tx;
        mapped[2 * k + 1] = a21 * px + a22 * py + ty;
      }
      pathStarts.push(Math.max(0, pathPoints.length - 1));
      for (let k = pathPoints.length === 0 ? 0 : 1; k < SAMPLES; k++) pathPoints.push({ x: mapped[2 * k], y: mapped[2 * k + 1], t: 0 });
      if (timing) {
        if (points.length > 0) clock += pause; // the pen slows and pauses at a sub-stroke boundary
        starts.push(Math.max(0, points.length - 1));
        clock = timeSubStroke(mapped, speed, clock, points);
      }
    }
    const gap = rng.uniform(250, 700); // pen up, move to the next stroke
    clock += gap;
    subs.push(mine);
    path.push(pathPoints);
    pathStrokes.push({ points: pathPoints, subStrokeStarts: pathStarts });
    if (timing) strokes.push({ points, subStrokeStarts: starts });
  }
  const parsed = timing ? strokes : pathStrokes;
  return {
    drawing: parsed.map((s) => s.points),
    parse: { strokes: parsed, relations: type.strokes.map((s) => ({ ...s.relation })) },
    path,
    penWidth,
  };
}

/**
 * Samples a sub-stroke in time with a minimum-jerk speed profile (slow at both ends, fastest in the
 * middle), about 60 points per second, appending to `out` (its first point is skipped when it
 * continues a stroke). Returns the clock at the end.
 */
function timeSubStroke(poly: Float64Array, speed: number, t0: number, out: Stroke): number {
  const n = poly.length / 2;
  const cum = new Float64Array(n);
  for (let k = 1; k < n; k++) cum[k] = cum[k - 1] + Math.hypot(poly[2 * k] - poly[2 * k - 2], poly[2 * k + 1] - poly[2 * k - 1]);
  const len = cum[n - 1];
  const duration = 60 + len / speed;
  const steps = Math.max(2, Math.ceil(duration / 17));
  let seg = 0;
  for (let i = out.length === 0 ? 0 : 1; i <= steps; i++) {
    const tau = i / steps;
    const s = len * tau * tau * tau * (10 - 15 * tau + 6 * tau * tau);
    while (seg < n - 2 && cum[seg + 1] < s) seg++;
    const span = cum[seg + 1] - cum[seg];
    const f = span > 1e-12 ? Math.min(1, Math.max(0, (s - cum[seg]) / span)) : 0;
    out.push({
      x: poly[2 * seg] + f * (poly[2 * seg + 2] - poly[2 * seg]),
      y: poly[2 * seg + 1] + f * (poly[2 * seg + 3] - poly[2 * seg + 1]),
      t: Math.round(t0 + tau * duration),
    });
  }
  return t0 + duration;
}

// ---------------------------------------------------------------------------------------------
// Images

export interface RenderOptions {
  /** Output side (default 28; 20 for MANN; 105 for the full canvas). */
  size?: number;
  /** Image-level noise: sample each 105×105 pixel as Bernoulli(ink), flipping with probability `epsilon`. */
  bernoulli?: { rng: Rng; epsilon?: number };
}

/** Renders a token as the data pipeline does: 105×105 at the drawer's pen width, then area-averaged. */
export function renderToken(token: CharacterToken, options: RenderOptions = {}, out?: Float32Array): Float32Array {
  const size = options.size ?? IMAGE_SIZE;
  const big = rasterizeDrawing(token.path, { penWidth: token.penWidth }, bigBuffer());
  if (options.bernoulli) {
    const { rng, epsilon = 0.001 } = options.bernoulli;
    for (let i = 0; i < big.length; i++) {
      const p = epsilon + (1 - 2 * epsilon) * big[i];
      big[i] = rng.next() < p ? 1 : 0;
    }
  }
  if (size === OMNIGLOT_CANVAS) {
    const dst = out ?? new Float32Array(big.length);
    dst.set(big);
    return dst;
  }
  return downsampleArea(big, OMNIGLOT_CANVAS, size, out, 1, options.bernoulli ? undefined : inkRows(token.path, token.penWidth));
}

let big105 = new Float32Array(0);
function bigBuffer(): Float32Array {
  if (big105.length !== OMNIGLOT_CANVAS * OMNIGLOT_CANVAS) big105 = new Float32Array(OMNIGLOT_CANVAS * OMNIGLOT_CANVAS);
  return big105;
}

// ---------------------------------------------------------------------------------------------
// The generator as a whole

export interface SyntheticConfig {
  seed: number;
  alphabets: number;
  charactersPerAlphabet: number;
  drawersPerCharacter: number;
  /** The last this-many alphabets form the evaluation split (default: a third, rounded). */
  evaluationAlphabets?: number;
  imageSize?: number;
  /** Bernoulli ink sampling at the image level (default off: smooth anti-aliased ink). */
  bernoulli?: boolean;
  motorNoise?: number;
  /** Keep every token's strokes in the data set (memory-hungry; default false: regenerate with syntheticToken). */
  keepStrokes?: boolean;
}

/** 30 alphabets (20 background + 10 evaluation) × 20 characters × 20 drawers = 12 000 images. */
export const DEFAULT_SYNTHETIC_CONFIG: SyntheticConfig = {
  seed: 0,
  alphabets: 30,
  charactersPerAlphabet: 20,
  drawersPerCharacter: 20,
};

export function syntheticSplit(config: SyntheticConfig, alphabet: number): Split {
  const evaluation = config.evaluationAlphabets ?? Math.round(config.alphabets / 3);
  return alphabet >= config.alphabets - evaluation ? 'evaluation' : 'background';
}

/** Drawer `drawer`'s token of character `character` in alphabet `style` (deterministic). */
export function syntheticToken(style: AlphabetStyle, type: CharacterType, character: number, drawer: number, options: TokenOptions = {}): CharacterToken {
  return sampleCharacterToken(type, syntheticRng(style.seed, 'alphabet', style.index, 'character', character, 'drawer', drawer), options);
}

export function characterName(index: number, total: number): string {
  return `character${padded(index + 1, total)}`;
}

export function drawerId(index: number, total: number): string {
  return `d${padded(index + 1, total)}`;
}

/** Generates a whole synthetic data set (deterministic for the config, seed included). */
export function generateSyntheticDataset(config: SyntheticConfig = DEFAULT_SYNTHETIC_CONFIG): CharacterDataset {
  const size = config.imageSize ?? IMAGE_SIZE;
  const { alphabets, charactersPerAlphabet: nc, drawersPerCharacter: nd } = config;
  for (const [k, v] of Object.entries({ alphabets, charactersPerAlphabet: nc, drawersPerCharacter: nd }))
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer, got ${v}`);
  const b = new DatasetBuilder(size);
  const img = new Float32Array(size * size);
  for (let a = 0; a < alphabets; a++) {
    const style = syntheticAlphabet(config.seed, a, alphabets);
    const meta = { name: style.name, split: syntheticSplit(config, a), source: 'synthetic' as const };
    for (let c = 0; c < nc; c++) {
      const type = syntheticCharacter(style, c);
      for (let d = 0; d < nd; d++) {
        const token = syntheticToken(style, type, c, d, { motorNoise: config.motorNoise, timing: config.keepStrokes === true });
        const bernoulli = config.bernoulli ? { rng: syntheticRng(config.seed, 'ink', a, c, d) } : undefined;
        renderToken(token, { size, bernoulli }, img);
        const id = drawerId(d, nd);
        b.add(meta, characterName(c, nc), { id, drawer: id, pixels: toBytes(img), strokes: config.keepStrokes ? token.drawing : null });
      }
    }
  }
  return b.build();
}
