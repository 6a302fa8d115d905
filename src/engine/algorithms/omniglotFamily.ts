import * as tf from '@tensorflow/tfjs';
import { readParams, toVariables, type ParamSpec, type ParamValues } from '../core/params';
import { Rng } from '../core/rng';
import { stopGradient } from '../core/stopGradient';
import { logSoftmax, meanSoftmaxCrossEntropy, softmax } from '../core/ops/elementwise';
import { convMamlMetaGradient, convNetForward, convNetForwardParts, convNetParamSpecs, initConvNet, type ConvEpisode, type ConvNetSpec } from '../models/convNet';
import type { Episode, EpisodeSampler } from '../tasks/characters';
import { innerLoop } from './innerLoop';
import { flattenPerTask, gradientAgreementWeightsTensor, inequalityTensor, reptileInner, weightedTaskSum } from './familyMath';
import type { InequalityMeasure } from './sineConfig';
import type { OmniglotConfig } from './omniglotConfig';

/*
 * The gradient-based family on Omniglot-style episodes with the 4-block conv net (issue #6).
 * Tasks are processed one at a time (the conv net has per-task fast filters; see
 * convMamlMetaGradient) and their gradients averaged.
 */

export { OMNIGLOT_ALGORITHMS, DEFAULT_OMNIGLOT_CONFIG, OMNIGLOT_DEFAULTS, OMNIGLOT_PRESETS, omniglotConfigFor, type OmniglotAlgorithm, type OmniglotConfig, type OmniglotPreset } from './omniglotConfig';

export const convSpecFor = (cfg: Pick<OmniglotConfig, 'width' | 'ways'>): ConvNetSpec => ({ width: cfg.width, ways: cfg.ways, inputSize: 28, inputChannels: 1, blocks: 4 });

/** An episode of the character sampler as conv-net tensors (one-hot labels). */
export function episodeTensors(e: Episode): ConvEpisode {
  const size = e.imageSize;
  const oneHot = (labels: Int32Array) => tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), e.nWay).toFloat() as tf.Tensor2D);
  return {
    support: { x: tf.tensor4d(e.support, [e.supportLabels.length, size, size, 1]), y: oneHot(e.supportLabels) },
    query: { x: tf.tensor4d(e.query, [e.queryLabels.length, size, size, 1]), y: oneHot(e.queryLabels) },
  };
}

const crossEntropy = (logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar => meanSoftmaxCrossEntropy(labels, logits);

/** Mean entropy of the predicted class distributions: −(1/N) Σₙ Σ_c p log p (second-order safe ops). */
export function meanPredictionEntropy(logits: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(softmax(logits), logSoftmax(logits)), 1))) as tf.Scalar;
}

/**
 * FGSM (Goodfellow et al.), as ADML uses it: x_adv = x + ε·sign(∇ₓ J(θ, x, y)), a constant for the
 * meta-gradient (no derivative flows through sign). Ink stays in [0, 1].
 */
export function fgsm(theta: readonly tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor2D, eps: number): tf.Tensor4D {
  return fgsmOn((xi) => convNetForward(theta, xi), x, y, eps);
}

/** FGSM against any classifier x → logits (e.g. CAML's conv net with its adapted context). */
export function fgsmOn(forward: (x: tf.Tensor4D) => tf.Tensor2D, x: tf.Tensor4D, y: tf.Tensor2D, eps: number): tf.Tensor4D {
  return tf.tidy(() => {
    const g = tf.grad((xi: tf.Tensor) => crossEntropy(forward(xi as tf.Tensor4D), y))(x);
    return tf.clipByValue(tf.add(x, tf.mul(tf.sign(g), eps)), 0, 1) as tf.Tensor4D;
  });
}

/** θ′ after k SGD steps on a labelled set (per-parameter α tensors for Meta-SGD). */
function adaptOn(theta: readonly tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor2D, alpha: number | readonly tf.Tensor[], steps: number, firstOrder = false): tf.Tensor[] {
  return innerLoop(convNetForward, crossEntropy, theta, x, y, { alpha, steps, firstOrder });
}

// ---------------------------------------------------------------- CAML

