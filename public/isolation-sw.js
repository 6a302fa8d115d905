// The site's service worker: cross-origin isolation on a static host that cannot send headers
// (GitHub Pages). It passes each of the site's own GET responses through unchanged except for
// two headers, Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
// require-corp; a page loaded with them is cross-origin isolated, so its workers have
// SharedArrayBuffer and tfjs's WASM backend runs its threaded build.
//
// Registered by src/ui/crossOriginIsolation.ts. It caches nothing and leaves other origins'
// requests (e.g. the Omniglot download, a CORS fetch that isolation allows) to the browser. It
// does not claim the page that registered it: isolation starts with the next visit, never by
// reloading a page the user has started using.
self.addEventListener('install', () => {
  // A new version of this file replaces the old one at once: it has no state to hand over.
  self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fetch(request).then(isolated));
});

/** The response with the isolation headers; an opaque one (a redirect) cannot be rewritten and needs none. */
function isolated(response) {
  if (response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
