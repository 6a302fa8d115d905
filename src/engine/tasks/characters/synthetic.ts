import { DatasetBuilder, type CharacterDataset, type Split } from './dataset';
import { characterName, drawerId, syntheticAlphabet, syntheticRng } from './alphabets';
import { syntheticCharacter } from './characterType';
import { IMAGE_SIZE, toBytes } from './rasterize';
import { renderToken, syntheticToken } from './tokens';

/**
 * Synthetic alphabets: a generative model of handwritten characters in the spirit of Bayesian
 * Program Learning (Lake, Salakhutdinov & Tenenbaum 2015), written from the paper's description.
 *
 * - Type level. An alphabet is a style: a preferred subset of a shared library of spline primitives,
 *   how many strokes and sub-strokes its characters have, how strokes connect, size, slant and aspect.
 *   A character (type) is a list of strokes; a stroke is a chain of sub-strokes, each a 5-control-point
 *   cubic B-spline shaped like a primitive; each stroke after the first is placed by a relation to
 *   an earlier one: independent (its own position), start / end (at that stroke's start or end), or
 *   along (somewhere on one of its sub-strokes).
 * - Token level (one drawer's rendition). Motor noise on control points and sub-stroke scale,
 *   jitter of where relations attach, a global affine jitter, the drawer's pen width and speed
 *   (points get timestamps with a minimum-jerk speed profile per sub-stroke, so a token is an
 *   Omniglot-format drawing with speed minima at sub-stroke boundaries).
 * - Image level. The token is rasterized like the Omniglot data (105×105 at the pen width, area
 *   averaged to 28×28), optionally with Bernoulli ink sampling.
 *
 * Everything is a function of (seed, alphabet, character, drawer) through derived Rng streams, so
 * any single character or drawer can be regenerated on its own and a seed reproduces a data set.
 * Coordinates are pixels of the 105 canvas (image coordinates, y down), as in `strokes.ts`.
 *
 * The levels live in primitives.ts (the primitive library), alphabets.ts (styles and names),
 * characterType.ts (types) and tokens.ts (tokens and images); this file assembles a data set.
 */

export interface SyntheticConfig {
  seed: number;
  alphabets: number;
  charactersPerAlphabet: number;
  drawersPerCharacter: number;
  /** The last this-many alphabets form the evaluation split (default: a third, rounded). */
  evaluationAlphabets?: number;
  imageSize?: number;
  /** Bernoulli ink sampling at the image level (default off: smooth anti-aliased ink). */
  bernoulli?: boolean;
  motorNoise?: number;
  /** Keep every token's strokes in the data set (memory-hungry; default false: regenerate with syntheticToken). */
  keepStrokes?: boolean;
}

/** 30 alphabets (20 background + 10 evaluation) × 20 characters × 20 drawers = 12 000 images. */
export const DEFAULT_SYNTHETIC_CONFIG: SyntheticConfig = {
  seed: 0,
  alphabets: 30,
  charactersPerAlphabet: 20,
  drawersPerCharacter: 20,
};

export function syntheticSplit(config: SyntheticConfig, alphabet: number): Split {
  const evaluation = config.evaluationAlphabets ?? Math.round(config.alphabets / 3);
  return alphabet >= config.alphabets - evaluation ? 'evaluation' : 'background';
}

/** Generates a whole synthetic data set (deterministic for the config, seed included). */
export function generateSyntheticDataset(config: SyntheticConfig = DEFAULT_SYNTHETIC_CONFIG): CharacterDataset {
  const size = config.imageSize ?? IMAGE_SIZE;
  const { alphabets, charactersPerAlphabet: nc, drawersPerCharacter: nd } = config;
  for (const [k, v] of Object.entries({ alphabets, charactersPerAlphabet: nc, drawersPerCharacter: nd }))
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer, got ${v}`);
  const b = new DatasetBuilder(size);
  const img = new Float32Array(size * size);
  for (let a = 0; a < alphabets; a++) {
    const style = syntheticAlphabet(config.seed, a, alphabets);
    const meta = { name: style.name, split: syntheticSplit(config, a), source: 'synthetic' as const };
    for (let c = 0; c < nc; c++) {
      const type = syntheticCharacter(style, c);
      for (let d = 0; d < nd; d++) {
        const token = syntheticToken(style, type, c, d, { motorNoise: config.motorNoise, timing: config.keepStrokes === true });
        const bernoulli = config.bernoulli ? { rng: syntheticRng(config.seed, 'ink', a, c, d) } : undefined;
        renderToken(token, { size, bernoulli }, img);
        const id = drawerId(d, nd);
        b.add(meta, characterName(c, nc), { id, drawer: id, pixels: toBytes(img), strokes: config.keepStrokes ? token.drawing : null });
      }
    }
  }
  return b.build();
}
