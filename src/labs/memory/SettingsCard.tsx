import { COPY_SCHEMA, type CopySettings } from '../../engine/algorithms/copyConfig';
import { MANN_SCHEMA, type MannSettings } from '../../engine/algorithms/mannConfig';
import { SettingsFields } from '../../ui/components/SettingsFields';
import type { Translate } from '../../ui/store';
import { useMemoryLab } from './store';

/**
 * The settings cards of both tasks: the fields come from the engine's copy and MANN schemas and edit
 * a draft; Apply retrains with it (the page's reset).
 */
type T = Translate;

export function CopySettingsPanel({ t, onApply }: { t: T; onApply: () => void }) {
  const draft = useMemoryLab((s) => s.draft);
  const settings = useMemoryLab((s) => s.settings);
  const changed = (Object.keys(draft) as (keyof CopySettings)[]).some((k) => draft[k] !== settings[k]);
  return (
    <section className="card">
      <h2>{t('settings')}</h2>
      <div className="fields">
        <SettingsFields
          schema={COPY_SCHEMA}
          values={draft}
          subject={draft.model}
          t={t}
          testId={(key) => `setting-${key}`}
          onChange={(patch) => useMemoryLab.setState((s) => ({ draft: { ...s.draft, ...patch } }))}
          choiceText={{
            model: (m) => t(m === 'ntm' ? 'memModelNtm' : 'memModelLstm'),
            preset: (p) => t(p === 'small' ? 'memPresetSmall' : 'memPresetLarge'),
            controller: (c) => t(c === 'lstm' ? 'memControllerLstm' : 'memControllerFf'),
          }}
        />
      </div>
      {changed && <p className="help warn">{t('settingsChanged')}</p>}
      <button type="button" className={changed ? 'primary' : undefined} data-testid="apply-settings" onClick={onApply}>
        {t('applySettings')}
      </button>
    </section>
  );
}

export function MannSettingsPanel({ t, onApply }: { t: T; onApply: () => void }) {
  const draft = useMemoryLab((s) => s.mannDraft);
  const settings = useMemoryLab((s) => s.mann);
  const changed = (Object.keys(draft) as (keyof MannSettings)[]).some((k) => draft[k] !== settings[k]);
  return (
    <section className="card">
      <h2>{t('settings')}</h2>
      <div className="fields">
        <SettingsFields
          schema={MANN_SCHEMA}
          values={draft}
          t={t}
          onChange={(patch) => useMemoryLab.setState((s) => ({ mannDraft: { ...s.mannDraft, ...patch } }))}
          choiceText={{ preset: (p) => t(p === 'small' ? 'memMannPresetSmall' : 'memMannPresetLarge') }}
        />
      </div>
      {changed && <p className="help warn">{t('settingsChanged')}</p>}
      <button type="button" className={changed ? 'primary' : undefined} data-testid="apply-mann-settings" onClick={onApply}>
        {t('applySettings')}
      </button>
    </section>
  );
}
