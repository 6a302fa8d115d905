import { useApp, useT } from '../store';

/** Notices (invalid links, backend fallbacks, refused files) stacked at the top of the page. */
export function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismiss);
  const t = useT();
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.level}`} data-testid="notice" data-key={n.key}>
          <span>{t(n.key, n.params)}</span>
          <button type="button" className="link" onClick={() => dismiss(n.id)} aria-label={t('dismiss')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
