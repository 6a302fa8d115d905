import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../engine/core/rng';
import {
  convMamlMetaGradient,
  disposeEpisodes,
  initConvNet,
  syntheticConvEpisodes,
  type ConvNetSpec,
} from '../../engine/models/convNet';
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

export interface BenchOpsRow {
  width: number;
  /** Median wall-clock time of one meta-gradient. */
  first_order_ms: number;
  second_order_ms: number;
  /** second_order_ms / first_order_ms */
  ratio: number;
  /** Median process CPU time (user + system) of one meta-gradient: steadier than wall time on a busy machine. */
  first_order_cpu_ms: number;
  second_order_cpu_ms: number;
  cpu_ratio: number;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Wall and process CPU time of one meta-gradient, results read back (which waits for asynchronous backends). */
async function timeOnce(run: () => { loss: tf.Scalar; grads: tf.Tensor[] }): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { loss, grads } = run();
  await Promise.all([loss, ...grads].map((t) => t.data()));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  tf.dispose([loss, ...grads]);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * `metaplay bench-ops`: time of one MAML meta-gradient of the 4-block conv net (one inner step,
 * α = 0.4) over a batch of synthetic 28×28 tasks, second-order vs first-order, per width.
 */
export async function benchOpsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
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

  const opts = { alpha: 0.4, innerSteps: 1 };
  const rows: BenchOpsRow[] = [];
  for (const width of widths) {
    const spec: ConvNetSpec = { width, ways, inputSize: 28, inputChannels: 1, blocks: 4 };
    const rng = Rng.derive(0, `bench-ops:${width}`);
    const init = initConvNet(spec, rng);
    const theta = init.specs.map((s, i) => tf.tensor(init.values[i], s.shape));
    const episodes = syntheticConvEpisodes(rng, { tasks, ways, shots, queries, inputSize: 28, inputChannels: 1 });
    progress(`width ${width}: ${tasks} tasks, ${ways}-way ${shots}-shot, ${queries} queries/class, ${repeats} timed runs each (+1 warm-up)`);
    const runFirst = () => convMamlMetaGradient(theta, episodes, { ...opts, firstOrder: true });
    const runSecond = () => convMamlMetaGradient(theta, episodes, opts);
    // One untimed warm-up of each, then alternate first- and second-order runs so that load
    // changes on the machine hit both alike.
    await timeOnce(runFirst);
    await timeOnce(runSecond);
    const first: Timing[] = [];
    const second: Timing[] = [];
    for (let r = 0; r < repeats; r++) {
      first.push(await timeOnce(runFirst));
      second.push(await timeOnce(runSecond));
      const sec = (t: Timing) => `${(t.wallMs / 1000).toFixed(2)} s wall, ${(t.cpuMs / 1000).toFixed(2)} s CPU`;
      progress(`  run ${r + 1}/${repeats}: first-order ${sec(first[r])}; second-order ${sec(second[r])}`);
    }
    const [fw, sw] = [median(first.map((t) => t.wallMs)), median(second.map((t) => t.wallMs))];
    const [fc, sc] = [median(first.map((t) => t.cpuMs)), median(second.map((t) => t.cpuMs))];
    rows.push({
      width,
      first_order_ms: Math.round(fw),
      second_order_ms: Math.round(sw),
      ratio: round2(sw / fw),
      first_order_cpu_ms: Math.round(fc),
      second_order_cpu_ms: Math.round(sc),
      cpu_ratio: round2(sc / fc),
    });
    tf.dispose(theta);
    disposeEpisodes(episodes);
  }
  const result = { backend: tf.getBackend(), tasks, ways, shots, queries_per_class: queries, inner_steps: 1, repeats, results: rows };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`conv MAML meta-gradient on ${result.backend} (${tasks} tasks, ${ways}-way ${shots}-shot, ${queries} queries/class), median of ${repeats}:`);
    for (const r of rows)
      console.log(
        `  width ${r.width}: first-order ${(r.first_order_ms / 1000).toFixed(2)} s, second-order ${(r.second_order_ms / 1000).toFixed(2)} s (${r.ratio}×); ` +
          `CPU time ${(r.first_order_cpu_ms / 1000).toFixed(2)} s vs ${(r.second_order_cpu_ms / 1000).toFixed(2)} s (${r.cpu_ratio}×)`,
      );
  }
  return 0;
}
