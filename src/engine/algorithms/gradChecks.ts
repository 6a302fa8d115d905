import * as tf from '@tensorflow/tfjs';
import { isSelected, OP_CHECK_GROUPS, type GradCheckReport, type GradCheckResult } from '../core/ops/gradcheck';
import { listOpChecks, runOpChecks } from '../core/ops/opChecks';
import { checkConvMamlGradient, MAML_CHECK_NAME, type MamlCheckConfig } from './convMamlCheck';

/*
 * Every gradient check, as `metaplay gradcheck` and the Diagnostics page run them: the op checks
 * (core/ops) and then the conv-net MAML meta-gradient check. The suite lives at the algorithms
 * level because that last check needs the model and the algorithm, which core may not import.
 */

export const GRADCHECK_GROUPS = [...OP_CHECK_GROUPS, 'maml'] as const;
export type GradCheckGroup = (typeof GRADCHECK_GROUPS)[number];

/** Every check's name and group, in run order. */
export function listGradChecks(): { name: string; group: GradCheckGroup }[] {
  return [...listOpChecks(), { name: MAML_CHECK_NAME, group: 'maml' as const }];
}

export interface GradCheckOptions {
  /** Check names or group names to run (default: all). */
  only?: readonly string[];
  /** Overrides for the MAML check's size. */
  maml?: Partial<MamlCheckConfig>;
  seed?: number;
  /** Called after each check (progress reporting). */
  onResult?: (result: GradCheckResult) => void;
}

/** Runs the gradient checks on the active tfjs backend. Never throws for a failing op: it reports it. */
export async function runGradChecks(opts: GradCheckOptions = {}): Promise<GradCheckReport> {
  const checks = [...(await runOpChecks(opts)).checks];
  if (isSelected(opts.only, MAML_CHECK_NAME, 'maml')) {
    const r = await checkConvMamlGradient(opts.maml, opts.seed ?? 0);
    checks.push(r);
    opts.onResult?.(r);
  }
  return { backend: tf.getBackend(), checks, ok: checks.length > 0 && checks.every((c) => c.ok) };
}
