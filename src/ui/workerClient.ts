import type { BrowserBackend } from '../worker/vocabulary';
import { useApp } from './store';

/**
 * What the labs' worker clients share: the remembered backend probe (per lab, tied to the
 * browser so an upgrade measures again) and the worker's error hook.
 */
export function readProbeCache(key: string): BrowserBackend | null {
  try {
    const raw = window.localStorage.getItem(key);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as { backend: BrowserBackend; userAgent: string };
    return parsed.userAgent === navigator.userAgent ? parsed.backend : null;
  } catch {
    return null;
  }
}

export function writeProbeCache(key: string, backend: BrowserBackend): void {
  try {
    window.localStorage.setItem(key, JSON.stringify({ backend, userAgent: navigator.userAgent }));
  } catch {
    // not remembered in private mode: the next visit measures again
  }
}

/** Wires a lab worker's messages to `receive` and its uncaught errors to a notice. */
export function connectWorker<T>(worker: Worker, receive: (msg: T) => void): void {
  worker.onmessage = (e: MessageEvent<T>) => receive(e.data);
  worker.onerror = (e) => useApp.getState().notify({ level: 'error', key: 'noticeWorkerError', params: { reason: e.message || 'unknown' } });
}
