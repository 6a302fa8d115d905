import { useCallback, useEffect, useMemo, useRef } from 'react';
import { TransportBar, type TransportActions } from '../../ui/components/TransportBar';
import { downloadText } from '../../ui/components/labHooks';
import { CheckpointFileInput, loadShippedCheckpoints, readBackendLink, useCheckpointFile, useLabTransport } from '../../ui/components/labPage';
import { replaceHash } from '../../ui/route';
import { useApp, useT } from '../../ui/store';
import type { SineModelName } from '../../worker/sineProtocol';
import { FamilyCard } from './FamilyCard';
import { ALGORITHM_NAME, SettingsPanel } from './SettingsCard';
import { MAML_COLOR, MetaLossChart, MseStepsChart, PRETRAIN_COLOR } from './charts';
import { Explanation } from './Explanation';
import { parseLink, toLinkParams } from './settings';
import { SinePlot } from './SinePlot';
import { randomTask, samplePoints, useSine } from './store';
import { SineWorkerClient } from './sineWorkerClient';
import { SINE_RANGES } from '../../engine/tasks/sine';
import { DivergedCard, divergedLossText } from '../../ui/components/DivergedCard';
import { useTrainingStatus } from '../../ui/trainingStatus';

const ANIM_FRAME_MS = 380;
const ANIM_HOLD_MS = 1200;

