import * as tf from '@tensorflow/tfjs';
import { sigmoid, tanh } from './elementwise';

/** The recurrent state of an LSTM: hidden output h and cell c, both [B, H]. */
export interface LstmState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/**
 * One step of a standard LSTM cell, differentiable any number of times (safe sigmoid and tanh),
 * for matching networks' FCE, NTM/MANN controllers and learned optimizers.
 *
 *   z = [x, h] · kernel + bias          x [B, I], h [B, H], kernel [I + H, 4H], bias [4H]
 *   gates, in this column order of kernel and bias:  i | f | g | o   (each H wide)
 *   i = σ(z_i)  input gate      f = σ(z_f)  forget gate
 *   g = tanh(z_g)  candidate    o = σ(z_o)  output gate
 *   c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
 *
 * (tf.basicLSTMCell orders its gates i | g | f | o and adds a forget bias; this cell has no
 * built-in forget bias: initialize the f slice of `bias` to 1 if you want one.)
 */
export function lstmCell(x: tf.Tensor2D, state: LstmState, kernel: tf.Tensor2D, bias: tf.Tensor1D): LstmState {
  const hidden = state.h.shape[1];
  if (kernel.shape[0] !== x.shape[1] + hidden || kernel.shape[1] !== 4 * hidden)
    throw new Error(`lstmCell: kernel must be [${x.shape[1] + hidden}, ${4 * hidden}], got [${kernel.shape}]`);
  const z = tf.add(tf.matMul(tf.concat([x, state.h], 1), kernel), bias);
  const [zi, zf, zg, zo] = tf.split(z, 4, 1);
  const c = tf.add(tf.mul(sigmoid(zf), state.c), tf.mul(sigmoid(zi), tanh(zg))) as tf.Tensor2D;
  const h = tf.mul(sigmoid(zo), tanh(c)) as tf.Tensor2D;
  return { h, c };
}
