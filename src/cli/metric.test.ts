import { encode } from 'fast-png';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticDataset, readImage } from '../engine/tasks/characters';
import { heldOutAlphabets } from './commands/metricData';
import { lastJson, metaplay } from './runCli';

const shared = path.resolve(import.meta.dirname, '../../../shared/omniglot');
const small1 = path.join(shared, 'images_background_small1.zip');
const small2 = path.join(shared, 'images_background_small2.zip');

// Synthetic characters written as Omniglot-layout folders of 105×105 8-bit grey PNGs (ink dark on light).
const root = mkdtempSync(path.join(tmpdir(), 'metaplay-metric-'));
const ds = generateSyntheticDataset({ seed: 3, alphabets: 4, charactersPerAlphabet: 5, drawersPerCharacter: 8, imageSize: 105, evaluationAlphabets: 2 });
const png = (ink: Float32Array, w = 105, h = 105) => encode({ width: w, height: h, channels: 1, depth: 8, data: Uint8Array.from(ink, (v) => Math.round(255 * (1 - v))) });

beforeAll(() => {
  ds.characters.forEach((c) => {
    const a = ds.alphabets[c.alphabet];
    const dir = path.join(root, a.split === 'background' ? 'images_background' : 'images_evaluation', a.name, c.name);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < c.count; i++) writeFileSync(path.join(dir, `${String(c.first + 1).padStart(4, '0')}_${String(i + 1).padStart(2, '0')}.png`), png(readImage(ds, c.first + i)));
  });
  // classify folders: two classes from the first two characters, 2 shots each; queries are their next drawings.
  for (let k = 0; k < 2; k++) {
    const c = ds.characters[k];
    const dir = path.join(root, 'support', `class${k}`);
    mkdirSync(dir, { recursive: true });
    for (let s = 0; s < 2; s++) writeFileSync(path.join(dir, `s${s}.png`), png(readImage(ds, c.first + s)));
    mkdirSync(path.join(root, 'query'), { recursive: true });
    writeFileSync(path.join(root, 'query', `q${k}.png`), png(readImage(ds, c.first + 5)));
  }
  // A non-square image of another size is padded and area-averaged, not refused.
  const wide = new Float32Array(60 * 40);
  for (let i = 10; i < 30; i++) wide[i * 60 + 30] = 1;
  writeFileSync(path.join(root, 'query', 'q_wide.png'), png(wide, 60, 40));
});

const bg = () => path.join(root, 'images_background');
const ev = () => path.join(root, 'images_evaluation');