type CamlSettings = Pick<OmniglotConfig, 'contextSize' | 'contextAlpha' | 'filmBlock'>;

/** CAML's extra meta-parameters: the FiLM map [γ, β] = φW + b from the context to the block's channels. */
export function filmParamSpecs(cfg: Pick<OmniglotConfig, 'contextSize' | 'width'>): ParamSpec[] {
  return [
    { name: 'film_w', shape: [cfg.contextSize, 2 * cfg.width] },
    { name: 'film_b', shape: [2 * cfg.width] },
  ];
}

/** The conv net conditioned on the context φ [c]: FiLM on block `block` with [γ, β] = φW + b (φ = 0, b = 0: the plain net). */
export function camlForward(theta: readonly tf.Tensor[], film: readonly tf.Tensor[], phi: tf.Tensor, x: tf.Tensor4D, block: number): tf.Tensor2D {
  const width = film[1].shape[0] / 2;
  const gb = tf.add(tf.matMul(tf.reshape(phi, [1, -1]), film[0] as tf.Tensor2D), film[1]);
  const gamma = tf.reshape(tf.slice(gb, [0, 0], [1, width]), [width]);
  const beta = tf.reshape(tf.slice(gb, [0, width], [1, width]), [width]);
  return convNetForwardParts(theta, x, { block, gamma, beta }).out;
}

/**
 * CAML (Zintgraf et al. 2019) on an episode: φ starts at 0 and takes `steps` steps
 * φ ← φ − α_ctx ∇φ L_support(θ, φ); θ and the FiLM map stay as they are (they are meta-learned
 * through φ′, second order when called on the tape).
 */
export function camlContext(theta: readonly tf.Tensor[], film: readonly tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor2D, cfg: CamlSettings, steps: number): tf.Tensor {
  const model = (ps: readonly tf.Tensor[], xi: tf.Tensor4D) => camlForward(theta, film, ps[0], xi, cfg.filmBlock);
  return innerLoop(model, crossEntropy, [tf.zeros([cfg.contextSize])], x, y, { alpha: cfg.contextAlpha, steps })[0];
}

// ---------------------------------------------------------------- DAML-style learned inner loss

/*
 * DAML on episodes. On sine a label-free loss can adapt the model by itself (the demonstration's
 * inputs say which sine it is). On classification it cannot: the labels are a fresh permutation of
 * the classes in every episode, and nothing without labels can say which output is "class 2". So
 * the support labels first fix class identity (the ordinary labelled steps), then `learnedSteps`
 * steps on a learned loss over the unlabeled query images (transductive) refine the model:
 * ψ reads each image's logits and pooled conv features and outputs h, the loss is mean ‖h‖².
 * θ and ψ are meta-learned through both stages (second order).
 */

type DamlSettings = Pick<OmniglotConfig, 'alpha' | 'learnedSteps' | 'learnedAlpha'>;

/** ψ: (ways + width) → adaptHidden → adaptHidden → 1, ReLU between (28×28 images: 4 blocks pool to 1×1, so `width` features). */
export function adaptNetParamSpecs(cfg: Pick<OmniglotConfig, 'ways' | 'width' | 'adaptHidden'>): ParamSpec[] {
  const sizes = [cfg.ways + cfg.width, cfg.adaptHidden, cfg.adaptHidden, 1];
  return sizes.slice(1).flatMap((out, l) => [
    { name: `psi${l + 1}_w`, shape: [sizes[l], out] },
    { name: `psi${l + 1}_b`, shape: [out] },
  ]);
}

/** The learned label-free loss of the conv net θ on images x: mean over images of ‖ψ([logits, features])‖². */
export function learnedInnerLoss(theta: readonly tf.Tensor[], psi: readonly tf.Tensor[], x: tf.Tensor4D): tf.Scalar {
  const { features, out } = convNetForwardParts(theta, x);
  let h = tf.concat([out, features], 1) as tf.Tensor2D;
  const layers = psi.length / 2;
  for (let l = 0; l < layers; l++) {
    h = tf.add(tf.matMul(h, psi[2 * l] as tf.Tensor2D), psi[2 * l + 1]) as tf.Tensor2D;
    if (l < layers - 1) h = tf.relu(h);
  }
  return tf.mean(tf.sum(tf.square(h), 1)) as tf.Scalar;
}

