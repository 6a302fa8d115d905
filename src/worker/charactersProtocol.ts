/**
 * Messages between the characters lab and its data worker. The worker owns the heavy work:
 * generating synthetic alphabets, decoding Omniglot zips, rotation augmentation, rasterizing user
 * drawings into a data set, and the IndexedDB atlas cache. The page only draws and samples.
 */
import type { Drawing, DrawingSet } from '../engine/tasks/characters';
import type { MessageKey } from '../i18n/messages';
import type { WireDataset } from './charactersData';

export type CharSource = 'synthetic' | 'omniglot' | 'user';
export const CHAR_SOURCES: readonly CharSource[] = ['synthetic', 'omniglot', 'user'];

export interface ZipFile {
  name: string;
  bytes: ArrayBuffer;
}

export type ToCharsWorker =
  /** Start: read the cached Omniglot atlas and generate the synthetic default (`prefer` first). */
  | { type: 'init'; rotations: boolean; prefer: CharSource }
  /** Omniglot zips (downloaded or from disk): decoded, merged into the Omniglot data, cached. */
  | { type: 'zips'; files: ZipFile[]; origin: 'download' | 'local' }
  | { type: 'rotations'; on: boolean }
  /** The user's drawings: rasterized into the "my drawings" data set. */
  | { type: 'userSet'; set: DrawingSet; centre: boolean }
  | { type: 'strokes'; request: number; source: CharSource; image: number }
  | { type: 'forgetOmniglot' };

export type CharsBusyPhase = 'generate' | 'cache-read' | 'decode' | 'rotate' | 'cache-write';

export type FromCharsWorker =
  | {
      type: 'dataset';
      source: CharSource;
      /** null: this source has no data (e.g. the Omniglot cache was forgotten). */
      wire: WireDataset | null;
      hash: string;
      origin: 'generated' | 'cache' | 'zip' | 'drawings';
      /** Omniglot: the zips it was built from. */
      archives: string[];
      rotations: boolean;
      ms: number;
    }
  | { type: 'busy'; source: CharSource; phase: CharsBusyPhase | null; file?: string; index?: number; count?: number }
  | { type: 'zipsDone'; loaded: string[]; refused: string[]; origin: 'download' | 'local' }
  | { type: 'cached'; ok: boolean; archives: string[] }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; key: MessageKey; params?: Record<string, string | number> }
  | { type: 'strokes'; request: number; drawing: Drawing | null };
