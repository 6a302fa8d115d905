import { memo, useMemo, useState } from 'react';
import { METRIC_BASELINES, METRIC_METHODS, type MetricMethod } from '../../engine/algorithms/metric/types';
import { Equation } from '../../ui/components/Equation';
import { LineChart, type Series } from '../../ui/components/LineChart';
import type { Translate } from '../../ui/store';
import { METHOD_COLOURS } from './colours';
import { BASELINE_EQUATIONS, EQUATIONS, methodName, PUBLISHED, PUBLISHED_SETTINGS, publishedFor } from './methods';
import { useMetricLab, type Curves } from './store';

type T = Translate;
const MAX_CHART_POINTS = 300;

/** A curve as at most MAX_CHART_POINTS bin means (x = the bin's last step), so a long run stays cheap to draw. */
export function binned(values: readonly number[], maxPoints = MAX_CHART_POINTS): { x: number; y: number }[] {
  const n = values.length;
  if (n === 0) return [];
  const size = Math.max(1, Math.ceil(n / maxPoints));
  const out: { x: number; y: number }[] = [];
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    let s = 0;
    for (let i = start; i < end; i++) s += values[i];
    out.push({ x: end, y: s / (end - start) });
  }
  return out;
}

/** Running mean of the last `window` values (single episodes are noisy; the curve shows the trend). */
export function runningMean(values: readonly number[], window = 20): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= window) sum -= values[i - window];
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}

/** Loss and episode accuracy of every method trained so far, one colour per method. */
export const CurvesCard = memo(function CurvesCard({ t }: { t: T }) {
  const curves = useMetricLab((s) => s.curves);
  const active = useMetricLab((s) => s.settings.method);
  const { loss, acc, points } = useMemo(() => {
    const entries = (Object.entries(curves) as [MetricMethod, Curves][]).filter(([, c]) => c.losses.length > 0);
    // The method on screen: its raw episodes faint under the running mean; other methods: the mean only, faint.
    const mk = (pick: (c: Curves) => number[]): Series[] =>
      entries.flatMap(([m, c]): Series[] => {
        const mean: Series = { name: methodName(t, m), color: METHOD_COLOURS[m], points: binned(runningMean(pick(c))), faint: m !== active };
        return m === active ? [{ name: `${m}-raw`, color: METHOD_COLOURS[m], points: binned(pick(c)), faint: true, hideInLegend: true }, mean] : [mean];
      });
    return { loss: mk((c) => c.losses), acc: mk((c) => c.accuracies), points: entries.find(([m]) => m === active)?.[1].losses.length ?? 0 };
  }, [curves, active, t]);
  return (
    <section className="card" data-testid="curves-card">
      <h2>{t('metricCurvesTitle')}</h2>
      {loss.length === 0 ? (
        <p className="help">{t('metricCurvesEmpty')}</p>
      ) : (
        <div className="two">
          <LineChart series={loss} ariaLabel={t('metricLossChart')} testId="metric-loss-chart" data={{ 'data-points': String(points) }} xLabel={t('metricEpisodes')} />
          <LineChart series={acc} ariaLabel={t('metricAccChart')} testId="metric-acc-chart" yFromZero xLabel={t('metricEpisodes')} />
        </div>
      )}
      <p className="help small">{t('metricCurvesHelp')}</p>
    </section>
  );
});

/** The method's equations (KaTeX) and what each says. */
export function ExplanationCard({ t, method }: { t: T; method: MetricMethod }) {
  return (
    <section className="card explanation" data-testid="explanation" data-method={method}>
      <h2>
        {t('explanationTitle')}: {methodName(t, method)}
      </h2>
      {EQUATIONS[method].map((e) => (
        <div key={e.id} className="eq">
          <Equation tex={e.tex} />
          <p>{t(e.text)}</p>
        </div>
      ))}
      <details>
        <summary>{t('metricBaselinesTitle')}</summary>
        {BASELINE_EQUATIONS.map((e) => (
          <div key={e.id} className="eq">
            <Equation tex={e.tex} />
            <p>{t(e.text)}</p>
          </div>
        ))}
      </details>
    </section>
  );
}

const pct = (v: number) => (Number.isFinite(v) ? (100 * v).toFixed(1) : '—');

/**
 * The arena's choices: the papers' four settings, plus the training setting when it is none of
 * them; the default is the training setting if it is a paper's, else 5-way with 5 shots for a
 * 5-or-more-shot model and 1 otherwise (a 40-way checkpoint is still compared on 5-way episodes).
 */
export function arenaChoices(trainWays: number, trainShots: number): { options: [number, number][]; initial: [number, number] } {
  const options = PUBLISHED_SETTINGS.map(([w, k]): [number, number] => [w, k]);
  const known = options.some(([w, k]) => w === trainWays && k === trainShots);
  if (!known) options.push([trainWays, trainShots]);
  return { options, initial: known ? [trainWays, trainShots] : [5, trainShots >= 5 ? 5 : 1] };
}

/** A setting as the arena's select names it ("5x1"). */
const settingKey = ([ways, shots]: readonly [number, number]) => `${ways}x${shots}`;

