import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '../../core/params';
import { Rng } from '../../core/rng';
import { sigmoid } from '../../core/ops';
import { defaultsOf, defineSettings, type SettingsOf } from '../../settings/schema';
import { glorot } from './moduleParams';
import { denseStack, denseSpecs, relationLogits, relationMse, type DenseLayer } from './relation';
import { meanCi95 } from './trainer';
import type { MetricEval } from './types';

/*
 * Zero-shot relation network (Sung et al. 2018, section 3.4) on a synthetic task.
 *
 * No support images: each class c is described by an attribute vector a_c, and the relation
 * module compares an embedding of the attributes with the query's features:
 *   r_{q,c} = σ(g([h(a_c), x_q])),   h = attribute MLP,   loss = mean (r − 1(y_q = c))².
 * In the paper x_q are fixed features of a pretrained CNN. Here the "world" is synthetic and
 * honest about it: A binary attributes per class (think "has a loop", "more than two strokes", …),
 * and an item of class c has features x = tanh(M a_c + m) + σ·ε, with a fixed random mixing M, m
 * unknown to the model. Classes are split into disjoint training and held-out sets; a model that
 * only memorised its training classes is at chance on the held-out ones, so held-out accuracy
 * measures whether h learned the attributes' meaning.
 */

/**
 * The zero-shot network's settings, declared once: the CLI's flags, validation and usage and the
 * config the trainer reads derive from it. The lab trains with the defaults and puts none in its
 * link (`url: false`). Fields are in the JSON result's order.
 */
export const ZERO_SHOT_SCHEMA = defineSettings({
  /** Binary attributes per class (class vectors are distinct, drawn from the 2^A possible). */
  attributes: { kind: 'number', default: 10, min: 1, max: 30, integer: true, url: false, cli: 'attributes', help: 'zsSettingAttributes', retrain: true },
  /** Feature dimension F of an item (the stand-in for a pretrained CNN's features). */
  features: { kind: 'number', default: 16, min: 1, max: 1024, integer: true, url: false, cli: 'features', help: 'zsSettingFeatures', retrain: true },
  /** Disjoint class sets: training and held-out. */
  trainClasses: { kind: 'number', default: 60, min: 2, max: 100_000, integer: true, url: false, cli: 'train-classes', help: 'zsSettingTrainClasses', retrain: true },
  testClasses: { kind: 'number', default: 20, min: 2, max: 100_000, integer: true, url: false, cli: 'test-classes', help: 'zsSettingTestClasses', retrain: true },
  /** Feature noise σ. */
  noise: { kind: 'number', default: 0.3, min: 0, max: 100, url: false, cli: 'noise', help: 'zsSettingNoise', retrain: true },
  /** Training episodes: classes and queries per class. */
  ways: { kind: 'number', default: 10, min: 2, max: 1000, integer: true, url: false, cli: 'ways', help: 'zsSettingWays', retrain: true },
  queries: { kind: 'number', default: 5, min: 1, max: 100, integer: true, url: false, cli: 'queries', help: 'metricQueriesHelp', retrain: true },
  /** Hidden width of the attribute MLP (A → H → F) and of the relation module (2F → H → 1). */
  hidden: { kind: 'number', default: 32, min: 1, max: 4096, integer: true, url: false, cli: 'hidden', help: 'zsSettingHidden', retrain: true },
  lr: { kind: 'number', default: 3e-3, min: 1e-7, max: 1, url: false, cli: 'lr', help: 'metricLrHelp', retrain: true },
  seed: { kind: 'number', default: 0, min: 0, max: 2 ** 32 - 1, integer: true, url: false, cli: 'seed', help: 'metricSeedHelp', retrain: true },
});

export type ZeroShotConfig = SettingsOf<typeof ZERO_SHOT_SCHEMA>;

export const DEFAULT_ZERO_SHOT: ZeroShotConfig = defaultsOf(ZERO_SHOT_SCHEMA);

/** The synthetic world: class attribute vectors and the hidden attribute → feature map. */
export class ZeroShotTask {
  /** a_c for every class, row-major [classes, A]; classes 0 … trainClasses−1 train, the rest are held out. */
  readonly attributes: Float32Array;
  readonly classes: number;
  private readonly mix: Float64Array;
  private readonly offset: Float64Array;

  constructor(readonly cfg: ZeroShotConfig) {
    const { attributes: a, features: f } = cfg;
    this.classes = cfg.trainClasses + cfg.testClasses;
    if (a > 30 || 2 ** a < this.classes) throw new Error(`${a} binary attributes cannot describe ${this.classes} distinct classes`);
    const rng = Rng.derive(cfg.seed, 'zero-shot-world');
    const seen = new Set<number>();
    this.attributes = new Float32Array(this.classes * a);
    for (let c = 0; c < this.classes; ) {
      const code = rng.int(2 ** a);
      if (seen.has(code)) continue;
      seen.add(code);
      for (let j = 0; j < a; j++) this.attributes[c * a + j] = (code >> j) & 1;
      c++;
    }
    // Scale 2/√A: pre-activations of order 1, so tanh neither saturates nor stays linear.
    this.mix = Float64Array.from({ length: f * a }, () => (2 * rng.normal()) / Math.sqrt(a));
    this.offset = Float64Array.from({ length: f }, () => 0.5 * rng.normal());
  }

