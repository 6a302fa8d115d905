import { useEffect, useRef, useState } from 'react';
import { Equation } from '../../ui/components/Equation';
import { parseBackendChoice } from '../../ui/components/BackendPicker';
import { searchParam } from '../../ui/route';
import { useT } from '../../ui/store';
import type { GradCheckResult } from '../../engine/core/ops/gradcheck';
import type { ConvMamlTimingRow } from '../../engine/algorithms/convMamlTiming';
import type { DiagnosticsEvent, DiagnosticsRequest } from '../../worker/diagnostics.worker';
import { BROWSER_BACKENDS, type BrowserBackend } from '../../worker/vocabulary';

/** #/diagnostics — does this browser's backend compute correct (second-order) gradients? */
export default function DiagnosticsLab({ params }: { params: URLSearchParams }) {
  const t = useT();
  const requested = parseBackendChoice(searchParam('backend') ?? params.get('backend'));
  const [backend, setBackend] = useState<BrowserBackend>(requested && requested !== 'auto' ? requested : 'webgpu');
  const [results, setResults] = useState<GradCheckResult[]>([]);
  const [state, setState] = useState<{ phase: 'idle' | 'running' | 'done' | 'unavailable'; ok?: boolean; ms?: number; ran?: BrowserBackend }>({ phase: 'idle' });
  const worker = useRef<Worker | null>(null);
  const only = params.get('only')?.split(',').filter(Boolean);

  const [timing, setTiming] = useState<{ phase: 'idle' | 'running' | 'done'; row?: ConvMamlTimingRow; backend?: BrowserBackend }>({ phase: 'idle' });
  const [width, setWidth] = useState(32);
  const timer = useRef<Worker | null>(null);

  useEffect(
    () => () => {
      worker.current?.terminate();
      timer.current?.terminate();
    },
    [],
  );

  const time = () => {
    timer.current?.terminate();
    const w = new Worker(new URL('../../worker/diagnostics.worker.ts', import.meta.url), { type: 'module', name: 'diagnostics-timing' });
    timer.current = w;
    setTiming({ phase: 'running', backend });
    w.onmessage = (e: MessageEvent<DiagnosticsEvent>) => {
      const m = e.data;
      if (m.type === 'timing') setTiming({ phase: 'done', row: m.row, backend: m.backend });
      else if (m.type === 'unavailable') setTiming({ phase: 'idle' });
    };
    w.postMessage({ type: 'time', backend, width, repeats: 3 } satisfies DiagnosticsRequest);
  };

  const run = () => {
    worker.current?.terminate();
    const w = new Worker(new URL('../../worker/diagnostics.worker.ts', import.meta.url), { type: 'module', name: 'diagnostics' });
    worker.current = w;
    setResults([]);
    setState({ phase: 'running', ran: backend });
    w.onmessage = (e: MessageEvent<DiagnosticsEvent>) => {
      const m = e.data;
      if (m.type === 'result') setResults((r) => [...r, m.result]);
      else if (m.type === 'done') setState({ phase: 'done', ok: m.ok, ms: m.ms, ran: backend });
      else if (m.type === 'unavailable') setState({ phase: 'unavailable', ran: backend });
    };
    w.postMessage({ type: 'run', backend, only } satisfies DiagnosticsRequest);
  };

  return (
    <div className="lab diagnostics-lab">
      <section className="card">
        <h2>{t('diagnosticsTitle')}</h2>
        <p className="help">{t('diagnosticsIntro')}</p>
        <Equation tex={String.raw`\nabla_\theta \mathcal{L}\big(\theta - \alpha \nabla_\theta \mathcal{L}_{\text{support}}(\theta)\big) \;\text{needs}\; \nabla^2_\theta \mathcal{L}_{\text{support}}(\theta)\, v`} />
        <div className="controls">
          <label className="inline">
            {t('backend')}{' '}
            <select data-testid="diagnostics-backend" value={backend} onChange={(e) => setBackend(e.target.value as BrowserBackend)}>
              {BROWSER_BACKENDS.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" data-testid="diagnostics-run" onClick={run} disabled={state.phase === 'running'}>
            {state.phase === 'running' ? t('diagnosticsRunning') : t('diagnosticsRun')}
          </button>
          {state.phase === 'done' && (
            <span className={`badge ${state.ok ? 'badge-webgpu' : 'badge-fail'}`} data-testid="gradcheck-summary" data-ok={String(state.ok)} data-backend={state.ran}>
              {state.ok ? t('diagnosticsAllOk', { backend: state.ran ?? '', n: results.length }) : t('diagnosticsSomeFailed', { backend: state.ran ?? '', n: results.filter((r) => !r.ok).length })}
            </span>
          )}
          {state.phase === 'unavailable' && (
            <span className="badge badge-fail" data-testid="gradcheck-summary" data-ok="false">
              {t('noticeBackendUnavailable', { backend: state.ran ?? '' })}
            </span>
          )}
          {state.ms !== undefined && <span className="muted">{(state.ms / 1000).toFixed(1)} s</span>}
        </div>
      </section>
      <section className="card">
        <h2>{t('timingTitle')}</h2>
        <p className="help">{t('timingIntro')}</p>
        {backend === 'cpu' && (
          <p className="help" data-testid="timing-cpu-warning">
            {t('timingCpuWarning')}
          </p>
        )}
        <div className="controls">
          <label className="inline">
            {t('timingWidth')}{' '}
            <select data-testid="timing-width" value={width} onChange={(e) => setWidth(Number(e.target.value))}>
              {[16, 32, 64].map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid="timing-run" onClick={time} disabled={timing.phase === 'running'}>
            {timing.phase === 'running' ? t('diagnosticsRunning') : t('timingRun')}
          </button>
          {timing.phase === 'done' && timing.row && (
            <span
              data-testid="timing-result"
              data-backend={timing.backend}
              data-first-ms={timing.row.first_order_ms}
              data-second-ms={timing.row.second_order_ms}
              data-ratio={timing.row.ratio}
            >
              {t('timingResult', {
                backend: timing.backend ?? '',
                first: timing.row.first_order_ms,
                second: timing.row.second_order_ms,
                ratio: timing.row.ratio,
              })}
            </span>
          )}
        </div>
      </section>
      {results.length > 0 && (
        <section className="card">
          <table className="results" data-testid="gradcheck-table">
            <thead>
              <tr>
                <th>{t('diagnosticsCheck')}</th>
                <th>{t('diagnosticsOrder')}</th>
                <th>{t('diagnosticsError')}</th>
                <th>{t('diagnosticsTolerance')}</th>
                <th><span className="sr-only">{t('checkResult')}</span></th>
              </tr>
            </thead>
            <tbody>
              {results.map((r, i) => (
                <tr key={`${r.name}-${r.order}-${i}`} data-testid="gradcheck-row" data-name={r.name} data-ok={String(r.ok)} className={r.ok ? undefined : 'fail'}>
                  <td>
                    <code>{r.name}</code>
                    {r.note && <div className="muted small">{r.note}</div>}
                    {r.error && <div className="small warn">{r.error}</div>}
                  </td>
                  <td>{r.order === 1 ? t('diagnosticsFirst') : t('diagnosticsSecond')}</td>
                  <td dir="ltr">{r.max_rel_err === null ? '—' : r.max_rel_err.toExponential(2)}</td>
                  <td dir="ltr">{r.tolerance}</td>
                  <td>{r.ok ? '✓' : '✗'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
