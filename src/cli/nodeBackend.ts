import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UsageError } from './args';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/**
 * Selects a tfjs backend in Node. tfjs-node cannot be installed here (it downloads a binary),
 * so the CLI offers the pure-JS cpu backend and the WASM backend (its .wasm ships in the npm package).
 */
export async function selectNodeBackend(name: NodeBackend): Promise<void> {
  tf.enableProdMode();
  if (name === 'wasm') {
    const require = createRequire(import.meta.url);
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    wasm.setWasmPaths(`${path.join(dir, 'dist')}${path.sep}`);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new UsageError(`the ${name} backend could not be started here`);
  await tf.ready();
}
