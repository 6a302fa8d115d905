import { describe, expect, it } from 'vitest';
import { LSTM_OPTIMIZER_SCHEMA } from '../algorithms/optimizers/config';
import { findMethod, methodsOf } from './registry';

describe('optimizer family in the method registry', () => {
  it('lists the LSTM optimiser, on quadratics, with its schema', () => {
    expect(methodsOf('optimizer').map((d) => d.id)).toEqual(['lstm-optimizer']);
    const d = findMethod('lstm-optimizer');
    expect(d?.task).toBe('quadratic');
    expect(d?.settings).toBe(LSTM_OPTIMIZER_SCHEMA);
  });
});
