import { memo, useMemo, type ReactNode, type RefObject } from 'react';
import { DEFAULT_ZERO_SHOT } from '../../engine/algorithms/metric/zeroShot';
import { Equation } from '../../ui/components/Equation';
import { LineChart, type Series } from '../../ui/components/LineChart';
import { TransportBar, type TransportActions } from '../../ui/components/TransportBar';
import { DivergedCard, divergedLossText } from '../../ui/components/DivergedCard';
import type { Translate } from '../../ui/store';
import { recentMean, useTrainingStatus } from '../../ui/trainingStatus';
import { binned, runningMean } from './panels';
import { chanceOf, editedRows, predictedClass, toggleAttribute } from './zeroShotView';
import type { ZeroShotWorkerClient } from './zeroShotWorkerClient';
import { useZeroShot } from './zeroShotStore';
import './zeroShot.css';

type T = Translate;
type ClientRef = RefObject<ZeroShotWorkerClient | null>;

const HELD_OUT_COLOUR = '#e8590c';
const SEEN_COLOUR = '#868e96';
const LOSS_COLOUR = '#1c7ed6';

/**
 * The metric lab's zero-shot view (Sung et al. 2018, §3.4): the relation network scores a query
 * against class attribute vectors instead of support images. It trains in its own worker; this
 * page draws the scores of one held-out query, lets the user edit the held-out classes' attribute
 * vectors, and plots the loss and the held-out accuracy.
 */
export function ZeroShotLab({ t, actions, client, header }: { t: T; actions: TransportActions; client: ClientRef; header?: ReactNode }) {
  return (
    <div className="zero-shot" data-testid="zero-shot">
      <ZeroShotToolbar {...actions} />
      <DivergedNote t={t} onReset={actions.onReset} />
      {header}
      <div className="lab-grid">
        <div className="main-col">
          <ScoresCard t={t} client={client} />
          <ZeroShotCurves t={t} />
        </div>
        <div className="side-col">
          <ZeroShotExplanation t={t} />
          <WorldCard t={t} />
        </div>
      </div>
    </div>
  );
}

function ZeroShotToolbar(props: TransportActions) {
  const { t } = props;
  const status = useTrainingStatus(useZeroShot);
  const diverged = useZeroShot((s) => s.diverged !== null);
  const loss = useZeroShot((s) => recentMean(s.losses));
  const heldOut = useZeroShot((s) => s.evals.at(-1)?.heldOut);
  return (
    <TransportBar {...props} {...status} disabled={diverged || status.backend === null}>
      <span className="metric zs-reading" data-testid="zs-reading" data-loss={loss !== undefined ? loss.toFixed(5) : ''} data-heldout={heldOut !== undefined ? heldOut.toFixed(4) : ''}>
        {t('metricLossShort')} {loss !== undefined ? loss.toFixed(3) : '—'} · {t('zsHeldOutShort')} {heldOut !== undefined ? `${(100 * heldOut).toFixed(0)}%` : '—'}
      </span>
    </TransportBar>
  );
}

function DivergedNote({ t, onReset }: { t: T; onReset: () => void }) {
  const d = useZeroShot((s) => s.diverged);
  if (!d) return null;
  return <DivergedCard t={t} onReset={onReset} testId="zs-diverged" body={t('zsDivergedBody', { step: d.step, loss: divergedLossText(d.loss) })} />;
}

/** A feature value as a colour: blue for negative, red for positive (tanh features lie in about ±1.5). */
function featureColour(v: number): string {
  const a = Math.min(1, Math.abs(v) / 1.5);
  return v < 0 ? `rgba(28, 126, 214, ${a.toFixed(3)})` : `rgba(224, 49, 49, ${a.toFixed(3)})`;
}

