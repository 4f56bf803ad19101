// The package in a browser with no bundler: a plain <script type="module"> imports index.js
// from a local static server and checks an action at once, in headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageResult } from './chromium.mjs';

const pkgDir = dirname(fileURLToPath(import.meta.resolve('nova-states/package.json')));
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };
const PAGE = `<!doctype html><meta charset="utf-8"><title>nova-states</title>
<script type="module">
  import { checkAction, allowedActions } from './pkg/index.js';
  try {
    const v = checkAction('pause', { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null });
    let error = null;
    try { checkAction('paus', { vmState: 'active' }); } catch (e) { error = e.name + ' ' + e.code; }
    window.result = { allowed: v.allowed, message: v.denials[0].message, active: allowedActions({ vmState: 'active' }).includes('pause'), error };
  } catch (e) { window.result = { failed: String(e) }; }
</script>`;

function serve() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    try {
      if (url.pathname === '/') { res.writeHead(200, { 'content-type': 'text/html' }); return res.end(PAGE); }
      const rel = normalize(url.pathname).replace(/^\/pkg\//, '');
      if (rel.includes('..') || !url.pathname.startsWith('/pkg/')) throw new Error('not found');
      const body = await readFile(join(pkgDir, rel));
      res.writeHead(200, { 'content-type': TYPES[rel.slice(rel.lastIndexOf('.'))] ?? 'application/octet-stream' });
      res.end(body);
    } catch { res.writeHead(404); res.end(); }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('a plain module script imports index.js and checks an action with no set-up call', async () => {
  const server = await serve();
  try {
    const { errors, result } = await pageResult(`http://127.0.0.1:${server.address().port}/`);
    assert.deepEqual(errors, []);
    assert.deepEqual(result, {
      allowed: false,
      message: "Cannot 'pause' instance <uuid> while it is in vm_state stopped",
      active: true,
      error: 'RangeError ERR_NOVA_UNKNOWN_NAME',
    });
  } finally {
    server.close();
  }
});
