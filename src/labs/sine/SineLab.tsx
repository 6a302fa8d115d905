import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BackendPicker, parseBackendChoice } from '../../ui/components/BackendPicker';
import { Controls } from '../../ui/components/Controls';
import { downloadText, useFileDrop, useTransportKeys } from '../../ui/components/labHooks';
import { replaceHash, searchParam, setSearchParam } from '../../ui/route';
import { useApp, useT } from '../../ui/store';
import type { BackendChoice, SineModelName, SineSettings, Speed } from '../../worker/protocol';
import { MAML_COLOR, MetaLossChart, MseStepsChart, PRETRAIN_COLOR } from './charts';
import { Explanation } from './Explanation';
import { parseLink, SETTINGS_FIELDS, toLinkParams } from './settings';
import { SinePlot } from './SinePlot';
import { randomTask, samplePoints, useSine } from './store';
import { SineWorkerClient } from './sineWorkerClient';
import { SINE_RANGES } from '../../engine/tasks/sine';

const ANIM_FRAME_MS = 380;
const ANIM_HOLD_MS = 1200;

/** #/sine — MAML versus pretraining on Finn et al.'s sine-wave regression, trained live. */
export default function SineLab({ params }: { params: URLSearchParams }) {
  const t = useT();
  const notify = useApp((s) => s.notify);
  const client = useRef<SineWorkerClient | null>(null);
  const draws = useRef(0);
  const [speed, setSpeed] = useState<Speed>('normal');
  const [backendChoice, setBackendChoice] = useState<BackendChoice>('auto');
  const settings = useSine((st) => st.settings);
  const task = useSine((st) => st.task);
  const support = useSine((st) => st.support);

  // Start: read the link, start the worker. Runs once per mount.
  useEffect(() => {
    const link = parseLink(params);
    if (link.invalid.length > 0) notify({ level: 'warning', key: 'noticeBadLink', params: { fields: link.invalid.join(', ') } });
    const rawBackend = searchParam('backend') ?? params.get('backend');
    const choice = parseBackendChoice(rawBackend);
    if (rawBackend !== null && choice === null) notify({ level: 'warning', key: 'noticeBadLink', params: { fields: 'backend' } });
    setBackendChoice(choice ?? 'auto');
    useSine.setState({
      settings: link.settings,
      draft: link.settings,
      task: link.task,
      support: samplePoints(link.task, link.settings.k, link.settings.seed, 0),
      mamlLoss: [],
      pretrainLoss: [],
      evaluation: null,
      adaptation: null,
      diverged: null,
      step: 0,
      backend: null,
    });
    if (typeof Worker === 'undefined') {
      notify({ level: 'error', key: 'noticeWorkerUnsupported' });
      return;
    }
    const c = new SineWorkerClient(choice ?? 'auto', link.settings);
    client.current = c;
    c.adapt();
    // A hook for the end-to-end tests and for curious students: make the backend fail on purpose.
    (window as unknown as { __metaplay?: object }).__metaplay = { simulateBackendFailure: () => c.send({ type: 'simulateBackendFailure' }) };
    return () => {
      c.terminate();
      client.current = null;
    };
    // The link is read once when the lab opens; later changes are written by the lab itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Keep the link in the address bar true to the applied settings and task.
  useEffect(() => {
    replaceHash('/sine', toLinkParams(settings, task));
  }, [settings, task]);

  // A new K or seed draws a new set of support points for the current task.
  const firstSettings = useRef(true);
  useEffect(() => {
    if (firstSettings.current) {
      firstSettings.current = false;
      return;
    }
    const st = useSine.getState();
    useSine.setState({ support: samplePoints(st.task, settings.k, settings.seed, 0) });
  }, [settings.k, settings.seed]);

  // Adapt to the current support points whenever they (or α) change: latest request wins in the worker.
  useEffect(() => {
    client.current?.adapt();
  }, [support, settings.alpha]);


  const play = useCallback(() => client.current?.play(), []);
  const pause = useCallback(() => client.current?.pause(), []);
  const step = useCallback(() => client.current?.step(), []);
  const reset = useCallback(() => client.current?.reset(useSine.getState().draft), []);
  const isRunning = useCallback(() => useSine.getState().running, []);

  useTransportKeys(play, pause, step, isRunning);

  // Checkpoints: the worker serialises, the page downloads; any dropped file is offered to the worker.
  useEffect(() => {
    if (!client.current) return;
    client.current.onCheckpoint = (model: SineModelName, text: string) => downloadText(`sine-${model}-step${useSine.getState().step}.json`, text);
  });
  const loadFile = useCallback(async (file: File) => {
    const text = await file.text().catch(() => '');
    client.current?.send({ type: 'loadCheckpoint', text, fileName: file.name });
  }, []);
  useFileDrop(loadFile);

  // Checkpoints trained with the CLI ship with the site (public/examples): a long run in one click.
  const loadExamples = async () => {
    for (const model of ['maml', 'pretrain'] as const) {
      const name = `sine-${model}-2000.json`;
      try {
        const res = await fetch(`./examples/${name}`);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        client.current?.send({ type: 'loadCheckpoint', text: await res.text(), fileName: name });
      } catch (e) {
        notify({ level: 'error', key: 'exampleFailed', params: { reason: (e as Error).message } });
        return;
      }
    }
  };

  const chooseBackend = (b: BackendChoice) => {
    setBackendChoice(b);
    setSearchParam('backend', b === 'auto' ? null : b);
    useSine.setState({ backend: null });
    client.current?.send({ type: 'setBackend', backend: b });
  };

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      notify({ level: 'info', key: 'linkCopied' });
    } catch {
      notify({ level: 'warning', key: 'linkCopyFailed' });
    }
  };

  const setTask = useCallback((next: { amplitude: number; phase: number }) => {
    draws.current++;
    const st = useSine.getState();
    useSine.setState({ task: next, support: samplePoints(next, st.settings.k, st.settings.seed, draws.current) });
  }, []);

  return (
    <div className="lab sine-lab">
      <Toolbar t={t} speed={speed} backendChoice={backendChoice} onPlay={play} onPause={pause} onStep={step} onReset={reset} onSpeed={(v) => {
        setSpeed(v);
        client.current?.speed(v);
      }} onBackend={chooseBackend} onCopyLink={() => void copyLink()} />
      <DivergedBanner t={t} onReset={reset} />
      <div className="lab-grid">
        <div className="main-col">
          <InnerLoopCard t={t} />
          <div className="two">
            <MetaLossCard t={t} />
            <EvaluationCard t={t} />
          </div>
        </div>
        <div className="side-col">
          <ExplanationCard t={t} />
          <TaskCard t={t} onTask={setTask} seedDraw={() => ++draws.current} />
          <SettingsPanel t={t} onApply={reset} />
          <section className="card">
            <h2>{t('checkpoints')}</h2>
            <div className="buttons">
              <button type="button" data-testid="save-maml" onClick={() => client.current?.send({ type: 'saveCheckpoint', model: 'maml' })}>
                {t('saveMaml')}
              </button>
              <button type="button" data-testid="save-pretrain" onClick={() => client.current?.send({ type: 'saveCheckpoint', model: 'pretrain' })}>
                {t('savePretrain')}
              </button>
              <label className="button">
                {t('loadCheckpoint')}
                <input
                  type="file"
                  accept="application/json,.json"
                  data-testid="load-checkpoint"
                  className="sr-only"
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    if (f) void loadFile(f);
                    e.target.value = '';
                  }}
                />
              </label>
            </div>
            <p className="help">{t('dropHint')}</p>
            <button type="button" data-testid="load-example" onClick={() => void loadExamples()}>
              {t('loadExample')}
            </button>
            <p className="help">{t('loadExampleHelp')}</p>
          </section>
        </div>
      </div>
    </div>
  );
}

