/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { adversarialEpisode, robustAccuracy } from '../engine/algorithms/adversarialView';
import { OmniglotTrainer, omniglotConfigFor } from '../engine/algorithms/omniglotFamily';
import { Rng } from '../engine/core/rng';
import { EpisodeError, EpisodeSampler, type CharacterDataset } from '../engine/tasks/characters';
import { availableBackends, softwareWebGpuAdapter, trySetBackend } from './backends';
import type { FamilyData, FamilySettings, FromFamilyWorker, ToFamilyWorker } from './familyProtocol';
import type { BackendChoice, Speed } from './vocabulary';

/**
 * Trains one algorithm of the gradient-based family on character episodes, off the page. A conv-net
 * step takes from a fraction of a second to seconds, so the loop runs one step at a time and
 * handles the page's messages between steps.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromFamilyWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

const QUERIES = 5;
/** The accuracy curve: the same few evaluation episodes each time, so the curve shows learning, not sampling noise. */
const EVAL_EPISODES = 4;
const EVAL_SEED = 11;
const EVAL_EVERY: Record<Speed, number> = { slow: 1, normal: 5, fast: 20 };
const SLOW_PAUSE_MS = 400;
const DIVERGENCE_LIMIT = 1e6;

let settings: FamilySettings | null = null;
let data: CharacterDataset | null = null;
let source: FamilyData['source'] = 'synthetic';
let trainer: OmniglotTrainer | null = null;
let trainSampler: EpisodeSampler | null = null;
let evalSampler: EpisodeSampler | null = null;
let epsilon = 0.2;
let viewSeed = 0;
let running = false;
let pendingSteps = 0;
let speed: Speed = 'normal';
let pumping = false;
let stepsPerS = 0;
let lastEvalStep = -1;

async function selectBackend(choice: BackendChoice): Promise<void> {
  if (choice !== 'auto') {
    if (await trySetBackend(choice)) return post({ type: 'backend', backend: choice });
    post({ type: 'notice', level: 'warning', key: 'noticeBackendUnavailable', params: { backend: choice } });
  }
  // No probe: timing a conv-net step on each backend would cost seconds. A software WebGPU
  // adapter (SwiftShader) is always slower than tfjs's CPU kernels, so it is skipped.
  for (const b of availableBackends()) {
    if (b === 'webgpu' && (await softwareWebGpuAdapter())) continue;
    if (await trySetBackend(b)) return post({ type: 'backend', backend: b });
  }
}

/** A fresh trainer and samplers for the current settings and data. */
function rebuild(): void {
  trainer?.dispose();
  trainer = null;
  running = false;
  pendingSteps = 0;
  lastEvalStep = -1;
  if (!settings || !data) return;
  const s = settings;
  const spec = { nWay: s.ways, kShot: s.shots, qQuery: QUERIES };
  try {
    trainSampler = new EpisodeSampler(data, { ...spec, split: 'background' }, s.seed);
  } catch (e) {
    if (!(e instanceof EpisodeError)) throw e;
    post({ type: 'notice', level: 'error', key: 'famNoEpisodes', params: { reason: e.message } });
    return;
  }
  let evalSplit: 'evaluation' | 'background' = 'evaluation';
  try {
    evalSampler = new EpisodeSampler(data, { ...spec, split: 'evaluation' }, s.seed);
  } catch (e) {
    if (!(e instanceof EpisodeError)) throw e;
    // Only background alphabets loaded (e.g. one Omniglot zip): measure on background episodes.
    evalSplit = 'background';
    evalSampler = new EpisodeSampler(data, { ...spec, split: 'background' }, s.seed + 1);
  }
  const base = omniglotConfigFor(s.algorithm);
  // The card's α is CAML's context rate (CAML adapts only the context).
  const rate = s.algorithm === 'caml' ? { contextAlpha: s.alpha } : { alpha: s.alpha };
  trainer = new OmniglotTrainer({ ...base, ...rate, ways: s.ways, shots: s.shots, queries: QUERIES, width: s.width, metaBatch: s.metaBatch, innerSteps: s.innerSteps, tamlLambda: s.tamlLambda, tamlMeasure: s.tamlMeasure, seed: s.seed, advEpsilon: epsilon });
  post({ type: 'ready', source, evalSplit, settings: s });
  evaluate(true);
  sendView();
}

/** The accuracy curve's next point (clean and FGSM; DAML also without its learned-loss steps), at most once per step. */
function evaluate(force = false): { step: number; clean: number; adversarial: number; labelledOnly?: number } | undefined {
  const tr = trainer;
  if (!tr || !evalSampler || (!force && tr.steps === lastEvalStep)) return undefined;
  lastEvalStep = tr.steps;
  const acc = robustAccuracy(tr, evalSampler, EVAL_EPISODES, epsilon, tr.config.innerSteps, EVAL_SEED);
  const point = { step: tr.steps, clean: acc.clean, adversarial: acc.adversarial, ...(acc.labelledOnly !== undefined ? { labelledOnly: acc.labelledOnly } : {}) };
  if (force) post({ type: 'snapshot', step: tr.steps, running, stepsPerS, losses: [], accuracy: point });
  return point;
}

