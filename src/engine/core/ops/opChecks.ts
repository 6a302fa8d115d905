import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { conv2d, type ConvPadding } from './conv';
import * as E from './elementwise';
import { checkOp, isSelected, normal, type GradCheckReport, type GradCheckResult, type OpCheck, type OpCheckGroup } from './gradcheck';
import { lstmCell } from './lstm';
import { batchNorm, layerNorm } from './norm';
import { avgPool2d, maxPool2d } from './pool';
import * as ref from './reference';

/* The op checks of the second-order-safe ops (how each is checked: gradcheck.ts), and their runner. */

const uniform = (lo: number, hi: number) => (rng: Rng, n: number) => Array.from({ length: n }, () => rng.uniform(lo, hi));
/** Distinct values at least 0.05 apart (a shuffled grid), so no max-pool window is near a tie. */
const spread = (rng: Rng, n: number) => rng.shuffle(Array.from({ length: n }, (_, i) => (i - n / 2) * 0.05 + 0.01 * rng.next()));
/** Rows of positive weights summing to 1 (soft labels). */
const softLabels = (cols: number) => (rng: Rng, n: number) => {
  const v = Array.from({ length: n }, () => 0.1 + rng.next());
  for (let r = 0; r < n; r += cols) {
    const s = v.slice(r, r + cols).reduce((a, b) => a + b, 0);
    for (let c = r; c < r + cols; c++) v[c] /= s;
  }
  return v;
};
/** One row with a large offset, to exercise the max shift of the log-sum-exp family. */
const logits = (cols: number) => (rng: Rng, n: number) => uniform(-3, 3)(rng, n).map((v, i) => (Math.floor(i / cols) === 1 ? v + 40 : v));

const conv4 = (x: tf.Tensor) => x as tf.Tensor4D;
const C = 5; // classes in the softmax checks

/** The stock LSTM cell (gate order i | g | f | o, forget bias 0) on our i | f | g | o parameters. */
function stockLstm(x: tf.Tensor, h: tf.Tensor, c: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const reorder = (t: tf.Tensor, axis: number) => {
    const [i, f, g, o] = tf.split(t, 4, axis);
    return tf.concat([i, g, f, o], axis);
  };
  const [cNew, hNew] = tf.basicLSTMCell(
    0,
    reorder(kernel, 1) as tf.Tensor2D,
    reorder(bias, 0) as tf.Tensor1D,
    x as tf.Tensor2D,
    c as tf.Tensor2D,
    h as tf.Tensor2D,
  );
  return tf.concat([hNew, cNew], 1);
}

function convCheck(stride: number, pad: ConvPadding): OpCheck {
  const xShape = [2, 6, 6, 2];
  const wShape = [3, 3, 2, 3];
  return {
    name: `conv2d-3x3-s${stride}-${pad}`,
    group: 'conv',
    inputs: [
      { shape: xShape, init: uniform(-1, 1) },
      { shape: wShape, init: uniform(-0.5, 0.5) },
    ],
    safe: (x, w) => conv2d(conv4(x), conv4(w), stride, pad),
    stock: (x, w) => tf.conv2d(conv4(x), conv4(w), stride, pad),
    reference: ([x, w]) => ref.conv2dRef(x, xShape, w, wShape, stride, pad),
  };
}