  /** Noise-free features tanh(M a_c + m) of class c. */
  centre(c: number): Float32Array {
    const { attributes: a, features: f } = this.cfg;
    const out = new Float32Array(f);
    for (let i = 0; i < f; i++) {
      let z = this.offset[i];
      for (let j = 0; j < a; j++) z += this.mix[i * a + j] * this.attributes[c * a + j];
      out[i] = Math.tanh(z);
    }
    return out;
  }

  /** One item of class c: its centre plus Gaussian noise σ. */
  sample(c: number, rng: Rng): Float32Array {
    return this.centre(c).map((v) => v + this.cfg.noise * rng.normal());
  }

  /** Training classes 0 … T−1; held-out classes T … T+H−1. */
  classSet(split: 'train' | 'test'): number[] {
    const t = this.cfg.trainClasses;
    return split === 'train' ? Array.from({ length: t }, (_, i) => i) : Array.from({ length: this.cfg.testClasses }, (_, i) => t + i);
  }

  /** An episode: `ways` distinct classes of the split and `queries` items each (labels 0 … ways−1, class-major). */
  episode(split: 'train' | 'test', ways: number, queries: number, rng: Rng): ZeroShotEpisode {
    const pool = this.classSet(split);
    if (ways > pool.length) throw new Error(`${ways}-way episodes need ${ways} ${split} classes, there are ${pool.length}`);
    const classes = rng.shuffle([...pool]).slice(0, ways);
    const a = this.cfg.attributes;
    const attrs = new Float32Array(ways * a);
    const feats = new Float32Array(ways * queries * this.cfg.features);
    const labels = new Int32Array(ways * queries);
    classes.forEach((c, w) => {
      attrs.set(this.attributes.subarray(c * a, (c + 1) * a), w * a);
      for (let q = 0; q < queries; q++) {
        feats.set(this.sample(c, rng), (w * queries + q) * this.cfg.features);
        labels[w * queries + q] = w;
      }
    });
    return { classes, attributes: attrs, features: feats, labels };
  }
}

/** Plain arrays: the episode's class ids, their attributes [ways, A], query features [Q, F] and labels. */
export interface ZeroShotEpisode {
  classes: number[];
  attributes: Float32Array;
  features: Float32Array;
  labels: Int32Array;
}

export function zeroShotParamSpecs(cfg: ZeroShotConfig): ParamSpec[] {
  return [...denseSpecs('attr', [cfg.attributes, cfg.hidden, cfg.features]), ...denseSpecs('rel', [2 * cfg.features, cfg.hidden, 1])];
}

function layers(params: readonly tf.Tensor[], names: readonly string[], prefix: string): DenseLayer[] {
  const out: DenseLayer[] = [];
  for (let i = 1; names.includes(`${prefix}_w${i}`); i++) out.push({ w: params[names.indexOf(`${prefix}_w${i}`)] as tf.Tensor2D, b: params[names.indexOf(`${prefix}_b${i}`)] as tf.Tensor1D });
  return out;
}

/** Relation logits [Q, ways] of query features [Q, F] to class attributes [ways, A]. */
export function zeroShotLogits(params: readonly tf.Tensor[], names: readonly string[], attributes: tf.Tensor2D, features: tf.Tensor2D): tf.Tensor2D {
  const classEmb = denseStack(layers(params, names, 'attr'), attributes);
  return relationLogits(layers(params, names, 'rel'), classEmb, features);
}

export interface ZeroShotEval extends MetricEval {
  ways: number;
  /** 1 / ways. */
  chance: number;
}

/**
 * Trains and evaluates the zero-shot relation network. DOM-free: the lab's worker and the CLI
 * drive it with step() / evaluate() and dispose() it.
 */
export class ZeroShotTrainer {
  readonly task: ZeroShotTask;
  readonly specs: ParamSpec[];
  steps = 0;
  private readonly vars: tf.Variable[];
  private readonly names: string[];
  private readonly optimizer: tf.Optimizer;
  private readonly rng: Rng;

  constructor(readonly cfg: ZeroShotConfig = DEFAULT_ZERO_SHOT) {
    this.task = new ZeroShotTask(cfg);
    this.specs = zeroShotParamSpecs(cfg);
    this.names = this.specs.map((s) => s.name);
    const init = Rng.derive(cfg.seed, 'zero-shot-init');
    this.vars = this.specs.map((s) => {
      const t = tf.tensor(glorot(s, init), s.shape, 'float32');
      const v = tf.variable(t, true);
      t.dispose(); // the variable holds its own reference to the data
      return v;
    });
    this.optimizer = tf.train.adam(cfg.lr);
    this.rng = Rng.derive(cfg.seed, 'zero-shot-train');
  }

