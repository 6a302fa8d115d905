import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { METRIC_METHODS, type MetricMethod } from '../../engine/algorithms/metric/types';
import { TransportBar, type TransportActions } from '../../ui/components/TransportBar';
import { downloadText } from '../../ui/components/labHooks';
import { CheckpointFileInput, loadShippedCheckpoints, readBackendLink, useCheckpointFile, useLabTransport } from '../../ui/components/labPage';
import { DivergedCard, divergedLossText } from '../../ui/components/DivergedCard';
import { replaceHash } from '../../ui/route';
import { useApp, useT, type Translate } from '../../ui/store';
import { recentMean, useTrainingStatus } from '../../ui/trainingStatus';
import type { MetricSettings } from '../../worker/metricProtocol';
import { METHOD_COLOURS } from './colours';
import { DrawYourOwnCard, loadExample, PairCard, useDrawn } from './DrawYourOwn';
import { AssignmentBars, AttentionBars, EmbeddingPlot, EpisodeImages, QueryReason, RelationHeatmap } from './EmbeddingView';
import { methodName } from './methods';
import { MetricWorkerClient } from './metricWorkerClient';
import { ArenaCard, CurvesCard, ExplanationCard } from './panels';
import { MAX_SHOTS, MAX_WAYS, metricLinkParams, parseMetricLink, WIDTHS } from './settings';
import { etaSeconds, formatDuration, useMetricLab } from './store';
import { ZeroShotLab } from './ZeroShotLab';
import { useZeroShot } from './zeroShotStore';
import { ZeroShotWorkerClient } from './zeroShotWorkerClient';
import './metric.css';

/**
 * Networks trained with the CLI on real Omniglot, shipped in public/examples (docs/benchmarks.md,
 * issue #5), with their 5-way 5-shot accuracy on unseen alphabets. Protonet loads last, so it is
 * the method on screen; both then take part in draw-your-own and the arena.
 */
const TRAINED = { files: ['matching-omniglot.json', 'protonet-omniglot.json'], protonet: '97.2%', matching: '94.9%' };

type T = Translate;
type Mode = 'few' | 'zero';

