import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { GRADCHECK_TOLERANCE } from '../core/ops/gradcheck';
import { meanSoftmaxCrossEntropy } from '../core/ops/elementwise';
import { convNetForward, initConvNet, type ConvNetSpec } from '../models/convNet';
import { disposeEpisodes, syntheticConvEpisodes } from '../tasks/convEpisodes';
import { convMamlLoss, convMamlMetaGradient } from './convMaml';
import { checkConvMamlGradient } from './convMamlCheck';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

const spec = (width: number, ways = 5): ConvNetSpec => ({ width, ways, inputSize: 28, inputChannels: 1, blocks: 4 });

describe('conv-net MAML meta-gradient', () => {
  it('second-order MAML meta-gradient matches float64 finite differences within 1%, and first-order MAML does not', async () => {
    const result = await checkConvMamlGradient();
    expect(result.error).toBeUndefined();
    expect(result.max_rel_err).toBeLessThan(GRADCHECK_TOLERANCE.maml);
    expect(result.first_order_rel_err).toBeGreaterThan(GRADCHECK_TOLERANCE.mamlFirstOrderMin);
    expect(result.ok).toBe(true);
  });

  it('first-order meta-gradient is the query gradient at the adapted weights; loss is the MAML meta-loss', () => {
    const rng = new Rng(5);
    const init = initConvNet(spec(8), rng);
    const theta = init.specs.map((s, i) => tf.tensor(init.values[i], s.shape));
    const tasks = syntheticConvEpisodes(rng, { tasks: 2, ways: 5, shots: 1, queries: 1, inputSize: 28, inputChannels: 1 });
    const opts = { alpha: 0.1, innerSteps: 2 };
    const first = convMamlMetaGradient(theta, tasks, { ...opts, firstOrder: true });
    const second = convMamlMetaGradient(theta, tasks, opts);
    const loss = convMamlLoss(theta, tasks, opts).dataSync()[0];
    expect(first.loss.dataSync()[0]).toBeCloseTo(loss, 5);
    expect(second.loss.dataSync()[0]).toBeCloseTo(loss, 5);
    // By hand for the first task, then averaged.
    const manual = tasks.map((t) => {
      let fast = theta;
      for (let s = 0; s < 2; s++) {
        const g = tf.grads((...p: tf.Tensor[]) => meanSoftmaxCrossEntropy(t.support.y, convNetForward(p, t.support.x)))(fast);
        fast = fast.map((p, i) => tf.sub(p, tf.mul(g[i], 0.1)));
      }
      return tf.grads((...p: tf.Tensor[]) => meanSoftmaxCrossEntropy(t.query.y, convNetForward(p, t.query.x)))(fast);
    });
    first.grads.forEach((g, i) => {
      const expected = tf.div(tf.add(manual[0][i], manual[1][i]), 2).dataSync();
      const got = g.dataSync();
      const scale = Math.max(...Array.from(expected).map(Math.abs));
      got.forEach((v, j) => expect(Math.abs(v - expected[j])).toBeLessThanOrEqual(1e-5 * scale + 1e-7));
    });
    // The second-order terms are not negligible.
    const diff = second.grads.map((g, i) => tf.sum(tf.square(tf.sub(g, first.grads[i]))).dataSync()[0]).reduce((a, b) => a + b, 0);
    expect(diff).toBeGreaterThan(1e-6);
    disposeEpisodes(tasks);
  });

  it('does not leak tensors', () => {
    const rng = new Rng(6);
    const init = initConvNet(spec(4), rng);
    const theta = init.specs.map((s, i) => tf.tensor(init.values[i], s.shape));
    const tasks = syntheticConvEpisodes(rng, { tasks: 2, ways: 3, shots: 1, queries: 1, inputSize: 28, inputChannels: 1 });
    const theta3 = theta.slice(0, 12).concat([tf.zeros([4, 3]), tf.zeros([3])]);
    const before = tf.memory().numTensors;
    for (const firstOrder of [false, true]) {
      const { loss, grads } = convMamlMetaGradient(theta3, tasks, { alpha: 0.1, innerSteps: 1, firstOrder });
      tf.dispose([loss, ...grads]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
