import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { characterTypeFromDrawing, inferRelation, parseDrawing, splitSubStrokes, strokeSpeeds } from './parse';
import { drawingToImage } from './rasterize';
import type { Drawing, Stroke } from './strokes';
import { syntheticAlphabet } from './alphabets';
import { syntheticCharacter, type ParsedStroke } from './characterType';
import { renderToken, sampleCharacterToken, syntheticToken } from './tokens';

/** An "L": right at 0.1 px/ms, a 150 ms rest at the corner, then down. */
function lStroke(pause = 150): Stroke {
  const pts: Stroke = [];
  let t = 0;
  for (let x = 20; x <= 60; x += 2) pts.push({ x, y: 20, t: (t += 20) });
  t += pause;
  for (let y = 22; y <= 70; y += 2) pts.push({ x: 60, y, t: (t += 20) });
  return pts;
}

describe('parsing drawings', () => {
  it('measures pen speed robustly (repeated timestamps, rests)', () => {
    const v = strokeSpeeds(lStroke());
    expect(v[5]).toBeCloseTo(0.1, 2);
    expect(v[20]).toBeLessThan(v[5] / 1.5);
  });

  it('cuts a stroke where the pen pauses', () => {
    const starts = splitSubStrokes(lStroke());
    expect(starts).toEqual([0, 20]); // point 20 is the corner (60, 20)
  });

  it('does not cut a smooth constant-speed stroke', () => {
    const pts: Stroke = [];
    for (let k = 0; k <= 60; k++) pts.push({ x: 20 + k, y: 50 + 10 * Math.sin(k / 10), t: k * 15 });
    expect(splitSubStrokes(pts)).toEqual([0]);
  });

  it('falls back to corners when a drawing has no timing', () => {
    const noTime = lStroke().map((p) => ({ ...p, t: 0 }));
    const starts = splitSubStrokes(noTime);
    expect(starts).toHaveLength(2);
    expect(Math.abs(starts[1] - 20)).toBeLessThanOrEqual(1);
  });

  it('infers start / end / along / independent relations', () => {
    const base: ParsedStroke = { points: lStroke(), subStrokeStarts: [0, 20] };
    const at = (x: number, y: number): ParsedStroke => ({ points: [{ x, y, t: 0 }, { x: x + 10, y: y + 10, t: 100 }], subStrokeStarts: [0] });
    expect(inferRelation([base, at(21, 21)], 1)).toEqual({ kind: 'start', stroke: 0 });
    expect(inferRelation([base, at(60, 69)], 1)).toEqual({ kind: 'end', stroke: 0 });
    const along = inferRelation([base, at(61, 45)], 1);
    expect(along).toMatchObject({ kind: 'along', stroke: 0, subStroke: 1 });
    if (along.kind === 'along') expect(along.at).toBeCloseTo(0.5, 1);
    expect(inferRelation([base, at(90, 90)], 1)).toEqual({ kind: 'independent', x: 90, y: 90 });
  });

  it('recovers the sub-strokes and most relations of synthetic tokens', () => {
    let strokes = 0;
    let sameCount = 0;
    let relations = 0;
    let sameKind = 0;
    for (let a = 0; a < 6; a++) {
      const style = syntheticAlphabet(5, a);
      for (let c = 0; c < 6; c++) {
        const token = syntheticToken(style, syntheticCharacter(style, c), c, 0);
        const parse = parseDrawing(token.drawing);
        parse.strokes.forEach((s, i) => {
          strokes++;
          if (s.subStrokeStarts.length === token.parse.strokes[i].subStrokeStarts.length) sameCount++;
        });
        parse.relations.forEach((r, i) => {
          relations++;
          if (r.kind === token.parse.relations[i].kind) sameKind++;
        });
      }
    }
    expect(sameCount / strokes).toBeGreaterThan(0.9);
    expect(sameKind / relations).toBeGreaterThan(0.75);
  });

  it('re-draws a user drawing as new tokens that still look like it', () => {
    const bar: Stroke = [];
    for (let k = 0; k <= 15; k++) bar.push({ x: 60 - 2 * k, y: 45, t: 2000 + 20 * k }); // starts on the L's vertical
    const drawing: Drawing = [lStroke(), bar];
    const type = characterTypeFromDrawing(drawing);
    expect(type.strokes).toHaveLength(2);
    expect(type.strokes[0].subStrokes).toHaveLength(2);
    expect(type.strokes[1].relation.kind).toBe('along');
    const original = drawingToImage(drawing);
    const other = drawingToImage([[{ x: 20, y: 70, t: 0 }, { x: 70, y: 20, t: 500 }]]);
    const cos = (x: Float32Array, y: Float32Array) => {
      let dot = 0;
      let nx = 0;
      let ny = 0;
      for (let k = 0; k < x.length; k++) {
        dot += x[k] * y[k];
        nx += x[k] * x[k];
        ny += y[k] * y[k];
      }
      return dot / Math.sqrt(nx * ny);
    };
    const rng = new Rng(2);
    // Without noise the token is the drawing again (the splines fit it exactly).
    expect(cos(renderToken(sampleCharacterToken(type, rng, { motorNoise: 0, affineNoise: 0, penWidth: 5 })), original)).toBeGreaterThan(0.99);
    // New drawers vary (thin lines at 28×28 are shift-sensitive) but resemble the drawing, not another character.
    let same = 0;
    let diff = 0;
    for (let i = 0; i < 20; i++) {
      const img = renderToken(sampleCharacterToken(type, rng));
      same += cos(img, original) / 20;
      diff += cos(img, other) / 20;
    }
    expect(same).toBeGreaterThan(0.45);
    expect(same).toBeGreaterThan(2 * diff);
  });
});
