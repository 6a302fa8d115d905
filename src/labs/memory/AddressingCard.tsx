import type { Translate } from '../../ui/store';
import { READ_COLOR, WRITE_COLOR } from './colours';
import { phaseText } from './CopyCard';
import { NoMemory } from './MemoryHeatmap';
import { useMemoryLab } from './store';
import { Bars } from './views';

/**
 * The NTM's addressing pipeline for one head at the step in view: content, gated, shifted and
 * sharpened weightings, with the head's key (and, for a write head, its erase and add vectors).
 */
type T = Translate;

const fmt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2));

export function AddressingCard({ t }: { t: T }) {
  const trace = useMemoryLab((s) => s.trace);
  const selStep = useMemoryLab((s) => s.selStep);
  const head = useMemoryLab((s) => s.head);
  if (!trace || trace.memory.length === 0)
    return (
      <section className="card">
        <h2>{t('memAddressingTitle')}</h2>
        <NoMemory t={t} />
      </section>
    );
  const N = trace.slots;
  const M = trace.width;
  const H = trace.readHeads + trace.writeHeads;
  const h = Math.min(head, H - 1);
  const step = Math.min(selStep, trace.steps - 1);
  const row = (a: Float32Array, width: number) => a.subarray((step * H + h) * width, (step * H + h + 1) * width);
  const scalar = (a: Float32Array) => a[step * H + h];
  const isWrite = h >= trace.readHeads;
  const s = row(trace.shift, 3);
  const color = isWrite ? WRITE_COLOR : READ_COLOR;
  const w = h - trace.readHeads;
  const stages = [
    { id: 'content', title: t('memStageContent', { beta: fmt(scalar(trace.beta)) }), values: row(trace.content, N) },
    { id: 'gated', title: t('memStageGated', { g: fmt(scalar(trace.gate)) }), values: row(trace.gated, N) },
    { id: 'shifted', title: t('memStageShifted', { s: `(${fmt(s[0])}, ${fmt(s[1])}, ${fmt(s[2])})` }), values: row(trace.shifted, N) },
    { id: 'sharpened', title: t('memStageSharpened', { gamma: fmt(scalar(trace.gamma)) }), values: row(trace.weights, N) },
  ];
  return (
    <section className="card" data-testid="addressing">
      <h2>{t('memAddressingTitle')}</h2>
      <p className="help">{t('memAddressingHelp', { step, phase: phaseText(t, step, trace.length) })}</p>
      <div className="buttons segmented" role="group" aria-label={t('memHead')}>
        {Array.from({ length: H }, (_, i) => (
          <button key={i} type="button" className={i === h ? 'on' : undefined} aria-pressed={i === h} data-testid={`head-${i}`} onClick={() => useMemoryLab.setState({ head: i })}>
            {i < trace.readHeads ? t('memReadHead', { n: i + 1 }) : t('memWriteHead', { n: i - trace.readHeads + 1 })}
          </button>
        ))}
      </div>
      <div className="pipeline">
        {stages.map((st, i) => (
          <figure key={st.id} className="stage" data-stage={st.id}>
            <figcaption>
              {i > 0 && <span className="arrow">→ </span>}
              {st.title}
            </figcaption>
            <Bars values={st.values} color={color} label={st.title} testId={`stage-${st.id}`} />
          </figure>
        ))}
      </div>
      <div className="vectors">
        <figure>
          <figcaption>{t('memKey')}</figcaption>
          <Bars values={row(trace.key, M)} signed color={color} label={t('memKey')} height={50} />
        </figure>
        {isWrite && (
          <>
            <figure>
              <figcaption>{t('memErase')}</figcaption>
              <Bars values={trace.erase.subarray((step * trace.writeHeads + w) * M, (step * trace.writeHeads + w + 1) * M)} color="#495057" label={t('memErase')} height={50} testId="erase-vector" />
            </figure>
            <figure>
              <figcaption>{t('memAdd')}</figcaption>
              <Bars values={trace.add.subarray((step * trace.writeHeads + w) * M, (step * trace.writeHeads + w + 1) * M)} signed color={WRITE_COLOR} label={t('memAdd')} height={50} testId="add-vector" />
            </figure>
          </>
        )}
      </div>
    </section>
  );
}
