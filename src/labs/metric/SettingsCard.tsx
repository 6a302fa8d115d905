import { ApplySettings, draftChanged } from '../../ui/components/SettingsFields';
import type { Translate } from '../../ui/store';
import type { MetricSettings } from '../../worker/metricProtocol';
import { MAX_SHOTS, MAX_WAYS, WIDTHS } from './settings';
import { useMetricLab } from './store';

type T = Translate;

/** The few-shot settings: a draft the method reads (its own options only), applied by retraining. */
export function SettingsPanel({ t, onApply }: { t: T; onApply: () => void }) {
  const draft = useMetricLab((s) => s.draft);
  const settings = useMetricLab((s) => s.settings);
  const info = useMetricLab((s) => s.sourceInfo);
  const changed = draftChanged(draft, settings);
  const set = <K extends keyof MetricSettings>(k: K, v: MetricSettings[K]) => useMetricLab.setState((s) => ({ draft: { ...s.draft, [k]: v } }));
  const m = draft.method;
  const select = <K extends keyof MetricSettings>(k: K, label: string, options: { value: MetricSettings[K]; label: string }[]) => (
    <label className="field">
      <span>{label}</span>
      <select
        data-testid={`setting-${k}`}
        value={String(draft[k])}
        onChange={(e) => {
          const o = options.find((x) => String(x.value) === e.target.value);
          if (o) set(k, o.value);
        }}
      >
        {options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  // A checkpoint may bring a value outside the lab's choices (e.g. 60-way training): it is listed too.
  const range = (lo: number, hi: number, current: number) => {
    const out = Array.from({ length: hi - lo + 1 }, (_, i) => ({ value: lo + i, label: String(lo + i) }));
    return current >= lo && current <= hi ? out : out.concat({ value: current, label: String(current) });
  };
  return (
    <section className="card" data-testid="settings">
      <h2>{t('settings')}</h2>
      <div className="fields">
        {select('ways', t('metricWays'), range(2, MAX_WAYS, draft.ways))}
        {select('shots', t('metricShots'), range(1, MAX_SHOTS, draft.shots))}
        {select(
          'width',
          t('metricWidth'),
          WIDTHS.map((w) => ({ value: w, label: String(w) })),
        )}
        {m === 'siamese' &&
          select('siameseLoss', t('metricSiameseLoss'), [
            { value: 'contrastive', label: t('metricContrastive') },
            { value: 'triplet', label: t('metricTriplet') },
          ])}
        {m === 'gaussian-protonet' &&
          select('covariance', t('metricCovariance'), [
            { value: 'radius', label: t('metricRadius') },
            { value: 'diagonal', label: t('metricDiagonal') },
          ])}
        {m === 'gaussian-protonet' &&
          select('transform', t('metricTransform'), [
            { value: 'softplus', label: '1 + softplus(s)' },
            { value: 'sigmoid', label: '1 + sigmoid(s)' },
            { value: 'sigmoid4', label: '1 + 4·sigmoid(s)' },
            { value: 'learned', label: t('metricTransformLearned') },
          ])}
        {m === 'semi-protonet' &&
          select('semiVariant', t('metricSemiVariant'), [
            { value: 'soft-kmeans', label: t('metricSoftKmeans') },
            { value: 'distractor', label: t('metricDistractor') },
            { value: 'masked', label: t('metricMasked') },
          ])}
        {m === 'matching' &&
          select('fce', t('metricFce'), [
            { value: false, label: t('metricOff') },
            { value: true, label: t('metricOn') },
          ])}
        {m === 'matching' &&
          select('cosineScale', t('metricCosineScale'), [
            { value: true, label: t('metricScaleLearned') },
            { value: false, label: t('metricScalePaper') },
          ])}
        {select('episodes', t('metricBudget'), [200, 500, 1000, 2000, 5000, 10000, 20000].map((n) => ({ value: n, label: String(n) })).concat(
          [200, 500, 1000, 2000, 5000, 10000, 20000].includes(draft.episodes) ? [] : [{ value: draft.episodes, label: String(draft.episodes) }],
        ))}
        {select('source', t('metricSource'), [
          { value: 'synthetic', label: t('metricSourceSynthetic') },
          { value: 'omniglot', label: t('metricSourceOmniglot') },
        ])}
        <label className="field">
          <span>{t('settingSeed')}</span>
          <input
            type="number"
            min={0}
            step={1}
            value={draft.seed}
            data-testid="setting-seed"
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 0) set('seed', n);
            }}
          />
        </label>
      </div>
      {info && (
        <p className="help small" data-testid="source-info">
          {t('metricSourceInfo', { source: info.source === 'omniglot' ? t('metricSourceOmniglot') : t('metricSourceSynthetic'), alphabets: info.alphabets, characters: info.characters })}
        </p>
      )}
      <p className="help small">{t('metricSettingsHelp')}</p>
      <ApplySettings t={t} changed={changed} onApply={onApply} label="metricApply" />
    </section>
  );
}