describe('metaplay train/eval/classify (metric family)', () => {
  it('trains a protonet, evaluates the checkpoint on unseen alphabets and classifies folders', async () => {
    const ckpt = path.join(root, 'proto.json');
    const r = await metaplay(['train', 'protonet', '--data', bg(), '--data', ev(), '--ways', '3', '--queries', '2', '--width', '8', '--episodes', '3', '--eval-ways', '3', '--eval-episodes', '4', '--save', ckpt, '--backend', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out).toMatchObject({ method: 'protonet', source: 'omniglot', episodes: 3, eval_episodes: 4, eval_ways: 3 });
    expect(out.train_alphabets.length).toBe(2);
    expect(out.eval_alphabets.length).toBe(2);
    expect(out.eval_alphabets.some((a: string) => out.train_alphabets.includes(a))).toBe(false);
    expect(out.accuracy).toBeGreaterThanOrEqual(0);
    expect(out.accuracy).toBeLessThanOrEqual(1);
    expect(out.ci95).toBeGreaterThanOrEqual(0);

    const e = await metaplay(['eval', '--checkpoint', ckpt, '--data', bg(), '--data', ev(), '--ways', '3', '--shots', '2', '--episodes', '4', '--backend', 'cpu', '--json']);
    expect(e.code, e.stderr).toBe(0);
    const eo = lastJson(e.stdout);
    expect(eo).toMatchObject({ method: 'protonet', ways: 3, shots: 2, episodes: 4 });
    // The training alphabets stored in the checkpoint are left out.
    expect(eo.alphabets).toEqual(out.eval_alphabets);

    const c = await metaplay(['classify', '--checkpoint', ckpt, '--support', path.join(root, 'support'), '--query', path.join(root, 'query'), '--backend', 'cpu', '--json']);
    expect(c.code, c.stderr).toBe(0);
    const preds = lastJson(c.stdout).predictions;
    expect(preds.map((p: { file: string }) => p.file)).toEqual(['q0.png', 'q1.png', 'q_wide.png']);
    for (const p of preds) {
      expect(['class0', 'class1']).toContain(p.label);
      expect(p.probs.class0 + p.probs.class1).toBeCloseTo(1, 3);
    }
  });

  it('classifies with the training-free baselines', async () => {
    for (const method of ['mhd', 'pixel-nn']) {
      const c = await metaplay(['classify', '--method', method, '--support', path.join(root, 'support'), '--query', path.join(root, 'query'), '--json']);
      expect(c.code, c.stderr).toBe(0);
      const preds = lastJson(c.stdout).predictions;
      expect(preds.length).toBe(3);
      // A query is a new drawing of the class's character: the baselines get these easy two-way cases right.
      expect(preds[0].label).toBe('class0');
      expect(preds[1].label).toBe('class1');
    }
    const e = await metaplay(['eval', '--method', 'mhd', '--data', ev(), '--ways', '3', '--episodes', '3', '--json']);
    expect(e.code, e.stderr).toBe(0);
    expect(lastJson(e.stdout)).toMatchObject({ method: 'mhd', ways: 3, episodes: 3, backend: 'js' });
  });

  it('refuses bad flags with exit 2 and a corrupt or foreign checkpoint with its reason', async () => {
    const bad = [
      ['train', 'protonet', '--ways', '1'],
      ['train', 'protonet', '--margin', '2'],
      ['train', 'siamese', '--loss', 'hinge'],
      ['train', 'protonet', '--no-scale'],
      ['train', 'protonet', '--bogus'],
      ['eval'],
      ['classify', '--method', 'mhd', '--support', path.join(root, 'nowhere'), '--query', path.join(root, 'query')],
      ['classify', '--method', 'knn', '--support', path.join(root, 'support'), '--query', path.join(root, 'query')],
    ];
    for (const args of bad) {
      const r = await metaplay(args);
      expect(r.code, args.join(' ')).toBe(2);
    }
    const wrongInit = await metaplay(['train', 'siamese', '--init', path.join(root, 'proto.json'), '--episodes', '1']);
    expect(wrongInit.code).toBe(2);
    expect(wrongInit.stderr).toMatch(/not siamese/);
    // An --init checkpoint of another shape names the settings that differ.
    const unscaled = path.join(root, 'matching-unscaled.json');
    const m = await metaplay(['train', 'matching', '--no-scale', '--data', bg(), '--data', ev(), '--ways', '3', '--queries', '1', '--width', '4', '--episodes', '1', '--eval-ways', '3', '--eval-episodes', '1', '--save', unscaled, '--backend', 'cpu']);
    expect(m.code, m.stderr).toBe(0);
    const refit = await metaplay(['train', 'matching', '--init', unscaled, '--width', '4', '--episodes', '1', '--backend', 'cpu']);
    expect(refit.code).toBe(2);
    expect(refit.stderr).toMatch(/matching_scale is missing; the checkpoint has cosineScale false \(here true\)/);
    const corrupt = path.join(root, 'corrupt.json');
    writeFileSync(corrupt, '{"format":"metaplay-checkpoint","version":1,"algorithm":"protonet","task":"characters","config":{},"params":[{"name":"conv1_w","shape":[3,3,1,8],"dtype":"float32","data":"AAAA"}]}');
    const r = await metaplay(['eval', '--checkpoint', corrupt]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/do not fill shape|corrupt/);
    const foreign = path.join(root, 'foreign.json');
    writeFileSync(foreign, '{"format":"metaplay-checkpoint","version":1,"algorithm":"maml","task":"sine","config":{},"params":[]}');
    const f = await metaplay(['classify', '--checkpoint', foreign, '--support', path.join(root, 'support'), '--query', path.join(root, 'query')]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/not a metric-based method/);
  });

  it.skipIf(!existsSync(small1) || !existsSync(small2))('real Omniglot: --eval-data keeps only the alphabets not in --data (skipped without ../shared/omniglot)', async () => {
    const r = await metaplay(['train', 'protonet', '--data', small1, '--eval-data', small2, '--ways', '3', '--queries', '1', '--width', '4', '--episodes', '1', '--eval-episodes', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out.train_alphabets).toEqual(['Balinese', 'Early_Aramaic', 'Greek', 'Korean', 'Latin']);
    expect(out.eval_alphabets).toEqual(['Japanese_(katakana)', 'Sanskrit', 'Tagalog']);
  });

  it('trains on data without an evaluation split by holding out the last third of its alphabets, and says which', async () => {
    const r = await metaplay(['train', 'protonet', '--data', bg(), '--ways', '3', '--queries', '1', '--width', '4', '--episodes', '1', '--eval-ways', '3', '--eval-episodes', '2', '--backend', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    const all = [...new Set(ds.characters.map((c) => ds.alphabets[c.alphabet]).filter((a) => a.split === 'background').map((a) => a.name))].sort();
    expect(all.length).toBe(2);
    expect(out).toMatchObject({ train_alphabets: [all[0]], eval_alphabets: [all[1]], eval_held_out: true, eval_episodes: 2 });
    expect(r.stderr).toContain(`holding out ${all[1]} for evaluation`);
    expect(heldOutAlphabets(['c', 'a', 'b', 'e', 'd', 'f', 'g', 'h'])).toEqual(['f', 'g', 'h']);
    expect(heldOutAlphabets(['only'])).toEqual([]);
  });

  it.skipIf(!existsSync(small1) || !existsSync(small2))('real Omniglot: trains on the two background_small zips alone (skipped without ../shared/omniglot)', async () => {
    const r = await metaplay(['train', 'protonet', '--data', small1, '--data', small2, '--ways', '5', '--queries', '1', '--width', '4', '--episodes', '1', '--eval-episodes', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = lastJson(r.stdout);
    expect(out.eval_alphabets).toEqual(['Latin', 'Sanskrit', 'Tagalog']);
    expect(out.train_alphabets).toEqual(['Balinese', 'Early_Aramaic', 'Greek', 'Japanese_(katakana)', 'Korean']);
    expect(out.eval_held_out).toBe(true);
  });
});
