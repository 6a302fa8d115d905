import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import { initConvNet, type ConvNetSpec } from '../models/convNet';
import { disposeEpisodes, syntheticConvEpisodes } from '../tasks/convEpisodes';
import { convMamlMetaGradient } from './convMaml';

/**
 * Times one MAML meta-gradient of the 4-block conv net (one inner step, α = 0.4) over a batch of
 * synthetic 28×28 tasks, second-order against first-order. Environment-neutral: the CLI passes a
 * process CPU clock, the browser's Diagnostics page none.
 */
export interface ConvMamlTimingOptions {
  width: number;
  tasks: number;
  ways: number;
  shots: number;
  queries: number;
  repeats: number;
  /** Process CPU time in ms, where the host can measure it (Node). */
  cpuClock?: () => number;
  onRun?: (run: number, first: ConvMamlTiming, second: ConvMamlTiming) => void;
}

export interface ConvMamlTiming {
  wallMs: number;
  cpuMs: number | null;
}

export interface ConvMamlTimingRow {
  width: number;
  /** Medians over the timed runs. */
  first_order_ms: number;
  second_order_ms: number;
  ratio: number;
  first_order_cpu_ms: number | null;
  second_order_cpu_ms: number | null;
  cpu_ratio: number | null;
}

export const CONV_MAML_TIMING_DEFAULTS = { tasks: 4, ways: 5, shots: 1, queries: 15, repeats: 3 } as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Wall (and CPU) time of one meta-gradient with its results read back, which waits for asynchronous backends. */
async function timeOnce(run: () => { loss: tf.Scalar; grads: tf.Tensor[] }, cpuClock?: () => number): Promise<ConvMamlTiming> {
  const c0 = cpuClock?.();
  const t0 = performance.now();
  const { loss, grads } = run();
  await Promise.all([loss, ...grads].map((t) => t.data()));
  const wallMs = performance.now() - t0;
  const cpuMs = cpuClock && c0 !== undefined ? cpuClock() - c0 : null;
  tf.dispose([loss, ...grads]);
  return { wallMs, cpuMs };
}

export async function timeConvMaml(o: ConvMamlTimingOptions): Promise<ConvMamlTimingRow> {
  const spec: ConvNetSpec = { width: o.width, ways: o.ways, inputSize: 28, inputChannels: 1, blocks: 4 };
  const rng = Rng.derive(0, `bench-ops:${o.width}`);
  const init = initConvNet(spec, rng);
  const theta = init.specs.map((s, i) => tf.tensor(init.values[i], s.shape));
  const episodes = syntheticConvEpisodes(rng, { tasks: o.tasks, ways: o.ways, shots: o.shots, queries: o.queries, inputSize: 28, inputChannels: 1 });
  const opts = { alpha: 0.4, innerSteps: 1 };
  const runFirst = () => convMamlMetaGradient(theta, episodes, { ...opts, firstOrder: true });
  const runSecond = () => convMamlMetaGradient(theta, episodes, opts);
  try {
    // One untimed warm-up of each (kernel compilation), then alternate the two so that load
    // changes on the machine hit both alike.
    await timeOnce(runFirst);
    await timeOnce(runSecond);
    const first: ConvMamlTiming[] = [];
    const second: ConvMamlTiming[] = [];
    for (let r = 0; r < o.repeats; r++) {
      first.push(await timeOnce(runFirst, o.cpuClock));
      second.push(await timeOnce(runSecond, o.cpuClock));
      o.onRun?.(r, first[r], second[r]);
    }
    const fw = median(first.map((t) => t.wallMs));
    const sw = median(second.map((t) => t.wallMs));
    const fc = o.cpuClock ? median(first.map((t) => t.cpuMs ?? 0)) : null;
    const sc = o.cpuClock ? median(second.map((t) => t.cpuMs ?? 0)) : null;
    return {
      width: o.width,
      first_order_ms: Math.round(fw),
      second_order_ms: Math.round(sw),
      ratio: round2(sw / fw),
      first_order_cpu_ms: fc === null ? null : Math.round(fc),
      second_order_cpu_ms: sc === null ? null : Math.round(sc),
      cpu_ratio: fc === null || sc === null ? null : round2(sc / fc),
    };
  } finally {
    tf.dispose(theta);
    disposeEpisodes(episodes);
  }
}
