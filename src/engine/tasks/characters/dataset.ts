import type { Drawing } from './strokes';

/**
 * A character data set from any source (synthetic alphabets, the real Omniglot zips, user drawings):
 * alphabets → characters → one image per drawer, all images in one compact byte atlas.
 *
 * It is plain data (arrays and typed arrays, no methods), so it can be posted to a worker, cached,
 * and built in Node or in a browser alike. Merging and rotations are in datasetTransforms.ts, the
 * user's drawings file in drawingSet.ts.
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
