import type { CharacterDataset, Drawing } from '../engine/tasks/characters';

/**
 * Pure helpers shared by the characters worker and the page: how a data set travels between them
 * (the wire form) and how the Omniglot atlas cache is keyed and checked. No IndexedDB, no DOM.
 */

// ---------------------------------------------------------------------------------------------
// The wire form: a data set without per-image string arrays or strokes, cheap to receive.
//
// Receiving 30 000 short strings (image ids, drawers) or 30 000 stroke lists costs the main
// thread a long structured-clone; two joined strings and a byte mask cost almost nothing. Strokes
// stay in the worker and are asked for one image at a time (user drawings, a few, travel along).

export interface WireDataset {
  imageSize: number;
  alphabets: CharacterDataset['alphabets'];
  characters: CharacterDataset['characters'];
  /** The atlas, transferred (a copy: the worker keeps its own). */
  pixels: Uint8Array;
  /** Image ids joined by '\n'. */
  ids: string;
  /** Drawers joined by '\n'. */
  drawers: string;
  /** 1 where the worker holds strokes for an image. */
  strokeMask: Uint8Array | null;
  /** Strokes themselves, only when asked for (small data sets such as user drawings). */
  strokes?: (Drawing | null)[];
}

/** A data set on the page: the engine's shape plus which images have strokes (asked for on demand). */
export interface PageDataset extends CharacterDataset {
  strokeMask: Uint8Array | null;
}

const SEP = '\n';

/** Packs a data set for postMessage; `transfer` lists the buffers to transfer. */
export function toWire(ds: CharacterDataset, options: { includeStrokes?: boolean } = {}): { wire: WireDataset; transfer: ArrayBuffer[] } {
  const pixels = ds.pixels.slice();
  let strokeMask: Uint8Array | null = null;
  if (ds.strokes) {
    strokeMask = new Uint8Array(ds.imageIds.length);
    ds.strokes.forEach((s, i) => {
      if (s) strokeMask![i] = 1;
    });
  }
  const wire: WireDataset = {
    imageSize: ds.imageSize,
    alphabets: ds.alphabets,
    characters: ds.characters,
    pixels,
    ids: ds.imageIds.join(SEP),
    drawers: ds.drawers.join(SEP),
    strokeMask,
  };
  if (options.includeStrokes && ds.strokes) wire.strokes = ds.strokes;
  const transfer = [pixels.buffer as ArrayBuffer];
  if (strokeMask) transfer.push(strokeMask.buffer as ArrayBuffer);
  return { wire, transfer };
}

/** Unpacks a wire data set (ids and drawers split back into arrays). */
export function fromWire(w: WireDataset): PageDataset {
  const n = w.pixels.length / (w.imageSize * w.imageSize);
  const split = (s: string) => (n === 0 ? [] : s.split(SEP));
  const ds: PageDataset = {
    imageSize: w.imageSize,
    alphabets: w.alphabets,
    characters: w.characters,
    pixels: w.pixels,
    imageIds: split(w.ids),
    drawers: split(w.drawers),
    strokeMask: w.strokeMask,
  };
  if (w.strokes) ds.strokes = w.strokes;
  return ds;
}

// ---------------------------------------------------------------------------------------------
// The atlas cache (IndexedDB in the worker): what a record holds and when it can be used.

/** Bump when the atlas bytes for the same zips would change (rasterizer, decoder, layout). */
export const ATLAS_CACHE_VERSION = 1;

/** One loaded zip, identified by its file name and size in bytes. */
export interface ArchiveId {
  name: string;
  bytes: number;
}

export interface AtlasRecord {
  version: number;
  /** atlasCacheKey of `archives` and the image size. */
  key: string;
  archives: ArchiveId[];
  savedAt: number;
  dataset: CharacterDataset;
}

/** The archives in a canonical order (by name, then size), duplicates dropped. */
export function canonicalArchives(archives: readonly ArchiveId[]): ArchiveId[] {
  const seen = new Set<string>();
  const out: ArchiveId[] = [];
  for (const a of [...archives].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.bytes - y.bytes))) {
    const k = `${a.name}\u0000${a.bytes}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ name: a.name, bytes: a.bytes });
  }
  return out;
}

/** Everything loaded so far plus the new zips. */
export function mergeArchiveIds(have: readonly ArchiveId[], added: readonly ArchiveId[]): ArchiveId[] {
  return canonicalArchives([...have, ...added]);
}

/**
 * The cache key of an atlas: format version, image size and the zips it was built from, in a
 * canonical order, so loading the same zips in any order names the same atlas.
 */
export function atlasCacheKey(archives: readonly ArchiveId[], imageSize: number): string {
  const list = canonicalArchives(archives).map((a) => `${encodeURIComponent(a.name)}:${a.bytes}`);
  return `omniglot/v${ATLAS_CACHE_VERSION}/${imageSize}/${list.join('|')}`;
}

/** Whether every named zip is already part of the cached atlas (then "Get Omniglot" has nothing to fetch). */
export function archivesCover(have: readonly ArchiveId[], names: readonly string[]): boolean {
  return names.every((n) => have.some((a) => a.name === n));
}

/**
 * Checks a record read back from IndexedDB before it is used: right version, a key that matches
 * its archives, and a data set whose arrays agree in size. Anything else is a stale or damaged
 * entry: the caller drops it and starts without a cache. Returns the reason, or null if usable.
 */
export function atlasRecordProblem(rec: unknown): string | null {
  const r = rec as Partial<AtlasRecord> | null;
  if (r === null || typeof r !== 'object') return 'not a record';
  if (r.version !== ATLAS_CACHE_VERSION) return `version ${String(r.version)}, this build writes ${ATLAS_CACHE_VERSION}`;
  if (!Array.isArray(r.archives) || r.archives.some((a) => typeof a?.name !== 'string' || typeof a?.bytes !== 'number')) return 'no archive list';
  const ds = r.dataset;
  if (!ds || typeof ds !== 'object') return 'no data set';
  if (!Number.isInteger(ds.imageSize) || ds.imageSize < 1) return 'bad image size';
  if (r.key !== atlasCacheKey(r.archives, ds.imageSize)) return 'key does not match its archives';
  if (!(ds.pixels instanceof Uint8Array) || !Array.isArray(ds.imageIds) || !Array.isArray(ds.drawers) || !Array.isArray(ds.alphabets) || !Array.isArray(ds.characters))
    return 'missing arrays';
  const images = ds.imageIds.length;
  if (ds.pixels.length !== images * ds.imageSize * ds.imageSize) return `atlas holds ${ds.pixels.length} bytes for ${images} images`;
  if (ds.drawers.length !== images || (ds.strokes && ds.strokes.length !== images)) return 'per-image arrays disagree';
  let covered = 0;
  for (const c of ds.characters) {
    if (!ds.alphabets[c.alphabet] || c.first !== covered || c.count < 1) return 'characters do not tile the atlas';
    covered += c.count;
  }
  if (covered !== images) return 'characters do not tile the atlas';
  return null;
}
