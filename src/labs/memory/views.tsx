import { memo, useEffect, useMemo, useRef, type MouseEvent } from 'react';
import { LineChart, type Series } from '../../ui/components/LineChart';
import { Equation } from '../../ui/components/Equation';
import { useThrottled } from '../../ui/components/useThrottled';

/**
 * The memory lab's drawings. Matrices (bits, memory, weightings over time) are painted on a canvas
 * cell by cell, which takes well under a millisecond even for 128 × 41 cells; bars and curves are
 * small SVGs. Everything is drawn left to right whatever the page direction (time runs rightwards).
 */

export type ColorMap = 'ink' | 'heat' | 'diverging';

/** [r, g, b] of a value: ink and heat for v ∈ [0, 1], diverging for v ∈ [−1, 1]. */
export function colorOf(map: ColorMap, v: number): [number, number, number] {
  if (!Number.isFinite(v)) return [200, 200, 200];
  if (map === 'ink') {
    const c = Math.round(255 * (1 - Math.max(0, Math.min(1, v))));
    return [c, c, c];
  }
  if (map === 'heat') {
    // white → orange → dark red, readable on a projector
    const x = Math.max(0, Math.min(1, v));
    return [Math.round(255 - 70 * x * x), Math.round(255 - 200 * x), Math.round(255 - 245 * Math.sqrt(x))];
  }
  const x = Math.max(-1, Math.min(1, v));
  if (x >= 0) return [Math.round(255 - 40 * x), Math.round(255 - 190 * x), Math.round(255 - 200 * x)];
  return [Math.round(255 + 200 * x), Math.round(255 + 130 * x), Math.round(255 + 40 * x)];
}

/** Sizes a canvas for w × h CSS pixels at the device pixel ratio (at most 2); returns its cleared context. */
export function prepareCanvas(canvas: HTMLCanvasElement | null, w: number, h: number): CanvasRenderingContext2D | null {
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx) return null;
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return ctx;
}

/** An explanation card: an introduction, then equations each with a sentence (or none). */
export function EquationCard({ title, intro, items, testId }: { title: string; intro: string; items: { id: string; tex: string; text: string }[]; testId: string }) {
  return (
    <section className="card explanation" data-testid={testId}>
      <h2>{title}</h2>
      <p className="help">{intro}</p>
      {items.map((it) => (
        <div key={it.id} className="eq" data-eq={it.id}>
          <Equation tex={it.tex} />
          {it.text && <p>{it.text}</p>}
        </div>
      ))}
    </section>
  );
}

export interface MatrixProps {
  /** Value of row r, column c. */
  value: (r: number, c: number) => number;
  rows: number;
  cols: number;
  map: ColorMap;
  /** Scale for 'diverging' (values are divided by it). */
  scale?: number;
  cell?: number;
  /** Non-square cells (default: cell × cell). */
  cellW?: number;
  cellH?: number;
  /** A highlighted column (the selected time step) and optional row labels drawn in a left margin. */
  highlightCol?: number;
  /** Cells to outline in red (e.g. wrong output bits), as row·cols + col. */
  marked?: ReadonlySet<number>;
  /** A separator line after this many columns (e.g. the end of the input phase). */
  splitAfter?: number[];
  testId?: string;
  label: string;
  onCell?: (r: number, c: number) => void;
  /** Changes whenever the content changes: the canvas redraws only then. */
  version: unknown;
  data?: Record<string, string | number>;
  maxWidth?: number;
  /** Draw at exactly cols·cell × rows·cell CSS pixels instead of filling the width. */
  fixedSize?: boolean;
}

