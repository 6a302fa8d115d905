/**
 * Turns the parameters written by meta_train_characters.py into a playground checkpoint and
 * evaluates it with the engine itself (the same code the CLI and the characters lab run), on the
 * alphabets of the --eval zips that the --train zips do not hold, so the reported accuracy is the
 * playground's, not PyTorch's.
 *
 *   npx tsx bin/torch/import-checkpoint.ts RAW.json OUT.json --train ZIP… --eval ZIP… [--episodes 400] [--steps n]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectNodeBackend } from '../../src/cli/nodeBackend';
import { OmniglotTrainer, omniglotConfigFor } from '../../src/engine/algorithms/omniglotFamily';
import type { OmniglotAlgorithm, OmniglotConfig } from '../../src/engine/algorithms/omniglotConfig';
import { decodeFloat32, makeCheckpoint } from '../../src/engine/core/checkpoint';
import { EpisodeSampler } from '../../src/engine/tasks/characters';
import { trainEvalDataset } from './dataset';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { train: { type: 'string', multiple: true }, eval: { type: 'string', multiple: true }, episodes: { type: 'string', default: '400' }, steps: { type: 'string' } },
});
const [rawPath, outPath] = positionals;
if (!rawPath || !outPath || !values.train?.length || !values.eval?.length) {
  console.error('usage: import-checkpoint.ts RAW.json OUT.json --train ZIP… --eval ZIP… [--episodes 400] [--steps n]');
  process.exit(2);
}
interface Raw {
  algorithm: OmniglotAlgorithm;
  config: Partial<OmniglotConfig>;
  training: { steps: number; seconds: number; device: string; torch: string; accuracy: number; ci95: number; eval_steps: number; curve: unknown[] };
  params: { name: string; shape: number[]; data: string }[];
}
const raw = JSON.parse(readFileSync(rawPath, 'utf8')) as Raw;
const config = omniglotConfigFor(raw.algorithm, raw.config);
await selectNodeBackend('wasm');
const specs = raw.params.map((p) => ({ name: p.name, shape: p.shape }));
const trainer = new OmniglotTrainer(config, { specs, values: raw.params.map((p) => decodeFloat32(p.data)) });
const names = trainer.paramSpecs.map((s) => s.name).join();
if (names !== specs.map((s) => s.name).join()) throw new Error(`parameter names differ: engine ${names}, file ${specs.map((s) => s.name).join()}`);

const ds = trainEvalDataset(values.train, values.eval, 28);
const sampler = new EpisodeSampler(ds, { nWay: config.ways, kShot: config.shots, qQuery: 5, split: 'evaluation' }, config.seed);
const steps = values.steps !== undefined ? Number(values.steps) : raw.training.eval_steps;
const episodes = Number(values.episodes);
const ev = trainer.evaluate(sampler, episodes, steps, config.seed);
writeFileSync(outPath, JSON.stringify(makeCheckpoint(raw.algorithm, 'omniglot', { ...config }, raw.training.steps, trainer.params())));
trainer.dispose();
console.log(
  JSON.stringify({
    algorithm: raw.algorithm,
    engine_backend: tf.getBackend(),
    eval_episodes: episodes,
    eval_steps: steps,
    accuracy: Math.round(ev.accuracy * 1e4) / 1e4,
    ci95: Math.round(ev.ci95 * 1e4) / 1e4,
    pytorch_accuracy: raw.training.accuracy,
    pytorch_ci95: raw.training.ci95,
    trained_steps: raw.training.steps,
    trained_seconds: raw.training.seconds,
    device: raw.training.device,
  }),
);
