import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OMNIGLOT_CANVAS, readOmniglotZip, type Episode, type OmniglotImage } from '../../tasks/characters';
import { classifyBaseline } from './baselines';

/**
 * The MHD baseline against a reference computed outside this code base on fixed Omniglot images:
 * an independent NumPy script (its own PNG decoder; the ink pixels' (row, column) coordinates of the
 * 105×105 image, minus their mean; the full distance matrix) gave the distances and predictions
 * below for the Greek alphabet of images_background_small1.zip, drawer 01 as the one training
 * image of each character and drawer 02 as the test image, as in Lake et al.'s one-shot runs.
 */
const small1 = path.resolve(import.meta.dirname, '../../../../../shared/omniglot/images_background_small1.zip');
const present = existsSync(small1);

/** MHD(test drawing of character i, training drawing of character j), Greek characters 1–5. */
const REFERENCE_5: number[][] = [
  [0.925248, 4.941411, 4.897004, 4.989415, 4.102334],
  [3.830497, 0.920993, 5.525284, 2.579316, 3.974267],
  [5.730893, 6.498227, 2.917404, 4.268887, 3.880993],
  [3.872241, 3.194613, 3.691934, 1.156695, 1.697687],
  [3.928386, 4.199156, 4.151585, 3.338995, 2.174519],
];
/** The reference's 20-way one-shot answers for the test drawings of Greek characters 1–20 (6 errors). */
const REFERENCE_20 = [0, 1, 2, 3, 4, 5, 3, 7, 8, 9, 10, 14, 12, 5, 14, 17, 16, 14, 18, 12];

function greekRun(images: OmniglotImage[], ways: number): Episode {
  const px = OMNIGLOT_CANVAS * OMNIGLOT_CANVAS;
  const greek = images.filter((im) => im.alphabet === 'Greek');
  const characters = [...new Set(greek.map((im) => im.character))].sort().slice(0, ways);
  const pick = (drawerFile: string) => {
    const out = new Float32Array(ways * px);
    characters.forEach((c, k) => {
      const im = greek.find((g) => g.character === c && g.id.endsWith(drawerFile))!;
      out.set(Float32Array.from(im.pixels, (v) => v / 255), k * px);
    });
    return out;
  };
  const labels = Int32Array.from(characters, (_, k) => k);
  return {
    nWay: ways,
    kShot: 1,
    qQuery: 1,
    imageSize: OMNIGLOT_CANVAS,
    support: pick('_01'),
    supportLabels: labels,
    query: pick('_02'),
    queryLabels: labels,
    classes: [],
    supportImages: new Int32Array(ways).fill(-1),
    queryImages: new Int32Array(ways).fill(-1),
  };
}

describe.skipIf(!present)(`MHD as published, on fixed Omniglot images${present ? '' : ' (skipped: ../shared/omniglot/images_background_small1.zip is absent)'}`, () => {
  const archive = present ? readOmniglotZip(new Uint8Array(readFileSync(small1)), { imageSize: OMNIGLOT_CANVAS, name: 'images_background_small1.zip' }) : null;

  it('gives the reference distances between centred 105×105 ink point sets', () => {
    const c = classifyBaseline('mhd', greekRun(archive!.images, 5));
    const got = Array.from({ length: 5 }, (_, q) => Array.from(c.distances!.subarray(q * 5, q * 5 + 5)));
    got.forEach((row, q) => row.forEach((d, k) => expect(d).toBeCloseTo(REFERENCE_5[q][k], 4)));
  });

  it('answers a 20-way one-shot run as the reference does', () => {
    const c = classifyBaseline('mhd', greekRun(archive!.images, 20));
    expect(Array.from(c.predicted)).toEqual(REFERENCE_20);
  });
});