/** A matrix of coloured cells on a canvas, with optional click-to-select. */
export const Matrix = memo(function Matrix(p: MatrixProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const cw = p.cellW ?? p.cell ?? 14;
  const ch = p.cellH ?? p.cell ?? 14;
  const w = p.cols * cw;
  const h = p.rows * ch;
  const fixed = p.fixedSize === true;
  useEffect(() => {
    const ctx = prepareCanvas(ref.current, w, h);
    if (!ctx) return;
    const scale = p.scale ?? 1;
    for (let r = 0; r < p.rows; r++)
      for (let c = 0; c < p.cols; c++) {
        const [R, G, B] = colorOf(p.map, p.value(r, c) / scale);
        ctx.fillStyle = `rgb(${R},${G},${B})`;
        ctx.fillRect(c * cw, r * ch, cw, ch);
      }
    if (Math.min(cw, ch) >= 6) {
      ctx.strokeStyle = 'rgba(0,0,0,0.08)';
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let c = 1; c < p.cols; c++) {
        ctx.moveTo(c * cw + 0.5, 0);
        ctx.lineTo(c * cw + 0.5, h);
      }
      for (let r = 1; r < p.rows; r++) {
        ctx.moveTo(0, r * ch + 0.5);
        ctx.lineTo(w, r * ch + 0.5);
      }
      ctx.stroke();
    }
    if (p.marked && p.marked.size > 0) {
      ctx.strokeStyle = '#e03131';
      ctx.lineWidth = 2;
      for (const k of p.marked) ctx.strokeRect((k % p.cols) * cw + 1.5, Math.floor(k / p.cols) * ch + 1.5, cw - 3, ch - 3);
    }
    for (const s of p.splitAfter ?? []) {
      ctx.strokeStyle = '#1d232b';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(s * cw, 0);
      ctx.lineTo(s * cw, h);
      ctx.stroke();
    }
    if (p.highlightCol !== undefined && p.highlightCol >= 0) {
      ctx.strokeStyle = '#1c7ed6';
      ctx.lineWidth = Math.min(3, Math.max(1.5, cw / 4));
      ctx.strokeRect(p.highlightCol * cw + 1, 1, cw - 2, h - 2);
    }
    // The drawing depends on `version` (the data) and the highlight, not on the callbacks' identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.version, p.highlightCol, p.rows, p.cols, cw, ch, p.map, p.scale, p.marked, p.splitAfter]);

  const click = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!p.onCell) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const c = Math.floor(((e.clientX - rect.left) / rect.width) * p.cols);
    const r = Math.floor(((e.clientY - rect.top) / rect.height) * p.rows);
    if (r >= 0 && r < p.rows && c >= 0 && c < p.cols) p.onCell(r, c);
  };
  const dataAttrs = Object.fromEntries(Object.entries(p.data ?? {}).map(([k, v]) => [`data-${k}`, String(v)]));
  return (
    <canvas
      ref={ref}
      className={`matrix${p.onCell ? ' clickable' : ''}`}
      style={fixed ? { width: w, height: h } : { width: '100%', maxWidth: p.maxWidth ?? w, aspectRatio: `${w} / ${h}` }}
      role="img"
      aria-label={p.label}
      data-testid={p.testId}
      onClick={click}
      {...dataAttrs}
    />
  );
});

/** Bars of a distribution over slots (or any vector), 0 at the bottom; diverging values grow from a mid line. */
export const Bars = memo(function Bars({
  values,
  max = 1,
  signed = false,
  color = '#d9480f',
  testId,
  label,
  height = 70,
}: {
  values: ArrayLike<number>;
  max?: number;
  signed?: boolean;
  color?: string;
  testId?: string;
  label: string;
  height?: number;
}) {
  const n = values.length;
  const W = 300;
  const bw = W / Math.max(1, n);
  const mid = signed ? height / 2 : height;
  const scale = (signed ? height / 2 - 2 : height - 2) / Math.max(1e-9, max);
  const bars = [];
  for (let i = 0; i < n; i++) {
    const v = Number.isFinite(values[i]) ? values[i] : 0;
    const hgt = Math.min(signed ? height / 2 : height, Math.abs(v) * scale);
    bars.push(<rect key={i} x={i * bw + bw * 0.1} width={Math.max(0.6, bw * 0.8)} y={v >= 0 ? mid - hgt : mid} height={hgt} fill={color} />);
  }
  return (
    <svg className="bars" viewBox={`0 0 ${W} ${height}`} role="img" aria-label={label} data-testid={testId} preserveAspectRatio="none">
      <line x1={0} x2={W} y1={mid} y2={mid} className="axis" />
      {bars}
    </svg>
  );
});

