/// <reference lib="webworker" />
import { hostSession } from './hostSession';
import { createMemorySession } from './memorySession';

/** The memory lab's worker: one job (the NTM or LSTM on the copy task, or a MANN) on the generic host. */
hostSession(self as unknown as DedicatedWorkerGlobalScope, createMemorySession, { chunkMs: { slow: 0, normal: 120, fast: 400 }, maxChunk: 200, slowPauseMs: 450 });