function sendView(): void {
  const tr = trainer;
  if (!tr || !evalSampler) return;
  const episode = evalSampler.sample(Rng.derive(viewSeed, 'family-view'));
  const steps = tr.config.innerSteps;
  const v = adversarialEpisode(tr, episode, epsilon, steps);
  const support = episode.support.slice();
  const query = episode.query.slice();
  post(
    {
      type: 'view',
      view: {
        step: tr.steps,
        epsilon,
        imageSize: episode.imageSize,
        nWay: episode.nWay,
        kShot: episode.kShot,
        qQuery: episode.qQuery,
        support,
        query,
        supportAdv: v.supportAdv,
        queryAdv: v.queryAdv,
        queryLabels: episode.queryLabels,
        cleanPredictions: v.cleanPredictions,
        advPredictions: v.advPredictions,
        cleanAccuracy: v.cleanAccuracy,
        advAccuracy: v.advAccuracy,
        ...(v.labelledOnlyAccuracy !== undefined ? { labelledOnlyAccuracy: v.labelledOnlyAccuracy } : {}),
        adaptSteps: steps,
        classes: episode.classes.map((c) => `${c.alphabet} · ${c.name}`),
      },
    },
    [support.buffer, query.buffer, v.supportAdv.buffer, v.queryAdv.buffer],
  );
}

/** One outer step of `tr`; null when it diverged. */
async function trainStep(tr: OmniglotTrainer): Promise<number | null> {
  const batch = Array.from({ length: tr.config.metaBatch }, () => trainSampler!.next());
  const t0 = performance.now();
  const loss = tr.step(batch);
  const value = (await loss.data())[0];
  loss.dispose();
  const rate = 1000 / (performance.now() - t0);
  stepsPerS = stepsPerS === 0 ? rate : 0.7 * stepsPerS + 0.3 * rate;
  if (!Number.isFinite(value) || value > DIVERGENCE_LIMIT) {
    running = false;
    pendingSteps = 0;
    post({ type: 'notice', level: 'error', key: 'famDiverged', params: { step: tr.steps, loss: String(value) } });
    return null;
  }
  return value;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    while (trainer && (running || pendingSteps > 0)) {
      const single = !running;
      if (single) pendingSteps--;
      const tr = trainer;
      const loss = await trainStep(tr);
      // A reset while the step's loss was read back: the new trainer starts afresh.
      if (loss === null || trainer !== tr) break;
      const due = single || tr.steps === 1 || tr.steps % EVAL_EVERY[speed] === 0;
      const accuracy = due ? evaluate() : undefined;
      post({ type: 'snapshot', step: tr.steps, running, stepsPerS, losses: [loss], accuracy });
      if (due) sendView();
      // Let the page's messages (pause, ε, reset) in between steps.
      await sleep(speed === 'slow' ? SLOW_PAUSE_MS : 0);
    }
  } catch (e) {
    running = false;
    pendingSteps = 0;
    post({ type: 'notice', level: 'error', key: 'famWorkerError', params: { reason: e instanceof Error ? e.message : String(e) } });
  } finally {
    pumping = false;
    if (trainer) post({ type: 'snapshot', step: trainer.steps, running, stepsPerS, losses: [] });
  }
}

async function handle(msg: ToFamilyWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      tf.enableProdMode();
      settings = msg.settings;
      epsilon = msg.epsilon;
      await selectBackend(msg.backend);
      rebuild();
      break;
    case 'data':
      data = { imageSize: msg.data.imageSize, alphabets: msg.data.alphabets, characters: msg.data.characters, pixels: msg.data.pixels, imageIds: [], drawers: [] };
      source = msg.data.source;
      rebuild();
      break;
    case 'reset':
      settings = msg.settings;
      rebuild();
      break;
    case 'play':
      running = true;
      void pump();
      break;
    case 'pause':
      running = false;
      break;
    case 'step':
      if (!running) {
        pendingSteps++;
        void pump();
      }
      break;
    case 'speed':
      speed = msg.speed;
      break;
    case 'epsilon':
      epsilon = msg.epsilon;
      // ADML trains on FGSM images of this ε from its next step on.
      if (trainer) trainer.config.advEpsilon = epsilon;
      if (trainer) {
        lastEvalStep = -1;
        evaluate(true);
      }
      sendView();
      break;
    case 'newEpisode':
      viewSeed++;
      sendView();
      break;
  }
}

let queue = Promise.resolve();
scope.onmessage = (e: MessageEvent<ToFamilyWorker>) => {
  const msg = e.data;
  // Play and step start the loop and return at once; the loop itself lets later messages through.
  queue = queue.then(() =>
    handle(msg).catch((err: unknown) => {
      post({ type: 'notice', level: 'error', key: 'famWorkerError', params: { reason: err instanceof Error ? err.message : String(err) } });
    }),
  );
};
