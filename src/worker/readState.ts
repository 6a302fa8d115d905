import type * as tf from '@tensorflow/tfjs';
import type { ParamSpec, ParamValues } from '../engine/core/params';

/** A model's parameters read back with asynchronous reads (the worker never blocks on a GPU read). */
export async function readParamsAsync(specs: ParamSpec[], variables: readonly tf.Variable[]): Promise<ParamValues> {
  const values = await Promise.all(variables.map(async (v) => Float32Array.from((await v.data()) as Float32Array)));
  return { specs, values };
}

