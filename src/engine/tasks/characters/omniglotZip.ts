import { decode } from 'fast-png';
import { DatasetBuilder, type CharacterDataset, type Split } from './dataset';
import { pngProblem } from './pngGuard';
import { downsampleArea, IMAGE_SIZE, rasterizeDrawing, toBytes } from './rasterize';
import { OMNIGLOT_CANVAS, parseOmniglotStrokes, StrokeFormatError, type Drawing } from './strokes';
import { listZipEntries, readZipEntry, ZipError, ZipLimitError, type ZipEntry } from './zipEntries';

/**
 * Reader for the official Omniglot zips (images_background.zip, images_evaluation.zip, the
 * images_background_small1/2.zip subsets and the matching strokes_*.zip) or the same files unzipped.
 *
 * Layout: `<set>/<alphabet>/<character>/<image-id>_<drawer>.png` (strokes: `.txt`), 105×105 1-bit
 * PNGs with dark ink on white. `__MACOSX/` entries and dot files (`.DS_Store`) are ignored.
 * Images are reduced to the atlas size (28×28 by default) as they are decoded, so a full zip never
 * sits in memory at 105×105.
 *
 * Hostile files are refused before they cost memory: a zip is judged by the sizes and the number of
 * entries its central directory declares before anything is inflated, each entry is inflated with a
 * bound (a header that understates its size cannot make it inflate further), and a PNG's dimensions
 * and image data are checked before the decoder allocates.
 */

/**
 * Limits on what one zip or folder may hold. An Omniglot PNG is under 2 kB and a strokes file under
 * 20 kB; the full Omniglot is 32 460 images and as many strokes files (about 130 MB unzipped), so
 * these leave ample room for real data while refusing a bomb long before it costs gigabytes.
 */
export const OMNIGLOT_LIMITS = {
  /** Bytes of one Omniglot file (a PNG or a strokes text). */
  fileBytes: 1024 * 1024,
  /** Bytes of all the Omniglot files of one zip or folder together. */
  totalBytes: 256 * 1024 * 1024,
  /** Omniglot files in one zip or folder (the full Omniglot, images and strokes, is 64 920). */
  files: 70_000,
  /** Entries of any kind in one zip (folders and `__MACOSX/` copies included), read before listing them. */
  zipEntries: 200_000,
} as const;

