import { memo, useMemo, type ReactNode } from 'react';

/**
 * A small SVG line chart. The labs' charts redraw while a model trains, and the main thread's
 * budget is 50 ms per task; a chart library that re-lays out a component tree on each update
 * (recharts took 100–260 ms per update here) does not fit, while a few <path>s cost ~1 ms.
 * Linear or log y; axes with round ticks; always left-to-right, also in RTL pages.
 */
export interface Series {
  name: string;
  color: string;
  points: readonly { x: number; y: number }[];
  /** Thin and faded: raw data under a smoothed line. */
  faint?: boolean;
  /** Draw a dot on each point (short series). */
  dots?: boolean;
  /** Leave the series out of the legend. */
  hideInLegend?: boolean;
}

const W = 480;
const H = 230;
const M = { l: 46, r: 12, t: 10, b: 26 };

/** Round tick values in [lo, hi]; `whole`: only whole numbers (an axis of counts, such as training steps). */
export function niceTicks(lo: number, hi: number, count = 5, whole = false): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const steps = [1, 2, 2.5, 5, 10].map((m) => m * mag).filter((s) => !whole || (s >= 1 && Number.isInteger(s)));
  const step = steps.find((s) => span / s <= count) ?? Math.max(whole ? 1 : 0, 10 * mag);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

function logTicks(l0: number, l1: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(l0); e <= Math.ceil(l1); e++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (Math.log10(v) >= l0 - 1e-9 && Math.log10(v) <= l1 + 1e-9) out.push(v);
    }
  return out;
}

const fmt = (v: number) => (Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(1));

export const LineChart = memo(function LineChart(props: {
  series: Series[];
  yScale?: 'linear' | 'log';
  /** Fixed x range; otherwise the data's. */
  xDomain?: [number, number];
  /** Start the y axis at zero (linear scale). */
  yFromZero?: boolean;
  /** x counts something (steps, episodes): ticks at whole numbers only. */
  xWhole?: boolean;
  /** Written after each y tick value, e.g. '%'. */
  yUnit?: string;
  xLabel?: string;
  ariaLabel: string;
  testId?: string;
  data?: Record<string, string | undefined>;
  footer?: ReactNode;
}) {
  const { series, yScale = 'linear' } = props;
  const chart = useMemo(() => {
    const ok = (y: number) => Number.isFinite(y) && (yScale === 'linear' || y > 0);
    const all = series.flatMap((s) => s.points.filter((p) => ok(p.y)));
    if (all.length === 0) return null;
    const xs = all.map((p) => p.x);
    const [x0, x1] = props.xDomain ?? [Math.min(...xs), Math.max(...xs)];
    const tf = (y: number) => (yScale === 'log' ? Math.log10(y) : y);
    let lo = Math.min(...all.map((p) => tf(p.y)));
    let hi = Math.max(...all.map((p) => tf(p.y)));
    if (yScale === 'linear' && props.yFromZero) lo = Math.min(0, lo);
    if (yScale === 'log') {
      lo = Math.floor(lo * 4) / 4;
      hi = Math.max(lo + 0.25, Math.ceil(hi * 4) / 4);
    } else if (hi - lo < 1e-9) hi = lo + 1;
    const yTicks = yScale === 'log' ? logTicks(lo, hi) : niceTicks(lo, hi);
    if (yScale === 'linear') {
      lo = Math.min(lo, yTicks[0]);
      hi = Math.max(hi, yTicks[yTicks.length - 1]);
    }
    const sx = (x: number) => M.l + ((x - x0) / (x1 - x0 || 1)) * (W - M.l - M.r);
    const sy = (y: number) => M.t + ((hi - tf(y)) / (hi - lo)) * (H - M.t - M.b);
    const paths = series.map((s) => {
      let d = '';
      let pen = false;
      for (const p of s.points) {
        if (!ok(p.y)) {
          pen = false; // a gap, never a NaN coordinate
          continue;
        }
        d += `${pen ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
        pen = true;
      }
      return d;
    });
    return { sx, sy, yTicks, xTicks: niceTicks(x0, x1, 5, props.xWhole).filter((x) => x >= x0 && x <= x1), paths };
  }, [series, yScale, props.xDomain, props.yFromZero, props.xWhole]);

  return (
    <div className="chart line-chart" dir="ltr" data-testid={props.testId} {...props.data}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.ariaLabel}>
        <rect x={M.l} y={M.t} width={W - M.l - M.r} height={H - M.t - M.b} className="plot-area" />
        {chart?.yTicks.map((v) => (
          <g key={v}>
            <line x1={M.l} x2={W - M.r} y1={chart.sy(v)} y2={chart.sy(v)} className="grid" />
            <text x={M.l - 5} y={chart.sy(v) + 4} textAnchor="end" className="tick">
              {fmt(v)}
              {props.yUnit}
            </text>
          </g>
        ))}
        {chart?.xTicks.map((x) => (
          <text key={x} x={chart.sx(x)} y={H - 8} textAnchor="middle" className="tick">
            {fmt(x)}
          </text>
        ))}
        {chart &&
          series.map((s, i) => (
            <g key={s.name + i}>
              <path d={chart.paths[i]} className={`series${s.faint ? ' faint' : ''}`} style={{ stroke: s.color }} />
              {s.dots && s.points.filter((p) => Number.isFinite(p.y)).map((p) => <circle key={p.x} cx={chart.sx(p.x)} cy={chart.sy(p.y)} r={3} style={{ fill: s.color }} />)}
            </g>
          ))}
      </svg>
      <div className="legend">
        {series
          .filter((s) => !s.hideInLegend)
          .map((s) => (
            <span key={s.name}>
              <span className="swatch" style={{ background: s.color }} /> {s.name}
            </span>
          ))}
        {props.xLabel && <span>x: {props.xLabel}</span>}
        {props.footer}
      </div>
    </div>
  );
});