function ScoresCard({ t, client }: { t: T; client: ClientRef }) {
  const view = useZeroShot((s) => s.view);
  const draw = useZeroShot((s) => s.draw);
  const edited = useZeroShot((s) => s.edited);
  if (view === null) {
    return (
      <section className="card" data-testid="zs-scores-card">
        <h2>{t('zsScoresTitle')}</h2>
        <p className="help busy-note">{t('zsWaiting')}</p>
      </section>
    );
  }
  const A = view.attributeCount;
  const current = edited ?? Array.from(view.original);
  const predicted = predictedClass(view.scores);
  const changed = editedRows(view.original, current, A);
  const name = (r: number) => t('zsClassName', { id: view.classes[r] });
  const flip = (r: number, j: number) => client.current?.view(draw, toggleAttribute(current, r, j, A));
  return (
    <section className="card" data-testid="zs-scores-card">
      <h2>{t('zsScoresTitle')}</h2>
      <p className="help">{t('zsScoresHelp')}</p>
      <div className="zs-rows" data-testid="zs-rows" data-step={view.step} data-predicted={predicted} data-truth={view.truth} data-edited={changed.some(Boolean) ? 1 : 0}>
        {view.classes.map((c, r) => {
          const score = view.scores[r];
          return (
            <div key={c} className={`zs-row${r === view.truth ? ' truth' : ''}${r === predicted ? ' predicted' : ''}${changed[r] ? ' edited' : ''}`} data-testid={`zs-row-${r}`}>
              <span className="zs-class" dir="auto">
                {name(r)}
                {r === view.truth && (
                  <span className="zs-true" title={t('zsTrueClass')} aria-label={t('zsTrueClass')}>
                    {' '}✓
                  </span>
                )}
                {changed[r] && <span className="zs-edited-mark"> · {t('zsEditedMark')}</span>}
              </span>
              <span className="zs-bits" dir="ltr" role="group" aria-label={t('zsAttrsLabel', { id: c })}>
                {Array.from({ length: A }, (_, j) => {
                  const on = current[r * A + j] > 0.5;
                  return <button key={j} type="button" className={`zs-bit${on ? ' on' : ''}${on !== (view.original[r * A + j] > 0.5) ? ' flipped' : ''}`} aria-pressed={on} title={t('zsAttrTitle', { n: j + 1 })} data-testid={`zs-attr-${r}-${j}`} onClick={() => flip(r, j)} />;
                })}
              </span>
              <span className="zs-bar" dir="ltr" aria-hidden="true">
                <span className="zs-fill" style={{ inlineSize: `${(100 * score).toFixed(1)}%` }} />
              </span>
              <span className="zs-score" data-testid={`zs-score-${r}`} data-score={score.toFixed(4)} title={t('zsScoreLabel')}>
                {score.toFixed(2)}
              </span>
            </div>
          );
        })}
      </div>
      <p className="help small" data-testid="zs-verdict">
        {predicted === view.truth ? t('zsVerdictRight', { step: view.step, name: name(predicted) }) : t('zsVerdictWrong', { step: view.step, name: name(predicted) })}
      </p>
      <div className="zs-features-block">
        <span className="grid-label">{t('zsFeatures', { n: view.features.length })}</span>
        <span className="zs-features" dir="ltr" data-testid="zs-features">
          {Array.from(view.features, (v, i) => (
            <span key={i} className="zs-feature" style={{ background: featureColour(v) }} title={v.toFixed(2)} />
          ))}
        </span>
      </div>
      <div className="buttons">
        <button type="button" data-testid="zs-next" onClick={() => client.current?.view(draw + 1, null)}>
          {t('zsNextQuery')}
        </button>
        <button type="button" data-testid="zs-restore" disabled={edited === null} onClick={() => client.current?.view(draw, null)}>
          {t('zsRestore')}
        </button>
      </div>
    </section>
  );
}

const ZeroShotCurves = memo(function ZeroShotCurves({ t }: { t: T }) {
  const losses = useZeroShot((s) => s.losses);
  const evals = useZeroShot((s) => s.evals);
  const { loss, acc } = useMemo(() => {
    const lossSeries: Series[] = [
      { name: 'raw', color: LOSS_COLOUR, points: binned(losses), faint: true, hideInLegend: true },
      { name: t('zsLossChart'), color: LOSS_COLOUR, points: binned(runningMean(losses)) },
    ];
    const last = Math.max(1, evals.at(-1)?.step ?? 1);
    const chance = chanceOf(5);
    const accSeries: Series[] = [
      { name: t('zsHeldOut'), color: HELD_OUT_COLOUR, points: evals.map((e) => ({ x: e.step, y: e.heldOut })), dots: evals.length < 30 },
      { name: t('zsSeen'), color: SEEN_COLOUR, points: evals.map((e) => ({ x: e.step, y: e.seen })) },
      { name: t('zsChance'), color: '#adb5bd', points: [{ x: 0, y: chance }, { x: last, y: chance }], faint: true },
    ];
    return { loss: lossSeries, acc: accSeries };
  }, [losses, evals, t]);
  return (
    <section className="card" data-testid="zs-curves">
      <h2>{t('zsCurvesTitle')}</h2>
      {losses.length < 2 ? (
        <p className="help">{t('zsCurvesEmpty')}</p>
      ) : (
        <div className="two">
          <LineChart series={loss} ariaLabel={t('zsLossChart')} testId="zs-loss-chart" data={{ 'data-points': String(losses.length) }} xLabel={t('metricEpisodes')} />
          <LineChart series={acc} ariaLabel={t('zsAccChart')} testId="zs-acc-chart" data={{ 'data-points': String(evals.length) }} yFromZero xLabel={t('metricEpisodes')} />
        </div>
      )}
      <p className="help small">{t('zsCurvesHelp')}</p>
    </section>
  );
});

const EQUATIONS = [
  { id: 'score', tex: String.raw`r_{q,c} = \sigma\big(g_\varphi([\,h_\psi(\mathbf{a}_c),\; \mathbf{x}_q\,])\big) \in [0, 1]`, text: 'zsEqScore' },
  { id: 'loss', tex: String.raw`L = \frac{1}{QC}\sum_{q,c} \big(r_{q,c} - \mathbb{1}[y_q = c]\big)^2`, text: 'zsEqLoss' },
  { id: 'world', tex: String.raw`\mathbf{x} = \tanh(M\mathbf{a}_c + \mathbf{m}) + \sigma\boldsymbol{\varepsilon}`, text: 'zsEqWorld' },
] as const;

function ZeroShotExplanation({ t }: { t: T }) {
  return (
    <section className="card explanation" data-testid="zs-explanation">
      <h2>
        {t('explanationTitle')}: {t('zsModeZero')}
      </h2>
      {EQUATIONS.map((e) => (
        <div key={e.id} className="eq">
          <Equation tex={e.tex} />
          <p>{t(e.text)}</p>
        </div>
      ))}
    </section>
  );
}

function WorldCard({ t }: { t: T }) {
  const c = DEFAULT_ZERO_SHOT;
  return (
    <section className="card" data-testid="zs-world">
      <h2>{t('zsWorldTitle')}</h2>
      <p className="help">{t('zsWorldBody', { attributes: c.attributes, features: c.features, train: c.trainClasses, test: c.testClasses, noise: c.noise })}</p>
      <p className="help small">{t('zsWorldCli')}</p>
    </section>
  );
}
