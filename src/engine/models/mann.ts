import * as tf from '@tensorflow/tfjs';
import { lstmCell } from '../core/ops';
import type { ParamSpec, ParamValues } from '../core/params';
import type { Rng } from '../core/rng';
import { contentWeights, leastUsed, lruaWrite, lruaWriteWeights, readMemory, updateUsage } from './memory';

/**
 * The memory-augmented neural network of Santoro et al. (2016) with least-recently-used access
 * (LRUA), as a functional recurrent model.
 *
 * One step, input x_t = [image_t, one-hot label_{t−1}] and the previous state:
 *   e_t       = W_embed image_t                           (linear, all steps in one product)
 *   h_t       = LSTM([e_t, label_{t−1}, r_{t−1}])
 *   per head  k = tanh(·) (key, also the vector written), β = softplus(·) (key strength), α (write gate)
 *   w^w_t     = σ(α) w^r_{t−1} + (1 − σ(α)) w^lu_{t−1}
 *   M_t       = M_{t−1} with the least-used slot (from w^u_{t−1}) cleared, + Σ_h w^w_t,h k_h
 *   w^r_t     = softmax(β K(k, M_t))       r_t = Σ_i w^r_t(i) M_t(i)
 *   w^u_t     = γ w^u_{t−1} + Σ_h w^r_t,h + Σ_h w^w_t,h      w^lu_t = the R least-used slots
 *   y_t       = W_out [h_t, r_t] + b_out  (class logits)
 * The paper's read weights are softmax(K(k, M)); a learned key strength β (as in the NTM) lets a
 * read focus on one slot when the memory has many. The linear image embedding is a low-rank
 * factorisation of the controller's image weights (the paper feeds the 400 pixels to the LSTM):
 * it is computed for the whole sequence at once, outside the recurrence, which makes a step
 * several times cheaper.
 */
export interface MannSpec {
  /** Pixels of one image (20 × 20 = 400). */
  imageSize: number;
  classes: number;
  slots: number;
  width: number;
  controllerSize: number;
  readHeads: number;
  /** γ: usage decay. */
  usageDecay: number;
  /** Width of the linear image embedding. */
  embedding: number;
}

export const MANN_MEMORY_INIT = 1e-6;

const headWidth = (s: MannSpec) => s.width + 2; // key M | β | α
const controllerInput = (s: MannSpec) => s.embedding + s.classes + s.readHeads * s.width;

export function mannParamSpecs(spec: MannSpec): ParamSpec[] {
  const H = spec.controllerSize;
  return [
    { name: 'embed_w', shape: [spec.imageSize, spec.embedding] },
    { name: 'ctrl_kernel', shape: [controllerInput(spec) + H, 4 * H] },
    { name: 'ctrl_bias', shape: [4 * H] },
    { name: 'head_w', shape: [H, spec.readHeads * headWidth(spec)] },
    { name: 'head_b', shape: [spec.readHeads * headWidth(spec)] },
    { name: 'out_w', shape: [H + spec.readHeads * spec.width, spec.classes] },
    { name: 'out_b', shape: [spec.classes] },
  ];
}

export function initMann(spec: MannSpec, rng: Rng): ParamValues {
  const specs = mannParamSpecs(spec);
  const H = spec.controllerSize;
  const values = specs.map((s) => {
    const v = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
    if (s.shape.length === 2) {
      const limit = Math.sqrt(6 / (s.shape[0] + s.shape[1]));
      for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-limit, limit);
    }
    if (s.name === 'ctrl_bias') v.fill(1, H, 2 * H);
    if (s.name === 'head_b')
      for (let h = 0; h < spec.readHeads; h++) {
        v[h * headWidth(spec) + spec.width] = 2; // β = softplus(2) ≈ 2.1 to start with
      }
    return v;
  });
  return { specs, values };
}

export interface MannState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
  memory: tf.Tensor3D;
  /** r_{t−1} [B, R, M] */
  reads: tf.Tensor3D;
  /** w^r_{t−1} [B, R, N] */
  readWeights: tf.Tensor3D;
  /** w^u_{t−1} [B, N] */
  usage: tf.Tensor2D;
  /** w^lu_{t−1} [B, N] */
  leastUsed: tf.Tensor2D;
}

/** What the lab draws about one step. */
export interface MannStepTrace {
  readWeights: tf.Tensor3D;
  writeWeights: tf.Tensor3D;
  usage: tf.Tensor2D;
  /** The slot cleared before this step's write [B, N] (one-hot). */
  cleared: tf.Tensor2D;
  /** The memory after the step [B, N, M]. */
  memory: tf.Tensor3D;
}

export function mannInitialState(spec: MannSpec, batch: number): MannState {
  const usage = tf.zeros([batch, spec.slots]) as tf.Tensor2D;
  return {
    h: tf.zeros([batch, spec.controllerSize]),
    c: tf.zeros([batch, spec.controllerSize]),
    memory: tf.fill([batch, spec.slots, spec.width], MANN_MEMORY_INIT) as tf.Tensor3D,
    reads: tf.zeros([batch, spec.readHeads, spec.width]),
    readWeights: tf.zeros([batch, spec.readHeads, spec.slots]),
    usage,
    leastUsed: leastUsed(usage, spec.readHeads),
  };
}

/** The image embeddings of every step at once: images [T·B, imageSize] → [T·B, embedding]. */
export function mannEmbed(params: readonly tf.Tensor[], images: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(images, params[0] as tf.Tensor2D);
}

/** One MANN step. x [B, embedding + classes] (the embedded image and the previous label) → class logits [B, classes], the next state and the trace. */
export function mannStep(spec: MannSpec, params: readonly tf.Tensor[], x: tf.Tensor2D, state: MannState): { logits: tf.Tensor2D; state: MannState; trace: MannStepTrace } {
  const [, kernel, bias, headW, headB, outW, outB] = params;
  const B = x.shape[0];
  const R = spec.readHeads;
  const M = spec.width;
  const input = tf.concat([x, tf.reshape(state.reads, [B, R * M])], 1) as tf.Tensor2D;
  const { h, c } = lstmCell(input, { h: state.h, c: state.c }, kernel as tf.Tensor2D, bias as tf.Tensor1D);
  const raw = tf.reshape(tf.add(tf.matMul(h, headW as tf.Tensor2D), headB), [B, R, headWidth(spec)]);
  const [keyRaw, betaRaw, alpha] = tf.split(raw, [M, 1, 1], 2) as tf.Tensor3D[];
  const key = tf.tanh(keyRaw);
  const beta = tf.softplus(betaRaw);
  const writeWeights = lruaWriteWeights(alpha, state.readWeights, state.leastUsed);
  const cleared = leastUsed(state.usage, 1);
  const memory = lruaWrite(state.memory, cleared, writeWeights, key);
  const readWeights = contentWeights(memory, key, beta);
  const reads = readMemory(memory, readWeights);
  const usage = updateUsage(state.usage, readWeights, writeWeights, spec.usageDecay);
  const logits = tf.add(tf.matMul(tf.concat([h, tf.reshape(reads, [B, R * M])], 1), outW as tf.Tensor2D), outB) as tf.Tensor2D;
  return {
    logits,
    state: { h, c, memory, reads, readWeights, usage, leastUsed: leastUsed(usage, R) },
    trace: { readWeights, writeWeights, usage, cleared, memory },
  };
}
