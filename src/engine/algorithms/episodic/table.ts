import type * as tf from '@tensorflow/tfjs';
import type { ConvEpisode } from '../../tasks/convEpisodes';
import type { OmniglotAlgorithm, OmniglotConfig } from '../omniglotConfig';
import { ADML } from './adml';
import { CAML } from './caml';
import { DAML } from './daml';
import { FOMAML, MAML, MAML_GA } from './maml';
import { META_LSTM } from './metaLstm';
import { META_SGD } from './metaSgd';
import { REPTILE, REPTILE_GA } from './reptile';
import { TAML, TAML_INEQ } from './taml';
import type { AdversarialImages, EpisodeAlgorithmImpl } from './types';

/** The gradient-based family on episodes: one entry per algorithm (OmniglotTrainer looks its algorithm up here). */
export const OMNIGLOT_FAMILY: Record<OmniglotAlgorithm, EpisodeAlgorithmImpl> = {
  maml: MAML,
  fomaml: FOMAML,
  reptile: REPTILE,
  metasgd: META_SGD,
  taml: TAML,
  adml: ADML,
  'maml-ga': MAML_GA,
  'reptile-ga': REPTILE_GA,
  'taml-ineq': TAML_INEQ,
  caml: CAML,
  daml: DAML,
  'meta-lstm': META_LSTM,
};

/** One task's meta-objective of the configured algorithm, for those whose step averages one (Meta-SGD, TAML, ADML, CAML, DAML). */
export function taskObjective(cfg: OmniglotConfig, params: readonly tf.Tensor[], nTheta: number, task: ConvEpisode, adv?: AdversarialImages): tf.Scalar {
  const objective = OMNIGLOT_FAMILY[cfg.algorithm].objective;
  if (!objective) throw new Error(`${cfg.algorithm} has no differentiable task objective here`);
  return objective(cfg, params, nTheta, task, adv);
}
