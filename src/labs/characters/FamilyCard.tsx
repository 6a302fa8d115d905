import { useCallback, useEffect, useRef, useState } from 'react';
import { OMNIGLOT_ALGORITHMS, type OmniglotAlgorithm } from '../../engine/algorithms/omniglotConfig';
import { INEQUALITY_MEASURES, type InequalityMeasure } from '../../engine/algorithms/sineConfig';
import { parseBackendChoice } from '../../ui/components/BackendPicker';
import { Controls } from '../../ui/components/Controls';
import { Equation } from '../../ui/components/Equation';
import { INEQUALITY_NAME } from '../../ui/components/inequalityMeasures';
import { searchParam } from '../../ui/route';
import { useApp, type Translate } from '../../ui/store';
import { connectWorker, showNotice } from '../../ui/workerClient';
import type { FamilySettings, FamilySource, FamilyView, FromFamilyWorker, ToFamilyWorker } from '../../worker/familyProtocol';
import type { BrowserBackend, Speed } from '../../worker/vocabulary';
import { AdversarialView } from './AdversarialView';
import { ALGORITHM_NAME, defaultsFor, presetOf } from './familyAlgorithms';
import { EMPTY, FamilyCharts, type Curves } from './FamilyCharts';
import { equationsFor } from './familyEquations';
import { currentDrawnEpisode, DrawnEpisodePanel, TrainedControls, type DrawnShown, type Loaded } from './FamilyTrained';
import { NumberField } from './NumberField';
import { useChars } from './store';

const WIDTHS = [8, 16, 32, 64] as const;

/**
 * The gradient-based family on character episodes (issue #6): pick an algorithm, meta-train the
 * conv net live in a worker, and look at one evaluation episode clean and under FGSM attack.
 */
