import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useThrottled } from '../../ui/components/useThrottled';

export const MAML_COLOR = '#d9480f';
export const PRETRAIN_COLOR = '#1c7ed6';

/** Bucket means: at most `max` points, so a long run still draws in a few milliseconds. */
export function downsample(a: readonly number[], b: readonly number[], max: number): { step: number; a: number; b: number }[] {
  const n = a.length;
  const bucket = Math.max(1, Math.ceil(n / max));
  const out = [];
  for (let i = 0; i < n; i += bucket) {
    const end = Math.min(n, i + bucket);
    let sa = 0;
    let sb = 0;
    for (let j = i; j < end; j++) {
      sa += a[j];
      sb += b[j];
    }
    out.push({ step: end, a: sa / (end - i), b: sb / (end - i) });
  }
  return out;
}

export function MetaLossChart({ maml, pretrain, labels }: { maml: number[]; pretrain: number[]; labels: { maml: string; pretrain: string; step: string } }) {
  const shownMaml = useThrottled(maml, 250);
  const shownPre = useThrottled(pretrain, 250);
  const data = useMemo(() => downsample(shownMaml, shownPre, 300), [shownMaml, shownPre]);
  return (
    <div className="chart" dir="ltr">
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} tickCount={6} allowDecimals={false} />
          <YAxis scale="log" domain={['auto', 'auto']} allowDataOverflow tickFormatter={(v: number) => (v >= 1 ? v.toFixed(1) : v.toPrecision(2))} width={44} />
          <Tooltip formatter={(v) => Number(v).toFixed(4)} labelFormatter={(s) => `${labels.step} ${s}`} />
          <Legend />
          <Line type="linear" dataKey="a" name={labels.maml} stroke={MAML_COLOR} dot={false} isAnimationActive={false} strokeWidth={2} />
          <Line type="linear" dataKey="b" name={labels.pretrain} stroke={PRETRAIN_COLOR} dot={false} isAnimationActive={false} strokeWidth={2} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function MseStepsChart({ maml, pretrain, labels }: { maml: number[]; pretrain: number[]; labels: { maml: string; pretrain: string; steps: string } }) {
  const data = useMemo(() => maml.map((m, i) => ({ steps: i, a: m, b: pretrain[i] })), [maml, pretrain]);
  return (
    <div className="chart" dir="ltr" data-testid="mse-steps-chart" data-maml-after1={maml[1]?.toFixed(4)} data-pretrain-after1={pretrain[1]?.toFixed(4)}>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="steps" type="number" domain={[0, 10]} ticks={[0, 2, 4, 6, 8, 10]} label={{ value: labels.steps, position: 'insideBottomRight', offset: -2 }} />
          <YAxis domain={[0, 'auto']} width={44} tickFormatter={(v: number) => v.toFixed(1)} />
          <Tooltip formatter={(v) => Number(v).toFixed(3)} />
          <Legend />
          <Line type="linear" dataKey="a" name={labels.maml} stroke={MAML_COLOR} isAnimationActive={false} strokeWidth={2} />
          <Line type="linear" dataKey="b" name={labels.pretrain} stroke={PRETRAIN_COLOR} isAnimationActive={false} strokeWidth={2} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