/** θ′ after the labelled support steps, then `learnedSteps` steps on the learned loss of the query images (no query label is read). */
export function damlAdapt(theta: readonly tf.Tensor[], psi: readonly tf.Tensor[], task: Pick<ConvEpisode, 'support'> & { query: { x: tf.Tensor4D } }, cfg: DamlSettings, labelledSteps: number, learnedSteps = cfg.learnedSteps): tf.Tensor[] {
  const labelled = adaptOn(theta, task.support.x, task.support.y, cfg.alpha, labelledSteps);
  const model = (ps: readonly tf.Tensor[], x: tf.Tensor4D) => learnedInnerLoss(ps, psi, x);
  return innerLoop(model, (loss: tf.Scalar) => loss, labelled, task.query.x, task.query.x, { alpha: cfg.learnedAlpha, steps: learnedSteps });
}

/** Glorot-uniform weights (names ending in _w), zero biases. */
function glorotValues(specs: readonly ParamSpec[], rng: Rng): Float32Array[] {
  return specs.map((s) => {
    const v = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
    if (s.name.endsWith('_w')) {
      const limit = Math.sqrt(6 / (s.shape[0] + s.shape[1]));
      for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-limit, limit);
    }
    return v;
  });
}

/**
 * One task's meta-objective for the algorithms that differentiate through the inner loop:
 *   Meta-SGD:  L_q(θ − α∘∇L_s(θ)), differentiated wrt θ and α;
 *   TAML (entropy reduction, Jamal & Qi): L_q(θ′) + λ[−H(f_θ(x_q)) + H(f_θ′(x_q))]: an unbiased
 *     (maximum-entropy) initial model that becomes confident after adapting;
 *   ADML (Yin et al.): L(θ′_adv; D_q clean) + L(θ′_clean; D_q adv), where θ′_clean / θ′_adv adapt on
 *     the clean / FGSM support images and the adversarial images come from the current θ;
 *   CAML:      L_q(θ, φ′), φ′ adapted on the support set from 0 (params after θ: the FiLM map);
 *   DAML:      L_q(θ″), θ″ = labelled support steps then learned-loss steps (params after θ: ψ).
 */
export function taskObjective(cfg: OmniglotConfig, params: readonly tf.Tensor[], nTheta: number, task: ConvEpisode, adv?: { support: tf.Tensor4D; query: tf.Tensor4D }): tf.Scalar {
  const theta = params.slice(0, nTheta);
  const { x: xs, y: ys } = task.support;
  const { x: xq, y: yq } = task.query;
  switch (cfg.algorithm) {
    case 'metasgd': {
      const fast = adaptOn(theta, xs, ys, params.slice(nTheta), cfg.innerSteps);
      return crossEntropy(convNetForward(fast, xq), yq);
    }
    case 'taml': {
      const fast = adaptOn(theta, xs, ys, cfg.alpha, cfg.innerSteps);
      const after = convNetForward(fast, xq);
      const entropyTerm = tf.sub(meanPredictionEntropy(after), meanPredictionEntropy(convNetForward(theta, xq)));
      return tf.add(crossEntropy(after, yq), tf.mul(entropyTerm, cfg.tamlLambda)) as tf.Scalar;
    }
    case 'adml': {
      if (!adv) throw new Error('ADML needs the adversarial images');
      const clean = adaptOn(theta, xs, ys, cfg.alpha, cfg.innerSteps);
      const robust = adaptOn(theta, adv.support, ys, cfg.alpha, cfg.innerSteps);
      return tf.add(crossEntropy(convNetForward(robust, xq), yq), crossEntropy(convNetForward(clean, adv.query), yq)) as tf.Scalar;
    }
    case 'caml': {
      const film = params.slice(nTheta);
      const phi = camlContext(theta, film, xs, ys, cfg, cfg.innerSteps);
      return crossEntropy(camlForward(theta, film, phi, xq, cfg.filmBlock), yq);
    }
    case 'daml': {
      const fast = damlAdapt(theta, params.slice(nTheta), task, cfg, cfg.innerSteps);
      return crossEntropy(convNetForward(fast, xq), yq);
    }
    default:
      throw new Error(`${cfg.algorithm} has no differentiable task objective here`);
  }
}