/** #/metric — learning to compare: Siamese, prototypical, matching and relation networks, trained live. */
export default function MetricLab({ params }: { params: URLSearchParams }) {
  const t = useT();
  const notify = useApp((s) => s.notify);
  const client = useRef<MetricWorkerClient | null>(null);
  const settings = useMetricLab((s) => s.settings);
  const method = settings.method;
  // Few-shot methods, or the zero-shot relation network (its own worker, started when first shown).
  const [mode, setMode] = useState<Mode>(() => (params.get('view') === 'zeroshot' ? 'zero' : 'few'));
  const modeRef = useRef<Mode>(mode);
  const zeroClient = useRef<ZeroShotWorkerClient | null>(null);
  // The toolbar's commands and keys go to the worker of the view on screen.
  const transportClient = useMemo(() => ({ get current() { return modeRef.current === 'zero' ? zeroClient.current : client.current; } }), []);

  useEffect(() => {
    const link = parseMetricLink(params);
    if (link.invalid.length > 0) notify({ level: 'warning', key: 'noticeBadLink', params: { fields: link.invalid.join(', ') } });
    const choice = readBackendLink(params);
    setBackendChoice(choice);
    useMetricLab.setState({ settings: link.settings, draft: link.settings, backend: null, running: false, step: 0, curves: {}, trained: {}, embedding: null, drawn: null, pair: null, arena: null, diverged: null, selectedQuery: 0, draw: 0, shuffle: 0 });
    if (useDrawn.getState().example === null && useDrawn.getState().query.length === 0) void loadExample(0);
    if (typeof Worker === 'undefined') {
      notify({ level: 'error', key: 'noticeWorkerUnsupported' });
      return;
    }
    const c = new MetricWorkerClient(choice, link.settings);
    client.current = c;
    return () => {
      c.terminate();
      client.current = null;
    };
    // The link is read once when the lab opens; later changes are written by the lab itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const p = metricLinkParams(settings);
    if (mode === 'zero') p.set('view', 'zeroshot');
    replaceHash('/metric', p);
  }, [settings, mode]);

  const reset = useCallback(() => (modeRef.current === 'zero' ? zeroClient.current?.reset() : client.current?.reset(useMetricLab.getState().draft)), []);
  const isRunning = useCallback(() => (modeRef.current === 'zero' ? useZeroShot.getState().running : useMetricLab.getState().running), []);
  const forgetBackend = useCallback(() => (modeRef.current === 'zero' ? useZeroShot.setState({ backend: null }) : useMetricLab.setState({ backend: null })), []);
  const { actions, backendChoice, setBackendChoice } = useLabTransport(t, transportClient, { reset, isRunning, forgetBackend });

  // The zero-shot worker starts the first time its view is shown and lives as long as the lab.
  const speedRef = useRef(actions.speed);
  const backendRef = useRef(backendChoice);
  useEffect(() => {
    speedRef.current = actions.speed;
    backendRef.current = backendChoice;
  });
  useEffect(() => {
    modeRef.current = mode;
    if (mode === 'zero' && zeroClient.current === null && typeof Worker !== 'undefined') zeroClient.current = new ZeroShotWorkerClient(backendRef.current, speedRef.current);
  }, [mode]);
  useEffect(
    () => () => {
      zeroClient.current?.terminate();
      zeroClient.current = null;
    },
    [],
  );
  const chooseMode = (m: Mode) => {
    if (m === mode) return;
    // Only the view on screen trains.
    (mode === 'zero' ? zeroClient.current : client.current)?.pause();
    setMode(m);
  };

  const chooseMethod = (m: MetricMethod) => {
    const s = useMetricLab.getState();
    const next = { ...s.settings, method: m };
    useMetricLab.setState({ draft: { ...s.draft, method: m }, selectedQuery: 0, shuffle: 0 });
    client.current?.configure(next);
  };

  useEffect(() => {
    if (!client.current) return;
    client.current.onCheckpoint = (text, m, at) => downloadText(`metric-${m}-step${at}.json`, text);
  });
  const loadFile = useCheckpointFile((text, fileName) => client.current?.send({ type: 'loadCheckpoint', text, fileName }));

  const newEpisode = (shuffleOnly: boolean) => {
    const s = useMetricLab.getState();
    const draw = shuffleOnly ? s.draw : s.draw + 1;
    const shuffle = shuffleOnly ? s.shuffle + 1 : 0;
    useMetricLab.setState({ draw, shuffle, selectedQuery: shuffleOnly ? s.selectedQuery : 0 });
    client.current?.episode(draw, shuffle);
  };

  const modeSwitch = (
    <div className="mode-switch segmented" role="group" aria-label={t('zsModeLabel')} data-testid="mode-switch">
      {(['few', 'zero'] as const).map((m) => (
        <button key={m} type="button" className={m === mode ? 'on' : undefined} aria-pressed={m === mode} data-testid={`mode-${m}`} onClick={() => chooseMode(m)}>
          {t(m === 'few' ? 'zsModeFew' : 'zsModeZero')}
        </button>
      ))}
    </div>
  );

  if (mode === 'zero')
    return (
      <div className="lab metric-lab">
        <ZeroShotLab t={t} actions={actions} client={zeroClient} header={modeSwitch} />
      </div>
    );

  return (
    <div className="lab metric-lab">
      <Toolbar {...actions} />
      <DivergedBanner t={t} onReset={reset} />
      {modeSwitch}
      <MethodPicker t={t} onChoose={chooseMethod} />
      <div className="lab-grid">
        <div className="main-col">
          <EmbeddingCard t={t} onEpisode={newEpisode} />
          <CurvesCard t={t} />
          <DrawYourOwnCard t={t} onClassify={(ways, shots, support, query) => client.current?.classifyDrawn(ways, shots, { count: ways * shots, pixels: support }, { count: query.length / 784, pixels: query })} />
          <ArenaCard t={t} onRun={(episodes, ways, shots) => client.current?.send({ type: 'arena', episodes, ways, shots })} />
        </div>
        <div className="side-col">
          <ExplanationCard t={t} method={method} />
          <SettingsPanel t={t} onApply={() => client.current?.configure(useMetricLab.getState().draft)} />
          {method === 'siamese' && <PairCard t={t} onPair={(a, b) => client.current?.pair(a, b)} />}
          <section className="card">
            <h2>{t('checkpoints')}</h2>
            <div className="buttons">
              <button type="button" data-testid="save-model" onClick={() => client.current?.send({ type: 'saveCheckpoint' })}>
                {t('metricSaveModel')}
              </button>
              <CheckpointFileInput t={t} onFile={loadFile} />
              <button type="button" data-testid="load-trained-networks" onClick={() => void loadShippedCheckpoints(TRAINED.files, (text, fileName) => client.current?.send({ type: 'loadCheckpoint', text, fileName }))}>
                {t('metricLoadTrained')}
              </button>
            </div>
            <p className="help">{t('metricLoadTrainedHelp', { proto: TRAINED.protonet, matching: TRAINED.matching })}</p>
            <p className="help">
              {t('metricCheckpointHelp')} {t('dropHint')}
            </p>
          </section>
        </div>
      </div>
    </div>
  );
}

