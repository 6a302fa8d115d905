import { useCallback, useEffect, useMemo, useState } from 'react';
import { Controls } from '../../ui/components/Controls';
import { replaceHash } from '../../ui/route';
import { useApp, useT } from '../../ui/store';
import { DEFAULT_TASKS, LANDSCAPE_ALGORITHMS, algorithmUpdate, makeTasks, type Hyper, type LandscapeAlgorithm } from '../../engine/landscape/landscape';
import { ExplanationCard } from './Explanation';
import { OneDCard } from './OneDCard';
import { Legend, ParamSpace } from './ParamSpace';
import { ResultsCard } from './ResultsCard';
import { SettingsCard } from './SettingsCard';
import { landscapeLinkParams, parseLandscapeLink, type LandscapeSettings } from './settings';
import { STEPS_PER_FRAME, useTrajectories } from './trajectories';

/** #/landscape — where each algorithm moves the meta-parameters of a 2-parameter model, and why. */
export default function LandscapeLab({ params }: { params: URLSearchParams }) {
  const t = useT();
  const notify = useApp((s) => s.notify);
  const presentation = useApp((s) => s.presentation);
  const [settings, setSettings] = useState<LandscapeSettings>(() => parseLandscapeLink(params).settings);
  const tasks = useMemo(() => makeTasks(DEFAULT_TASKS, 4, 0), []);
  const hyper: Hyper = useMemo(() => ({ alpha: settings.alpha, k: settings.k, beta: settings.beta, epsilon: settings.epsilon }), [settings.alpha, settings.k, settings.beta, settings.epsilon]);
  const { runs, outerSteps, running, setRunning, speed, setSpeed, stepAll, restart, converged } = useTrajectories(settings, tasks, hyper);

  useEffect(() => {
    const { invalid } = parseLandscapeLink(params);
    if (invalid.length > 0) notify({ level: 'warning', key: 'noticeBadLink', params: { fields: invalid.join(', ') } });
    // The link is read once when the lab opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => replaceHash('/landscape', landscapeLinkParams(settings)), [settings]);

  const update = useCallback((patch: Partial<LandscapeSettings>) => setSettings((s) => ({ ...s, ...patch })), []);

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
  }, [stepAll, setRunning]);

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
        {converged && (
          <span className="metric muted" data-testid="landscape-converged">
            {t('landscapeConverged')}
          </span>
        )}
        {/* The start point the trajectories leave from (drag it on the plot), not where they are now. */}
        <span className="metric" data-testid="theta" data-w={settings.theta[0].toFixed(3)} data-b={settings.theta[1].toFixed(3)}>
          <bdi dir="ltr">{t('landscapeStartTheta', { w: settings.theta[0].toFixed(2), b: settings.theta[1].toFixed(2) })}</bdi>
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
              runs={runs}
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
          <ResultsCard t={t} tasks={tasks} hyper={hyper} runs={runs} version={outerSteps} algs={shown} />
          <ExplanationCard t={t} />
        </div>
      </div>
    </div>
  );
}
