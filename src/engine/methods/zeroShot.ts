import { defineMethod } from '../settings/method';
import { ZERO_SHOT_SCHEMA, type ZeroShotConfig } from '../algorithms/metric/zeroShot';

/** The relation network without a support image: classes described by attribute vectors (the zero-shot lab). No presets: one synthetic world. */
export const ZERO_SHOT_METHODS = [
  defineMethod<'relation-zero-shot', 'zero-shot', unknown, ZeroShotConfig>({ id: 'relation-zero-shot', family: 'zero-shot', task: 'attributes', settings: ZERO_SHOT_SCHEMA }),
];
