import { memo, useMemo } from 'react';
import { LineChart, type Series } from '../../ui/components/LineChart';
import { useThrottled } from '../../ui/components/useThrottled';
import type { Translate } from '../../ui/store';
import { ADV_COLOUR, LOSS_COLOUR, RIGHT } from './familyColours';

/** The family card's training curves: the meta-loss per step, and accuracy clean and under attack at each evaluation. */

export interface Curves {
  loss: { x: number; y: number }[];
  clean: { x: number; y: number }[];
  adversarial: { x: number; y: number }[];
  /** DAML: clean accuracy without its learned-loss steps. */
  labelledOnly: { x: number; y: number }[];
}
export const EMPTY: Curves = { loss: [], clean: [], adversarial: [], labelledOnly: [] };

export const FamilyCharts = memo(function FamilyCharts({ t, curves, epsilon }: { t: Translate; curves: Curves; epsilon: number }) {
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
      <LineChart series={lossSeries} xWhole xLabel={t('outerStep')} ariaLabel={t('famLossChart')} testId="fam-loss-chart" data={{ 'data-points': String(shown.loss.length), 'data-last': last ? last.y.toFixed(4) : '' }} />
      <LineChart
        series={accSeries}
        yFromZero
        yUnit="%"
        xWhole
        xLabel={t('outerStep')}
        ariaLabel={t('famAccChart')}
        testId="fam-acc-chart"
        data={{ 'data-points': String(shown.clean.length), 'data-clean': shown.clean.at(-1)?.y.toFixed(1), 'data-adversarial': shown.adversarial.at(-1)?.y.toFixed(1), 'data-labelled-only': shown.labelledOnly.at(-1)?.y.toFixed(1) }}
      />
    </div>
  );
});
