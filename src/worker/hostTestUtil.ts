// Test helper (imported by *.test.ts only): a lab session served by the real host in Node.
import { createHost, type BackendOps } from './host';
import type { Chunk, SessionFactory } from './session';

/** Backend operations for Node: every choice is tfjs's CPU backend, nothing to fall back to. */
export const cpuOnly: BackendOps = {
  async choose(_choice, _cache, post) {
    post({ type: 'backend', backend: 'cpu', requested: 'cpu' });
    return 'cpu';
  },
  fallbackChain: () => [],
  trySetBackend: async () => true,
  watchDeviceLoss: () => undefined,
};

/**
 * Starts `factory`'s session on the real host (no time budget or pause between chunks, at most
 * `maxChunk` steps a chunk, no probe) and returns `send` (a message from the page), `posted` (every
 * message the host posted back) and `of(type)` (those of one type).
 */
export function serve<S, St, Out, Cmd extends { type: string }, C extends Chunk>(factory: SessionFactory<S, St, Out, Cmd, C>, maxChunk = 4) {
  const posted: { type: string; [k: string]: unknown }[] = [];
  const scope = { postMessage: (msg: unknown) => void posted.push(msg as { type: string }), onmessage: null as ((e: MessageEvent) => void) | null };
  createHost(scope, factory, { chunkMs: { slow: 0, normal: 0, fast: 0 }, maxChunk, slowPauseMs: 0, probe: false }, cpuOnly);
  const send = (msg: object) => scope.onmessage!({ data: msg } as MessageEvent);
  const of = (type: string) => posted.filter((m) => m.type === type);
  return { send, of, posted };
}

/** The page's first message: start on the CPU backend with `settings`. */
export const init = (settings: unknown) => ({ type: 'init', backend: 'cpu', probeCache: null, settings });
