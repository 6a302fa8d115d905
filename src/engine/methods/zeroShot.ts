import { defineMethod } from '../settings/method';
import type { ZeroShotConfig } from '../algorithms/metric/zeroShot';

/** The relation network without a support image: classes described by attribute vectors (the zero-shot lab). */
export const ZERO_SHOT_METHODS = [defineMethod<'relation-zero-shot', 'zero-shot', unknown, ZeroShotConfig>({ id: 'relation-zero-shot', family: 'zero-shot', task: 'attributes' })];
