import { beforeAll, describe, expect, it } from 'vitest';
import { fdGradient, fdHvp, maxRelErr } from './gradcheck';
import { useCpu } from './testUtil';

beforeAll(useCpu);

describe('finite-difference helpers', () => {
  // f(x, y) = sin(x0)·y0² + exp(x1·y0): gradient and Hessian known in closed form.
  const f = ([x, y]: Float64Array[]) => Math.sin(x[0]) * y[0] ** 2 + Math.exp(x[1] * y[0]);
  const at = [Float64Array.from([0.3, -0.4]), Float64Array.from([1.2])];

  it('gradient to ~1e-10', () => {
    const [gx, gy] = fdGradient(f, at, [true, true]);
    const [x0, x1, y0] = [0.3, -0.4, 1.2];
    expect(maxRelErr([gx, gy], [[Math.cos(x0) * y0 ** 2, y0 * Math.exp(x1 * y0)], [2 * Math.sin(x0) * y0 + x1 * Math.exp(x1 * y0)]])).toBeLessThan(1e-9);
    expect(Array.from(fdGradient(f, at, [true, false])[1])).toEqual([0]);
  });

  it('Hessian-vector product to ~1e-7', () => {
    const v = [Float64Array.from([0.5, -1]), Float64Array.from([2])];
    const [x0, x1, y0] = [0.3, -0.4, 1.2];
    const e = Math.exp(x1 * y0);
    // Hessian in (x0, x1, y0) order.
    const H = [
      [-Math.sin(x0) * y0 ** 2, 0, 2 * Math.cos(x0) * y0],
      [0, y0 * y0 * e, e + x1 * y0 * e],
      [2 * Math.cos(x0) * y0, e + x1 * y0 * e, 2 * Math.sin(x0) + x1 * x1 * e],
    ];
    const vv = [0.5, -1, 2];
    const hv = H.map((row) => row.reduce((s, h, j) => s + h * vv[j], 0));
    const [a, b] = fdHvp(f, at, [true, true], v);
    expect(maxRelErr([a, b], [hv.slice(0, 2), hv.slice(2)])).toBeLessThan(1e-7);
  });

  it('maxRelErr is relative to the largest reference entry and catches NaN', () => {
    expect(maxRelErr([[1, 2.002]], [[1, 2]])).toBeCloseTo(0.001, 9);
    expect(maxRelErr([[NaN]], [[1]])).toBe(Infinity);
  });
});
