import { memo, useMemo } from 'react';
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

/**
 * The live meta-loss curve: a hand-drawn SVG rather than recharts, because it redraws during
 * training and must stay far below the 50 ms main-thread budget (recharts re-lays out its whole
 * tree on every update). Log-scale y, bucket-averaged to at most 300 points, redrawn ≤ 4×/s.
 */
const LW = 480;
const LH = 230;
const M = { l: 46, r: 10, t: 10, b: 26 };

export const MetaLossChart = memo(function MetaLossChart({ maml, pretrain, labels }: { maml: number[]; pretrain: number[]; labels: { maml: string; pretrain: string; step: string; smoothed: string } }) {
  const shownMaml = useThrottled(maml, 250);
  const shownPre = useThrottled(pretrain, 250);
  const chart = useMemo(() => {
    const data = downsample(shownMaml, shownPre, 300).filter((d) => d.a > 0 && d.b > 0 && Number.isFinite(d.a) && Number.isFinite(d.b));
    if (data.length === 0) return null;
    const maxStep = Math.max(1, data[data.length - 1].step);
    let lo = Infinity;
    let hi = -Infinity;
    for (const d of data) {
      lo = Math.min(lo, d.a, d.b);
      hi = Math.max(hi, d.a, d.b);
    }
    const l0 = Math.floor(Math.log10(lo) * 4) / 4;
    const l1 = Math.max(l0 + 0.25, Math.ceil(Math.log10(hi) * 4) / 4);
    const x = (step: number) => M.l + (step / maxStep) * (LW - M.l - M.r);
    const y = (v: number) => M.t + ((l1 - Math.log10(v)) / (l1 - l0)) * (LH - M.t - M.b);
    const line = (key: 'a' | 'b') => data.map((d, i) => `${i ? 'L' : 'M'}${x(d.step).toFixed(1)},${y(d[key]).toFixed(1)}`).join('');
    // Each meta-batch has new tasks, so the raw curve is noisy: a moving average (in log space,
    // over about a tenth of the points) shows the trend on top of it.
    const smooth = (key: 'a' | 'b') => {
      const w = Math.max(1, Math.round(data.length / 10));
      let acc = 0;
      const logs = data.map((d) => Math.log10(d[key]));
      return data
        .map((d, i) => {
          acc += logs[i] - (i >= w ? logs[i - w] : 0);
          const v = 10 ** (acc / Math.min(i + 1, w));
          return `${i ? 'L' : 'M'}${x(d.step).toFixed(1)},${y(v).toFixed(1)}`;
        })
        .join('');
    };
    const yTicks: number[] = [];
    for (let e = Math.floor(l0); e <= Math.ceil(l1); e++) for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (Math.log10(v) >= l0 - 1e-9 && Math.log10(v) <= l1 + 1e-9) yTicks.push(v);
    }
    const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * maxStep));
    return { a: line('a'), b: line('b'), sa: smooth('a'), sb: smooth('b'), x, y, yTicks, xTicks };
  }, [shownMaml, shownPre]);
  return (
    <div className="chart live-chart" dir="ltr">
      <svg viewBox={`0 0 ${LW} ${LH}`} role="img" aria-label={labels.step}>
        <rect x={M.l} y={M.t} width={LW - M.l - M.r} height={LH - M.t - M.b} className="plot-area" />
        {chart?.yTicks.map((v) => (
          <g key={v}>
            <line x1={M.l} x2={LW - M.r} y1={chart.y(v)} y2={chart.y(v)} className="grid" />
            <text x={M.l - 5} y={chart.y(v) + 4} textAnchor="end" className="tick">
              {v >= 1 ? v : v.toPrecision(1)}
            </text>
          </g>
        ))}
        {chart?.xTicks.map((s) => (
          <text key={s} x={chart.x(s)} y={LH - 8} textAnchor="middle" className="tick">
            {s}
          </text>
        ))}
        {chart && <path d={chart.b} className="live-line raw" style={{ stroke: PRETRAIN_COLOR }} />}
        {chart && <path d={chart.a} className="live-line raw" style={{ stroke: MAML_COLOR }} />}
        {chart && <path d={chart.sb} className="live-line" style={{ stroke: PRETRAIN_COLOR }} />}
        {chart && <path d={chart.sa} className="live-line" style={{ stroke: MAML_COLOR }} />}
      </svg>
      <div className="legend">
        <span>
          <span className="swatch" style={{ background: MAML_COLOR }} /> {labels.maml}
        </span>
        <span>
          <span className="swatch" style={{ background: PRETRAIN_COLOR }} /> {labels.pretrain}
        </span>
        <span>x: {labels.step}</span>
        <span className="muted">— {labels.smoothed}</span>
      </div>
    </div>
  );
});

export const MseStepsChart = memo(function MseStepsChart({ maml, pretrain, labels }: { maml: number[]; pretrain: number[]; labels: { maml: string; pretrain: string; steps: string } }) {
  // A diverged evaluation shows as a gap, never as NaN.
  const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
  const data = useMemo(() => maml.map((m, i) => ({ steps: i, a: finite(m), b: finite(pretrain[i]) })), [maml, pretrain]);
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
});
