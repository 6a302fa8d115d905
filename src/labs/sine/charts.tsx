import { memo, useMemo } from 'react';
import { LineChart, type Series } from '../../ui/components/LineChart';
import { useThrottled } from '../../ui/components/useThrottled';

export const MAML_COLOR = '#d9480f';
export const PRETRAIN_COLOR = '#1c7ed6';

/** Bucket means: at most `max` points, so a long run still draws in about a millisecond. */
export function downsample(values: readonly number[], max: number): { x: number; y: number }[] {
  const n = values.length;
  const bucket = Math.max(1, Math.ceil(n / max));
  const out = [];
  for (let i = 0; i < n; i += bucket) {
    const end = Math.min(n, i + bucket);
    let s = 0;
    for (let j = i; j < end; j++) s += values[j];
    out.push({ x: end, y: s / (end - i) });
  }
  return out;
}

/**
 * Each meta-batch has new tasks, so the raw meta-loss is noisy: a moving average in log space
 * over about a tenth of the points shows the trend on top of it.
 */
export function smoothLog(points: readonly { x: number; y: number }[]): { x: number; y: number }[] {
  const w = Math.max(1, Math.round(points.length / 10));
  const logs = points.map((p) => (p.y > 0 ? Math.log10(p.y) : NaN));
  let acc = 0;
  return points.map((p, i) => {
    acc += logs[i] - (i >= w ? logs[i - w] : 0);
    return { x: p.x, y: 10 ** (acc / Math.min(i + 1, w)) };
  });
}

/** The live meta-loss curves of both models, log scale, redrawn at most 4 times a second. */
export const MetaLossChart = memo(function MetaLossChart({ maml, pretrain, labels }: { maml: number[]; pretrain: number[]; labels: { maml: string; pretrain: string; step: string; smoothed: string } }) {
  const shownMaml = useThrottled(maml, 250);
  const shownPre = useThrottled(pretrain, 250);
  const series = useMemo<Series[]>(() => {
    const a = downsample(shownMaml, 300);
    const b = downsample(shownPre, 300);
    return [
      { name: `${labels.pretrain} raw`, color: PRETRAIN_COLOR, points: b, faint: true, hideInLegend: true },
      { name: `${labels.maml} raw`, color: MAML_COLOR, points: a, faint: true, hideInLegend: true },
      { name: labels.pretrain, color: PRETRAIN_COLOR, points: smoothLog(b) },
      { name: labels.maml, color: MAML_COLOR, points: smoothLog(a) },
    ];
  }, [shownMaml, shownPre, labels]);
  return <LineChart series={series} yScale="log" ariaLabel={labels.step} xLabel={labels.step} footer={<span className="muted">— {labels.smoothed}</span>} />;
});

/** Query MSE after 0…10 inner steps on fresh tasks, for both models. */
export const MseStepsChart = memo(function MseStepsChart({ maml, pretrain, labels }: { maml: number[]; pretrain: number[]; labels: { maml: string; pretrain: string; steps: string } }) {
  const series = useMemo<Series[]>(
    () => [
      { name: labels.pretrain, color: PRETRAIN_COLOR, points: pretrain.map((y, x) => ({ x, y })), dots: true },
      { name: labels.maml, color: MAML_COLOR, points: maml.map((y, x) => ({ x, y })), dots: true },
    ],
    [maml, pretrain, labels],
  );
  return (
    <LineChart
      series={series}
      xDomain={[0, 10]}
      yFromZero
      ariaLabel={labels.steps}
      xLabel={labels.steps}
      testId="mse-steps-chart"
      data={{ 'data-maml-after1': maml[1]?.toFixed(4), 'data-pretrain-after1': pretrain[1]?.toFixed(4) }}
    />
  );
});
