/// <reference lib="webworker" />
import { hostSession } from './hostSession';
import { createSineSession } from './sineSession';

/** The sine lab's worker: its session (MAML and pretraining side by side) on the generic host. */
hostSession(self as unknown as DedicatedWorkerGlobalScope, createSineSession, { chunkMs: { slow: 0, normal: 40, fast: 150 }, maxChunk: 500, slowPauseMs: 450 });
