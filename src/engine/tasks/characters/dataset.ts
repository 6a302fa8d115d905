import { drawingToImage, IMAGE_SIZE, rotateImage, toBytes } from './rasterize';
import { rotateDrawing, StrokeFormatError, validateDrawing, type Drawing } from './strokes';

/**
 * A character data set from any source (synthetic alphabets, the real Omniglot zips, user drawings):
 * alphabets → characters → one image per drawer, all images in one compact byte atlas.
 *
 * It is plain data (arrays and typed arrays, no methods), so it can be posted to a worker, cached,
 * and built in Node or in a browser alike.
 */

/** Omniglot's split: meta-train on background alphabets only; evaluate on evaluation alphabets. */
export type Split = 'background' | 'evaluation';
export const SPLITS: readonly Split[] = ['background', 'evaluation'];

export type SourceKind = 'synthetic' | 'omniglot' | 'user';

export interface AlphabetMeta {
  name: string;
  split: Split;
  source: SourceKind;
}

export interface CharacterMeta {
  /** Index into `alphabets`. */
  alphabet: number;
  /** e.g. `character07`. */
  name: string;
  /** Rotation augmentation in degrees, clockwise on screen (0 for the original class). */
  rotation: number;
  /** Index of the character's first image; its images are `first … first + count − 1`. */
  first: number;
  count: number;
}

export interface CharacterDataset {
  /** Side of every image (28 by default, 20 for MANN). */
  imageSize: number;
  alphabets: AlphabetMeta[];
  characters: CharacterMeta[];
  /** The atlas: [images, imageSize, imageSize], ink 0..255 (255 = full ink). */
  pixels: Uint8Array;
  /** Per image: its id (Omniglot: the file stem, e.g. `0108_01`; synthetic: `d07`). */
  imageIds: string[];
  /** Per image: who drew it (Omniglot: the drawer number after the underscore). */
  drawers: string[];
  /** Per image, when known: the pen strokes on the 105 canvas (null where an image has none). */
  strokes?: (Drawing | null)[];
}

export interface DatasetCounts {
  alphabets: number;
  characters: number;
  images: number;
}

export interface DatasetStats extends DatasetCounts {
  background: DatasetCounts;
  evaluation: DatasetCounts;
  /** Images that carry pen strokes. */
  withStrokes: number;
}

export function imageCount(ds: CharacterDataset): number {
  return ds.imageIds.length;
}

/** Counts by split (a character counts once per rotation, as it is its own class). */
export function datasetStats(ds: CharacterDataset): DatasetStats {
  const count = (split?: Split): DatasetCounts => {
    const alphabets = new Set<number>();
    let characters = 0;
    let images = 0;
    for (const c of ds.characters) {
      if (split && ds.alphabets[c.alphabet].split !== split) continue;
      alphabets.add(c.alphabet);
      characters++;
      images += c.count;
    }
    return { alphabets: alphabets.size, characters, images };
  };
  const withStrokes = ds.strokes ? ds.strokes.filter((s) => s !== null).length : 0;
  return { ...count(), background: count('background'), evaluation: count('evaluation'), withStrokes };
}

/** Indices of the characters (classes) whose alphabet is in the split ('all' for every class). */
export function charactersInSplit(ds: CharacterDataset, split: Split | 'all'): number[] {
  const out: number[] = [];
  ds.characters.forEach((c, i) => {
    if (split === 'all' || ds.alphabets[c.alphabet].split === split) out.push(i);
  });
  return out;
}

/** Copies image `index` into `out` at `offset` as floats in [0, 1] (ink 1). */
export function readImage(ds: CharacterDataset, index: number, out?: Float32Array, offset = 0): Float32Array {
  const n = ds.imageSize * ds.imageSize;
  const dst = out ?? new Float32Array(n);
  const src = index * n;
  const px = ds.pixels;
  for (let i = 0; i < n; i++) dst[offset + i] = BYTE_TO_INK[px[src + i]];
  return dst;
}

