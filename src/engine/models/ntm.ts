import * as tf from '@tensorflow/tfjs';
import { lstmCell } from '../core/ops';
import type { ParamSpec, ParamValues } from '../core/params';
import type { Rng } from '../core/rng';
import { headParams, ntmAddress, readMemory, writeMemory, type AddressStages, type HeadParams } from './memory';

/**
 * A Neural Turing Machine (Graves et al. 2014) and the LSTM baseline, as functional recurrent
 * models: parameters come in as a tensor list in the order of the spec's ParamSpecs.
 *
 * One NTM step, for input x_t and the previous state (controller state, memory M_{t−1},
 * read vectors r_{t−1}, head weightings w_{t−1}):
 *   h_t       = controller([x_t, r_{t−1}])               (LSTM, or a tanh layer)
 *   heads     = W_head h_t + b_head  → k, β, g, s, γ per head (+ erase e, add a per write head)
 *   w_t       = address(M_{t−1}, heads, w_{t−1})          (see memory.ts)
 *   r_t       = w_t^read M_{t−1}
 *   M_t       = erase-then-add with w_t^write, e, a
 *   y_t       = W_out [h_t, r_t] + b_out                  (logits)
 * The initial read vectors and head weightings are learned; the initial memory is a fixed small
 * constant (Collier & Beel 2018 found a constant memory initialisation the most reliable).
 */
export type ControllerKind = 'lstm' | 'ff';

export interface NtmSpec {
  inputSize: number;
  outputSize: number;
  /** N: number of memory slots. */
  slots: number;
  /** M: width of a slot. */
  width: number;
  controller: ControllerKind;
  controllerSize: number;
  readHeads: number;
  writeHeads: number;
}

export const NTM_MEMORY_INIT = 1e-6;

/** Raw controller outputs per head: key M | β | g | s(3) | γ. */
const addrSize = (spec: NtmSpec) => spec.width + 6;
const headCount = (spec: NtmSpec) => spec.readHeads + spec.writeHeads;
const headOutputs = (spec: NtmSpec) => headCount(spec) * addrSize(spec) + spec.writeHeads * 2 * spec.width;
const controllerInput = (spec: NtmSpec) => spec.inputSize + spec.readHeads * spec.width;

export function ntmParamSpecs(spec: NtmSpec): ParamSpec[] {
  const H = spec.controllerSize;
  const I = controllerInput(spec);
  const ctrl: ParamSpec[] =
    spec.controller === 'lstm'
      ? [
          { name: 'ctrl_kernel', shape: [I + H, 4 * H] },
          { name: 'ctrl_bias', shape: [4 * H] },
        ]
      : [
          { name: 'ctrl_w', shape: [I, H] },
          { name: 'ctrl_b', shape: [H] },
        ];
  return [
    ...ctrl,
    { name: 'head_w', shape: [H, headOutputs(spec)] },
    { name: 'head_b', shape: [headOutputs(spec)] },
    { name: 'out_w', shape: [H + spec.readHeads * spec.width, spec.outputSize] },
    { name: 'out_b', shape: [spec.outputSize] },
    { name: 'read0', shape: [spec.readHeads, spec.width] },
    { name: 'w0_logits', shape: [headCount(spec), spec.slots] },
  ];
}

function glorot(rng: Rng, rows: number, cols: number, out: Float32Array): void {
  const limit = Math.sqrt(6 / (rows + cols));
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-limit, limit);
}

export function initNtm(spec: NtmSpec, rng: Rng): ParamValues {
  const specs = ntmParamSpecs(spec);
  const H = spec.controllerSize;
  const values = specs.map((s) => {
    const v = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
    switch (s.name) {
      case 'ctrl_kernel':
      case 'ctrl_w':
      case 'head_w':
      case 'out_w':
        glorot(rng, s.shape[0], s.shape[1], v);
        break;
      case 'ctrl_bias':
        v.fill(1, H, 2 * H); // forget gate bias 1
        break;
      case 'read0':
        for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-0.1, 0.1);
        break;
      case 'w0_logits':
        // Every head starts focused on slot 0, so location-based shifts have a place to start from.
        for (let h = 0; h < headCount(spec); h++) v.fill(-6, h * spec.slots + 1, (h + 1) * spec.slots);
        break;
    }
    return v;
  });
  return { specs, values };
}

/** The recurrent state of an NTM: controller, memory, last reads and last weightings. */
export interface NtmState {
  h: tf.Tensor2D;
  c: tf.Tensor2D | null;
  memory: tf.Tensor3D;
  /** r_{t−1} [B, R, M] */
  reads: tf.Tensor3D;
  /** w_{t−1} for the read heads then the write heads [B, R + W, N] */
  weights: tf.Tensor3D;
}

/** What one step computed besides its output: everything the lab's views draw. */
export interface NtmStepTrace {
  heads: HeadParams;
  stages: AddressStages;
  erase: tf.Tensor3D;
  add: tf.Tensor3D;
}

type Named = Record<string, tf.Tensor>;
function byName(spec: NtmSpec, params: readonly tf.Tensor[]): Named {
  const specs = ntmParamSpecs(spec);
  if (params.length !== specs.length) throw new Error(`NTM: expected ${specs.length} parameter tensors, got ${params.length}`);
  return Object.fromEntries(specs.map((s, i) => [s.name, params[i]]));
}

