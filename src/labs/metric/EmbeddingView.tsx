import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { ImageGrid } from '../../ui/components/ImageGrid';
import type { Translate } from '../../ui/store';
import type { EmbeddingView } from '../../worker/metricProtocol';
import { classColour } from './colours';
import { useMetricLab } from './store';

type T = Translate;
const W = 420;
const H = 320;
const PAD = 22;
const ANIM_MS = 450;

interface Frame {
  support: Float32Array;
  query: Float32Array;
  protos: Float32Array | null;
  unlabeled: Float32Array | null;
}

const lerp = (a: Float32Array | null, b: Float32Array | null, f: number): Float32Array | null => {
  if (!b) return null;
  if (!a || a.length !== b.length) return b;
  const out = new Float32Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = a[i] + (b[i] - a[i]) * f;
  return out;
};

const frameOf = (v: EmbeddingView): Frame => ({ support: v.support2d, query: v.query2d, protos: v.prototypes2d, unlabeled: v.unlabeled2d });

/** Eases from the last frame to the new one, so points glide between snapshots instead of jumping. */
function useAnimatedFrame(view: EmbeddingView | null): Frame | null {
  const [frame, setFrame] = useState<Frame | null>(view ? frameOf(view) : null);
  const shown = useRef<Frame | null>(frame);
  useEffect(() => {
    if (!view) return;
    const target = frameOf(view);
    const from = shown.current;
    if (from === null || !sameShape(from, target) || window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) {
      shown.current = target;
      setFrame(target);
      return;
    }
    const t0 = performance.now();
    let id = 0;
    const tick = () => {
      const f = Math.min(1, (performance.now() - t0) / ANIM_MS);
      const e = f < 0.5 ? 2 * f * f : 1 - (-2 * f + 2) ** 2 / 2;
      const next: Frame = { support: lerp(from.support, target.support, e)!, query: lerp(from.query, target.query, e)!, protos: lerp(from.protos, target.protos, e), unlabeled: lerp(from.unlabeled, target.unlabeled, e) };
      shown.current = next;
      setFrame(next);
      if (f < 1) id = requestAnimationFrame(tick);
    };
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, [view]);
  // The render that brings a new view comes before the effect above: a frame of another episode
  // shape (e.g. a loaded 40-way checkpoint after a 5-way episode) must not be drawn with its labels.
  const matches = frame !== null && view !== null && sameShape(frame, frameOf(view));
  return matches ? frame : view ? frameOf(view) : null;
}

const sameShape = (a: Frame, b: Frame) =>
  a.support.length === b.support.length && a.query.length === b.query.length && (a.protos?.length ?? -1) === (b.protos?.length ?? -1) && (a.unlabeled?.length ?? -1) === (b.unlabeled?.length ?? -1);

/** Screen mapping of a frame: equal scale on both axes (distances must look like distances). */
function scaler(f: Frame, ellipses: Float32Array | null, ways: number) {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  const add = (a: Float32Array | null, r = 0) => {
    if (!a) return;
    for (let i = 0; i + 1 < a.length; i += 2) {
      x0 = Math.min(x0, a[i] - r);
      x1 = Math.max(x1, a[i] + r);
      y0 = Math.min(y0, a[i + 1] - r);
      y1 = Math.max(y1, a[i + 1] + r);
    }
  };
  add(f.support);
  add(f.query);
  add(f.unlabeled);
  if (f.protos) {
    for (let c = 0; c < ways; c++) {
      // Ellipses count only up to a point: a wide, uncertain class must not shrink the rest to a dot.
      const r = ellipses ? Math.min(ellipses[3 * c], 0.5 * Math.max(x1 - x0, y1 - y0, 1e-6)) : 0;
      add(f.protos.subarray(2 * c, 2 * c + 2), r);
    }
  }
  if (!Number.isFinite(x0)) return { sx: () => W / 2, sy: () => H / 2, k: 1 };
  const k = Math.min((W - 2 * PAD) / Math.max(x1 - x0, 1e-6), (H - 2 * PAD) / Math.max(y1 - y0, 1e-6));
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return { sx: (x: number) => W / 2 + (x - cx) * k, sy: (y: number) => H / 2 - (y - cy) * k, k };
}

/** Three significant digits; tiny distances (an untrained net) in exponent form rather than 0.00. */
export const fmtDistance = (d: number) => (d !== 0 && Math.abs(d) < 0.01 ? d.toExponential(1) : d.toPrecision(3));

const star = (x: number, y: number, r: number) => {
  let d = '';
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 === 0 ? r : r * 0.45;
    d += `${i === 0 ? 'M' : 'L'}${(x + rr * Math.cos(a)).toFixed(1)},${(y + rr * Math.sin(a)).toFixed(1)}`;
  }
  return `${d}Z`;
};

