import { defineMethod } from '../settings/method';
import { OMNIGLOT_ALGORITHMS, OMNIGLOT_DEFAULTS, OMNIGLOT_PRESETS, OMNIGLOT_SCHEMA, type OmniglotConfig } from '../algorithms/omniglotConfig';

/**
 * The gradient-based family on character episodes (`--task omniglot`, the characters lab's family
 * card); `algorithms/omniglotFamily.ts` holds its implementations. The entropy TAML is `taml` here,
 * the inequality one `taml-ineq`. Settings: OMNIGLOT_SCHEMA; defaults: OMNIGLOT_DEFAULTS; presets: the
 * papers' Omniglot settings (OMNIGLOT_PRESETS).
 */
export const EPISODE_METHODS = OMNIGLOT_ALGORITHMS.map((id) => {
  const paper = OMNIGLOT_PRESETS[id];
  return defineMethod<typeof id, 'episodes', unknown, OmniglotConfig>({
    id,
    family: 'episodes',
    task: 'omniglot',
    settings: OMNIGLOT_SCHEMA,
    defaults: OMNIGLOT_DEFAULTS[id],
    presets: paper ? [{ id: paper.id, label: paper.citation, config: paper.values }] : [],
  });
});