/**
 * Gradient agreement (Eshratifar et al.) over per-task gradients gᵢ (one list of tensors per task,
 * same order as θ): the weights wᵢ = Σⱼ gᵢᵀgⱼ / Σₖ|Σⱼ gₖᵀgⱼ| and the update Σᵢ wᵢ gᵢ. The caller disposes both.
 */
export function agreementCombine(perTask: readonly (readonly tf.Tensor[])[]): { weights: tf.Tensor1D; combined: tf.Tensor[] } {
  return tf.tidy(() => {
    const stacked = perTask[0].map((_, i) => tf.stack(perTask.map((g) => g[i]))); // each [T, ...]
    const weights = gradientAgreementWeightsTensor(flattenPerTask(stacked));
    return { weights, combined: stacked.map((g) => weightedTaskSum(g, weights)) };
  });
}

/**
 * ∂I/∂ℓᵢ of an inequality measure at the task losses ℓ. The inequality term couples the tasks, but
 * its gradient is Σᵢ (∂I/∂ℓᵢ) ∇θ ℓᵢ(θ), so with these numbers as constants each task's gradient can
 * still be taken on its own (one conv-net graph in memory at a time).
 */
export function inequalityCoefficients(losses: readonly number[], measure: InequalityMeasure): number[] {
  return tf.tidy(() => Array.from(tf.grad((l: tf.Tensor) => inequalityTensor(l as tf.Tensor1D, measure))(tf.tensor1d([...losses])).dataSync()));
}

/**
 * Inequality-minimisation TAML (Jamal & Qi 2019) on episodes: the meta-objective
 *   (1/T) Σᵢ L_q,i(θ′ᵢ) + λ · I({L_s,i(θ)}ᵢ),
 * I over the tasks' support losses at the initial model θ (as in the sine lab), and its gradient
 * wrt θ. Returns the objective's value and gradient; the caller disposes them.
 */
export function tamlInequalityGradient(cfg: Pick<OmniglotConfig, 'alpha' | 'innerSteps' | 'tamlLambda' | 'tamlMeasure'>, theta: readonly tf.Tensor[], tasks: readonly ConvEpisode[]): { loss: tf.Scalar; grads: tf.Tensor[]; inequality: number } {
  const n = tasks.length;
  const initial = tasks.map((t) => tf.tidy(() => crossEntropy(convNetForward(theta, t.support.x), t.support.y).dataSync()[0]));
  const coef = inequalityCoefficients(initial, cfg.tamlMeasure);
  const inequality = tf.tidy(() => inequalityTensor(tf.tensor1d(initial), cfg.tamlMeasure).dataSync()[0]);
  let querySum = 0;
  let gradSum = theta.map((p) => tf.zerosLike(p) as tf.Tensor);
  tasks.forEach((task, i) => {
    const { value, grads } = tf.tidy(() =>
      tf.valueAndGrads((...ps: tf.Tensor[]) => {
        const fast = adaptOn(ps, task.support.x, task.support.y, cfg.alpha, cfg.innerSteps);
        const query = tf.div(crossEntropy(convNetForward(fast, task.query.x), task.query.y), n);
        // λ·cᵢ·ℓᵢ(θ): contributes λ (∂I/∂ℓᵢ) ∇ℓᵢ; its value is left out of the reported loss
        const penalty = tf.mul(crossEntropy(convNetForward(ps, task.support.x), task.support.y), cfg.tamlLambda * coef[i]);
        return tf.add(query, tf.sub(penalty, stopGradient(penalty))) as tf.Scalar;
      })([...theta]),
    );
    querySum += value.dataSync()[0];
    const next = gradSum.map((g, j) => tf.add(g, grads[j]));
    tf.dispose([value, ...grads, ...gradSum]);
    gradSum = next;
  });
  return { loss: tf.scalar(querySum + cfg.tamlLambda * inequality), grads: gradSum, inequality };
}

