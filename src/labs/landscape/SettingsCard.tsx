import type { Translate } from '../../ui/store';
import { DEFAULT_TASKS, LANDSCAPE_ALGORITHMS, type LandscapeAlgorithm } from '../../engine/landscape/landscape';
import { ALG_NAME } from './algorithmNames';
import { ALG_COLORS } from './draw';
import { DEFAULT_LANDSCAPE, type LandscapeSettings } from './settings';
import { Slider } from './Slider';

/** The parameter space's settings: hyper-parameters, which algorithms to show, the background and Reptile's task. Every change is in the link at once. */
export function SettingsCard({ t, settings, update }: { t: Translate; settings: LandscapeSettings; update: (p: Partial<LandscapeSettings>) => void }) {
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
