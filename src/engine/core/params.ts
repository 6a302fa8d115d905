import * as tf from '@tensorflow/tfjs';

/** Shape and name of one parameter tensor of a functional model. */
export interface ParamSpec {
  name: string;
  shape: number[];
}

/** Parameter values held outside tfjs: what checkpoints, snapshots and worker messages carry. */
export interface ParamValues {
  specs: ParamSpec[];
  values: Float32Array[];
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

let variableCounter = 0;

/** Creates trainable variables with engine-unique names (several trainers share one tfjs engine). */
export function toVariables(p: ParamValues, prefix: string): tf.Variable[] {
  const id = variableCounter++;
  return p.specs.map((s, i) => {
    const initial = tf.tensor(p.values[i], s.shape, 'float32');
    const v = tf.variable(initial, true, `${prefix}_${id}_${s.name}`);
    initial.dispose(); // the variable holds its own reference to the data; this one would outlive it
    return v;
  });
}

/** Reads variables (or any tensors) back into plain arrays. */
export function readParams(specs: ParamSpec[], tensors: readonly tf.Tensor[]): ParamValues {
  return { specs, values: tensors.map((t) => t.dataSync() as Float32Array).map((a) => Float32Array.from(a)) };
}

export function cloneParams(p: ParamValues): ParamValues {
  return { specs: p.specs.map((s) => ({ name: s.name, shape: [...s.shape] })), values: p.values.map((v) => Float32Array.from(v)) };
}

export function allFinite(p: ParamValues): boolean {
  return p.values.every((v) => v.every((x) => Number.isFinite(x)));
}
