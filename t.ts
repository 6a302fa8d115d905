import * as tf from '@tensorflow/tfjs';
import { SineTrainer, DEFAULT_SINE_CONFIG, evaluateSine, DEFAULT_SINE_EVAL } from './src/engine/algorithms/sineRegression';
tf.enableProdMode();
await tf.setBackend(process.argv[2] ?? 'cpu');
for (const algorithm of ['maml','pretrain'] as const) {
  const tr = new SineTrainer({ ...DEFAULT_SINE_CONFIG, algorithm });
  const t0 = performance.now();
  const N = Number(process.argv[3] ?? 300);
  for (let i = 0; i < N; i++) { const l = tr.step(); if (i % 500 === 0) console.log(i, l.dataSync()[0]); l.dispose(); }
  const dt = (performance.now() - t0) / 1000;
  console.log(algorithm, 'steps/s', N / dt, 'tensors', tf.memory().numTensors);
  console.log(evaluateSine(tr.variables, DEFAULT_SINE_EVAL).map(v=>v.toFixed(3)).join(' '));
}
