/// <reference lib="webworker" />
import { hostSession } from './hostSession';
import { createMetricSession } from './metricSession';

/** The metric lab's worker: one trainer per method the user trains, on the generic host. */
hostSession(self as unknown as DedicatedWorkerGlobalScope, createMetricSession, { chunkMs: { slow: 0, normal: 150, fast: 500 }, maxChunk: 100, slowPauseMs: 450 });