const BYTE_TO_INK = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/** Thrown when data sets cannot be combined or a data set is malformed. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

interface PendingImage {
  id: string;
  drawer: string;
  pixels: Uint8Array;
  strokes: Drawing | null;
}

interface PendingCharacter {
  alphabetKey: string;
  name: string;
  rotation: number;
  images: Map<string, PendingImage>;
}

/**
 * Collects images in any order (zips list files in any order, several zips may overlap) and
 * builds a data set in a canonical order: background alphabets before evaluation ones, then by
 * alphabet name, character name, rotation and image id. So the same content always gives the same
 * atlas and hash, whatever the loading order. An image already present (same alphabet, character,
 * rotation and id) is skipped: the first copy wins.
 */
export class DatasetBuilder {
  private readonly alphabets = new Map<string, AlphabetMeta>();
  private readonly characters = new Map<string, PendingCharacter>();
  duplicates = 0;

  constructor(readonly imageSize: number) {
    if (!Number.isInteger(imageSize) || imageSize < 1) throw new DatasetError(`image size must be a positive integer, got ${imageSize}`);
  }

  get size(): number {
    let n = 0;
    for (const c of this.characters.values()) n += c.images.size;
    return n;
  }

  /** Adds one image (bytes 0..255, imageSize² of them); returns false for a duplicate. */
  add(
    alphabet: AlphabetMeta,
    character: string,
    image: { id: string; drawer: string; pixels: Uint8Array; strokes?: Drawing | null },
    rotation = 0,
  ): boolean {
    if (image.pixels.length !== this.imageSize * this.imageSize)
      throw new DatasetError(`image ${image.id} has ${image.pixels.length} pixels, expected ${this.imageSize}×${this.imageSize}`);
    const aKey = `${alphabet.split}\u0000${alphabet.name}`;
    const known = this.alphabets.get(aKey);
    if (!known) this.alphabets.set(aKey, { ...alphabet });
    const cKey = `${aKey}\u0000${character}\u0000${rotation}`;
    let c = this.characters.get(cKey);
    if (!c) {
      c = { alphabetKey: aKey, name: character, rotation, images: new Map() };
      this.characters.set(cKey, c);
    }
    const existing = c.images.get(image.id);
    if (existing) {
      if (!existing.strokes && image.strokes) existing.strokes = image.strokes;
      this.duplicates++;
      return false;
    }
    c.images.set(image.id, { id: image.id, drawer: image.drawer, pixels: image.pixels, strokes: image.strokes ?? null });
    return true;
  }

  /** Adds every image of a data set. */
  addDataset(ds: CharacterDataset): void {
    if (ds.imageSize !== this.imageSize) throw new DatasetError(`cannot merge ${ds.imageSize}×${ds.imageSize} images into a ${this.imageSize}×${this.imageSize} data set`);
    const n = ds.imageSize * ds.imageSize;
    for (const c of ds.characters) {
      const a = ds.alphabets[c.alphabet];
      for (let i = c.first; i < c.first + c.count; i++)
        this.add(a, c.name, { id: ds.imageIds[i], drawer: ds.drawers[i], pixels: ds.pixels.subarray(i * n, (i + 1) * n), strokes: ds.strokes?.[i] ?? null }, c.rotation);
    }
  }