  private tensors(ep: ZeroShotEpisode): { attrs: tf.Tensor2D; feats: tf.Tensor2D } {
    return {
      attrs: tf.tensor2d(ep.attributes, [ep.classes.length, this.cfg.attributes]),
      feats: tf.tensor2d(ep.features, [ep.labels.length, this.cfg.features]),
    };
  }

  /** The episode's MSE loss (differentiable wrt `params`, given in spec order). */
  loss(params: readonly tf.Tensor[], ep: ZeroShotEpisode): tf.Scalar {
    return tf.tidy(() => {
      const { attrs, feats } = this.tensors(ep);
      return relationMse(sigmoid(zeroShotLogits(params, this.names, attrs, feats)), ep.labels);
    });
  }

  /**
   * One Adam step on a training-class episode; returns its loss as a tensor the caller reads
   * (the lab's worker reads a whole chunk of steps with one asynchronous read) and disposes.
   */
  stepTensor(): tf.Scalar {
    const ep = this.task.episode('train', this.cfg.ways, this.cfg.queries, this.rng);
    const cost = this.optimizer.minimize(() => this.loss(this.vars, ep), true, this.vars);
    this.steps++;
    return cost ?? tf.scalar(NaN);
  }

  /** One Adam step on a training-class episode; returns its loss. */
  step(): number {
    const cost = this.stepTensor();
    const v = cost.dataSync()[0];
    cost.dispose();
    return v;
  }

  /**
   * Relation scores [Q, C] in [0, 1] of query features [Q, F] to any class attribute vectors
   * [C, A] (row-major), e.g. a held-out class's vector edited by hand.
   */
  scoresTensor(attributes: Float32Array, features: Float32Array): tf.Tensor2D {
    const { attributes: a, features: f } = this.cfg;
    return tf.tidy(() => sigmoid(zeroShotLogits(this.vars, this.names, tf.tensor2d(attributes, [attributes.length / a, a]), tf.tensor2d(features, [features.length / f, f]))));
  }

  /** Relation scores [Q, ways] in [0, 1] of an episode, row-major. */
  relations(ep: ZeroShotEpisode): Float32Array {
    const r = this.scoresTensor(ep.attributes, ep.features);
    const out = r.dataSync() as Float32Array;
    r.dispose();
    return out;
  }

  /** Accuracy (arg-max relation) on `episodes` fresh `ways`-way episodes of the split, with its 95% CI. */
  evaluate(split: 'train' | 'test', ways: number, episodes: number, seed = 1): ZeroShotEval {
    const rng = Rng.derive(this.cfg.seed + seed, `zero-shot-eval-${split}`);
    const accs: number[] = [];
    for (let e = 0; e < episodes; e++) {
      const ep = this.task.episode(split, ways, this.cfg.queries, rng);
      const r = this.relations(ep);
      let right = 0;
      ep.labels.forEach((l, q) => {
        let best = 0;
        for (let c = 1; c < ways; c++) if (r[q * ways + c] > r[q * ways + best]) best = c;
        if (best === l) right++;
      });
      accs.push(right / ep.labels.length);
    }
    const { mean, ci95 } = meanCi95(accs);
    return { accuracy: mean, ci95, episodes, ways, chance: 1 / ways };
  }

  dispose(): void {
    tf.dispose(this.vars);
    this.optimizer.dispose();
  }
}

export interface ZeroShotResult {
  config: ZeroShotConfig;
  steps: number;
  /** Loss of every training step. */
  losses: number[];
  /** `evalWays`-way episodes of the held-out classes (never seen in training) and of the training classes. */
  heldOut: ZeroShotEval;
  seen: ZeroShotEval;
  seconds: number;
}

/** Trains for `steps` episodes and evaluates on held-out classes; `onStep` sees every step's loss. */
export function trainZeroShot(
  cfg: ZeroShotConfig = DEFAULT_ZERO_SHOT,
  steps = 600,
  evalWays = 5,
  evalEpisodes = 100,
  onStep?: (step: number, loss: number) => void,
): ZeroShotResult {
  const t0 = performance.now();
  const trainer = new ZeroShotTrainer(cfg);
  try {
    const losses: number[] = [];
    for (let s = 1; s <= steps; s++) {
      const loss = trainer.step();
      losses.push(loss);
      onStep?.(s, loss);
    }
    return {
      config: { ...cfg },
      steps,
      losses,
      heldOut: trainer.evaluate('test', evalWays, evalEpisodes),
      seen: trainer.evaluate('train', evalWays, evalEpisodes),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    trainer.dispose();
  }
}
