import * as tf from '@tensorflow/tfjs';
import { DEFAULT_ZERO_SHOT, ZeroShotTrainer, type ZeroShotConfig, type ZeroShotTask } from '../engine/algorithms/metric/zeroShot';
import { Rng } from '../engine/core/rng';
import type { Post, TrainingSession } from './session';
import type { FromZeroShotWorker, ZeroShotEvalPoint, ZeroShotView, ZeroShotViewCommand } from './zeroShotProtocol';

/**
 * The zero-shot relation network as the metric lab's worker drives it: training chunks whose
 * losses come back in one asynchronous read, held-out and seen-class accuracy on fixed evaluation
 * sets (the same items every time, so the curve shows the model changing, not the sample), and
 * the view of one held-out query scored against class attribute vectors the user may edit.
 * DOM-free, so the unit tests run it in Node.
 */

/** Classes per evaluation and view episode (chance 1/5), as the CLI's held-out accuracy. */
export const ZERO_SHOT_WAYS = 5;
const EVAL_ITEMS_PER_CLASS = 10;
const EVAL_EPISODES = 100;
const EVAL_QUERIES_PER_CLASS = 5;

/** Items of every class of a split, and fixed `ways`-way episodes drawn over them. */
export interface EvalSet {
  /** The split's class ids; scores are computed against all of them at once. */
  classes: number[];
  /** Item features [items, F]. */
  features: Float32Array;
  /** Each item's class as an index into `classes`. */
  labels: Int32Array;
  /** Episodes: column indices into `classes`, and the items asked (rows of `features`). */
  episodes: { cols: number[]; rows: number[] }[];
}

export function makeEvalSet(task: ZeroShotTask, split: 'train' | 'test', seed: number): EvalSet {
  const rng = Rng.derive(seed, `zero-shot-lab-eval-${split}`);
  const classes = task.classSet(split);
  const F = task.cfg.features;
  const features = new Float32Array(classes.length * EVAL_ITEMS_PER_CLASS * F);
  const labels = new Int32Array(classes.length * EVAL_ITEMS_PER_CLASS);
  classes.forEach((c, i) => {
    for (let k = 0; k < EVAL_ITEMS_PER_CLASS; k++) {
      const row = i * EVAL_ITEMS_PER_CLASS + k;
      features.set(task.sample(c, rng), row * F);
      labels[row] = i;
    }
  });
  const ways = Math.min(ZERO_SHOT_WAYS, classes.length);
  const episodes = Array.from({ length: EVAL_EPISODES }, () => {
    const cols = rng.shuffle(classes.map((_, i) => i)).slice(0, ways);
    const rows = cols.flatMap((col) => rng.shuffle(Array.from({ length: EVAL_ITEMS_PER_CLASS }, (_, k) => col * EVAL_ITEMS_PER_CLASS + k)).slice(0, EVAL_QUERIES_PER_CLASS));
    return { cols, rows };
  });
  return { classes, features, labels, episodes };
}

/**
 * Mean episode accuracy from one score matrix [items, classes]: in each episode an item is right
 * when, among the episode's columns only, its own class scores highest (ties count as wrong).
 */
export function episodeAccuracy(scores: ArrayLike<number>, nClasses: number, labels: Int32Array, episodes: EvalSet['episodes']): number {
  if (episodes.length === 0) return NaN;
  let sum = 0;
  for (const ep of episodes) {
    let right = 0;
    for (const row of ep.rows) {
      const own = scores[row * nClasses + labels[row]];
      if (ep.cols.every((col) => col === labels[row] || scores[row * nClasses + col] < own)) right++;
    }
    sum += right / ep.rows.length;
  }
  return sum / episodes.length;
}

/** The view's episode for a draw number: ZERO_SHOT_WAYS held-out classes and one item of one of them. */
export function viewEpisode(task: ZeroShotTask, seed: number, draw: number): { classes: number[]; attributes: Float32Array; truth: number; features: Float32Array } {
  const rng = Rng.derive(seed, `zero-shot-lab-view-${draw}`);
  const classes = rng.shuffle(task.classSet('test')).slice(0, ZERO_SHOT_WAYS);
  const A = task.cfg.attributes;
  const attributes = new Float32Array(classes.length * A);
  classes.forEach((c, i) => attributes.set(task.attributes.subarray(c * A, (c + 1) * A), i * A));
  const truth = rng.int(classes.length);
  return { classes, attributes, truth, features: task.sample(classes[truth], rng) };
}

export class ZeroShotSession {
  readonly trainer: ZeroShotTrainer;
  private readonly evalSets: { test: EvalSet; train: EvalSet };
  private readonly splitAttributes: { test: Float32Array; train: Float32Array };

