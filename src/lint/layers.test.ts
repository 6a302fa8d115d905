import { ESLint } from 'eslint';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layer rule of eslint.config.js on snippets that are never written to disk: each is linted as if
 * it were a new file `from`, importing a real file `to` of the tree. The target must exist, or the
 * import would not resolve and a downward case would pass for nothing: a moved target fails here.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function layerErrors(from: string, to: string, typeOnly = false): Promise<string[]> {
  expect(existsSync(join(root, to)), `${to} moved: pick another target`).toBe(true);
  let specifier = relative(dirname(from), to).replace(/\.tsx?$/, '');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  const code = typeOnly ? `export type * from '${specifier}';\n` : `export * from '${specifier}';\n`;
  const [result] = await eslint.lintText(code, { filePath: from });
  return result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('layers point down', () => {
  it.each([
    ['src/engine/core/newFile.ts', 'src/labs/registry.ts', 'engine-core may not import labs'],
    ['src/engine/models/newFile.ts', 'src/engine/algorithms/innerLoop.ts', 'engine-models may not import engine-algorithms'],
    ['src/i18n/newFile.ts', 'src/engine/core/rng.ts', 'i18n may not import engine-core'],
    ['src/worker/newFile.ts', 'src/labs/registry.ts', 'worker may not import labs'],
    ['src/ui/newFile.ts', 'src/labs/registry.ts', 'ui may not import labs'],
    ['src/cli/newFile.ts', 'src/ui/route.ts', 'cli may not import ui'],
  ])('refuses %s importing %s', async (from, to, message) => {
    expect(await layerErrors(from, to)).toEqual([expect.stringContaining(message)]);
  });

  it('refuses a type-only upward import too', async () => {
    expect(await layerErrors('src/worker/newFile.ts', 'src/ui/store.ts', true)).toEqual([expect.stringContaining('worker may not import ui')]);
  });

  it.each([
    ['src/labs/sine/newFile.ts', 'src/ui/route.ts'],
    ['src/labs/sine/newFile.ts', 'src/engine/tasks/sine.ts'],
    ['src/ui/newFile.ts', 'src/engine/core/rng.ts'],
    ['src/worker/newFile.ts', 'src/i18n/messages.ts'],
    ['src/worker/newFile.ts', 'src/engine/core/rng.ts'],
    ['src/engine/algorithms/newFile.ts', 'src/engine/models/convNet.ts'],
    ['src/cli/newFile.ts', 'src/engine/core/rng.ts'],
    ['src/cli/newFile.ts', 'src/i18n/messages.ts'],
    ['src/newFile.tsx', 'src/labs/registry.ts'],
  ])('lets %s import %s', async (from, to) => {
    expect(await layerErrors(from, to)).toEqual([]);
  });
});
