import { DEFAULT_SINE_CONFIG, SINE_ALGORITHM_INFO, SINE_LAB_SCHEMA, type SineLabAlgorithm, type SinePresetValues, type SineSettings } from '../../engine/algorithms/sineConfig';
import type { MessageKey } from '../../i18n/messages';
import { INEQUALITY_NAME } from '../../ui/components/inequalityMeasures';
import { ApplySettings, draftChanged, SettingsFields } from '../../ui/components/SettingsFields';
import type { Translate } from '../../ui/store';
import { LAB_ALGORITHMS } from './settings';
import { useSine } from './store';

/** The sine lab's settings card: the algorithm, its presets and the schema's fields edit a draft; Apply retrains with it. */
export const ALGORITHM_NAME: Record<SineLabAlgorithm, MessageKey> = {
  maml: 'maml',
  fomaml: 'fomaml',
  reptile: 'algReptile',
  metasgd: 'algMetaSgd',
  caml: 'algCaml',
  'maml-ga': 'algMamlGa',
  'reptile-ga': 'algReptileGa',
  taml: 'algTaml',
  daml: 'algDaml',
};

/** The lab's settings among a preset's values (the rest, e.g. layer sizes, stay the algorithm's own). */
function settingsPart(v: SinePresetValues): Partial<SineSettings> {
  const out: Partial<SineSettings> = {};
  for (const key of Object.keys(SINE_LAB_SCHEMA) as (keyof SineSettings)[]) if (key in v) (out as Record<string, unknown>)[key] = (v as Record<string, unknown>)[key];
  return out;
}

/** The fields under the algorithm selector, in the panel's order (each shown only for the algorithms that read it). */
const PANEL_FIELDS = ['k', 'alpha', 'innerSteps', 'metaLr', 'metaBatch', 'seed', 'firstOrder', 'epsilon', 'reptileMode', 'innerOptimizer', 'contextAlpha', 'tamlLambda', 'tamlMeasure'] as const;

export function SettingsPanel({ t, onApply }: { t: Translate; onApply: () => void }) {
  const draft = useSine((st) => st.draft);
  const settings = useSine((st) => st.settings);
  const changed = draftChanged(draft, settings);
  const alg = draft.algorithm;
  const info = SINE_ALGORITHM_INFO[alg];
  // A new algorithm starts from this playground's defaults for it (K and the seed stay).
  const chooseAlgorithm = (a: SineLabAlgorithm) =>
    useSine.setState((st) => ({
      draft: { ...st.draft, ...settingsPart(DEFAULT_SINE_CONFIG), ...settingsPart(SINE_ALGORITHM_INFO[a].defaults), algorithm: a, k: st.draft.k, seed: st.draft.seed },
    }));
  return (
    <section className="card">
      <h2>{t('settings')}</h2>
      <label className="field">
        <span>{t('settingAlgorithm')}</span>
        <select value={alg} data-testid="setting-algorithm" onChange={(e) => chooseAlgorithm(e.target.value as SineLabAlgorithm)}>
          {LAB_ALGORITHMS.map((a) => (
            <option key={a} value={a}>
              {t(ALGORITHM_NAME[a])}
            </option>
          ))}
        </select>
      </label>
      {info.presets.length > 0 && (
        <div className="presets">
          <span className="muted">{t('settingPresets')}</span>
          {info.presets.map((p) => (
            <button
              type="button"
              key={p.id}
              data-testid={`preset-${p.id}`}
              title={p.citation}
              onClick={() => useSine.setState((st) => ({ draft: { ...st.draft, ...settingsPart(p.values) } }))}
            >
              {t(p.source === 'book' ? 'presetBook' : 'presetPaper')}
            </button>
          ))}
          <p className="help preset-cite">{info.presets.map((p) => `${t(p.source === 'book' ? 'presetBook' : 'presetPaper')}: ${p.citation}`).join(' · ')}</p>
        </div>
      )}
      <div className="fields">
        <SettingsFields
          schema={SINE_LAB_SCHEMA}
          values={draft}
          subject={alg}
          fields={PANEL_FIELDS}
          t={t}
          onChange={(patch) => useSine.setState((st) => ({ draft: { ...st.draft, ...patch } }))}
          choiceText={{
            reptileMode: (m) => t(m === 'serial' ? 'reptileSerial' : 'reptileBatched'),
            innerOptimizer: (m) => t(m === 'adam' ? 'innerAdam' : 'innerSgd'),
            tamlMeasure: (m) => t(INEQUALITY_NAME[m]),
          }}
        />
      </div>
      <ApplySettings t={t} changed={changed} onApply={onApply} />
    </section>
  );
}
