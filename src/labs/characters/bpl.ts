import {
  centreAndScale,
  characterName,
  characterTypeFromParse,
  DEFAULT_SYNTHETIC_CONFIG,
  drawerId,
  parseDrawing,
  rotateDrawing,
  sampleCharacterToken,
  sampleCharacterType,
  syntheticAlphabet,
  syntheticAlphabetIndex,
  syntheticCharacter,
  syntheticRng,
  syntheticToken,
  type AlphabetStyle,
  type CharacterParse,
  type CharacterToken,
  type CharacterType,
  type Drawing,
  type Relation,
} from '../../engine/tasks/characters';

/**
 * The lab's view of Bayesian Program Learning: a character type (strokes made of sub-strokes,
 * placed by relations), one token of it (a drawer's rendition, with its parse), and the two ways to
 * resample: a new drawer of the same type, or a new type in the same alphabet style.
 */
export interface BplView {
  origin: 'synthetic' | 'drawing';
  alphabet: string;
  character: string;
  drawer: string;
  /** The alphabet's style, for "new character in this alphabet" (synthetic only). */
  style: AlphabetStyle | null;
  type: CharacterType;
  token: { drawing: Drawing; parse: CharacterParse; penWidth: number };
  /** New tokens of a drawn character ("re-draw as new drawers"). */
  redraws: CharacterToken[];
  /** Counts resamples, so every click draws from a fresh, reproducible stream. */
  draw: number;
}

const SEED = DEFAULT_SYNTHETIC_CONFIG.seed;
const TOTAL = DEFAULT_SYNTHETIC_CONFIG.alphabets;

/** Character `character` of synthetic alphabet `alphabet`, drawn by drawer `drawer` (as in the data set). */
export function syntheticView(alphabet: number, character: number, drawer: number): BplView {
  const style = syntheticAlphabet(SEED, alphabet, TOTAL);
  const type = syntheticCharacter(style, character);
  const token = syntheticToken(style, type, character, drawer);
  return {
    origin: 'synthetic',
    alphabet: style.name,
    character: characterName(character, DEFAULT_SYNTHETIC_CONFIG.charactersPerAlphabet),
    drawer: drawerId(drawer, DEFAULT_SYNTHETIC_CONFIG.drawersPerCharacter),
    style,
    type,
    token,
    redraws: [],
    draw: 0,
  };
}

/** A new drawer: the same type, a fresh token (motor noise, affine jitter, pen, timing). */
export function newDrawer(view: BplView): BplView {
  const draw = view.draw + 1;
  const token = sampleCharacterToken(view.type, syntheticRng(SEED, 'ui-drawer', view.alphabet, view.character, draw));
  return { ...view, token, drawer: `#${draw}`, draw, redraws: view.origin === 'drawing' ? redrawTokens(view.type, draw) : [] };
}

/** A new character type sampled from the alphabet's style, and a token of it. */
export function newCharacter(view: BplView): BplView {
  if (!view.style) return view;
  const draw = view.draw + 1;
  const type = sampleCharacterType(view.style, syntheticRng(SEED, 'ui-character', view.style.index, draw));
  const token = sampleCharacterToken(type, syntheticRng(SEED, 'ui-drawer', view.alphabet, draw, 0));
  return { ...view, type, token, character: `new #${draw}`, drawer: '#1', draw };
}

const REDRAWS = 6;

function redrawTokens(type: CharacterType, draw: number): CharacterToken[] {
  return Array.from({ length: REDRAWS }, (_, k) => sampleCharacterToken(type, syntheticRng(SEED, 'ui-redraw', draw, k)));
}

/**
 * A drawing (the user's, or an Omniglot drawer's strokes) parsed into strokes and sub-strokes, its
 * relations inferred, and re-drawn as new tokens of the type fitted to it. A user's drawing is
 * centred and scaled first (like the type the re-draws come from).
 */
export function drawingView(drawing: Drawing, label: { alphabet: string; character: string; drawer: string }, centre = true): BplView {
  const d = centre ? centreAndScale(drawing) : drawing;
  const parse = parseDrawing(d);
  const type = characterTypeFromParse(parse);
  return { origin: 'drawing', ...label, style: null, type, token: { drawing: d, parse, penWidth: 5 }, redraws: redrawTokens(type, 0), draw: 0 };
}

/** The synthetic generator's alphabet/character/drawer indices behind a data-set image, or null. */
export function syntheticIndices(alphabetName: string, characterName: string, drawer: string): { a: number; c: number; d: number } | null {
  const a = syntheticAlphabetIndex(alphabetName);
  const c = /(\d+)$/.exec(characterName);
  const d = /(\d+)$/.exec(drawer);
  if (a === null || !c || !d) return null;
  return { a, c: Number(c[1]) - 1, d: Number(d[1]) - 1 };
}

/** The strokes of a synthetic data-set image, regenerated (the data set keeps no strokes), rotated like its class. */
export function syntheticDrawing(alphabetName: string, characterName: string, drawer: string, rotation: number): Drawing | null {
  const ix = syntheticIndices(alphabetName, characterName, drawer);
  if (!ix) return null;
  const style = syntheticAlphabet(SEED, ix.a, TOTAL);
  const token = syntheticToken(style, syntheticCharacter(style, ix.c), ix.c, ix.d);
  return rotation ? rotateDrawing(token.drawing, rotation) : token.drawing;
}

/** A relation as a message key and parameters (stroke numbers count from 1). */
export function relationMessage(r: Relation): { key: 'relIndependent' | 'relStart' | 'relEnd' | 'relAlong'; params: Record<string, number> } {
  switch (r.kind) {
    case 'independent':
      return { key: 'relIndependent', params: {} };
    case 'start':
      return { key: 'relStart', params: { stroke: r.stroke + 1 } };
    case 'end':
      return { key: 'relEnd', params: { stroke: r.stroke + 1 } };
    case 'along':
      return { key: 'relAlong', params: { stroke: r.stroke + 1, sub: r.subStroke + 1, at: Math.round(r.at * 100) } };
  }
}

/** Stroke colours (distinct, readable on white and in presentation mode). */
export const STROKE_COLOURS = ['#d9480f', '#1c7ed6', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#c2255c', '#5c940d'];
