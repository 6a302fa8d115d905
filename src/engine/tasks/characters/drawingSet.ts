import { DatasetBuilder, type CharacterDataset, type Split } from './dataset';
import { drawingToImage, IMAGE_SIZE, toBytes } from './rasterize';
import { StrokeFormatError, validateDrawing, type Drawing } from './strokes';

/**
 * The user's drawings file: classes of drawings and hand-built episodes, saved as one JSON file
 * (format, validation with messages that say where a file is wrong), and its rasterization into a
 * character data set.
 */

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

/**
 * What one drawings file may hold. A drawing made with a mouse or pen has tens to a few hundred
 * points (an Omniglot drawing about a thousand at most) and a user's file a few hundred drawings;
 * the limits leave ample room and are checked before a drawing is copied or rasterized.
 */
export const DRAWING_SET_LIMITS = {
  /** Characters of the file's text (checked before it is parsed). */
  textLength: 32 * 2 ** 20,
  drawings: 5000,
  pointsPerDrawing: 10_000,
  points: 500_000,
} as const;

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
    if (input.length > DRAWING_SET_LIMITS.textLength)
      throw new DrawingSetError(`the file is ${Math.round(input.length / 2 ** 20)} MB; a drawings file is at most ${DRAWING_SET_LIMITS.textLength / 2 ** 20} MB`);
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
  checkDrawingCounts(v.classes as unknown[]);
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

/** Refuses a file by how many drawings and points it holds, before any drawing is copied. */
function checkDrawingCounts(classes: readonly unknown[]): void {
  let drawings = 0;
  let points = 0;
  classes.forEach((c, i) => {
    const list = (c as Partial<DrawnClass> | null)?.drawings;
    if (!Array.isArray(list)) return;
    drawings += list.length;
    if (drawings > DRAWING_SET_LIMITS.drawings) throw new DrawingSetError(`the file holds more than ${DRAWING_SET_LIMITS.drawings} drawings, the most accepted`);
    list.forEach((d: unknown, k) => {
      if (!Array.isArray(d)) return;
      let n = 0;
      for (const stroke of d) if (Array.isArray(stroke)) n += stroke.length;
      if (n > DRAWING_SET_LIMITS.pointsPerDrawing)
        throw new DrawingSetError(`class ${i} ("${String((c as Partial<DrawnClass>).name)}"), drawing ${k}: ${n} points; a drawing may have at most ${DRAWING_SET_LIMITS.pointsPerDrawing}`);
      points += n;
      if (points > DRAWING_SET_LIMITS.points) throw new DrawingSetError(`the file holds more than ${DRAWING_SET_LIMITS.points} points, the most accepted`);
    });
  });
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
