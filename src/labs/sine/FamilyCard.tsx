import { memo, useEffect, useRef, useState } from 'react';
import type { Translate } from '../../ui/store';
import type { FamilyView } from '../../worker/sineProtocol';
import { useSine } from './store';

/** A perceptually ordered colour ramp (dark violet → teal → yellow) for u in [0, 1]. */
export function ramp(u: number): string {
  const stops = [
    [68, 1, 84],
    [33, 145, 140],
    [253, 231, 37],
  ];
  const x = Math.max(0, Math.min(1, u)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** One α tensor as a heatmap: a matrix as is, a vector as one row. */
const AlphaHeatmap = memo(function AlphaHeatmap({ layer, lo, hi }: { layer: { name: string; rows: number; cols: number; values: Float32Array }; lo: number; hi: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const vector = layer.rows === 1 || layer.cols === 1;
  const rows = vector ? 1 : layer.rows;
  const cols = vector ? layer.values.length : layer.cols;
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        ctx.fillStyle = ramp((layer.values[r * cols + c] - lo) / Math.max(1e-12, hi - lo));
        ctx.fillRect(c, r, 1, 1);
      }
  }, [layer, rows, cols, lo, hi]);
  let min = Infinity;
  let max = -Infinity;
  layer.values.forEach((v) => {
    min = Math.min(min, v);
    max = Math.max(max, v);
  });
  return (
    <figure className="heatmap">
      <canvas ref={canvas} width={cols} height={rows} style={vector ? { height: '0.9rem', maxWidth: `${cols * 0.9}rem` } : { aspectRatio: `${cols} / ${rows}` }} />
      <figcaption dir="ltr">
        α<sub>{layer.name}</sub> {layer.rows}×{layer.cols}: {min.toFixed(3)} … {max.toFixed(3)}
      </figcaption>
    </figure>
  );
});

function MetaSgdView({ t, view }: { t: Translate; view: Extract<FamilyView, { kind: 'metasgd' }> }) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of view.layers)
    l.values.forEach((v) => {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    });
  return (
    <div data-testid="metasgd-heatmap" data-layers={view.layers.length} data-step={view.step}>
      <p className="help">{t('familyMetaSgdHelp', { step: view.step })}</p>
      <div className="heatmaps">
        {view.layers.map((l) => (
          <AlphaHeatmap key={l.name} layer={l} lo={lo} hi={hi} />
        ))}
      </div>
      <div className="ramp-key" dir="ltr">
        <span>{lo.toFixed(3)}</span>
        <span className="ramp-bar" style={{ background: `linear-gradient(to right, ${ramp(0)}, ${ramp(0.5)}, ${ramp(1)})` }} />
        <span>{hi.toFixed(3)}</span>
      </div>
    </div>
  );
}

