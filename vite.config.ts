import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

// `base: './'` makes every asset URL relative, so the same build works at the site root,
// under a GitHub Pages project sub-path, or opened from any folder on a static host.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
  },
  // Cross-origin isolation (SharedArrayBuffer, so multi-threaded WASM) on the dev and preview
  // servers; a static host gets it from the site's service worker (src/ui/crossOriginIsolation.ts).
  server: { port: 5173, headers: ISOLATION_HEADERS },
  preview: { port: 4173, headers: ISOLATION_HEADERS },
});
