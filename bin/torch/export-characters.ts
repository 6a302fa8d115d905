/**
 * Writes a character data set as raw arrays for the PyTorch scripts beside this file:
 * `<out>.u8` (uint8 ink 0..255, [images, size, size]) and `<out>.json` (size and, per character,
 * its alphabet, split, first image and image count). The images are exactly what the engine's
 * episode sampler reads (the same zip reader, area-average reduction and split), so a model
 * trained on them sees the playground's inputs.
 *
 *   npx tsx bin/torch/export-characters.ts OUT --train ZIP… --eval ZIP… [--size 28]
 *
 * Alphabets of the --eval zips that the --train zips do not hold become the evaluation split.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { trainEvalDataset } from './dataset';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { train: { type: 'string', multiple: true }, eval: { type: 'string', multiple: true }, size: { type: 'string', default: '28' } },
});
const out = positionals[0];
if (!out || !values.train?.length || !values.eval?.length) {
  console.error('usage: export-characters.ts OUT --train ZIP… --eval ZIP… [--size 28]');
  process.exit(2);
}
const size = Number(values.size);
const ds = trainEvalDataset(values.train, values.eval, size);
writeFileSync(`${out}.u8`, ds.pixels);
const characters = ds.characters.map((c) => ({ alphabet: ds.alphabets[c.alphabet].name, split: ds.alphabets[c.alphabet].split, first: c.first, count: c.count }));
writeFileSync(`${out}.json`, JSON.stringify({ size: ds.imageSize, images: ds.pixels.length / (size * size), characters }));
const count = (s: string) => characters.filter((c) => c.split === s).length;
console.log(`${out}: ${ds.pixels.length / (size * size)} images, ${count('background')} training and ${count('evaluation')} evaluation characters`);
