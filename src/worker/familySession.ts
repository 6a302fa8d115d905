import * as tf from '@tensorflow/tfjs';
import { adversarialEpisode, robustAccuracy } from '../engine/algorithms/adversarialView';
import { familyConfigFromSettings } from '../engine/algorithms/omniglotConfig';
import { OmniglotTrainer } from '../engine/algorithms/omniglotFamily';
import type { ParamValues } from '../engine/core/params';
import { Rng } from '../engine/core/rng';
import { EpisodeError, EpisodeSampler, type CharacterDataset } from '../engine/tasks/characters';
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

/** The conv net's parameters read back (null before there is a trainer). */
export type FamilyState = ParamValues | null;

export type FamilySession = TrainingSession<FamilySettings, FamilyState, FromFamilyWorker, FamilyCommand>;

type Trained = { trainer: OmniglotTrainer; train: EpisodeSampler; evaluation: EpisodeSampler; evalSplit: 'evaluation' | 'background' };

/** The trainer and samplers for the settings and the data (null before the data, or when they cannot fill an episode). */
function build(s: FamilySettings, from: ParamValues | undefined, post: Post<FromFamilyWorker>): Trained | null {
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
  return { trainer: new OmniglotTrainer(familyConfigFromSettings(s, QUERIES, world.epsilon), from), train, evaluation, evalSplit };
}

export async function createFamilySession(settings: FamilySettings, from: FamilyState | undefined, post: Post<FromFamilyWorker>): Promise<FamilySession> {
  const t = build(settings, from ?? undefined, post);
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
      }
    },
    state: async () => (t ? readParamsAsync(t.trainer.paramSpecs, [...t.trainer.theta, ...t.trainer.extra]) : null),
    dispose: () => t?.trainer.dispose(),
  };
}
