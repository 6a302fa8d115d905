import { useCallback, useMemo } from 'react';
import type { Translate } from '../../ui/store';
import { READ_COLOR, WRITE_COLOR } from './colours';
import { useMemoryLab } from './store';
import { Matrix } from './views';

/**
 * The copy model's memory: the matrix at the step in view with that step's head weightings beside
 * it, and the read and write weightings over the whole sequence.
 */
type T = Translate;

export function NoMemory({ t }: { t: T }) {
  return <p className="help">{t('memNoMemory')}</p>;
}

export function MemoryCard({ t }: { t: T }) {
  const trace = useMemoryLab((s) => s.trace);
  const selStep = useMemoryLab((s) => s.selStep);
  const hasMemory = trace !== null && trace.memory.length > 0;
  const step = trace ? Math.min(selStep, trace.steps - 1) : 0;
  const N = trace?.slots ?? 1;
  const M = trace?.width ?? 1;
  const H = trace ? trace.readHeads + trace.writeHeads : 1;
  const slice = useMemo(() => (hasMemory ? trace!.memory.subarray(step * N * M, (step + 1) * N * M) : null), [hasMemory, trace, step, N, M]);
  const scale = useMemo(() => {
    if (!slice) return 1;
    let m = 0;
    for (const v of slice) m = Math.max(m, Math.abs(v));
    return Math.max(0.05, m);
  }, [slice]);
  const checksum = useMemo(() => (slice ? slice.reduce((a, v, i) => a + v * ((i % 7) + 1), 0).toFixed(4) : ''), [slice]);
  const value = useCallback((r: number, c: number) => (slice ? slice[r * M + c] : 0), [slice, M]);
  // Weightings of this step, write heads then read heads, as thin columns beside the matrix.
  const heads = useCallback(
    (r: number, c: number) => {
      if (!trace) return 0;
      const h = c < trace.writeHeads ? trace.readHeads + c : c - trace.writeHeads;
      return trace.weights[(step * H + h) * N + r];
    },
    [trace, step, H, N],
  );
  // Both canvases share one cell size, so the head columns line up with the slots.
  const cell = Math.max(2, Math.min(18, Math.floor(280 / N)));
  const mCell = Math.max(cell, Math.min(36, Math.floor(220 / M)));
  return (
    <section className="card">
      <h2>{t('memMemoryTitle')}</h2>
      {!hasMemory ? (
        <NoMemory t={t} />
      ) : (
        <>
          <p className="help">{t('memMemoryHelp', { N, M })}</p>
          <div className="memory-view" dir="ltr">
            <Matrix value={value} rows={N} cols={M} map="diverging" scale={scale} cellW={mCell} cellH={cell} fixedSize testId="memory-heatmap" label={t('memMemoryTitle')} version={slice} data={{ step, checksum }} />
            <div className="head-columns">
              <Matrix value={heads} rows={N} cols={trace!.writeHeads + trace!.readHeads} map="heat" cellW={Math.max(cell, 14)} cellH={cell} label={t('memHeadColumns')} version={`${step}:${trace!.weights.length}:${checksum}`} testId="memory-heads" fixedSize />
              <div className="head-legend">
                <span style={{ color: WRITE_COLOR }}>{t('memWriteShort')}</span> <span style={{ color: READ_COLOR }}>{t('memReadShort')}</span>
              </div>
            </div>
          </div>
          <p className="help small" dir="ltr">
            max |M| = {scale.toFixed(3)}
          </p>
        </>
      )}
    </section>
  );
}

export function AttentionCard({ t }: { t: T }) {
  const trace = useMemoryLab((s) => s.trace);
  const selStep = useMemoryLab((s) => s.selStep);
  const hasMemory = trace !== null && trace.memory.length > 0;
  const N = trace?.slots ?? 1;
  const H = trace ? trace.readHeads + trace.writeHeads : 1;
  const steps = trace?.steps ?? 1;
  const at = useCallback((head: number) => (r: number, c: number) => (trace ? trace.weights[(c * H + head) * N + r] : 0), [trace, H, N]);
  const write = useMemo(() => at(trace ? trace.readHeads : 0), [at, trace]);
  const read = useMemo(() => at(0), [at]);
  const cell = N > 32 ? 3 : Math.max(6, Math.min(12, Math.floor(300 / steps)));
  const select = (_r: number, c: number) => useMemoryLab.setState({ selStep: c });
  return (
    <section className="card">
      <h2>{t('memAttentionTitle')}</h2>
      {!hasMemory ? (
        <NoMemory t={t} />
      ) : (
        <>
          <p className="help">{t('memAttentionHelp')}</p>
          <div className="attention" dir="ltr">
            <figure>
              <figcaption style={{ color: WRITE_COLOR }}>{t('memWriteWeights')}</figcaption>
              <Matrix value={write} rows={N} cols={steps} map="heat" cell={cell} highlightCol={selStep} splitAfter={[trace!.length, trace!.length + 1]} testId="write-weights" label={t('memWriteWeights')} version={trace} onCell={select} />
            </figure>
            <figure>
              <figcaption style={{ color: READ_COLOR }}>{t('memReadWeights')}</figcaption>
              <Matrix value={read} rows={N} cols={steps} map="heat" cell={cell} highlightCol={selStep} splitAfter={[trace!.length, trace!.length + 1]} testId="read-weights" label={t('memReadWeights')} version={trace} onCell={select} />
            </figure>
          </div>
        </>
      )}
    </section>
  );
}
