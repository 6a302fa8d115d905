import * as tf from '@tensorflow/tfjs';
import type { ParamSpec, ParamValues } from '../../core/params';
import type { Rng } from '../../core/rng';
import { conv2d } from '../../core/ops/conv';
import { maxPool2d } from '../../core/ops/pool';
import { CONVNET_BN_EPS, convNetParamSpecs, initConvNet } from '../../models/convNet';
import type { EncoderMode } from './types';

/**
 * The shared embedding network of the metric family: 4 × (conv 3×3 → batch norm → ReLU → 2×2
 * max-pool) on 28×28 images, 28 → 14 → 7 → 3 → 1, so the embedding is the last block's channels.
 *
 * Unlike MAML's transductive batch norm, the metric methods embed single drawings and pairs at
 * test time, so batch norm keeps running averages of each channel's mean and variance
 * (bn{b}_mean, bn{b}_var: non-trainable parameters, carried by checkpoints) and 'eval' mode
 * normalises with them.
 *
 * Convolutions use the project's conv2d, whose filter gradient is a native conv: tfjs-wasm has no
 * Conv2DBackpropFilter kernel, and this keeps the CLI on the fast wasm backend.
 */
export interface EncoderSpec {
  /** Filters of blocks 1–3 and the embedding size D. */
  width: number;
  /** Extra output channels of the last block (Gaussian prototypical net: 1 for a radius, D for a diagonal). */
  extra: number;
}

export const ENCODER_BLOCKS = 4;
export const ENCODER_INPUT = 28;
/** Running average rate: running ← (1 − m)·running + m·batch. */
export const BN_MOMENTUM = 0.1;

/** True for the batch-norm running statistics (bn{b}_mean, bn{b}_var), which the optimiser never touches. */
export function isRunningStat(name: string): boolean {
  return /^bn\d+_(mean|var)$/.test(name);
}

/** Output channels of block b (1-based). */
function channels(spec: EncoderSpec, b: number): number {
  return b === ENCODER_BLOCKS ? spec.width + spec.extra : spec.width;
}

/** conv{b}_w, bn{b}_scale, bn{b}_offset, bn{b}_mean, bn{b}_var for b = 1…4 (convNet's names plus the running stats). */
export function encoderParamSpecs(spec: EncoderSpec): ParamSpec[] {
  const out: ParamSpec[] = [];
  for (let b = 1; b <= ENCODER_BLOCKS; b++) {
    const c = channels(spec, b);
    out.push({ name: `conv${b}_w`, shape: [3, 3, b === 1 ? 1 : spec.width, c] });
    out.push({ name: `bn${b}_scale`, shape: [c] });
    out.push({ name: `bn${b}_offset`, shape: [c] });
    out.push({ name: `bn${b}_mean`, shape: [c] });
    out.push({ name: `bn${b}_var`, shape: [c] });
  }
  return out;
}

/**
 * Initial values: convNet's Glorot-uniform filters, scale 1, offset 0 (same seeded stream), running
 * mean 0 and variance 1. With extra channels the last filter bank is drawn wider with the same rule.
 */
export function initEncoder(spec: EncoderSpec, rng: Rng): ParamValues {
  const conv = { width: spec.width, ways: 0, inputSize: ENCODER_INPUT, inputChannels: 1, blocks: ENCODER_BLOCKS };
  const base = initConvNet(conv, rng);
  const byName = new Map(convNetParamSpecs(conv).map((s, i) => [s.name, base.values[i]]));
  const specs = encoderParamSpecs(spec);
  const values = specs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const own = byName.get(s.name);
    if (own && own.length === n) return own;
    const v = new Float32Array(n);
    if (s.name.endsWith('_scale') || s.name.endsWith('_var')) v.fill(1);
    else if (s.name.endsWith('_w')) {
      const limit = Math.sqrt(6 / (9 * s.shape[2] + 9 * s.shape[3]));
      for (let i = 0; i < n; i++) v[i] = rng.uniform(-limit, limit);
    }
    return v;
  });
  return { specs, values };
}

/** One block's batch statistics from a 'train' pass: mean and unbiased variance per channel. */
export interface BatchStats {
  block: number;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Looks up a parameter by name (the encoder does not depend on the order of the method's list). */
export type ParamLookup = (name: string) => tf.Tensor;

export function lookupFor(names: readonly string[], params: readonly tf.Tensor[]): ParamLookup {
  const index = new Map(names.map((n, i) => [n, i]));
  return (name) => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`no parameter named ${name}`);
    return params[i];
  };
}

/**
 * Images [n, 28, 28, 1] → [n, width + extra]. In 'train' mode each block normalises with the batch's
 * own mean and biased variance, and (if `collect` is given) pushes kept copies of the batch mean and
 * unbiased variance for updateRunningStats; in 'eval' mode it uses bn{b}_mean / bn{b}_var.
 */
export function encode(p: ParamLookup, x: tf.Tensor4D, mode: EncoderMode, collect?: BatchStats[]): tf.Tensor2D {
  if (x.shape[1] !== ENCODER_INPUT || x.shape[2] !== ENCODER_INPUT || x.shape[3] !== 1)
    throw new Error(`the encoder takes [n, ${ENCODER_INPUT}, ${ENCODER_INPUT}, 1] images, got [${x.shape.join(', ')}]`);
  return tf.tidy(() => {
    let h: tf.Tensor4D = x;
    for (let b = 1; b <= ENCODER_BLOCKS; b++) {
      h = conv2d(h, p(`conv${b}_w`) as tf.Tensor4D, 1, 'same');
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      if (mode === 'train') {
        const m = tf.moments(h, [0, 1, 2]);
        mean = m.mean;
        variance = m.variance;
        if (collect) {
          const count = h.shape[0] * h.shape[1] * h.shape[2];
          const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
          collect.push({ block: b, mean: tf.keep(tf.clone(mean)) as tf.Tensor1D, variance: tf.keep(tf.clone(unbiased)) as tf.Tensor1D });
        }
      } else {
        mean = p(`bn${b}_mean`);
        variance = p(`bn${b}_var`);
      }
      const normed = tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, CONVNET_BN_EPS)));
      h = maxPool2d(tf.relu(tf.add(tf.mul(normed, p(`bn${b}_scale`)), p(`bn${b}_offset`))) as tf.Tensor4D, 2);
    }
    return tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
  });
}

/** running ← (1 − m)·running + m·batch for every collected block, then disposes the collected tensors. */
export function updateRunningStats(p: (name: string) => tf.Variable, collected: BatchStats[], momentum = BN_MOMENTUM): void {
  for (const s of collected) {
    const rm = p(`bn${s.block}_mean`);
    const rv = p(`bn${s.block}_var`);
    tf.tidy(() => {
      rm.assign(tf.add(tf.mul(rm, 1 - momentum), tf.mul(s.mean, momentum)));
      rv.assign(tf.add(tf.mul(rv, 1 - momentum), tf.mul(s.variance, momentum)));
    });
    tf.dispose([s.mean, s.variance]);
  }
  collected.length = 0;
}
