import { hashString, Rng } from '../../core/rng';
import { PRIMITIVES } from './primitives';
import { normalize, poissonWeights } from './weights';

/**
 * Synthetic alphabets at the type level: an alphabet is a style (which primitives, how many strokes
 * and sub-strokes, how strokes connect, size, slant, aspect), sampled from its own random stream so
 * that any alphabet of a seed can be regenerated alone; and the names the data set gives to its
 * alphabets, characters and drawers.
 */

export interface AlphabetStyle {
  index: number;
  name: string;
  /** Seed of the generator this style belongs to. */
  seed: number;
  /** Preferred primitives (ids into PRIMITIVES) and their probabilities. */
  primitives: number[];
  primitiveWeights: number[];
  /** Probabilities of 1, 2, … strokes per character. */
  strokeCounts: number[];
  /** Probabilities of 1, 2, … sub-strokes per stroke. */
  subStrokeCounts: number[];
  /** Probabilities of independent / start / end / along, in RELATION_KINDS order. */
  relationWeights: number[];
  /** Typical sub-stroke length (pixels, before the character is fitted to the canvas). */
  subStrokeLength: number;
  /** Type-level variation of a primitive's shape, as a fraction of its length. */
  shapeNoise: number;
  /** Rotation of all shapes (radians) and horizontal stretch. */
  slant: number;
  aspect: number;
  /** Typical longer side of a character's bounding box (pixels of the 105 canvas). */
  characterSize: number;
}

const CONSONANTS = ['b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'sh', 'th', 'kr', 'tr', 'ny'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ei'];

function alphabetWord(rng: Rng): string {
  const syllables = 2 + rng.int(2);
  let w = '';
  for (let i = 0; i < syllables; i++) w += CONSONANTS[rng.int(CONSONANTS.length)] + VOWELS[rng.int(VOWELS.length)];
  return w[0].toUpperCase() + w.slice(1);
}

/** Zero-padded so that names sort in index order. */
function padded(i: number, total: number): string {
  return String(i).padStart(Math.max(2, String(total).length), '0');
}

/** An independent random stream for one entity of the generator. */
export function syntheticRng(seed: number, ...path: (string | number)[]): Rng {
  return new Rng(hashString(`synthetic:${seed}:${path.join('/')}`));
}

/** Samples an alphabet's style. `total` only pads the name's number (for sorting). */
export function sampleAlphabetStyle(rng: Rng, index: number, seed = 0, total = 100): AlphabetStyle {
  const nPrim = 8 + rng.int(9);
  const primitives = rng.sampleWithoutReplacement(PRIMITIVES.length, nPrim).sort((a, b) => a - b);
  const primitiveWeights = normalize(primitives.map(() => -Math.log(1 - rng.next())));
  return {
    index,
    name: `${padded(index + 1, total)} ${alphabetWord(rng)}`,
    seed,
    primitives,
    primitiveWeights,
    strokeCounts: poissonWeights(rng.uniform(1.0, 2.8), 6),
    subStrokeCounts: poissonWeights(rng.uniform(0.35, 1.3), 4),
    relationWeights: normalize([rng.uniform(0.2, 1), rng.uniform(0.05, 0.5), rng.uniform(0.2, 1), rng.uniform(0.2, 1)]),
    subStrokeLength: rng.uniform(24, 40),
    shapeNoise: rng.uniform(0.04, 0.12),
    slant: 0.15 * rng.normal(),
    aspect: Math.exp(0.12 * rng.normal()),
    characterSize: rng.uniform(50, 66),
  };
}

/** The generator index of a synthetic alphabet from its data-set name (`"07 Kavoru"` → 6), or null. */
export function syntheticAlphabetIndex(name: string): number | null {
  const m = /^(\d+) /.exec(name);
  return m ? Number(m[1]) - 1 : null;
}

/** Alphabet `index` of the generator with this seed (`total` = the data set's alphabet count, for matching names). */
export function syntheticAlphabet(seed: number, index: number, total = 100): AlphabetStyle {
  return sampleAlphabetStyle(syntheticRng(seed, 'alphabet', index), index, seed, total);
}

export function characterName(index: number, total: number): string {
  return `character${padded(index + 1, total)}`;
}

export function drawerId(index: number, total: number): string {
  return `d${padded(index + 1, total)}`;
}
