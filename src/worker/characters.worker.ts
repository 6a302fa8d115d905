/// <reference lib="webworker" />
import {
  contentHash,
  datasetFromDrawingSet,
  DEFAULT_SYNTHETIC_CONFIG,
  generateSyntheticDataset,
  mergeDatasets,
  omniglotDataset,
  OmniglotFormatError,
  readOmniglotZip,
  withRotations,
  type CharacterDataset,
  type OmniglotArchive,
} from '../engine/tasks/characters';
import { deleteAtlas, readAtlas, writeAtlas } from './atlasCache';
import { ATLAS_CACHE_VERSION, atlasCacheKey, mergeArchiveIds, toWire, type ArchiveId } from './charactersData';
import type { CharSource, CharsBusyPhase, FromCharsWorker, ToCharsWorker } from './charactersProtocol';

/**
 * The characters lab's data worker: everything that takes more than a few milliseconds happens
 * here, so the page never blocks. Messages are handled one at a time, in order (a queue), because
 * several of them await IndexedDB.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromCharsWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

/** Each source's data as loaded (base) and as shown (with rotation augmentation when on). */
const base: Partial<Record<CharSource, CharacterDataset>> = {};
const shown: Partial<Record<CharSource, CharacterDataset>> = {};
const origin: Record<CharSource, 'generated' | 'cache' | 'zip' | 'drawings'> = { synthetic: 'generated', omniglot: 'cache', user: 'drawings' };
let rotations = false;
let archives: ArchiveId[] = [];

const busy = (source: CharSource, phase: CharsBusyPhase | null, extra: { file?: string; index?: number; count?: number } = {}) =>
  post({ type: 'busy', source, phase, ...extra });

/** Lets the busy message reach the page before a long synchronous step starts. */
const yieldToPage = () => new Promise<void>((r) => setTimeout(r, 0));

function publish(source: CharSource, started: number): void {
  const b = base[source];
  if (!b) {
    delete shown[source];
    post({ type: 'dataset', source, wire: null, hash: '', origin: origin[source], archives: [], rotations, ms: performance.now() - started });
    return;
  }
  const ds = rotations ? withRotations(b) : b;
  shown[source] = ds;
  const { wire, transfer } = toWire(ds, { includeStrokes: source === 'user' });
  post(
    {
      type: 'dataset',
      source,
      wire,
      hash: contentHash(ds),
      origin: origin[source],
      archives: source === 'omniglot' ? archives.map((a) => a.name) : [],
      rotations,
      ms: performance.now() - started,
    },
    transfer,
  );
}

async function generateSynthetic(): Promise<void> {
  const t0 = performance.now();
  busy('synthetic', 'generate');
  await yieldToPage();
  base.synthetic = generateSyntheticDataset(DEFAULT_SYNTHETIC_CONFIG);
  origin.synthetic = 'generated';
  publish('synthetic', t0);
  busy('synthetic', null);
}

async function loadCache(): Promise<void> {
  const t0 = performance.now();
  busy('omniglot', 'cache-read');
  try {
    const rec = await readAtlas();
    if (rec && !base.omniglot) {
      base.omniglot = rec.dataset;
      archives = rec.archives;
      origin.omniglot = 'cache';
      publish('omniglot', t0);
    }
  } catch (e) {
    post({ type: 'notice', level: 'warning', key: 'charsCacheUnavailable', params: { reason: message(e) } });
  } finally {
    busy('omniglot', null);
  }
}

async function loadZips(files: { name: string; bytes: ArrayBuffer }[], from: 'download' | 'local'): Promise<void> {
  const t0 = performance.now();
  const read: OmniglotArchive[] = [];
  const ids: ArchiveId[] = [];
  const refused: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    busy('omniglot', 'decode', { file: f.name, index: i + 1, count: files.length });
    await yieldToPage();
    try {
      read.push(readOmniglotZip(new Uint8Array(f.bytes), { name: f.name }));
      ids.push({ name: f.name, bytes: f.bytes.byteLength });
    } catch (e) {
      refused.push(f.name);
      const reason = e instanceof OmniglotFormatError ? e.message : `${f.name}: ${message(e)}`;
      post({ type: 'notice', level: 'error', key: 'charsZipRefused', params: { file: f.name, reason } });
    }
  }
  if (read.length > 0) {
    try {
      const added = omniglotDataset(read);
      base.omniglot = base.omniglot ? mergeDatasets(base.omniglot, added) : added;
      archives = mergeArchiveIds(archives, ids);
      origin.omniglot = 'zip';
      publish('omniglot', t0);
    } catch (e) {
      refused.push(...ids.map((a) => a.name));
      ids.length = 0;
      post({ type: 'notice', level: 'error', key: 'charsZipRefused', params: { file: files.map((f) => f.name).join(', '), reason: message(e) } });
    }
  }
  post({ type: 'zipsDone', loaded: ids.map((a) => a.name), refused, origin: from });
  busy('omniglot', null);
  if (ids.length > 0 && base.omniglot) {
    busy('omniglot', 'cache-write');
    try {
      const dataset = base.omniglot;
      await writeAtlas({ version: ATLAS_CACHE_VERSION, key: atlasCacheKey(archives, dataset.imageSize), archives, savedAt: Date.now(), dataset });
      post({ type: 'cached', ok: true, archives: archives.map((a) => a.name) });
    } catch (e) {
      post({ type: 'cached', ok: false, archives: [] });
      post({ type: 'notice', level: 'warning', key: 'charsCacheWriteFailed', params: { reason: message(e) } });
    } finally {
      busy('omniglot', null);
    }
  }
}

async function handle(msg: ToCharsWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      rotations = msg.rotations;
      if (msg.prefer === 'omniglot') {
        await loadCache();
        await generateSynthetic();
      } else {
        await generateSynthetic();
        await loadCache();
      }
      break;
    case 'zips':
      await loadZips(msg.files, msg.origin);
      break;
    case 'rotations': {
      if (msg.on === rotations) break;
      rotations = msg.on;
      for (const s of ['synthetic', 'omniglot', 'user'] as const) {
        if (!base[s]) continue;
        busy(s, 'rotate');
        await yieldToPage();
        publish(s, performance.now());
        busy(s, null);
      }
      break;
    }
    case 'userSet': {
      const t0 = performance.now();
      base.user = datasetFromDrawingSet(msg.set, { centre: msg.centre });
      origin.user = 'drawings';
      publish('user', t0);
      break;
    }
    case 'strokes':
      post({ type: 'strokes', request: msg.request, drawing: shown[msg.source]?.strokes?.[msg.image] ?? null });
      break;
    case 'forgetOmniglot':
      delete base.omniglot;
      archives = [];
      publish('omniglot', performance.now());
      try {
        await deleteAtlas();
      } catch (e) {
        post({ type: 'notice', level: 'warning', key: 'charsCacheUnavailable', params: { reason: message(e) } });
      }
      break;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

let queue = Promise.resolve();
scope.onmessage = (e: MessageEvent<ToCharsWorker>) => {
  const msg = e.data;
  queue = queue.then(() =>
    handle(msg).catch((err: unknown) => {
      post({ type: 'notice', level: 'error', key: 'charsWorkerError', params: { reason: message(err) } });
    }),
  );
};
