/**
 * Downloading the official Omniglot zips with a progress bar: fetch, then count the bytes as the
 * response body streams in. Decoding happens in the worker; this only moves bytes.
 */

/** The `python/` folder of the official Omniglot repository (Lake et al.), served with CORS by GitHub. */
export const OMNIGLOT_BASE_URL = 'https://raw.githubusercontent.com/brendenlake/omniglot/master/python/';

/** The two full image sets; sizes are used for the progress bar when the server sends no length. */
export const OMNIGLOT_ZIPS: readonly { name: string; approxBytes: number }[] = [
  { name: 'images_background.zip', approxBytes: 9_464_212 },
  { name: 'images_evaluation.zip', approxBytes: 6_462_886 },
];

/**
 * The most one download may bring (the official zips are under 10 MB): a server that sends more
 * is cut off as the bytes arrive, before they fill the tab's memory.
 */
export const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;

export type DownloadFailure = 'network' | 'http' | 'aborted' | 'too-large';

export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    readonly kind: DownloadFailure,
    readonly url: string,
    detail: string,
  ) {
    super(detail);
  }
}

export interface FileProgress {
  loaded: number;
  /** From Content-Length; null when unknown. */
  total: number | null;
  /** A fallback size for the bar when `total` is unknown. */
  approx: number;
  done: boolean;
}

/** Overall progress in [0, 1] over several files (a finished file counts as whole). */
export function progressFraction(files: readonly FileProgress[]): number {
  let got = 0;
  let want = 0;
  for (const f of files) {
    const size = f.done ? f.loaded : Math.max(f.total ?? f.approx, f.loaded);
    got += f.loaded;
    want += size;
  }
  if (want <= 0) return files.length > 0 && files.every((f) => f.done) ? 1 : 0;
  return Math.min(1, got / want);
}

/**
 * Fetches `url` and returns its bytes, calling `onProgress(loaded, total)` as chunks arrive.
 * Network failures, HTTP errors, aborts and a body over `maxBytes` (default MAX_DOWNLOAD_BYTES,
 * judged by Content-Length first, then by the bytes received) become a DownloadError saying which.
 */
export async function fetchWithProgress(
  url: string,
  onProgress: (loaded: number, total: number | null) => void,
  options: { signal?: AbortSignal; fetchImpl?: typeof fetch; maxBytes?: number } = {},
): Promise<Uint8Array> {
  const doFetch = options.fetchImpl ?? fetch;
  const maxBytes = options.maxBytes ?? MAX_DOWNLOAD_BYTES;
  const tooLarge = () => new DownloadError('too-large', url, `it is larger than the ${Math.round(maxBytes / 2 ** 20)} MB accepted; the Omniglot zips are under 10 MB`);
  let res: Response;
  try {
    res = await doFetch(url, { signal: options.signal });
  } catch (e) {
    throw asDownloadError(e, url, options.signal);
  }
  if (!res.ok) throw new DownloadError('http', url, `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  const header = Number(res.headers.get('content-length'));
  const total = Number.isFinite(header) && header > 0 ? header : null;
  if (total !== null && total > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  onProgress(0, total);
  try {
    if (!res.body) {
      const all = new Uint8Array(await res.arrayBuffer());
      if (all.length > maxBytes) throw tooLarge();
      onProgress(all.length, total);
      return all;
    }
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.length;
      if (loaded > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
      onProgress(loaded, total);
    }
    const out = new Uint8Array(loaded);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } catch (e) {
    throw asDownloadError(e, url, options.signal);
  }
}

function asDownloadError(e: unknown, url: string, signal?: AbortSignal): DownloadError {
  if (e instanceof DownloadError) return e;
  if (signal?.aborted || (e instanceof Error && e.name === 'AbortError')) return new DownloadError('aborted', url, 'cancelled');
  return new DownloadError('network', url, e instanceof Error ? e.message : String(e));
}
