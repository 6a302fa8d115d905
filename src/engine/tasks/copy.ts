import type { Rng } from '../core/rng';

/**
 * The copy task of Graves et al. (2014): a sequence of random binary vectors, then a delimiter,
 * then as many blank steps during which the network must reproduce the sequence.
 *
 * Inputs have `bits + 1` channels: the data bits and a delimiter channel that is 1 only on the
 * delimiter step. For a sequence of length L there are 2L + 1 steps:
 *   steps 0 … L−1   the vectors (delimiter channel 0)
 *   step  L         the delimiter (data bits 0)
 *   steps L+1 … 2L  blank input; the targets are the L vectors in order
 */
export const COPY_BITS = 8;

export interface CopyBatch {
  batch: number;
  bits: number;
  /** L: vectors per sequence. */
  length: number;
  /** 2L + 1 */
  steps: number;
  /** [steps, batch, bits + 1] */
  inputs: Float32Array;
  /** [length, batch, bits]: what the output must be on steps L+1 … 2L */
  targets: Float32Array;
}

function emptyBatch(batch: number, length: number, bits: number): CopyBatch {
  const steps = 2 * length + 1;
  return { batch, bits, length, steps, inputs: new Float32Array(steps * batch * (bits + 1)), targets: new Float32Array(length * batch * bits) };
}

function place(b: CopyBatch, seq: number, t: number, bit: number, value: number): void {
  const c = b.bits + 1;
  b.inputs[(t * b.batch + seq) * c + bit] = value;
  b.targets[(t * b.batch + seq) * b.bits + bit] = value;
}

function markDelimiters(b: CopyBatch): void {
  const c = b.bits + 1;
  for (let s = 0; s < b.batch; s++) b.inputs[(b.length * b.batch + s) * c + b.bits] = 1;
}

/** `batch` random sequences of `length` vectors, each bit 0 or 1 with probability ½. */
export function sampleCopyBatch(rng: Rng, batch: number, length: number, bits = COPY_BITS): CopyBatch {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`copy length must be a whole number ≥ 1, got ${length}`);
  const b = emptyBatch(batch, length, bits);
  for (let t = 0; t < length; t++) for (let s = 0; s < batch; s++) for (let k = 0; k < bits; k++) place(b, s, t, k, rng.next() < 0.5 ? 1 : 0);
  markDelimiters(b);
  return b;
}

/** A batch of one sequence from a user's pattern: rows are time steps, each `bits` values 0/1. */
export function copyBatchFromPattern(pattern: readonly (readonly number[])[], bits = COPY_BITS): CopyBatch {
  if (pattern.length < 1) throw new RangeError('a copy pattern needs at least one row');
  const b = emptyBatch(1, pattern.length, bits);
  pattern.forEach((row, t) => {
    if (row.length !== bits) throw new RangeError(`pattern row ${t} has ${row.length} bits, expected ${bits}`);
    row.forEach((v, k) => place(b, 0, t, k, v > 0.5 ? 1 : 0));
  });
  markDelimiters(b);
  return b;
}

/** Uniform length in [min, max] (a whole number). */
export function sampleLength(rng: Rng, min: number, max: number): number {
  return min + rng.int(max - min + 1);
}

/**
 * Bit errors of predictions (logits, or probabilities with `threshold` 0.5) against the targets:
 * the number of output bits on the wrong side of the threshold. Both [length, batch, bits].
 */
export function countBitErrors(outputs: ArrayLike<number>, targets: ArrayLike<number>, threshold = 0): number {
  let errors = 0;
  for (let i = 0; i < targets.length; i++) if (outputs[i] > threshold !== targets[i] > 0.5) errors++;
  return errors;
}
