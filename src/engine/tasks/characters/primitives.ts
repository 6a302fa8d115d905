import { fitSpline } from './spline';

/**
 * The primitive library of the synthetic alphabets: unit-length curves of constant or simple
 * curvature (lines, arcs, loops, S-curves, hooks) in 4–8 headings, each fitted by a spline. An
 * alphabet prefers a subset of them; a sub-stroke is one of them, scaled, rotated and perturbed.
 */

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
