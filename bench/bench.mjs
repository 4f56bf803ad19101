// One run of nova-states' quality bars (SPEC §6), each figure beside its baseline and budget:
// what a production bundle gains by importing the package, per-call speed against a plain-JS
// table that builds the same verdicts (bench/baseline.mjs), batch validation of a
// 10,000-server /servers/detail response, and import to first answer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import * as ns from 'nova-states';
import * as describe from 'nova-states/describe';
import * as base from './baseline.mjs';
import { DASHBOARD, inlinedModule, withoutModule } from './entries.mjs';

const out = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(out, { recursive: true });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
let failed = false;
const judge = (ok) => {
  failed ||= !ok;
  return verdict(ok);
};

console.log(`nova-states benchmark (Node ${process.version})\n`);

// --- Size: what a production bundle (esbuild, minified) gains from each import ---------------
async function bundleSize(name, source) {
  const entry = join(out, `${name}.mjs`);
  writeFileSync(entry, source);
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  const bytes = Buffer.from(result.outputFiles[0].contents);
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length, bytes };
}
const ONE = `import { checkAction } from 'nova-states';\nglobalThis.check = checkAction;\n`;
const DESCRIBE = `import * as all from 'nova-states/describe';\nglobalThis.all = all;\n`;
const sizes = {
  dashboard: await bundleSize('dashboard', DASHBOARD),
  one: await bundleSize('one', ONE),
  describe: await bundleSize('describe', DESCRIBE),
};
const wasmInline = (entry) => {
  const { base64: inlined, bytes } = inlinedModule(entry);
  return { wasm: bytes.length, wasmGz: gzipSync(bytes, { level: 9 }).length, inlinedGz: gzipSync(inlined, { level: 9 }).length, data: dataSegments(bytes) };
};
/** Every data segment of a WebAssembly module, concatenated: its tables and texts, no code. */
function dataSegments(wasm) {
  let at = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = wasm[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  const segments = [];
  while (at < wasm.length) {
    const id = wasm[at++];
    const size = leb();
    const end = at + size;
    if (id === 11) {
      for (let n = leb(); n > 0; n--) {
        const flags = leb();
        if (flags !== 1) {
          if (flags === 2) leb();
          while (wasm[at++] !== 0x0b); // the offset expression (i32.const N; end)
        }
        const length = leb();
        segments.push(wasm.subarray(at, at + length));
        at += length;
      }
    }
    at = end;
  }
  return Buffer.concat(segments);
}
const main = wasmInline('nova-states');
// The parts of the default import, each minified and gzipped alone (they share less than
// they would in one file, so the parts add up to a little more than the whole).
const part = async (file) => {
  const r = await build({ entryPoints: [file], bundle: false, minify: true, format: 'esm', write: false, logLevel: 'silent' });
  return gzipSync(Buffer.from(r.outputFiles[0].contents), { level: 9 }).length;
};
const js = join(dirname(fileURLToPath(import.meta.url)), '..', 'wasm', 'js');
const parts = {
  glue: await part(join(js, 'generated', 'glue.js')),
  tables: (await part(join(js, 'generated', 'codes.js'))) + (await part(join(js, 'generated', 'abi.js'))),
  api: await part(join(js, 'api.js')),
};
console.log('size (production bundle: esbuild --bundle --minify, gzip -9)');
console.log(`  default import, every dashboard function  ${kb(sizes.dashboard.gz).padStart(8)}   budget <= 20.0 KB   ${judge(sizes.dashboard.gz <= 20 * 1024)}`);
console.log(`    of which the module: ${kb(main.wasm)} raw, ${kb(main.wasmGz)} gzipped as a file, ${kb(main.inlinedGz)} gzipped as inlined deflate+base64`);
console.log(`    and the JS: wasm-bindgen glue ${kb(parts.glue)}, code tables ${kb(parts.tables)}, API ${kb(parts.api)}, tiny-inflate's inflater about 1.3 KB`);
// The floor of this layout: the same bundle with the module's bytes left out (the JS as it is
// bundled), and the module's data alone (names, rule columns, texts, policy tables).
const jsAlone = gzipSync(Buffer.from(withoutModule(sizes.dashboard.bytes.toString())), { level: 9 }).length;
const dataGz = gzipSync(main.data, { level: 9 }).length;
console.log(`    floor with no code in the module: the bundle's JS ${kb(jsAlone)} + the module's data ${kb(main.data.length)} raw, ${kb(dataGz)} gzipped = ${kb(jsAlone + dataGz)}`);
console.log(`  checkAction alone                         ${kb(sizes.one.gz).padStart(8)}`);
console.log(`  nova-states/describe, everything          ${kb(sizes.describe.gz).padStart(8)}   budget <= 50.0 KB   ${judge(sizes.describe.gz <= 50 * 1024)}`);
console.log('  for scale: XState core 12-15 KB, zod/mini 5 KB');

// --- Speed -----------------------------------------------------------------------------------
// Servers as Nova's API returns them from GET /servers/detail at a recent microversion (about
// 1.6 KB of JSON each). Every vm state appears; most servers are idle, one in ten runs a task
// it can run in its vm state (as Nova's own rules table says), one in a hundred carries a task
// Nova never shows with that state (a validation finding).
const vms = ns.vmStates();
const allTasks = ns.taskStates();
const tasksIn = new Map(vms.map((vm) => [vm, [...new Set(describe.actions().filter((a) => a.vmStates.includes(vm) && a.setsTask).map((a) => a.setsTask))]]));
function server(i) {
  const vm = vms[i % vms.length];
  const running = tasksIn.get(vm);
  let task = null;
  if (i % 100 === 7) task = allTasks[i % allTasks.length];
  else if (i % 10 === 3 && running.length > 0) task = running[i % running.length];
  const id = `2f0e${i.toString(16).padStart(4, '0')}-8b1c-4d9a-9a57-0c3d1e2f4a5b`;
  const link = (rel, href) => ({ rel, href });
  return {
    id,
    name: `web-${i}`,
    status: ns.statusOf(vm, task),
    tenant_id: '6f70656e737461636b20342065766572',
    user_id: 'fake-user-0001',
    metadata: { role: 'web', tier: String(i % 3) },
    hostId: 'a9b6d3c0e1f24b5c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e',
    image: { id: '70a599e0-31e7-49b7-b260-868f441e862b', links: [link('bookmark', 'http://openstack.example.com/images/70a599e0')] },
    flavor: { vcpus: 2, ram: 4096, disk: 40, ephemeral: 0, swap: 0, original_name: 'm1.medium', extra_specs: { 'hw:cpu_policy': 'shared' } },
    created: '2026-01-02T03:04:05Z',
    updated: '2026-01-02T03:05:06Z',
    addresses: { private: [{ addr: `10.0.${i >> 8}.${i & 255}`, version: 4, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:4c:2c:30' }] },
    accessIPv4: '',
    accessIPv6: '',
    links: [link('self', `http://openstack.example.com/v2.1/servers/${id}`), link('bookmark', `http://openstack.example.com/servers/${id}`)],
    'OS-DCF:diskConfig': 'AUTO',
    progress: 0,
    'OS-EXT-AZ:availability_zone': 'nova',
    config_drive: '',
    key_name: null,
    'OS-SRV-USG:launched_at': vm === 'building' ? null : '2026-01-02T03:04:55.000000',
    'OS-SRV-USG:terminated_at': null,
    'OS-EXT-SRV-ATTR:host': vm === 'shelved_offloaded' ? null : `compute-${i % 7}`,
    'OS-EXT-SRV-ATTR:instance_name': `instance-${i.toString(16).padStart(8, '0')}`,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': vm === 'shelved_offloaded' ? null : `compute-${i % 7}.example.com`,
    'OS-EXT-STS:task_state': task,
    'OS-EXT-STS:vm_state': vm,
    'OS-EXT-STS:power_state': ['active', 'rescued', 'resized', 'error'].includes(vm) ? 1 : vm === 'paused' ? 3 : vm === 'suspended' ? 7 : vm === 'building' ? 0 : 4,
    'os-extended-volumes:volumes_attached': [],
    security_groups: [{ name: 'default' }],
    locked: i % 5 === 0,
    locked_reason: i % 5 === 0 ? 'maintenance' : null,
    description: null,
    tags: [],
    trusted_image_certificates: null,
    host_status: 'UP',
    server_groups: [],
    pinned_availability_zone: null,
  };
}
const servers = Array.from({ length: 64 }, (_, i) => server(i));
const names = [...ns.ACTION_NAMES];

/** ns per call of `fn` over `n` calls, after a warm-up. */
function time(fn, n) {
  for (let i = 0; i < Math.min(n, 20000); i++) fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / n;
}
/** The best of 7 alternating rounds of each side, so a busy machine slows both alike. */
function pair(wasm, plain, n) {
  let w = Number.POSITIVE_INFINITY;
  let b = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 7; round++) {
    w = Math.min(w, time(wasm, n));
    b = Math.min(b, time(plain, n));
  }
  return [w, b];
}
let sink = 0;
const N = 100000;
/** A member of the servers' project, as a Keystone token lists the roles. */
const MEMBER = { credentials: { roles: ['member', 'reader'], projectId: '6f70656e737461636b20342065766572', userId: 'fake-user-0001' } };
/** The same member under a deployment's policy overrides (the describe entry's evaluator): one
 * object passed call after call, as a dashboard holds a pasted policy.yaml. */
const MEMBER_POLICY = {
  credentials: MEMBER.credentials,
  policy: {
    'os_compute_api:servers:start': 'rule:project_member_or_admin',
    'os_compute_api:servers:stop': 'rule:project_member_or_admin',
    'os_compute_api:os-pause-server:pause': 'role:member and project_id:%(project_id)s',
    'os_compute_api:os-lock-server:lock': 'rule:project_member_or_admin',
    'os_compute_api:servers:resize': 'role:admin or role:member',
  },
};
const EACH_MV = Array.from({ length: 101 }, (_, i) => ({ microversion: `2.${i + 1}` }));
const EACH_USER = Array.from({ length: 4096 }, (_, i) => ({ ...servers[i & 63], user_id: `user-${i}` }));
// Both sides answer alike: check a few before timing.
for (let i = 0; i < 200; i++) {
  const a = ns.checkAction(names[i % names.length], servers[i & 63]);
  const b = base.checkAction(names[i % names.length], servers[i & 63]);
  if (a.allowed !== b.allowed || a.denials.length !== b.denials.length) throw new Error(`baseline disagrees on ${names[i % names.length]} for server ${i & 63}`);
}
const rows = [
  ['checkAction', 2, ...pair(
    (i) => { sink += ns.checkAction(names[i % names.length], servers[i & 63]).denials.length; },
    (i) => { sink += base.checkAction(names[i % names.length], servers[i & 63]).denials.length; }, N)],
  ['checkAction, a member', 2, ...pair(
    (i) => { sink += ns.checkAction(names[i % names.length], servers[i & 63], MEMBER).denials.length; },
    (i) => { sink += base.checkActionAs(names[i % names.length], servers[i & 63], MEMBER.credentials).denials.length; }, N)],
  ['checkAction, a member with a policy', null, ...pair(
    (i) => { sink += describe.checkAction(names[i % names.length], servers[i & 63], MEMBER_POLICY).denials.length; },
    (i) => { sink += base.checkActionAs(names[i % names.length], servers[i & 63], MEMBER.credentials).denials.length; }, N)],
  // The main entry keeps its last decisions (exact: keyed by every number they depend on), so
  // the rows above, 64 servers checked again and again as a dashboard re-renders, mostly hit.
  // These two make every call within a round a new decision: 101 microversions, or 4096 users.
  ['checkAction, no repeats', null, ...pair(
    (i) => { sink += ns.checkAction(names[i % names.length], servers[i & 63], EACH_MV[i % 101]).denials.length; },
    (i) => { sink += base.checkAction(names[i % names.length], servers[i & 63], EACH_MV[i % 101]).denials.length; }, N)],
  ['checkAction, a member, no repeats', null, ...pair(
    (i) => { sink += ns.checkAction(names[i % names.length], EACH_USER[i & 4095], MEMBER).denials.length; },
    (i) => { sink += base.checkActionAs(names[i % names.length], EACH_USER[i & 4095], MEMBER.credentials).denials.length; }, N)],
  ['actionsFor', 1.5, ...pair(
    (i) => { sink += ns.actionsFor(servers[i & 63]).length; },
    (i) => { sink += base.actionsFor(servers[i & 63]).length; }, N / 50)],
  ['allowedActions', null, ...pair(
    (i) => { sink += ns.allowedActions(servers[i & 63]).length; },
    (i) => { sink += base.allowedActions(servers[i & 63]).length; }, N / 10)],
];
console.log('\nspeed (best of 7 alternating rounds; the baseline builds the same verdicts)');
for (const [label, budget, w, b] of rows) {
  const ratio = w / b;
  const judged = budget === null ? '(no budget)' : `budget <= ${budget}x   ${judge(ratio <= budget)}`;
  console.log(`  ${label.padEnd(36)} ${w.toFixed(0).padStart(6)} ns/call   plain JS ${b.toFixed(0).padStart(6)} ns/call   ratio ${ratio.toFixed(2)}x   ${judged}`);
}

// --- Batch -----------------------------------------------------------------------------------
const detail = { servers: Array.from({ length: 10000 }, (_, i) => server(i)) };
const text = JSON.stringify(detail);
function best(fn, runs = 7) {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    sink += fn().length;
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return min;
}
const tBase = best(() => JSON.parse(text).servers.map(base.validateServer));
const tParse = best(() => JSON.parse(text).servers);
const tText = best(() => describe.validateServersJson(text));
const tObjects = best(() => ns.validateServers(detail.servers));
const tParsed = best(() => ns.validateServers(JSON.parse(text).servers));
const rate = (ms) => `${((10000 / ms) * 1000 / 1e6).toFixed(2)} M servers/s`;
console.log(`\nbatch  10,000 servers, ${(text.length / 1e6).toFixed(1)} MB of JSON (best of 7)`);
console.log(`  baseline  JSON.parse + plain-JS validate      ${tBase.toFixed(1).padStart(7)} ms  ${rate(tBase)}   (JSON.parse alone ${tParse.toFixed(1)} ms)`);
console.log(`  wasm      describe.validateServersJson(text)  ${tText.toFixed(1).padStart(7)} ms  ${rate(tText)}   ratio ${(tText / tBase).toFixed(2)}x   budget <= 1x   ${judge(tText <= tBase)}`);
console.log(`  wasm      JSON.parse + validateServers        ${tParsed.toFixed(1).padStart(7)} ms  ${rate(tParsed)}   ratio ${(tParsed / tBase).toFixed(2)}x`);
console.log(`  wasm      validateServers(parsed objects)     ${tObjects.toFixed(1).padStart(7)} ms  ${rate(tObjects)}   (objects already parsed)`);

// --- Import to first answer, in a fresh Node process ------------------------------------------
const probe = (spec) => `const t0 = performance.now(); const m = await import(${JSON.stringify(spec)}); m.checkAction('pause', { vmState: 'active' }); console.log((performance.now() - t0).toFixed(1));`;
const first = (spec) => {
  const times = [];
  for (let r = 0; r < 5; r++) times.push(Number(spawnSync(process.execPath, ['--input-type=module', '-e', probe(spec)], { encoding: 'utf8' }).stdout));
  times.sort((a, b) => a - b);
  return `${times[0].toFixed(1)}-${times[4].toFixed(1)} ms (median ${times[2].toFixed(1)})`;
};
console.log('\nimport to first answer, fresh Node process (5 runs)');
console.log(`  nova-states            ${first('nova-states')}`);
console.log(`  nova-states/describe   ${first('nova-states/describe')}`);
console.log(`  baseline               ${first(fileURLToPath(new URL('./baseline.mjs', import.meta.url)).replace(/^/, 'file://'))}`);
if (sink === 0.5) console.log(sink);
process.exitCode = failed ? 1 : 0;