  build(): CharacterDataset {
    const aKeys = [...this.alphabets.keys()].sort((x, y) => compareAlphabets(this.alphabets.get(x)!, this.alphabets.get(y)!));
    const aIndex = new Map(aKeys.map((k, i) => [k, i]));
    const chars = [...this.characters.values()].sort(
      (x, y) => aIndex.get(x.alphabetKey)! - aIndex.get(y.alphabetKey)! || cmp(x.name, y.name) || x.rotation - y.rotation,
    );
    const n = this.imageSize * this.imageSize;
    const total = chars.reduce((s, c) => s + c.images.size, 0);
    const pixels = new Uint8Array(total * n);
    const imageIds: string[] = [];
    const drawers: string[] = [];
    const strokes: (Drawing | null)[] = [];
    let anyStrokes = false;
    const characters: CharacterMeta[] = [];
    for (const c of chars) {
      const first = imageIds.length;
      const imgs = [...c.images.values()].sort((x, y) => cmp(x.id, y.id));
      for (const img of imgs) {
        pixels.set(img.pixels, imageIds.length * n);
        imageIds.push(img.id);
        drawers.push(img.drawer);
        strokes.push(img.strokes);
        if (img.strokes) anyStrokes = true;
      }
      characters.push({ alphabet: aIndex.get(c.alphabetKey)!, name: c.name, rotation: c.rotation, first, count: imgs.length });
    }
    const ds: CharacterDataset = {
      imageSize: this.imageSize,
      alphabets: aKeys.map((k) => this.alphabets.get(k)!),
      characters,
      pixels,
      imageIds,
      drawers,
    };
    if (anyStrokes) ds.strokes = strokes;
    return ds;
  }
}

function compareAlphabets(a: AlphabetMeta, b: AlphabetMeta): number {
  return SPLITS.indexOf(a.split) - SPLITS.indexOf(b.split) || cmp(a.name, b.name);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Merges data sets (e.g. several zips); images present in more than one are kept once. */
export function mergeDatasets(...sets: CharacterDataset[]): CharacterDataset {
  if (sets.length === 0) throw new DatasetError('nothing to merge');
  const b = new DatasetBuilder(sets[0].imageSize);
  for (const s of sets) b.addDataset(s);
  return b.build();
}

/**
 * The usual rotation augmentation: every character rotated by each angle becomes a new class of
 * the same alphabet and split (Santoro et al. 2016, Vinyals et al. 2016). Strokes rotate with it.
 */
export function withRotations(ds: CharacterDataset, rotations: readonly number[] = [90, 180, 270]): CharacterDataset {
  for (const r of rotations)
    if (r % 90 !== 0 || r % 360 === 0) throw new DatasetError(`rotations must be non-zero multiples of 90°, got ${r}`);
  const b = new DatasetBuilder(ds.imageSize);
  b.addDataset(ds);
  const n = ds.imageSize * ds.imageSize;
  for (const c of ds.characters) {
    if (c.rotation !== 0) continue;
    const a = ds.alphabets[c.alphabet];
    for (const r of rotations) {
      const rot = ((r % 360) + 360) % 360;
      for (let i = c.first; i < c.first + c.count; i++) {
        const pixels = rotateImage(ds.pixels.subarray(i * n, (i + 1) * n), ds.imageSize, rot);
        const s = ds.strokes?.[i];
        b.add(a, c.name, { id: ds.imageIds[i], drawer: ds.drawers[i], pixels, strokes: s ? rotateDrawing(s, rot) : null }, rot);
      }
    }
  }
  return b.build();
}

/** Keeps only the alphabets of one split. */
export function selectSplit(ds: CharacterDataset, split: Split): CharacterDataset {
  const b = new DatasetBuilder(ds.imageSize);
  b.addDataset({ ...ds, characters: ds.characters.filter((c) => ds.alphabets[c.alphabet].split === split) });
  return b.build();
}

/**
 * Content hash of a data set (16 hex digits): two 32-bit FNV-1a-style lanes over the image size,
 * the alphabet names and splits, the character names, rotations and sizes, the image ids and every
 * atlas byte. Strokes are not hashed. Equal content gives an equal hash (the builder's order is canonical).
 */
export function contentHash(ds: CharacterDataset): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  const byte = (b: number) => {
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ b, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  };
  const text = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      byte(c & 0xff);
      byte(c >>> 8);
    }
    byte(0);
  };
  text(`size:${ds.imageSize}`);
  for (const a of ds.alphabets) text(`${a.split}/${a.name}`);
  for (const c of ds.characters) text(`${c.alphabet}/${c.name}/${c.rotation}/${c.count}`);
  for (const id of ds.imageIds) text(id);
  const p = ds.pixels;
  for (let i = 0; i < p.length; i++) {
    const b = p[i];
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ b, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

// ---------------------------------------------------------------------------------------------
// User drawings: classes of drawings and hand-built episodes, saved as one JSON file.

export const DRAWING_SET_FORMAT = 'metaplay-drawings';
export const DRAWING_SET_VERSION = 1;

/** One user-defined class: a name and its drawings (strokes on the 105 canvas, as recorded). */
export interface DrawnClass {
  name: string;
  /** Groups classes for within-alphabet episodes; default "my drawings". */
  alphabet?: string;
  drawings: Drawing[];
}

/**
 * A hand-built N-way K-shot episode: `classes[i]` is an index into the set's classes, and
 * `support[i]` / `query[i]` index that class's drawings. Every class has the same K support shots;
 * query counts may differ (and be zero).
 */
export interface DrawnEpisode {
  name?: string;
  classes: number[];
  support: number[][];
  query: number[][];
}

export interface DrawingSet {
  format: typeof DRAWING_SET_FORMAT;
  version: typeof DRAWING_SET_VERSION;
  classes: DrawnClass[];
  episodes: DrawnEpisode[];
}

/** A drawings file that cannot be read; the message says where it is wrong. */
export class DrawingSetError extends Error {
  override name = 'DrawingSetError';
}

export function emptyDrawingSet(): DrawingSet {
  return { format: DRAWING_SET_FORMAT, version: DRAWING_SET_VERSION, classes: [], episodes: [] };
}

export function serializeDrawingSet(set: DrawingSet): string {
  validateDrawingSet(set);
  return JSON.stringify(set);
}

/** Parses and validates a drawings file (JSON text or an already parsed value). */
export function parseDrawingSet(input: string | unknown): DrawingSet {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new DrawingSetError(`not a JSON file: ${(e as Error).message}`);
    }
  }
  return validateDrawingSet(value);
}