function Toolbar(props: TransportActions) {
  const { t } = props;
  const status = useTrainingStatus(useMetricLab);
  const { running, step, stepsPerS } = status;
  const diverged = useMetricLab((s) => s.diverged !== null);
  const preparing = useMetricLab((s) => s.preparing);
  const method = useMetricLab((s) => s.settings.method);
  const target = useMetricLab((s) => s.settings.episodes);
  const loss = useMetricLab((s) => recentMean(s.curves[s.settings.method]?.losses ?? []));
  const acc = useMetricLab((s) => recentMean(s.curves[s.settings.method]?.accuracies ?? []));
  const eta = etaSeconds(step, target, stepsPerS);
  const done = Math.min(1, step / target);
  return (
    <TransportBar
      {...props}
      {...status}
      disabled={diverged || status.backend === null || preparing}
      progress={
        <div className="progress" data-testid="progress" data-done={done.toFixed(3)} title={t('metricProgressTitle', { n: target })}>
          <progress max={1} value={done} aria-label={t('metricProgressTitle', { n: target })} />
          <span className="muted">
            {step}/{target}
            {step < target && running && eta !== null ? ` · ${t('metricEta', { time: formatDuration(eta) })}` : ''}
            {step >= target ? ` · ${t('metricBudgetDone')}` : ''}
          </span>
        </div>
      }
    >
      <span className="metric" data-testid="metric-loss" data-value={loss !== undefined ? loss.toFixed(5) : ''} data-accuracy={acc !== undefined ? acc.toFixed(4) : ''} style={{ borderColor: METHOD_COLOURS[method] }}>
        {methodName(t, method)}:{' '}
        {loss === undefined && step > 0
          ? t('metricNoCurveYet') // a loaded checkpoint carries weights, not its training curve
          : `${t('metricLossShort')} ${loss !== undefined ? loss.toFixed(3) : '—'} · ${t('metricAccShort')} ${acc !== undefined ? `${(100 * acc).toFixed(0)}%` : '—'}`}
      </span>
    </TransportBar>
  );
}

function DivergedBanner({ t, onReset }: { t: T; onReset: () => void }) {
  const d = useMetricLab((s) => s.diverged);
  if (!d) return null;
  return <DivergedCard t={t} onReset={onReset} body={t('metricDivergedBody', { step: d.step, loss: divergedLossText(d.loss) })} />;
}

