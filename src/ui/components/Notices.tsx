import { useEffect, useState } from 'react';
import { useApp, useT, type Notice } from '../store';

/** How long a notice stays unless dismissed: errors stay until the reader closes them. */
const LIFETIME_MS: Record<Notice['level'], number | null> = { info: 10_000, warning: 15_000, error: null };

/**
 * Notices (invalid links, backend fallbacks, refused files, loaded checkpoints) as toasts in a
 * fixed corner of the window: always in view, whichever control caused them, and never pushing the
 * page. Info and warnings go to a polite live region, errors to an assertive one; both regions
 * exist before any toast does, so screen readers announce what is added to them.
 */
export function Notices() {
  const notices = useApp((s) => s.notices);
  const errors = notices.filter((n) => n.level === 'error');
  const others = notices.filter((n) => n.level !== 'error');
  return (
    <div className="toasts">
      <div role="alert" className="toast-list">
        {errors.map((n) => (
          <Toast key={n.id} notice={n} />
        ))}
      </div>
      <div role="status" aria-live="polite" className="toast-list">
        {others.map((n) => (
          <Toast key={n.id} notice={n} />
        ))}
      </div>
    </div>
  );
}

/** One notice with its close button; it dismisses itself after its lifetime, paused while pointed at or focused. */
function Toast({ notice }: { notice: Notice }) {
  const t = useT();
  const dismiss = useApp((s) => s.dismiss);
  const [held, setHeld] = useState(false);
  const lifetime = LIFETIME_MS[notice.level];

  useEffect(() => {
    if (lifetime === null || held) return;
    const timer = window.setTimeout(() => dismiss(notice.id), lifetime);
    return () => window.clearTimeout(timer);
  }, [lifetime, held, dismiss, notice.id]);

  const hold = () => setHeld(true);
  const release = () => setHeld(false);
  return (
    <div
      className={`notice notice-${notice.level}`}
      data-testid="notice"
      data-key={notice.key}
      onMouseEnter={hold}
      onMouseLeave={release}
      onFocus={hold}
      onBlur={release}
    >
      <span>{t(notice.key, notice.params)}</span>
      <button type="button" className="link" onClick={() => dismiss(notice.id)} aria-label={t('dismiss')}>
        ×
      </button>
    </div>
  );
}
