import { defineMethod } from '../settings/method';
import { OMNIGLOT_ALGORITHMS, OMNIGLOT_PRESETS, type OmniglotConfig } from '../algorithms/omniglotConfig';

/**
 * The gradient-based family on character episodes (`--task omniglot`, the characters lab's family
 * card); `algorithms/omniglotFamily.ts` holds its implementations. The entropy TAML is `taml` here,
 * the inequality one `taml-ineq`.
 */
export const EPISODE_METHODS = OMNIGLOT_ALGORITHMS.map((id) => {
  const paper = OMNIGLOT_PRESETS[id];
  return defineMethod<typeof id, 'episodes', unknown, OmniglotConfig>({
    id,
    family: 'episodes',
    task: 'omniglot',
    presets: paper ? [{ id: paper.id, label: paper.citation, config: paper.values }] : [],
  });
});
