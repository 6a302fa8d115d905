import { useMemo } from 'react';
import { create } from 'zustand';
import { drawingToImage, IMAGE_SIZE, syntheticAlphabet, syntheticCharacter, syntheticToken, type Drawing } from '../../engine/tasks/characters';
import { DrawingPad } from '../../ui/components/DrawingPad';
import { ImageGrid } from '../../ui/components/ImageGrid';
import { useApp, type Translate } from '../../ui/store';
import type { DrawnResult } from '../../worker/metricProtocol';
import { classColour, classInk, METHOD_COLOURS } from './colours';
import { fmtDistance } from './EmbeddingView';
import { methodName } from './methods';
import { useMetricLab } from './store';

type T = Translate;
export const DRAW_MAX_WAYS = 5;
export const DRAW_MAX_SHOTS = 3;
const PX = IMAGE_SIZE * IMAGE_SIZE;

/** A slot of the hand-made episode: a class's shot, or the query. */
export type Slot = { c: number; k: number } | 'query';

interface DrawnState {
  ways: number;
  shots: number;
  /** drawings[c][k] */
  drawings: Drawing[][];
  query: Drawing;
  slot: Slot;
  centre: boolean;
  /** Which example the drawings came from (null once the user changed one). */
  example: number | null;
  pairA: Slot;
  pairB: Slot;
}

/**
 * Example episodes from the synthetic generator (alphabets of its evaluation split, never trained
 * on): class c is character c, shot k is drawer k, and the query is another drawer's class-2
 * character. Tokens are made a few at a time between frames: all sixteen at once would hold the
 * main thread for ~60 ms.
 */
export async function exampleEpisode(example: number): Promise<{ drawings: Drawing[][]; query: Drawing }> {
  const style = syntheticAlphabet(0, 20 + (example % 10), 30);
  const offset = 5 * Math.floor(example / 10);
  const drawings: Drawing[][] = [];
  for (let c = 0; c < DRAW_MAX_WAYS; c++) {
    await new Promise((r) => setTimeout(r, 0));
    const type = syntheticCharacter(style, c + offset);
    drawings.push(Array.from({ length: DRAW_MAX_SHOTS }, (_, k) => syntheticToken(style, type, c + offset, k).drawing));
  }
  const query = syntheticToken(style, syntheticCharacter(style, 1 + offset), 1 + offset, DRAW_MAX_SHOTS + 2).drawing;
  return { drawings, query };
}

const emptyDrawings = () => Array.from({ length: DRAW_MAX_WAYS }, () => Array.from({ length: DRAW_MAX_SHOTS }, (): Drawing => []));

export const useDrawn = create<DrawnState>(() => ({
  ways: 3,
  shots: 1,
  drawings: emptyDrawings(),
  query: [],
  slot: 'query',
  centre: true,
  example: null,
  pairA: { c: 0, k: 0 },
  pairB: 'query',
}));

/** Fills the pad's episode with example `n` (the lab does it once on first load, so nothing is empty). */
export async function loadExample(n: number): Promise<void> {
  const ex = await exampleEpisode(n);
  useDrawn.setState({ drawings: ex.drawings, query: ex.query, example: n });
}

export const slotKey = (s: Slot) => (s === 'query' ? 'q' : `${s.c}-${s.k}`);
export const drawingAtSlot = (st: DrawnState, s: Slot): Drawing => (s === 'query' ? st.query : (st.drawings[s.c]?.[s.k] ?? []));

/** The slots in use, class-major, then the query. */
export function usedSlots(ways: number, shots: number): Slot[] {
  const out: Slot[] = [];
  for (let c = 0; c < ways; c++) for (let k = 0; k < shots; k++) out.push({ c, k });
  out.push('query');
  return out;
}

export function rasterize(d: Drawing, centre: boolean, out?: Float32Array): Float32Array {
  return drawingToImage(d, { size: IMAGE_SIZE, centre }, out);
}

/** The hand-made episode's empty slots, as names the reader sees. */
export function emptySlots(t: T, st: DrawnState): string[] {
  return usedSlots(st.ways, st.shots)
    .filter((s) => drawingAtSlot(st, s).length === 0)
    .map((s) => (s === 'query' ? t('metricDrawQuery') : t('metricDrawSlot', { c: s.c + 1, k: s.k + 1 })));
}

