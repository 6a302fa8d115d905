/// <reference lib="webworker" />
import { hostSession } from './hostSession';
import { createZeroShotLabSession } from './zeroShotSession';

/** The metric lab's zero-shot worker: the zero-shot relation network on the generic host. */
hostSession(self as unknown as DedicatedWorkerGlobalScope, createZeroShotLabSession, { chunkMs: { slow: 0, normal: 150, fast: 500 }, maxChunk: 400, slowPauseMs: 300 });