  constructor(readonly cfg: ZeroShotConfig = DEFAULT_ZERO_SHOT) {
    this.trainer = new ZeroShotTrainer(cfg);
    const task = this.trainer.task;
    this.evalSets = { test: makeEvalSet(task, 'test', cfg.seed), train: makeEvalSet(task, 'train', cfg.seed) };
    const attrsOf = (classes: number[]) => {
      const A = cfg.attributes;
      const out = new Float32Array(classes.length * A);
      classes.forEach((c, i) => out.set(task.attributes.subarray(c * A, (c + 1) * A), i * A));
      return out;
    };
    this.splitAttributes = { test: attrsOf(this.evalSets.test.classes), train: attrsOf(this.evalSets.train.classes) };
  }

  get steps(): number {
    return this.trainer.steps;
  }

  /** `n` training steps; their losses with one read at the end. */
  async trainChunk(n: number): Promise<Float32Array> {
    const losses: tf.Scalar[] = [];
    for (let i = 0; i < n; i++) losses.push(this.trainer.stepTensor());
    const stacked = tf.stack(losses);
    tf.dispose(losses);
    const values = (await stacked.data()) as Float32Array;
    stacked.dispose();
    return Float32Array.from(values);
  }

  /** 5-way accuracy on the fixed held-out and training-class evaluation sets. */
  async evaluate(): Promise<ZeroShotEvalPoint> {
    const one = async (split: 'test' | 'train') => {
      const set = this.evalSets[split];
      const r = this.trainer.scoresTensor(this.splitAttributes[split], set.features);
      const scores = await r.data();
      r.dispose();
      return episodeAccuracy(scores, set.classes.length, set.labels, set.episodes);
    };
    return { step: this.trainer.steps, heldOut: await one('test'), seen: await one('train') };
  }

  /** The held-out query of draw `draw`, scored against the given attribute vectors (null: the classes' own). */
  async view(draw: number, attributes: readonly number[] | null): Promise<ZeroShotView> {
    const ep = viewEpisode(this.trainer.task, this.cfg.seed, draw);
    const A = this.cfg.attributes;
    if (attributes !== null && attributes.length !== ep.classes.length * A) throw new Error(`expected ${ep.classes.length}×${A} attributes, got ${attributes.length}`);
    const used = attributes === null ? ep.attributes : Float32Array.from(attributes);
    const r = this.trainer.scoresTensor(used, ep.features);
    const scores = Float32Array.from(await r.data());
    r.dispose();
    return {
      step: this.trainer.steps,
      draw,
      classes: ep.classes,
      attributeCount: A,
      original: ep.attributes,
      attributes: used,
      features: ep.features,
      truth: ep.truth,
      scores,
    };
  }

  dispose(): void {
    this.trainer.dispose();
  }
}

/** The view of the held-out query is refreshed at most this often while training. */
const VIEW_REFRESH_MS = 250;

/**
 * The zero-shot lab as the worker host runs it: evaluated after every chunk (two small score
 * matrices), the query's scores refreshed at most every VIEW_REFRESH_MS while it trains or at once
 * when the page edits an attribute vector. Weights are not carried to another backend: the network
 * starts again (seconds of training) and the page is told so.
 */
export async function createZeroShotLabSession(_settings: null, _from: undefined, post: Post<FromZeroShotWorker>): Promise<TrainingSession<null, undefined, FromZeroShotWorker, ZeroShotViewCommand>> {
  const s = new ZeroShotSession();
  let wanted: { draw: number; attributes: number[] | null } = { draw: 0, attributes: null };
  let viewRequested = true;
  let lastViewAt = 0;
  return {
    get steps() {
      return s.steps;
    },
    async trainChunk(n) {
      return { losses: [await s.trainChunk(n)] };
    },
    snapshot(status, chunk, keep) {
      const losses = chunk ? chunk.losses[0].slice(0, keep) : new Float32Array(0);
      return { msg: { type: 'snapshot', step: s.steps, ...status, losses, evaluation: null }, transfer: [losses.buffer] };
    },
    diverged: ({ step, loss }) => ({ type: 'diverged', step, loss }),
    async opened(reason) {
      if (reason !== 'init') post({ type: 'reset' });
      // The untrained network's accuracy is the curves' first point (chance, give or take).
      post({ type: 'snapshot', step: s.steps, running: false, stepsPerS: 0, losses: new Float32Array(0), evaluation: await s.evaluate() });
      viewRequested = true;
    },
    async refresh(round) {
      // After every trained chunk, outside the chunk's timing (the host sizes chunks by training time alone).
      if (round.trained > 0 && !round.diverged) post({ type: 'snapshot', step: s.steps, running: round.running, stepsPerS: round.stepsPerS, losses: new Float32Array(0), evaluation: await s.evaluate() });
      if (viewRequested || (round.trained > 0 && performance.now() - lastViewAt > VIEW_REFRESH_MS)) {
        viewRequested = false;
        const view = await s.view(wanted.draw, wanted.attributes);
        lastViewAt = performance.now();
        post({ type: 'view', view });
      }
    },
    pending: () => viewRequested,
    async command(msg) {
      wanted = { draw: msg.draw, attributes: msg.attributes };
      viewRequested = true;
    },
    state: async () => undefined,
    dispose: () => s.dispose(),
  };
}
