import * as tf from '@tensorflow/tfjs';
import { baselineRule } from './baselines';
import { BASELINES, type Baseline } from './config';
import type { Optimisee } from './optimisee';
import { lossCurves, type UpdateRule } from './trajectory';

/** One baseline's grid search: the final mean loss of every rate tried, and the rate chosen. */
export interface RateChoice {
  lr: number;
  /** Mean loss at the horizon on the training functions, per rate of the grid (non-finite: diverged). */
  finalLosses: number[];
}

/** The rate of the grid with the lowest final loss; a diverged rate (NaN, ∞) never wins; ties go to the first. */
export function bestRate(grid: readonly number[], finalLosses: readonly number[]): number {
  let best = -1;
  finalLosses.forEach((l, i) => {
    if (Number.isFinite(l) && (best < 0 || l < finalLosses[best])) best = i;
  });
  if (best < 0) throw new Error('every rate of the grid diverged');
  return grid[best];
}

/**
 * The paper's protocol for the baselines: each runs at every rate of the grid on the training
 * functions for `horizon` steps, and keeps the rate with the lowest mean final loss. The rates are
 * a column of the same batch (the functions repeated once per rate), so a baseline's whole grid is
 * one run of batched ops.
 */
export function tuneBaseline(kind: Baseline, training: Optimisee, horizon: number, grid: readonly number[]): RateChoice {
  const repeated = training.repeated(grid.length);
  const rates = tf.tensor2d(grid.flatMap((lr) => Array<number>(training.functions).fill(lr)), [repeated.functions, 1]);
  const curves = lossCurves(repeated, baselineRule(kind, rates), horizon, grid.length);
  tf.dispose(rates);
  repeated.dispose();
  const finalLosses = curves.map((c) => c[horizon]);
  return { lr: bestRate(grid, finalLosses), finalLosses };
}

export function tuneBaselines(training: Optimisee, horizon: number, grid: readonly number[]): Record<Baseline, RateChoice> {
  return Object.fromEntries(BASELINES.map((b) => [b, tuneBaseline(b, training, horizon, grid)])) as Record<Baseline, RateChoice>;
}

/** An optimiser's result on held-out functions: the mean loss at the trained horizon and at twice it. */
export interface HeldOutResult {
  final: number;
  double: number;
  /** Mean loss after 0 … 2·horizon steps. */
  curve: Float32Array;
}

export function heldOut(rule: UpdateRule, functions: Optimisee, horizon: number): HeldOutResult {
  const [curve] = lossCurves(functions, rule, 2 * horizon);
  return { final: curve[horizon], double: curve[2 * horizon], curve };
}
