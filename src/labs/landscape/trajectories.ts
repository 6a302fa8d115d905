import { useCallback, useEffect, useRef, useState } from 'react';
import type { Speed } from '../../worker/vocabulary';
import { LANDSCAPE_ALGORITHMS, algorithmUpdate, applyUpdate, type AlgorithmState, type Hyper, type LandscapeAlgorithm, type makeTasks, type Vec2 } from '../../engine/landscape/landscape';
import type { LandscapeSettings } from './settings';

/**
 * The lab's training: every algorithm's meta-parameters stepped on the main thread (pure arithmetic
 * on two numbers, microseconds a step, so no worker), with the path each has taken.
 */

export const STEPS_PER_FRAME: Record<Speed, number> = { slow: 0.1, normal: 1, fast: 6 };
const MAX_PATH = 4000;
/** Outer steps over which a trajectory must have moved less than CONVERGED (θ units; the plot spans 6) to count as stopped. */
const CONVERGE_WINDOW = 10;
const CONVERGED = 1e-4;
const dist = (p: Vec2, q: Vec2) => Math.hypot(p[0] - q[0], p[1] - q[1]);

/** One algorithm's state and the θ it has visited. */
export interface Run {
  state: AlgorithmState;
  path: Vec2[];
}

const freshRuns = (s: LandscapeSettings): Record<LandscapeAlgorithm, Run> =>
  Object.fromEntries(LANDSCAPE_ALGORITHMS.map((a) => [a, { state: { theta: s.theta, metaAlpha: [s.alpha, s.alpha] }, path: [s.theta] }])) as Record<LandscapeAlgorithm, Run>;

/**
 * The trajectories of every algorithm from the settings' θ, with play, pause, step and restart. The
 * runs are a mutable ref (they grow every frame while playing); `outerSteps` is the count React sees.
 */
export function useTrajectories(settings: LandscapeSettings, tasks: ReturnType<typeof makeTasks>, hyper: Hyper) {
  const runs = useRef(freshRuns(settings));
  const algs = settings.algs;
  /** Outer steps of every algorithm; the count reaches React at once when paused, 4 times a second while playing. */
  const stepsDone = useRef(0);
  const [outerSteps, setOuterSteps] = useState(0);
  const [running, setRunning] = useState(false);
  const [speed, setSpeed] = useState<Speed>('normal');
  /** No trajectory moves any more: play stops and the step count with it. */
  const convergedRef = useRef(false);
  const [converged, setConverged] = useState(false);
  /** The shown algorithms' states CONVERGE_WINDOW steps ago: where they stand now is compared with it. */
  const anchor = useRef<Partial<Record<LandscapeAlgorithm, AlgorithmState>>>({});

  /** Restart every trajectory at θ (after a drag, a reset or new hyper-parameters). */
  const restart = useCallback((s: LandscapeSettings) => {
    runs.current = freshRuns(s);
    stepsDone.current = 0;
    convergedRef.current = false;
    anchor.current = {};
    setOuterSteps(0);
    setConverged(false);
  }, []);
  // Another set of shown algorithms: whether they have stopped is judged afresh.
  useEffect(() => {
    convergedRef.current = false;
    anchor.current = {};
    setConverged(false);
  }, [algs]);
  useEffect(() => restart(settings), [settings.theta, settings.alpha, settings.k, settings.beta, settings.epsilon, restart]); // eslint-disable-line react-hooks/exhaustive-deps

  const advance = useCallback(
    (n: number) => {
      for (let i = 0; i < n && !convergedRef.current; i++) {
        for (const a of LANDSCAPE_ALGORITHMS) {
          const r = runs.current[a];
          const next = applyUpdate(r.state, algorithmUpdate(a, tasks, r.state, hyper));
          if (!Number.isFinite(next.theta[0]) || !Number.isFinite(next.theta[1]) || Math.hypot(...next.theta) > 1e3) continue;
          r.state = next;
          if (r.path.length < MAX_PATH) r.path.push(next.theta);
        }
        stepsDone.current++;
        if (stepsDone.current % CONVERGE_WINDOW !== 0) continue;
        // Converged: no shown trajectory (θ, and Meta-SGD's α) moved visibly over the window; a
        // trajectory that still oscillates or drifts (MAML with gradient agreement does) keeps it going.
        const moved = algs.map((a) => {
          const [now, then] = [runs.current[a].state, anchor.current[a]];
          return then ? Math.max(dist(now.theta, then.theta), dist(now.metaAlpha, then.metaAlpha)) : Infinity;
        });
        if (algs.length > 0 && Math.max(...moved) < CONVERGED) convergedRef.current = true;
        anchor.current = Object.fromEntries(algs.map((a) => [a, runs.current[a].state]));
      }
    },
    [tasks, hyper, algs],
  );
  const stepAll = useCallback(
    (n: number) => {
      advance(n);
      setOuterSteps(stepsDone.current);
      setConverged(convergedRef.current);
    },
    [advance],
  );

  // Play: a few outer steps per animation frame (pure arithmetic: microseconds each). The canvas
  // redraws every frame by itself; the rest of the page re-renders only 4 times a second.
  useEffect(() => {
    if (!running) return;
    let frame = 0;
    let carry = 0;
    const tick = () => {
      carry += STEPS_PER_FRAME[speed];
      const n = Math.floor(carry);
      carry -= n;
      if (n > 0) advance(n);
      if (convergedRef.current) {
        setConverged(true);
        setRunning(false);
        return;
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    const sync = setInterval(() => setOuterSteps(stepsDone.current), 250);
    return () => {
      cancelAnimationFrame(frame);
      clearInterval(sync);
      setOuterSteps(stepsDone.current);
    };
  }, [running, speed, advance]);

  return { runs: runs.current, outerSteps, running, setRunning, speed, setSpeed, stepAll, restart, converged };
}
