import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { OMNIGLOT_ALGORITHMS, OMNIGLOT_PRESETS, omniglotConfigFor, type OmniglotAlgorithm } from '../../engine/algorithms/omniglotConfig';
import { INEQUALITY_MEASURES, type InequalityMeasure } from '../../engine/algorithms/sineConfig';
import { parseBackendChoice } from '../../ui/components/BackendPicker';
import { Controls } from '../../ui/components/Controls';
import { Equation } from '../../ui/components/Equation';
import { ImageGrid } from '../../ui/components/ImageGrid';
import { INEQUALITY_NAME, INEQUALITY_TEX } from '../../ui/components/inequalityMeasures';
import { LineChart, type Series } from '../../ui/components/LineChart';
import { useThrottled } from '../../ui/components/useThrottled';
import type { MessageKey } from '../../i18n/messages';
import { searchParam } from '../../ui/route';
import { useApp, type Translate } from '../../ui/store';
import type { FamilySettings, FamilySource, FamilyView, FromFamilyWorker, ToFamilyWorker } from '../../worker/familyProtocol';
import type { BrowserBackend, Speed } from '../../worker/vocabulary';
import { QUERY_COLOUR, SUPPORT_COLOUR } from './colours';
import { useChars } from './store';

const ALGORITHM_NAME: Record<OmniglotAlgorithm, MessageKey> = {
  maml: 'maml',
  fomaml: 'fomaml',
  reptile: 'algReptile',
  metasgd: 'algMetaSgd',
  taml: 'algTamlEntropy',
  adml: 'algAdml',
  'maml-ga': 'algMamlGa',
  'reptile-ga': 'algReptileGa',
  'taml-ineq': 'algTaml',
  caml: 'algCaml',
  daml: 'algDaml',
  'meta-lstm': 'algMetaLstm',
};
const WIDTHS = [8, 16, 32, 64] as const;
const RIGHT = '#2f9e44';
const WRONG = '#e03131';
const LOSS_COLOUR = '#1c7ed6';
const ADV_COLOUR = '#d9480f';

/** The card's defaults: a browser-sized net (16 filters, 2 tasks per step); the CLI's default width is 32. */
function defaultsFor(algorithm: OmniglotAlgorithm, keep?: Pick<FamilySettings, 'ways' | 'shots' | 'width' | 'metaBatch' | 'seed'>): FamilySettings {
  const c = omniglotConfigFor(algorithm);
  return { algorithm, ways: keep?.ways ?? 5, shots: keep?.shots ?? 1, width: keep?.width ?? 16, metaBatch: keep?.metaBatch ?? 2, alpha: algorithm === 'caml' ? c.contextAlpha : c.alpha, innerSteps: c.innerSteps, tamlLambda: c.tamlLambda, tamlMeasure: c.tamlMeasure, seed: keep?.seed ?? 0 };
}

/** The card's part of a paper preset (β and CAML's context size and FiLM block are the defaults already). */
function presetOf(algorithm: OmniglotAlgorithm): { values: Partial<FamilySettings>; citation: string } | undefined {
  const p = OMNIGLOT_PRESETS[algorithm];
  if (!p) return undefined;
  const { ways, shots, width, metaBatch, innerSteps, tamlLambda, tamlMeasure } = p.values;
  const alpha = algorithm === 'caml' ? p.values.contextAlpha : p.values.alpha;
  const values: Partial<FamilySettings> = { ways, shots, width, metaBatch, alpha, innerSteps, tamlLambda, tamlMeasure };
  for (const k of Object.keys(values) as (keyof FamilySettings)[]) if (values[k] === undefined) delete values[k];
  return { values, citation: p.citation };
}