type T = ReturnType<typeof useT>;
const useModelName = (t: T) => (useSine((st) => st.settings.firstOrder) ? t('fomaml') : t('maml'));

/** Each card subscribes only to the state it draws, so a snapshot re-renders as little as possible. */
function Toolbar(props: {
  t: T;
  speed: Speed;
  backendChoice: BackendChoice;
  onPlay: () => void;
  onPause: () => void;
  onStep: () => void;
  onReset: () => void;
  onSpeed: (s: Speed) => void;
  onBackend: (b: BackendChoice) => void;
  onCopyLink: () => void;
}) {
  const { t } = props;
  const running = useSine((st) => st.running);
  const step = useSine((st) => st.step);
  const stepsPerS = useSine((st) => st.stepsPerS);
  const diverged = useSine((st) => st.diverged !== null);
  const backend = useSine((st) => st.backend);
  const probe = useSine((st) => st.probe);
  const lastLoss = useSine((st) => st.mamlLoss.at(-1));
  return (
    <div className="toolbar card">
      <Controls
        t={t}
        running={running}
        disabled={diverged || backend === null}
        step={step}
        stepsPerS={stepsPerS}
        speed={props.speed}
        onPlay={props.onPlay}
        onPause={props.onPause}
        onStep={props.onStep}
        onReset={props.onReset}
        onSpeed={props.onSpeed}
      />
      <span className="spacer" />
      <span className="metric" data-testid="meta-loss" data-value={lastLoss !== undefined ? lastLoss.toFixed(5) : ''}>
        {useModelName(t)}: {lastLoss !== undefined ? lastLoss.toFixed(3) : '—'}
      </span>
      <BackendPicker t={t} backend={backend} choice={props.backendChoice} probe={probe} onChoose={props.onBackend} />
      <button type="button" data-testid="copy-link" onClick={props.onCopyLink}>
        {t('copyLink')}
      </button>
    </div>
  );
}

