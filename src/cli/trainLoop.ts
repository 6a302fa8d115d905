import type * as tf from '@tensorflow/tfjs';
import { progress } from './args';

/**
 * The CLI's outer training loop for the gradient-based trainers: runs `steps` steps, reads the
 * meta-loss back every `every` steps only (a read-back stalls the backend), reports progress, and
 * stops at a non-finite or exploding loss. Returns the last loss read and the wall seconds, or
 * null after a divergence (already reported; the caller exits 1).
 */
export function runTrainingLoop(
  steps: number,
  step: () => tf.Scalar,
  o: { every: number; divergeAbove: number },
): { lastLoss: number; seconds: number } | null {
  const t0 = performance.now();
  let lastLoss = NaN;
  for (let s = 1; s <= steps; s++) {
    const loss = step();
    if (s % o.every === 0 || s === steps) {
      lastLoss = loss.dataSync()[0];
      if (!Number.isFinite(lastLoss) || lastLoss > o.divergeAbove) {
        loss.dispose();
        progress(`training diverged at step ${s} (meta-loss ${lastLoss}); lower --alpha or --meta-lr`);
        return null;
      }
      progress(`step ${s}/${steps}  meta-loss ${lastLoss.toFixed(4)}`);
    }
    loss.dispose();
  }
  return { lastLoss, seconds: (performance.now() - t0) / 1000 };
}