/** Checks the structure of a drawing set and returns a clean copy; throws DrawingSetError. */
export function validateDrawingSet(value: unknown): DrawingSet {
  const v = value as Partial<DrawingSet> | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DrawingSetError('a drawings file must hold a JSON object');
  if (v.format !== DRAWING_SET_FORMAT) throw new DrawingSetError(`not a drawings file: "format" must be "${DRAWING_SET_FORMAT}"`);
  if (v.version !== DRAWING_SET_VERSION) throw new DrawingSetError(`unsupported drawings file version ${String(v.version)} (this build reads ${DRAWING_SET_VERSION})`);
  if (!Array.isArray(v.classes)) throw new DrawingSetError('"classes" must be a list');
  const classes: DrawnClass[] = v.classes.map((c: Partial<DrawnClass> | null, i: number) => {
    if (c === null || typeof c !== 'object') throw new DrawingSetError(`class ${i} must be an object`);
    if (typeof c.name !== 'string' || c.name.trim() === '') throw new DrawingSetError(`class ${i} needs a non-empty "name"`);
    if (c.alphabet !== undefined && typeof c.alphabet !== 'string') throw new DrawingSetError(`class ${i} ("${c.name}"): "alphabet" must be a string`);
    if (!Array.isArray(c.drawings)) throw new DrawingSetError(`class ${i} ("${c.name}"): "drawings" must be a list`);
    let drawings: Drawing[];
    try {
      drawings = c.drawings.map((d, k) => validateDrawing(d, `drawing ${k}`));
    } catch (e) {
      if (e instanceof StrokeFormatError) throw new DrawingSetError(`class ${i} ("${c.name}"), ${e.message}`);
      throw e;
    }
    return c.alphabet === undefined ? { name: c.name, drawings } : { name: c.name, alphabet: c.alphabet, drawings };
  });
  const names = new Set<string>();
  for (const c of classes) {
    const key = `${c.alphabet ?? ''}\u0000${c.name}`;
    if (names.has(key)) throw new DrawingSetError(`two classes are named "${c.name}"`);
    names.add(key);
  }
  const rawEpisodes = v.episodes ?? [];
  if (!Array.isArray(rawEpisodes)) throw new DrawingSetError('"episodes" must be a list');
  const episodes = rawEpisodes.map((e: Partial<DrawnEpisode> | null, i: number) => validateEpisode(e, i, classes));
  return { format: DRAWING_SET_FORMAT, version: DRAWING_SET_VERSION, classes, episodes };
}

