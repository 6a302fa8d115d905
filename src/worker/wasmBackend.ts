import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// `?url` makes Vite emit each binary into the build (hashed, next to the scripts) and gives its
// address (in the build, resolved against the worker script's own URL): the site serves its own
// .wasm, so it works offline and under a sub-path (GitHub Pages) with no CDN. Nothing is copied by
// hand or committed.
import plainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * The WASM backend inside a lab's worker. Importing the package registers the backend; tfjs picks
 * the binary when the backend first starts: SIMD where WebAssembly has it, and the threaded SIMD
 * build where SharedArrayBuffer exists, i.e. where the page is cross-origin isolated (headers from
 * the server, or the site's service worker, src/ui/crossOriginIsolation.ts). Elsewhere it is the
 * single-threaded SIMD build, with no error: the isolation only makes it faster.
 */
setWasmPaths({
  'tfjs-backend-wasm.wasm': plainUrl,
  'tfjs-backend-wasm-simd.wasm': simdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdUrl,
});

/** True where this browser runs WebAssembly at all (every current one; not some locked-down modes). */
export function wasmSupported(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
}
