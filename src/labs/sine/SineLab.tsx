import { useCallback, useEffect, useRef, useState } from 'react';
import { BackendPicker, parseBackendChoice } from '../../ui/components/BackendPicker';
import { Controls } from '../../ui/components/Controls';
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
  const s = useSine();

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
    return () => {
      c.terminate();
      client.current = null;
    };
    // The link is read once when the lab opens; later changes are written by the lab itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Keep the link in the address bar true to the applied settings and task.
  useEffect(() => {
    replaceHash('/sine', toLinkParams(s.settings, s.task));
  }, [s.settings, s.task]);

  // A new K or seed draws a new set of support points for the current task.
  const firstSettings = useRef(true);
  useEffect(() => {
    if (firstSettings.current) {
      firstSettings.current = false;
      return;
    }
    const st = useSine.getState();
    useSine.setState({ support: samplePoints(st.task, s.settings.k, s.settings.seed, 0) });
  }, [s.settings.k, s.settings.seed]);

  // Adapt to the current support points whenever they (or α) change: latest request wins in the worker.
  useEffect(() => {
    client.current?.adapt();
  }, [s.support, s.settings.alpha]);

  // Inner-loop animation: step 0 → 10, hold, repeat.
  useEffect(() => {
    if (!s.animating) return;
    const id = setTimeout(
      () => useSine.setState((st) => ({ animStep: st.animStep >= 10 ? 0 : st.animStep + 1 })),
      s.animStep >= 10 ? ANIM_HOLD_MS : ANIM_FRAME_MS,
    );
    return () => clearTimeout(id);
  }, [s.animating, s.animStep]);

  const play = useCallback(() => client.current?.play(), []);
  const pause = useCallback(() => client.current?.pause(), []);
  const step = useCallback(() => client.current?.step(), []);
  const reset = useCallback(() => client.current?.reset(useSine.getState().draft), []);

  // Keyboard: space = play/pause, → = step (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, select, textarea, [contenteditable]')) return;
      if (e.key === ' ') {
        e.preventDefault();
        if (useSine.getState().running) pause();
        else play();
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        step();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [play, pause, step]);

  // Checkpoints: the worker serialises, the page downloads; any dropped file is offered to the worker.
  useEffect(() => {
    if (!client.current) return;
    client.current.onCheckpoint = (model: SineModelName, text: string) => {
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `sine-${model}-step${useSine.getState().step}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    };
  });
  const loadFile = useCallback(async (file: File) => {
    const text = await file.text().catch(() => '');
    client.current?.send({ type: 'loadCheckpoint', text, fileName: file.name });
  }, []);
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      if (file) void loadFile(file);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [loadFile]);

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

  const setTask = (task: { amplitude: number; phase: number }) => {
    draws.current++;
    useSine.setState({ task, support: samplePoints(task, s.settings.k, s.settings.seed, draws.current) });
  };

  const draftChanged = (Object.keys(s.draft) as (keyof SineSettings)[]).some((k) => s.draft[k] !== s.settings[k]);
  const view = s.adaptation;
  const lastLoss = s.mamlLoss.at(-1);
  const labels = (name: string) => ({
    truth: t('trueFunction'),
    support: t('supportPoints'),
    step: s.animStep === 0 ? t('innerStepZero') : t('innerStepLabel', { n: s.animStep }),
    name,
  });
  const mamlName = s.settings.firstOrder ? t('fomaml') : t('maml');

  return (
    <div className="lab sine-lab">
      <div className="toolbar card">
        <Controls
          t={t}
          running={s.running}
          disabled={s.diverged !== null || s.backend === null}
          step={s.step}
          stepsPerS={s.stepsPerS}
          speed={speed}
          onPlay={play}
          onPause={pause}
          onStep={step}
          onReset={reset}
          onSpeed={(v) => {
            setSpeed(v);
            client.current?.speed(v);
          }}
        />
        <span className="spacer" />
        <span className="metric" data-testid="meta-loss" data-value={lastLoss !== undefined ? lastLoss.toFixed(5) : ''}>
          {t('maml')}: {lastLoss !== undefined ? lastLoss.toFixed(3) : '—'}
        </span>
        <BackendPicker t={t} backend={s.backend} choice={backendChoice} probe={s.probe} onChoose={chooseBackend} />
        <button type="button" data-testid="copy-link" onClick={() => void copyLink()}>
          {t('copyLink')}
        </button>
      </div>

      {s.diverged && (
        <div className="card diverged" role="alert" data-testid="diverged">
          <h2>{t('divergedTitle')}</h2>
          <p>
            {t('divergedBody', {
              step: s.diverged.step,
              model: s.diverged.model === 'maml' ? mamlName : t('pretrain'),
              loss: Number.isFinite(s.diverged.loss) ? s.diverged.loss.toExponential(2) : String(s.diverged.loss),
              alpha: s.diverged.alpha,
              metaLr: s.diverged.metaLr,
            })}
          </p>
          <button type="button" className="primary" onClick={reset} data-testid="diverged-reset">
            ↺ {t('reset')}
          </button>
        </div>
      )}

      <div className="lab-grid">
        <div className="main-col">
          <section className="card">
            <h2>{t('innerLoopTitle')}</h2>
            <p className="help">{t('innerLoopHelp')} {t('plotClickHelp')}</p>
            <div className="plots">
              <SinePlot
                title={mamlName}
                task={s.task}
                support={s.support}
                grid={view?.grid ?? null}
                predictions={view?.maml ?? null}
                step={s.animStep}
                color={MAML_COLOR}
                testId="sine-plot"
                labels={labels(mamlName)}
                onAddPoint={(x, y) => useSine.setState((st) => ({ support: { xs: [...st.support.xs, x], ys: [...st.support.ys, y] } }))}
              />
              <SinePlot
                title={t('pretrain')}
                task={s.task}
                support={s.support}
                grid={view?.grid ?? null}
                predictions={view?.pretrain ?? null}
                step={s.animStep}
                color={PRETRAIN_COLOR}
                testId="sine-plot-pretrain"
                labels={labels(t('pretrain'))}
                onAddPoint={(x, y) => useSine.setState((st) => ({ support: { xs: [...st.support.xs, x], ys: [...st.support.ys, y] } }))}
              />
            </div>
            <div className="step-row">
              <button type="button" data-testid="animate" onClick={() => useSine.setState((st) => ({ animating: !st.animating }))}>
                {s.animating ? `❚❚ ${t('stopAnimation')}` : `▶ ${t('animate')}`}
              </button>
              <input
                type="range"
                min={0}
                max={10}
                value={s.animStep}
                data-testid="inner-step"
                data-step={s.animStep}
                aria-label={t('innerStepLabel', { n: s.animStep })}
                onChange={(e) => useSine.setState({ animStep: Number(e.target.value), animating: false })}
              />
              <span className="muted">{s.animStep === 0 ? t('innerStepZero') : t('innerStepLabel', { n: s.animStep })}</span>
            </div>
          </section>

          <div className="two">
            <section className="card">
              <h2>{t('metaLossTitle')}</h2>
              <p className="help">{t('metaLossHelp')}</p>
              <MetaLossChart maml={s.mamlLoss} pretrain={s.pretrainLoss} labels={{ maml: mamlName, pretrain: t('pretrain'), step: t('outerStep') }} />
            </section>
            <section className="card">
              <h2>{t('mseStepsTitle')}</h2>
              <p className="help">{s.evaluation ? t('mseStepsHelp', { tasks: s.evaluation.tasks, step: s.evaluation.step }) : t('mseStepsNone')}</p>
              {s.evaluation && <MseStepsChart maml={s.evaluation.maml} pretrain={s.evaluation.pretrain} labels={{ maml: mamlName, pretrain: t('pretrain'), steps: '' }} />}
            </section>
          </div>
        </div>

        <div className="side-col">
          <Explanation t={t} stage={s.stage} animStep={s.animStep} innerTotal={10} firstOrder={s.settings.firstOrder} />

          <section className="card">
            <h2>{t('taskTitle')}</h2>
            <label className="slider">
              {t('amplitude')} <strong>{s.task.amplitude.toFixed(2)}</strong>
              <input type="range" min={SINE_RANGES.amplitude[0]} max={SINE_RANGES.amplitude[1]} step={0.05} value={s.task.amplitude} data-testid="amplitude" onChange={(e) => setTask({ ...s.task, amplitude: Number(e.target.value) })} />
            </label>
            <label className="slider">
              {t('phase')} <strong>{s.task.phase.toFixed(2)}</strong>
              <input type="range" min={SINE_RANGES.phase[0]} max={SINE_RANGES.phase[1]} step={0.02} value={s.task.phase} data-testid="phase" onChange={(e) => setTask({ ...s.task, phase: Number(e.target.value) })} />
            </label>
            <div className="buttons">
              <button type="button" data-testid="random-task" onClick={() => setTask(randomTask(s.settings.seed, ++draws.current))}>
                {t('randomTask')}
              </button>
              <button type="button" onClick={() => setTask(s.task)}>
                {t('resamplePoints')}
              </button>
              <button type="button" data-testid="clear-points" onClick={() => useSine.setState({ support: { xs: [], ys: [] } })}>
                {t('clearPoints')}
              </button>
            </div>
          </section>

          <SettingsPanel t={t} onApply={reset} changed={draftChanged} />

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
          </section>
        </div>
      </div>
    </div>
  );
}

function SettingsPanel({ t, onApply, changed }: { t: ReturnType<typeof useT>; onApply: () => void; changed: boolean }) {
  const draft = useSine((st) => st.draft);
  const set = <K extends keyof SineSettings>(key: K, value: SineSettings[K]) => useSine.setState((st) => ({ draft: { ...st.draft, [key]: value } }));
  const numberField = (key: Exclude<keyof SineSettings, 'firstOrder'>, label: string, stepAttr: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        step={stepAttr}
        data-testid={`setting-${SETTINGS_FIELDS[key].param}`}
        defaultValue={draft[key]}
        key={`${key}-${draft[key]}`}
        onBlur={(e) => {
          const v = SETTINGS_FIELDS[key].parse(e.target.value);
          if (v !== null) set(key, v as number);
          else e.target.value = String(draft[key]);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        }}
      />
    </label>
  );
  return (
    <section className="card">
      <h2>{t('settings')}</h2>
      <div className="fields">
        {numberField('k', t('settingK'), '1')}
        {numberField('alpha', t('settingAlpha'), 'any')}
        {numberField('innerSteps', t('settingInnerSteps'), '1')}
        {numberField('metaLr', t('settingMetaLr'), 'any')}
        {numberField('metaBatch', t('settingMetaBatch'), '1')}
        {numberField('seed', t('settingSeed'), '1')}
        <label className="field check">
          <input type="checkbox" data-testid="setting-firstOrder" checked={draft.firstOrder} onChange={(e) => set('firstOrder', e.target.checked)} />
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
