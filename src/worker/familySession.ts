import * as tf from '@tensorflow/tfjs';
import { adversarialEpisode, robustAccuracy } from '../engine/algorithms/adversarialView';
import { familyConfigFromSettings, type OmniglotConfig } from '../engine/algorithms/omniglotConfig';
import { OmniglotTrainer } from '../engine/algorithms/omniglotFamily';
import { CheckpointError } from '../engine/core/checkpoint';
import type { ParamValues } from '../engine/core/params';
import { Rng } from '../engine/core/rng';
import { parseCheckpoint } from '../engine/methods/checkpoint';
import { readOmniglotCheckpoint } from '../engine/methods/omniglotCheckpoint';
import { EpisodeError, EpisodeSampler, type CharacterDataset, type Episode } from '../engine/tasks/characters';
import { episodeTensors } from '../engine/tasks/convEpisodes';
import type { FamilyCommand, FamilySettings, FamilySource, FromFamilyWorker } from './familyProtocol';
import { readParamsAsync } from './readState';
import type { Chunk, Post, RoundInfo, TrainingSession } from './session';
import type { Speed } from './vocabulary';

/**
 * The characters lab's gradient-based family card: one algorithm of the family meta-training the
 * conv net on character episodes, its accuracy clean and under FGSM on fixed evaluation episodes,
 * and one evaluation episode shown clean and attacked. A step takes from a fraction of a second to
 * seconds, so the host runs one step per chunk.
 */
const QUERIES = 5;
/** The accuracy curve: the same few evaluation episodes each time, so the curve shows learning, not sampling noise. */
const EVAL_EPISODES = 4;
const EVAL_SEED = 11;
const EVAL_EVERY: Record<Speed, number> = { slow: 1, normal: 5, fast: 20 };

/** What the page sent besides the settings; it outlives a reset (kept for the worker's life). */
const world: { data: CharacterDataset | null; source: FamilySource; epsilon: number; viewSeed: number } = { data: null, source: 'synthetic', epsilon: 0.2, viewSeed: 0 };

/**
 * The net read back (null before there is a trainer): its parameters and step count, and the card
 * settings and config it was built with (a loaded checkpoint's may differ from the page's).
 */
export type FamilyState = { settings: FamilySettings; config: OmniglotConfig; params: ParamValues; steps: number } | null;

export type FamilySession = TrainingSession<FamilySettings, FamilyState, FromFamilyWorker, FamilyCommand>;

type Trained = { trainer: OmniglotTrainer; train: EpisodeSampler; evaluation: EpisodeSampler; evalSplit: 'evaluation' | 'background' };

/**
 * The trainer and samplers for the settings and the data (null before the data, or when they
 * cannot fill an episode). `config` is the net's (the settings' by default); `from` its parameters.
 */
function build(s: FamilySettings, config: OmniglotConfig, from: ParamValues | undefined, post: Post<FromFamilyWorker>): Trained | null {
  const data = world.data;
  if (!data) return null;
  const spec = { nWay: s.ways, kShot: s.shots, qQuery: QUERIES };
  let train: EpisodeSampler;
  try {
    train = new EpisodeSampler(data, { ...spec, split: 'background' }, s.seed);
  } catch (e) {
    if (!(e instanceof EpisodeError)) throw e;
    post({ type: 'notice', level: 'error', key: 'famNoEpisodes', params: { reason: e.message } });
    return null;
  }
  let evaluation: EpisodeSampler;
  let evalSplit: 'evaluation' | 'background' = 'evaluation';
  try {
    evaluation = new EpisodeSampler(data, { ...spec, split: 'evaluation' }, s.seed);
  } catch (e) {
    if (!(e instanceof EpisodeError)) throw e;
    // Only background alphabets loaded (e.g. one Omniglot zip): measure on background episodes.
    evalSplit = 'background';
    evaluation = new EpisodeSampler(data, { ...spec, split: 'background' }, s.seed + 1);
  }
  return { trainer: new OmniglotTrainer(config, from), train, evaluation, evalSplit };
}

