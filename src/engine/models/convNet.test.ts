import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { convNetFeatureSize, convNetForward, convNetParamSpecs, initConvNet, type ConvNetSpec } from './convNet';

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
});

const spec = (width: number, ways = 5): ConvNetSpec => ({ width, ways, inputSize: 28, inputChannels: 1, blocks: 4 });

describe('conv net', () => {
  it('has 3 parameters per block plus a head, and a width-sized feature vector on 28×28', () => {
    for (const width of [16, 32, 64]) {
      const specs = convNetParamSpecs(spec(width));
      expect(specs.map((s) => s.name)).toEqual([
        ...[1, 2, 3, 4].flatMap((b) => [`conv${b}_w`, `bn${b}_scale`, `bn${b}_offset`]),
        'head_w',
        'head_b',
      ]);
      expect(specs[0].shape).toEqual([3, 3, 1, width]);
      expect(specs[3].shape).toEqual([3, 3, width, width]);
      expect(convNetFeatureSize(spec(width))).toBe(width);
      expect(specs[12].shape).toEqual([width, 5]);
    }
    expect(convNetParamSpecs(spec(16, 0)).length).toBe(12);
  });

  it('is seeded and maps [N,28,28,1] to logits [N, ways] (or features without a head)', () => {
    const a = initConvNet(spec(16), new Rng(3));
    const b = initConvNet(spec(16), new Rng(3));
    expect(a.values).toEqual(b.values);
    expect(Array.from(a.values[1]).every((v) => v === 1)).toBe(true);
    const theta = a.specs.map((s, i) => tf.tensor(a.values[i], s.shape));
    const x = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    expect(convNetForward(theta, x).shape).toEqual([6, 5]);
    expect(convNetForward(theta.slice(0, 12), x).shape).toEqual([6, 16]);
    expect(() => convNetForward(theta.slice(0, 13), x)).toThrow(/3 tensors per block/);
  });
});
