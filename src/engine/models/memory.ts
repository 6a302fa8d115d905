import * as tf from '@tensorflow/tfjs';
import { detached } from '../core/ops';

/**
 * External-memory operations of the Neural Turing Machine (Graves, Wayne & Danihelka 2014) and of
 * the memory-augmented neural network with least-recently-used access (Santoro et al. 2016).
 *
 * Shapes (batched over sequences b and heads h):
 *   memory M [B, N, M]   N slots ("locations") of width M
 *   weights w [B, H, N]  one distribution over the slots per head
 *   keys k [B, H, M], scalars per head [B, H, 1], shift distributions s [B, H, 3]
 *
 * These functions are used first-order only (backpropagation through time), so they use stock
 * tfjs ops, whose first derivatives are correct. Every one of them is a pure function of its
 * inputs, and `ntmAddress` returns each stage of the pipeline so that the lab can draw it.
 */

/** Added under square roots and logarithms so that zero memory rows and zero weights stay differentiable. */
export const MEMORY_EPS = 1e-8;
const LOG_EPS = 1e-12;

/**
 * x [B, H, 1] repeated along a new last axis of size n, as a product with a row of ones: the CPU
 * backend broadcasts a size-1 axis element by element (slowly); a matrix product does it at once.
 */
export function repeatLast(x: tf.Tensor3D, n: number): tf.Tensor3D {
  return tf.matMul(x, tf.ones([1, 1, n]));
}

/** ‖x‖ along the last axis, kept as a size-1 axis: sqrt(Σ x² + ε). */
function norm(x: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.add(tf.sum(tf.square(x), -1, true), MEMORY_EPS));
}

/** Cosine similarity K(k, M(i)) = k·M(i) / (‖k‖ ‖M(i)‖) of every head's key with every slot: [B, H, N]. */
export function cosineSimilarity(memory: tf.Tensor3D, keys: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const dots = tf.matMul(keys, memory, false, true); // [B, H, N]
    const keyNorm = norm(keys); // [B, H, 1]
    const slotNorm = tf.reshape(norm(memory), [memory.shape[0], 1, memory.shape[1]]); // [B, 1, N]
    return tf.div(dots, tf.matMul(keyNorm, slotNorm)) as tf.Tensor3D; // ‖k‖‖M(i)‖ as an outer product
  });
}

/** Content weighting: w_c(i) = softmax_i(β · K(k, M(i))), β ≥ 0 the key strength [B, H, 1]. */
export function contentWeights(memory: tf.Tensor3D, keys: tf.Tensor3D, beta: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => tf.softmax(tf.mul(repeatLast(beta, memory.shape[1]), cosineSimilarity(memory, keys))) as tf.Tensor3D);
}

/** Interpolation gate: w_g = g · w_c + (1 − g) · w_{t−1}, g ∈ [0, 1] per head [B, H, 1]. */
export function interpolate(wc: tf.Tensor3D, wPrev: tf.Tensor3D, g: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => tf.add(wPrev, tf.mul(repeatLast(g, wc.shape[2]), tf.sub(wc, wPrev))) as tf.Tensor3D);
}

/**
 * [N, 3N]: the matrix that maps a weighting w (a row) to its three rotations side by side,
 * w(i+1) | w(i) | w(i−1), so that a shift is two matrix products (slices of the last axis and
 * per-element broadcasting are slow on the CPU backend; matMul is not).
 */
function rotationMatrix(n: number): tf.Tensor2D {
  const m = new Float32Array(n * 3 * n);
  for (let j = 0; j < n; j++) {
    m[j * 3 * n + ((j - 1 + n) % n)] = 1; // block 0, column i = j − 1: w(i+1)
    m[j * 3 * n + n + j] = 1; // block 1: w(i)
    m[j * 3 * n + 2 * n + ((j + 1) % n)] = 1; // block 2, column i = j + 1: w(i−1)
  }
  return tf.tensor2d(m, [n, 3 * n]);
}

