import { sineConfigFor } from '../engine/algorithms/sineConfig';
import type { SineConfig } from '../engine/algorithms/sineRegression';
import type { SineModelName, SineSettings } from './sineProtocol';

/** The engine config of one of the sine lab's models: the first trains the selected algorithm, the second is always pretraining. */
export function configFor(model: SineModelName, s: SineSettings): SineConfig {
  const shared = { k: s.k, alpha: s.alpha, metaLr: s.metaLr, metaBatch: s.metaBatch, seed: s.seed };
  if (model === 'pretrain') return sineConfigFor('pretrain', shared);
  const { algorithm, innerSteps, firstOrder, epsilon, reptileMode, innerOptimizer, contextAlpha, tamlLambda, tamlMeasure } = s;
  return sineConfigFor(algorithm, { ...shared, innerSteps, firstOrder, epsilon, reptileMode, innerOptimizer, contextAlpha, tamlLambda, tamlMeasure });
}
