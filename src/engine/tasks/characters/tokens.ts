import type { Rng } from '../../core/rng';
import { type AlphabetStyle, syntheticRng } from './alphabets';
import { relationPoint, SUB_STROKE_SAMPLES, type CharacterParse, type CharacterType, type ParsedStroke } from './characterType';
import { downsampleArea, IMAGE_SIZE, inkRows, OMNIGLOT_PEN_WIDTH, rasterizeDrawing } from './rasterize';
import { evalSpline, SPLINE_CONTROLS } from './spline';
import { OMNIGLOT_CANVAS, type Drawing, type Stroke } from './strokes';

/**
 * The token and image levels of the synthetic alphabets: one drawer's rendition of a character
 * (motor noise, where relations attach, a global affine jitter, pen width and speed, timestamps
 * with a minimum-jerk profile per sub-stroke) and its image, rasterized like the Omniglot data.
 */

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
      const e = evalSpline(ctrl, SUB_STROKE_SAMPLES, x, y);
      mine.push(e);
      x = e[2 * SUB_STROKE_SAMPLES - 2];
      y = e[2 * SUB_STROKE_SAMPLES - 1];
      const mapped = new Float64Array(2 * SUB_STROKE_SAMPLES);
      for (let k = 0; k < SUB_STROKE_SAMPLES; k++) {
        const px = e[2 * k] - c;
        const py = e[2 * k + 1] - c;
        mapped[2 * k] = a11 * px + a12 * py + tx;
        mapped[2 * k + 1] = a21 * px + a22 * py + ty;
      }
      pathStarts.push(Math.max(0, pathPoints.length - 1));
      for (let k = pathPoints.length === 0 ? 0 : 1; k < SUB_STROKE_SAMPLES; k++) pathPoints.push({ x: mapped[2 * k], y: mapped[2 * k + 1], t: 0 });
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

/** Drawer `drawer`'s token of character `character` in alphabet `style` (deterministic). */
export function syntheticToken(style: AlphabetStyle, type: CharacterType, character: number, drawer: number, options: TokenOptions = {}): CharacterToken {
  return sampleCharacterToken(type, syntheticRng(style.seed, 'alphabet', style.index, 'character', character, 'drawer', drawer), options);
}

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
