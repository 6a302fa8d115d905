import { omniglotConfigFor, type OmniglotConfig } from '../engine/algorithms/omniglotConfig';
import type { FamilySettings } from './familyProtocol';

/** The conv net's config of the family card's settings (episodes of `queries` queries per class, FGSM step `epsilon`). */
export function familyConfigOf(s: FamilySettings, queries: number, epsilon: number): OmniglotConfig {
  const base = omniglotConfigFor(s.algorithm);
  // The card's α is CAML's context rate (CAML adapts only the context).
  const rate = s.algorithm === 'caml' ? { contextAlpha: s.alpha } : { alpha: s.alpha };
  return { ...base, ...rate, ways: s.ways, shots: s.shots, queries, width: s.width, metaBatch: s.metaBatch, innerSteps: s.innerSteps, tamlLambda: s.tamlLambda, tamlMeasure: s.tamlMeasure, seed: s.seed, advEpsilon: epsilon };
}
