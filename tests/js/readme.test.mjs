// The package README's examples say what they return in a trailing comment (`expr; // value`):
// each such line whose value is a complete literal (no "…") is evaluated against the installed
// package, so the README cannot drift from what the package answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ns from 'nova-states';
import * as describe from 'nova-states/describe';

const readme = readFileSync(fileURLToPath(import.meta.resolve('nova-states/package.json')).replace('package.json', 'README.md'), 'utf8');
const scope = { ...ns, ...describe };

function claims() {
  const out = [];
  for (const [, block] of readme.matchAll(/```js\n([\s\S]*?)```/g)) {
    for (const line of block.split('\n')) {
      const m = line.match(/^(?:const \w+ = )?(.+?);\s*\/\/\s*(.+)$/);
      if (!m || m[2].includes('…')) continue;
      const [, expr, said] = m;
      if (/\b(server|servers|body|response|id|checker|verdict|console)\b|await/.test(expr)) continue;
      let value;
      try {
        value = Function(`return (${said});`)();
      } catch {
        continue; // a comment in words, not a literal
      }
      out.push({ expr, value });
    }
  }
  return out;
}

test("every README example that states its value returns it", () => {
  const found = claims();
  assert.ok(found.length >= 8, `README claims found: ${found.length}`);
  for (const { expr, value } of found) {
    const got = Function(...Object.keys(scope), `return (${expr});`)(...Object.values(scope));
    assert.deepEqual(got, value, expr);
  }
});

test('the README names only functions the package exports', () => {
  for (const [, name] of readme.matchAll(/^### `(\w+)\(/gm)) assert.equal(typeof ns[name], 'function', name);
});
