import { Rng } from '../../core/rng';
import { convNetForward } from '../../models/convNet';
import { adaptOn, byTaskObjective, crossEntropy, episodeBase } from './common';
import type { EpisodeAlgorithmImpl, TaskObjective } from './types';

/* Meta-SGD (Li et al. 2017) on episodes: a learned step size α, one tensor per θ tensor. */

const PREFIX = 'alpha_';

/** L_q(θ − α∘∇L_s(θ)), differentiated wrt θ and α. */
const metaSgdObjective: TaskObjective = (cfg, params, nTheta, task) => {
  const fast = adaptOn(params.slice(0, nTheta), task.support.x, task.support.y, params.slice(nTheta), cfg.innerSteps);
  return crossEntropy(convNetForward(fast, task.query.x), task.query.y);
};

export const META_SGD: EpisodeAlgorithmImpl = {
  ...episodeBase,
  extraSpecs: (_cfg, thetaSpecs) => thetaSpecs.map((s) => ({ name: `${PREFIX}${s.name}`, shape: s.shape })),
  // α starts uniform in metaSgdInit; each tensor's stream is seeded by its θ tensor's name.
  initExtra: (cfg, specs) =>
    specs.map((s) => {
      const rng = Rng.derive(cfg.seed, `alpha-${s.name.slice(PREFIX.length)}`);
      return Float32Array.from({ length: s.shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(cfg.metaSgdInit[0], cfg.metaSgdInit[1]));
    }),
  ...byTaskObjective(metaSgdObjective),
  adapt: (m, task, steps) => {
    const fast = adaptOn(m.theta, task.support.x, task.support.y, m.extra, steps);
    return (x) => convNetForward(fast, x);
  },
};
