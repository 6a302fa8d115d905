import type { Translate } from '../../ui/store';
import { useMemoryLab } from './store';
import { BerChart, LossCard } from './views';

/** The copy task's training curves: the loss per step, and the bit error rate by sequence length. */
type T = Translate;

export function CopyLossCard({ t }: { t: T }) {
  const losses = useMemoryLab((s) => s.losses);
  const L = useMemoryLab((s) => s.settings.maxLength);
  return <LossCard title={t('memLossTitle')} help={t('memLossHelp', { L })} losses={losses} />;
}

export function BerCard({ t }: { t: T }) {
  const evaluation = useMemoryLab((s) => s.evaluation);
  const trainedL = useMemoryLab((s) => s.settings.maxLength);
  const atTrained = evaluation ? evaluation.ber.slice(0, trainedL).reduce((a, b, i) => a + b * (i + 1), 0) / ((trainedL * (trainedL + 1)) / 2) : null;
  const atDouble = evaluation ? evaluation.ber[2 * trainedL - 1] : null;
  return (
    <section className="card">
      <h2>{t('memBerTitle')}</h2>
      <p className="help">{evaluation ? t('memBerHelp', { n: evaluation.sequences, step: evaluation.step }) : t('mseStepsNone')}</p>
      {evaluation && (
        <>
          <BerChart lengths={evaluation.lengths} ber={evaluation.ber} trained={trainedL} label={t('memBerTitle')} lengthLabel={t('memSequenceLength')} />
          <p className="metric-line" data-testid="bit-error" data-trained={atTrained?.toFixed(5)} data-double={atDouble?.toFixed(5)}>
            {t('memBerSummary', { L: trainedL, trained: pct(atTrained), double: pct(atDouble), L2: 2 * trainedL })}
          </p>
        </>
      )}
    </section>
  );
}

const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(1)}%`);
