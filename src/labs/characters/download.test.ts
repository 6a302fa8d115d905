import { describe, expect, it } from 'vitest';
import { DownloadError, fetchWithProgress, MAX_DOWNLOAD_BYTES, OMNIGLOT_BASE_URL, OMNIGLOT_ZIPS, progressFraction } from './download';

/** A Response streaming `chunks`, as a server would. */
function streamed(chunks: number[][], headers: Record<string, string> = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const ch of chunks) c.enqueue(new Uint8Array(ch));
      c.close();
    },
  });
  return new Response(body, { status: 200, headers });
}

describe('downloading with progress', () => {
  it('points at the official Omniglot python/ folder', () => {
    expect(OMNIGLOT_BASE_URL).toBe('https://raw.githubusercontent.com/brendenlake/omniglot/master/python/');
    expect(OMNIGLOT_ZIPS.map((z) => z.name)).toEqual(['images_background.zip', 'images_evaluation.zip']);
  });

  it('counts bytes chunk by chunk and returns them in order', async () => {
    const seen: [number, number | null][] = [];
    const bytes = await fetchWithProgress('https://x/a.zip', (l, t) => seen.push([l, t]), {
      fetchImpl: async () => streamed([[1, 2, 3], [4], [5, 6]], { 'content-length': '6' }),
    });
    expect(Array.from(bytes)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen).toEqual([
      [0, 6],
      [3, 6],
      [4, 6],
      [6, 6],
    ]);
  });

  it('works without a Content-Length', async () => {
    const seen: (number | null)[] = [];
    const bytes = await fetchWithProgress('https://x/a.zip', (_, t) => seen.push(t), { fetchImpl: async () => streamed([[9, 9]]) });
    expect(bytes.length).toBe(2);
    expect(seen.every((t) => t === null)).toBe(true);
  });

  it('turns failures into DownloadErrors: network, HTTP status, abort', async () => {
    const fail = (impl: typeof fetch, signal?: AbortSignal) => fetchWithProgress('https://x/a.zip', () => undefined, { fetchImpl: impl, signal }).catch((e: unknown) => e);
    const net = await fail(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(net).toBeInstanceOf(DownloadError);
    expect(net).toMatchObject({ kind: 'network', message: 'Failed to fetch' });
    expect(await fail(async () => new Response('nope', { status: 404, statusText: 'Not Found' }))).toMatchObject({ kind: 'http', message: 'HTTP 404 Not Found' });
    const ac = new AbortController();
    ac.abort();
    expect(
      await fail(async () => {
        throw new DOMException('aborted', 'AbortError');
      }, ac.signal),
    ).toMatchObject({ kind: 'aborted' });
  });

  it('refuses a body over the limit, by its Content-Length or as the bytes arrive, and stops reading', async () => {
    const fail = (impl: typeof fetch) => fetchWithProgress('https://x/a.zip', () => undefined, { fetchImpl: impl, maxBytes: 4 }).catch((e: unknown) => e);
    expect(MAX_DOWNLOAD_BYTES).toBeGreaterThan(Math.max(...OMNIGLOT_ZIPS.map((z) => z.approxBytes)));
    const declared = await fail(async () => streamed([[1, 2, 3, 4, 5]], { 'content-length': '5' }));
    expect(declared).toMatchObject({ kind: 'too-large' });
    expect((declared as Error).message).toMatch(/larger than the .* MB accepted/);
    // Without a Content-Length: cut off at the chunk that passes the limit; later chunks are never read.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(3));
      },
    });
    expect(await fail(async () => new Response(endless, { status: 200 }))).toMatchObject({ kind: 'too-large' });
    expect(pulled).toBeLessThan(5);
    expect(Array.from(await fetchWithProgress('https://x/a.zip', () => undefined, { fetchImpl: async () => streamed([[1, 2], [3, 4]]), maxBytes: 4 }))).toEqual([1, 2, 3, 4]);
  });
});

describe('overall progress', () => {
  it('uses Content-Length, else the expected size, and reaches 1 when all files are done', () => {
    expect(progressFraction([])).toBe(0);
    expect(progressFraction([{ loaded: 50, total: 100, approx: 1, done: false }, { loaded: 0, total: null, approx: 100, done: false }])).toBeCloseTo(0.25, 9);
    // A file larger than announced never pushes the bar past 1.
    expect(progressFraction([{ loaded: 150, total: 100, approx: 100, done: false }])).toBe(1);
    expect(progressFraction([{ loaded: 10, total: null, approx: 100, done: true }, { loaded: 30, total: 30, approx: 1, done: true }])).toBe(1);
    expect(progressFraction([{ loaded: 0, total: null, approx: 0, done: true }])).toBe(1);
  });
});
