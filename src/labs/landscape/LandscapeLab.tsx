import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Controls } from '../../ui/components/Controls';
import { Equation } from '../../ui/components/Equation';
import { replaceHash } from '../../ui/route';
import { useApp, useT, type Translate } from '../../ui/store';
import type { MessageKey } from '../../i18n/messages';
import type { Speed } from '../../worker/vocabulary';
import {
  DEFAULT_TASKS,
  LANDSCAPE_ALGORITHMS,
  algorithmUpdate,
  applyUpdate,
  makeTasks,
  mamlObjective,
  pretrainObjective,
  type AlgorithmState,
  type Hyper,
  type LandscapeAlgorithm,
  type Vec2,
} from '../../engine/landscape/landscape';
import { ALG_COLORS, TASK_COLORS, drawScene, fromPx, objectiveImage, taskContours, toPx, type View } from './draw';
import { OneDView, oneDResult, oneDTasks } from './OneDView';
import { DEFAULT_LANDSCAPE, LANDSCAPE_RANGE, landscapeLinkParams, parseLandscapeLink, type LandscapeSettings } from './settings';

const ALG_NAME: Record<LandscapeAlgorithm, MessageKey> = {
  pretrain: 'pretrain',
  fomaml: 'fomaml',
  maml: 'maml',
  reptile: 'algReptile',
  metasgd: 'algMetaSgd',
  'maml-ga': 'algMamlGa',
};
const STEPS_PER_FRAME: Record<Speed, number> = { slow: 0.1, normal: 1, fast: 6 };
const MAX_PATH = 4000;
/** Two decimals, without a "−0.00". */
const fmt = (x: number) => (Math.abs(x) < 0.005 ? 0 : x).toFixed(2);

interface Run {
  state: AlgorithmState;
  path: Vec2[];
}

const freshRuns = (s: LandscapeSettings): Record<LandscapeAlgorithm, Run> =>
  Object.fromEntries(LANDSCAPE_ALGORITHMS.map((a) => [a, { state: { theta: s.theta, metaAlpha: [s.alpha, s.alpha] }, path: [s.theta] }])) as Record<LandscapeAlgorithm, Run>;

