import type { Drawing, DrawingSet } from '../../engine/tasks/characters';
import { useApp } from '../../ui/store';
import { connectWorker, showNotice } from '../../ui/workerClient';
import { fromWire } from '../../worker/charactersData';
import type { CharSource, FromCharsWorker, ToCharsWorker, ZipFile } from '../../worker/charactersProtocol';
import { DownloadError, fetchWithProgress, OMNIGLOT_BASE_URL, OMNIGLOT_ZIPS, progressFraction, type FileProgress } from './download';
import { patchSource, useChars } from './store';

/**
 * The page's side of the characters worker: commands out, data sets in (folded into the lab
 * store), plus the Omniglot download, which streams on the page (only byte counting) and hands the
 * bytes to the worker for decoding.
 */
export class CharactersClient {
  private readonly worker: Worker;
  private nextRequest = 1;
  private readonly pending = new Map<number, (d: Drawing | null) => void>();
  private abort: AbortController | null = null;

  constructor() {
    this.worker = new Worker(new URL('../../worker/characters.worker.ts', import.meta.url), { type: 'module', name: 'characters-data' });
    connectWorker<FromCharsWorker>(this.worker, (msg) => this.receive(msg), 'charsWorkerError');
    const s = useChars.getState();
    this.send({ type: 'init', rotations: s.rotations, prefer: s.source });
  }

  private send(msg: ToCharsWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  setRotations(on: boolean): void {
    this.send({ type: 'rotations', on });
  }

  setUserSet(set: DrawingSet, centre: boolean): void {
    this.send({ type: 'userSet', set, centre });
  }

  forgetOmniglot(): void {
    this.send({ type: 'forgetOmniglot' });
    useChars.setState({ cachedArchives: [], download: { state: 'idle', fraction: 0, loaded: 0, file: '' } });
  }

  /** The pen strokes of one image of a source (null where there are none). */
  strokes(source: CharSource, image: number): Promise<Drawing | null> {
    const request = this.nextRequest++;
    return new Promise((resolve) => {
      this.pending.set(request, resolve);
      this.send({ type: 'strokes', request, source, image });
    });
  }

  /** Zips from disk (file picker or drop): read here, decoded there. */
  async loadFiles(files: File[]): Promise<void> {
    const zips: ZipFile[] = [];
    for (const f of files) {
      try {
        zips.push({ name: f.name, bytes: await f.arrayBuffer() });
      } catch (e) {
        useApp.getState().notify({ level: 'error', key: 'charsZipRefused', params: { file: f.name, reason: e instanceof Error ? e.message : String(e) } });
      }
    }
    if (zips.length === 0) return;
    useChars.setState((s) => ({ download: { ...s.download, state: 'decoding', file: zips.map((z) => z.name).join(', ') } }));
    this.send({ type: 'zips', files: zips, origin: 'local' }, zips.map((z) => z.bytes));
  }

  /** Downloads the official zips with a progress bar, then decodes them in the worker. */
  async download(): Promise<void> {
    if (this.abort) return;
    const notify = useApp.getState().notify;
    const abort = new AbortController();
    this.abort = abort;
    const progress: FileProgress[] = OMNIGLOT_ZIPS.map((z) => ({ loaded: 0, total: null, approx: z.approxBytes, done: false }));
    const show = (file: string) =>
      useChars.setState({ download: { state: 'downloading', fraction: progressFraction(progress), loaded: progress.reduce((n, p) => n + p.loaded, 0), file } });
    show(OMNIGLOT_ZIPS[0].name);
    // Both at once: the bar counts the bytes of both.
    const results = await Promise.allSettled(
      OMNIGLOT_ZIPS.map((z, i) =>
        fetchWithProgress(
          OMNIGLOT_BASE_URL + z.name,
          (loaded, total) => {
            progress[i] = { ...progress[i], loaded, total };
            show(z.name);
          },
          { signal: abort.signal },
        ).then((bytes) => {
          progress[i] = { ...progress[i], loaded: bytes.length, done: true };
          show(z.name);
          return bytes;
        }),
      ),
    );
    this.abort = null;
    const zips: ZipFile[] = [];
    results.forEach((r, i) => {
      const name = OMNIGLOT_ZIPS[i].name;
      if (r.status === 'fulfilled') {
        const b = r.value;
        zips.push({ name, bytes: b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? (b.buffer as ArrayBuffer) : (b.slice().buffer as ArrayBuffer) });
        return;
      }
      const e = r.reason as unknown;
      if (e instanceof DownloadError && e.kind === 'aborted') return;
      const reason = e instanceof Error ? e.message : String(e);
      notify({ level: 'error', key: e instanceof DownloadError && e.kind === 'http' ? 'charsDownloadHttp' : 'charsDownloadFailed', params: { file: name, reason } });
    });
    if (abort.signal.aborted) {
      useChars.setState({ download: { state: 'idle', fraction: 0, loaded: 0, file: '' } });
      notify({ level: 'info', key: 'charsDownloadCancelled' });
      return;
    }
    if (zips.length === 0) {
      useChars.setState((s) => ({ download: { ...s.download, state: 'error' } }));
      return;
    }
    useChars.setState((s) => ({ download: { ...s.download, state: 'decoding', file: zips.map((z) => z.name).join(', ') } }));
    this.send({ type: 'zips', files: zips, origin: 'download' }, zips.map((z) => z.bytes));
  }

  cancelDownload(): void {
    this.abort?.abort();
  }

  terminate(): void {
    this.abort?.abort();
    this.worker.terminate();
    for (const r of this.pending.values()) r(null);
    this.pending.clear();
  }

  private receive(msg: FromCharsWorker): void {
    const notify = useApp.getState().notify;
    switch (msg.type) {
      case 'dataset': {
        const dataset = msg.wire ? fromWire(msg.wire) : null;
        patchSource(msg.source, { dataset, hash: msg.hash, origin: dataset ? msg.origin : null, archives: msg.archives, ms: msg.ms });
        if (msg.source === 'omniglot' && msg.origin === 'cache' && dataset) useChars.setState({ cachedArchives: msg.archives });
        // A data set replaced under the browser: keep the alphabet if it still exists, else start over.
        const s = useChars.getState();
        if (s.source === msg.source) {
          const b = s.browse;
          const ok = dataset && b.alphabet !== null && b.alphabet < dataset.alphabets.length;
          if (!ok) useChars.setState({ browse: { ...b, alphabet: null, character: null, image: null } });
          else if (b.character !== null && b.character >= dataset.characters.length) useChars.setState({ browse: { ...b, character: null, image: null } });
        }
        break;
      }
      case 'busy':
        patchSource(msg.source, { busy: msg.phase ? { phase: msg.phase, file: msg.file, index: msg.index, count: msg.count } : null });
        break;
      case 'zipsDone': {
        const ok = msg.loaded.length > 0;
        useChars.setState((s) => ({ download: { ...s.download, state: ok ? 'done' : 'error', fraction: ok ? 1 : s.download.fraction } }));
        if (ok) {
          useChars.setState({ source: 'omniglot', browse: { split: 'background', alphabet: null, character: null, image: null } });
          notify({ level: 'info', key: 'charsZipsLoaded', params: { files: msg.loaded.join(', ') } });
        }
        break;
      }
      case 'cached':
        if (msg.ok) useChars.setState({ cachedArchives: msg.archives });
        break;
      case 'notice':
        showNotice(msg);
        break;
      case 'strokes': {
        const r = this.pending.get(msg.request);
        this.pending.delete(msg.request);
        r?.(msg.drawing);
        break;
      }
    }
  }
}