/**
 * Circular convolution with a shift distribution over the offsets {−1, 0, +1}:
 *   w̃(i) = Σ_j w(j) s(i − j)  =  s(−1)·w(i+1) + s(0)·w(i) + s(+1)·w(i−1).
 * s [B, H, 3] holds (s(−1), s(0), s(+1)), so s = (0, 0, 1) moves the focus one slot forward.
 */
export function circularShift(w: tf.Tensor3D, s: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, h, n] = w.shape;
    const rotations = tf.reshape(tf.matMul(tf.reshape(w, [b * h, n]), rotationMatrix(n)), [b * h, 3, n]);
    return tf.reshape(tf.matMul(tf.reshape(s, [b * h, 1, 3]), rotations), [b, h, n]) as tf.Tensor3D;
  });
}

/** Sharpening: w(i)^γ / Σ_j w(j)^γ, γ ≥ 1 [B, H, 1], computed stably as softmax(γ · log w). */
export function sharpen(w: tf.Tensor3D, gamma: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => tf.softmax(tf.mul(repeatLast(gamma, w.shape[2]), tf.log(tf.add(w, LOG_EPS)))) as tf.Tensor3D);
}

/** The addressing parameters of a set of heads, already through their activations. */
export interface HeadParams {
  /** k = tanh(·) [B, H, M] */
  key: tf.Tensor3D;
  /** β = softplus(·) ≥ 0 [B, H, 1] */
  beta: tf.Tensor3D;
  /** g = σ(·) ∈ [0, 1] [B, H, 1] */
  gate: tf.Tensor3D;
  /** s = softmax(·) over {−1, 0, +1} [B, H, 3] */
  shift: tf.Tensor3D;
  /** γ = 1 + softplus(·) ≥ 1 [B, H, 1] */
  gamma: tf.Tensor3D;
}

/** Every stage of NTM addressing, for training (only `w` is used) and for the lab's pipeline view. */
export interface AddressStages {
  content: tf.Tensor3D;
  gated: tf.Tensor3D;
  shifted: tf.Tensor3D;
  /** The final weighting w_t (the sharpened one). */
  w: tf.Tensor3D;
}

/** NTM addressing: content → interpolation with the previous weighting → circular shift → sharpening. */
export function ntmAddress(memory: tf.Tensor3D, p: HeadParams, wPrev: tf.Tensor3D): AddressStages {
  const content = contentWeights(memory, p.key, p.beta);
  const gated = interpolate(content, wPrev, p.gate);
  const shifted = circularShift(gated, p.shift);
  const w = sharpen(shifted, p.gamma);
  return { content, gated, shifted, w };
}

/**
 * Splits raw controller outputs [B, H, M + 6] (per head: key M | β 1 | g 1 | s 3 | γ 1) and applies
 * the activations of the paper: key tanh, β softplus, g sigmoid, s softmax, γ 1 + softplus.
 */
export function headParams(raw: tf.Tensor3D, width: number): HeadParams {
  const [key, beta, gate, shift, gamma] = tf.split(raw, [width, 1, 1, 3, 1], 2) as tf.Tensor3D[];
  return {
    key: tf.tanh(key),
    beta: tf.softplus(beta),
    gate: tf.sigmoid(gate),
    shift: tf.softmax(shift),
    gamma: tf.add(1, tf.softplus(gamma)),
  };
}

/** Read vectors r_h = Σ_i w_h(i) M(i): [B, H, M]. */
export function readMemory(memory: tf.Tensor3D, w: tf.Tensor3D): tf.Tensor3D {
  return tf.matMul(w, memory);
}

/**
 * NTM write, erase then add, for each write head in turn:
 *   M̃(i) = M(i) ⊙ (1 − w(i) e),   M'(i) = M̃(i) + w(i) a
 * w [B, W, N], erase e ∈ [0, 1] and add a: [B, W, M].
 */
