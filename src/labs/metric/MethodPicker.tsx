import { METRIC_METHODS, type MetricMethod } from '../../engine/algorithms/metric/types';
import type { Translate } from '../../ui/store';
import { METHOD_COLOURS } from './colours';
import { methodName } from './methods';
import { useMetricLab } from './store';

type T = Translate;

/** The methods the engine has, as one segmented control, and the chosen method's own options. */
export function MethodPicker({ t, onChoose }: { t: T; onChoose: (m: MetricMethod) => void }) {
  const available = useMetricLab((s) => s.available);
  const method = useMetricLab((s) => s.settings.method);
  const trained = useMetricLab((s) => s.trained);
  const shown = available.length > 0 ? METRIC_METHODS.filter((m) => available.includes(m)) : [method];
  return (
    <div className="method-picker segmented" role="group" aria-label={t('metricMethod')} data-testid="method-picker">
      {shown.map((m) => (
        <button key={m} type="button" className={m === method ? 'on' : undefined} aria-pressed={m === method} data-testid={`method-${m}`} onClick={() => onChoose(m)}>
          <span className="swatch" style={{ background: METHOD_COLOURS[m] }} /> {methodName(t, m)}
          {(trained[m] ?? 0) > 0 && <span className="count">{trained[m]}</span>}
        </button>
      ))}
    </div>
  );
}