/** The card's settings of a net's config (the card's one rate is CAML's context rate there). */
function settingsOf(c: OmniglotConfig): FamilySettings {
  const { algorithm, ways, shots, width, metaBatch, innerSteps, tamlLambda, tamlMeasure, seed } = c;
  return { algorithm, ways, shots, width, metaBatch, alpha: algorithm === 'caml' ? c.contextAlpha : c.alpha, innerSteps, tamlLambda, tamlMeasure, seed };
}

/** The adapted net's predicted label of each query image of `episode` (the user's drawn one). */
function classifyEpisode(trainer: OmniglotTrainer, episode: Episode, steps: number): Int32Array {
  const ep = episodeTensors(episode);
  try {
    const predicted = tf.tidy(() => tf.argMax(trainer.adaptedForward(ep, steps)(ep.query.x), 1));
    const out = Int32Array.from(predicted.dataSync());
    predicted.dispose();
    return out;
  } finally {
    tf.dispose([ep.support.x, ep.support.y, ep.query.x, ep.query.y]);
  }
}

export async function createFamilySession(initial: FamilySettings, from: FamilyState | undefined, post: Post<FromFamilyWorker>): Promise<FamilySession> {
  let settings = from?.settings ?? initial;
  // The FGSM step is the page's latest (ADML trains with it).
  let config = from ? { ...from.config, advEpsilon: world.epsilon } : familyConfigFromSettings(settings, QUERIES, world.epsilon);
  let t = build(settings, config, from?.params, post);
  if (t && from) t.trainer.steps = from.steps;
  let lastEvalStep = -1;

  /** The accuracy curve's next point (clean and FGSM; DAML also without its learned-loss steps), at most once per step. */
  function evaluate(force = false): { step: number; clean: number; adversarial: number; labelledOnly?: number } | undefined {
    if (!t || (!force && t.trainer.steps === lastEvalStep)) return undefined;
    const tr = t.trainer;
    lastEvalStep = tr.steps;
    const acc = robustAccuracy(tr, t.evaluation, EVAL_EPISODES, world.epsilon, tr.config.innerSteps, EVAL_SEED);
    return { step: tr.steps, clean: acc.clean, adversarial: acc.adversarial, ...(acc.labelledOnly !== undefined ? { labelledOnly: acc.labelledOnly } : {}) };
  }

  function sendAccuracy(running: boolean, stepsPerS: number, force = false): void {
    const accuracy = evaluate(force);
    if (t && accuracy) post({ type: 'snapshot', step: t.trainer.steps, running, stepsPerS, losses: [], accuracy });
  }

  function sendView(): void {
    if (!t) return;
    const episode = t.evaluation.sample(Rng.derive(world.viewSeed, 'family-view'));
    const steps = t.trainer.config.innerSteps;
    const v = adversarialEpisode(t.trainer, episode, world.epsilon, steps);
    const support = episode.support.slice();
    const query = episode.query.slice();
    const { supportAdv, queryAdv, cleanPredictions, advPredictions, cleanAccuracy, advAccuracy, labelledOnlyAccuracy } = v;
    const view = { step: t.trainer.steps, epsilon: world.epsilon, imageSize: episode.imageSize, nWay: episode.nWay, kShot: episode.kShot, qQuery: episode.qQuery, support, query, supportAdv, queryAdv, queryLabels: episode.queryLabels, cleanPredictions, advPredictions, cleanAccuracy, advAccuracy };
    const classes = episode.classes.map((c) => `${c.alphabet} · ${c.name}`);
    post({ type: 'view', view: { ...view, ...(labelledOnlyAccuracy !== undefined ? { labelledOnlyAccuracy } : {}), adaptSteps: steps, classes } }, [support.buffer, query.buffer, supportAdv.buffer, queryAdv.buffer]);
  }

  async function refresh(round: RoundInfo): Promise<void> {
    if (!t || round.trained === 0 || round.diverged) return;
    const steps = t.trainer.steps;
    if (!round.running || steps === 1 || steps % EVAL_EVERY[round.speed] === 0) {
      sendAccuracy(round.running, round.stepsPerS);
      sendView();
    }
  }

  return {
    get steps() {
      return t?.trainer.steps ?? 0;
    },
    ready: () => t !== null,
    async trainChunk(n) {
      const { trainer, train } = t!;
      const losses: tf.Scalar[] = [];
      for (let i = 0; i < n; i++) losses.push(trainer.step(Array.from({ length: trainer.config.metaBatch }, () => train.next())));
      const stacked = tf.stack(losses);
      tf.dispose(losses);
      const values = Float32Array.from((await stacked.data()) as Float32Array);
      stacked.dispose();
      return { losses: [values] };
    },
    snapshot(status, chunk: Chunk | null, keep) {
      return { msg: { type: 'snapshot', step: t?.trainer.steps ?? 0, ...status, losses: chunk ? Array.from(chunk.losses[0].slice(0, keep)) : [] } };
    },
    diverged: ({ step, loss }) => ({ type: 'notice', level: 'error', key: 'famDiverged', params: { step, loss: String(loss) } }),
    async opened(reason) {
      if (!t || reason === 'fallback' || reason === 'backend') return;
      post({ type: 'ready', source: world.source, evalSplit: t.evalSplit, settings });
      sendAccuracy(false, 0, true);
      sendView();
    },
    refresh,
    pending: () => false,
    async command(msg, host) {
      switch (msg.type) {
        case 'data': {
          const d = msg.data;
          world.data = { imageSize: d.imageSize, alphabets: d.alphabets, characters: d.characters, pixels: d.pixels, imageIds: [], drawers: [] };
          world.source = d.source;
          return host.rebuild(settings);
        }
        case 'epsilon':
          world.epsilon = msg.epsilon;
          // ADML trains on FGSM images of this ε from its next step on.
          if (t) t.trainer.config.advEpsilon = world.epsilon;
          sendAccuracy(false, 0, true);
          return sendView();
        case 'newEpisode':
          world.viewSeed++;
          return sendView();
        case 'classifyDrawn': {
          const ep = msg.episode;
          if (!t) return;
          const ways = t.trainer.config.ways;
          if (ep.nWay !== ways) return post({ type: 'notice', level: 'warning', key: 'famDrawnWays', params: { n: ep.nWay, ways } });
          if (ep.queryLabels.length === 0) return post({ type: 'notice', level: 'warning', key: 'famDrawnNoQueries' });
          const adaptSteps = t.trainer.config.innerSteps;
          const predictions = classifyEpisode(t.trainer, ep, adaptSteps);
          const accuracy = predictions.reduce((n, p, i) => n + (p === ep.queryLabels[i] ? 1 : 0), 0) / predictions.length;
          const queryLabels = ep.queryLabels.slice();
          return post({ type: 'drawnResult', result: { step: t.trainer.steps, adaptSteps, nWay: ep.nWay, predictions, queryLabels, accuracy } }, [predictions.buffer, queryLabels.buffer]);
        }
      }
    },
    state: async () => (t ? { settings, config, params: await readParamsAsync(t.trainer.paramSpecs, [...t.trainer.theta, ...t.trainer.extra]), steps: t.trainer.steps } : null),
    async load(text, fileName, host) {
      const c = readOmniglotCheckpoint(parseCheckpoint(text));
      if (!world.data) throw new CheckpointError('the characters are not loaded yet');
      // The card's episodes per step stay (a browser's budget, not the CLI's): it does not shape the net.
      const nextConfig: OmniglotConfig = { ...c.config, metaBatch: settings.metaBatch, queries: QUERIES, advEpsilon: world.epsilon };
      const nextSettings = settingsOf(nextConfig);
      const wasRunning = await host.halt();
      let next: Trained | null;
      try {
        // Building the trainer checks that the weights fit its config; only then is the old net replaced.
        next = build(nextSettings, nextConfig, c.params, post);
      } catch (e) {
        if (wasRunning) host.play();
        throw new CheckpointError((e as Error).message);
      }
      // The data cannot fill the checkpoint's episodes (build has said why): the old net keeps training.
      if (!next) {
        if (wasRunning) host.play();
        return;
      }
      t?.trainer.dispose();
      t = next;
      t.trainer.steps = c.step;
      settings = nextSettings;
      config = nextConfig;
      await host.replaced();
      post({ type: 'checkpointLoaded', fileName, algorithm: c.algorithm, step: c.step, settings });
      sendAccuracy(false, 0, true);
      sendView();
    },
    dispose: () => t?.trainer.dispose(),
  };
}
