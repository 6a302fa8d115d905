import type { Translate } from '../../ui/store';
import { DEFAULT_TASKS, algorithmUpdate, mamlObjective, pretrainObjective, type Hyper, type LandscapeAlgorithm, type makeTasks } from '../../engine/landscape/landscape';
import { ALG_NAME } from './algorithmNames';
import { ALG_COLORS, TASK_COLORS } from './draw';
import type { Run } from './trajectories';

/** Where each algorithm's θ is now, its loss before and after k inner steps, Meta-SGD's learned α and MAML-GA's task weights. */
export function ResultsCard(props: { t: Translate; tasks: ReturnType<typeof makeTasks>; hyper: Hyper; runs: Record<LandscapeAlgorithm, Run>; version: number; algs: LandscapeAlgorithm[] }) {
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
            <th><span className="sr-only">{t('algorithm')}</span></th>
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
