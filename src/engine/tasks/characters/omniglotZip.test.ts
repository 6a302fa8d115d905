import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode, encode } from 'fast-png';
import { unzipSync, zipSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { contentHash, datasetStats } from './dataset';
import { mergeDatasets, withRotations } from './datasetTransforms';
import { forgeDeclaredSize } from './fixtures/forgeZip';
import { decodeOmniglotPng, omniglotDataset, pngInkInto, OMNIGLOT_LIMITS, OmniglotFormatError, readOmniglotFiles, readOmniglotZip } from './omniglotZip';
import { rasterizeDrawing } from './rasterize';

// The shared Omniglot subsets live next to the repository: <repo>/../shared/omniglot.
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const SHARED = resolve(REPO_ROOT, '../shared/omniglot');
const zipPath = (name: string) => resolve(SHARED, name);
const haveShared = ['images_background_small1.zip', 'images_background_small2.zip', 'strokes_background_small1.zip'].every((n) => existsSync(zipPath(n)));
if (!haveShared) console.warn(`[characters] shared Omniglot zips not found in ${SHARED}: skipping the real-Omniglot tests`);
const readZip = (name: string) => new Uint8Array(readFileSync(zipPath(name)));

/** A 105×105 PNG with a black square of ink on white, 8-bit grey. */
function png(size = 105, ink: [number, number, number, number] = [40, 40, 60, 60]): Uint8Array {
  const data = new Uint8Array(size * size).fill(255);
  for (let i = ink[0]; i < ink[2]; i++) for (let j = ink[1]; j < ink[3]; j++) data[i * size + j] = 0;
  return encode({ width: size, height: size, data, depth: 8, channels: 1 });
}

function tinyOmniglotZip(): Uint8Array {
  return zipSync({
    'images_evaluation/Tiny/character01/0001_01.png': png(),
    'images_evaluation/Tiny/character01/0001_02.png': png(),
    'images_evaluation/Tiny/character02/0002_01.png': png(105, [10, 10, 30, 90]),
    'images_evaluation/.DS_Store': new Uint8Array([1, 2, 3]),
    '__MACOSX/images_evaluation/Tiny/._character01': new Uint8Array([0]),
  });
}

describe('Omniglot zips (built in the test)', () => {
  it('reads the layout, the split from the set name, and ignores __MACOSX and .DS_Store', () => {
    const a = readOmniglotZip(tinyOmniglotZip(), { name: 'tiny.zip' });
    expect(a.sets).toEqual(['images_evaluation']);
    expect(a.images).toHaveLength(3);
    expect(a.ignored).toBe(2);
    expect(a.images[0]).toMatchObject({ split: 'evaluation', alphabet: 'Tiny', character: 'character01', id: '0001_01', drawer: '01' });
    const ds = omniglotDataset([a]);
    expect(datasetStats(ds)).toMatchObject({ alphabets: 1, characters: 2, images: 3, evaluation: { images: 3 } });
    // The ink square covers rows/cols 40..59 of 105 → fully inked 28×28 pixels 11..15.
    expect(ds.pixels[13 * 28 + 13]).toBe(255);
    expect(ds.pixels[0]).toBe(0);
  });

  it('refuses a corrupt zip with a clear OmniglotFormatError', () => {
    const good = tinyOmniglotZip();
    const truncated = good.slice(0, good.length - 30);
    expect(() => readOmniglotZip(truncated, { name: 'broken.zip' })).toThrow(OmniglotFormatError);
    expect(() => readOmniglotZip(truncated, { name: 'broken.zip' })).toThrow(/broken\.zip is not a readable zip/);
    expect(() => readOmniglotZip(new TextEncoder().encode('hello, not a zip'), { name: 'x.zip' })).toThrow(/not a readable zip/);
    const badPng = zipSync({ 'images_background/A/character01/0001_01.png': new Uint8Array([1, 2, 3, 4, 5]) });
    expect(() => readOmniglotZip(badPng, { name: 'bad.zip' })).toThrow(/bad\.zip: images_background\/A\/character01\/0001_01\.png: not a readable PNG/);
  });

  it('refuses a zip that is not Omniglot', () => {
    const other = zipSync({ 'readme.txt': new TextEncoder().encode('hi'), 'photos/cat.png': png() });
    expect(() => readOmniglotZip(other, { name: 'photos.zip' })).toThrow(/photos\.zip holds no Omniglot files/);
    const wrongSize = zipSync({ 'images_background/A/character01/0001_01.png': png(64) });
    expect(() => readOmniglotZip(wrongSize, { name: 'w.zip' })).toThrow(/64×64 pixels; Omniglot images are 105×105/);
    const noSplit = zipSync({ 'mystuff/A/character01/0001_01.png': png() });
    expect(() => readOmniglotZip(noSplit, { name: 'm.zip' })).toThrow(/cannot tell the split/);
    expect(readOmniglotZip(noSplit, { name: 'm.zip', split: 'background' }).images).toHaveLength(1);
  });

  it('reads loose files the same way (the CLI reads unzipped folders through this)', () => {
    const a = readOmniglotFiles([
      { path: 'images_background/A/character01/0001_01.png', bytes: png() },
      { path: 'strokes_background/A/character01/0001_01.txt', bytes: new TextEncoder().encode('START\n10,-10,0\n90,-90,100\nBREAK\n') },
      { path: 'strokes_background/A/character01/0001_02.txt', bytes: new TextEncoder().encode('START\n10,-50,0\n90,-50,100\nBREAK\n') },
    ]);
    const ds = omniglotDataset([a]);
    expect(datasetStats(ds)).toMatchObject({ characters: 1, images: 2, withStrokes: 2 });
    // 0001_01 keeps its PNG and gains strokes; 0001_02 had strokes only and is rendered from them.
    expect(ds.imageIds).toEqual(['0001_01', '0001_02']);
    expect(ds.strokes![0]![0][1]).toEqual({ x: 90, y: 90, t: 100 });
    expect(ds.pixels[784 + 13 * 28 + 10]).toBeGreaterThan(100);
  });

  it('decodes Omniglot 1-bit PNGs as ink = 1', () => {
    // Packed rows of 14 bytes, most significant bit first, 1 = white.
    const data = new Uint8Array(105 * 14).fill(0xff);
    data[5 * 14 + 0] = 0xfe; // row 5, column 7
    const ink = decodeOmniglotPng(encode({ width: 105, height: 105, data, depth: 1, channels: 1 }));
    expect(ink[5 * 105 + 7]).toBe(1);
    expect(ink.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('writes ink of any PNG layout at an offset of a wider canvas', () => {
    // 2×1 RGBA: black opaque, then white; 8-bit grey+alpha: mid grey half transparent.
    const out = new Float32Array(9).fill(-1);
    pngInkInto(decode(encode({ width: 2, height: 1, data: new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255]), depth: 8, channels: 4 })), out, 3, 1, 1);
    expect(Array.from(out)).toEqual([-1, -1, -1, -1, 1, 0, -1, -1, -1]);
    const ga = new Float32Array(1);
    pngInkInto(decode(encode({ width: 1, height: 1, data: new Uint8Array([51, 102]), depth: 8, channels: 2 })), ga, 1);
    expect(ga[0]).toBeCloseTo((102 / 255) * (1 - 51 / 255), 6);
  });
});

const MB = 1024 * 1024;
const PNG_PATH = 'images_background/A/character01/0001_01.png';

/** Runs `read` and reports how much the process's resident memory grew meanwhile. */
function rssGrowth(read: () => void): number {
  const before = process.memoryUsage().rss;
  read();
  return process.memoryUsage().rss - before;
}

/** A PNG whose IHDR says width × height (its CRC is left stale: decoders do not check it by default). */
function pngDeclaring(width: number, height: number): Uint8Array {
  const bytes = png().slice();
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}

/** A 105×105 PNG whose one IDAT chunk is a zlib stream of `inflated` zero bytes. */
function pngWithIdatOf(inflated: number): Uint8Array {
  const head = png().subarray(0, 33); // signature and IHDR
  const idat = zlibSync(new Uint8Array(inflated), { level: 9 });
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const c = new Uint8Array(12 + data.length);
    new DataView(c.buffer).setUint32(0, data.length);
    c.set(new TextEncoder().encode(type), 4);
    c.set(data, 8);
    return c;
  };
  const parts = [head, chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('hostile files are refused before they cost memory', () => {
  it('a PNG-named entry that inflates to 50 MB: refused by its declared size, nothing inflated', () => {
    const bomb = zipSync({ [PNG_PATH]: new Uint8Array(50 * MB) });
    expect(bomb.length).toBeLessThan(100_000);
    let error: unknown;
    const grew = rssGrowth(() => {
      try {
        readOmniglotZip(bomb, { name: 'bomb.zip' });
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(OmniglotFormatError);
    expect((error as Error).message).toMatch(/^bomb\.zip: images_background\/A\/character01\/0001_01\.png is 50 MB; .* at most 1 MB is accepted/);
    expect(grew).toBeLessThan(16 * MB);
  });

  it('the same entry with a header that claims 60 kB: inflation stops at the claim', () => {
    const liar = forgeDeclaredSize(zipSync({ [PNG_PATH]: new Uint8Array(50 * MB) }), 60_000);
    let error: unknown;
    const t0 = performance.now();
    const grew = rssGrowth(() => {
      try {
        readOmniglotZip(liar, { name: 'liar.zip' });
      } catch (e) {
        error = e;
      }
    });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect((error as Error).message).toMatch(/^liar\.zip is corrupt or crafted: .*0001_01\.png inflates to more than the 60000 bytes it declares/);
    expect(grew).toBeLessThan(16 * MB);
  });

  it('archives whose declared sizes add up past the total limit are refused before inflating', () => {
    const files: Record<string, Uint8Array> = {};
    const n = Math.floor(OMNIGLOT_LIMITS.totalBytes / OMNIGLOT_LIMITS.fileBytes) + 1;
    for (let i = 0; i < n; i++) files[`images_background/A/character01/${1000 + i}_01.png`] = png();
    let zip: Uint8Array = zipSync(files);
    for (let i = 0; i < n; i++) zip = forgeDeclaredSize(zip, OMNIGLOT_LIMITS.fileBytes, i);
    expect(() => readOmniglotZip(zip, { name: 'big.zip' })).toThrow(/^big\.zip holds 257 MB of Omniglot files; at most 256 MB is accepted/);
  });

  it('a zip of 100 000 tiny Omniglot-named entries is refused by its count, before any is read', () => {
    const files: Record<string, Uint8Array> = {};
    const one = new Uint8Array(1);
    for (let i = 0; i < 100_000; i++) files[`images_background/A/character${i % 1000}/${i}_01.png`] = one;
    const zip = zipSync(files, { level: 0 });
    const t0 = performance.now();
    expect(() => readOmniglotZip(zip, { name: 'many.zip' })).toThrow(/^many\.zip holds 100000 Omniglot files; at most 70000 are accepted/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('loose files (the CLI’s folders) meet the same limits', () => {
    const big = { path: PNG_PATH, bytes: new Uint8Array(1.5 * OMNIGLOT_LIMITS.fileBytes) };
    expect(() => readOmniglotFiles([big], { name: 'folder' })).toThrow(/^folder: images_background\/A\/character01\/0001_01\.png is 1\.5 MB; .* at most 1 MB is accepted/);
  });

  it('a PNG that declares huge dimensions is refused from its header, before the decoder allocates', () => {
    const huge = zipSync({ [PNG_PATH]: pngDeclaring(100_000, 100_000) });
    let error: unknown;
    const grew = rssGrowth(() => {
      try {
        readOmniglotZip(huge, { name: 'huge.zip' });
      } catch (e) {
        error = e;
      }
    });
    expect((error as Error).message).toMatch(/0001_01\.png: 100000×100000 pixels; Omniglot images are 105×105/);
    expect(grew).toBeLessThan(16 * MB);
    expect(() => decodeOmniglotPng(pngDeclaring(105, 3_000_000))).toThrow(/105×3000000 pixels/);
  });

  it('a 105×105 PNG whose image data inflates to 64 MB is refused as it inflates', () => {
    const bomb = pngWithIdatOf(64 * MB);
    expect(bomb.length).toBeLessThan(OMNIGLOT_LIMITS.fileBytes);
    let error: unknown;
    const grew = rssGrowth(() => {
      try {
        decodeOmniglotPng(bomb, 'bomb.png');
      } catch (e) {
        error = e;
      }
    });
    expect((error as Error).message).toMatch(/^bomb\.png: its image data inflates past the \d+ bytes a 105×105 image holds/);
    expect(grew).toBeLessThan(32 * MB);
    // A real PNG of the same layout still decodes after the check.
    expect(decodeOmniglotPng(png()).reduce((a, b) => a + b, 0)).toBe(400);
  });
});

describe.skipIf(!haveShared)('the shared Omniglot subsets (../shared/omniglot)', () => {
  const small1 = haveShared ? readOmniglotZip(readZip('images_background_small1.zip'), { name: 'images_background_small1.zip' }) : null;

  it('small1: 5 alphabets, 136 characters, 2720 images, all background', () => {
    const ds = omniglotDataset([small1!]);
    expect(datasetStats(ds)).toMatchObject({ alphabets: 5, characters: 136, images: 2720, background: { images: 2720 }, evaluation: { images: 0 } });
    expect(ds.alphabets.map((a) => a.name)).toEqual(['Balinese', 'Early_Aramaic', 'Greek', 'Korean', 'Latin']);
    expect(ds.pixels.length).toBe(2720 * 28 * 28);
  });

  it('small2: 5 alphabets, 156 characters, 3120 images; merged with small1 the shared Greek and Latin count once', () => {
    const small2 = readOmniglotZip(readZip('images_background_small2.zip'), { name: 'images_background_small2.zip' });
    const ds2 = omniglotDataset([small2]);
    expect(datasetStats(ds2)).toMatchObject({ alphabets: 5, characters: 156, images: 3120 });
    const both = omniglotDataset([small1!, small2]);
    expect(datasetStats(both)).toMatchObject({ alphabets: 8, characters: 242, images: 4840 });
    // Loading order does not change the content hash.
    expect(contentHash(omniglotDataset([small2, small1!]))).toBe(contentHash(both));
    expect(contentHash(mergeDatasets(omniglotDataset([small1!]), ds2))).toBe(contentHash(both));
  });

  it('attaches the strokes zip to the images, and the strokes render like the PNGs (pen width 5)', () => {
    const strokes = readOmniglotZip(readZip('strokes_background_small1.zip'), { name: 'strokes_background_small1.zip' });
    expect(strokes.strokes).toHaveLength(2720);
    const ds = omniglotDataset([small1!, strokes]);
    expect(datasetStats(ds)).toMatchObject({ images: 2720, withStrokes: 2720 });
    // Calibration check: strokes drawn at Omniglot's pen width overlap the official 105×105 PNGs.
    const sample = small1!.images.filter((_, i) => i % 40 === 0);
    const pathOf = (s: (typeof sample)[number]) => `images_background_small1/${s.alphabet}/${s.character}/${s.id}.png`;
    const wanted = new Set(sample.map(pathOf));
    const pngs = unzipSync(readZip('images_background_small1.zip'), { filter: (f) => wanted.has(f.name) });
    const drawings = new Map(strokes.strokes.map((s) => [`${s.alphabet}/${s.character}/${s.id}`, s.drawing]));
    let inter = 0;
    let union = 0;
    for (const s of sample) {
      const mine = rasterizeDrawing(drawings.get(`${s.alphabet}/${s.character}/${s.id}`)!);
      const theirs = decodeOmniglotPng(pngs[pathOf(s)]);
      for (let k = 0; k < mine.length; k++) {
        const a = mine[k] >= 0.5 ? 1 : 0;
        inter += a & theirs[k];
        union += a | theirs[k];
      }
    }
    expect(inter / union).toBeGreaterThan(0.9);
  });

  it('rotation augmentation makes 4 classes per character', () => {
    const ds = withRotations(omniglotDataset([small1!]));
    expect(datasetStats(ds)).toMatchObject({ alphabets: 5, characters: 544, images: 10880 });
  });
});