/** Every trained method and both baselines on the same held-out episodes, beside the papers' numbers. */
export function ArenaCard({ t, onRun }: { t: T; onRun: (episodes: number, ways: number, shots: number) => void }) {
  const arena = useMetricLab((s) => s.arena);
  const trained = useMetricLab((s) => s.trained);
  const trainWays = useMetricLab((s) => s.settings.ways);
  const trainShots = useMetricLab((s) => s.settings.shots);
  const { options, initial } = arenaChoices(trainWays, trainShots);
  // The user's pick, kept while it is still offered; otherwise the default for the training setting.
  const [picked, setPicked] = useState<string | null>(null);
  const pickedOption = options.find((o) => settingKey(o) === picked);
  const [ways, shots] = pickedOption ?? initial;
  const anyTrained = Object.values(trained).some((n) => (n ?? 0) > 0);
  const rows = arena?.rows ?? [];
  const order = [...METRIC_METHODS, ...METRIC_BASELINES];
  // "Evaluating…" from the click on: the worker's first row comes only after a whole method's episodes.
  const run = (n: number) => {
    useMetricLab.setState((s) => ({ arena: { rows: [], ways, shots, source: s.arena?.source ?? s.settings.source, running: true } }));
    onRun(n, ways, shots);
  };
  const sorted = [...rows].sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method));
  return (
    <section className="card" data-testid="arena">
      <h2>{t('metricArenaTitle')}</h2>
      <p className="help">{t('metricArenaHelp', { ways, shots })}</p>
      <div className="buttons">
        <label className="arena-setting">
          <span>{t('metricArenaSetting')}</span>
          <select data-testid="arena-setting" value={settingKey([ways, shots])} disabled={arena?.running} onChange={(e) => setPicked(e.target.value)}>
            {options.map(([w, k]) => (
              <option key={settingKey([w, k])} value={settingKey([w, k])}>
                {t('metricArenaSettingOption', { ways: w, shots: k })}
              </option>
            ))}
          </select>
        </label>
        {[50, 200].map((n) => (
          <button key={n} type="button" className={n === 50 ? 'primary' : undefined} data-testid={`arena-run-${n}`} disabled={arena?.running} onClick={() => run(n)}>
            {t('metricArenaRun', { n })}
          </button>
        ))}
        {arena?.running && (
          <span className="muted" data-testid="arena-running">
            {t('metricArenaRunning')}
          </span>
        )}
      </div>
      {!anyTrained && <p className="help">{t('metricArenaUntrained')}</p>}
      {arena && rows.length > 0 && (
        <div className="table-wrap">
          <table className="arena-table" data-testid="arena-table" data-rows={rows.length} data-running={arena.running ? 1 : 0}>
            <thead>
              <tr>
                <th>{t('metricArenaMethod')}</th>
                <th>{t('metricArenaSteps')}</th>
                <th>{t('metricArenaAccuracy', { ways: arena.ways, shots: arena.shots })}</th>
                <th>{t('metricArenaPublished')}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((r) => {
                const pub = r.method === 'pixel-nn' || r.method === 'mhd' ? null : publishedFor(r.method, arena.ways, arena.shots);
                return (
                  <tr key={r.method} data-method={r.method} data-accuracy={r.accuracy.toFixed(4)}>
                    <td>
                      <span className="swatch" style={{ background: METHOD_COLOURS[r.method] }} /> {methodName(t, r.method)}
                    </td>
                    <td className="num">{r.step > 0 ? r.step : t('metricBaseline')}</td>
                    <td className="num">
                      <span className="ci-bar" dir="ltr">
                        <span className="ci-range" style={{ insetInlineStart: `${Math.max(0, 100 * (r.accuracy - r.ci95))}%`, inlineSize: `${Math.min(100, 200 * r.ci95)}%` }} />
                        <span className="ci-mean" style={{ insetInlineStart: `${100 * r.accuracy}%` }} />
                      </span>
                      {pct(r.accuracy)} ± {pct(r.ci95)}%
                    </td>
                    <td className="num muted">{pub !== null ? `${pub.toFixed(1)}%` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="help small">{t('metricArenaFootnote', { n: rows[0]?.episodes ?? 0, source: arena.source === 'omniglot' ? t('metricSourceOmniglot') : t('metricSourceSynthetic') })}</p>
        </div>
      )}
      <details className="published">
        <summary>{t('metricPublishedTitle')}</summary>
        <p className="help">{t('metricPublishedHelp')}</p>
        <div className="table-wrap">
          <table className="arena-table" data-testid="published-table">
            <thead>
              <tr>
                <th>{t('metricArenaMethod')}</th>
                {PUBLISHED_SETTINGS.map(([w, k]) => (
                  <th key={settingKey([w, k])}>{t('metricArenaSettingOption', { ways: w, shots: k })}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {PUBLISHED.map((p) => (
                <tr key={p.method}>
                  <td>
                    {methodName(t, p.method)} <span className="muted small">({p.source})</span>
                    {p.note && <div className="muted small">{t(p.note)}</div>}
                  </td>
                  {p.cells.map((c, i) => (
                    <td key={i} className="num">
                      {c === null ? '—' : `${c.toFixed(1)}%`}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
