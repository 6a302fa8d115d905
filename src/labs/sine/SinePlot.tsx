import { memo, useMemo, useRef } from 'react';
import { SINE_RANGES, sineValue, type SineTask } from '../../engine/tasks/sine';
import type { SupportPoints } from '../../worker/sineProtocol';

/**
 * One task's picture: the true sine, the K support points, and the model's prediction after
 * 0…`step` inner steps (earlier steps faded). Clicking adds a support point at that spot.
 */
const W = 480;
const H = 300;
const PAD = 28;
const Y_MAX = 6;
const sx = (x: number) => PAD + ((x - SINE_RANGES.x[0]) / (SINE_RANGES.x[1] - SINE_RANGES.x[0])) * (W - 2 * PAD);
const sy = (y: number) => H / 2 - (Math.max(-Y_MAX * 1.4, Math.min(Y_MAX * 1.4, y)) / Y_MAX) * (H / 2 - PAD / 2);

/** An SVG path; a non-finite value (a diverged prediction) breaks the line instead of corrupting it. */
function path(xs: ArrayLike<number>, ys: ArrayLike<number>): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(ys[i])) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${sx(xs[i]).toFixed(1)},${sy(ys[i]).toFixed(1)}`;
    pen = true;
  }
  return d;
}

export interface SinePlotProps {
  title: string;
  task: SineTask;
  support: SupportPoints;
  grid: Float32Array | null;
  /** (steps+1) × grid predictions. */
  predictions: Float32Array | null;
  step: number;
  color: string;
  testId: string;
  onAddPoint?: (x: number, y: number) => void;
  labels: { truth: string; support: string; step: string };
  /** Inputs without labels (DAML's demonstration), drawn as ticks on the x axis. */
  marks?: readonly number[];
  marksLabel?: string;
}

export const SinePlot = memo(function SinePlot({ title, task, support, grid, predictions, step, color, testId, onAddPoint, labels, marks, marksLabel }: SinePlotProps) {
  const svg = useRef<SVGSVGElement>(null);
  const truth = useMemo(() => {
    const xs = Array.from({ length: 161 }, (_, i) => SINE_RANGES.x[0] + (i * (SINE_RANGES.x[1] - SINE_RANGES.x[0])) / 160);
    return path(xs, xs.map((x) => sineValue(task, x)));
  }, [task]);
  const curves = useMemo(() => {
    if (!grid || !predictions) return [];
    const n = grid.length;
    const rows = predictions.length / n;
    return Array.from({ length: rows }, (_, s) => path(grid, predictions.subarray(s * n, (s + 1) * n)));
  }, [grid, predictions]);

  const click = (e: React.MouseEvent<SVGSVGElement>) => {
    if (!onAddPoint || !svg.current) return;
    const ctm = svg.current.getScreenCTM();
    if (!ctm) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    const x = SINE_RANGES.x[0] + ((p.x - PAD) / (W - 2 * PAD)) * (SINE_RANGES.x[1] - SINE_RANGES.x[0]);
    const y = ((H / 2 - p.y) / (H / 2 - PAD / 2)) * Y_MAX;
    if (x < SINE_RANGES.x[0] || x > SINE_RANGES.x[1]) return;
    onAddPoint(x, y);
  };

  return (
    <figure className="plot" dir="ltr">
      <figcaption>
        <span className="swatch" style={{ background: color }} /> {title} <span className="muted">· {labels.step}</span>
      </figcaption>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        className={onAddPoint ? 'clickable' : undefined}
        onClick={click}
        data-testid={testId}
        data-points={support.xs.length}
        role="img"
        aria-label={title}
      >
        <line x1={PAD} x2={W - PAD} y1={sy(0)} y2={sy(0)} className="axis" />
        <line x1={sx(0)} x2={sx(0)} y1={PAD / 2} y2={H - PAD / 2} className="axis" />
        {[-5, -2.5, 2.5, 5].map((x) => (
          <text key={x} x={sx(x)} y={sy(0) + 14} className="tick" textAnchor="middle">
            {x}
          </text>
        ))}
        {[-5, 5].map((y) => (
          <text key={y} x={sx(0) - 6} y={sy(y) + 4} className="tick" textAnchor="end">
            {y}
          </text>
        ))}
        <path d={truth} className="truth" />
        {curves.slice(0, step).map((d, s) => (
          <path key={s} d={d} className="pred-old" style={{ stroke: color, opacity: 0.15 + (0.35 * s) / Math.max(1, step) }} />
        ))}
        {curves[step] !== undefined && <path d={curves[step]} className="pred" style={{ stroke: color }} data-testid={`${testId}-prediction`} />}
        {support.xs.map((x, i) => (
          <circle key={i} cx={sx(x)} cy={sy(support.ys[i])} r={5} className="support" />
        ))}
        {marks?.map((x, i) => (
          <path key={`m${i}`} d={`M${sx(x).toFixed(1)},${sy(0) - 9} l-5,-9 h10 z`} className="demo-mark" data-testid={`${testId}-demo`} />
        ))}
      </svg>
      <div className="legend">
        <span>
          <span className="line-key truth-key" /> {labels.truth}
        </span>
        <span>
          <span className="dot-key" /> {labels.support}
        </span>
        {marks && marks.length > 0 && (
          <span>
            <span className="demo-key">▼</span> {marksLabel}
          </span>
        )}
      </div>
    </figure>
  );
});
