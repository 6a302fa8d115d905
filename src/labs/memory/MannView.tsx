import { memo, useCallback, useEffect, useMemo, useRef, type MouseEvent } from 'react';
import { MANN_PRESET_CONFIGS } from '../../engine/algorithms/mannConfig';
import type { Translate } from '../../ui/store';
import type { MannTraceView } from '../../worker/memoryProtocol';
import { useMemoryLab } from './store';
import { LossCard, Matrix, prepareCanvas } from './views';

/**
 * The MANN half of the memory lab: one evaluation episode as the network saw it, memory usage and
 * read/write weights over the episode, the memory at a step, accuracy by presentation and the loss.
 */
type T = Translate;
const COLS = 10;
const THUMB = 40;
const GAP = 6;
const CAPTION = 14;
const CORRECT = '#2b8a3e';
const WRONG = '#e03131';

export function MannView({ t, onNextEpisode }: { t: T; onNextEpisode: () => void }) {
  const preparing = useMemoryLab((s) => s.preparing);
  return (
    <>
      {preparing && (
        <p className="card busy-note" data-testid="mann-preparing">
          {t('memPreparing')}
        </p>
      )}
      <EpisodeCard t={t} onNextEpisode={onNextEpisode} />
      <div className="two">
        <UsageCard t={t} />
        <MannMemoryCard t={t} />
      </div>
      <div className="two">
        <MannLossCard t={t} />
        <AccuracyCard t={t} />
      </div>
    </>
  );
}

/** The 50 images of the episode in a grid, each framed by whether the network named it right. */
const EpisodeStrip = memo(function EpisodeStrip({ trace, selected, onSelect, label }: { trace: MannTraceView; selected: number; onSelect: (t: number) => void; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const rows = Math.ceil(trace.steps / COLS);
  const w = COLS * (THUMB + GAP);
  const h = rows * (THUMB + GAP + CAPTION);
  useEffect(() => {
    const ctx = prepareCanvas(ref.current, w, h);
    if (!ctx) return;
    const size = trace.imageSize;
    const img = ctx.createImageData(size, size);
    const tile = document.createElement('canvas');
    tile.width = tile.height = size;
    const tctx = tile.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.font = '11px system-ui, sans-serif';
    for (let s = 0; s < trace.steps; s++) {
      const x = (s % COLS) * (THUMB + GAP) + GAP / 2;
      const y = Math.floor(s / COLS) * (THUMB + GAP + CAPTION) + GAP / 2;
      for (let p = 0; p < size * size; p++) {
        const v = Math.round(255 * (1 - Math.min(1, Math.max(0, trace.images[s * size * size + p]))));
        img.data[4 * p] = img.data[4 * p + 1] = img.data[4 * p + 2] = v;
        img.data[4 * p + 3] = 255;
      }
      tctx.putImageData(img, 0, 0);
      ctx.drawImage(tile, x, y, THUMB, THUMB);
      const right = trace.predicted[s] === trace.labels[s];
      ctx.strokeStyle = s === selected ? '#1c7ed6' : right ? CORRECT : WRONG;
      ctx.lineWidth = s === selected ? 4 : 2;
      ctx.strokeRect(x - 1, y - 1, THUMB + 2, THUMB + 2);
      ctx.fillStyle = '#1d232b';
      ctx.fillText(`${trace.labels[s]}→${trace.predicted[s]}`, x, y + THUMB + CAPTION - 2);
      ctx.fillStyle = '#5f6b7a';
      ctx.fillText(String(trace.instance[s]), x + 2, y + 11);
    }
  }, [trace, selected, w, h]);
  const click = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const c = Math.floor(((e.clientX - rect.left) / rect.width) * COLS);
    const r = Math.floor(((e.clientY - rect.top) / rect.height) * rows);
    const s = r * COLS + c;
    if (c >= 0 && c < COLS && s >= 0 && s < trace.steps) onSelect(s);
  };
  const correct = trace.predicted.reduce((n, p, i) => n + (p === trace.labels[i] ? 1 : 0), 0);
  return (
    <canvas
      ref={ref}
      className="episode-strip clickable"
      style={{ width: '100%', maxWidth: w, aspectRatio: `${w} / ${h}` }}
      role="img"
      aria-label={label}
      data-testid="mann-episode"
      data-steps={trace.steps}
      data-correct={correct}
      data-labels={Array.from(trace.labels).join('')}
      data-selected={selected}
      onClick={click}
    />
  );
});

