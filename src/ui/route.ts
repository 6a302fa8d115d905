/**
 * Hash routing: `#/sine?k=10&alpha=0.01` → { path: '/sine', params }. The hash holds the lab and
 * every setting, so a copied link reproduces an experiment; the search part (`?backend=cpu`)
 * holds per-device choices that a shared link should not force on others unless written there.
 */
export interface Route {
  path: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const body = hash.replace(/^#/, '');
  const q = body.indexOf('?');
  const rawPath = q < 0 ? body : body.slice(0, q);
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(q < 0 ? '' : body.slice(q + 1));
  } catch {
    params = new URLSearchParams();
  }
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // keep the raw text: a malformed escape is shown to the user as an unknown page
  }
  return { path: path === '' ? '/' : path.startsWith('/') ? path : `/${path}`, params };
}

export function formatHash(path: string, params: URLSearchParams): string {
  const q = params.toString();
  return `#${path}${q ? `?${q}` : ''}`;
}

/** Replaces the hash without adding a history entry or triggering a navigation. */
export function replaceHash(path: string, params: URLSearchParams): void {
  const url = new URL(window.location.href);
  url.hash = formatHash(path, params);
  window.history.replaceState(null, '', url);
}

export function searchParam(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}

export function setSearchParam(name: string, value: string | null): void {
  const url = new URL(window.location.href);
  if (value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  window.history.replaceState(null, '', url);
}
