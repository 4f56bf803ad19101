// The installed npm package, imported by name as a user does: every export, every
// (action, vm state, task state) through a Nova-shaped record against an expectation derived
// independently from actions(), the facts that matter, and the bundled Nova API samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ns from 'nova-states';
import * as describe from 'nova-states/describe';
import { inlinedModule } from '../../bench/entries.mjs';

const samplesDir = fileURLToPath(new URL('../../../shared/samples/nova-api/', import.meta.url));

const EXPORTS = [
  'vmStates', 'taskStates', 'statuses', 'powerStates', 'parseVmState', 'parseTaskState', 'parsePowerState',
  'parseStatus', 'checkAction', 'allowedActions', 'actionsFor', 'createChecker', 'isTransitional',
  'isServerRecord', 'statusOf', 'statesForStatus', 'validateServer', 'validateServers',
];
const DESCRIBE_EXPORTS = ['actions', 'model', 'transitions', 'shortestPath', 'toDot', 'toMermaid', 'validateServersJson'];

const minor = (v) => Number(v.split('.')[1]);

/** Whether an action's rules (as actions() states them) accept these facts. */
function expectAllowed(info, { vm, task, launched, locked, host, admin = false, microversion = '2.104' }) {
  const mv = minor(microversion);
  const reachable = info.rest.some((r) => minor(r.minMicroversion) <= mv && (r.maxMicroversion === null || mv <= minor(r.maxMicroversion)) && r.releases.includes('2026.2'));
  return reachable
    && info.vmStates.includes(vm)
    && info.vmStatesSince.every((since) => !since.vmStates.includes(vm) || minor(since.microversion) <= mv)
    && (info.taskStates === null || info.taskStates.includes(task))
    && (!info.needsLaunched || launched)
    && (!info.checksLock || !locked || admin)
    && (!info.needsHost || host || info.hostNotNeededIn.includes(vm));
}

function novaRecord({ vm, task, launched = true, locked = false, host = true }) {
  return {
    'OS-EXT-STS:vm_state': vm,
    'OS-EXT-STS:task_state': task,
    locked,
    'OS-SRV-USG:launched_at': launched ? '2026-01-01T00:00:00.000000' : null,
    'OS-EXT-SRV-ATTR:host': host ? 'compute-1' : null,
  };
}

test('the package exports every function of the contract, ready on import, with no init call', () => {
  assert.deepEqual(Object.keys(ns).filter((k) => typeof ns[k] === 'function').sort(), [...EXPORTS].sort());
  const constants = ['ACTION_NAMES', 'RELEASE_NAMES', 'STATUSES', 'TASK_STATES', 'VM_STATES'];
  assert.deepEqual(Object.keys(ns).sort(), [...EXPORTS, ...constants].sort());
  assert.deepEqual(Object.keys(describe).sort(), [...EXPORTS, ...DESCRIBE_EXPORTS, ...constants].sort(), 'describe has the main API too');
  for (const name of ['ACTION_NAMES', 'VM_STATES', 'TASK_STATES', 'STATUSES']) {
    assert.ok(Object.isFrozen(ns[name]), `${name} is a frozen constant`);
  }
  assert.deepEqual([...ns.VM_STATES], ns.vmStates());
  assert.deepEqual([...ns.TASK_STATES], ns.taskStates());
  assert.deepEqual([...ns.STATUSES], ns.statuses());
  assert.deepEqual([...ns.ACTION_NAMES], describe.actions().map((a) => a.name));
});

test('the describe module has no test-only export (the core\'s own check is the tests\' module)', () => {
  const { bytes } = inlinedModule('nova-states/describe');
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
  assert.ok(exports.includes('toDot') && exports.includes('validateServersJson'), 'the describe module');
  for (const name of ['checkRecord', 'validateRecord']) assert.equal(exports.includes(name), false, `the describe module exports ${name}`);
});

test('vocabularies: 12 vm states, task states, statuses with UNKNOWN, power states with codes', () => {
  assert.equal(ns.vmStates().length, 12);
  assert.ok(ns.vmStates().includes('soft-delete'));
  assert.ok(ns.taskStates().includes('powering-off'));
  assert.ok(ns.statuses().includes('UNKNOWN'));
  assert.deepEqual(ns.powerStates().map((p) => p.code), [0, 1, 3, 4, 6, 7]);
  for (const vm of ns.vmStates()) assert.equal(ns.parseVmState(vm), vm);
  for (const t of ns.taskStates()) assert.equal(ns.parseTaskState(t), t);
  for (const s of ns.statuses()) assert.equal(ns.parseStatus(s), s);
  for (const p of ns.powerStates()) {
    assert.deepEqual(ns.parsePowerState(p.name), p);
    assert.deepEqual(ns.parsePowerState(p.code), p);
  }
});

