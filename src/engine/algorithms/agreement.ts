// Plain-number forms of gradient agreement and TAML's inequality measures, free of tfjs so the
// parameter-space lab can use them on the main thread. familyMath.ts has the tensor forms.
import type { InequalityMeasure } from './sineConfig';

/**
 * Gradient agreement (Eshratifar, Eigen & Pedram 2018): task i's weight is its summed inner
 * product with every task's gradient, normalised by the sum of the absolute sums:
 *   wᵢ = Σⱼ gᵢᵀgⱼ / Σₖ |Σⱼ gₖᵀgⱼ|.
 * A task whose gradient agrees with the others gets a large weight, one that disagrees a negative one.
 */
export function gradientAgreementWeights(gradients: readonly (readonly number[])[]): number[] {
  const sums = gradients.map((gi) => gradients.reduce((s, gj) => s + gi.reduce((a, v, k) => a + v * gj[k], 0), 0));
  const norm = sums.reduce((s, v) => s + Math.abs(v), 0);
  return sums.map((v) => (norm > 0 ? v / norm : 1 / gradients.length));
}

/**
 * The inequality measures of inequality-minimisation TAML (Jamal & Qi 2019) over M task losses
 * ℓ with mean μ:
 *   Theil       T  = (1/M) Σᵢ (ℓᵢ/μ) ln(ℓᵢ/μ)
 *   Gini        G  = Σᵢ Σⱼ |ℓᵢ − ℓⱼ| / (2 M² μ)
 *   variance of logarithms  VL = (1/M) Σᵢ (ln ℓᵢ − ln g)², g the geometric mean (so ln g = mean ln ℓ).
 * All are 0 when every task has the same loss.
 */
export function inequality(losses: readonly number[], measure: InequalityMeasure): number {
  const m = losses.length;
  const mean = losses.reduce((s, v) => s + v, 0) / m;
  switch (measure) {
    case 'theil':
      return losses.reduce((s, v) => s + (v > 0 ? (v / mean) * Math.log(v / mean) : 0), 0) / m;
    case 'gini': {
      let total = 0;
      for (const a of losses) for (const b of losses) total += Math.abs(a - b);
      return total / (2 * m * m * mean);
    }
    case 'varlog': {
      const logs = losses.map((v) => Math.log(v));
      const lg = logs.reduce((s, v) => s + v, 0) / m;
      return logs.reduce((s, v) => s + (v - lg) ** 2, 0) / m;
    }
  }
}
