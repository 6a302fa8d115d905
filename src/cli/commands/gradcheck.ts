import { formatGradCheck } from '../../engine/core/ops/gradcheck';
import { listGradChecks, runGradChecks, GRADCHECK_GROUPS } from '../../engine/algorithms/gradChecks';
import { choiceFlag, numberFlag, parseFlags, progress, UsageError } from '../args';
import { NODE_BACKENDS, selectNodeBackend } from '../nodeBackend';

const FLAGS = {
  backend: { type: 'string' },
  only: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const GRADCHECK_USAGE = `metaplay gradcheck [--backend cpu|wasm] [--only NAME,GROUP,...] [--seed S] [--json]
    groups: ${GRADCHECK_GROUPS.join(', ')}`;

/**
 * `metaplay gradcheck`: first derivatives and Hessian-vector products of the second-order-safe ops,
 * and the conv-net MAML meta-gradient, against float64 finite differences on the chosen backend.
 * Exit code 0 when every check passes, 1 otherwise.
 */
export async function gradcheckCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'cpu');
  const seed = numberFlag(values, 'seed', 0, { min: 0, max: 2 ** 32 - 1, integer: true });
  let only: string[] | undefined;
  if (values.only !== undefined) {
    only = values.only.split(',').map((s) => s.trim()).filter(Boolean);
    const known = new Set<string>([...GRADCHECK_GROUPS, ...listGradChecks().map((c) => c.name)]);
    const unknown = only.filter((n) => !known.has(n));
    if (only.length === 0 || unknown.length > 0)
      throw new UsageError(`--only: unknown check "${unknown[0] ?? ''}"; choose from ${[...known].join(', ')}`);
  }
  await selectNodeBackend(backend);
  progress(`gradient checks on the ${backend} backend (seed ${seed})`);
  const report = await runGradChecks({ only, seed, onResult: (r) => progress(formatGradCheck(r)) });
  const failed = report.checks.filter((c) => !c.ok);
  if (values.json) console.log(JSON.stringify(report));
  else {
    console.log(`${report.checks.length - failed.length}/${report.checks.length} gradient checks passed on ${report.backend}`);
    for (const c of failed) console.log(`failed: ${formatGradCheck(c)}`);
  }
  return report.ok ? 0 : 1;
}