type Eq = { tex: string; text: MessageKey };
const INNER: Eq = { tex: String.raw`\theta'_i = \theta - \alpha \nabla_\theta \mathcal{L}\big(\theta;\, \mathcal{D}^{\text{s}}_i\big)`, text: 'famEqInner' };
const OUTER: Eq = { tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \textstyle\sum_i \mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuter' };
const EQUATIONS: Record<OmniglotAlgorithm, Eq[]> = {
  maml: [INNER, OUTER],
  fomaml: [INNER, { tex: String.raw`\theta \leftarrow \theta - \beta \textstyle\sum_i \nabla_{\theta'_i} \mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuterFo' }],
  reptile: [
    { tex: String.raw`\theta'_i = \mathrm{SGD}^k\big(\theta;\, \mathcal{D}^{\text{s}}_i, \mathcal{D}^{\text{q}}_i, \dots\big)`, text: 'famEqInnerReptile' },
    { tex: String.raw`\theta \leftarrow \theta + \epsilon\, \tfrac1n \textstyle\sum_i (\theta'_i - \theta)`, text: 'famEqOuterReptile' },
  ],
  metasgd: [
    { tex: String.raw`\theta'_i = \theta - \boldsymbol{\alpha} \circ \nabla_\theta \mathcal{L}\big(\theta;\, \mathcal{D}^{\text{s}}_i\big)`, text: 'famEqInnerMetaSgd' },
    { tex: String.raw`(\theta, \boldsymbol{\alpha}) \leftarrow (\theta, \boldsymbol{\alpha}) - \beta \nabla_{(\theta, \boldsymbol{\alpha})} \textstyle\sum_i \mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuterMetaSgd' },
  ],
  taml: [
    INNER,
    {
      tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \textstyle\sum_i \Big[\mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big) + \lambda\big(-H(f_\theta(x^{\text{q}}_i)) + H(f_{\theta'_i}(x^{\text{q}}_i))\big)\Big]`,
      text: 'famEqOuterTaml',
    },
  ],
  'maml-ga': [INNER, { tex: String.raw`\theta \leftarrow \theta - \beta \textstyle\sum_i w_i g_i, \quad w_i = \frac{\sum_j g_i^\top g_j}{\sum_k \left|\sum_j g_k^\top g_j\right|}, \quad g_i = \nabla_\theta \mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'lsEqGa' }],
  'reptile-ga': [
    { tex: String.raw`\theta'_i = \mathrm{SGD}^k\big(\theta;\, \mathcal{D}^{\text{s}}_i, \mathcal{D}^{\text{q}}_i, \dots\big)`, text: 'famEqInnerReptile' },
    { tex: String.raw`\theta \leftarrow \theta - \epsilon \textstyle\sum_i w_i g_i, \quad g_i = \theta - \theta'_i`, text: 'lsEqGa' },
  ],
  'taml-ineq': [
    INNER,
    { tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \Big[\tfrac1n \textstyle\sum_i \mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big) + \lambda\, I\big(\{\mathcal{L}(\theta;\, \mathcal{D}^{\text{s}}_i)\}_i\big)\Big]`, text: 'famEqOuterTamlIneq' },
  ],
  adml: [
    { tex: String.raw`x^{\text{adv}} = x + \varepsilon\, \operatorname{sign}\big(\nabla_x J(\theta, x, y)\big)`, text: 'famEqFgsm' },
    { tex: String.raw`\theta'_{i,\text{clean}} = \theta - \alpha \nabla_\theta \mathcal{L}\big(\theta;\, \mathcal{D}^{\text{s}}_i\big), \quad \theta'_{i,\text{adv}} = \theta - \alpha \nabla_\theta \mathcal{L}\big(\theta;\, \mathcal{D}^{\text{s,adv}}_i\big)`, text: 'famEqInnerAdml' },
    { tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \textstyle\sum_i \Big[\mathcal{L}\big(\theta'_{i,\text{adv}};\, \mathcal{D}^{\text{q}}_i\big) + \mathcal{L}\big(\theta'_{i,\text{clean}};\, \mathcal{D}^{\text{q,adv}}_i\big)\Big]`, text: 'famEqOuterAdml' },
  ],
  caml: [
    { tex: String.raw`\phi'_i = -\alpha_{\phi} \nabla_\phi \mathcal{L}\big(\theta, \phi;\, \mathcal{D}^{\text{s}}_i\big)\big|_{\phi = 0}, \quad h_3 \leftarrow (1 + \gamma) \odot h_3 + \delta, \quad [\gamma, \delta] = W\phi + b`, text: 'famEqInnerCaml' },
    { tex: String.raw`(\theta, W, b) \leftarrow (\theta, W, b) - \beta \nabla_{(\theta, W, b)} \textstyle\sum_i \mathcal{L}\big(\theta, \phi'_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuterCaml' },
  ],
  daml: [
    { tex: String.raw`\theta'_i = \theta - \alpha \nabla_\theta \mathcal{L}\big(\theta;\, \mathcal{D}^{\text{s}}_i\big), \quad \theta''_i = \theta'_i - \alpha_\psi \nabla_{\theta'_i} \tfrac1N \textstyle\sum_n \big\|\psi\big(f_{\theta'_i}(x^{\text{q}}_n), h_{\theta'_i}(x^{\text{q}}_n)\big)\big\|^2`, text: 'famEqInnerDaml' },
    { tex: String.raw`(\theta, \psi) \leftarrow (\theta, \psi) - \beta \nabla_{(\theta, \psi)} \textstyle\sum_i \mathcal{L}\big(\theta''_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuterDaml' },
  ],
  'meta-lstm': [
    { tex: String.raw`c_t = f_t \odot c_{t-1} + i_t \odot \big({-\nabla_{\theta_{t-1}}} \mathcal{L}\big(\theta_{t-1};\, \mathcal{D}^{\text{s}}_i\big)\big), \quad \theta_t = c_t, \quad t = 1, \dots, T`, text: 'famEqInnerMetaLstm' },
    {
      tex: String.raw`i_t = \sigma\big(W_I \cdot [\tilde\nabla_t, \tilde{\mathcal{L}}_t, \theta_{t-1}, i_{t-1}] + b_I\big), \quad f_t = \sigma\big(W_F \cdot [\tilde\nabla_t, \tilde{\mathcal{L}}_t, \theta_{t-1}, f_{t-1}] + b_F\big)`,
      text: 'famEqGatesMetaLstm',
    },
    { tex: String.raw`(c_0, W_I, b_I, W_F, b_F) \leftarrow (c_0, W_I, b_I, W_F, b_F) - \beta \nabla \textstyle\sum_i \mathcal{L}\big(\theta_{i,T};\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuterMetaLstm' },
  ],
};

/** The algorithm's equations; inequality TAML adds the formula of the chosen measure. */
function equationsFor(s: Pick<FamilySettings, 'algorithm' | 'tamlMeasure'>): Eq[] {
  const eqs = EQUATIONS[s.algorithm];
  return s.algorithm === 'taml-ineq' ? [...eqs, { tex: INEQUALITY_TEX[s.tamlMeasure], text: 'eqTamlMeasure' }] : eqs;
}

interface Curves {
  loss: { x: number; y: number }[];
  clean: { x: number; y: number }[];
  adversarial: { x: number; y: number }[];
  /** DAML: clean accuracy without its learned-loss steps. */
  labelledOnly: { x: number; y: number }[];
}
const EMPTY: Curves = { loss: [], clean: [], adversarial: [], labelledOnly: [] };

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
    w.onmessage = (e: MessageEvent<FromFamilyWorker>) => {
      const msg = e.data;
      switch (msg.type) {
        case 'backend':
          setBackend(msg.backend);
          break;
        case 'ready':
          setReady({ source: msg.source, evalSplit: msg.evalSplit });
          setCurves(EMPTY);
          setStatus({ step: 0, running: false, stepsPerS: 0 });
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
          notify({ level: msg.level, key: msg.key, params: msg.params });
          break;
      }
    };
    w.onerror = (e) => notify({ level: 'error', key: 'famWorkerError', params: { reason: e.message || 'unknown' } });
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

  const start = (then: 'play' | 'step') => {
    if (!dataset) return;
    const fresh = !worker.current;
    if (!ensureWorker()) return;
    if (fresh) {
      sentData.current = dataset;
      const pixels = dataset.pixels.slice();
      send({ type: 'data', data: { source, imageSize: dataset.imageSize, alphabets: dataset.alphabets, characters: dataset.characters, pixels } }, [pixels.buffer]);
    }
    send({ type: then });
    if (then === 'play') setStatus((s) => ({ ...s, running: true }));
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
    </section>
  );
}

function NumberField({ label, value, min, max, step, testId, onChange }: { label: string; value: number; min: number; max: number; step: number; testId: string; onChange: (v: number) => void }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  return (
    <label className="field compact">
      <span>{label}</span>
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={text}
        data-testid={testId}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          const v = Number(text);
          const ok = text.trim() !== '' && Number.isFinite(v) && v >= min && v <= max && (step !== 1 || Number.isInteger(v));
          if (ok && v !== value) onChange(v);
          else if (!ok) setText(String(value));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        }}
      />
    </label>
  );
}

const FamilyCharts = memo(function FamilyCharts({ t, curves, epsilon }: { t: Translate; curves: Curves; epsilon: number }) {
  const shown = useThrottled(curves, 250);
  const lossSeries: Series[] = useMemo(() => [{ name: t('famLossSeries'), color: LOSS_COLOUR, points: shown.loss, dots: shown.loss.length < 30 }], [shown.loss, t]);
  const accSeries: Series[] = useMemo(
    () => [
      { name: t('famAccClean'), color: RIGHT, points: shown.clean, dots: true },
      { name: t('famAccAdv', { eps: epsilon.toFixed(2) }), color: ADV_COLOUR, points: shown.adversarial, dots: true },
      ...(shown.labelledOnly.length > 0 ? [{ name: t('famAccWithoutLearned'), color: LOSS_COLOUR, points: shown.labelledOnly, dots: true }] : []),
    ],
    [shown.clean, shown.adversarial, shown.labelledOnly, epsilon, t],
  );
  const last = shown.loss.at(-1);
  return (
    <div className="family-charts">
      <LineChart series={lossSeries} xLabel={t('outerStep')} ariaLabel={t('famLossChart')} testId="fam-loss-chart" data={{ 'data-points': String(shown.loss.length), 'data-last': last ? last.y.toFixed(4) : '' }} />
      <LineChart
        series={accSeries}
        yFromZero
        xLabel={t('outerStep')}
        ariaLabel={t('famAccChart')}
        testId="fam-acc-chart"
        data={{ 'data-points': String(shown.clean.length), 'data-clean': shown.clean.at(-1)?.y.toFixed(1), 'data-adversarial': shown.adversarial.at(-1)?.y.toFixed(1), 'data-labelled-only': shown.labelledOnly.at(-1)?.y.toFixed(1) }}
      />
    </div>
  );
});

/** Rows: classes; per row the support images, then the query images. Three panels: clean, FGSM, perturbation. */
const AdversarialView = memo(function AdversarialView({ t, view }: { t: Translate; view: FamilyView }) {
  const presentation = useApp((s) => s.presentation);
  const cell = presentation ? 40 : 30;
  const { nWay: n, kShot: k, qQuery: q, imageSize } = view;
  const cols = k + q;
  const layout = useMemo(() => {
    const px = imageSize * imageSize;
    const total = n * cols;
    const clean = new Float32Array(total * px);
    const adv = new Float32Array(total * px);
    const delta = new Float32Array(total * px);
    const marksClean: string[] = [];
    const marksAdv: string[] = [];
    const place = (from: Float32Array, fromIndex: number, to: Float32Array, at: number) => to.set(from.subarray(fromIndex * px, (fromIndex + 1) * px), at * px);
    for (let c = 0; c < n; c++)
      for (let j = 0; j < cols; j++) {
        const at = c * cols + j;
        const isSupport = j < k;
        const idx = isSupport ? c * k + j : c * q + (j - k);
        place(isSupport ? view.support : view.query, idx, clean, at);
        place(isSupport ? view.supportAdv : view.queryAdv, idx, adv, at);
        marksClean.push(isSupport ? SUPPORT_COLOUR : view.cleanPredictions[idx] === view.queryLabels[idx] ? RIGHT : WRONG);
        marksAdv.push(isSupport ? SUPPORT_COLOUR : view.advPredictions[idx] === view.queryLabels[idx] ? RIGHT : WRONG);
      }
    // Perturbation x_adv − x drawn around mid-grey: darker = more ink, lighter = less (±ε: full contrast).
    const scale = view.epsilon > 0 ? 1 / (2 * view.epsilon) : 0;
    for (let i = 0; i < delta.length; i++) delta[i] = 0.5 + (adv[i] - clean[i]) * scale;
    const marksDelta = marksClean.map((m) => (m === SUPPORT_COLOUR ? SUPPORT_COLOUR : QUERY_COLOUR));
    return { clean, adv, delta, marksClean, marksAdv, marksDelta, images: Array.from({ length: total }, (_, i) => i) };
  }, [view, n, k, q, cols, imageSize]);
  const pct = (v: number) => `${Math.round(100 * v)}%`;
  const panel = (title: string, pixels: Float32Array, marks: string[], testId: string) => (
    // A definite width: the grid measures its box to choose its columns.
    <figure className="fam-panel" style={{ inlineSize: cols * (cell + 4) - 4 }}>
      <figcaption>{title}</figcaption>
      <ImageGrid pixels={pixels} scale={1} imageSize={imageSize} images={layout.images} cell={cell} columns={cols} marks={marks} label={title} testId={testId} />
    </figure>
  );
  return (
    <div data-testid="fam-adversarial" data-step={view.step} data-epsilon={view.epsilon.toFixed(2)} data-clean={view.cleanAccuracy.toFixed(3)} data-adversarial={view.advAccuracy.toFixed(3)}>
      <p className="fam-accuracy" role="status">
        {t('famEpisodeAccuracy', { clean: pct(view.cleanAccuracy), adv: pct(view.advAccuracy), steps: view.adaptSteps, step: view.step })}
        {view.labelledOnlyAccuracy !== undefined && <> {t('famEpisodeWithoutLearned', { acc: pct(view.labelledOnlyAccuracy) })}</>}
      </p>
      <p className="help">
        <span className="swatch" style={{ background: SUPPORT_COLOUR }} /> {t('famLegendSupport', { k })} <span className="swatch" style={{ background: RIGHT }} />{' '}
        <span className="swatch" style={{ background: WRONG }} /> {t('famLegendQuery', { q })}
      </p>
      <div className="fam-panels">
        {panel(t('famClean'), layout.clean, layout.marksClean, 'fam-clean-images')}
        {panel(t('famAdversarial', { eps: view.epsilon.toFixed(2) }), layout.adv, layout.marksAdv, 'fam-adv-images')}
        {panel(t('famPerturbation'), layout.delta, layout.marksDelta, 'fam-perturbation-images')}
      </div>
    </div>
  );
});