function DivergedBanner({ t, onReset }: { t: T; onReset: () => void }) {
  const d = useSine((st) => st.diverged);
  const mamlName = useModelName(t);
  if (!d) return null;
  return (
    <div className="card diverged" role="alert" data-testid="diverged">
      <h2>{t('divergedTitle')}</h2>
      <p>
        {t('divergedBody', {
          step: d.step,
          model: d.model === 'maml' ? mamlName : t('pretrain'),
          loss: Number.isFinite(d.loss) ? d.loss.toExponential(2) : 'infinite',
          alpha: d.alpha,
          metaLr: d.metaLr,
        })}
      </p>
      <button type="button" className="primary" onClick={onReset} data-testid="diverged-reset">
        ↺ {t('reset')}
      </button>
    </div>
  );
}

function InnerLoopCard({ t }: { t: T }) {
  const task = useSine((st) => st.task);
  const support = useSine((st) => st.support);
  const view = useSine((st) => st.adaptation);
  const animStep = useSine((st) => st.animStep);
  const animating = useSine((st) => st.animating);
  const mamlName = useModelName(t);
  const stepText = animStep === 0 ? t('innerStepZero') : animStep === 1 ? t('innerStepLabelOne') : t('innerStepLabel', { n: animStep });
  const labels = useMemo(() => ({ truth: t('trueFunction'), support: t('supportPoints'), step: stepText }), [t, stepText]);
  // Inner-loop animation: step 0 → 10, hold, repeat.
  useEffect(() => {
    if (!animating) return;
    const id = setTimeout(
      () => useSine.setState((st) => ({ animStep: st.animStep >= 10 ? 0 : st.animStep + 1 })),
      animStep >= 10 ? ANIM_HOLD_MS : ANIM_FRAME_MS,
    );
    return () => clearTimeout(id);
  }, [animating, animStep]);
  const addPoint = useCallback((x: number, y: number) => useSine.setState((st) => ({ support: { xs: [...st.support.xs, x], ys: [...st.support.ys, y] } })), []);
  return (
    <section className="card">
      <h2>{t('innerLoopTitle')}</h2>
      <p className="help">
        {t('innerLoopHelp')} {t('plotClickHelp')}
      </p>
      <div className="plots">
        <SinePlot title={mamlName} task={task} support={support} grid={view?.grid ?? null} predictions={view?.maml ?? null} step={animStep} color={MAML_COLOR} testId="sine-plot" labels={labels} onAddPoint={addPoint} />
        <SinePlot title={t('pretrain')} task={task} support={support} grid={view?.grid ?? null} predictions={view?.pretrain ?? null} step={animStep} color={PRETRAIN_COLOR} testId="sine-plot-pretrain" labels={labels} onAddPoint={addPoint} />
      </div>
      <div className="step-row">
        <button type="button" data-testid="animate" onClick={() => useSine.setState((st) => ({ animating: !st.animating }))}>
          {animating ? `❚❚ ${t('stopAnimation')}` : `▶ ${t('animate')}`}
        </button>
        <input
          type="range"
          min={0}
          max={10}
          value={animStep}
          data-testid="inner-step"
          data-step={animStep}
          aria-label={stepText}
          onChange={(e) => useSine.setState({ animStep: Number(e.target.value), animating: false })}
        />
        <span className="muted">{stepText}</span>
      </div>
    </section>
  );
}

function MetaLossCard({ t }: { t: T }) {
  const maml = useSine((st) => st.mamlLoss);
  const pretrain = useSine((st) => st.pretrainLoss);
  const mamlName = useModelName(t);
  const labels = useMemo(() => ({ maml: mamlName, pretrain: t('pretrain'), step: t('outerStep'), smoothed: t('smoothed') }), [mamlName, t]);
  return (
    <section className="card">
      <h2>{t('metaLossTitle')}</h2>
      <p className="help">{t('metaLossHelp')}</p>
      {maml.length === 0 && <p className="empty-hint">{t('metaLossEmpty')}</p>}
      <MetaLossChart maml={maml} pretrain={pretrain} labels={labels} />
    </section>
  );
}

const NO_EVAL: number[] = [];