export function ntmInitialState(spec: NtmSpec, params: readonly tf.Tensor[], batch: number): NtmState {
  const p = byName(spec, params);
  const H = spec.controllerSize;
  return {
    h: tf.zeros([batch, H]),
    c: spec.controller === 'lstm' ? tf.zeros([batch, H]) : null,
    memory: tf.fill([batch, spec.slots, spec.width], NTM_MEMORY_INIT) as tf.Tensor3D,
    reads: tf.broadcastTo(tf.expandDims(p.read0, 0), [batch, spec.readHeads, spec.width]) as tf.Tensor3D,
    weights: tf.broadcastTo(tf.expandDims(tf.softmax(p.w0_logits), 0), [batch, headCount(spec), spec.slots]) as tf.Tensor3D,
  };
}

/** One NTM time step. x [B, inputSize] → logits [B, outputSize], the next state and the step's trace. */
export function ntmStep(spec: NtmSpec, params: readonly tf.Tensor[], x: tf.Tensor2D, state: NtmState): { logits: tf.Tensor2D; state: NtmState; trace: NtmStepTrace } {
  const p = byName(spec, params);
  const B = x.shape[0];
  const R = spec.readHeads;
  const W = spec.writeHeads;
  const M = spec.width;
  const input = tf.concat([x, tf.reshape(state.reads, [B, R * M])], 1) as tf.Tensor2D;
  let h: tf.Tensor2D;
  let c: tf.Tensor2D | null = null;
  if (spec.controller === 'lstm') {
    const next = lstmCell(input, { h: state.h, c: state.c! }, p.ctrl_kernel as tf.Tensor2D, p.ctrl_bias as tf.Tensor1D);
    h = next.h;
    c = next.c;
  } else {
    h = tf.tanh(tf.add(tf.matMul(input, p.ctrl_w as tf.Tensor2D), p.ctrl_b)) as tf.Tensor2D;
  }
  const raw = tf.add(tf.matMul(h, p.head_w as tf.Tensor2D), p.head_b) as tf.Tensor2D;
  const nAddr = headCount(spec) * addrSize(spec);
  const addrRaw = tf.reshape(tf.slice(raw, [0, 0], [-1, nAddr]), [B, headCount(spec), addrSize(spec)]) as tf.Tensor3D;
  const heads = headParams(addrRaw, M);
  const stages = ntmAddress(state.memory, heads, state.weights);
  const wRead = tf.slice(stages.w, [0, 0, 0], [-1, R, -1]) as tf.Tensor3D;
  const wWrite = tf.slice(stages.w, [0, R, 0], [-1, W, -1]) as tf.Tensor3D;
  const eaRaw = tf.reshape(tf.slice(raw, [0, nAddr], [-1, W * 2 * M]), [B, W, 2 * M]);
  const [eRaw, aRaw] = tf.split(eaRaw, 2, 2) as tf.Tensor3D[];
  const erase = tf.sigmoid(eRaw);
  const add = tf.tanh(aRaw);
  const reads = readMemory(state.memory, wRead);
  const memory = writeMemory(state.memory, wWrite, erase, add);
  const logits = tf.add(tf.matMul(tf.concat([h, tf.reshape(reads, [B, R * M])], 1), p.out_w as tf.Tensor2D), p.out_b) as tf.Tensor2D;
  return { logits, state: { h, c, memory, reads, weights: stages.w }, trace: { heads, stages, erase, add } };
}

// ---------------------------------------------------------------------------------------------
// The LSTM baseline: one LSTM layer and a linear read-out, on the same inputs and outputs.

export interface LstmSpec {
  inputSize: number;
  outputSize: number;
  hidden: number;
}

export function lstmParamSpecs(spec: LstmSpec): ParamSpec[] {
  return [
    { name: 'lstm_kernel', shape: [spec.inputSize + spec.hidden, 4 * spec.hidden] },
    { name: 'lstm_bias', shape: [4 * spec.hidden] },
    { name: 'out_w', shape: [spec.hidden, spec.outputSize] },
    { name: 'out_b', shape: [spec.outputSize] },
  ];
}

export function initLstm(spec: LstmSpec, rng: Rng): ParamValues {
  const specs = lstmParamSpecs(spec);
  const values = specs.map((s) => {
    const v = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
    if (s.shape.length === 2) glorot(rng, s.shape[0], s.shape[1], v);
    if (s.name === 'lstm_bias') v.fill(1, spec.hidden, 2 * spec.hidden);
    return v;
  });
  return { specs, values };
}

export interface LstmModelState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

export function lstmInitialState(spec: LstmSpec, batch: number): LstmModelState {
  return { h: tf.zeros([batch, spec.hidden]), c: tf.zeros([batch, spec.hidden]) };
}

export function lstmStep(params: readonly tf.Tensor[], x: tf.Tensor2D, state: LstmModelState): { logits: tf.Tensor2D; state: LstmModelState } {
  const [kernel, bias, outW, outB] = params;
  const next = lstmCell(x, state, kernel as tf.Tensor2D, bias as tf.Tensor1D);
  return { logits: tf.add(tf.matMul(next.h, outW as tf.Tensor2D), outB) as tf.Tensor2D, state: next };
}
