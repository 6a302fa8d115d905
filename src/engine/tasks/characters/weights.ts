import type { Rng } from '../../core/rng';

/** Categorical weights for the synthetic generator: how alphabets' styles are sampled and drawn from. */

/** Poisson(mean) probabilities of 0 … n−1, renormalized over that range. */
export function poissonWeights(mean: number, n: number): number[] {
  const w: number[] = [];
  let p = Math.exp(-mean);
  for (let k = 0; k < n; k++) {
    w.push(p);
    p = (p * mean) / (k + 1);
  }
  return normalize(w);
}

/** Scales weights to sum to 1. */
export function normalize(w: number[]): number[] {
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

/** An index drawn with probability proportional to its weight (the weights sum to 1). */
export function pick(rng: Rng, weights: readonly number[]): number {
  let u = rng.next();
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}