const MB = 1024 * 1024;
const sizeText = (bytes: number): string => (bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${bytes} bytes`);

/** Refuses one Omniglot file by its size (declared in a zip, or on disk) before it is read. */
export function checkOmniglotFileSize(where: string, bytes: number): void {
  if (bytes > OMNIGLOT_LIMITS.fileBytes)
    throw new OmniglotFormatError(`${where} is ${sizeText(bytes)}; an Omniglot file is a few kB, at most ${sizeText(OMNIGLOT_LIMITS.fileBytes)} is accepted`);
}

/** A zip or file that is corrupt or is not Omniglot data; the message says which and why. */
export class OmniglotFormatError extends Error {
  override name = 'OmniglotFormatError';
}

export interface OmniglotItem {
  /** The set folder, e.g. `images_background_small1`. */
  set: string;
  split: Split;
  alphabet: string;
  character: string;
  /** The file stem, e.g. `0108_01`. */
  id: string;
  drawer: string;
}

export interface OmniglotImage extends OmniglotItem {
  /** imageSize² bytes, ink 0..255. */
  pixels: Uint8Array;
}

export interface OmniglotStrokes extends OmniglotItem {
  drawing: Drawing;
}

/** What one zip (or folder) held. */
export interface OmniglotArchive {
  name: string;
  imageSize: number;
  sets: string[];
  images: OmniglotImage[];
  strokes: OmniglotStrokes[];
  /** Entries skipped as not Omniglot files (folders, `__MACOSX/`, `.DS_Store`, …). */
  ignored: number;
}

export interface OmniglotReadOptions {
  /** Atlas image side (default 28; 20 for MANN). */
  imageSize?: number;
  /** Shown in error messages (e.g. the zip's file name); also names the set when files sit at `<alphabet>/<character>/<file>`. */
  name?: string;
  /** Split to use when the set's name does not say (`…background…` / `…evaluation…`). */
  split?: Split;
}

export interface OmniglotFile {
  /** Path inside the zip or relative to the folder given, with `/` separators. */
  path: string;
  bytes: Uint8Array;
}

const FILE_RE = /^([^_/]+)_([^_/.]+)\.(png|txt)$/i;

interface Located extends OmniglotItem {
  kind: 'png' | 'txt';
}

/** Where a path sits in the Omniglot layout, or null if it is not an Omniglot file. */
export function locateOmniglotPath(path: string, options: OmniglotReadOptions = {}): Located | null {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length < 3 || parts.includes('__MACOSX') || parts.some((p) => p.startsWith('.'))) return null;
  const m = FILE_RE.exec(parts[parts.length - 1]);
  if (!m) return null;
  const set = parts.length >= 4 ? parts[parts.length - 4] : setNameFrom(options.name);
  const split = splitOf(set) ?? options.split;
  if (!split)
    throw new OmniglotFormatError(
      `${options.name ?? 'data'}: cannot tell the split of "${path}": its set folder should be named like images_background… or images_evaluation…`,
    );
  return {
    set,
    split,
    alphabet: parts[parts.length - 3],
    character: parts[parts.length - 2],
    id: `${m[1]}_${m[2]}`,
    drawer: m[2],
    kind: m[3].toLowerCase() as 'png' | 'txt',
  };
}

function setNameFrom(name: string | undefined): string {
  return (name ?? '').replace(/^.*[/\\]/, '').replace(/\.zip$/i, '');
}

/** `background` / `evaluation` from a set name such as `images_background_small1`. */
export function splitOf(set: string): Split | null {
  if (/evaluation/i.test(set)) return 'evaluation';
  if (/background/i.test(set)) return 'background';
  return null;
}

/**
 * Decodes an Omniglot PNG to ink coverage on its 105×105 canvas (1 = ink, 0 = paper).
 * Reads any PNG layout fast-png decodes (1-bit as in Omniglot, grey, RGB, alpha, palette).
 */
export function decodeOmniglotPng(bytes: Uint8Array, where = 'image', out?: Float32Array): Float32Array {
  const problem = pngProblem(bytes, OMNIGLOT_CANVAS);
  if (problem) throw new OmniglotFormatError(`${where}: ${problem}`);
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new OmniglotFormatError(`${where}: not a readable PNG (${(e as Error).message})`);
  }
  const { width, height } = png;
  if (width !== OMNIGLOT_CANVAS || height !== OMNIGLOT_CANVAS)
    throw new OmniglotFormatError(`${where}: ${width}×${height} pixels; Omniglot images are ${OMNIGLOT_CANVAS}×${OMNIGLOT_CANVAS}`);
  if (out && out.length !== width * height) throw new RangeError(`output holds ${out.length} pixels, not ${width}×${height}`);
  out ??= new Float32Array(width * height);
  return pngInkInto(png, out, width);
}

/**
 * Ink coverage (grey darkness times alpha) of every pixel of a decoded PNG, written at row
 * `top + i`, column `left + j` of `out` (`outWidth` wide), so a caller can pad it onto a larger canvas.
 */
export function pngInkInto(png: ReturnType<typeof decode>, out: Float32Array, outWidth: number, top = 0, left = 0): Float32Array {
  const { width, height, depth, channels, palette } = png;
  const data = png.data as ArrayLike<number>;
  const max = 2 ** depth - 1;
  const rowSamples = width * channels;
  const rowBytes = Math.ceil((rowSamples * depth) / 8);
  const sample = (row: number, k: number): number => {
    if (depth >= 8) return data[row * rowSamples + k];
    const bit = k * depth;
    const byte = data[row * rowBytes + (bit >> 3)];
    return (byte >> (8 - depth - (bit & 7))) & max;
  };
  if (depth === 1 && channels === 1 && !palette) {
    // Omniglot's own layout: 1-bit grey, 1 = white paper, 0 = ink.
    for (let i = 0; i < height; i++) {
      const row = i * rowBytes;
      const at = (top + i) * outWidth + left;
      for (let j = 0; j < width; j++) out[at + j] = 1 - ((data[row + (j >> 3)] >> (7 - (j & 7))) & 1);
    }
    return out;
  }
  for (let i = 0; i < height; i++)
    for (let j = 0; j < width; j++) {
      let grey: number;
      let alpha = 1;
      if (palette) {
        const c = palette[sample(i, j)] ?? [255, 255, 255];
        grey = (c[0] + c[1] + c[2]) / (3 * 255);
        if (c.length > 3) alpha = (c[3] ?? 255) / 255;
      } else if (channels <= 2) {
        grey = sample(i, j * channels) / max;
        if (channels === 2) alpha = sample(i, j * 2 + 1) / max;
      } else {
        grey = (sample(i, j * channels) + sample(i, j * channels + 1) + sample(i, j * channels + 2)) / (3 * max);
        if (channels === 4) alpha = sample(i, j * 4 + 3) / max;
      }
      out[(top + i) * outWidth + left + j] = alpha * (1 - grey);
    }
  return out;
}

/** Reads Omniglot files (PNG images and/or stroke texts) given as paths and bytes. */
export function readOmniglotFiles(files: Iterable<OmniglotFile>, options: OmniglotReadOptions = {}): OmniglotArchive {
  const name = options.name ?? 'data';
  const imageSize = options.imageSize ?? IMAGE_SIZE;
  const archive: OmniglotArchive = { name, imageSize, sets: [], images: [], strokes: [], ignored: 0 };
  const sets = new Set<string>();
  const decoder = new TextDecoder();
  const canvas = new Float32Array(OMNIGLOT_CANVAS * OMNIGLOT_CANVAS);
  let count = 0;
  let total = 0;
  for (const f of files) {
    const loc = locateOmniglotPath(f.path, options);
    if (!loc) {
      archive.ignored++;
      continue;
    }
    const { kind, ...item } = loc;
    sets.add(item.set);
    const where = `${name}: ${f.path}`;
    checkOmniglotFileSize(where, f.bytes.length);
    total += f.bytes.length;
    if (++count > OMNIGLOT_LIMITS.files) throw tooManyFiles(name, `more than ${count - 1}`);
    if (total > OMNIGLOT_LIMITS.totalBytes) throw tooManyBytes(name, `more than ${sizeText(total - f.bytes.length)}`);
    if (kind === 'png') {
      const ink = decodeOmniglotPng(f.bytes, where, canvas);
      archive.images.push({ ...item, pixels: toBytes(downsampleArea(ink, OMNIGLOT_CANVAS, imageSize)) });
    } else {
      let drawing: Drawing;
      try {
        drawing = parseOmniglotStrokes(decoder.decode(f.bytes));
      } catch (e) {
        if (e instanceof StrokeFormatError) throw new OmniglotFormatError(`${where}: not an Omniglot strokes file (${e.message})`);
        throw e;
      }
      archive.strokes.push({ ...item, drawing });
    }
  }
  if (archive.images.length + archive.strokes.length === 0)
    throw new OmniglotFormatError(
      `${name} holds no Omniglot files: expected <set>/<alphabet>/<character>/<image-id>_<drawer>.png (or .txt strokes)`,
    );
  archive.sets = [...sets].sort();
  return archive;
}

function tooManyFiles(name: string, count: string): OmniglotFormatError {
  return new OmniglotFormatError(`${name} holds ${count} Omniglot files; at most ${OMNIGLOT_LIMITS.files} are accepted (the full Omniglot has 64 920)`);
}

function tooManyBytes(name: string, bytes: string): OmniglotFormatError {
  return new OmniglotFormatError(`${name} holds ${bytes} of Omniglot files; at most ${sizeText(OMNIGLOT_LIMITS.totalBytes)} is accepted (the full Omniglot is about 130 MB)`);
}

/**
 * Reads an Omniglot zip's bytes. A corrupt zip, a zip without Omniglot files, one over the limits
 * (OMNIGLOT_LIMITS, judged by its declared sizes before anything is inflated), or an
 * Omniglot-looking file that does not decode throws OmniglotFormatError; nothing is returned half-read.
 */
export function readOmniglotZip(bytes: Uint8Array, options: OmniglotReadOptions = {}): OmniglotArchive {
  const name = options.name ?? 'zip';
  let entries: ZipEntry[];
  try {
    entries = listZipEntries(bytes, OMNIGLOT_LIMITS.zipEntries);
  } catch (e) {
    if (e instanceof ZipLimitError) throw new OmniglotFormatError(`${name} is refused: ${e.message}`);
    if (e instanceof ZipError || e instanceof RangeError) throw new OmniglotFormatError(`${name} is not a readable zip file (${e.message})`);
    throw e;
  }
  const wanted = entries.filter((f) => !f.name.endsWith('/') && locateOmniglotPath(f.name, { ...options, name }));
  if (wanted.length === 0)
    throw new OmniglotFormatError(
      `${name} holds no Omniglot files (${entries.length} entries): expected <set>/<alphabet>/<character>/<image-id>_<drawer>.png (or .txt strokes)`,
    );
  if (wanted.length > OMNIGLOT_LIMITS.files) throw tooManyFiles(name, String(wanted.length));
  let declared = 0;
  for (const f of wanted) {
    checkOmniglotFileSize(`${name}: ${f.name}`, f.size);
    declared += f.size;
  }
  if (declared > OMNIGLOT_LIMITS.totalBytes) throw tooManyBytes(name, sizeText(declared));
  function* files(): Generator<OmniglotFile> {
    for (const f of wanted) {
      let data: Uint8Array;
      try {
        data = readZipEntry(bytes, f, OMNIGLOT_LIMITS.fileBytes);
      } catch (e) {
        if (e instanceof ZipError || e instanceof RangeError) throw new OmniglotFormatError(`${name} is corrupt or crafted: ${e.message}`);
        throw e;
      }
      yield { path: f.name, bytes: data };
    }
  }
  const archive = readOmniglotFiles(files(), { ...options, name });
  archive.ignored += entries.length - wanted.length;
  return archive;
}

export interface OmniglotDatasetOptions {
  /** Draw an image from the strokes of a drawing whose PNG was not loaded (default true). */
  renderMissingImages?: boolean;
}

/**
 * Builds one data set from any number of archives (images and strokes zips, overlapping subsets).
 * Strokes attach to the image with the same split, alphabet, character and id; a drawing whose image
 * is missing is rendered from its strokes at Omniglot's pen width.
 */
export function omniglotDataset(archives: readonly OmniglotArchive[], options: OmniglotDatasetOptions = {}): CharacterDataset {
  if (archives.length === 0) throw new OmniglotFormatError('no Omniglot data loaded');
  const imageSize = archives[0].imageSize;
  for (const a of archives)
    if (a.imageSize !== imageSize) throw new OmniglotFormatError(`${a.name} was read at ${a.imageSize}×${a.imageSize}, the others at ${imageSize}×${imageSize}`);
  const key = (x: OmniglotItem) => `${x.split}/${x.alphabet}/${x.character}/${x.id}`;
  const strokes = new Map<string, OmniglotStrokes>();
  for (const a of archives) for (const s of a.strokes) if (!strokes.has(key(s))) strokes.set(key(s), s);
  const b = new DatasetBuilder(imageSize);
  const used = new Set<string>();
  for (const a of archives)
    for (const img of a.images) {
      const k = key(img);
      const s = strokes.get(k);
      if (s) used.add(k);
      b.add({ name: img.alphabet, split: img.split, source: 'omniglot' }, img.character, { id: img.id, drawer: img.drawer, pixels: img.pixels, strokes: s?.drawing ?? null });
    }
  if (options.renderMissingImages ?? true)
    for (const [k, s] of strokes) {
      if (used.has(k)) continue;
      const ink = rasterizeDrawing(s.drawing);
      b.add({ name: s.alphabet, split: s.split, source: 'omniglot' }, s.character, {
        id: s.id,
        drawer: s.drawer,
        pixels: toBytes(downsampleArea(ink, OMNIGLOT_CANVAS, imageSize)),
        strokes: s.drawing,
      });
    }
  return b.build();
}
