import { memo, useMemo } from 'react';
import { argmin1D, maml1D, oneDGrad, oneDLoss, pretrain1D, type OneDShape, type OneDTask } from '../../engine/landscape/landscape';
import { ALG_COLORS, TASK_COLORS } from './draw';

const W = 640;
const H = 300;
const PAD = { l: 40, r: 12, t: 12, b: 58 };
const X_RANGE: [number, number] = [-6, 6];

export interface OneDResult {
  pretrain: number;
  maml: number;
  /** Σ losses after one step from each landing point. */
  afterPretrain: number;
  afterMaml: number;
}

/** The two 1-D tasks of the view: minima ±sep/2, curvatures 1 and a₂. */
export const oneDTasks = (sep: number, a2: number): OneDTask[] => [
  { m: -sep / 2, a: 1 },
  { m: sep / 2, a: a2 },
];

export function oneDResult(tasks: readonly OneDTask[], shape: OneDShape, eps: number): OneDResult {
  const pre = argmin1D((x) => pretrain1D(tasks, shape, x), X_RANGE[0], X_RANGE[1]);
  const mam = argmin1D((x) => maml1D(tasks, shape, x, eps), X_RANGE[0], X_RANGE[1]);
  return { pretrain: pre, maml: mam, afterPretrain: maml1D(tasks, shape, pre, eps), afterMaml: maml1D(tasks, shape, mam, eps) };
}

/**
 * Σ lⁿ(φ) (what pretraining minimises) against Σ lⁿ(φ − ε∇lⁿ(φ)) (what MAML minimises) for two
 * tasks, with where each lands and, below the axis, where one inner step takes each task from there.
 */
export const OneDView = memo(function OneDView(props: {
  tasks: OneDTask[];
  shape: OneDShape;
  eps: number;
  labels: { pretrain: string; maml: string; task: (i: number) => string; phi: string };
  thick: boolean;
}) {
  const { tasks, shape, eps, labels, thick } = props;
  const r = useMemo(() => oneDResult(tasks, shape, eps), [tasks, shape, eps]);
  const curves = useMemo(() => {
    const n = 241;
    const xs = Array.from({ length: n }, (_, i) => X_RANGE[0] + ((X_RANGE[1] - X_RANGE[0]) * i) / (n - 1));
    return {
      xs,
      task: tasks.map((t) => xs.map((x) => oneDLoss(t, shape, x))),
      pre: xs.map((x) => pretrain1D(tasks, shape, x)),
      maml: xs.map((x) => maml1D(tasks, shape, x, eps)),
    };
  }, [tasks, shape, eps]);
  const yMax = Math.max(1, Math.min(12, Math.max(...curves.pre) * 0.6));
  const sx = (x: number) => PAD.l + ((x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0])) * (W - PAD.l - PAD.r);
  const sy = (y: number) => PAD.t + (1 - Math.min(y, yMax * 1.05) / yMax) * (H - PAD.t - PAD.b);
  const path = (ys: number[]) => ys.map((y, i) => `${i === 0 ? 'M' : 'L'}${sx(curves.xs[i]).toFixed(1)},${sy(y).toFixed(1)}`).join('');
  const base = H - PAD.b;
  const lw = thick ? 2 : 1;
  const steps = (phi: number) => tasks.map((t) => phi - eps * oneDGrad(t, shape, phi));
  const rows: { key: 'pretrain' | 'maml'; phi: number; color: string; y: number }[] = [
    { key: 'pretrain', phi: r.pretrain, color: ALG_COLORS.pretrain, y: base + 18 },
    { key: 'maml', phi: r.maml, color: ALG_COLORS.maml, y: base + 40 },
  ];
  return (
    <figure className="plot oned" data-testid="oned" data-pretrain={r.pretrain.toFixed(3)} data-maml={r.maml.toFixed(3)} data-after-pretrain={r.afterPretrain.toFixed(4)} data-after-maml={r.afterMaml.toFixed(4)}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${labels.pretrain} / ${labels.maml}`}>
        <line className="axis" x1={PAD.l} x2={W - PAD.r} y1={base} y2={base} />
        <line className="axis" x1={PAD.l} x2={PAD.l} y1={PAD.t} y2={base} />
        {[-6, -4, -2, 0, 2, 4, 6].map((x) => (
          <text key={x} className="tick" x={sx(x)} y={base + 11} textAnchor="middle">
            {x}
          </text>
        ))}
        <text className="tick" x={W - PAD.r} y={base - 4} textAnchor="end">
          {labels.phi}
        </text>
        {curves.task.map((ys, i) => (
          <path key={i} d={path(ys)} fill="none" stroke={TASK_COLORS[i]} strokeWidth={1.5 * lw} strokeDasharray="5 4" />
        ))}
        <path d={path(curves.pre)} fill="none" stroke={ALG_COLORS.pretrain} strokeWidth={3 * lw} data-testid="oned-pretrain" />
        <path d={path(curves.maml)} fill="none" stroke={ALG_COLORS.maml} strokeWidth={3 * lw} data-testid="oned-maml" />
        {rows.map((row) => (
          <g key={row.key}>
            <line x1={sx(row.phi)} x2={sx(row.phi)} y1={PAD.t} y2={row.y} stroke={row.color} strokeWidth={lw} strokeDasharray="2 3" />
            <circle cx={sx(row.phi)} cy={row.y} r={4 + lw} fill={row.color} />
            {steps(row.phi).map((to, i) => (
              <g key={i}>
                <line x1={sx(row.phi)} x2={sx(Math.max(X_RANGE[0], Math.min(X_RANGE[1], to)))} y1={row.y} y2={row.y} stroke={TASK_COLORS[i]} strokeWidth={2 * lw} />
                <circle cx={sx(Math.max(X_RANGE[0], Math.min(X_RANGE[1], to)))} cy={row.y} r={3 + lw} fill="white" stroke={TASK_COLORS[i]} strokeWidth={2 * lw} />
              </g>
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        <span>
          <span className="swatch" style={{ background: ALG_COLORS.pretrain }} /> {labels.pretrain}
        </span>
        <span>
          <span className="swatch" style={{ background: ALG_COLORS.maml }} /> {labels.maml}
        </span>
        {tasks.map((_, i) => (
          <span key={i}>
            <span className="swatch" style={{ background: TASK_COLORS[i] }} /> {labels.task(i)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
});
