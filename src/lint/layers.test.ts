import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layer rule of eslint.config.js on snippets that are never written to disk: each is linted as if
 * it were a new file at `filePath`, importing real files of the tree (the resolver must find them).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('layers point down', () => {
  it('refuses an engine file importing a lab', async () => {
    const errors = await layerErrors('src/engine/core/newFile.ts', "import { pca2 } from '../../labs/metric/pca';\nexport const f = pca2;\n");
    expect(errors).toEqual([expect.stringContaining('engine-core may not import labs')]);
  });

  it('refuses a worker importing the UI, type-only imports included', async () => {
    const errors = await layerErrors('src/worker/newFile.ts', "import type { Translate } from '../ui/store';\nexport type T = Translate;\n");
    expect(errors).toEqual([expect.stringContaining('worker may not import ui')]);
  });

  it('refuses an engine model importing an algorithm (the engine has layers too)', async () => {
    const errors = await layerErrors('src/engine/models/newFile.ts', "export * from '../algorithms/innerLoop';\n");
    expect(errors).toEqual([expect.stringContaining('engine-models may not import engine-algorithms')]);
  });

  it('refuses the CLI importing the worker', async () => {
    const errors = await layerErrors('src/cli/newFile.ts', "export * from '../worker/transport';\n");
    expect(errors).toEqual([expect.stringContaining('cli may not import worker')]);
  });

  it('lets each layer import the ones below it', async () => {
    const downward: [string, string][] = [
      ['src/labs/sine/newFile.ts', "export * from '../../ui/route';\nexport * from '../../worker/transport';\nexport * from '../../engine/core/rng';\n"],
      ['src/worker/newFile.ts', "export type { MessageKey } from '../i18n/messages';\nexport * from '../engine/core/rng';\n"],
      ['src/engine/algorithms/newFile.ts', "export * from '../models/convNet';\nexport * from '../tasks/sine';\n"],
      ['src/cli/newFile.ts', "export * from '../engine/core/rng';\nexport type { MessageKey } from '../i18n/messages';\n"],
    ];
    for (const [filePath, code] of downward) expect(await layerErrors(filePath, code), filePath).toEqual([]);
  });
});
