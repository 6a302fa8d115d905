import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '../../core/params';
import type { Rng } from '../../core/rng';
import type { MethodContext } from './types';

/*
 * Small helpers shared by the method heads that carry their own modules on top of the encoder
 * (matching network's FCE LSTMs, the relation module, the zero-shot attribute MLP).
 */

/** Glorot-uniform values for a [fanIn, fanOut] weight (a 1-D spec is a bias: zeros). */
export function glorot(spec: ParamSpec, rng: Rng): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  if (spec.shape.length < 2) return v;
  const limit = Math.sqrt(6 / (spec.shape[0] + spec.shape[1]));
  for (let i = 0; i < n; i++) v[i] = rng.uniform(-limit, limit);
  return v;
}

/** The tensor of `ctx.params` whose name is `name` (throws with the known names otherwise). */
export function paramByName(ctx: Pick<MethodContext, 'params' | 'names'>, name: string): tf.Tensor {
  const i = ctx.names.indexOf(name);
  if (i < 0) throw new Error(`parameter '${name}' not found (have ${ctx.names.join(', ')})`);
  return ctx.params[i];
}

/** One-hot [n, ways] of integer labels. */
export function oneHotLabels(labels: Int32Array, ways: number): tf.Tensor2D {
  // Built in JS: tf.oneHot refuses depth 1 (a one-class drawing episode is allowed here).
  const v = new Float32Array(labels.length * ways);
  labels.forEach((l, i) => {
    if (l < 0 || l >= ways) throw new Error(`label ${l} outside 0 … ${ways - 1}`);
    v[i * ways + l] = 1;
  });
  return tf.tensor2d(v, [labels.length, ways]);
}

/** Embeds support and query in one encoder call (one set of batch statistics in 'train' mode), then splits. */
export function encodeEpisode(ctx: MethodContext, support: tf.Tensor4D, query: tf.Tensor4D): { s: tf.Tensor2D; q: tf.Tensor2D } {
  const n = support.shape[0];
  const all = ctx.encode(tf.concat([support, query], 0));
  const s = tf.slice(all, [0, 0], [n, -1]) as tf.Tensor2D;
  const q = tf.slice(all, [n, 0], [-1, -1]) as tf.Tensor2D;
  return { s, q };
}