export function FamilyCard({ t }: { t: Translate }) {
  const notify = useApp((s) => s.notify);
  const labSource = useChars((s) => s.source);
  const omniglot = useChars((s) => s.sources.omniglot.dataset);
  const synthetic = useChars((s) => s.sources.synthetic.dataset);
  // Omniglot when the lab shows it and it is loaded; otherwise the synthetic alphabets.
  const source: FamilySource = labSource === 'omniglot' && omniglot ? 'omniglot' : 'synthetic';
  const dataset = source === 'omniglot' ? omniglot : synthetic;

  const worker = useRef<Worker | null>(null);
  const [settings, setSettings] = useState<FamilySettings>(() => defaultsFor('adml'));
  const [epsilon, setEpsilon] = useState(0.2);
  const [speed, setSpeed] = useState<Speed>('normal');
  const [backend, setBackend] = useState<BrowserBackend | null>(null);
  const [ready, setReady] = useState<{ source: FamilySource; evalSplit: 'evaluation' | 'background' } | null>(null);
  const [status, setStatus] = useState({ step: 0, running: false, stepsPerS: 0 });
  const [curves, setCurves] = useState<Curves>(EMPTY);
  const [view, setView] = useState<FamilyView | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [drawn, setDrawn] = useState<DrawnShown | null>(null);

  const send = useCallback((msg: ToFamilyWorker, transfer: Transferable[] = []) => worker.current?.postMessage(msg, transfer), []);

  // The worker (and tfjs with it) starts on the first play or step, not with the page.
  const ensureWorker = useCallback(() => {
    if (worker.current) return true;
    if (typeof Worker === 'undefined') {
      notify({ level: 'error', key: 'noticeWorkerUnsupported' });
      return false;
    }
    const w = new Worker(new URL('../../worker/family.worker.ts', import.meta.url), { type: 'module', name: 'family-training' });
    worker.current = w;
    connectWorker<FromFamilyWorker>(w, (msg) => {
      switch (msg.type) {
        case 'backend':
          setBackend(msg.backend);
          break;
        case 'ready':
          setReady({ source: msg.source, evalSplit: msg.evalSplit });
          setCurves(EMPTY);
          setStatus({ step: 0, running: false, stepsPerS: 0 });
          setLoaded(null);
          break;
        case 'checkpointLoaded':
          // The card takes the net's settings: Reset then starts an untrained net of the same shape.
          setSettings(msg.settings);
          setLoaded({ fileName: msg.fileName, algorithm: msg.algorithm, step: msg.step, settings: msg.settings });
          setCurves(EMPTY);
          setView(null);
          setStatus({ step: msg.step, running: false, stepsPerS: 0 });
          break;
        case 'drawnResult':
          setDrawn((d) => d && { ...d, result: msg.result });
          break;
        case 'snapshot': {
          setStatus({ step: msg.step, running: msg.running, stepsPerS: msg.stepsPerS });
          const acc = msg.accuracy;
          if (msg.losses.length > 0 || acc)
            setCurves((c) => ({
              loss: msg.losses.length > 0 ? [...c.loss, ...msg.losses.map((y, i) => ({ x: msg.step - msg.losses.length + 1 + i, y }))] : c.loss,
              // Accuracy in percent: round axis ticks.
              clean: acc ? [...c.clean.filter((p) => p.x !== acc.step), { x: acc.step, y: 100 * acc.clean }] : c.clean,
              adversarial: acc ? [...c.adversarial.filter((p) => p.x !== acc.step), { x: acc.step, y: 100 * acc.adversarial }] : c.adversarial,
              labelledOnly: acc?.labelledOnly !== undefined ? [...c.labelledOnly.filter((p) => p.x !== acc.step), { x: acc.step, y: 100 * acc.labelledOnly }] : c.labelledOnly,
            }));
          break;
        }
        case 'view':
          setView(msg.view);
          break;
        case 'notice':
          showNotice(msg);
          break;
      }
    }, 'famWorkerError');
    send({ type: 'init', backend: parseBackendChoice(searchParam('backend')) ?? 'auto', settings, probeCache: null });
    send({ type: 'epsilon', epsilon });
    send({ type: 'speed', speed });
    return true;
  }, [notify, send, settings, epsilon, speed]);

  useEffect(
    () => () => {
      worker.current?.terminate();
      worker.current = null;
    },
    [],
  );

  // The data follow the lab's source (a new data set restarts training).
  const started = worker.current !== null;
  const sentData = useRef<unknown>(null);
  useEffect(() => {
    if (!started || !dataset || sentData.current === dataset) return;
    sentData.current = dataset;
    const pixels = dataset.pixels.slice();
    send({ type: 'data', data: { source, imageSize: dataset.imageSize, alphabets: dataset.alphabets, characters: dataset.characters, pixels } }, [pixels.buffer]);
  }, [started, dataset, source, send]);

  /** Starts the worker with the data if it is not running yet; false when it cannot. */
  const boot = () => {
    if (!dataset) return false;
    const fresh = !worker.current;
    if (!ensureWorker()) return false;
    if (fresh) {
      sentData.current = dataset;
      const pixels = dataset.pixels.slice();
      send({ type: 'data', data: { source, imageSize: dataset.imageSize, alphabets: dataset.alphabets, characters: dataset.characters, pixels } }, [pixels.buffer]);
    }
    return true;
  };
  const start = (then: 'play' | 'step') => {
    if (!boot()) return;
    send({ type: then });
    if (then === 'play') setStatus((s) => ({ ...s, running: true }));
  };
  const loadCheckpoint = (text: string, fileName: string) => {
    if (boot()) send({ type: 'loadCheckpoint', text, fileName });
  };
  const classifyDrawn = () => {
    const episode = currentDrawnEpisode();
    if (!episode || !boot()) return;
    setDrawn({ imageSize: episode.imageSize, query: episode.query.slice(), names: episode.classes.map((c) => c.name), result: null });
    send({ type: 'classifyDrawn', episode }, [episode.support.buffer, episode.query.buffer]);
  };

  const change = (next: FamilySettings) => {
    setSettings(next);
    setView(null);
    send({ type: 'reset', settings: next });
  };
  const setField = (field: 'ways' | 'shots' | 'metaBatch' | 'alpha' | 'innerSteps' | 'tamlLambda', value: number) => change({ ...settings, [field]: value });
  const preset = presetOf(settings.algorithm);

  return (
    <section className="card family-card" data-testid="family-card" data-source={source} data-backend={backend ?? ''}>
      <h2>{t('famTitle')}</h2>
      <p className="help">{t('famHelp')}</p>
      <div className="episode-controls">
        <label className="field compact">
          <span>{t('settingAlgorithm')}</span>
          <select value={settings.algorithm} data-testid="fam-algorithm" onChange={(e) => change(defaultsFor(e.target.value as OmniglotAlgorithm, settings))}>
            {OMNIGLOT_ALGORITHMS.map((a) => (
              <option key={a} value={a}>
                {t(ALGORITHM_NAME[a])}
              </option>
            ))}
          </select>
        </label>
        <NumberField label={t('charsWay')} value={settings.ways} min={2} max={20} step={1} testId="fam-ways" onChange={(v) => setField('ways', v)} />
        <NumberField label={t('charsShot')} value={settings.shots} min={1} max={10} step={1} testId="fam-shots" onChange={(v) => setField('shots', v)} />
        <label className="field compact">
          <span>{t('famWidth')}</span>
          <select value={settings.width} data-testid="fam-width" onChange={(e) => change({ ...settings, width: Number(e.target.value) })}>
            {WIDTHS.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
        <NumberField label={t('famMetaBatch')} value={settings.metaBatch} min={1} max={32} step={1} testId="fam-meta-batch" onChange={(v) => setField('metaBatch', v)} />
        <NumberField label={t(settings.algorithm === 'caml' ? 'settingContextAlpha' : 'famAlpha')} value={settings.alpha} min={0.001} max={2} step={0.01} testId="fam-alpha" onChange={(v) => setField('alpha', v)} />
        <NumberField label={t('famInnerSteps')} value={settings.innerSteps} min={1} max={5} step={1} testId="fam-inner-steps" onChange={(v) => setField('innerSteps', v)} />
        {(settings.algorithm === 'taml' || settings.algorithm === 'taml-ineq') && (
          <NumberField label={t(settings.algorithm === 'taml' ? 'famLambda' : 'settingLambda')} value={settings.tamlLambda} min={0} max={10} step={0.05} testId="fam-lambda" onChange={(v) => setField('tamlLambda', v)} />
        )}
        {settings.algorithm === 'taml-ineq' && (
          <label className="field compact">
            <span>{t('settingMeasure')}</span>
            <select value={settings.tamlMeasure} data-testid="fam-measure" onChange={(e) => change({ ...settings, tamlMeasure: e.target.value as InequalityMeasure })}>
              {INEQUALITY_MEASURES.map((m) => (
                <option key={m} value={m}>
                  {t(INEQUALITY_NAME[m])}
                </option>
              ))}
            </select>
          </label>
        )}
        {preset && (
          <button type="button" data-testid="fam-preset-paper" title={preset.citation} onClick={() => change({ ...settings, ...preset.values })}>
            {t('presetPaper')}
          </button>
        )}
      </div>
      <p className="help">
        {t('famSettingsNote', { alg: t(ALGORITHM_NAME[settings.algorithm]), steps: settings.innerSteps })}
        {preset && <> {t('presetPaper')}: {preset.citation}.</>} {t('famBookPresets')}
      </p>
      <Controls
        t={t}
        running={status.running}
        disabled={!dataset}
        step={status.step}
        stepsPerS={status.stepsPerS}
        speed={speed}
        onPlay={() => start('play')}
        onPause={() => {
          send({ type: 'pause' });
          setStatus((s) => ({ ...s, running: false }));
        }}
        onStep={() => start('step')}
        onReset={() => {
          setView(null);
          send({ type: 'reset', settings });
        }}
        onSpeed={(s) => {
          setSpeed(s);
          send({ type: 'speed', speed: s });
        }}
      />
      <TrainedControls t={t} algorithm={settings.algorithm} disabled={!dataset} loaded={loaded} load={loadCheckpoint} />
      <p className="help" data-testid="fam-status" data-eval-split={ready?.evalSplit ?? ''}>
        {t('famTrainingOn', { source: t(source === 'omniglot' ? 'charsSourceOmniglot' : 'charsSourceSynthetic'), n: settings.ways, k: settings.shots })}{' '}
        {ready?.evalSplit === 'background' ? t('famEvalOnBackground') : t('famEvalOnEvaluation')}
        {backend && (
          <>
            {' '}
            <span className={`badge badge-${backend}`}>{backend}</span>
          </>
        )}
      </p>
      <FamilyCharts t={t} curves={curves} epsilon={epsilon} />
      <div className="equations family-equations">
        {equationsFor(settings).map((eq) => (
          <div key={eq.text}>
            <Equation tex={eq.tex} />
            <p className="help">{t(eq.text)}</p>
          </div>
        ))}
      </div>
      <h3>{t('famAdvTitle')}</h3>
      <p className="help">{t('famAdvHelp')}</p>
      <div className="episode-controls">
        <label className="slider fam-epsilon">
          <span>
            {t('famEpsilon')} <strong data-testid="fam-epsilon-value">{epsilon.toFixed(2)}</strong>
          </span>
          <input
            type="range"
            min={0}
            max={0.5}
            step={0.01}
            value={epsilon}
            data-testid="fam-epsilon"
            onChange={(e) => {
              const v = Number(e.target.value);
              setEpsilon(v);
              send({ type: 'epsilon', epsilon: v });
            }}
          />
        </label>
        <button type="button" disabled={!view} data-testid="fam-new-episode" onClick={() => send({ type: 'newEpisode' })}>
          ⟳ {t('charsNewEpisode')}
        </button>
      </div>
      {view ? <AdversarialView t={t} view={view} /> : <p className="muted">{t('famWaiting')}</p>}
      <DrawnEpisodePanel t={t} disabled={!dataset} shown={drawn} classify={classifyDrawn} />
    </section>
  );
}