test('every action × vm state × task state (and none) through a Nova record matches actions()', () => {
  const infos = describe.actions();
  assert.deepEqual(infos.map((i) => i.name), [...ns.ACTION_NAMES]);
  let checked = 0;
  for (const info of infos) {
    for (const vm of ns.vmStates()) {
      for (const task of [null, ...ns.taskStates()]) {
        const facts = { vm, task, launched: true, locked: false, host: true };
        const verdict = ns.checkAction(info.name, novaRecord(facts));
        const want = expectAllowed(info, facts);
        if (verdict.allowed !== want) {
          assert.fail(`${info.name} on vm ${vm} task ${task}: expected allowed=${want}, got ${JSON.stringify(verdict)}`);
        }
        assert.equal(verdict.denials.length === 0, verdict.allowed);
        checked++;
      }
    }
    // allowedActions agrees with checkAction on one idle record per vm state.
  }
  assert.equal(checked, infos.length * 12 * (ns.taskStates().length + 1));
  for (const vm of ns.vmStates()) {
    const record = novaRecord({ vm, task: null });
    const expected = infos.filter((i) => expectAllowed(i, { vm, task: null, launched: true, locked: false, host: true })).map((i) => i.name);
    assert.deepEqual(ns.allowedActions(record), expected, `allowedActions for ${vm}`);
  }
});

test('locked, admin, host, launched and microversion change verdicts as actions() says', () => {
  const infos = describe.actions();
  const variants = [
    { locked: true }, { locked: true, admin: true }, { host: false }, { launched: false },
    { microversion: '2.1' }, { microversion: '2.43' }, { microversion: '2.44' }, { microversion: '2.47' }, { microversion: '2.48' },
  ];
  for (const info of infos) {
    for (const vm of ns.vmStates()) {
      for (const v of variants) {
        const facts = { vm, task: null, launched: true, locked: false, host: true, ...v };
        // The table's guards alone: an evacuate that names a target host (without one, a
        // server with no host is Nova's 400, tested below).
        const options = { admin: facts.admin ?? false, microversion: facts.microversion ?? '2.104', targetHost: true };
        const verdict = ns.checkAction(info.name, novaRecord(facts), options);
        assert.equal(verdict.allowed, expectAllowed(info, facts), `${info.name} ${vm} ${JSON.stringify(v)}`);
      }
    }
  }
  const lockedPause = ns.checkAction('pause', novaRecord({ vm: 'active', task: null, locked: true }));
  assert.equal(lockedPause.denials[0].kind, 'locked');
  assert.equal(lockedPause.denials[0].httpStatus, 409);
  assert.equal(ns.checkAction('add_fixed_ip', novaRecord({ vm: 'active', task: null })).denials[0].kind, 'microversion');
});

test('REST names, the envelope, the plain form and assumptions', () => {
  const stopped = novaRecord({ vm: 'stopped', task: null });
  assert.equal(ns.checkAction('os-start', stopped).action, 'start');
  assert.equal(ns.checkAction('os-start', { server: stopped }).allowed, true);
  const plain = ns.checkAction('pause', { vmState: 'active' });
  assert.equal(plain.allowed, true);
  assert.deepEqual(plain.assumptions.map((a) => a.field).sort(),
    ['OS-EXT-SRV-ATTR:host', 'OS-EXT-STS:task_state', 'OS-SRV-USG:launched_at', 'locked']);
  const refused = ns.checkAction('pause', stopped);
  assert.equal(refused.denials[0].message, "Cannot 'pause' instance <uuid> while it is in vm_state stopped");
});

test('status map, status filter, graph, paths, exports and model', () => {
  assert.equal(ns.statusOf('active'), 'ACTIVE');
  assert.equal(ns.statusOf('active', 'rebooting'), 'REBOOT');
  assert.equal(ns.statusOf('stopped', null), 'SHUTOFF');
  assert.deepEqual(ns.statesForStatus('shutoff').vmStates, ['stopped']);
  const t = describe.transitions();
  assert.ok(t.some((e) => e.from === 'active' && e.to === 'paused' && e.action === 'pause'));
  for (const e of t) assert.deepEqual(Object.keys(e).sort(), ['action', 'from', 'to', 'via', 'when']);
  assert.deepEqual(describe.shortestPath('active', 'active'), []);
  assert.deepEqual(describe.shortestPath('active', 'paused'), ['pause']);
  assert.equal(describe.shortestPath('active', 'paused', { locked: true }), null);
  assert.ok(describe.toDot().startsWith('digraph'));
  assert.ok(describe.toMermaid({ admin: true }).startsWith('flowchart LR'));
  const m = describe.model();
  assert.equal(m.maxMicroversion, '2.104');
  assert.equal(m.actions.length, ns.ACTION_NAMES.length);
});

