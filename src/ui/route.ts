/**
 * Hash routing: `#/sine?k=10&alpha=0.01` → { path: '/sine', params }. The hash holds the lab and
 * every setting, so a copied link reproduces an experiment; the search part (`?backend=cpu`)
 * holds per-device choices that a shared link should not force on others unless written there.
 */
export interface Route {
  path: string;
  params: URLSearchParams;
}

/**
 * The longest settings part of a link that is read. The labs' links are a few hundred characters;
 * a longer one was not written by this app, and none of its values is used.
 */
export const MAX_LINK_SETTINGS = 8 * 1024;

/**
 * What each setting of a link too long to read becomes: a value no field accepts, so every lab
 * replaces it by its default and names it in its usual notice ("replaced by defaults: …").
 */
export const UNREAD_VALUE = '\u0000';

function readSettings(query: string): URLSearchParams {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return new URLSearchParams();
  }
  if (query.length <= MAX_LINK_SETTINGS) return params;
  const unread = new URLSearchParams();
  for (const name of new Set(params.keys())) unread.set(name, UNREAD_VALUE);
  return unread;
}

export function parseHash(hash: string): Route {
  const body = hash.replace(/^#/, '');
  const q = body.indexOf('?');
  const rawPath = q < 0 ? body : body.slice(0, q);
  const params = readSettings(q < 0 ? '' : body.slice(q + 1));
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