function EvaluationCard({ t }: { t: T }) {
  const evaluation = useSine((st) => st.evaluation);
  const mamlName = useModelName(t);
  const labels = useMemo(() => ({ maml: mamlName, pretrain: t('pretrain'), steps: t('innerStepsAxis') }), [mamlName, t]);
  return (
    <section className="card">
      <h2>{t('mseStepsTitle')}</h2>
      <p className="help">{evaluation ? t('mseStepsHelp', { tasks: evaluation.tasks, step: evaluation.step }) : t('mseStepsNone')}</p>
      <MseStepsChart maml={evaluation?.maml ?? NO_EVAL} pretrain={evaluation?.pretrain ?? NO_EVAL} labels={labels} />
    </section>
  );
}

function ExplanationCard({ t }: { t: T }) {
  const stage = useSine((st) => st.stage);
  const animStep = useSine((st) => st.animStep);
  const firstOrder = useSine((st) => st.settings.firstOrder);
  return <Explanation t={t} stage={stage} animStep={animStep} innerTotal={10} firstOrder={firstOrder} />;
}

function TaskCard({ t, onTask, seedDraw }: { t: T; onTask: (task: { amplitude: number; phase: number }) => void; seedDraw: () => number }) {
  const task = useSine((st) => st.task);
  return (
    <section className="card">
      <h2>{t('taskTitle')}</h2>
      <label className="slider">
        {t('amplitude')} <strong>{task.amplitude.toFixed(2)}</strong>
        <input type="range" min={SINE_RANGES.amplitude[0]} max={SINE_RANGES.amplitude[1]} step={0.05} value={task.amplitude} data-testid="amplitude" onChange={(e) => onTask({ ...task, amplitude: Number(e.target.value) })} />
      </label>
      <label className="slider">
        {t('phase')} <strong>{task.phase.toFixed(2)}</strong>
        <input type="range" min={SINE_RANGES.phase[0]} max={SINE_RANGES.phase[1]} step={0.02} value={task.phase} data-testid="phase" onChange={(e) => onTask({ ...task, phase: Number(e.target.value) })} />
      </label>
      <div className="buttons">
        <button type="button" data-testid="random-task" onClick={() => onTask(randomTask(useSine.getState().settings.seed, seedDraw()))}>
          {t('randomTask')}
        </button>
        <button type="button" onClick={() => onTask(task)}>
          {t('resamplePoints')}
        </button>
        <button type="button" data-testid="clear-points" onClick={() => useSine.setState({ support: { xs: [], ys: [] } })}>
          {t('clearPoints')}
        </button>
      </div>
    </section>
  );
}

function NumberSetting({ field, label, stepAttr }: { field: Exclude<keyof SineSettings, 'firstOrder'>; label: string; stepAttr: string }) {
  const value = useSine((st) => st.draft[field]);
  const [text, setText] = useState(String(value));
  const [focused, setFocused] = useState(false);
  const spec = SETTINGS_FIELDS[field];
  const valid = spec.parse(text) !== null;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        step={stepAttr}
        data-testid={`setting-${spec.param}`}
        aria-invalid={!valid}
        className={valid ? undefined : 'invalid'}
        value={focused ? text : String(value)}
        onFocus={() => {
          setText(String(value));
          setFocused(true);
        }}
        onBlur={() => setFocused(false)}
        onChange={(e) => {
          setText(e.target.value);
          const v = spec.parse(e.target.value);
          if (v !== null) useSine.setState((st) => ({ draft: { ...st.draft, [field]: v } }));
        }}
      />
    </label>
  );
}

function SettingsPanel({ t, onApply }: { t: ReturnType<typeof useT>; onApply: () => void }) {
  const draft = useSine((st) => st.draft);
  const settings = useSine((st) => st.settings);
  const changed = (Object.keys(draft) as (keyof SineSettings)[]).some((k) => draft[k] !== settings[k]);
  return (
    <section className="card">
      <h2>{t('settings')}</h2>
      <div className="fields">
        <NumberSetting field="k" label={t('settingK')} stepAttr="1" />
        <NumberSetting field="alpha" label={t('settingAlpha')} stepAttr="any" />
        <NumberSetting field="innerSteps" label={t('settingInnerSteps')} stepAttr="1" />
        <NumberSetting field="metaLr" label={t('settingMetaLr')} stepAttr="any" />
        <NumberSetting field="metaBatch" label={t('settingMetaBatch')} stepAttr="1" />
        <NumberSetting field="seed" label={t('settingSeed')} stepAttr="1" />
        <label className="field check">
          <input
            type="checkbox"
            data-testid="setting-firstOrder"
            checked={draft.firstOrder}
            onChange={(e) => useSine.setState((st) => ({ draft: { ...st.draft, firstOrder: e.target.checked } }))}
          />
          <span>{t('settingFirstOrder')}</span>
        </label>
      </div>
      {changed && <p className="help warn">{t('settingsChanged')}</p>}
      <button type="button" className={changed ? 'primary' : undefined} data-testid="apply-settings" onClick={onApply}>
        {t('applySettings')}
      </button>
    </section>
  );
}
