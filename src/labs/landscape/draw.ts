import {
  contourSegments,
  innerPath,
  lossAt,
  mamlObjective,
  pretrainObjective,
  sampleGrid,
  type Hyper,
  type LandscapeAlgorithm,
  type LandscapeTask,
  type Vec2,
} from '../../engine/landscape/landscape';

export const TASK_COLORS = ['#66a80f', '#e8590c', '#9c36b5'];
export const ALG_COLORS: Record<LandscapeAlgorithm, string> = {
  pretrain: '#1c7ed6',
  fomaml: '#f06595',
  maml: '#c92a2a',
  reptile: '#0ca678',
  metasgd: '#5f3dc4',
  'maml-ga': '#212529',
};

export interface View {
  lo: Vec2;
  hi: Vec2;
  /** Canvas size in CSS pixels (square). */
  size: number;
}

export const toPx = (v: View, t: Vec2): [number, number] => [((t[0] - v.lo[0]) / (v.hi[0] - v.lo[0])) * v.size, (1 - (t[1] - v.lo[1]) / (v.hi[1] - v.lo[1])) * v.size];
export const fromPx = (v: View, x: number, y: number): Vec2 => [v.lo[0] + (x / v.size) * (v.hi[0] - v.lo[0]), v.lo[1] + (1 - y / v.size) * (v.hi[1] - v.lo[1])];

/** Contour segments of every task's loss (support ∪ query), computed once per task set. */
export function taskContours(tasks: readonly LandscapeTask[], lo: Vec2, hi: Vec2): { task: number; segs: [Vec2, Vec2][] }[] {
  const levels = [0.05, 0.25, 0.75, 1.75, 3.5];
  return tasks.flatMap((t, i) => {
    const grid = sampleGrid((th) => lossAt(t.all, th), lo, hi, 90);
    return levels.map((level) => ({ task: i, segs: contourSegments(grid, level) }));
  });
}

/** A log-scaled grey image of an objective over the view (a 100 × 100 grid), or null. */
export function objectiveImage(kind: 'none' | 'pretrain' | 'maml', tasks: readonly LandscapeTask[], h: Hyper, lo: Vec2, hi: Vec2): ImageData | null {
  if (kind === 'none' || typeof ImageData === 'undefined') return null;
  const n = 100;
  const f = kind === 'pretrain' ? (t: Vec2) => pretrainObjective(tasks, t) : (t: Vec2) => mamlObjective(tasks, t, h);
  const grid = sampleGrid(f, lo, hi, n);
  let min = Infinity;
  let max = -Infinity;
  const logs = grid.values.map((v) => Math.log(v + 1e-3));
  logs.forEach((v) => {
    min = Math.min(min, v);
    max = Math.max(max, v);
  });
  const img = new ImageData(n, n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const u = (logs[j * n + i] - min) / Math.max(1e-9, max - min);
      const shade = Math.round(150 + 105 * u); // low objective = darker
      const p = ((n - 1 - j) * n + i) * 4; // row 0 of the image is the top (largest b)
      img.data[p] = shade;
      img.data[p + 1] = shade;
      img.data[p + 2] = Math.min(255, shade + 10);
      img.data[p + 3] = 255;
    }
  return img;
}

function arrow(ctx: CanvasRenderingContext2D, from: [number, number], to: [number, number], color: string, width: number): void {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const len = Math.hypot(dx, dy);
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(from[0], from[1]);
  ctx.lineTo(to[0], to[1]);
  ctx.stroke();
  if (len < 2) return;
  const head = Math.min(12, 4 + 2 * width, len * 0.6);
  const ux = dx / len;
  const uy = dy / len;
  ctx.beginPath();
  ctx.moveTo(to[0], to[1]);
  ctx.lineTo(to[0] - head * ux + head * 0.45 * uy, to[1] - head * uy - head * 0.45 * ux);
  ctx.lineTo(to[0] - head * ux - head * 0.45 * uy, to[1] - head * uy + head * 0.45 * ux);
  ctx.closePath();
  ctx.fill();
}

export interface Scene {
  view: View;
  tasks: readonly LandscapeTask[];
  contours: { task: number; segs: [Vec2, Vec2][] }[];
  background: HTMLCanvasElement | OffscreenCanvas | null;
  theta: Vec2;
  hyper: Hyper;
  /** Each shown algorithm's update from θ (θ_new − θ) and its trajectory so far. */
  algs: { alg: LandscapeAlgorithm; delta: Vec2; path: readonly Vec2[] }[];
  arrowScale: number;
  reptileTask: number | null;
  thick: boolean;
  labels: { tasks: string[] };
}