/** The current episode in the plane of its two principal axes: support dots, query rings, prototypes as stars. */
export const EmbeddingPlot = memo(function EmbeddingPlot({ t, view }: { t: T; view: EmbeddingView }) {
  const frame = useAnimatedFrame(view);
  const selected = useMetricLab((s) => s.selectedQuery);
  const m = useMemo(() => (frame ? scaler(frame, view.ellipses, view.ways) : null), [frame, view.ellipses, view.ways]);
  if (!frame || !m) return null;
  const { sx, sy, k } = m;
  const ways = view.ways;
  const S = view.supportLabels.length;
  const Q = view.queryLabels.length;
  const q = Math.min(selected, Q - 1);
  const qx = sx(frame.query[2 * q]);
  const qy = sy(frame.query[2 * q + 1]);
  // Distance lines: to each prototype where the method has them, else to each support item.
  const lines: { x: number; y: number; c: number; w: number; label: string }[] = [];
  const probs = view.probs.subarray(q * ways, (q + 1) * ways);
  if (frame.protos) {
    for (let c = 0; c < ways; c++) {
      const d = view.distances ? view.distances[q * ways + c] : NaN;
      lines.push({ x: sx(frame.protos[2 * c]), y: sy(frame.protos[2 * c + 1]), c, w: probs[c], label: Number.isFinite(d) ? fmtDistance(d) : '' });
    }
  } else {
    for (let s = 0; s < S; s++) {
      const c = view.supportLabels[s];
      const w = view.attention ? view.attention[q * S + s] : probs[c] / Math.max(1, view.shots);
      lines.push({ x: sx(frame.support[2 * s]), y: sy(frame.support[2 * s + 1]), c, w, label: '' });
    }
  }
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="embedding-plot" role="img" aria-label={t('metricEmbeddingAria', { ways, support: S, query: Q })} data-testid="embedding-plot" data-method={view.method} data-points={S + Q} data-step={view.step} data-protos={frame.protos ? ways : 0} data-ellipses={view.ellipses ? ways : 0}>
      <rect x={0} y={0} width={W} height={H} className="plot-area" />
      {view.ellipses &&
        frame.protos &&
        Array.from({ length: ways }, (_, c) => {
          const [a, b, ang] = [view.ellipses![3 * c], view.ellipses![3 * c + 1], view.ellipses![3 * c + 2]];
          return (
            <ellipse
              key={`e${c}`}
              className="gauss-region"
              cx={sx(frame.protos![2 * c])}
              cy={sy(frame.protos![2 * c + 1])}
              rx={Math.max(1, a * k)}
              ry={Math.max(1, b * k)}
              transform={`rotate(${((-ang * 180) / Math.PI).toFixed(1)} ${sx(frame.protos![2 * c]).toFixed(1)} ${sy(frame.protos![2 * c + 1]).toFixed(1)})`}
              // A region wider than the plot would only wash it grey: its outline alone says "uncertain".
              style={{ fill: a * k > W / 2 ? 'none' : classColour(c, ways), stroke: classColour(c, ways) }}
            />
          );
        })}
      {lines.map((l, i) => (
        <g key={`l${i}`}>
          <line x1={qx} y1={qy} x2={l.x} y2={l.y} className="distance-line" style={{ stroke: classColour(l.c, ways), strokeWidth: 0.8 + 4 * Math.max(0, Math.min(1, l.w)), opacity: 0.25 + 0.75 * Math.max(0, Math.min(1, l.w)) }} />
          {l.label && (
            <text x={(qx + l.x) / 2} y={(qy + l.y) / 2 - 3} className="distance-label" textAnchor="middle">
              {l.label}
            </text>
          )}
        </g>
      ))}
      {frame.unlabeled &&
        view.unlabeledTruth &&
        Array.from({ length: frame.unlabeled.length / 2 }, (_, u) => {
          const truth = view.unlabeledTruth![u];
          return <rect key={`u${u}`} x={sx(frame.unlabeled![2 * u]) - 3.5} y={sy(frame.unlabeled![2 * u + 1]) - 3.5} width={7} height={7} className="unlabeled-point" style={{ stroke: truth < 0 ? '#868e96' : classColour(truth, ways) }} />;
        })}
      {Array.from({ length: S }, (_, s) => (
        <circle key={`s${s}`} cx={sx(frame.support[2 * s])} cy={sy(frame.support[2 * s + 1])} r={5} className="support-point" style={{ fill: classColour(view.supportLabels[s], ways) }} />
      ))}
      {Array.from({ length: Q }, (_, i) => {
        const wrong = view.predicted[i] !== view.queryLabels[i];
        return (
          <circle
            key={`q${i}`}
            cx={sx(frame.query[2 * i])}
            cy={sy(frame.query[2 * i + 1])}
            r={i === q ? 8 : 5.5}
            className={`query-point${i === q ? ' selected' : ''}${wrong ? ' wrong' : ''}`}
            style={{ stroke: classColour(view.queryLabels[i], ways) }}
            onClick={() => useMetricLab.setState({ selectedQuery: i })}
          >
            <title>{t('metricQueryN', { n: i + 1 })}</title>
          </circle>
        );
      })}
      {frame.protos &&
        Array.from({ length: ways }, (_, c) => <path key={`p${c}`} d={star(sx(frame.protos![2 * c]), sy(frame.protos![2 * c + 1]), 10)} className="prototype" style={{ fill: classColour(c, ways) }} />)}
    </svg>
  );
});

