import { create } from 'zustand';
import type { AlphabetMode, Drawing, Split } from '../../engine/tasks/characters';
import type { PageDataset } from '../../worker/charactersData';
import type { CharSource, CharsBusyPhase } from '../../worker/charactersProtocol';
import type { BplView } from './bpl';
import { emptyUserSet, parseStoredUserSet, serializeUserSet, type UserSet } from './userSet';

/** One data source as the page knows it: the data set the worker last sent, and what it is doing now. */
export interface SourceState {
  dataset: PageDataset | null;
  hash: string;
  origin: 'generated' | 'cache' | 'zip' | 'drawings' | null;
  archives: string[];
  busy: { phase: CharsBusyPhase; file?: string; index?: number; count?: number } | null;
  /** Milliseconds the worker took to produce the data set. */
  ms: number;
}

export interface DownloadState {
  state: 'idle' | 'downloading' | 'decoding' | 'done' | 'error';
  /** 0 … 1. */
  fraction: number;
  loaded: number;
  file: string;
}

export interface EpisodeSettings {
  nWay: number;
  kShot: number;
  qQuery: number;
  mode: AlphabetMode;
  split: Split;
  seed: number;
  /** For the user source: show the hand-built episode (true) or sample from the user's classes. */
  handBuilt: boolean;
}

export interface BrowseState {
  split: Split;
  /** Alphabet index in the current source's data set. */
  alphabet: number | null;
  /** Character (class) index in the data set. */
  character: number | null;
  /** Image index in the data set. */
  image: number | null;
}

export interface CharsLabState {
  source: CharSource;
  sources: Record<CharSource, SourceState>;
  rotations: boolean;
  download: DownloadState;
  cachedArchives: string[];
  browse: BrowseState;
  episode: EpisodeSettings;
  user: UserSet;
  /** The drawing on the pad. */
  drawing: Drawing;
  centre: boolean;
  /** Class the pad's drawing goes into. */
  targetClass: number | null;
  /** What the BPL card shows (null until it first draws). */
  bpl: BplView | null;
}

const emptySource = (): SourceState => ({ dataset: null, hash: '', origin: null, archives: [], busy: null, ms: 0 });

export const STORAGE_KEYS = {
  source: 'metaplay.characters.source',
  rotations: 'metaplay.characters.rotations',
  drawings: 'metaplay.characters.drawings',
  drawingsBackup: 'metaplay.characters.drawings.unreadable',
  centre: 'metaplay.characters.centre',
} as const;

export function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Stores a value; false when the browser refuses (private mode, quota). */
export function writeStored(key: string, value: string): boolean {
  try {
    window.localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** The user's drawings from the last visit; a damaged entry is kept aside (never overwritten) and reported. */
export function loadStoredUserSet(): { set: UserSet; damaged: string | null } {
  const raw = readStored(STORAGE_KEYS.drawings);
  if (!raw) return { set: emptyUserSet(), damaged: null };
  try {
    return { set: parseStoredUserSet(raw), damaged: null };
  } catch (e) {
    writeStored(STORAGE_KEYS.drawingsBackup, raw);
    return { set: emptyUserSet(), damaged: e instanceof Error ? e.message : String(e) };
  }
}

export function saveUserSet(set: UserSet): boolean {
  return writeStored(STORAGE_KEYS.drawings, serializeUserSet(set));
}

function initialSource(): CharSource {
  const s = readStored(STORAGE_KEYS.source);
  return s === 'omniglot' || s === 'user' ? s : 'synthetic';
}

export const DEFAULT_EPISODE: EpisodeSettings = { nWay: 5, kShot: 1, qQuery: 1, mode: 'between', split: 'background', seed: 1, handBuilt: true };

export const useChars = create<CharsLabState>(() => ({
  source: initialSource(),
  sources: { synthetic: emptySource(), omniglot: emptySource(), user: emptySource() },
  rotations: readStored(STORAGE_KEYS.rotations) === '1',
  download: { state: 'idle', fraction: 0, loaded: 0, file: '' },
  cachedArchives: [],
  browse: { split: 'background', alphabet: null, character: null, image: null },
  episode: DEFAULT_EPISODE,
  user: emptyUserSet(),
  drawing: [],
  centre: readStored(STORAGE_KEYS.centre) !== '0',
  targetClass: null,
  bpl: null,
}));

export function patchSource(source: CharSource, patch: Partial<SourceState>): void {
  useChars.setState((s) => ({ sources: { ...s.sources, [source]: { ...s.sources[source], ...patch } } }));
}

/** The data set of the selected source (null while loading or when it has none). */
export const useDataset = () => useChars((s) => s.sources[s.source].dataset);
