import { createHost, type HostOptions, type HostScope } from './host';
import { chooseBackend, fallbackChain, trySetBackend, watchDeviceLoss } from './backends';
import type { Chunk, SessionFactory } from './session';

/** Runs a lab's worker: its sessions hosted by the generic loop on tfjs's backends of this browser. */
export function hostSession<S, St, Out, Cmd extends { type: string }, C extends Chunk>(scope: HostScope, factory: SessionFactory<S, St, Out, Cmd, C>, options: HostOptions): void {
  createHost(scope, factory, options, { choose: chooseBackend, fallbackChain, trySetBackend, watchDeviceLoss });
}