const OP_CHECKS: OpCheck[] = [
  {
    name: 'exp',
    group: 'elementwise',
    inputs: [{ shape: [3, 4], init: uniform(-2, 2) }],
    safe: (x) => E.exp(x),
    stock: (x) => tf.exp(x),
    reference: ([x]) => ref.expRef(x),
  },
  {
    name: 'sigmoid',
    group: 'elementwise',
    inputs: [{ shape: [3, 4], init: uniform(-4, 4) }],
    safe: (x) => E.sigmoid(x),
    stock: (x) => tf.sigmoid(x),
    reference: ([x]) => ref.sigmoidRef(x),
  },
  {
    name: 'tanh',
    group: 'elementwise',
    inputs: [{ shape: [3, 4], init: uniform(-2, 2) }],
    safe: (x) => E.tanh(x),
    stock: (x) => tf.tanh(x),
    reference: ([x]) => ref.tanhRef(x),
  },
  {
    name: 'softplus',
    group: 'elementwise',
    inputs: [{ shape: [3, 4], init: uniform(-4, 4) }],
    safe: (x) => E.softplus(x),
    stock: (x) => tf.softplus(x),
    reference: ([x]) => ref.softplusRef(x),
  },
  {
    name: 'logSumExp',
    group: 'elementwise',
    inputs: [{ shape: [3, C], init: logits(C) }],
    safe: (x) => E.logSumExp(x, -1),
    stock: (x) => tf.logSumExp(x, -1),
    reference: ([x]) => ref.logSumExpRef(x, C),
  },
  {
    name: 'softmax',
    group: 'elementwise',
    inputs: [{ shape: [3, C], init: logits(C) }],
    safe: (x) => E.softmax(x),
    stock: (x) => tf.softmax(x),
    reference: ([x]) => ref.softmaxRef(x, C),
  },
  {
    name: 'logSoftmax',
    group: 'elementwise',
    inputs: [{ shape: [3, C], init: logits(C) }],
    safe: (x) => E.logSoftmax(x),
    stock: (x) => tf.logSoftmax(x),
    reference: ([x]) => ref.logSoftmaxRef(x, C),
  },
  {
    name: 'softmaxCrossEntropy',
    group: 'elementwise',
    inputs: [
      { shape: [4, C], init: softLabels(C), differentiable: false },
      { shape: [4, C], init: logits(C) },
    ],
    safe: (labels, x) => E.softmaxCrossEntropy(labels, x),
    stock: (labels, x) => tf.losses.softmaxCrossEntropy(labels, x, undefined, 0, tf.Reduction.NONE),
    reference: ([labels, x]) => ref.softmaxCrossEntropyRef(labels, x, C),
  },
  {
    name: 'sigmoidCrossEntropy',
    group: 'elementwise',
    inputs: [
      { shape: [3, 4], init: uniform(0, 1), differentiable: false },
      { shape: [3, 4], init: uniform(-4, 4) },
    ],
    safe: (labels, x) => E.sigmoidCrossEntropy(labels, x),
    stock: (labels, x) => tf.losses.sigmoidCrossEntropy(labels, x, undefined, 0, tf.Reduction.NONE),
    reference: ([labels, x]) => ref.sigmoidCrossEntropyRef(labels, x),
  },
  convCheck(1, 'same'),
  convCheck(1, 'valid'),
  convCheck(2, 'same'),
  convCheck(2, 'valid'),
  {
    name: 'maxPool-2x2',
    group: 'pool',
    inputs: [{ shape: [2, 5, 5, 3], init: spread }],
    safe: (x) => maxPool2d(conv4(x), 2),
    stock: (x) => tf.maxPool(conv4(x), 2, 2, 'valid'),
    reference: ([x]) => ref.poolRef(x, [2, 5, 5, 3], 2, 'max'),
  },
  {
    name: 'avgPool-2x2',
    group: 'pool',
    inputs: [{ shape: [2, 5, 5, 3], init: uniform(-1, 1) }],
    safe: (x) => avgPool2d(conv4(x), 2),
    stock: (x) => tf.avgPool(conv4(x), 2, 2, 'valid'),
    reference: ([x]) => ref.poolRef(x, [2, 5, 5, 3], 2, 'avg'),
  },
  {
    name: 'batchNorm',
    group: 'norm',
    inputs: [
      { shape: [3, 2, 2, 3], init: normal(1) },
      { shape: [3], init: uniform(0.5, 1.5) },
      { shape: [3], init: uniform(-0.5, 0.5) },
    ],
    safe: (x, scale, offset) => batchNorm(x, scale, offset, 1e-3),
    stock: (x, scale, offset) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, offset, scale, 1e-3);
    },
    reference: ([x, scale, offset]) => ref.batchNormRef(x, 3, scale, offset, 1e-3),
  },
  {
    name: 'layerNorm',
    group: 'norm',
    inputs: [
      { shape: [4, 5], init: normal(1) },
      { shape: [5], init: uniform(0.5, 1.5) },
      { shape: [5], init: uniform(-0.5, 0.5) },
    ],
    safe: (x, scale, offset) => layerNorm(x, scale, offset, 1e-3),
    stock: (x, scale, offset) => {
      const { mean, variance } = tf.moments(x, [1], true);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), scale), offset);
    },
    reference: ([x, scale, offset]) => ref.layerNormRef(x, 5, scale, offset, 1e-3),
  },
  {
    name: 'lstmCell',
    group: 'lstm',
    inputs: [
      { shape: [2, 3], init: uniform(-1, 1) },
      { shape: [2, 4], init: uniform(-1, 1) },
      { shape: [2, 4], init: uniform(-1, 1) },
      { shape: [7, 16], init: uniform(-0.6, 0.6) },
      { shape: [16], init: uniform(-0.3, 0.3) },
    ],
    safe: (x, h, c, kernel, bias) => {
      const s = lstmCell(x as tf.Tensor2D, { h: h as tf.Tensor2D, c: c as tf.Tensor2D }, kernel as tf.Tensor2D, bias as tf.Tensor1D);
      return tf.concat([s.h, s.c], 1);
    },
    stock: stockLstm,
    reference: ([x, h, c, kernel, bias]) => ref.lstmCellRef(x, h, c, kernel, bias, 2, 3, 4),
  },
];

/** Every op check's name and group, in run order. */
export function listOpChecks(): { name: string; group: OpCheckGroup }[] {
  return OP_CHECKS.map((c) => ({ name: c.name, group: c.group }));
}

export interface OpCheckOptions {
  /** Check names or group names to run (default: all). */
  only?: readonly string[];
  seed?: number;
  /** Called after each check (progress reporting). */
  onResult?: (result: GradCheckResult) => void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs the op checks on the active tfjs backend. Never throws for a failing op: it reports it. */
export async function runOpChecks(opts: OpCheckOptions = {}): Promise<GradCheckReport> {
  await tf.ready();
  const seed = opts.seed ?? 0;
  const checks: GradCheckResult[] = [];
  for (const check of OP_CHECKS) {
    if (!isSelected(opts.only, check.name, check.group)) continue;
    for (const r of await checkOp(check, seed)) {
      checks.push(r);
      opts.onResult?.(r);
    }
    await yieldToEventLoop();
  }
  return { backend: tf.getBackend(), checks, ok: checks.length > 0 && checks.every((c) => c.ok) };
}
