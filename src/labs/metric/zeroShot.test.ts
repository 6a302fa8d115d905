import { describe, expect, it } from 'vitest';
import type { ZeroShotView } from '../../worker/zeroShotProtocol';
import { foldZeroShotMessage, ZERO_SHOT_INITIAL, type ZeroShotState } from './zeroShotStore';
import { chanceOf, editedRows, predictedClass, toggleAttribute } from './zeroShotView';

describe('zero-shot view model', () => {
  it('flips one bit of one class row and leaves the input alone', () => {
    const a = [1, 0, 0, 0, 1, 1];
    const b = toggleAttribute(a, 1, 0, 3);
    expect(b).toEqual([1, 0, 0, 1, 1, 1]);
    expect(a).toEqual([1, 0, 0, 0, 1, 1]);
    expect(toggleAttribute(b, 1, 0, 3)).toEqual(a);
    expect(() => toggleAttribute(a, 2, 0, 3)).toThrow(RangeError);
    expect(() => toggleAttribute(a, 0, 3, 3)).toThrow(RangeError);
  });

  it('says which rows differ from the classes’ own vectors, which class scores highest and the chance level', () => {
    expect(editedRows(Float32Array.from([1, 0, 0, 0, 1, 1]), [1, 0, 0, 1, 1, 1], 3)).toEqual([false, true]);
    expect(editedRows([1, 0], [1, 0], 2)).toEqual([false]);
    expect(predictedClass([0.1, 0.7, 0.7, 0.2])).toBe(1);
    expect(predictedClass([])).toBe(-1);
    expect(chanceOf(5)).toBe(0.2);
  });
});

describe('folding worker messages into the zero-shot store', () => {
  const view = (draw: number): ZeroShotView => ({ step: 3, draw, classes: [60, 61], attributeCount: 2, original: Float32Array.from([1, 0, 0, 1]), attributes: Float32Array.from([1, 0, 0, 1]), features: new Float32Array(2), truth: 0, scores: Float32Array.from([0.8, 0.1]) });
  const state = (patch: Partial<ZeroShotState> = {}): ZeroShotState => ({ ...ZERO_SHOT_INITIAL, ...patch });

  it('appends losses and new evaluations; a repeated evaluation step is not added twice', () => {
    let s = state();
    const apply = (m: Parameters<typeof foldZeroShotMessage>[1]) => (s = { ...s, ...foldZeroShotMessage(s, m) });
    apply({ type: 'snapshot', step: 2, running: true, stepsPerS: 40, losses: Float32Array.from([0.5, 0.25]), evaluation: { step: 2, heldOut: 0.3, seen: 0.35 } });
    apply({ type: 'snapshot', step: 3, running: true, stepsPerS: 50, losses: Float32Array.from([0.125]), evaluation: { step: 3, heldOut: 0.4, seen: 0.5 } });
    apply({ type: 'snapshot', step: 3, running: false, stepsPerS: 0, losses: new Float32Array(0), evaluation: { step: 3, heldOut: 0.4, seen: 0.5 } });
    expect(s.losses).toEqual([0.5, 0.25, 0.125]);
    expect(s.evals.map((e) => e.step)).toEqual([2, 3]);
    expect(s.step).toBe(3);
    expect(s.running).toBe(false);
    // A paused snapshot keeps the last measured speed.
    expect(s.stepsPerS).toBe(50);
  });

  it('keeps a view only if it is of the draw asked for last; reset clears training history but not the draw or edits', () => {
    expect(foldZeroShotMessage(state({ draw: 1 }), { type: 'view', view: view(0) })).toBeNull();
    expect(foldZeroShotMessage(state({ draw: 1 }), { type: 'view', view: view(1) })?.view?.draw).toBe(1);
    const r = foldZeroShotMessage(state({ losses: [1], evals: [{ step: 1, heldOut: 0.2, seen: 0.2 }], step: 1, draw: 2, edited: [1, 0], diverged: { step: 1, loss: NaN } }), { type: 'reset' });
    expect(r).toEqual({ losses: [], evals: [], step: 0, running: false, diverged: null });
    expect(foldZeroShotMessage(state(), { type: 'diverged', step: 7, loss: Infinity })).toEqual({ diverged: { step: 7, loss: Infinity }, running: false });
    expect(foldZeroShotMessage(state(), { type: 'notice', level: 'info', key: 'linkCopied' })).toBeNull();
    expect(foldZeroShotMessage(state({ probe: null }), { type: 'backend', backend: 'cpu', requested: 'auto' })).toEqual({ backend: 'cpu', probe: null });
  });
});