function validateEpisode(e: Partial<DrawnEpisode> | null, i: number, classes: DrawnClass[]): DrawnEpisode {
  const where = `episode ${i}`;
  if (e === null || typeof e !== 'object') throw new DrawingSetError(`${where} must be an object`);
  if (e.name !== undefined && typeof e.name !== 'string') throw new DrawingSetError(`${where}: "name" must be a string`);
  const isIndexList = (x: unknown): x is number[] => Array.isArray(x) && x.every((k) => Number.isInteger(k) && k >= 0);
  if (!isIndexList(e.classes) || e.classes.length < 1) throw new DrawingSetError(`${where}: "classes" must be a non-empty list of class indices`);
  if (new Set(e.classes).size !== e.classes.length) throw new DrawingSetError(`${where}: a class appears twice`);
  for (const c of e.classes) if (c >= classes.length) throw new DrawingSetError(`${where}: class index ${c} is out of range (${classes.length} classes)`);
  const lists = (key: 'support' | 'query'): number[][] => {
    const l = e[key];
    if (!Array.isArray(l) || l.length !== e.classes!.length) throw new DrawingSetError(`${where}: "${key}" must hold one list per class`);
    return l.map((idx, j) => {
      if (!isIndexList(idx)) throw new DrawingSetError(`${where}: ${key}[${j}] must be a list of drawing indices`);
      const n = classes[e.classes![j]].drawings.length;
      for (const k of idx) if (k >= n) throw new DrawingSetError(`${where}: ${key}[${j}] refers to drawing ${k}, but class "${classes[e.classes![j]].name}" has ${n}`);
      return [...idx];
    });
  };
  const support = lists('support');
  const query = lists('query');
  const k = support[0].length;
  if (k < 1 || support.some((s) => s.length !== k)) throw new DrawingSetError(`${where}: every class needs the same number (≥ 1) of support drawings`);
  for (let j = 0; j < support.length; j++)
    if (query[j].some((q) => support[j].includes(q))) throw new DrawingSetError(`${where}: class ${j} uses a drawing both as support and as query`);
  const out: DrawnEpisode = { classes: [...e.classes], support, query };
  if (e.name !== undefined) out.name = e.name;
  return out;
}

export interface DrawnDatasetOptions {
  imageSize?: number;
  /** Centre and scale each drawing like an Omniglot character (default true). */
  centre?: boolean;
  penWidth?: number;
  /** Split the user's alphabets belong to (default 'evaluation': drawings are for testing). */
  split?: Split;
}

export const USER_ALPHABET = 'my drawings';

/** Rasterizes a drawing set's classes into a data set (one image per drawing, ids `u000`, `u001`, …). */
export function datasetFromDrawingSet(set: DrawingSet, options: DrawnDatasetOptions = {}): CharacterDataset {
  const size = options.imageSize ?? IMAGE_SIZE;
  const b = new DatasetBuilder(size);
  const split = options.split ?? 'evaluation';
  for (const c of set.classes) {
    c.drawings.forEach((d, k) => {
      const img = drawingToImage(d, { size, centre: options.centre ?? true, penWidth: options.penWidth });
      b.add(
        { name: c.alphabet ?? USER_ALPHABET, split, source: 'user' },
        c.name,
        { id: `u${String(k).padStart(3, '0')}`, drawer: 'user', pixels: toBytes(img), strokes: d },
      );
    });
  }
  return b.build();
}
