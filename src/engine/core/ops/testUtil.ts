import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { formatGradCheck, type GradCheckResult } from './gradcheck';
import { runOpChecks } from './opChecks';

/** Test-only helpers (vitest): run a group of gradient checks on the cpu backend and assert they pass. */
export async function useCpu(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Runs the named checks/groups and expects both orders of each to pass; returns the results. */
export async function expectChecksPass(only: string[], expectedCount: number): Promise<GradCheckResult[]> {
  const report = await runOpChecks({ only });
  expect(report.checks.length).toBe(expectedCount);
  for (const c of report.checks) expect(c.ok, formatGradCheck(c)).toBe(true);
  expect(report.ok).toBe(true);
  return report.checks;
}

/** Reads a tensor into a plain array (test convenience). */
export const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
