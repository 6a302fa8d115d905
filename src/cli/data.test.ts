import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, metaplay } from './runCli';

const shared = path.resolve(import.meta.dirname, '../../../shared/omniglot');
const small1 = path.join(shared, 'images_background_small1.zip');

describe('metaplay data', () => {
  it('counts the synthetic default and gives the same content hash for the same seed', async () => {
    const args = ['data', '--alphabets', '4', '--characters', '5', '--drawers', '3', '--json'];
    const a = await metaplay([...args, '--seed', '1']);
    expect(a.code, a.stderr).toBe(0);
    const outA = lastJson(a.stdout);
    expect(outA).toMatchObject({ alphabets: 4, characters: 20, images: 60 });
    expect(typeof outA.hash).toBe('string');
    const b = await metaplay([...args, '--seed', '1']);
    expect(lastJson(b.stdout).hash).toBe(outA.hash);
    const c = await metaplay([...args, '--seed', '2']);
    expect(lastJson(c.stdout).hash).not.toBe(outA.hash);
  });

  it('refuses a file that is not an Omniglot zip, with a clear message, and keeps the data already loaded', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metaplay-data-'));
    const bad = path.join(dir, 'holiday-photos.zip');
    writeFileSync(bad, 'this is not a zip file');
    const args = ['data', '--source', 'omniglot', '--data', bad, '--json'];
    if (existsSync(small1)) args.push('--data', small1);
    const r = await metaplay(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('holiday-photos.zip');
    if (existsSync(small1)) expect(lastJson(r.stdout)).toMatchObject({ alphabets: 5, characters: 136, images: 2720 });
  });

  it.skipIf(!existsSync(small1))('reads the shared Omniglot subset (skipped when ../shared/omniglot is absent)', async () => {
    const r = await metaplay(['data', '--source', 'omniglot', '--data', small1, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ alphabets: 5, characters: 136, images: 2720 });
  });
});
