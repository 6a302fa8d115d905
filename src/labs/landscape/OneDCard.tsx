import { useMemo } from 'react';
import type { Translate } from '../../ui/store';
import { OneDView, oneDResult, oneDTasks } from './OneDView';
import type { LandscapeSettings } from './settings';
import { Slider } from './Slider';

/** Two decimals, without a "−0.00". */
const fmt = (x: number) => (Math.abs(x) < 0.005 ? 0 : x).toFixed(2);

/** The 1-D view with its controls: two tasks' minima, where pretraining and MAML land, and the loss one step later. */
export function OneDCard({ t, settings, update, thick }: { t: Translate; settings: LandscapeSettings; update: (p: Partial<LandscapeSettings>) => void; thick: boolean }) {
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