test('Nova\'s API samples, when ../shared is beside the clone, validate and check as INDEX.json says', (t) => {
  if (!existsSync(samplesDir)) return t.skip('no ../shared/samples beside this clone');
  const index = JSON.parse(readFileSync(samplesDir + 'INDEX.json', 'utf8'));
  const files = readdirSync(samplesDir).filter((f) => f.endsWith('.json') && f !== 'INDEX.json');
  assert.ok(files.length >= 10, `samples found in ${samplesDir}`);
  for (const file of files) {
    const text = readFileSync(samplesDir + file, 'utf8');
    const doc = JSON.parse(text);
    const servers = doc.servers ?? [doc.server];
    const viaObjects = ns.validateServers(servers);
    assert.equal(viaObjects.length, servers.length);
    if (doc.servers) assert.deepEqual(describe.validateServersJson(text), viaObjects, file);
    servers.forEach((s, i) => {
      assert.equal(viaObjects[i].status, s.status, `${file}[${i}] status`);
      assert.deepEqual(ns.validateServer(s), viaObjects[i]);
      const vm = s['OS-EXT-STS:vm_state'];
      const expected = describe.actions().filter((a) => expectAllowed(a, {
        vm, task: s['OS-EXT-STS:task_state'], launched: !!s['OS-SRV-USG:launched_at'],
        locked: s.locked === true, host: s['OS-EXT-SRV-ATTR:host'] !== null,
      })).map((a) => a.name);
      assert.deepEqual(ns.allowedActions(s), expected, `${file}[${i}] allowed actions`);
    });
    const entry = JSON.stringify(index).includes(file.replace(/^.*?_/, '')) ;
    assert.ok(entry, `${file} listed in INDEX.json`);
  }
});

test('the .d.ts unions list exactly the runtime vocabularies', () => {
  const dts = readFileSync(fileURLToPath(import.meta.resolve('nova-states/package.json')).replace('package.json', 'index.d.ts'), 'utf8');
  const union = (name) => {
    const m = dts.match(new RegExp(`export type ${name} = ([^;]+);`));
    assert.ok(m, `union ${name} in the .d.ts`);
    return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
  };
  assert.deepEqual(union('VmState'), ns.vmStates());
  assert.deepEqual(union('TaskState'), ns.taskStates());
  assert.deepEqual(union('Status'), ns.statuses());
  assert.deepEqual(union('ActionName'), describe.actions().map((a) => a.name));
  const rest = [...new Set(describe.actions().flatMap((a) => a.rest.map((r) => r.name)))].filter((n) => !union('ActionName').includes(n));
  assert.deepEqual(union('RestActionName'), rest);
  assert.deepEqual(union('Reason'), ['locked', 'no-host', 'not-launched', 'vm-state', 'vm-state-microversion', 'task-state', 'microversion', 'not-found', 'not-visible', 'policy', 'policy-undecided']);
  assert.doesNotMatch(dts, /:\s*any\b|<any>|any\[\]/, 'no bare any in the .d.ts');
});

test('validateServersJson reads non-ASCII text and lone surrogates as JSON.parse does', () => {
  const servers = Array.from({ length: 3000 }, (_, i) => ({
    id: `id-${i}`,
    name: i % 2 ? `sérveur-${i} 😀` : `lone \ud800 surrogate ${i}`,
    'OS-EXT-STS:vm_state': ns.vmStates()[i % 12],
    'OS-EXT-STS:task_state': null,
    status: ns.statusOf(ns.vmStates()[i % 12], null),
  }));
  const text = JSON.stringify({ servers });
  const fromText = describe.validateServersJson(text);
  assert.equal(fromText.length, servers.length);
  assert.deepEqual(fromText, ns.validateServers(JSON.parse(text).servers));
  assert.ok(fromText.every((v) => v.ok), 'every record validates');
  // A non-ASCII prefix makes the first, ASCII-sized copy fall short: the rest must follow.
  const accented = `{"servers": [{"name": "${'é'.repeat(5000)}", "OS-EXT-STS:vm_state": "paused"}]}`;
  assert.equal(describe.validateServersJson(accented)[0].status, 'PAUSED');
});