/** The episode's images: support (by class, in the order the method sees them) and queries (click one to follow it). */
export function EpisodeImages({ t, view }: { t: T; view: EmbeddingView }) {
  const selected = useMetricLab((s) => s.selectedQuery);
  const supportOrder = useMemo(() => Array.from(view.order), [view.order]);
  const supportMarks = useMemo(() => supportOrder.map((s) => classColour(view.supportLabels[s], view.ways)), [supportOrder, view]);
  const queryImages = useMemo(() => Array.from({ length: view.queryLabels.length }, (_, i) => i), [view.queryLabels.length]);
  const queryMarks = useMemo(() => Array.from(view.queryLabels, (c) => classColour(c, view.ways)), [view]);
  return (
    <div className="episode-images">
      <div>
        <div className="grid-label">{t('metricSupportSet')}</div>
        <ImageGrid pixels={view.supportImages} scale={1} imageSize={28} images={supportOrder} marks={supportMarks} cell={40} label={t('metricSupportSet')} testId="support-images" />
      </div>
      <div>
        <div className="grid-label">{t('metricQueries')}</div>
        <ImageGrid
          pixels={view.queryImages}
          scale={1}
          imageSize={28}
          images={queryImages}
          marks={queryMarks}
          cell={40}
          selected={Math.min(selected, queryImages.length - 1)}
          onPick={(p) => useMetricLab.setState({ selectedQuery: p })}
          label={t('metricQueries')}
          testId="query-images"
        />
      </div>
    </div>
  );
}