/** #/landscape — where each algorithm moves the meta-parameters of a 2-parameter model, and why. */
export default function LandscapeLab({ params }: { params: URLSearchParams }) {
  const t = useT();
  const notify = useApp((s) => s.notify);
  const presentation = useApp((s) => s.presentation);
  const [settings, setSettings] = useState<LandscapeSettings>(() => parseLandscapeLink(params).settings);
  const tasks = useMemo(() => makeTasks(DEFAULT_TASKS, 4, 0), []);
  const hyper: Hyper = useMemo(() => ({ alpha: settings.alpha, k: settings.k, beta: settings.beta, epsilon: settings.epsilon }), [settings.alpha, settings.k, settings.beta, settings.epsilon]);
  const runs = useRef(freshRuns(settings));
  /** Outer steps of every algorithm; the count reaches React at once when paused, 4 times a second while playing. */
  const stepsDone = useRef(0);
  const [outerSteps, setOuterSteps] = useState(0);
  const [running, setRunning] = useState(false);
  const [speed, setSpeed] = useState<Speed>('normal');

  useEffect(() => {
    const { invalid } = parseLandscapeLink(params);
    if (invalid.length > 0) notify({ level: 'warning', key: 'noticeBadLink', params: { fields: invalid.join(', ') } });
    // The link is read once when the lab opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => replaceHash('/landscape', landscapeLinkParams(settings)), [settings]);

  const update = useCallback((patch: Partial<LandscapeSettings>) => setSettings((s) => ({ ...s, ...patch })), []);
  /** Restart every trajectory at θ (after a drag, a reset or new hyper-parameters). */
  const restart = useCallback((s: LandscapeSettings) => {
    runs.current = freshRuns(s);
    stepsDone.current = 0;
    setOuterSteps(0);
  }, []);
  useEffect(() => restart(settings), [settings.theta, settings.alpha, settings.k, settings.beta, settings.epsilon, restart]); // eslint-disable-line react-hooks/exhaustive-deps

  const advance = useCallback(
    (n: number) => {
      for (let i = 0; i < n; i++) {
        for (const a of LANDSCAPE_ALGORITHMS) {
          const r = runs.current[a];
          const next = applyUpdate(r.state, algorithmUpdate(a, tasks, r.state, hyper));
          if (!Number.isFinite(next.theta[0]) || !Number.isFinite(next.theta[1]) || Math.hypot(...next.theta) > 1e3) continue;
          r.state = next;
          if (r.path.length < MAX_PATH) r.path.push(next.theta);
        }
      }
      stepsDone.current += n;
    },
    [tasks, hyper],
  );
  const stepAll = useCallback(
    (n: number) => {
      advance(n);
      setOuterSteps(stepsDone.current);
    },
    [advance],
  );

  // Play: a few outer steps per animation frame (pure arithmetic: microseconds each). The canvas
  // redraws every frame by itself; the rest of the page re-renders only 4 times a second.
  useEffect(() => {
    if (!running) return;
    let frame = 0;
    let carry = 0;
    const tick = () => {
      carry += STEPS_PER_FRAME[speed];
      const n = Math.floor(carry);
      carry -= n;
      if (n > 0) advance(n);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    const sync = setInterval(() => setOuterSteps(stepsDone.current), 250);
    return () => {
      cancelAnimationFrame(frame);
      clearInterval(sync);
      setOuterSteps(stepsDone.current);
    };
  }, [running, speed, advance]);

  // Keyboard: space = play/pause, → = step.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest('input, select, textarea, canvas')) return;
      if (e.key === ' ') {
        e.preventDefault();
        setRunning((r) => !r);
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        stepAll(1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [stepAll]);

  const shown = settings.algs;
  const updates = useMemo(
    () => Object.fromEntries(LANDSCAPE_ALGORITHMS.map((a) => [a, algorithmUpdate(a, tasks, { theta: settings.theta, metaAlpha: [settings.alpha, settings.alpha] }, hyper)])) as Record<LandscapeAlgorithm, ReturnType<typeof algorithmUpdate>>,
    [tasks, settings.theta, settings.alpha, hyper],
  );

  return (
    <div className="lab landscape-lab">
      <div className="toolbar card">
        <Controls
          t={t}
          running={running}
          disabled={false}
          step={outerSteps}
          stepsPerS={60 * STEPS_PER_FRAME[speed]}
          speed={speed}
          onPlay={() => setRunning(true)}
          onPause={() => setRunning(false)}
          onStep={() => stepAll(1)}
          onReset={() => {
            setRunning(false);
            restart(settings);
          }}
          onSpeed={setSpeed}
        />
        <span className="spacer" />
        <span className="metric" data-testid="theta" data-w={settings.theta[0].toFixed(3)} data-b={settings.theta[1].toFixed(3)}>
          <bdi dir="ltr">
            θ = ({settings.theta[0].toFixed(2)}, {settings.theta[1].toFixed(2)})
          </bdi>
        </span>
      </div>
      <div className="lab-grid">
        <div className="main-col">
          <section className="card">
            <h2>{t('landscapeTitle')}</h2>
            <p className="help">{t('landscapeHelp')}</p>
            <ParamSpace
              t={t}
              settings={settings}
              tasks={tasks}
              hyper={hyper}
              runs={runs.current}
              version={outerSteps}
              updates={updates}
              running={running}
              thick={presentation}
              onTheta={(theta) => update({ theta })}
            />
            <Legend t={t} algs={shown} />
          </section>
          <section className="card">
            <h2>{t('onedTitle')}</h2>
            <p className="help">{t('onedHelp')}</p>
            <OneDCard t={t} settings={settings} update={update} thick={presentation} />
          </section>
        </div>
        <div className="side-col">
          <SettingsCard t={t} settings={settings} update={update} />
          <ResultsCard t={t} tasks={tasks} hyper={hyper} runs={runs.current} version={outerSteps} algs={shown} />
          <ExplanationCard t={t} />
        </div>
      </div>
    </div>
  );
}

function ParamSpace(props: {
  t: Translate;
  settings: LandscapeSettings;
  tasks: ReturnType<typeof makeTasks>;
  hyper: Hyper;
  runs: Record<LandscapeAlgorithm, Run>;
  version: number;
  updates: Record<LandscapeAlgorithm, ReturnType<typeof algorithmUpdate>>;
  running: boolean;
  thick: boolean;
  onTheta: (t: Vec2) => void;
}) {
  const { settings, tasks, hyper, runs, version, updates, running, thick, onTheta, t } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState(560);
  const dragging = useRef(false);
  const contours = useMemo(() => taskContours(tasks, LANDSCAPE_RANGE.lo, LANDSCAPE_RANGE.hi), [tasks]);
  const background = useMemo(() => {
    const img = objectiveImage(settings.bg, tasks, hyper, LANDSCAPE_RANGE.lo, LANDSCAPE_RANGE.hi);
    if (!img) return null;
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    c.getContext('2d')?.putImageData(img, 0, 0);
    return c;
  }, [settings.bg, tasks, hyper]);
  const view: View = useMemo(() => ({ lo: LANDSCAPE_RANGE.lo, hi: LANDSCAPE_RANGE.hi, size }), [size]);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize(Math.max(200, Math.round(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // What the next frame draws: the latest props (the trajectories are a mutable ref of the page).
  const draw = useRef<() => void>(() => {});
  draw.current = () => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    if (el.width !== Math.round(size * dpr)) {
      el.width = Math.round(size * dpr);
      el.height = Math.round(size * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawScene(ctx, {
      view,
      tasks,
      contours,
      background,
      theta: settings.theta,
      hyper,
      algs: settings.algs.map((a) => ({ alg: a, delta: updates[a].delta, path: runs[a].path })),
      arrowScale: settings.arrowScale,
      reptileTask: settings.algs.includes('reptile') ? settings.reptileTask : null,
      thick,
      labels: { tasks: tasks.map((_, i) => t('landscapeTask', { name: DEFAULT_TASKS[i].name })) },
    });
    // The cost of a frame's drawing, for the tests and the curious (no re-render).
    el.dataset.frameMs = (performance.now() - t0).toFixed(2);
    el.dataset.paths = settings.algs.map((a) => `${a}:${runs[a].path.length}`).join(';');
  };
  // Redraw on the next animation frame whenever anything drawn changes; every frame while playing.
  useEffect(() => {
    let id = requestAnimationFrame(function frame() {
      draw.current();
      if (running) id = requestAnimationFrame(frame);
    });
    return () => cancelAnimationFrame(id);
  }, [view, tasks, contours, background, settings, hyper, updates, runs, version, running, thick, size, t]);

  const pointerTheta = (e: React.PointerEvent<HTMLCanvasElement>): Vec2 => {
    const r = e.currentTarget.getBoundingClientRect();
    const th = fromPx(view, ((e.clientX - r.left) / r.width) * size, ((e.clientY - r.top) / r.height) * size);
    const clamp = (v: number, i: 0 | 1) => Math.max(LANDSCAPE_RANGE.lo[i], Math.min(LANDSCAPE_RANGE.hi[i], v));
    return [clamp(th[0], 0), clamp(th[1], 1)];
  };
  const handle = toPx(view, settings.theta);
  const arrows = settings.algs.map((a) => `${a}:${updates[a].delta[0].toFixed(4)},${updates[a].delta[1].toFixed(4)}`).join(';');
  return (
    <canvas
      ref={canvas}
      className="landscape-canvas"
      data-testid="landscape-canvas"
      data-handle-x={(handle[0] / size).toFixed(4)}
      data-handle-y={(handle[1] / size).toFixed(4)}
      data-arrows={arrows}
      tabIndex={0}
      role="img"
      aria-label={t('landscapeCanvasLabel')}
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        onTheta(pointerTheta(e));
      }}
      onPointerMove={(e) => {
        if (dragging.current) onTheta(pointerTheta(e));
      }}
      onPointerUp={() => (dragging.current = false)}
      onPointerCancel={() => (dragging.current = false)}
      onKeyDown={(e) => {
        const d = e.shiftKey ? 0.25 : 0.05;
        const moves: Record<string, Vec2> = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
        const m = moves[e.key];
        if (!m) return;
        e.preventDefault();
        onTheta([Math.max(-3, Math.min(3, settings.theta[0] + m[0])), Math.max(-3, Math.min(3, settings.theta[1] + m[1]))]);
      }}
    />
  );
}

function Legend({ t, algs }: { t: Translate; algs: LandscapeAlgorithm[] }) {
  return (
    <div className="legend wrap">
      {algs.map((a) => (
        <span key={a}>
          <span className="swatch" style={{ background: ALG_COLORS[a] }} /> {t(ALG_NAME[a])}
        </span>
      ))}
      {DEFAULT_TASKS.map((task, i) => (
        <span key={task.name}>
          <span className="swatch" style={{ background: TASK_COLORS[i] }} /> {t('landscapeTask', { name: task.name })}:{' '}
          <bdi dir="ltr">
            y = {task.slope}x {task.intercept < 0 ? '−' : '+'} {Math.abs(task.intercept)}
          </bdi>
        </span>
      ))}
    </div>
  );
}

function Slider(props: { label: string; value: number; min: number; max: number; step: number; testId: string; onChange: (v: number) => void }) {
  return (
    <label className="slider">
      <span>
        {props.label} <strong>{props.value}</strong>
      </span>
      <input type="range" min={props.min} max={props.max} step={props.step} value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(Number(e.target.value))} />
    </label>
  );
}

function SettingsCard({ t, settings, update }: { t: Translate; settings: LandscapeSettings; update: (p: Partial<LandscapeSettings>) => void }) {
  const toggle = (a: LandscapeAlgorithm, on: boolean) => update({ algs: LANDSCAPE_ALGORITHMS.filter((x) => (x === a ? on : settings.algs.includes(x))) });
  return (
    <section className="card">
      <h2>{t('settings')}</h2>
      <Slider label={t('settingAlpha')} value={settings.alpha} min={0} max={0.6} step={0.01} testId="ls-alpha" onChange={(alpha) => update({ alpha })} />
      <Slider label={t('landscapeInnerSteps')} value={settings.k} min={1} max={5} step={1} testId="ls-k" onChange={(k) => update({ k })} />
      <Slider label={t('landscapeBeta')} value={settings.beta} min={0.01} max={0.5} step={0.01} testId="ls-beta" onChange={(beta) => update({ beta })} />
      <Slider label={t('landscapeEpsilon')} value={settings.epsilon} min={0.05} max={1.5} step={0.05} testId="ls-eps" onChange={(epsilon) => update({ epsilon })} />
      <Slider label={t('landscapeArrowScale')} value={settings.arrowScale} min={1} max={20} step={1} testId="ls-arrow" onChange={(arrowScale) => update({ arrowScale })} />
      <fieldset className="checks">
        <legend>{t('landscapeAlgorithms')}</legend>
        {LANDSCAPE_ALGORITHMS.map((a) => (
          <label key={a} className="field check">
            <input type="checkbox" checked={settings.algs.includes(a)} data-testid={`ls-alg-${a}`} onChange={(e) => toggle(a, e.target.checked)} />
            <span className="swatch" style={{ background: ALG_COLORS[a] }} />
            <span>{t(ALG_NAME[a])}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('landscapeBackground')}</span>
        <select value={settings.bg} data-testid="ls-bg" onChange={(e) => update({ bg: e.target.value as LandscapeSettings['bg'] })}>
          <option value="none">{t('landscapeBgNone')}</option>
          <option value="pretrain">{t('landscapeBgPretrain')}</option>
          <option value="maml">{t('landscapeBgMaml')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('landscapeReptileTask')}</span>
        <select value={settings.reptileTask} data-testid="ls-reptile-task" onChange={(e) => update({ reptileTask: Number(e.target.value) })}>
          {DEFAULT_TASKS.map((task, i) => (
            <option key={task.name} value={i}>
              {t('landscapeTask', { name: task.name })}
            </option>
          ))}
        </select>
      </label>
      <button type="button" data-testid="ls-defaults" onClick={() => update({ ...DEFAULT_LANDSCAPE, theta: settings.theta })}>
        {t('landscapeDefaults')}
      </button>
    </section>
  );
}

function ResultsCard(props: { t: Translate; tasks: ReturnType<typeof makeTasks>; hyper: Hyper; runs: Record<LandscapeAlgorithm, Run>; version: number; algs: LandscapeAlgorithm[] }) {
  const { t, tasks, hyper, runs, algs } = props;
  const ga = algs.includes('maml-ga') ? algorithmUpdate('maml-ga', tasks, runs['maml-ga'].state, hyper).weights ?? [] : [];
  const ms = runs.metasgd.state.metaAlpha;
  return (
    <section className="card">
      <h2>{t('landscapeResults')}</h2>
      <p className="help">{t('landscapeResultsHelp', { k: hyper.k })}</p>
      <div className="table-scroll">
      <table className="results" data-testid="ls-results">
        <thead>
          <tr>
            <th />
            <th>θ</th>
            <th>{t('landscapeLossBefore')}</th>
            <th>{t('landscapeLossAfter', { k: hyper.k })}</th>
          </tr>
        </thead>
        <tbody>
          {algs.map((a) => {
            const th = runs[a].state.theta;
            // Meta-SGD adapts with its own learned per-parameter α.
            const after = mamlObjective(tasks, th, a === 'metasgd' ? { alpha: runs.metasgd.state.metaAlpha, k: hyper.k } : hyper);
            return (
              <tr key={a} data-alg={a} data-w={th[0].toFixed(4)} data-b={th[1].toFixed(4)} data-before={pretrainObjective(tasks, th).toFixed(5)} data-after={after.toFixed(5)}>
                <td>
                  <span className="swatch" style={{ background: ALG_COLORS[a] }} /> {t(ALG_NAME[a])}
                </td>
                <td dir="ltr">
                  ({th[0].toFixed(2)}, {th[1].toFixed(2)})
                </td>
                <td>{pretrainObjective(tasks, th).toFixed(3)}</td>
                <td>{after.toFixed(3)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </div>
      {algs.includes('metasgd') && (
        <p className="help" data-testid="ls-metasgd-alpha">
          {t('landscapeMetaSgdAlpha', { a1: ms[0].toFixed(3), a2: ms[1].toFixed(3) })}
        </p>
      )}
      {ga.length > 0 && (
        <div className="ga-bars" data-testid="ls-ga-weights" data-weights={ga.map((w) => w.toFixed(4)).join(',')}>
          <p className="help">{t('landscapeGaWeights')}</p>
          {ga.map((w, i) => (
            <div key={i} className="ga-bar">
              <span className="ga-label">{DEFAULT_TASKS[i].name}</span>
              <span className="ga-track">
                <span className="ga-fill" style={{ width: `${Math.abs(w) * 100}%`, background: w >= 0 ? TASK_COLORS[i] : '#adb5bd' }} />
              </span>
              <span className="ga-value" dir="ltr">
                {w.toFixed(2)}
              </span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

function OneDCard({ t, settings, update, thick }: { t: Translate; settings: LandscapeSettings; update: (p: Partial<LandscapeSettings>) => void; thick: boolean }) {
  const tasks = useMemo(() => oneDTasks(settings.sep, settings.a2), [settings.sep, settings.a2]);
  const r = useMemo(() => oneDResult(tasks, settings.shape, settings.eps1), [tasks, settings.shape, settings.eps1]);
  const labels = useMemo(
    () => ({ pretrain: t('onedPretrain'), maml: t('onedMaml'), task: (i: number) => t('onedTask', { n: i + 1 }), phi: 'φ' }),
    [t],
  );
  return (
    <>
      <OneDView tasks={tasks} shape={settings.shape} eps={settings.eps1} labels={labels} thick={thick} />
      <p className="help" data-testid="oned-summary">
        {t('onedSummary', { pre: fmt(r.pretrain), maml: fmt(r.maml), afterPre: fmt(r.afterPretrain), afterMaml: fmt(r.afterMaml) })}
      </p>
      <div className="two">
        <Slider label={t('onedSeparation')} value={settings.sep} min={0} max={8} step={0.1} testId="oned-sep" onChange={(sep) => update({ sep })} />
        <Slider label={t('onedCurvature')} value={settings.a2} min={0.05} max={2} step={0.05} testId="oned-a2" onChange={(a2) => update({ a2 })} />
        <Slider label={t('onedEpsilon')} value={settings.eps1} min={0} max={1} step={0.01} testId="oned-eps" onChange={(eps1) => update({ eps1 })} />
        <label className="field">
          <span>{t('onedShape')}</span>
          <select value={settings.shape} data-testid="oned-shape" onChange={(e) => update({ shape: e.target.value as LandscapeSettings['shape'] })}>
            <option value="quadratic">{t('onedShapeQuadratic')}</option>
            <option value="cauchy">{t('onedShapeCauchy')}</option>
          </select>
        </label>
      </div>
    </>
  );
}

function ExplanationCard({ t }: { t: Translate }) {
  const items: { id: string; tex: string; text: MessageKey }[] = [
    { id: 'pretrain', tex: String.raw`\theta \leftarrow \theta - \beta\,\tfrac1n\textstyle\sum_i \nabla \mathcal{L}_i(\theta)`, text: 'lsEqPretrain' },
    { id: 'fomaml', tex: String.raw`\begin{aligned} \theta'_i &= \theta - \alpha\nabla\mathcal{L}^{s}_i(\theta) \\ \theta &\leftarrow \theta - \beta\,\tfrac1n\textstyle\sum_i \nabla \mathcal{L}^{q}_i(\theta'_i) \end{aligned}`, text: 'lsEqFomaml' },
    { id: 'maml', tex: String.raw`\theta \leftarrow \theta - \beta\,\tfrac1n\textstyle\sum_i \big(I - \alpha H^{s}_i\big)^{k} \nabla \mathcal{L}^{q}_i(\theta'_i)`, text: 'lsEqMaml' },
    { id: 'reptile', tex: String.raw`\begin{aligned} \theta &\leftarrow \theta + \epsilon\,\tfrac1n\textstyle\sum_i (\theta'_i - \theta) \\ \theta'_i - \theta &= -\alpha\,(g_1 + g_2 + \dots + g_k) \end{aligned}`, text: 'lsEqReptile' },
    { id: 'taylor', tex: String.raw`\begin{aligned} \mathbb{E}[g_1 + g_2] &= 2\,\nabla\bar{\mathcal{L}} \\ &\quad - \tfrac{\alpha}{2}\,\nabla\,\mathbb{E}\big[\bar g_1^{\top} \bar g_2\big] + O(\alpha^2) \end{aligned}`, text: 'lsEqTaylor' },
    { id: 'metasgd', tex: String.raw`\begin{aligned} \theta'_i &= \theta - a \circ \nabla\mathcal{L}^{s}_i(\theta) \\ \nabla_a \mathcal{L}^{q}_i(\theta'_i) &= -\nabla\mathcal{L}^{q}_i(\theta'_i) \circ \nabla\mathcal{L}^{s}_i(\theta) \end{aligned}`, text: 'lsEqMetaSgd' },
    { id: 'ga', tex: String.raw`w_i = \frac{\sum_j g_i^{\top} g_j}{\sum_k \big|\sum_j g_k^{\top} g_j\big|},\quad \theta \leftarrow \theta - \beta \textstyle\sum_i w_i g_i`, text: 'lsEqGa' },
  ];
  return (
    <section className="card explanation" data-testid="ls-explanation">
      <h2>{t('explanationTitle')}</h2>
      {items.map((it) => (
        <div key={it.id} className="eq" data-eq={it.id}>
          <Equation tex={it.tex} />
          <p>{t(it.text)}</p>
        </div>
      ))}
    </section>
  );
}