/** Draws the whole parameter-space picture (a few hundred path segments: well under a millisecond). */
export function drawScene(ctx: CanvasRenderingContext2D, s: Scene): void {
  const { view } = s;
  const w = s.thick ? 2 : 1;
  ctx.clearRect(0, 0, view.size, view.size);
  if (s.background) {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(s.background, 0, 0, view.size, view.size);
  } else {
    ctx.fillStyle = '#fbfcfd';
    ctx.fillRect(0, 0, view.size, view.size);
  }
  // Axes through 0.
  ctx.strokeStyle = '#ced4da';
  ctx.lineWidth = 1;
  const o = toPx(view, [0, 0]);
  ctx.beginPath();
  ctx.moveTo(0, o[1]);
  ctx.lineTo(view.size, o[1]);
  ctx.moveTo(o[0], 0);
  ctx.lineTo(o[0], view.size);
  ctx.stroke();
  // Task loss contours and minima.
  ctx.globalAlpha = 0.75;
  for (const c of s.contours) {
    ctx.strokeStyle = TASK_COLORS[c.task % TASK_COLORS.length];
    ctx.lineWidth = w;
    ctx.beginPath();
    for (const [a, b] of c.segs) {
      const p = toPx(view, a);
      const q = toPx(view, b);
      ctx.moveTo(p[0], p[1]);
      ctx.lineTo(q[0], q[1]);
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  ctx.font = `${s.thick ? 18 : 13}px system-ui, sans-serif`;
  s.tasks.forEach((t, i) => {
    const p = toPx(view, [t.slope, t.intercept]);
    ctx.fillStyle = TASK_COLORS[i % TASK_COLORS.length];
    ctx.beginPath();
    ctx.arc(p[0], p[1], 4 + w, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillText(s.labels.tasks[i], p[0] + 7, p[1] - 7);
  });
  // Trajectories of the outer loop.
  for (const a of s.algs) {
    if (a.path.length < 2) continue;
    ctx.strokeStyle = ALG_COLORS[a.alg];
    ctx.lineWidth = 1.5 * w;
    ctx.setLineDash([]);
    ctx.beginPath();
    a.path.forEach((t, i) => {
      const p = toPx(view, t);
      if (i === 0) ctx.moveTo(p[0], p[1]);
      else ctx.lineTo(p[0], p[1]);
    });
    ctx.stroke();
    const end = toPx(view, a.path[a.path.length - 1]);
    ctx.fillStyle = ALG_COLORS[a.alg];
    ctx.fillRect(end[0] - 3 - w, end[1] - 3 - w, 6 + 2 * w, 6 + 2 * w);
  }
  // Each task's inner steps from θ (k SGD steps on its support set).
  const start = toPx(view, s.theta);
  s.tasks.forEach((t, i) => {
    const path = innerPath(t, s.theta, s.hyper.alpha, s.hyper.k).points;
    ctx.strokeStyle = TASK_COLORS[i % TASK_COLORS.length];
    ctx.fillStyle = TASK_COLORS[i % TASK_COLORS.length];
    ctx.lineWidth = 1.5 * w;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    path.forEach((p, j) => {
      const q = toPx(view, p);
      if (j === 0) ctx.moveTo(q[0], q[1]);
      else ctx.lineTo(q[0], q[1]);
    });
    ctx.stroke();
    ctx.setLineDash([]);
    const end = toPx(view, path[path.length - 1]);
    ctx.beginPath();
    ctx.arc(end[0], end[1], 3.5 + w, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillText('θ′', end[0] + 6, end[1] + 14);
  });
  // Reptile's inner steps on one task: −αg₁ on the support set, −αg₂ on the query set, … and their sum.
  if (s.reptileTask !== null && s.tasks[s.reptileTask]) {
    const p = innerPath(s.tasks[s.reptileTask], s.theta, s.hyper.alpha, s.hyper.k, true).points;
    const c = ALG_COLORS.reptile;
    for (let j = 1; j < p.length; j++) arrow(ctx, toPx(view, p[j - 1]), toPx(view, p[j]), c, w);
    if (p.length > 2) {
      ctx.setLineDash([3, 3]);
      arrow(ctx, start, toPx(view, p[p.length - 1]), c, w);
      ctx.setLineDash([]);
    }
    for (let j = 1; j < p.length; j++) {
      const m = toPx(view, [(p[j - 1][0] + p[j][0]) / 2, (p[j - 1][1] + p[j][1]) / 2]);
      ctx.fillStyle = c;
      ctx.fillText(`g${j}`, m[0] + 5, m[1] - 4);
    }
  }
  // Each algorithm's update from θ.
  for (const a of s.algs) {
    const to = toPx(view, [s.theta[0] + a.delta[0] * s.arrowScale, s.theta[1] + a.delta[1] * s.arrowScale]);
    arrow(ctx, start, to, ALG_COLORS[a.alg], 2.5 * w);
  }
  // The handle θ.
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#212529';
  ctx.lineWidth = 2 * w;
  ctx.beginPath();
  ctx.arc(start[0], start[1], 7 + w, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = '#212529';
  ctx.fillText('θ', start[0] + 10, start[1] - 10);
}
