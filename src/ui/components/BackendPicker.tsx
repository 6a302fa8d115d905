import { BROWSER_BACKENDS, type BackendChoice, type BrowserBackend, type ProbeResult } from '../../worker/vocabulary';
import type { Translate } from '../store';

export const BACKEND_CHOICES: BackendChoice[] = ['auto', ...BROWSER_BACKENDS];

export function parseBackendChoice(raw: string | null): BackendChoice | null {
  return raw !== null && (BACKEND_CHOICES as string[]).includes(raw) ? (raw as BackendChoice) : null;
}

/** The backend badge (what is really in use) and the selector (what the user asks for). */
export function BackendPicker({ t, backend, choice, probe, onChoose }: { t: Translate; backend: BrowserBackend | null; choice: BackendChoice; probe: ProbeResult[] | null; onChoose: (b: BackendChoice) => void }) {
  const probeText = probe
    ?.map((p) => `${p.backend} ${p.msPerStep === null ? '✗' : `${p.msPerStep.toFixed(1)} ms`}`)
    .join(', ');
  return (
    <span className="backend">
      <span
        className={`badge badge-${backend ?? 'none'}`}
        data-testid="backend-badge"
        data-backend={backend ?? undefined}
        title={backend ? t('backendBadgeTitle', { backend }) + (probeText ? ` · ${t('backendProbeResult', { results: probeText })}` : '') : undefined}
      >
        {backend ?? t('backendStarting')}
      </span>
      <label className="inline">
        <span className="sr-only">{t('backend')}</span>
        <select data-testid="backend-select" value={choice} onChange={(e) => onChoose(e.target.value as BackendChoice)} aria-label={t('backend')}>
          {BACKEND_CHOICES.map((b) => (
            <option key={b} value={b}>
              {b === 'auto' ? t('backendAuto') : b}
            </option>
          ))}
        </select>
      </label>
    </span>
  );
}