/** N classes × K shots and a query, drawn with the pad; every trained method and both baselines classify it. */
export function DrawYourOwnCard({ t, onClassify }: { t: T; onClassify: (ways: number, shots: number, support: Float32Array, query: Float32Array) => void }) {
  const st = useDrawn();
  const notify = useApp((s) => s.notify);
  const { ways, shots, centre } = st;
  const images = useMemo(() => {
    const slots = usedSlots(ways, shots);
    const px = new Float32Array(slots.length * PX);
    slots.forEach((s, i) => rasterize(drawingAtSlot(st, s), centre, px.subarray(i * PX, (i + 1) * PX)));
    return px;
    // Only the drawings in use and the centring matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [st.drawings, st.query, ways, shots, centre]);
  const current = drawingAtSlot(st, st.slot);
  const setCurrent = (d: Drawing) =>
    useDrawn.setState((s) => {
      if (s.slot === 'query') return { query: d, example: null };
      const { c, k } = s.slot;
      return { drawings: s.drawings.map((row, i) => (i === c ? row.map((x, j) => (j === k ? d : x)) : row)), example: null };
    });
  const classify = () => {
    const empty = emptySlots(t, useDrawn.getState());
    if (empty.length > 0) {
      notify({ level: 'warning', key: 'metricDrawEmpty', params: { slots: empty.join(', ') } });
      return;
    }
    const support = images.slice(0, ways * shots * PX);
    const query = images.slice(ways * shots * PX);
    onClassify(ways, shots, support, query);
  };
  const nextExample = () => void loadExample(((st.example ?? -1) + 1) % 20);
  const slotLabel = st.slot === 'query' ? t('metricDrawQuery') : t('metricDrawSlot', { c: st.slot.c + 1, k: st.slot.k + 1 });
  return (
    <section className="card" data-testid="draw-own">
      <h2>{t('metricDrawTitle')}</h2>
      <p className="help">{t('metricDrawHelp')}</p>
      <div className="fields inline-fields">
        <label className="field compact">
          <span>{t('metricDrawWays')}</span>
          <select data-testid="draw-ways" value={ways} onChange={(e) => useDrawn.setState({ ways: Number(e.target.value), slot: 'query' })}>
            {[2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="field compact">
          <span>{t('metricDrawShots')}</span>
          <select data-testid="draw-shots" value={shots} onChange={(e) => useDrawn.setState({ shots: Number(e.target.value), slot: 'query' })}>
            {[1, 2, 3].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="draw-example" onClick={nextExample}>
          {t('metricDrawExample')}
        </button>
        <button
          type="button"
          data-testid="draw-clear-all"
          onClick={() => {
            useDrawn.setState({ drawings: emptyDrawings(), query: [], example: null });
            // The classifications and the pair's distance were of the drawings just cleared.
            useMetricLab.setState({ drawn: null, pair: null });
          }}
        >
          {t('metricDrawClearAll')}
        </button>
      </div>
      <div className="draw-layout">
        <div className="draw-slots" data-testid="draw-slots" data-example={st.example ?? ''}>
          {Array.from({ length: ways }, (_, c) => (
            <div key={c} className="slot-row">
              <span className="slot-label" style={{ color: classInk(c, ways) }}>
                {t('metricClassN', { n: c + 1 })}
              </span>
              <ImageGrid
                pixels={images}
                scale={1}
                imageSize={IMAGE_SIZE}
                images={Array.from({ length: shots }, (_, k) => c * shots + k)}
                cell={48}
                columns={shots}
                selected={st.slot !== 'query' && st.slot.c === c ? st.slot.k : null}
                onPick={(k) => useDrawn.setState({ slot: { c, k } })}
                arrowKeys={false}
                label={t('metricClassN', { n: c + 1 })}
                testId={`draw-class-${c}`}
              />
            </div>
          ))}
          <div className="slot-row">
            <span className="slot-label">{t('metricDrawQuery')}</span>
            <ImageGrid pixels={images} scale={1} imageSize={IMAGE_SIZE} images={[ways * shots]} cell={48} columns={1} selected={st.slot === 'query' ? 0 : null} onPick={() => useDrawn.setState({ slot: 'query' })} arrowKeys={false} label={t('metricDrawQuery')} testId="draw-query" />
          </div>
        </div>
        <div className="draw-pad">
          <p className="help" data-testid="draw-editing">
            {t('metricDrawEditing', { slot: slotLabel })}
          </p>
          <DrawingPad t={t} drawing={current} onChange={setCurrent} centre={centre} onCentreChange={(c) => useDrawn.setState({ centre: c })} />
        </div>
      </div>
      <div className="buttons">
        <button type="button" className="primary" data-testid="draw-classify" onClick={classify}>
          {t('metricDrawClassify')}
        </button>
      </div>
      <DrawnResults t={t} />
    </section>
  );
}

function reasonText(t: T, r: DrawnResult, q: number, c: number, ways: number): string {
  const v = r.reason[q * ways + c];
  if (!Number.isFinite(v)) return '';
  if (r.reasonKind === 'distance') return t('metricReasonDistance', { d: fmtDistance(v) });
  if (r.reasonKind === 'attention') return t('metricReasonAttention', { a: v.toFixed(2) });
  return t('metricReasonRelation', { r: v.toFixed(2) });
}

/** Every method's verdict on the hand-made query, side by side. */
function DrawnResults({ t }: { t: T }) {
  const drawn = useMetricLab((s) => s.drawn);
  if (!drawn) return <p className="help">{t('metricDrawNoResult')}</p>;
  const { ways } = drawn;
  return (
    <div className="drawn-results" data-testid="drawn-results" data-methods={drawn.results.map((r) => r.method).join(',')}>
      {drawn.results.map((r) => {
        const p = r.predicted[0];
        return (
          <div key={r.method} className="drawn-result" data-testid={`drawn-${r.method}`} data-predicted={p}>
            <h3 style={{ borderColor: METHOD_COLOURS[r.method] }}>
              {methodName(t, r.method)}
              <span className="muted small"> · {r.step > 0 ? t('metricStepsShort', { n: r.step }) : t('metricBaseline')}</span>
            </h3>
            <p className="verdict">
              → <strong style={{ color: classInk(p, ways) }}>{t('metricClassN', { n: p + 1 })}</strong> ({(100 * r.probs[p]).toFixed(0)}%)
            </p>
            {Array.from({ length: ways }, (_, c) => (
              <div key={c} className="prob-row">
                <span className="prob-label">{c + 1}</span>
                <span className="prob-track">
                  <span className="prob-fill" style={{ inlineSize: `${(100 * r.probs[c]).toFixed(1)}%`, background: classColour(c, ways) }} />
                </span>
                <span className="prob-value">{(100 * r.probs[c]).toFixed(0)}%</span>
                <span className="prob-reason muted">{reasonText(t, r, 0, c, ways)}</span>
              </div>
            ))}
          </div>
        );
      })}
    </div>
  );
}

/** Siamese pair explorer: two of the drawings, their distance and the contrastive margin. */
export function PairCard({ t, onPair }: { t: T; onPair: (a: Float32Array, b: Float32Array) => void }) {
  const st = useDrawn();
  const trained = useMetricLab((s) => (s.trained.siamese ?? 0) > 0);
  const pair = useMetricLab((s) => s.pair);
  const slots = usedSlots(st.ways, st.shots);
  const label = (s: Slot) => (s === 'query' ? t('metricDrawQuery') : t('metricDrawSlot', { c: s.c + 1, k: s.k + 1 }));
  const pick = (which: 'pairA' | 'pairB', key: string) => {
    const s = slots.find((x) => slotKey(x) === key);
    if (s) useDrawn.setState({ [which]: s } as Partial<DrawnState>);
  };
  const measure = () => {
    const a = drawingAtSlot(st, st.pairA);
    const b = drawingAtSlot(st, st.pairB);
    if (a.length === 0 || b.length === 0) {
      useApp.getState().notify({ level: 'warning', key: 'metricDrawEmpty', params: { slots: [a.length === 0 ? label(st.pairA) : '', b.length === 0 ? label(st.pairB) : ''].filter(Boolean).join(', ') } });
      return;
    }
    onPair(rasterize(a, st.centre), rasterize(b, st.centre));
  };
  const same = st.pairA !== 'query' && st.pairB !== 'query' ? st.pairA.c === st.pairB.c : null;
  const max = pair ? Math.max(pair.margin * 1.5, pair.distance * 1.1, 1e-6) : 1;
  return (
    <section className="card" data-testid="pair-card">
      <h2>{t('metricPairTitle')}</h2>
      <p className="help">{t('metricPairHelp')}</p>
      <div className="fields inline-fields">
        {(['pairA', 'pairB'] as const).map((w) => (
          <label key={w} className="field compact">
            <span>{w === 'pairA' ? 'A' : 'B'}</span>
            <select data-testid={`pair-${w === 'pairA' ? 'a' : 'b'}`} value={slotKey(st[w])} onChange={(e) => pick(w, e.target.value)}>
              {slots.map((s) => (
                <option key={slotKey(s)} value={slotKey(s)}>
                  {label(s)}
                </option>
              ))}
            </select>
          </label>
        ))}
        <button type="button" className="primary" data-testid="pair-measure" onClick={measure} disabled={!trained}>
          {t('metricPairMeasure')}
        </button>
      </div>
      {!trained && <p className="help">{t('metricPairUntrained')}</p>}
      {pair && (
        <div className="pair-result" data-testid="pair-result" data-distance={pair.distance.toFixed(4)} data-margin={pair.margin}>
          <svg viewBox="0 0 400 54" className="pair-bar" role="img" aria-label={t('metricPairAria', { d: pair.distance.toFixed(3), m: pair.margin })}>
            <rect x={0} y={14} width={400} height={18} className="pair-track" />
            <rect x={0} y={14} width={(400 * Math.min(pair.distance, max)) / max} height={18} className={pair.distance < pair.margin ? 'pair-fill near' : 'pair-fill far'} />
            <line x1={(400 * pair.margin) / max} x2={(400 * pair.margin) / max} y1={6} y2={40} className="margin-line" />
            <text x={(400 * pair.margin) / max} y={52} textAnchor="middle" className="tick">
              m = {pair.margin}
            </text>
          </svg>
          <p className="help">
            {t('metricPairResult', { d: pair.distance.toFixed(3), m: pair.margin })} {same === null ? '' : same ? t('metricPairSame') : t('metricPairDifferent')}
          </p>
        </div>
      )}
    </section>
  );
}
