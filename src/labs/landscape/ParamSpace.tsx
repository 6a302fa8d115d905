import { useEffect, useMemo, useRef, useState } from 'react';
import type { Translate } from '../../ui/store';
import { DEFAULT_TASKS, type Hyper, type LandscapeAlgorithm, type Vec2, type algorithmUpdate, type makeTasks } from '../../engine/landscape/landscape';
import { ALG_NAME } from './algorithmNames';
import { ALG_COLORS, TASK_COLORS, drawScene, fromPx, objectiveImage, taskContours, toPx, type View } from './draw';
import { LANDSCAPE_RANGE, type LandscapeSettings } from './settings';
import type { Run } from './trajectories';

/**
 * The parameter space: the tasks' contours, an optional objective as background, θ as a handle to
 * drag (or move with the arrow keys), each algorithm's next update as an arrow and its path so far.
 * The canvas redraws itself on animation frames, so playing does not re-render the page.
 */
export function ParamSpace(props: {
  t: Translate;
  settings: LandscapeSettings;
  tasks: ReturnType<typeof makeTasks>;
  hyper: Hyper;
  runs: Record<LandscapeAlgorithm, Run>;
  version: number;
  updates: Record<LandscapeAlgorithm, ReturnType<typeof algorithmUpdate>>;
  running: boolean;
  thick: boolean;
  onTheta: (t: Vec2) => void;
}) {
  const { settings, tasks, hyper, runs, version, updates, running, thick, onTheta, t } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState(560);
  const dragging = useRef(false);
  const contours = useMemo(() => taskContours(tasks, LANDSCAPE_RANGE.lo, LANDSCAPE_RANGE.hi), [tasks]);
  const background = useMemo(() => {
    const img = objectiveImage(settings.bg, tasks, hyper, LANDSCAPE_RANGE.lo, LANDSCAPE_RANGE.hi);
    if (!img) return null;
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    c.getContext('2d')?.putImageData(img, 0, 0);
    return c;
  }, [settings.bg, tasks, hyper]);
  const view: View = useMemo(() => ({ lo: LANDSCAPE_RANGE.lo, hi: LANDSCAPE_RANGE.hi, size }), [size]);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize(Math.max(200, Math.round(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // What the next frame draws: the latest props (the trajectories are a mutable ref of the page).
  const draw = useRef<() => void>(() => {});
  draw.current = () => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    if (el.width !== Math.round(size * dpr)) {
      el.width = Math.round(size * dpr);
      el.height = Math.round(size * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawScene(ctx, {
      view,
      tasks,
      contours,
      background,
      theta: settings.theta,
      hyper,
      algs: settings.algs.map((a) => ({ alg: a, delta: updates[a].delta, path: runs[a].path })),
      arrowScale: settings.arrowScale,
      reptileTask: settings.algs.includes('reptile') ? settings.reptileTask : null,
      thick,
      labels: { tasks: tasks.map((_, i) => t('landscapeTask', { name: DEFAULT_TASKS[i].name })) },
    });
    // The cost of a frame's drawing, for the tests and the curious (no re-render).
    el.dataset.frameMs = (performance.now() - t0).toFixed(2);
    el.dataset.paths = settings.algs.map((a) => `${a}:${runs[a].path.length}`).join(';');
  };
  // Redraw on the next animation frame whenever anything drawn changes; every frame while playing.
  useEffect(() => {
    let id = requestAnimationFrame(function frame() {
      draw.current();
      if (running) id = requestAnimationFrame(frame);
    });
    return () => cancelAnimationFrame(id);
  }, [view, tasks, contours, background, settings, hyper, updates, runs, version, running, thick, size, t]);

  const pointerTheta = (e: React.PointerEvent<HTMLCanvasElement>): Vec2 => {
    const r = e.currentTarget.getBoundingClientRect();
    const th = fromPx(view, ((e.clientX - r.left) / r.width) * size, ((e.clientY - r.top) / r.height) * size);
    const clamp = (v: number, i: 0 | 1) => Math.max(LANDSCAPE_RANGE.lo[i], Math.min(LANDSCAPE_RANGE.hi[i], v));
    return [clamp(th[0], 0), clamp(th[1], 1)];
  };
  const handle = toPx(view, settings.theta);
  const arrows = settings.algs.map((a) => `${a}:${updates[a].delta[0].toFixed(4)},${updates[a].delta[1].toFixed(4)}`).join(';');
  return (
    <canvas
      ref={canvas}
      className="landscape-canvas"
      data-testid="landscape-canvas"
      data-handle-x={(handle[0] / size).toFixed(4)}
      data-handle-y={(handle[1] / size).toFixed(4)}
      data-arrows={arrows}
      tabIndex={0}
      role="img"
      aria-label={t('landscapeCanvasLabel')}
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        onTheta(pointerTheta(e));
      }}
      onPointerMove={(e) => {
        if (dragging.current) onTheta(pointerTheta(e));
      }}
      onPointerUp={() => (dragging.current = false)}
      onPointerCancel={() => (dragging.current = false)}
      onKeyDown={(e) => {
        const d = e.shiftKey ? 0.25 : 0.05;
        const moves: Record<string, Vec2> = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
        const m = moves[e.key];
        if (!m) return;
        e.preventDefault();
        onTheta([Math.max(-3, Math.min(3, settings.theta[0] + m[0])), Math.max(-3, Math.min(3, settings.theta[1] + m[1]))]);
      }}
    />
  );
}

export function Legend({ t, algs }: { t: Translate; algs: LandscapeAlgorithm[] }) {
  return (
    <div className="legend wrap">
      {algs.map((a) => (
        <span key={a}>
          <span className="swatch" style={{ background: ALG_COLORS[a] }} /> {t(ALG_NAME[a])}
        </span>
      ))}
      {DEFAULT_TASKS.map((task, i) => (
        <span key={task.name}>
          <span className="swatch" style={{ background: TASK_COLORS[i] }} /> {t('landscapeTask', { name: task.name })}:{' '}
          <bdi dir="ltr">
            y = {task.slope}x {task.intercept < 0 ? '−' : '+'} {Math.abs(task.intercept)}
          </bdi>
        </span>
      ))}
    </div>
  );
}
