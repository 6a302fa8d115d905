import { defineMethod } from '../settings/method';
import { SINE_ALGORITHMS, SINE_ALGORITHM_INFO, SINE_SCHEMA, type SineConfig } from '../algorithms/sineConfig';

/**
 * The gradient-based family on sine regression (issue #6); `algorithms/sineFamily.ts` holds its
 * table of implementations. Each algorithm's playground defaults and presets (the paper's, the
 * source book's) are SINE_ALGORITHM_INFO's.
 */
export const SINE_METHODS = SINE_ALGORITHMS.map((id) => {
  const info = SINE_ALGORITHM_INFO[id];
  return defineMethod<typeof id, 'sine', unknown, SineConfig>({
    id,
    family: 'sine',
    task: 'sine',
    settings: SINE_SCHEMA,
    defaults: info.defaults,
    presets: info.presets.map((p) => ({ id: p.id, label: p.citation, config: p.values })),
  });
});
