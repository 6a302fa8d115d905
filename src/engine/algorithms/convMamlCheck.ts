import * as tf from '@tensorflow/tfjs';
import { GRADCHECK_TOLERANCE, readAll, type GradCheckResult } from '../core/ops/gradcheck';
import * as ref from '../core/ops/reference';
import { Rng } from '../core/rng';
import { CONVNET_BN_EPS, initConvNet, type ConvNetSpec } from '../models/convNet';
import { disposeEpisodes, syntheticConvEpisodes } from '../tasks/convEpisodes';
import { convMamlMetaGradient } from './convMaml';

/*
 * The model-level gradient check: the whole conv-net MAML meta-gradient against float64 finite
 * differences (the op checks, in core/ops, check each op on its own).
 */

export const MAML_CHECK_NAME = 'maml-conv4';

export interface MamlCheckConfig {
  width: number;
  ways: number;
  shots: number;
  queries: number;
  tasks: number;
  alpha: number;
  innerSteps: number;
}

/** Small enough to run in seconds on the cpu backend; the architecture is the full 4-block net on 28×28. */
export const DEFAULT_MAML_CHECK: MamlCheckConfig = { width: 8, ways: 5, shots: 1, queries: 2, tasks: 2, alpha: 0.4, innerSteps: 1 };

/**
 * Directional derivative of a piecewise-smooth float64 function by a 4-point stencil. The MAML
 * meta-loss of a ReLU/max-pool net is only piecewise smooth (its inner gradient even jumps where
 * an activation or a pooling winner switches), so the step starts at 1e-5 and shrinks while the
 * 2h and 4h central differences disagree (a switch inside the stencil).
 */
function robustDirectional(f: (t: number) => number): { value: number; h: number } {
  const steps = [1e-5, 1e-6, 1e-7, 1e-8];
  let last = { value: NaN, h: NaN };
  for (const h of steps) {
    const [p1, m1, p2, m2] = [f(h), f(-h), f(2 * h), f(-2 * h)];
    const d1 = (p1 - m1) / (2 * h);
    const d2 = (p2 - m2) / (4 * h);
    last = { value: (8 * (p1 - m1) - (p2 - m2)) / (12 * h), h };
    if (Math.abs(d1 - d2) <= 1e-4 * Math.abs(last.value)) break;
  }
  return last;
}

/**
 * The full second-order MAML meta-gradient g₂ of the 4-block conv net (computed by tfjs on the
 * active backend) vs finite-difference directional derivatives of the same meta-loss computed in
 * float64 plain JavaScript (src/engine/core/ops/reference.ts, its own hand-written backprop for the
 * inner step), along two unit directions: u = (g₂ − g₁)/|g₂ − g₁|, where g₁ is the first-order
 * meta-gradient (the direction in which the two disagree most), and a random one. max_rel_err is
 * the worse of the two; first_order_rel_err is g₁'s error along u, which must be large: the check
 * fails if the second-order terms were lost. forward_rel_err compares the two meta-losses.
 */
