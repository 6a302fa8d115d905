import { defineMethod } from '../settings/method';
import { COPY_MODELS } from '../algorithms/copyConfig';

/** The memory family (issue #4): the copy task's controllers, and the MANN on character sequences. */
export const MEMORY_METHODS = [
  ...COPY_MODELS.map((id) => defineMethod({ id, family: 'memory', task: 'copy' })),
  defineMethod({ id: 'mann', family: 'memory', task: 'characters' }),
];
