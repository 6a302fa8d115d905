import * as tf from '@tensorflow/tfjs';
import type { ParamSpec, ParamValues } from '../core/params';
import type { Rng } from '../core/rng';
import { conv2d } from '../core/ops/conv';
import { batchNorm } from '../core/ops/norm';
import { maxPool2d } from '../core/ops/pool';

/**
 * The 4-block conv encoder of MAML / prototypical networks on Omniglot, as a functional model:
 * each block is conv 3×3 (same padding, stride 1) → transductive batch norm (learned scale and
 * offset) → ReLU → 2×2 max-pool, so 28×28 → 14 → 7 → 3 → 1 and the feature vector has `width`
 * entries; an optional linear head maps it to `ways` logits.
 *
 * The convolutions have no bias: batch norm subtracts the channel mean right after, so a bias
 * would be cancelled exactly (its role is taken by the batch-norm offset).
 *
 * Every op is second-order safe (src/engine/core/ops), so MAML can differentiate through the
 * inner-loop gradient step.
 */
export interface ConvNetSpec {
  /** Filters per conv layer (16, 32 or 64 in the playground). */
  width: number;
  /** Classes of the linear head; 0 for an encoder without head (prototypical / matching nets). */
  ways: number;
  /** Input side (28 for Omniglot). */
  inputSize: number;
  inputChannels: number;
  blocks: number;
}

export const DEFAULT_CONVNET: ConvNetSpec = { width: 64, ways: 5, inputSize: 28, inputChannels: 1, blocks: 4 };
export const CONVNET_WIDTHS = [16, 32, 64] as const;
/** Batch-norm epsilon (TensorFlow's default, as in the MAML reference code). */
export const CONVNET_BN_EPS = 1e-3;

/** Spatial side after the blocks (each 2×2 pool halves it, rounding down). */
export function convNetOutputSide(spec: Pick<ConvNetSpec, 'inputSize' | 'blocks'>): number {
  let side = spec.inputSize;
  for (let b = 0; b < spec.blocks; b++) side = Math.floor(side / 2);
  if (side < 1) throw new Error(`a ${spec.inputSize}×${spec.inputSize} input is too small for ${spec.blocks} conv blocks`);
  return side;
}

/** Length of the flattened encoder output. */
export function convNetFeatureSize(spec: ConvNetSpec): number {
  const side = convNetOutputSide(spec);
  return side * side * spec.width;
}

/** Parameter list: per block conv{b}_w [3,3,in,width], bn{b}_scale [width], bn{b}_offset [width]; then head_w, head_b. */
export function convNetParamSpecs(spec: ConvNetSpec): ParamSpec[] {
  const out: ParamSpec[] = [];
  for (let b = 1; b <= spec.blocks; b++) {
    out.push({ name: `conv${b}_w`, shape: [3, 3, b === 1 ? spec.inputChannels : spec.width, spec.width] });
    out.push({ name: `bn${b}_scale`, shape: [spec.width] });
    out.push({ name: `bn${b}_offset`, shape: [spec.width] });
  }
  if (spec.ways > 0) {
    out.push({ name: 'head_w', shape: [convNetFeatureSize(spec), spec.ways] });
    out.push({ name: 'head_b', shape: [spec.ways] });
  }
  return out;
}

/** Glorot-uniform conv and head weights, batch-norm scale 1 and offset 0, zero head bias, from the seeded RNG. */
export function initConvNet(spec: ConvNetSpec, rng: Rng): ParamValues {
  const specs = convNetParamSpecs(spec);
  const values = specs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    if (s.name.endsWith('_scale')) v.fill(1);
    else if (s.name.endsWith('_w')) {
      const receptive = s.shape.length === 4 ? s.shape[0] * s.shape[1] : 1;
      const fanIn = receptive * s.shape[s.shape.length - 2];
      const fanOut = receptive * s.shape[s.shape.length - 1];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < n; i++) v[i] = rng.uniform(-limit, limit);
    }
    return v;
  });
  return { specs, values };
}

/** Blocks and head implied by a parameter list (3 tensors per block, +2 for a head). */
function layout(params: readonly tf.Tensor[]): { blocks: number; head: boolean } {
  const head = params.length % 3 === 2;
  if (params.length % 3 === 1 || params.length < 3) throw new Error(`a conv net parameter list has 3 tensors per block (+2 for a head), got ${params.length}`);
  return { blocks: Math.floor(params.length / 3), head };
}

/**
 * Forward pass for one task's batch: x [N, H, W, C] → logits [N, ways] (or features [N, F] without a head).
 * Batch-norm statistics are those of this batch (transductive, as in MAML), so the support and
 * query sets of a task are run as separate calls.
 */
export function convNetForward(params: readonly tf.Tensor[], x: tf.Tensor4D): tf.Tensor2D {
  return convNetForwardParts(params, x).out;
}

/** Feature-wise modulation of one block (FiLM, Perez et al. 2018), as CAML conditions the conv net. */
export interface ConvFilm {
  /** 1-based block whose batch-norm output is modulated. */
  block: number;
  /** Per-channel [width] γ and β: h ← (1 + γ) ⊙ h + β after batch norm, before ReLU, so γ = β = 0 is the plain net. */
  gamma: tf.Tensor;
  beta: tf.Tensor;
}

/**
 * convNetForward with its parts: the flattened encoder features [N, F] (after the last block) and
 * the output (logits, or the features again without a head); optionally FiLM on one block.
 * Without `film` it runs exactly convNetForward's ops.
 */
export function convNetForwardParts(params: readonly tf.Tensor[], x: tf.Tensor4D, film?: ConvFilm): { features: tf.Tensor2D; out: tf.Tensor2D } {
  const { blocks, head } = layout(params);
  if (film && (film.block < 1 || film.block > blocks)) throw new Error(`FiLM block ${film.block} is not one of the net's ${blocks} blocks`);
  let h = x;
  for (let b = 0; b < blocks; b++) {
    h = conv2d(h, params[3 * b] as tf.Tensor4D, 1, 'same');
    h = batchNorm(h, params[3 * b + 1], params[3 * b + 2], CONVNET_BN_EPS);
    if (film && film.block === b + 1) h = tf.add(tf.mul(h, tf.add(film.gamma, 1)), film.beta) as tf.Tensor4D;
    h = maxPool2d(tf.relu(h), 2);
  }
  const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
  if (!head) return { features: flat, out: flat };
  return { features: flat, out: tf.add(tf.matMul(flat, params[3 * blocks] as tf.Tensor2D), params[3 * blocks + 1]) as tf.Tensor2D };
}