export function writeMemory(memory: tf.Tensor3D, w: tf.Tensor3D, erase: tf.Tensor3D, add: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const heads = w.shape[1];
    let m: tf.Tensor3D = memory;
    for (let h = 0; h < heads; h++) {
      const one = (x: tf.Tensor3D) => (heads === 1 ? x : tf.slice(x, [0, h, 0], [-1, 1, -1]));
      const wh = one(w); // [B, 1, N]
      // Outer products w(i)·e_j and w(i)·a_j as matrix products: [B, N, 1] × [B, 1, M].
      const erased = tf.matMul(wh, one(erase), true, false);
      const added = tf.matMul(wh, one(add), true, false);
      m = tf.add(tf.sub(m, tf.mul(m, erased)), added) as tf.Tensor3D;
    }
    return m;
  });
}

// ---------------------------------------------------------------------------------------------
// Santoro et al. (2016): least-recently-used access (LRUA)

/**
 * Least-used weights: w_lu(i) = 1 if w_u(i) is among the n smallest usages, else 0 (m(w_u, n), the
 * n-th smallest usage, is the threshold). Ties go to the lower slot index. A constant for
 * differentiation: the choice of slot has no gradient. usage [B, N] → [B, N].
 */
export function leastUsed(usage: tf.Tensor2D, n: number): tf.Tensor2D {
  const k = Math.max(1, Math.min(n, usage.shape[1]));
  let op = leastUsedOps.get(k);
  if (!op) {
    op = detached((u) =>
      tf.tidy(() => {
        const { indices } = tf.topk(tf.neg(u), k, true);
        return tf.sum(tf.oneHot(indices, u.shape[u.rank - 1], 1, 0, 'float32'), 1);
      }),
    );
    leastUsedOps.set(k, op);
  }
  return op(usage) as tf.Tensor2D;
}
const leastUsedOps = new Map<number, (x: tf.Tensor) => tf.Tensor>();

/** Usage decay and accumulation: w_u ← γ · w_u + Σ_h w_r,h + Σ_h w_w,h. usage [B, N], weights [B, H, N]. */
export function updateUsage(usage: tf.Tensor2D, readWeights: tf.Tensor3D, writeWeights: tf.Tensor3D, decay: number): tf.Tensor2D {
  return tf.tidy(() => tf.addN([tf.mul(decay, usage), tf.sum(readWeights, 1), tf.sum(writeWeights, 1)]) as tf.Tensor2D);
}

/**
 * LRUA write weights: w_w = σ(α) · w_r(t−1) + (1 − σ(α)) · w_lu(t−1), per head.
 * alpha: the raw gate [B, H, 1]; readPrev [B, H, N]; leastUsedPrev [B, N].
 */
export function lruaWriteWeights(alpha: tf.Tensor3D, readPrev: tf.Tensor3D, leastUsedPrev: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const a = repeatLast(tf.sigmoid(alpha), readPrev.shape[2]);
    const lu = tf.matMul(tf.ones([1, readPrev.shape[1], 1]), tf.expandDims(leastUsedPrev, 1)); // [B, H, N]
    return tf.add(lu, tf.mul(a, tf.sub(readPrev, lu))) as tf.Tensor3D;
  });
}

/**
 * LRUA memory update: the least-used slot is cleared, then every head adds its vector a_h with its
 * write weights: M_t(i) = M_{t−1}(i) · (1 − c(i)) + Σ_h w_w,h(i) a_h, c = the one-hot least-used slot.
 */
export function lruaWrite(memory: tf.Tensor3D, clear: tf.Tensor2D, writeWeights: tf.Tensor3D, add: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const kept = tf.mul(memory, tf.matMul(tf.expandDims(tf.sub(1, clear), 2), tf.ones([1, 1, memory.shape[2]]))); // [B, N, M]
    return tf.add(kept, tf.matMul(writeWeights, add, true, false)) as tf.Tensor3D;
  });
}
