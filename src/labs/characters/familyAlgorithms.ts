import { OMNIGLOT_PRESETS, omniglotConfigFor, type OmniglotAlgorithm } from '../../engine/algorithms/omniglotConfig';
import type { MessageKey } from '../../i18n/messages';
import type { FamilySettings } from '../../worker/familyProtocol';

/** The family card's page details of each algorithm: its name, the card's defaults and its paper preset. */

export const ALGORITHM_NAME: Record<OmniglotAlgorithm, MessageKey> = {
  maml: 'maml',
  fomaml: 'fomaml',
  reptile: 'algReptile',
  metasgd: 'algMetaSgd',
  taml: 'algTamlEntropy',
  adml: 'algAdml',
  'maml-ga': 'algMamlGa',
  'reptile-ga': 'algReptileGa',
  'taml-ineq': 'algTaml',
  caml: 'algCaml',
  daml: 'algDaml',
  'meta-lstm': 'algMetaLstm',
};

/** The card's defaults: a browser-sized net (16 filters, 2 tasks per step); the CLI's default width is 32. */
export function defaultsFor(algorithm: OmniglotAlgorithm, keep?: Pick<FamilySettings, 'ways' | 'shots' | 'width' | 'metaBatch' | 'seed'>): FamilySettings {
  const c = omniglotConfigFor(algorithm);
  return { algorithm, ways: keep?.ways ?? 5, shots: keep?.shots ?? 1, width: keep?.width ?? 16, metaBatch: keep?.metaBatch ?? 2, alpha: algorithm === 'caml' ? c.contextAlpha : c.alpha, innerSteps: c.innerSteps, tamlLambda: c.tamlLambda, tamlMeasure: c.tamlMeasure, seed: keep?.seed ?? 0 };
}

/** The card's part of a paper preset (β and CAML's context size and FiLM block are the defaults already). */
export function presetOf(algorithm: OmniglotAlgorithm): { values: Partial<FamilySettings>; citation: string } | undefined {
  const p = OMNIGLOT_PRESETS[algorithm];
  if (!p) return undefined;
  const { ways, shots, width, metaBatch, innerSteps, tamlLambda, tamlMeasure } = p.values;
  const alpha = algorithm === 'caml' ? p.values.contextAlpha : p.values.alpha;
  const values: Partial<FamilySettings> = { ways, shots, width, metaBatch, alpha, innerSteps, tamlLambda, tamlMeasure };
  for (const k of Object.keys(values) as (keyof FamilySettings)[]) if (values[k] === undefined) delete values[k];
  return { values, citation: p.citation };
}