/** Bucket means of a series: at most `max` points. */
function downsample(a: readonly number[], max: number): { x: number; y: number }[] {
  const bucket = Math.max(1, Math.ceil(a.length / max));
  const out = [];
  for (let i = 0; i < a.length; i += bucket) {
    const end = Math.min(a.length, i + bucket);
    let s = 0;
    for (let j = i; j < end; j++) s += a[j];
    out.push({ x: end, y: s / (end - i) });
  }
  return out;
}

/** The live training loss: log scale, bucket-averaged to 300 points, redrawn at most 4×/s. */
export const LossChart = memo(function LossChart({ losses, label, color = '#d9480f' }: { losses: number[]; label: string; color?: string }) {
  const shown = useThrottled(losses, 250);
  const series = useMemo<Series[]>(() => [{ name: label, color, points: downsample(shown, 300), hideInLegend: true }], [shown, label, color]);
  return <LineChart series={series} yScale="log" ariaLabel={label} testId="memory-loss-chart" data={{ 'data-points': String(shown.length) }} />;
});

const BER_AXIS_TOPS = [0.02, 0.05, 0.1, 0.2, 0.5];

/** Bit-error rate by sequence length (bars), the trained range shaded. */
export const BerChart = memo(function BerChart({ lengths, ber, trained, label, lengthLabel }: { lengths: number[]; ber: number[]; trained: number; label: string; lengthLabel: string }) {
  const W = 480;
  const H = 190;
  const m = { l: 48, r: 8, t: 8, b: 30 };
  const n = Math.max(1, lengths.length);
  const bw = (W - m.l - m.r) / n;
  // The axis follows the largest rate, so a trained model's 0.5 % errors are still visible bars.
  const top = BER_AXIS_TOPS.find((v) => v >= Math.max(0, ...ber.filter(Number.isFinite))) ?? 0.5;
  const y = (v: number) => m.t + (1 - Math.min(top, v) / top) * (H - m.t - m.b);
  return (
    <svg className="ber-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} direction="ltr" data-testid="ber-chart" data-top={top}>
      <rect x={m.l} y={m.t} width={Math.min(trained, n) * bw} height={H - m.t - m.b} className="trained-range" />
      {[0, 1, 2, 3, 4, 5].map((k) => (
        <g key={k}>
          <line x1={m.l} x2={W - m.r} y1={y((k * top) / 5)} y2={y((k * top) / 5)} className="grid" />
          <text x={m.l - 4} y={y((k * top) / 5) + 4} textAnchor="end" className="tick">
            {`${Number(((k * top * 100) / 5).toFixed(1))}%`}
          </text>
        </g>
      ))}
      {lengths.map((len, i) => (
        <g key={len}>
          <rect x={m.l + i * bw + bw * 0.15} width={bw * 0.7} y={y(ber[i])} height={Math.max(0, H - m.b - y(ber[i]))} className={len <= trained ? 'ber-bar trained' : 'ber-bar longer'} data-length={len} data-ber={ber[i].toFixed(4)} />
          {(n <= 20 || len % 2 === 0) && (
            <text x={m.l + (i + 0.5) * bw} y={H - m.b + 13} textAnchor="middle" className="tick">
              {len}
            </text>
          )}
        </g>
      ))}
      <text x={(W + m.l) / 2} y={H - 3} textAnchor="middle" className="tick">
        {lengthLabel}
      </text>
    </svg>
  );
});

/** A card with a title, a help line and the loss curve (the copy task's and the MANN's). */
export function LossCard({ title, help, losses }: { title: string; help: string; losses: number[] }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      <p className="help">{help}</p>
      <LossChart losses={losses} label={title} />
    </section>
  );
}
