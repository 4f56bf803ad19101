// node --test wrapper of the consumer matrix (run.mjs): one subtest per environment, so the
// summary counts them. Same options as run.mjs, from the environment: NOVA_STATES_TARBALL or
// NOVA_STATES_PKG (default: pack the repository's pkg/), CONSUMERS_ONLY, CONSUMERS_NODE_LOW.
import { after, before, test } from 'node:test';
import { CASES, finish, formatLine, options, prepare, runCase } from './run.mjs';

const opts = options([], process.env);
const selected = opts.only?.length ? CASES.filter((c) => opts.only.includes(c.name)) : CASES;
let ctx;

before(async () => {
  ctx = await prepare(opts);
}, { timeout: 1_800_000 });

after(() => finish());

for (const c of selected) {
  test(`consumer ${c.name}`, { timeout: c.name.startsWith('next') ? 900_000 : 300_000 }, async (t) => {
    if (!ctx) throw new Error('the installs failed: see the before hook');
    const r = await runCase(ctx, c);
    t.diagnostic(formatLine(r));
    if (!r.ok) throw new Error(`${c.name}: ${r.error}`);
  });
}
