import { COPY_SCHEMA } from '../../engine/algorithms/copyConfig';
import { MANN_SCHEMA } from '../../engine/algorithms/mannConfig';
import { ApplySettings, draftChanged, SettingsFields } from '../../ui/components/SettingsFields';
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
  const changed = draftChanged(draft, settings);
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
      <ApplySettings t={t} changed={changed} onApply={onApply} />
    </section>
  );
}

export function MannSettingsPanel({ t, onApply }: { t: T; onApply: () => void }) {
  const draft = useMemoryLab((s) => s.mannDraft);
  const settings = useMemoryLab((s) => s.mann);
  const changed = draftChanged(draft, settings);
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
      <ApplySettings t={t} changed={changed} onApply={onApply} testId="apply-mann-settings" />
    </section>
  );
}