function CamlView({ t, view }: { t: Translate; view: Extract<FamilyView, { kind: 'caml' }> }) {
  const [by, setBy] = useState<'amplitude' | 'phase'>('amplitude');
  const n = view.amplitude.length;
  const xs = Array.from({ length: n }, (_, i) => view.points[2 * i]);
  const ys = Array.from({ length: n }, (_, i) => view.points[2 * i + 1]);
  const span = (v: number[]) => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return hi - lo < 1e-9 ? [lo - 1, hi + 1] : [lo - 0.08 * (hi - lo), hi + 0.08 * (hi - lo)];
  };
  const [x0, x1] = span(xs);
  const [y0, y1] = span(ys);
  const W = 320;
  const H = 240;
  const colour = (i: number) => (by === 'amplitude' ? ramp((view.amplitude[i] - 0.1) / 4.9) : ramp(view.phase[i] / Math.PI));
  return (
    <div data-testid="caml-contexts" data-points={n} data-step={view.step} data-by={by}>
      <p className="help">{t('familyCamlHelp', { n, step: view.step })}</p>
      <div className="buttons">
        <button type="button" className={by === 'amplitude' ? 'primary' : undefined} data-testid="caml-by-amplitude" onClick={() => setBy('amplitude')}>
          {t('amplitude')}
        </button>
        <button type="button" className={by === 'phase' ? 'primary' : undefined} data-testid="caml-by-phase" onClick={() => setBy('phase')}>
          {t('phase')}
        </button>
      </div>
      <figure className="plot" dir="ltr">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('familyCamlTitle')}>
          <rect x={0} y={0} width={W} height={H} fill="#fbfcfd" />
          {x0 < 0 && x1 > 0 && <line className="axis" x1={((0 - x0) / (x1 - x0)) * W} x2={((0 - x0) / (x1 - x0)) * W} y1={0} y2={H} />}
          {y0 < 0 && y1 > 0 && <line className="axis" x1={0} x2={W} y1={H - ((0 - y0) / (y1 - y0)) * H} y2={H - ((0 - y0) / (y1 - y0)) * H} />}
          {xs.map((x, i) => (
            <circle key={i} cx={((x - x0) / (x1 - x0)) * W} cy={H - ((ys[i] - y0) / (y1 - y0)) * H} r={5} fill={colour(i)} stroke="#fff" strokeWidth={1} />
          ))}
          <text className="tick" x={W - 4} y={H - 4} textAnchor="end">
            φ₁
          </text>
          <text className="tick" x={4} y={12}>
            {view.dims > 1 ? 'φ₂' : '—'}
          </text>
        </svg>
      </figure>
      <div className="ramp-key" dir="ltr">
        <span>{by === 'amplitude' ? 'A = 0.1' : 'φ = 0'}</span>
        <span className="ramp-bar" style={{ background: `linear-gradient(to right, ${ramp(0)}, ${ramp(0.5)}, ${ramp(1)})` }} />
        <span>{by === 'amplitude' ? 'A = 5' : 'φ = π'}</span>
      </div>
    </div>
  );
}

function GaWeights({ t, weights }: { t: Translate; weights: number[] }) {
  const W = 320;
  const H = 120;
  const max = Math.max(1e-9, ...weights.map(Math.abs));
  const bw = W / weights.length;
  return (
    <div data-testid="ga-weights" data-count={weights.length} data-sum-abs={weights.reduce((s, w) => s + Math.abs(w), 0).toFixed(4)}>
      <p className="help">{t('familyGaHelp', { n: weights.length })}</p>
      <figure className="plot" dir="ltr">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('familyGaTitle')}>
          <rect x={0} y={0} width={W} height={H} fill="#fbfcfd" />
          <line className="axis" x1={0} x2={W} y1={H / 2} y2={H / 2} />
          <line x1={0} x2={W} y1={H / 2 - (H / 2 - 4) / (max * weights.length)} y2={H / 2 - (H / 2 - 4) / (max * weights.length)} stroke="#adb5bd" strokeDasharray="3 3" />
          {weights.map((w, i) => {
            const h = (Math.abs(w) / max) * (H / 2 - 4);
            return <rect key={i} x={i * bw + 1} width={Math.max(1, bw - 2)} y={w >= 0 ? H / 2 - h : H / 2} height={h} fill={w >= 0 ? '#0ca678' : '#e03131'} />;
          })}
        </svg>
      </figure>
    </div>
  );
}

/** What the selected algorithm has learned besides θ: Meta-SGD's α, CAML's contexts, gradient-agreement weights. */
export function FamilyCard({ t }: { t: Translate }) {
  const algorithm = useSine((st) => st.settings.algorithm);
  const family = useSine((st) => st.family);
  const weights = useSine((st) => st.gaWeights);
  const title = algorithm === 'metasgd' ? t('familyMetaSgdTitle') : algorithm === 'caml' ? t('familyCamlTitle') : algorithm.endsWith('-ga') ? t('familyGaTitle') : null;
  if (!title) return null;
  return (
    <section className="card family" data-testid="family-card">
      <h2>{title}</h2>
      {algorithm === 'metasgd' && (family?.kind === 'metasgd' ? <MetaSgdView t={t} view={family} /> : <p className="empty-hint">{t('familyWaiting')}</p>)}
      {algorithm === 'caml' && (family?.kind === 'caml' ? <CamlView t={t} view={family} /> : <p className="empty-hint">{t('familyWaiting')}</p>)}
      {algorithm.endsWith('-ga') && (weights ? <GaWeights t={t} weights={weights} /> : <p className="empty-hint">{t('familyGaWaiting')}</p>)}
    </section>
  );
}
