import * as tf from '@tensorflow/tfjs';
import { timeConvMaml, type ConvMamlTiming, type ConvMamlTimingRow } from '../../engine/algorithms/convMamlTiming';
import { choiceFlag, numberFlag, parseFlags, progress, UsageError } from '../args';
import { NODE_BACKENDS, selectNodeBackend } from '../nodeBackend';

const FLAGS = {
  backend: { type: 'string' },
  widths: { type: 'string' },
  tasks: { type: 'string' },
  ways: { type: 'string' },
  shots: { type: 'string' },
  queries: { type: 'string' },
  repeats: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const BENCH_OPS_USAGE = `metaplay bench-ops [--backend cpu|wasm] [--widths 64,32] [--tasks 4] [--ways 5] [--shots 1]
    [--queries 15] [--repeats 3] [--json]`;

export type BenchOpsRow = ConvMamlTimingRow;

/**
 * `metaplay bench-ops`: time of one MAML meta-gradient of the 4-block conv net (one inner step,
 * α = 0.4) over a batch of synthetic 28×28 tasks, second-order vs first-order, per width.
 */
export async function benchOpsCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  const backend = choiceFlag(values, 'backend', NODE_BACKENDS, 'cpu');
  const widths = (values.widths ?? '64,32').split(',').map((w) => Number(w.trim()));
  if (widths.length === 0 || !widths.every((w) => Number.isInteger(w) && w >= 1 && w <= 256))
    throw new UsageError(`--widths needs a comma-separated list of whole numbers in [1, 256], got "${values.widths}"`);
  const tasks = numberFlag(values, 'tasks', 4, { min: 1, max: 64, integer: true });
  const ways = numberFlag(values, 'ways', 5, { min: 2, max: 50, integer: true });
  const shots = numberFlag(values, 'shots', 1, { min: 1, max: 50, integer: true });
  const queries = numberFlag(values, 'queries', 15, { min: 1, max: 100, integer: true });
  const repeats = numberFlag(values, 'repeats', 3, { min: 1, max: 100, integer: true });
  await selectNodeBackend(backend);

  const cpuClock = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const rows: BenchOpsRow[] = [];
  for (const width of widths) {
    progress(`width ${width}: ${tasks} tasks, ${ways}-way ${shots}-shot, ${queries} queries/class, ${repeats} timed runs each (+1 warm-up)`);
    const sec = (t: ConvMamlTiming) => `${(t.wallMs / 1000).toFixed(2)} s wall, ${((t.cpuMs ?? 0) / 1000).toFixed(2)} s CPU`;
    rows.push(
      await timeConvMaml({
        width,
        tasks,
        ways,
        shots,
        queries,
        repeats,
        cpuClock,
        onRun: (r, first, second) => progress(`  run ${r + 1}/${repeats}: first-order ${sec(first)}; second-order ${sec(second)}`),
      }),
    );
  }
  const result = { backend: tf.getBackend(), tasks, ways, shots, queries_per_class: queries, inner_steps: 1, repeats, results: rows };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`conv MAML meta-gradient on ${result.backend} (${tasks} tasks, ${ways}-way ${shots}-shot, ${queries} queries/class), median of ${repeats}:`);
    for (const r of rows)
      console.log(
        `  width ${r.width}: first-order ${(r.first_order_ms / 1000).toFixed(2)} s, second-order ${(r.second_order_ms / 1000).toFixed(2)} s (${r.ratio}×); ` +
          `CPU time ${((r.first_order_cpu_ms ?? 0) / 1000).toFixed(2)} s vs ${((r.second_order_cpu_ms ?? 0) / 1000).toFixed(2)} s (${r.cpu_ratio}×)`,
      );
  }
  return 0;
}
