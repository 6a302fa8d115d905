import { DatasetBuilder, DatasetError, type CharacterDataset, type Split } from './dataset';
import { rotateImage } from './rasterize';
import { rotateDrawing } from './strokes';

/** New data sets from existing ones: merged, augmented with rotations, or cut to one split. All go through the builder, so the result is in canonical order. */

/** Merges data sets (e.g. several zips); images present in more than one are kept once. */
export function mergeDatasets(...sets: CharacterDataset[]): CharacterDataset {
  if (sets.length === 0) throw new DatasetError('nothing to merge');
  const b = new DatasetBuilder(sets[0].imageSize);
  for (const s of sets) b.addDataset(s);
  return b.build();
}

/**
 * The usual rotation augmentation: every character rotated by each angle becomes a new class of
 * the same alphabet and split (Santoro et al. 2016, Vinyals et al. 2016). Strokes rotate with it.
 */
export function withRotations(ds: CharacterDataset, rotations: readonly number[] = [90, 180, 270]): CharacterDataset {
  for (const r of rotations)
    if (r % 90 !== 0 || r % 360 === 0) throw new DatasetError(`rotations must be non-zero multiples of 90°, got ${r}`);
  const b = new DatasetBuilder(ds.imageSize);
  b.addDataset(ds);
  const n = ds.imageSize * ds.imageSize;
  for (const c of ds.characters) {
    if (c.rotation !== 0) continue;
    const a = ds.alphabets[c.alphabet];
    for (const r of rotations) {
      const rot = ((r % 360) + 360) % 360;
      for (let i = c.first; i < c.first + c.count; i++) {
        const pixels = rotateImage(ds.pixels.subarray(i * n, (i + 1) * n), ds.imageSize, rot);
        const s = ds.strokes?.[i];
        b.add(a, c.name, { id: ds.imageIds[i], drawer: ds.drawers[i], pixels, strokes: s ? rotateDrawing(s, rot) : null }, rot);
      }
    }
  }
  return b.build();
}

/** Keeps only the alphabets of one split. */
export function selectSplit(ds: CharacterDataset, split: Split): CharacterDataset {
  const b = new DatasetBuilder(ds.imageSize);
  b.addDataset({ ...ds, characters: ds.characters.filter((c) => ds.alphabets[c.alphabet].split === split) });
  return b.build();
}
