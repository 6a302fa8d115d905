/**
 * What a lab's training worker is made of: a training session (the lab's models, its views, its
 * own commands) hosted by the generic loop of host.ts (backend choice and fallback, play / pause /
 * step, chunk sizing, the divergence rule, the command queue). DOM-free and tfjs-free, so the host
 * is unit-tested in Node with a fake session.
 */
import type { Speed } from './vocabulary';

/** A message for the page with the buffers to transfer rather than copy. */
export interface Outgoing<Out> {
  msg: Out;
  transfer?: Transferable[];
}

/** A chunk's result: per-step loss series (every one is watched for divergence), each `n` long. */
export interface Chunk {
  readonly losses: readonly Float32Array[];
}

/** The loop's state a snapshot reports. */
export interface LoopStatus {
  running: boolean;
  /** Steps per second of the last chunk. */
  stepsPerS: number;
}

/** What a round of the loop tells the session's views. */
export interface RoundInfo extends LoopStatus {
  /** Steps trained in this round (0: none; the views asked for are still due). */
  trained: number;
  /** Training blew up: only views the page asked for are computed, none that went stale. */
  diverged: boolean;
  /** Single steps still queued: costly views wait until they are done. */
  pendingSteps: number;
  speed: Speed;
  /** Runs the loop again after `ms` (a view that is not due yet while paused). */
  wake(ms: number): void;
}

/** Where a divergence was found: the step, the loss series and its value. */
export interface Divergence {
  step: number;
  series: number;
  loss: number;
}

/** Why the host made a session the current one. */
export type OpenReason = 'init' | 'reset' | 'backend' | 'fallback';

/** What a lab's commands may ask of the host. */
export interface HostControl<S, Out> {
  post: Post<Out>;
  /** Stops training and waits until the current round is over; resolves to whether it was running. */
  halt(): Promise<boolean>;
  /** Training runs again (after a halt that only paused it, e.g. a settings change keeping the model). */
  play(): void;
  /** The model was replaced: play and step are allowed again, and its state is read back for a fallback. */
  replaced(): Promise<void>;
  /** Replaces the session by a new one for `settings`, as a reset does. */
  rebuild(settings: S): Promise<void>;
}

/**
 * One lab's training state, driven by the host. `St` is what the session reads back of itself so
 * that a replacement on another backend continues; `Cmd` are the lab's own commands.
 */
export interface TrainingSession<S, St, Out, Cmd, C extends Chunk = Chunk> {
  /** Outer steps trained so far. */
  readonly steps: number;
  /** False while there is nothing to train yet (e.g. before the page has sent the data); default true. */
  ready?(): boolean;
  /** Trains `n` steps and returns their losses with one asynchronous read at the end. */
  trainChunk(n: number): Promise<C>;
  /** The lab's snapshot of the first `keep` steps of `chunk` (all of them unless cut by a divergence; none when null). */
  snapshot(status: LoopStatus, chunk: C | null, keep?: number): Outgoing<Out>;
  /** The lab's report of a divergence. */
  diverged(d: Divergence): Out;
  /** Called once the host has made this session the current one: the lab's messages for it (reset, first evaluation, …). */
  opened(reason: OpenReason): Promise<void>;
  /** Refreshes the views the page asked for or that went stale; called every round. */
  refresh(round: RoundInfo): Promise<void>;
  /** Work asked for besides steps (a view, an evaluation) that keeps the loop going while paused. */
  pending(): boolean;
  /** The lab's own commands (adapt a curve, classify a drawing, …). */
  command(msg: Cmd, host: HostControl<S, Out>): Promise<void>;
  /** Resets in place, keeping what a reset does not touch (the metric lab's other methods); without it the host builds a new session. */
  reset?(settings: S): Promise<void>;
  /** Parameters read back (settings included where a command can change them); the host reads it on opening, after a replacement and after a good chunk at most every few seconds (host.ts, STATE_EVERY_MS). */
  state(): Promise<St>;
  /** The checkpoint file of the model `model` (the lab's only one when absent); absent where the lab saves none. */
  save?(model: string | undefined): Promise<Out>;
  /**
   * Loads a checkpoint: validates it first (a refused file leaves training running), then halts the
   * host, replaces the model and calls `host.replaced()`. Throws (CheckpointError) when it does not fit.
   */
  load?(text: string, fileName: string, host: HostControl<S, Out>): Promise<void>;
  dispose(): void;
}

/** Sends a message to the page. */
export type Post<Out> = (msg: Out, transfer?: Transferable[]) => void;

/**
 * Builds a lab's session from its settings, or from the state of one it replaces on another
 * backend; `post` is how its views reach the page.
 */
export type SessionFactory<S, St, Out, Cmd, C extends Chunk = Chunk> = (settings: S, from: St | undefined, post: Post<Out>) => Promise<TrainingSession<S, St, Out, Cmd, C>>;
