/**
 * The words every lab's worker and page share: backends, speeds, probe timings and notices. Each
 * lab's own protocol (sineProtocol.ts, memoryProtocol.ts, …) adds only its own messages.
 */
import type { MessageKey } from '../i18n/messages';

/** Every backend a lab can run on, in the order a failing one falls back (and `auto` prefers on a tie). */
export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];
export type BackendChoice = 'auto' | BrowserBackend;
export type Speed = 'slow' | 'normal' | 'fast';

export interface ProbeResult {
  backend: BrowserBackend;
  msPerStep: number | null;
  error?: string;
}

/** A message for the page's notice area, in the user's language. */
export type NoticeMessage = { type: 'notice'; level: 'info' | 'warning' | 'error'; key: MessageKey; params?: Record<string, string | number> };

/** The backend a worker trains on, what the user asked for, and (after a probe) its timings. */
export type BackendMessage = { type: 'backend'; backend: BrowserBackend; requested: BackendChoice; probe?: ProbeResult[] };