export async function checkConvMamlGradient(config: Partial<MamlCheckConfig> = {}, seed = 0): Promise<GradCheckResult> {
  const cfg = { ...DEFAULT_MAML_CHECK, ...config };
  const t0 = Date.now();
  const spec: ConvNetSpec = { width: cfg.width, ways: cfg.ways, inputSize: 28, inputChannels: 1, blocks: 4 };
  const rng = Rng.derive(seed, 'gradcheck:maml');
  const init = initConvNet(spec, rng);
  const theta = init.specs.map((s, i) => tf.tensor(init.values[i], s.shape));
  const episodes = syntheticConvEpisodes(rng, { tasks: cfg.tasks, ways: cfg.ways, shots: cfg.shots, queries: cfg.queries, inputSize: 28, inputChannels: 1 });
  const opts = { alpha: cfg.alpha, innerSteps: cfg.innerSteps };
  const base = { name: MAML_CHECK_NAME, order: 2 as const, tolerance: GRADCHECK_TOLERANCE.maml };
  try {
    const second = convMamlMetaGradient(theta, episodes, opts);
    const first = convMamlMetaGradient(theta, episodes, { ...opts, firstOrder: true });
    const g2 = await readAll(second.grads);
    const g1 = await readAll(first.grads);
    const lossTf = (await second.loss.data())[0];
    tf.dispose([second.loss, second.grads, first.loss, first.grads]);

    const episodes64: ref.EpisodeRef[] = [];
    for (const e of episodes) {
      const [sx, sy, qx, qy] = await readAll([e.support.x, e.support.y, e.query.x, e.query.y]);
      episodes64.push({ supportX: Float64Array.from(sx), supportY: Float64Array.from(sy), queryX: Float64Array.from(qx), queryY: Float64Array.from(qy) });
    }
    const theta64 = init.values.map((v) => Float64Array.from(v));
    const net = { side: 28, channels: 1, width: cfg.width, blocks: 4, ways: cfg.ways };
    const loss64 = (params: Float64Array[]) => ref.convMamlLossRef(params, episodes64, net, cfg.alpha, cfg.innerSteps, CONVNET_BN_EPS);

    const unit = (d: Float64Array[]) => {
      const norm = Math.sqrt(d.reduce((s, x) => s + x.reduce((t, v) => t + v * v, 0), 0));
      return d.map((x) => x.map((v) => v / norm));
    };
    const dot = (g: Float32Array[], u: Float64Array[]) => g.reduce((s, gi, i) => s + gi.reduce((t, v, j) => t + v * u[i][j], 0), 0);
    const along = (u: Float64Array[]) => robustDirectional((t) => loss64(theta64.map((p, i) => p.map((v, j) => v + t * u[i][j]))));
    const uDiff = unit(g2.map((g, i) => Float64Array.from(g, (v, j) => v - g1[i][j])));
    const uRand = unit(theta64.map((p) => Float64Array.from(p, () => rng.normal())));
    const fdDiff = along(uDiff);
    const fdRand = along(uRand);
    const errDiff = Math.abs(dot(g2, uDiff) - fdDiff.value) / Math.abs(fdDiff.value);
    const errRand = Math.abs(dot(g2, uRand) - fdRand.value) / Math.abs(fdRand.value);
    const firstErr = Math.abs(dot(g1, uDiff) - fdDiff.value) / Math.abs(fdDiff.value);
    const l64 = loss64(theta64);
    const forwardErr = Math.abs(lossTf - l64) / Math.abs(l64);
    const err = Math.max(errDiff, errRand);
    const fmt = (x: number) => x.toPrecision(5);
    return {
      ...base,
      max_rel_err: err,
      ok: err <= GRADCHECK_TOLERANCE.maml && firstErr >= GRADCHECK_TOLERANCE.mamlFirstOrderMin && forwardErr <= GRADCHECK_TOLERANCE.forward,
      forward_rel_err: forwardErr,
      first_order_rel_err: firstErr,
      note:
        `4-block conv net width ${cfg.width} on 28×28, ${cfg.ways}-way ${cfg.shots}-shot, ${cfg.queries} queries/class, ${cfg.tasks} tasks, ` +
        `α=${cfg.alpha}, ${cfg.innerSteps} inner step(s). Along (g2−g1): FD ${fmt(fdDiff.value)} (h=${fdDiff.h}), second-order ${fmt(dot(g2, uDiff))}, ` +
        `first-order ${fmt(dot(g1, uDiff))}; along a random direction: FD ${fmt(fdRand.value)}, second-order ${fmt(dot(g2, uRand))}`,
      ms: Date.now() - t0,
    };
  } catch (e) {
    return { ...base, max_rel_err: null, ok: false, error: (e as Error).message };
  } finally {
    tf.dispose(theta);
    disposeEpisodes(episodes);
  }
}
