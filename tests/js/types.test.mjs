// Type-checks a small consumer against the installed package's .d.ts (tsc --noEmit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('a TypeScript consumer type-checks against the package types, and misuse is rejected', () => {
  const r = spawnSync(root + 'node_modules/.bin/tsc', ['--noEmit', '-p', 'tests/js/types'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});
