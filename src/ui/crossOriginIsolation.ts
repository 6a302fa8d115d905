/**
 * Cross-origin isolation where the host cannot send the headers (GitHub Pages): registers the
 * site's service worker (public/isolation-sw.js), which adds COOP/COEP to the site's own
 * responses. From the next visit on, the page and its workers are cross-origin isolated, so the
 * WASM backend runs multi-threaded (src/worker/wasmBackend.ts). Without it (a first visit, a
 * browser without service workers, an insecure origin, a refused registration) everything works
 * the same with single-threaded WASM: nothing waits for the registration or reloads the page.
 *
 * Only in the production build: the dev and preview servers send the headers themselves
 * (vite.config.ts), and a service worker would outlive a dev server's changing files.
 */
export function registerIsolationWorker(): void {
  if (!import.meta.env.PROD || window.crossOriginIsolated || !window.isSecureContext || !('serviceWorker' in navigator)) return;
  // BASE_URL is './' (vite.config.ts): the worker sits beside index.html, so its scope is the
  // site's folder, at the root of a host or under a project sub-path alike.
  const url = new URL(`${import.meta.env.BASE_URL}isolation-sw.js`, document.baseURI);
  navigator.serviceWorker.register(url).catch(() => {
    // Refused (e.g. storage blocked): the page stays single-threaded, which it already is.
  });
}
