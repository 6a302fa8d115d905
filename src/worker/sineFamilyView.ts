import { Rng } from '../engine/core/rng';
import type { SineTrainer } from '../engine/algorithms/sineRegression';
import { sampleSinePoints, sampleSineTask } from '../engine/tasks/sine';
import type { FamilyView } from './sineProtocol';

/** CAML's context plane: the same 60 tasks every time, so the picture changes only as θ learns. */
const CONTEXT_TASKS = 60;

/** What the algorithm itself has learned (Meta-SGD's α, CAML's contexts), sent with each evaluation; null for the others. */
export async function sineFamilyView(t: SineTrainer): Promise<FamilyView | null> {
  const cfg = t.config;
  if (cfg.algorithm === 'metasgd') {
    const specs = t.paramSpecs.slice(t.theta.length);
    const values = await Promise.all(t.extra.map(async (v) => Float32Array.from(await v.data())));
    return { kind: 'metasgd', step: t.steps, layers: specs.map((sp, i) => ({ name: sp.name.replace(/^alpha_/, ''), rows: sp.shape[0], cols: sp.shape[1], values: values[i] })) };
  }
  if (cfg.algorithm === 'caml') {
    const rng = Rng.derive(cfg.seed, 'ui-contexts');
    const tasks = Array.from({ length: CONTEXT_TASKS }, () => sampleSineTask(rng));
    const pts = sampleSinePoints(rng, tasks, cfg.k);
    const phi = t.contextsTensor(pts.xs, pts.ys, CONTEXT_TASKS, cfg.innerSteps);
    const data = (await phi.data()) as Float32Array;
    phi.dispose();
    const c = cfg.contextSize;
    const points = Float32Array.from({ length: CONTEXT_TASKS * 2 }, (_, i) => (i % 2 === 0 || c > 1 ? data[Math.floor(i / 2) * c + (i % 2)] : 0));
    return { kind: 'caml', step: t.steps, points, amplitude: Float32Array.from(tasks, (x) => x.amplitude), phase: Float32Array.from(tasks, (x) => x.phase), dims: c };
  }
  return null;
}
