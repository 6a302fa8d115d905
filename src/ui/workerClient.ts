import type { MessageKey } from '../i18n/messages';
import type { HostCommand, HostEvent } from '../worker/hostProtocol';
import type { BackendChoice, BrowserBackend, NoticeMessage, Speed } from '../worker/vocabulary';
import { backendStatus, type TrainingStatus } from './trainingStatus';
import { useApp } from './store';

/**
 * What the labs' worker clients share: the remembered backend probe (per lab, tied to the
 * browser so an upgrade measures again), the worker's error hook, the folding of the host's
 * events (backend, notice, a snapshot's status) and, for a training worker, the shared commands.
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

/** Wires a worker's messages to `receive` and its uncaught errors to a notice (`errorKey`, with the reason). */
export function connectWorker<T>(worker: Worker, receive: (msg: T) => void, errorKey: MessageKey = 'noticeWorkerError'): void {
  worker.onmessage = (e: MessageEvent<T>) => receive(e.data);
  worker.onerror = (e) => useApp.getState().notify({ level: 'error', key: errorKey, params: { reason: e.message || 'unknown' } });
}

/** A worker's notice, shown in the notice area. */
export function showNotice(msg: NoticeMessage): void {
  useApp.getState().notify({ level: msg.level, key: msg.key, params: msg.params });
}

/** The part of a lab's zustand store the client updates. */
interface StatusStore {
  getState(): TrainingStatus;
  setState(patch: Partial<TrainingStatus>): void;
}

/**
 * The page's side of a lab's training worker (src/worker/host.ts): it starts the worker with the
 * probe this browser remembers, sends the shared commands, folds the backend into the store's
 * training status (remembering a probe's pick) and shows notices; the lab's client adds its own
 * commands and folds its other messages (`receive`). Nothing here computes tensors: training never
 * runs on the main thread.
 */
export abstract class LabWorkerClient<S, To, From extends { type: string }> {
  /** `worker` is created by the lab (Vite bundles a worker from a `new Worker(new URL(…))` in place). */
  protected constructor(
    private readonly worker: Worker,
    private readonly probeKey: string,
    private readonly store: StatusStore,
    init: { backend: BackendChoice; settings: S; speed?: Speed },
  ) {
    connectWorker<From>(worker, (msg) => this.fold(msg));
    this.post({ type: 'init', ...init, probeCache: readProbeCache(probeKey) });
  }

  send(msg: To, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  protected post(msg: HostCommand<S>): void {
    this.worker.postMessage(msg);
  }

  play = () => this.post({ type: 'play' });
  pause = () => this.post({ type: 'pause' });
  step = () => this.post({ type: 'step' });
  speed = (speed: Speed) => this.post({ type: 'speed', speed });

  terminate(): void {
    this.worker.terminate();
  }

  /** The lab's messages (everything but the backend and notices). */
  protected abstract receive(msg: Exclude<From, HostEvent>): void;

  private fold(msg: From): void {
    const host = msg as From & HostEvent;
    if (host.type === 'notice') return showNotice(host);
    if (host.type === 'backend') {
      this.store.setState(backendStatus(this.store.getState(), host));
      if (host.probe) writeProbeCache(this.probeKey, host.backend);
      return;
    }
    this.receive(msg as Exclude<From, HostEvent>);
  }
}
