// A tiny static server for the built page (www/dist): 127.0.0.1 only, the right MIME types
// (application/wasm included), a Content-Security-Policy header, no directory traversal.
//   node scripts/serve.mjs [dir]        PORT=8080 by default
//   import { start } from './serve.mjs'; const { url, close } = await start({ port: 0 });
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const DEFAULT_ROOT = fileURLToPath(new URL('../www/dist/', import.meta.url));

function send(res, code, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(code, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  res.end(body);
}

export function handler(root) {
  const base = resolve(root);
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'bad request\n');
    }
    if (path.includes('\0')) return send(res, 400, 'bad request\n');
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return send(res, 403, 'forbidden\n');
    try {
      const info = await stat(file);
      if (!info.isFile()) return send(res, 404, 'not found\n');
      const body = await readFile(file);
      const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      return send(res, 200, req.method === 'HEAD' ? undefined : body, type);
    } catch {
      return send(res, 404, 'not found\n');
    }
  };
}

/** Starts the server; resolves to { server, port, url, close() }. */
export function start({ root = DEFAULT_ROOT, port = 8080, host = '127.0.0.1' } = {}) {
  return new Promise((resolvePromise, reject) => {
    const server = createServer(handler(root));
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolvePromise({
        server,
        port: actual,
        url: `http://${host}:${actual}/`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_ROOT;
  const port = process.env.PORT === undefined ? 8080 : Number(process.env.PORT);
  start({ root, port }).then(({ url }) => {
    console.log(`nova-states page: ${url}  (Ctrl-C to stop)`);
  }, (err) => {
    console.error(`cannot serve on 127.0.0.1:${port}: ${err.message}`);
    process.exit(1);
  });
}
