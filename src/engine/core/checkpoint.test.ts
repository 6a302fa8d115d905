import { describe, expect, it } from 'vitest';
import { CHECKPOINT_LIMITS, checkpointParams, decodeFloat32, encodeFloat32, makeCheckpoint, parseCheckpoint, CheckpointError } from './checkpoint';
import { Rng } from './rng';

describe('checkpoint files', () => {
  const params = {
    specs: [
      { name: 'w1', shape: [2, 3] },
      { name: 'b1', shape: [1, 3] },
    ],
    values: [Float32Array.from([1, -2, 3.5, 1e-20, -0, 7]), Float32Array.from([0.1, 0.2, 0.3])],
  };

  it('round-trips float32 values exactly through base64', () => {
    for (const n of [0, 1, 2, 3, 5, 17]) {
      const v = Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i) * 1e3));
      expect(Array.from(decodeFloat32(encodeFloat32(v)))).toEqual(Array.from(v));
    }
  });

  it('round-trips a checkpoint through JSON text', () => {
    const text = JSON.stringify(makeCheckpoint('maml', 'sine', { k: 10 }, 42, params));
    const c = parseCheckpoint(text);
    expect(c.algorithm).toBe('maml');
    expect(c.step).toBe(42);
    const back = checkpointParams(c);
    expect(back.specs).toEqual(params.specs);
    expect(back.values.map((v) => Array.from(v))).toEqual(params.values.map((v) => Array.from(v)));
  });

  it.each([
    ['not JSON', '{oops', /not valid JSON/],
    ['another JSON file', '{"hello": 1}', /not a Meta-Learning Playground checkpoint/],
    ['a future version', JSON.stringify({ format: 'metaplay-checkpoint', version: 99 }), /version 99 is not supported/],
  ])('refuses %s with a clear message', (_, text, message) => {
    expect(() => parseCheckpoint(text)).toThrow(CheckpointError);
    expect(() => parseCheckpoint(text)).toThrow(message);
  });

  it('refuses truncated or non-finite parameter data', () => {
    const good = makeCheckpoint('maml', 'sine', {}, 0, params);
    const truncated = { ...good, params: [{ ...good.params[0], data: good.params[0].data.slice(0, 16) }, good.params[1]] };
    expect(() => parseCheckpoint(JSON.stringify(truncated))).toThrow(/do not fill shape/);
    const nan = makeCheckpoint('maml', 'sine', {}, 0, { specs: params.specs, values: [new Float32Array(6).fill(NaN), params.values[1]] });
    expect(() => parseCheckpoint(JSON.stringify(nan))).toThrow(/NaN/);
  });

  it('refuses shapes over the limits from the shapes alone, before decoding any data', () => {
    const good = makeCheckpoint('maml', 'sine', {}, 0, params);
    const huge = { ...good, params: [{ ...good.params[0], shape: [100_000, 100_000] }] };
    expect(() => parseCheckpoint(JSON.stringify(huge))).toThrow(/^Parameter w1 has shape \[100000, 100000\], 10000000000 values: more than the 16777216 accepted for one parameter\.$/);
    const side = 2 ** 12; // 4096 × 4096 = the per-parameter limit; five of them pass the total
    const many = { ...good, params: Array.from({ length: 5 }, (_, i) => ({ ...good.params[0], name: `w${i}`, shape: [side, side] })) };
    expect(() => parseCheckpoint(JSON.stringify(many))).toThrow(`more than the ${CHECKPOINT_LIMITS.values} values accepted in all`);
  });
});

describe('Rng', () => {
  it('is reproducible and well spread', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
    expect(new Rng(6).next()).not.toBe(xs[0]);
  });

  it('draws standard normals and distinct samples', () => {
    const r = new Rng(1);
    const n = Array.from({ length: 4000 }, () => r.normal());
    const mean = n.reduce((s, x) => s + x, 0) / n.length;
    const variance = n.reduce((s, x) => s + (x - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(Math.abs(variance - 1)).toBeLessThan(0.08);
    const picks = r.sampleWithoutReplacement(10, 10);
    expect(new Set(picks).size).toBe(10);
    expect(() => r.sampleWithoutReplacement(3, 4)).toThrow(RangeError);
  });
});
