import { defineMethod } from '../settings/method';
import { SINE_ALGORITHMS } from '../algorithms/sineConfig';

/** The gradient-based family on sine regression (issue #6); `algorithms/sineFamily.ts` holds its table of implementations. */
export const SINE_METHODS = SINE_ALGORITHMS.map((id) => defineMethod({ id, family: 'sine', task: 'sine' }));