function EpisodeCard({ t, onNextEpisode }: { t: T; onNextEpisode: () => void }) {
  const trace = useMemoryLab((s) => s.mannTrace);
  const step = useMemoryLab((s) => s.mannStep);
  const select = useCallback((s: number) => useMemoryLab.setState({ mannStep: s }), []);
  const at = trace ? Math.min(step, trace.steps - 1) : 0;
  return (
    <section className="card">
      <h2>{t('memEpisodeTitle')}</h2>
      <p className="help">{t('memEpisodeHelp')}</p>
      {trace && (
        <>
          <div dir="ltr">
            <EpisodeStrip trace={trace} selected={at} onSelect={select} label={t('memEpisodeTitle')} />
          </div>
          <p className="metric-line" data-testid="mann-step-caption">
            {t('memEpisodeStep', { t: at + 1, label: trace.labels[at], n: trace.instance[at], pred: trace.predicted[at], p: trace.probs[at * trace.classes + trace.predicted[at]].toFixed(2) })}
          </p>
        </>
      )}
      <div className="step-row">
        <button type="button" data-testid="mann-next-episode" onClick={onNextEpisode}>
          {t('memNextEpisode')}
        </button>
        <input
          type="range"
          min={0}
          max={(trace?.steps ?? 1) - 1}
          value={at}
          data-testid="mann-step"
          aria-label={t('memTimeStep')}
          onChange={(e) => useMemoryLab.setState({ mannStep: Number(e.target.value) })}
        />
      </div>
    </section>
  );
}

/** Sum over heads of [T, R, N] → value(slot, step). */
function sumHeads(a: Float32Array, trace: MannTraceView) {
  const { readHeads: R, slots: N } = trace;
  return (r: number, c: number) => {
    let v = 0;
    for (let h = 0; h < R; h++) v += a[(c * R + h) * N + r];
    return v;
  };
}

function UsageCard({ t }: { t: T }) {
  const trace = useMemoryLab((s) => s.mannTrace);
  const step = useMemoryLab((s) => s.mannStep);
  const preset = useMemoryLab((s) => s.mann.preset);
  const select = useCallback((_r: number, c: number) => useMemoryLab.setState({ mannStep: c }), []);
  const usage = useCallback((r: number, c: number) => (trace ? trace.usage[c * trace.slots + r] : 0), [trace]);
  const maxUsage = useMemo(() => (trace ? Math.max(1e-6, ...trace.usage) : 1), [trace]);
  const cleared = useMemo(() => {
    const set = new Set<number>();
    if (!trace) return set;
    for (let c = 0; c < trace.steps; c++) for (let r = 0; r < trace.slots; r++) if (trace.cleared[c * trace.slots + r] > 0.5) set.add(r * trace.steps + c);
    return set;
  }, [trace]);
  const reads = useMemo(() => (trace ? sumHeads(trace.readWeights, trace) : () => 0), [trace]);
  const writes = useMemo(() => (trace ? sumHeads(trace.writeWeights, trace) : () => 0), [trace]);
  if (!trace) return <section className="card" />;
  const cell = Math.max(3, Math.min(8, Math.floor(320 / trace.steps)));
  const cellH = Math.max(2, Math.min(8, Math.floor(200 / trace.slots)));
  const gamma = MANN_PRESET_CONFIGS[preset].usageDecay;
  return (
    <section className="card">
      <h2>{t('memUsageTitle')}</h2>
      <p className="help">{t('memUsageHelp', { N: trace.slots, T: trace.steps, gamma })}</p>
      <div className="mann-maps" dir="ltr">
        <Matrix value={usage} rows={trace.slots} cols={trace.steps} map="heat" scale={maxUsage} cellW={cell} cellH={cellH} highlightCol={Math.min(step, trace.steps - 1)} marked={cleared} testId="mann-usage" label={t('memUsageTitle')} version={trace} onCell={select} />
        <figure>
          <figcaption>{t('memMannWriteTitle')}</figcaption>
          <Matrix value={writes} rows={trace.slots} cols={trace.steps} map="heat" cellW={cell} cellH={cellH} highlightCol={Math.min(step, trace.steps - 1)} testId="mann-write" label={t('memMannWriteTitle')} version={trace} onCell={select} />
        </figure>
        <figure>
          <figcaption>{t('memMannReadTitle')}</figcaption>
          <Matrix value={reads} rows={trace.slots} cols={trace.steps} map="heat" cellW={cell} cellH={cellH} highlightCol={Math.min(step, trace.steps - 1)} testId="mann-read" label={t('memMannReadTitle')} version={trace} onCell={select} />
        </figure>
      </div>
    </section>
  );
}