/** The methods the engine has, as one segmented control, and the chosen method's own options. */
function MethodPicker({ t, onChoose }: { t: T; onChoose: (m: MetricMethod) => void }) {
  const available = useMetricLab((s) => s.available);
  const method = useMetricLab((s) => s.settings.method);
  const trained = useMetricLab((s) => s.trained);
  const shown = available.length > 0 ? METRIC_METHODS.filter((m) => available.includes(m)) : [method];
  return (
    <div className="method-picker segmented" role="group" aria-label={t('metricMethod')} data-testid="method-picker">
      {shown.map((m) => (
        <button key={m} type="button" className={m === method ? 'on' : undefined} aria-pressed={m === method} data-testid={`method-${m}`} onClick={() => onChoose(m)}>
          <span className="swatch" style={{ background: METHOD_COLOURS[m] }} /> {methodName(t, m)}
          {(trained[m] ?? 0) > 0 && <span className="count">{trained[m]}</span>}
        </button>
      ))}
    </div>
  );
}

function EmbeddingCard({ t, onEpisode }: { t: T; onEpisode: (shuffleOnly: boolean) => void }) {
  const view = useMetricLab((s) => s.embedding);
  const method = useMetricLab((s) => s.settings.method);
  const fce = useMetricLab((s) => s.settings.fce);
  const preparing = useMetricLab((s) => s.preparing);
  const stale = view !== null && view.method !== method;
  return (
    <section className="card" data-testid="embedding-card">
      <h2>{t('metricEmbeddingTitle')}</h2>
      <p className="help">{t('metricEmbeddingHelp')}</p>
      {view === null ? (
        <p className="help busy-note">{preparing ? t('metricPreparing') : t('metricWaiting')}</p>
      ) : (
        <>
          <div className={`embedding-layout${stale ? ' stale' : ''}`}>
            <div className="embedding-figure">
              <EmbeddingPlot t={t} view={view} />
              <p className="help small" dir="auto">
                {t('metricEmbeddingCaption', { step: view.step, explained: (100 * view.explained).toFixed(0) })}
              </p>
            </div>
            <div className="embedding-side">
              <EpisodeImages t={t} view={view} />
              <QueryReason t={t} view={view} />
            </div>
          </div>
          <div className="buttons">
            <button type="button" data-testid="next-episode" onClick={() => onEpisode(false)}>
              {t('metricNextEpisode')}
            </button>
            {method === 'matching' && (
              <button type="button" data-testid="shuffle-support" onClick={() => onEpisode(true)} title={fce ? t('metricShuffleFceHelp') : t('metricShuffleNoFceHelp')}>
                {t('metricShuffleSupport')}
              </button>
            )}
          </div>
          {method === 'matching' && <p className="help small">{fce ? t('metricShuffleFceHelp') : t('metricShuffleNoFceHelp')}</p>}
          <AttentionBars t={t} view={view} />
          <RelationHeatmap t={t} view={view} />
          <AssignmentBars t={t} view={view} />
          <div className="legend embedding-legend">
            <span>● {t('metricLegendSupport')}</span>
            <span>○ {t('metricLegendQuery')}</span>
            {view.prototypes2d && <span>★ {t('metricLegendPrototype')}</span>}
            {view.ellipses && <span>◯ {t('metricLegendRegion')}</span>}
            {view.unlabeled2d && <span>□ {t('metricLegendUnlabeled')}</span>}
          </div>
        </>
      )}
    </section>
  );
}