/** #/sine — MAML versus pretraining on Finn et al.'s sine-wave regression, trained live. */
export default function SineLab({ params }: { params: URLSearchParams }) {
  const t = useT();
  const notify = useApp((s) => s.notify);
  const client = useRef<SineWorkerClient | null>(null);
  const draws = useRef(0);
  const settings = useSine((st) => st.settings);
  const task = useSine((st) => st.task);
  const support = useSine((st) => st.support);

  // Start: read the link, start the worker. Runs once per mount.
  useEffect(() => {
    const link = parseLink(params);
    if (link.invalid.length > 0) notify({ level: 'warning', key: 'noticeBadLink', params: { fields: link.invalid.join(', ') } });
    const choice = readBackendLink(params);
    setBackendChoice(choice);
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
    const c = new SineWorkerClient(choice, link.settings);
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


  const reset = useCallback(() => client.current?.reset(useSine.getState().draft), []);
  const isRunning = useCallback(() => useSine.getState().running, []);

  const { actions, setBackendChoice } = useLabTransport(t, client, { reset, isRunning, forgetBackend: () => useSine.setState({ backend: null }) });

  // Checkpoints: the worker serialises, the page downloads; any dropped file is offered to the worker.
  useEffect(() => {
    if (!client.current) return;
    client.current.onCheckpoint = (model: SineModelName, text: string) => downloadText(`sine-${model}-step${useSine.getState().step}.json`, text);
  });
  const loadFile = useCheckpointFile((text, fileName) => client.current?.send({ type: 'loadCheckpoint', text, fileName }));

  // Checkpoints trained with the CLI ship with the site (public/examples): a long run in one click.
  const loadExamples = () => loadShippedCheckpoints(['sine-maml-2000.json', 'sine-pretrain-2000.json'], (text, fileName) => client.current?.send({ type: 'loadCheckpoint', text, fileName }));


  const setTask = useCallback((next: { amplitude: number; phase: number }) => {
    draws.current++;
    const st = useSine.getState();
    useSine.setState({ task: next, support: samplePoints(next, st.settings.k, st.settings.seed, draws.current) });
  }, []);

  return (
    <div className="lab sine-lab">
      <Toolbar {...actions} />
      <DivergedBanner t={t} onReset={reset} />
      <div className="lab-grid">
        <div className="main-col">
          <InnerLoopCard t={t} />
          <div className="two">
            <MetaLossCard t={t} />
            <EvaluationCard t={t} />
          </div>
          <FamilyCard t={t} />
        </div>
        <div className="side-col">
          <ExplanationCard t={t} />
          <TaskCard t={t} onTask={setTask} seedDraw={() => ++draws.current} />
          <SettingsPanel t={t} onApply={reset} />
          <section className="card">
            <h2>{t('checkpoints')}</h2>
            <div className="buttons">
              <SaveFirstModel t={t} onSave={() => client.current?.send({ type: 'saveCheckpoint', model: 'maml' })} />
              <button type="button" data-testid="save-pretrain" onClick={() => client.current?.send({ type: 'saveCheckpoint', model: 'pretrain' })}>
                {t('savePretrain')}
              </button>
              <CheckpointFileInput t={t} onFile={loadFile} />
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
/** The first model's name: its algorithm (MAML with the first-order box ticked is first-order MAML). */
const useModelName = (t: T) => {
  const algorithm = useSine((st) => st.settings.algorithm);
  const firstOrder = useSine((st) => st.settings.firstOrder);
  return t(algorithm === 'maml' && firstOrder ? 'fomaml' : ALGORITHM_NAME[algorithm]);
};

function SaveFirstModel({ t, onSave }: { t: T; onSave: () => void }) {
  const name = useModelName(t);
  return (
    <button type="button" data-testid="save-maml" onClick={onSave}>
      {t('saveModel', { model: name })}
    </button>
  );
}

/** Each card subscribes only to the state it draws, so a snapshot re-renders as little as possible. */
function Toolbar(props: TransportActions) {
  const { t } = props;
  const status = useTrainingStatus(useSine);
  const diverged = useSine((st) => st.diverged !== null);
  const lastLoss = useSine((st) => st.mamlLoss.at(-1));
  return (
    <TransportBar {...props} {...status} disabled={diverged || status.backend === null}>
      <span className="metric" data-testid="meta-loss" data-value={lastLoss !== undefined ? lastLoss.toFixed(5) : ''}>
        {useModelName(t)}: {lastLoss !== undefined ? lastLoss.toFixed(3) : '—'}
      </span>
    </TransportBar>
  );
}

function DivergedBanner({ t, onReset }: { t: T; onReset: () => void }) {
  const d = useSine((st) => st.diverged);
  const mamlName = useModelName(t);
  if (!d) return null;
  const model = d.model === 'maml' ? mamlName : t('pretrain');
  return <DivergedCard t={t} onReset={onReset} body={t('divergedBody', { step: d.step, model, loss: divergedLossText(d.loss), alpha: d.alpha, metaLr: d.metaLr })} />;
}

function InnerLoopCard({ t }: { t: T }) {
  const task = useSine((st) => st.task);
  const support = useSine((st) => st.support);
  const view = useSine((st) => st.adaptation);
  const animStep = useSine((st) => st.animStep);
  const animating = useSine((st) => st.animating);
  const demo = useSine((st) => st.demo);
  const mamlName = useModelName(t);
  const stepText = animStep === 0 ? t('innerStepZero') : animStep === 1 ? t('innerStepLabelOne') : t('innerStepLabel', { n: animStep });
  // The plots name the inner step of the curve they draw; until the worker's first predictions arrive there is none.
  const plotStep = view ? stepText : t('innerStepPending');
  const labels = useMemo(() => ({ truth: t('trueFunction'), support: t('supportPoints'), step: plotStep }), [t, plotStep]);
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
        <SinePlot title={mamlName} task={task} support={support} grid={view?.grid ?? null} predictions={view?.maml ?? null} step={animStep} color={MAML_COLOR} testId="sine-plot" labels={labels} onAddPoint={addPoint} marks={demo} marksLabel={t('damlDemo')} />
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
  const now = useSine((st) => st.step);
  const mamlName = useModelName(t);
  const labels = useMemo(() => ({ maml: mamlName, pretrain: t('pretrain'), steps: t('innerStepsAxis') }), [mamlName, t]);
  return (
    <section className="card">
      <h2>{t('mseStepsTitle')}</h2>
      <p className="help" data-testid="mse-steps-help">
        {evaluation ? t('mseStepsHelp', { tasks: evaluation.tasks, step: evaluation.step }) : t('mseStepsNone')}
        {evaluation && now > evaluation.step && t('mseStepsStale', { now })}
      </p>
      <MseStepsChart maml={evaluation?.maml ?? NO_EVAL} pretrain={evaluation?.pretrain ?? NO_EVAL} labels={labels} />
    </section>
  );
}

function ExplanationCard({ t }: { t: T }) {
  const stage = useSine((st) => st.stage);
  const animStep = useSine((st) => st.animStep);
  const algorithm = useSine((st) => st.settings.algorithm);
  const firstOrder = useSine((st) => st.settings.firstOrder);
  const reptileMode = useSine((st) => st.settings.reptileMode);
  const tamlMeasure = useSine((st) => st.settings.tamlMeasure);
  const settings = useMemo(() => ({ algorithm, firstOrder, reptileMode, tamlMeasure }), [algorithm, firstOrder, reptileMode, tamlMeasure]);
  return <Explanation t={t} stage={stage} animStep={animStep} innerTotal={10} settings={settings} />;
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
