/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { createFamilySession } from './familySession';
import { hostSession } from './hostSession';

/**
 * The characters lab's gradient-based family card's worker: its session on the generic host, one
 * conv-net step per chunk, no backend probe (timing a step on each backend would cost seconds).
 */
tf.enableProdMode();
hostSession(self as unknown as DedicatedWorkerGlobalScope, createFamilySession, { chunkMs: { slow: 0, normal: 0, fast: 0 }, maxChunk: 1, slowPauseMs: 400, probe: false });