function SettingsPanel({ t, onApply }: { t: T; onApply: () => void }) {
  const draft = useMetricLab((s) => s.draft);
  const settings = useMetricLab((s) => s.settings);
  const info = useMetricLab((s) => s.sourceInfo);
  const changed = (Object.keys(draft) as (keyof MetricSettings)[]).some((k) => draft[k] !== settings[k]);
  const set = <K extends keyof MetricSettings>(k: K, v: MetricSettings[K]) => useMetricLab.setState((s) => ({ draft: { ...s.draft, [k]: v } }));
  const m = draft.method;
  const select = <K extends keyof MetricSettings>(k: K, label: string, options: { value: MetricSettings[K]; label: string }[]) => (
    <label className="field">
      <span>{label}</span>
      <select
        data-testid={`setting-${k}`}
        value={String(draft[k])}
        onChange={(e) => {
          const o = options.find((x) => String(x.value) === e.target.value);
          if (o) set(k, o.value);
        }}
      >
        {options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  // A checkpoint may bring a value outside the lab's choices (e.g. 60-way training): it is listed too.
  const range = (lo: number, hi: number, current: number) => {
    const out = Array.from({ length: hi - lo + 1 }, (_, i) => ({ value: lo + i, label: String(lo + i) }));
    return current >= lo && current <= hi ? out : out.concat({ value: current, label: String(current) });
  };
  return (
    <section className="card" data-testid="settings">
      <h2>{t('settings')}</h2>
      <div className="fields">
        {select('ways', t('metricWays'), range(2, MAX_WAYS, draft.ways))}
        {select('shots', t('metricShots'), range(1, MAX_SHOTS, draft.shots))}
        {select(
          'width',
          t('metricWidth'),
          WIDTHS.map((w) => ({ value: w, label: String(w) })),
        )}
        {m === 'siamese' &&
          select('siameseLoss', t('metricSiameseLoss'), [
            { value: 'contrastive', label: t('metricContrastive') },
            { value: 'triplet', label: t('metricTriplet') },
          ])}
        {m === 'gaussian-protonet' &&
          select('covariance', t('metricCovariance'), [
            { value: 'radius', label: t('metricRadius') },
            { value: 'diagonal', label: t('metricDiagonal') },
          ])}
        {m === 'gaussian-protonet' &&
          select('transform', t('metricTransform'), [
            { value: 'softplus', label: '1 + softplus(s)' },
            { value: 'sigmoid', label: '1 + sigmoid(s)' },
            { value: 'sigmoid4', label: '1 + 4·sigmoid(s)' },
            { value: 'learned', label: t('metricTransformLearned') },
          ])}
        {m === 'semi-protonet' &&
          select('semiVariant', t('metricSemiVariant'), [
            { value: 'soft-kmeans', label: t('metricSoftKmeans') },
            { value: 'distractor', label: t('metricDistractor') },
            { value: 'masked', label: t('metricMasked') },
          ])}
        {m === 'matching' &&
          select('fce', t('metricFce'), [
            { value: false, label: t('metricOff') },
            { value: true, label: t('metricOn') },
          ])}
        {m === 'matching' &&
          select('cosineScale', t('metricCosineScale'), [
            { value: true, label: t('metricScaleLearned') },
            { value: false, label: t('metricScalePaper') },
          ])}
        {select('episodes', t('metricBudget'), [200, 500, 1000, 2000, 5000, 10000, 20000].map((n) => ({ value: n, label: String(n) })).concat(
          [200, 500, 1000, 2000, 5000, 10000, 20000].includes(draft.episodes) ? [] : [{ value: draft.episodes, label: String(draft.episodes) }],
        ))}
        {select('source', t('metricSource'), [
          { value: 'synthetic', label: t('metricSourceSynthetic') },
          { value: 'omniglot', label: t('metricSourceOmniglot') },
        ])}
        <label className="field">
          <span>{t('settingSeed')}</span>
          <input
            type="number"
            min={0}
            step={1}
            value={draft.seed}
            data-testid="setting-seed"
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 0) set('seed', n);
            }}
          />
        </label>
      </div>
      {info && (
        <p className="help small" data-testid="source-info">
          {t('metricSourceInfo', { source: info.source === 'omniglot' ? t('metricSourceOmniglot') : t('metricSourceSynthetic'), alphabets: info.alphabets, characters: info.characters })}
        </p>
      )}
      <p className="help small">{t('metricSettingsHelp')}</p>
      {changed && <p className="help warn">{t('settingsChanged')}</p>}
      <button type="button" className={changed ? 'primary' : undefined} data-testid="apply-settings" onClick={onApply}>
        {t('metricApply')}
      </button>
    </section>
  );
}
