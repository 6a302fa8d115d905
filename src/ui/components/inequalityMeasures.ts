import type { InequalityMeasure } from '../../engine/algorithms/sineConfig';
import type { MessageKey } from '../../i18n/messages';

/*
 * TAML's inequality measures over the tasks' losses ℓ (Jamal & Qi 2019, §3.2), as the sine lab
 * and the characters lab's family card show them: one formula and one name per measure.
 */

export const INEQUALITY_TEX: Record<InequalityMeasure, string> = {
  theil: String.raw`I_{\text{Theil}} = \tfrac1n \textstyle\sum_i \tfrac{\ell_i}{\bar\ell} \ln \tfrac{\ell_i}{\bar\ell}`,
  gini: String.raw`I_{\text{Gini}} = \dfrac{\sum_i \sum_j |\ell_i - \ell_j|}{2 n^2 \bar\ell}`,
  varlog: String.raw`I_{\text{VL}} = \tfrac1n \textstyle\sum_i \big(\ln \ell_i - \ln g(\ell)\big)^2`,
};

export const INEQUALITY_NAME: Record<InequalityMeasure, MessageKey> = {
  theil: 'measureTheil',
  gini: 'measureGini',
  varlog: 'measureVarlog',
};