/** Bars of one query's class probabilities with the reason behind each (distance or relation score). */
export function QueryReason({ t, view }: { t: T; view: EmbeddingView }) {
  const selected = useMetricLab((s) => s.selectedQuery);
  const ways = view.ways;
  const q = Math.min(selected, view.queryLabels.length - 1);
  const truth = view.queryLabels[q];
  const predicted = view.predicted[q];
  return (
    <div className="query-reason" data-testid="query-reason" data-query={q} data-predicted={predicted} data-truth={truth}>
      <p className="help">
        {t('metricQueryVerdict', { n: q + 1, predicted: predicted + 1, truth: truth + 1 })} {predicted === truth ? '✓' : '✗'}
      </p>
      <div className="prob-bars">
        {Array.from({ length: ways }, (_, c) => {
          const p = view.probs[q * ways + c];
          const d = view.distances?.[q * ways + c];
          const r = view.relations?.[q * ways + c];
          return (
            <div key={c} className="prob-row">
              <span className="swatch" style={{ background: classColour(c, ways) }} />
              <span className="prob-label">{t('metricClassN', { n: c + 1 })}</span>
              <span className="prob-track">
                <span className="prob-fill" style={{ inlineSize: `${(100 * p).toFixed(1)}%`, background: classColour(c, ways) }} />
              </span>
              <span className="prob-value">{(100 * p).toFixed(0)}%</span>
              <span className="prob-reason muted">{d !== undefined ? `d = ${fmtDistance(d)}` : r !== undefined ? `r = ${r.toFixed(2)}` : ''}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** Matching network: the selected query's attention over the support items, in the order shown. */
export function AttentionBars({ t, view }: { t: T; view: EmbeddingView }) {
  const selected = useMetricLab((s) => s.selectedQuery);
  if (!view.attention) return null;
  const S = view.supportLabels.length;
  const q = Math.min(selected, view.queryLabels.length - 1);
  const row = view.attention.subarray(q * S, (q + 1) * S);
  const max = Math.max(1e-6, ...row);
  const bw = Math.max(4, Math.min(28, Math.floor(380 / S)));
  return (
    <figure className="method-view" data-testid="attention-bars" data-order={Array.from(view.order).join(',')} data-values={Array.from(view.order, (s) => row[s].toFixed(3)).join(',')}>
      <figcaption>
        {t('metricAttentionTitle', { n: q + 1 })}
        {view.cosineScale !== null && (
          <span className="muted" data-testid="cosine-scale" data-value={view.cosineScale.toFixed(3)}>
            {' '}
            · {t('metricLearnedScale', { s: view.cosineScale.toFixed(2) })}
          </span>
        )}
      </figcaption>
      <svg viewBox={`0 0 ${S * bw + 8} 110`} width={S * bw + 8} className="bars-svg" role="img" aria-label={t('metricAttentionTitle', { n: q + 1 })}>
        {Array.from(view.order, (s, i) => {
          const h = (90 * row[s]) / max;
          return (
            <g key={s}>
              <rect x={4 + i * bw + 1} y={96 - h} width={bw - 2} height={h} style={{ fill: classColour(view.supportLabels[s], view.ways) }}>
                <title>{`${t('metricClassN', { n: view.supportLabels[s] + 1 })}: ${row[s].toFixed(3)}`}</title>
              </rect>
              <text x={4 + i * bw + bw / 2} y={108} className="tick" textAnchor="middle">
                {view.supportLabels[s] + 1}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** Relation network: scores of every query against every class, as a heatmap. */
export function RelationHeatmap({ t, view }: { t: T; view: EmbeddingView }) {
  const selected = useMetricLab((s) => s.selectedQuery);
  if (!view.relations) return null;
  const ways = view.ways;
  const Q = view.queryLabels.length;
  const cw = Math.max(14, Math.min(36, Math.floor(360 / ways)));
  const ch = Math.max(8, Math.min(22, Math.floor(260 / Q)));
  const lx = 30;
  return (
    <figure className="method-view" data-testid="relation-heatmap">
      <figcaption>{t('metricRelationTitle')}</figcaption>
      <svg viewBox={`0 0 ${lx + ways * cw + 4} ${18 + Q * ch + 4}`} width={lx + ways * cw + 4} className="heatmap-svg" role="img" aria-label={t('metricRelationTitle')}>
        {Array.from({ length: ways }, (_, c) => (
          <text key={`h${c}`} x={lx + c * cw + cw / 2} y={12} className="tick" textAnchor="middle">
            {c + 1}
          </text>
        ))}
        {Array.from({ length: Q }, (_, i) => (
          <g key={i} onClick={() => useMetricLab.setState({ selectedQuery: i })} className="heat-row">
            <text x={lx - 4} y={18 + i * ch + ch * 0.7} className="tick" textAnchor="end">
              {`q${i + 1}`}
            </text>
            {Array.from({ length: ways }, (_, c) => {
              const r = view.relations![i * ways + c];
              return (
                <rect key={c} x={lx + c * cw} y={18 + i * ch} width={cw - 1} height={ch - 1} style={{ fill: `rgba(217, 72, 15, ${Math.max(0, Math.min(1, r)).toFixed(3)})` }} className={c === view.queryLabels[i] ? 'truth-cell' : undefined}>
                  <title>{`q${i + 1} · ${t('metricClassN', { n: c + 1 })}: ${r.toFixed(3)}`}</title>
                </rect>
              );
            })}
            {i === Math.min(selected, Q - 1) && <rect x={lx - 1} y={18 + i * ch - 1} width={ways * cw + 1} height={ch + 1} className="selected-row" />}
          </g>
        ))}
      </svg>
      <p className="help small">{t('metricRelationHelp')}</p>
    </figure>
  );
}

/** Semi-supervised: each unlabeled item's soft assignment to the classes (and the distractor cluster). */
export function AssignmentBars({ t, view }: { t: T; view: EmbeddingView }) {
  if (!view.assignments || !view.unlabeledTruth) return null;
  const cols = view.assignmentCols;
  const U = view.unlabeledTruth.length;
  const bh = Math.max(5, Math.min(10, Math.floor(240 / U)));
  const bw = 300;
  return (
    <figure className="method-view" data-testid="assignment-bars" data-items={U}>
      <figcaption>{t('metricAssignmentsTitle')}</figcaption>
      <svg viewBox={`0 0 ${bw + 40} ${U * (bh + 2) + 2}`} width={bw + 40} className="bars-svg" role="img" aria-label={t('metricAssignmentsTitle')}>
        {Array.from({ length: U }, (_, u) => {
          let x = 36;
          const truth = view.unlabeledTruth![u];
          return (
            <g key={u}>
              <text x={32} y={u * (bh + 2) + bh - 1} className="tick" textAnchor="end">
                {truth < 0 ? '∅' : truth + 1}
              </text>
              {Array.from({ length: cols }, (_, c) => {
                const w = bw * view.assignments![u * cols + c];
                const el = <rect key={c} x={x} y={u * (bh + 2) + 1} width={Math.max(0, w)} height={bh} style={{ fill: c < view.ways ? classColour(c, view.ways) : '#adb5bd' }} />;
                x += w;
                return el;
              })}
            </g>
          );
        })}
      </svg>
      <p className="help small">{t('metricAssignmentsHelp')}</p>
    </figure>
  );
}