test('releases: chosen by name or by the cloud max microversion, with their own rules', () => {
  assert.deepEqual([...ns.RELEASE_NAMES], ['2023.1', '2023.2', '2024.1', '2024.2', '2025.1', '2025.2', '2026.1', '2026.2']);
  const active = novaRecord({ vm: 'active', task: null });
  // get_rdp_console exists until 2023.2; from 2024.1 its handler answers 400.
  assert.equal(ns.checkAction('get_rdp_console', active, { release: '2023.2' }).allowed, true);
  const gone = ns.checkAction('get_rdp_console', active, { release: '2024.1' });
  assert.equal(gone.allowed, false);
  assert.equal(gone.denials[0].httpStatus, 400);
  // The cloud's max microversion selects the release: 2.95 is 2023.2, 2.96 is 2024.2.
  assert.equal(ns.checkAction('get_rdp_console', active, { maxMicroversion: '2.95' }).allowed, true);
  assert.equal(ns.checkAction('get_rdp_console', active, { maxMicroversion: '2.96' }).allowed, false);
  // A microversion above the release's newest is refused.
  const above = ns.checkAction('pause', active, { release: '2023.1', microversion: '2.100' });
  assert.equal(above.allowed, false);
  assert.equal(above.denials[0].kind, 'microversion');
  // "latest" is the release's newest.
  assert.equal(ns.checkAction('pause', active, { release: '2023.1', microversion: 'latest' }).allowed, true);
  // The fast path and createChecker agree with the option.
  const checker = ns.createChecker({ release: '2023.1' });
  assert.deepEqual(checker.allowedActions(active), ns.allowedActions(active, { release: '2023.1' }));
  assert.deepEqual(ns.actionsFor(active, { release: '2024.1' }).find((a) => a.action === 'get_rdp_console').verdict, gone);
});

test('unknown releases and malformed maximum microversions are clear errors', () => {
  const active = novaRecord({ vm: 'active', task: null });
  assert.throws(() => ns.checkAction('pause', active, { release: '2019.1' }), (e) => e instanceof RangeError && e.message.includes('"2019.1"') && e.message.includes('2026.2'));
  assert.throws(() => ns.checkAction('pause', active, { maxMicroversion: 'two' }), (e) => e.message.includes('"two"') && e.message.includes('2.N'));
  assert.throws(() => ns.checkAction('pause', active, { maxMicroversion: '2.200' }), (e) => e.message.includes('2.200'));
  assert.throws(() => ns.createChecker({ release: 2024 }), (e) => e instanceof TypeError && e.message.includes('options.release') && e.message.includes('the number 2024'));
  assert.equal(ns.checkAction('pause', active).allowed, true);
});

test('request-body facts are options: evacuate without a target host, unshelve to a zone', () => {
  const noHost = { 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, 'OS-EXT-SRV-ATTR:host': null, id: 'x1' };
  // A dashboard's default evacuate request names no target host: that is what is assumed.
  const byDefault = ns.checkAction('evacuate', noHost, { admin: true });
  assert.equal(byDefault.denials[0].message, "The target host can't be the same one.");
  assert.ok(byDefault.assumptions.some((a) => a.field === 'targetHost'), 'the default is listed as an assumption');
  const refused = ns.checkAction('evacuate', noHost, { admin: true, targetHost: false });
  assert.ok(!refused.assumptions.some((a) => a.field === 'targetHost'), 'said, not assumed');
  assert.equal(refused.allowed, false);
  assert.equal(refused.denials[0].message, "The target host can't be the same one.");
  assert.equal(refused.denials[0].httpStatus, 400);
  assert.equal(ns.checkAction('evacuate', noHost, { admin: true, targetHost: true }).allowed, true);
  const shelved = novaRecord({ vm: 'shelved', task: null });
  const toZone = ns.checkAction('unshelve', { ...shelved, id: 'x2' }, { unshelveDestination: true });
  assert.equal(toZone.allowed, false);
  assert.match(toZone.denials.at(-1).message, /Specifying an availability zone or a host when unshelving server "x2"/);
  assert.equal(ns.checkAction('unshelve', novaRecord({ vm: 'shelved_offloaded', task: null, host: false }), { unshelveDestination: true }).allowed, true);
  assert.equal(ns.actionsFor(noHost, { admin: true, targetHost: false }).find((a) => a.action === 'evacuate').verdict.allowed, false);
  assert.equal(ns.createChecker({ admin: true, targetHost: true }).allowedActions(noHost).includes('evacuate'), true);
  assert.throws(() => ns.checkAction('evacuate', noHost, { targetHost: 'yes' }), (e) => e instanceof TypeError && e.message.includes('options.targetHost'));
});
