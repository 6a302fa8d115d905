import type { Translate } from '../store';

/** A diverged loss as text: its value in exponent form, or ∞ when it overflowed (or is NaN). */
export const divergedLossText = (loss: number) => (Number.isFinite(loss) ? loss.toExponential(2) : '∞');

/**
 * The card every training lab shows when its worker stopped a diverging run: what happened (the
 * lab's own sentence, `body`) and a reset. Training stays stopped until the user resets.
 */
export function DivergedCard({ t, body, onReset, testId = 'diverged' }: { t: Translate; body: string; onReset: () => void; testId?: string }) {
  return (
    <div className="card diverged" role="alert" data-testid={testId}>
      <h2>{t('divergedTitle')}</h2>
      <p>{body}</p>
      <button type="button" className="primary" onClick={onReset} data-testid={`${testId}-reset`}>
        ↺ {t('reset')}
      </button>
    </div>
  );
}
