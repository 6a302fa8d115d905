#!/usr/bin/env node
// A tiny, dependency-free static server for the production build (dist/), used by the e2e tests
// and by `npm run bench`. Like GitHub Pages, it serves plain files with no special headers
// (no COOP/COEP, so no SharedArrayBuffer), and it serves the same build twice:
//   http://127.0.0.1:PORT/                           the site root
//   http://127.0.0.1:PORT/meta-learning-playground/  a project sub-path, as on GitHub Pages
// so the tests prove that a sub-path deploy works (vite's `base: './'` keeps every URL relative).
//
// CLI:    node e2e/serve.mjs [--port N] [--dir DIR]       (env: E2E_PORT or PORT, E2E_DIST)
// Module: const server = await startServer({ root, port }); ... await server.close();
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SUB_PATH = '/meta-learning-playground/';
export const DEFAULT_PORT = 4321;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DIST = path.join(REPO_ROOT, 'dist');

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.bin': 'application/octet-stream',
  '.zip': 'application/zip',
};

export const mimeType = (file) => MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/** Maps a URL path to a file under root, or returns a redirect target / null (404). */
function resolveRequest(root, urlPath) {
  let rel;
  if (urlPath === SUB_PATH.slice(0, -1)) return { redirect: SUB_PATH };
  if (urlPath.startsWith(SUB_PATH)) rel = urlPath.slice(SUB_PATH.length);
  else rel = urlPath.slice(1);
  let decoded;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, decoded);
  if (file !== root && !file.startsWith(root + path.sep)) return null; // no escaping dist/
  if (!existsSync(file)) return null;
  const st = statSync(file);
  if (st.isDirectory()) {
    if (!urlPath.endsWith('/')) return { redirect: `${urlPath}/` };
    const index = path.join(file, 'index.html');
    return existsSync(index) ? { file: index, size: statSync(index).size } : null;
  }
  return st.isFile() ? { file, size: st.size } : null;
}

/**
 * Starts the server. Resolves once it listens; `port: 0` picks a free port.
 * @param {{ root?: string, port?: number, host?: string, quiet?: boolean }} [opts]
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export function startServer({ root = DEFAULT_DIST, port = DEFAULT_PORT, host = '127.0.0.1', quiet = true } = {}) {
  const absRoot = path.resolve(root);
  if (!existsSync(path.join(absRoot, 'index.html'))) {
    return Promise.reject(new Error(`${absRoot}/index.html not found: run \`npm run build\` first`));
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const hit = resolveRequest(absRoot, url.pathname);
    if (!quiet) console.log(`${req.method} ${url.pathname} -> ${hit ? (hit.redirect ?? path.relative(absRoot, hit.file)) : 404}`);
    if (!hit) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('404 not found\n');
      return;
    }
    if (hit.redirect) {
      res.writeHead(301, { Location: hit.redirect + url.search }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': mimeType(hit.file), 'Content-Length': hit.size, 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(hit.file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      resolve({
        url: `http://${host}:${actual}/`,
        port: actual,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function parseCli(argv) {
  const opts = {
    port: Number(process.env.E2E_PORT ?? process.env.PORT ?? DEFAULT_PORT),
    root: process.env.E2E_DIST ?? DEFAULT_DIST,
    quiet: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--dir') opts.root = argv[++i];
    else if (a === '--verbose') opts.quiet = false;
    else throw new Error(`unknown argument ${a}; usage: node e2e/serve.mjs [--port N] [--dir DIR] [--verbose]`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(`bad port ${opts.port}`);
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const opts = parseCli(process.argv.slice(2));
    const server = await startServer(opts);
    console.log(`serving ${path.relative(process.cwd(), path.resolve(opts.root)) || '.'} at ${server.url} and ${server.url.slice(0, -1)}${SUB_PATH}`);
    const stop = () => server.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    console.error(`serve: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