export interface OmniglotEval {
  /** Mean query accuracy over the episodes, and the 95% confidence half-width (1.96·sd/√n). */
  accuracy: number;
  ci95: number;
  episodes: number;
  /** ADML: the same on FGSM query images of the adapted model. */
  adversarialAccuracy?: number;
  adversarialCi95?: number;
  /** DAML: the same θ adapted with the labelled steps only (what the learned-loss steps add is the difference). */
  labelledOnlyAccuracy?: number;
  labelledOnlyCi95?: number;
}

/** Meta-trains the conv net on character episodes with one algorithm of the family. */
export class OmniglotTrainer {
  readonly config: OmniglotConfig;
  readonly spec: ConvNetSpec;
  private readonly vars: tf.Variable[];
  private readonly nTheta: number;
  private readonly optimizer: tf.Optimizer | null;
  steps = 0;
  /** Gradient agreement (maml-ga, reptile-ga): the task weights wᵢ of the last step. */
  lastWeights: number[] = [];

  constructor(config: OmniglotConfig, init?: ParamValues) {
    this.config = { ...config, metaSgdInit: [...config.metaSgdInit] };
    this.spec = convSpecFor(config);
    const thetaSpecs = convNetParamSpecs(this.spec);
    this.nTheta = thetaSpecs.length;
    const initial =
      init ??
      ({
        specs: this.paramSpecs,
        values: [
          ...initConvNet(this.spec, Rng.derive(config.seed, 'init')).values,
          ...(config.algorithm === 'metasgd'
            ? thetaSpecs.map((s) => {
                const rng = Rng.derive(config.seed, `alpha-${s.name}`);
                return Float32Array.from({ length: s.shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(config.metaSgdInit[0], config.metaSgdInit[1]));
              })
            : glorotValues(this.paramSpecs.slice(thetaSpecs.length), Rng.derive(config.seed, `init-${config.algorithm}`))),
        ],
      } satisfies ParamValues);
    const expected = this.paramSpecs;
    if (initial.specs.length !== expected.length || initial.specs.some((s, i) => s.shape.join() !== expected[i].shape.join()))
      throw new Error(`the parameters do not fit a ${config.algorithm} conv net of width ${config.width} for ${config.ways}-way tasks`);
    this.vars = toVariables(initial, `omniglot_${config.algorithm}`);
    this.optimizer = config.algorithm === 'reptile' || config.algorithm === 'reptile-ga' ? null : tf.train.adam(config.metaLr);
  }

  get paramSpecs(): ParamSpec[] {
    const theta = convNetParamSpecs(this.spec);
    switch (this.config.algorithm) {
      case 'metasgd':
        return [...theta, ...theta.map((s) => ({ name: `alpha_${s.name}`, shape: s.shape }))];
      case 'caml':
        return [...theta, ...filmParamSpecs(this.config)];
      case 'daml':
        return [...theta, ...adaptNetParamSpecs(this.config)];
      default:
        return theta;
    }
  }

  get theta(): readonly tf.Variable[] {
    return this.vars.slice(0, this.nTheta);
  }

  /** Meta-SGD's learned α, CAML's FiLM map, DAML's ψ (empty for the others). */
  get extra(): readonly tf.Variable[] {
    return this.vars.slice(this.nTheta);
  }

  params(): ParamValues {
    return readParams(this.paramSpecs, this.vars);
  }

  /** One outer step on a batch of episodes; returns the mean task loss (the caller disposes it). */
  step(episodes: readonly Episode[]): tf.Scalar {
    const cfg = this.config;
    const tasks = episodes.map(episodeTensors);
    try {
      if (cfg.algorithm === 'maml' || cfg.algorithm === 'fomaml') {
        const { loss, grads } = convMamlMetaGradient(this.theta, tasks, { alpha: cfg.alpha, innerSteps: cfg.innerSteps, firstOrder: cfg.algorithm === 'fomaml' });
        this.optimizer!.applyGradients(this.theta.map((v, i) => ({ name: v.name, tensor: grads[i] })));
        tf.dispose(grads);
        this.steps++;
        return loss;
      }
      if (cfg.algorithm === 'reptile' || cfg.algorithm === 'reptile-ga') return this.reptileStep(tasks, cfg.algorithm === 'reptile-ga');
      if (cfg.algorithm === 'maml-ga') {
        // MAML's per-task meta-gradients, one task at a time, combined with the agreement weights
        const perTask = tasks.map((task) => convMamlMetaGradient(this.theta, [task], { alpha: cfg.alpha, innerSteps: cfg.innerSteps }));
        const { weights, combined } = agreementCombine(perTask.map((r) => r.grads));
        this.lastWeights = Array.from(weights.dataSync());
        this.optimizer!.applyGradients(this.theta.map((v, i) => ({ name: v.name, tensor: combined[i] })));
        const loss = tf.tidy(() => tf.div(tf.addN(perTask.map((r) => r.loss)), tasks.length) as tf.Scalar);
        tf.dispose([weights, ...combined, ...perTask.flatMap((r) => [r.loss, ...r.grads])]);
        this.steps++;
        return loss;
      }
      if (cfg.algorithm === 'taml-ineq') {
        const { loss, grads } = tamlInequalityGradient(cfg, this.theta, tasks);
        this.optimizer!.applyGradients(this.theta.map((v, i) => ({ name: v.name, tensor: grads[i] })));
        tf.dispose(grads);
        this.steps++;
        return loss;
      }
      // Meta-SGD, TAML, ADML, CAML, DAML: per-task gradients of the task objective, averaged.
      let lossSum: tf.Tensor = tf.scalar(0);
      let gradSum = this.vars.map((v) => tf.zerosLike(v) as tf.Tensor);
      for (const task of tasks) {
        const adv = cfg.algorithm === 'adml' ? { support: fgsm(this.theta, task.support.x, task.support.y, cfg.advEpsilon), query: fgsm(this.theta, task.query.x, task.query.y, cfg.advEpsilon) } : undefined;
        const { value, grads } = tf.tidy(() => tf.valueAndGrads((...ps: tf.Tensor[]) => taskObjective(cfg, ps, this.nTheta, task, adv))([...this.vars]));
        if (adv) tf.dispose([adv.support, adv.query]);
        const next = gradSum.map((g, i) => tf.add(g, grads[i]));
        const nextLoss = tf.add(lossSum, value);
        tf.dispose([lossSum, value, ...gradSum, ...grads]);
        gradSum = next;
        lossSum = nextLoss;
      }
      const n = tasks.length;
      const grads = gradSum.map((g) => tf.div(g, n));
      this.optimizer!.applyGradients(this.vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
      tf.dispose([...grads, ...gradSum]);
      const loss = tf.div(lossSum, n) as tf.Scalar;
      lossSum.dispose();
      this.steps++;
      return loss;
    } finally {
      for (const t of tasks) tf.dispose([t.support.x, t.support.y, t.query.x, t.query.y]);
    }
  }

  /**
   * Reptile on episodes: k SGD steps alternating the support and query images, θ ← θ + ε·mean(θ′ − θ);
   * with gradient agreement θ ← θ − ε Σᵢ wᵢ (θ − θ′ᵢ), the weights from the differences gᵢ = θ − θ′ᵢ.
   */
  private reptileStep(tasks: readonly ConvEpisode[], agreement: boolean): tf.Scalar {
    const cfg = this.config;
    const result = tf.tidy(() => {
      const diffs: tf.Tensor[][] = [];
      let lossSum: tf.Tensor = tf.scalar(0);
      for (const task of tasks) {
        const fast = reptileInner(convNetForward, crossEntropy, this.theta, [task.support, task.query], { alpha: cfg.alpha, steps: cfg.innerSteps, optimizer: 'sgd' });
        diffs.push(fast.map((f, i) => tf.sub(this.theta[i], f)));
        lossSum = tf.add(lossSum, crossEntropy(convNetForward(fast, task.query.x), task.query.y));
      }
      let update: tf.Tensor[];
      if (agreement) {
        const { weights, combined } = agreementCombine(diffs);
        this.lastWeights = Array.from(weights.dataSync());
        update = combined;
      } else update = this.theta.map((_, i) => tf.div(tf.addN(diffs.map((d) => d[i])), tasks.length));
      this.theta.forEach((v, i) => v.assign(tf.sub(v, tf.mul(update[i], cfg.epsilon))));
      return tf.div(lossSum, tasks.length) as tf.Scalar;
    });
    this.steps++;
    return result;
  }

  /**
   * The classifier after adapting to an episode with the algorithm's own rule, `steps` steps on the
   * support images (SGD of θ with α; Meta-SGD: the learned α; CAML: only the context φ; DAML: then
   * its learned-loss steps on the query images unless `learned` is false). Call inside tf.tidy.
   */
  adaptedForward(task: ConvEpisode, steps: number, learned = true): (x: tf.Tensor4D) => tf.Tensor2D {
    const cfg = this.config;
    switch (cfg.algorithm) {
      case 'caml': {
        const phi = camlContext(this.theta, this.extra, task.support.x, task.support.y, cfg, steps);
        return (x) => camlForward(this.theta, this.extra, phi, x, cfg.filmBlock);
      }
      case 'daml': {
        const fast = damlAdapt(this.theta, this.extra, task, cfg, steps, learned ? cfg.learnedSteps : 0);
        return (x) => convNetForward(fast, x);
      }
      default: {
        const fast = adaptOn(this.theta, task.support.x, task.support.y, cfg.algorithm === 'metasgd' ? this.extra : cfg.alpha, steps);
        return (x) => convNetForward(fast, x);
      }
    }
  }

  /**
   * Few-shot accuracy on episodes of another split: adapt with adaptedForward for `steps` steps,
   * then classify the queries. ADML also reports the accuracy on FGSM query images of the adapted
   * model; DAML the accuracy without its learned-loss steps.
   */
  evaluate(sampler: EpisodeSampler, episodes: number, steps: number, seed: number): OmniglotEval {
    const cfg = this.config;
    const rng = Rng.derive(seed, 'omniglot-eval');
    const accs: number[] = [];
    const advAccs: number[] = [];
    const labelledAccs: number[] = [];
    for (let e = 0; e < episodes; e++) {
      const ep = episodeTensors(sampler.sample(rng));
      const [acc, advAcc, labelledAcc] = tf.tidy(() => {
        const hit = (forward: (x: tf.Tensor4D) => tf.Tensor2D, x: tf.Tensor4D) => tf.mean(tf.equal(tf.argMax(forward(x), 1), tf.argMax(ep.query.y, 1)).toFloat()).dataSync()[0];
        const forward = this.adaptedForward(ep, steps);
        return [
          hit(forward, ep.query.x),
          cfg.algorithm === 'adml' ? hit(forward, fgsmOn(forward, ep.query.x, ep.query.y, cfg.advEpsilon)) : NaN,
          cfg.algorithm === 'daml' ? hit(this.adaptedForward(ep, steps, false), ep.query.x) : NaN,
        ];
      });
      tf.dispose([ep.support.x, ep.support.y, ep.query.x, ep.query.y]);
      accs.push(acc);
      if (Number.isFinite(advAcc)) advAccs.push(advAcc);
      if (Number.isFinite(labelledAcc)) labelledAccs.push(labelledAcc);
    }
    const stats = (v: number[]) => {
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, v.length - 1));
      return { mean, ci: (1.96 * sd) / Math.sqrt(v.length) };
    };
    const clean = stats(accs);
    const out: OmniglotEval = { accuracy: clean.mean, ci95: clean.ci, episodes };
    if (advAccs.length > 0) {
      const adv = stats(advAccs);
      out.adversarialAccuracy = adv.mean;
      out.adversarialCi95 = adv.ci;
    }
    if (labelledAccs.length > 0) {
      const lab = stats(labelledAccs);
      out.labelledOnlyAccuracy = lab.mean;
      out.labelledOnlyCi95 = lab.ci;
    }
    return out;
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose());
    this.optimizer?.dispose();
  }
}
