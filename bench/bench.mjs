// One run of nova-states' quality bars (SPEC §6): size, per-call speed against a plain-JS lookup
// table (bench/baseline.mjs), and batch validation of a 10,000-server /servers/detail response.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ns from 'nova-states';
import * as base from './baseline.mjs';

const pkgDir = dirname(fileURLToPath(import.meta.resolve('nova-states/package.json')));
const gz = (f) => gzipSync(readFileSync(join(pkgDir, f)), { level: 9 }).length;
const wasmGz = gz('nova_states_bg.wasm');
// The glue is the entry index.js, nova_states.js and the JS snippets it imports (pkg/snippets/).
const snippets = (dir) => readdirSync(join(pkgDir, dir), { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? snippets(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
const jsGz = gz('index.js') + gz('nova_states.js') + (existsSync(join(pkgDir, 'snippets')) ? snippets('snippets').reduce((n, f) => n + gz(f), 0) : 0);
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

console.log('nova-states benchmark (Node ' + process.version + ')\n');
const total = wasmGz + jsGz;
console.log(`size   .wasm ${kb(wasmGz)} + JS glue ${kb(jsGz)} = ${kb(total)} gzipped   budget <= 20.0 KB   (XState core: 15 KB)   ${verdict(total <= 20 * 1024)}`);

// Servers covering every vm state and a spread of task states.
const vms = ns.vmStates();
const tasks = [null, null, null, ...ns.taskStates()];
const sample = JSON.parse(readFileSync(fileURLToPath(new URL('../../shared/samples/nova-api/servers_servers-details-resp.json', import.meta.url)), 'utf8')).servers[0];
function server(i) {
  const vm = vms[i % vms.length];
  const task = tasks[(i * 7) % tasks.length];
  return { ...sample, id: `id-${i}`, 'OS-EXT-STS:vm_state': vm, 'OS-EXT-STS:task_state': task, status: ns.statusOf(vm, task), locked: i % 5 === 0 };
}
const servers = Array.from({ length: 64 }, (_, i) => server(i));
const names = ns.actions().map((a) => a.name);

/** ns per call of `fn`: the best of 7 rounds of `n` calls after a warm-up. Rounds of the
 * two sides alternate (see `pair`), so a busy machine slows both alike, and the best round is
 * the one least disturbed. */
function time(fn, n) {
  for (let i = 0; i < Math.min(n, 20000); i++) fn(i); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / n;
}
function pair(wasm, plain, n) {
  let w = Infinity, b = Infinity;
  for (let round = 0; round < 7; round++) {
    w = Math.min(w, time(wasm, n));
    b = Math.min(b, time(plain, n));
  }
  return [w, b];
}
let sink = 0;
const N = 100000;
const [wCheck, bCheck] = pair(
  (i) => { sink += ns.checkAction(names[i % names.length], servers[i & 63]).allowed ? 1 : 0; },
  (i) => { sink += base.checkAction(names[i % names.length], servers[i & 63]).allowed ? 1 : 0; }, N);
const [wAllowed, bAllowed] = pair(
  (i) => { sink += ns.allowedActions(servers[i & 63]).length; },
  (i) => { sink += base.allowedActions(servers[i & 63]).length; }, N / 4);
const row = (label, w, b) => console.log(`speed  ${label.padEnd(15)} ${w.toFixed(0).padStart(6)} ns/call   plain JS ${b.toFixed(0).padStart(5)} ns/call   ratio ${(w / b).toFixed(2)}x   budget <= 3x   ${verdict(w / b <= 3)}`);
row('checkAction', wCheck, bCheck);
row('allowedActions', wAllowed, bAllowed);

// A synthetic 10,000-server /servers/detail response.
const detail = { servers: Array.from({ length: 10000 }, (_, i) => server(i)) };
const text = JSON.stringify(detail);
function best(fn, runs = 7) {
  let min = Infinity;
  for (let r = 0; r < runs; r++) { const t0 = process.hrtime.bigint(); sink += fn().length; min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6); }
  return min;
}
const tBase = best(() => JSON.parse(text).servers.map(base.validateServer));
const tParse = best(() => JSON.parse(text).servers);
const tObjects = best(() => ns.validateServers(detail.servers));
const tText = best(() => ns.validateServersJson(text));
const rate = (ms) => `${(10000 / ms * 1000 / 1e6).toFixed(2)} M servers/s`;
console.log(`\nbatch  10,000 servers, ${(text.length / 1e6).toFixed(1)} MB of JSON (best of 7)`);
console.log(`  baseline  JSON.parse + plain-JS validate  ${tBase.toFixed(1).padStart(7)} ms  ${rate(tBase)}   (JSON.parse alone ${tParse.toFixed(1)} ms)`);
console.log(`  wasm      validateServersJson(text)       ${tText.toFixed(1).padStart(7)} ms  ${rate(tText)}   ratio ${(tText / tBase).toFixed(2)}x   budget <= 1x   ${verdict(tText <= tBase)}`);
console.log(`  wasm      validateServers(parsed objects) ${tObjects.toFixed(1).padStart(7)} ms  ${rate(tObjects)}   (objects already parsed; no budget)`);
if (sink === 0.5) console.log(sink);
