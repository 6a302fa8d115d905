import type { Rng } from '../core/rng';

/** Finn et al. (2017): y = A·sin(x − φ), A ~ U[0.1, 5], φ ~ U[0, π], x ~ U[−5, 5]. */
export const SINE_RANGES = {
  amplitude: [0.1, 5.0] as const,
  phase: [0, Math.PI] as const,
  x: [-5, 5] as const,
};

export interface SineTask {
  amplitude: number;
  phase: number;
}

export function sineValue(task: SineTask, x: number): number {
  return task.amplitude * Math.sin(x - task.phase);
}

export function sampleSineTask(rng: Rng): SineTask {
  return {
    amplitude: rng.uniform(SINE_RANGES.amplitude[0], SINE_RANGES.amplitude[1]),
    phase: rng.uniform(SINE_RANGES.phase[0], SINE_RANGES.phase[1]),
  };
}

/**
 * A batch of regression tasks laid out for batched tensor ops: xs and ys are
 * [tasks, points, 1] in row-major order.
 */
export interface RegressionBatch {
  tasks: number;
  points: number;
  xs: Float32Array;
  ys: Float32Array;
}

/** Samples `points` inputs uniformly in x's range for each task and evaluates the task on them. */
export function sampleSinePoints(rng: Rng, tasks: readonly SineTask[], points: number): RegressionBatch {
  const xs = new Float32Array(tasks.length * points);
  const ys = new Float32Array(tasks.length * points);
  tasks.forEach((task, t) => {
    for (let i = 0; i < points; i++) {
      const x = rng.uniform(SINE_RANGES.x[0], SINE_RANGES.x[1]);
      xs[t * points + i] = x;
      ys[t * points + i] = sineValue(task, x);
    }
  });
  return { tasks: tasks.length, points, xs, ys };
}

/** A meta-batch of sine tasks: K support and Q query points per task. */
export interface SineEpisodeBatch {
  tasks: SineTask[];
  support: RegressionBatch;
  query: RegressionBatch;
}

export function sampleSineEpisodes(rng: Rng, metaBatch: number, k: number, queryPoints: number): SineEpisodeBatch {
  const tasks = Array.from({ length: metaBatch }, () => sampleSineTask(rng));
  return { tasks, support: sampleSinePoints(rng, tasks, k), query: sampleSinePoints(rng, tasks, queryPoints) };
}

/** Evenly spaced x values over the task range, for drawing curves. */
export function sineGrid(n: number): Float32Array {
  const [lo, hi] = SINE_RANGES.x;
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/**
 * A label-free "demonstration" of each task for domain-adaptive meta-learning (DAML): inputs only,
 * drawn around the curve's crest x = φ + π/2 in a window of half-width 0.3·A. Where the inputs lie
 * reveals the phase and their spread the amplitude, as a human video reveals a task without the
 * robot's actions; no y value is given. xs is [tasks, points, 1].
 */
export function sampleSineDemoInputs(rng: Rng, tasks: readonly SineTask[], points: number): Float32Array {
  const xs = new Float32Array(tasks.length * points);
  tasks.forEach((task, t) => {
    const centre = task.phase + Math.PI / 2;
    const half = 0.3 * task.amplitude;
    for (let i = 0; i < points; i++) xs[t * points + i] = rng.uniform(centre - half, centre + half);
  });
  return xs;
}