function MannMemoryCard({ t }: { t: T }) {
  const trace = useMemoryLab((s) => s.mannTrace);
  const step = useMemoryLab((s) => s.mannStep);
  const at = trace ? Math.min(step, trace.steps - 1) : 0;
  const N = trace?.slots ?? 1;
  const M = trace?.width ?? 1;
  const slice = useMemo(() => (trace ? trace.memory.subarray(at * N * M, (at + 1) * N * M) : null), [trace, at, N, M]);
  const scale = useMemo(() => (slice ? Math.max(0.05, ...Array.from(slice, Math.abs)) : 1), [slice]);
  const value = useCallback((r: number, c: number) => (slice ? slice[r * M + c] : 0), [slice, M]);
  if (!trace) return <section className="card" />;
  const cellH = Math.max(2, Math.min(10, Math.floor(260 / N)));
  const cellW = Math.max(4, Math.min(14, Math.floor(280 / M)));
  return (
    <section className="card">
      <h2>{t('memMannMemoryTitle', { t: at + 1 })}</h2>
      <div dir="ltr">
        <Matrix value={value} rows={N} cols={M} map="diverging" scale={scale} cellW={cellW} cellH={cellH} fixedSize testId="mann-memory" label={t('memMannMemoryTitle', { t: at + 1 })} version={slice} data={{ step: at }} />
      </div>
    </section>
  );
}

function MannLossCard({ t }: { t: T }) {
  const losses = useMemoryLab((s) => s.losses);
  const batch = useMemoryLab((s) => s.mann.batch);
  return <LossCard title={t('memMannLossTitle')} help={t('memMannLossHelp', { n: batch })} losses={losses} />;
}

function AccuracyCard({ t }: { t: T }) {
  const evaluation = useMemoryLab((s) => s.mannEvaluation);
  const W = 480;
  const H = 190;
  const m = { l: 52, r: 8, t: 8, b: 30 };
  const y = (v: number) => m.t + (1 - v) * (H - m.t - m.b);
  const n = evaluation?.accuracy.length ?? 10;
  const bw = (W - m.l - m.r) / n;
  return (
    <section className="card">
      <h2>{t('memAccuracyTitle')}</h2>
      <p className="help">{evaluation ? t('memAccuracyHelp', { n: evaluation.episodes, step: evaluation.step }) : t('mseStepsNone')}</p>
      {evaluation && (
        <svg className="ber-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('memAccuracyTitle')} direction="ltr" data-testid="mann-accuracy" data-accuracy={evaluation.accuracy.map((a) => a.toFixed(3)).join(',')}>
          {[0, 0.25, 0.5, 0.75, 1].map((v) => (
            <g key={v}>
              <line x1={m.l} x2={W - m.r} y1={y(v)} y2={y(v)} className="grid" />
              <text x={m.l - 4} y={y(v) + 4} textAnchor="end" className="tick">
                {`${Math.round(v * 100)}%`}
              </text>
            </g>
          ))}
          {evaluation.accuracy.map((a, i) => (
            <g key={i}>
              <rect x={m.l + i * bw + bw * 0.15} width={bw * 0.7} y={y(Number.isFinite(a) ? a : 0)} height={Math.max(0, H - m.b - y(Number.isFinite(a) ? a : 0))} className={i === 0 ? 'ber-bar longer' : 'ber-bar trained'} />
              <text x={m.l + (i + 0.5) * bw} y={H - m.b + 13} textAnchor="middle" className="tick">
                {i + 1}
              </text>
            </g>
          ))}
          <line x1={m.l} x2={W - m.r} y1={y(0.2)} y2={y(0.2)} className="chance-line" />
          <text x={W - m.r - 2} y={y(0.2) - 3} textAnchor="end" className="tick">
            {t('memChance')}
          </text>
          <text x={(W + m.l) / 2} y={H - 3} textAnchor="middle" className="tick">
            {t('memPresentationAxis')}
          </text>
        </svg>
      )}
    </section>
  );
}
