// Builds a tiny app that imports 'nova-states' with Vite 8 and no configuration, and runs the
// built page in headless Chromium under the page's own server and CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageResult } from '../browser/chromium.mjs';
import { start } from '../../scripts/serve.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'tests/out/vite-dist');

test('Vite 8 builds an app importing nova-states with no configuration, and the page runs', async () => {
  const r = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '--config', 'vite.config.mjs'], {
    cwd: join(root, 'tests/js/vite'), encoding: 'utf8',
  });
  assert.equal(r.status, 0, `vite build failed:\n${r.stdout}${r.stderr}`);
  const assets = readdirSync(join(dist, 'assets'));
  assert.ok(!assets.some((f) => f.endsWith('.wasm')), `the module is inlined, no .wasm asset among ${assets.join(', ')}`);

  // The page's own static server, CSP included: the built app must run under it.
  const server = await start({ root: dist, port: 0 });
  try {
    const { errors, result } = await pageResult(server.url);
    assert.deepEqual(errors, []);
    assert.deepEqual(result, { allowed: false, kind: 'vm_state' });
  } finally {
    await server.close();
  }
});
