import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readOmniglotPath } from './commands/data';
import { lastJson, metaplay } from './runCli';

const MB = 1024 * 1024;

describe('metaplay data: hostile Omniglot paths', () => {
  it('refuses a folder whose Omniglot file is too large by its size on disk, and ignores other large files', () => {
    const root = path.join(mkdtempSync(path.join(tmpdir(), 'metaplay-limits-')), 'images_background');
    mkdirSync(path.join(root, 'A', 'character01'), { recursive: true });
    writeFileSync(path.join(root, 'README.txt'), new Uint8Array(2 * MB));
    writeFileSync(path.join(root, 'A', 'character01', '0001_01.png'), new Uint8Array(2 * MB));
    expect(() => readOmniglotPath(root, 28)).toThrow(/^images_background: images_background\/A\/character01\/0001_01\.png is 2 MB; .* at most 1 MB is accepted/);
  });

  it('refuses a zip bomb with its reason, having inflated nothing (exit status 1)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metaplay-limits-'));
    const bomb = path.join(dir, 'bomb.zip');
    writeFileSync(bomb, zipSync({ 'images_background/A/character01/0001_01.png': new Uint8Array(50 * MB) }));
    const r = await metaplay(['data', '--source', 'omniglot', '--data', bomb, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bomb\.zip: images_background\/A\/character01\/0001_01\.png is 50 MB; .* at most 1 MB is accepted/);
    expect(lastJson(r.stdout)).toMatchObject({ error: 'no Omniglot data could be loaded' });
  });
});
