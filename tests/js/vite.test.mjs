// Builds a tiny app that imports 'nova-states' with Vite 8, checks the .wasm is emitted as an
// asset, and runs the built page in headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../browser/chromium.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'tests/out/vite-dist');
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

test('Vite 8 builds an app importing nova-states, emits the .wasm, and the page runs', async () => {
  const r = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '--config', 'vite.config.mjs'], {
    cwd: join(root, 'tests/js/vite'), encoding: 'utf8',
  });
  assert.equal(r.status, 0, `vite build failed:\n${r.stdout}${r.stderr}`);
  const assets = readdirSync(join(dist, 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `a .wasm asset among ${assets.join(', ')}`);

  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url, 'http://x').pathname === '/' ? '/index.html' : new URL(req.url, 'http://x').pathname);
    try {
      if (path.includes('..')) throw new Error();
      const body = readFileSync(join(dist, path));
      res.writeHead(200, { 'content-type': TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream' });
      res.end(body);
    } catch { res.writeHead(404); res.end(); }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 15000 });
    assert.deepEqual(errors, []);
    assert.deepEqual(await page.evaluate(() => window.result), { allowed: false, kind: 'vm_state' });
  } finally {
    await browser.close();
    server.close();
  }
});
