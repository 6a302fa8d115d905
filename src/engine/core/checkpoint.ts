import type { ParamSpec, ParamValues } from './params';
import { sizeOf } from './params';

/**
 * The versioned checkpoint file shared by the UI (download / drop) and the CLI (--save / --load).
 * Parameters are stored as base64 little-endian float32 so files stay small and exact.
 */
export const CHECKPOINT_FORMAT = 'metaplay-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** e.g. 'maml', 'pretrain'. */
  algorithm: string;
  /** e.g. 'sine'. */
  task: string;
  /** The settings the model was trained with (architecture included). */
  config: Record<string, unknown>;
  step: number;
  createdAt: string;
  params: { name: string; shape: number[]; dtype: 'float32'; data: string }[];
}

export class CheckpointError extends Error {}

/**
 * The most values a checkpoint may hold, per parameter and in all. The largest models here (a
 * 256-wide conv encoder in Node, the large MANN) have under a million values per parameter and a
 * few million in all; the caps are far above that and far below what would exhaust a tab, and
 * they are checked from the declared shapes before any data is decoded.
 */
export const CHECKPOINT_LIMITS = { valuesPerParam: 16 * 2 ** 20, values: 64 * 2 ** 20 } as const;

export function makeCheckpoint(
  algorithm: string,
  task: string,
  config: Record<string, unknown>,
  step: number,
  p: ParamValues,
): Checkpoint {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    algorithm,
    task,
    config,
    step,
    createdAt: new Date().toISOString(),
    params: p.specs.map((s, i) => ({ name: s.name, shape: [...s.shape], dtype: 'float32', data: encodeFloat32(p.values[i]) })),
  };
}

/** Parses and validates a checkpoint file's text. Throws CheckpointError with a reader-facing message. */
export function parseCheckpoint(text: string): Checkpoint {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CheckpointError('This file is not valid JSON, so it cannot be a checkpoint.');
  }
  if (!isRecord(raw) || raw.format !== CHECKPOINT_FORMAT)
    throw new CheckpointError(`This JSON file is not a Meta-Learning Playground checkpoint (no "format": "${CHECKPOINT_FORMAT}").`);
  if (typeof raw.version !== 'number' || raw.version > CHECKPOINT_VERSION || raw.version < 1)
    throw new CheckpointError(`Checkpoint version ${String(raw.version)} is not supported (this playground reads version ${CHECKPOINT_VERSION}).`);
  if (typeof raw.algorithm !== 'string' || typeof raw.task !== 'string' || !isRecord(raw.config) || !Array.isArray(raw.params))
    throw new CheckpointError('The checkpoint is missing its algorithm, task, config or params.');
  // Every record and shape is checked before any data is decoded.
  let total = 0;
  const records = raw.params.map((p: unknown, i: number) => {
    if (!isRecord(p) || typeof p.name !== 'string' || !Array.isArray(p.shape) || typeof p.data !== 'string')
      throw new CheckpointError(`Parameter #${i + 1} of the checkpoint is malformed.`);
    const shape = p.shape as unknown[];
    if (!shape.every((d) => Number.isInteger(d) && (d as number) > 0)) throw new CheckpointError(`Parameter ${p.name} has an invalid shape.`);
    const size = sizeOf(shape as number[]);
    if (size > CHECKPOINT_LIMITS.valuesPerParam)
      throw new CheckpointError(`Parameter ${p.name} has shape [${shape.join(', ')}], ${size} values: more than the ${CHECKPOINT_LIMITS.valuesPerParam} accepted for one parameter.`);
    total += size;
    if (total > CHECKPOINT_LIMITS.values) throw new CheckpointError(`The checkpoint's parameters hold more than the ${CHECKPOINT_LIMITS.values} values accepted in all.`);
    return { name: p.name, shape: shape as number[], data: p.data, size };
  });
  const params = records.map(({ name, shape, data, size }) => {
    let values: Float32Array;
    try {
      values = decodeFloat32(data);
    } catch {
      throw new CheckpointError(`Parameter ${name}: its data is not valid base64 float32.`);
    }
    if (values.length !== size) throw new CheckpointError(`Parameter ${name}: ${values.length} values do not fill shape [${shape.join(', ')}] (the file is corrupt).`);
    if (!values.every(Number.isFinite)) throw new CheckpointError(`Parameter ${name} contains NaN or infinite values.`);
    return { name, shape, dtype: 'float32' as const, data };
  });
  return {
    format: CHECKPOINT_FORMAT,
    version: raw.version,
    algorithm: raw.algorithm,
    task: raw.task,
    config: raw.config,
    step: typeof raw.step === 'number' ? raw.step : 0,
    createdAt: typeof raw.createdAt === 'string' ? raw.createdAt : '',
    params,
  };
}

export function checkpointParams(c: Checkpoint): ParamValues {
  const specs: ParamSpec[] = c.params.map((p) => ({ name: p.name, shape: [...p.shape] }));
  return { specs, values: c.params.map((p) => decodeFloat32(p.data)) };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

// Plain base64 (no Buffer): the same code runs in Node, the worker and the page.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

export function decodeFloat32(text: string): Float32Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(clean)) throw new Error('invalid base64');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((clean.length / 4) * 3 - pad);
  let j = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n =
      (B64.indexOf(clean[i]) << 18) |
      (B64.indexOf(clean[i + 1]) << 12) |
      ((clean[i + 2] === '=' ? 0 : B64.indexOf(clean[i + 2])) << 6) |
      (clean[i + 3] === '=' ? 0 : B64.indexOf(clean[i + 3]));
    if (j < bytes.length) bytes[j++] = (n >> 16) & 255;
    if (j < bytes.length) bytes[j++] = (n >> 8) & 255;
    if (j < bytes.length) bytes[j++] = n & 255;
  }
  if (bytes.length % 4 !== 0) throw new Error('byte length is not a multiple of 4');
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}
