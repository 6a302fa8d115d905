import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MetricMethod } from '../../engine/algorithms/metric/types';
import { TransportBar, type TransportActions } from '../../ui/components/TransportBar';
import { downloadText } from '../../ui/components/labHooks';
import { CheckpointFileInput, loadShippedCheckpoints, readBackendLink, useCheckpointFile, useLabTransport } from '../../ui/components/labPage';
import { DivergedCard, divergedLossText } from '../../ui/components/DivergedCard';
import { replaceHash } from '../../ui/route';
import { useApp, useT, type Translate } from '../../ui/store';
import { recentMean, useTrainingStatus } from '../../ui/trainingStatus';
import { METHOD_COLOURS } from './colours';
import { DrawYourOwnCard, loadExample, PairCard, useDrawn } from './DrawYourOwn';
import { EmbeddingCard } from './EmbeddingCard';
import { MethodPicker } from './MethodPicker';
import { methodName } from './methods';
import { MetricWorkerClient } from './metricWorkerClient';
import { ArenaCard, CurvesCard, ExplanationCard } from './panels';
import { SettingsPanel } from './SettingsCard';
import { metricLinkParams, parseMetricLink } from './settings';
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
    // A link that opens the zero-shot view starts its worker on the link's backend: the toolbar's
    // choice (backendRef) only holds it from the next render on.
    if (modeRef.current === 'zero') zeroClient.current = new ZeroShotWorkerClient(choice, speedRef.current);
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
