// Bad input through the installed package: every case throws a TypeError or RangeError with a
// `code`, whose message names the bad value and what was expected, and the module keeps
// answering correctly afterwards (no trap, no poisoned instance).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ns from 'nova-states';
import * as describe from 'nova-states/describe';

const good = { 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, locked: false };
const CODES = ['ERR_NOVA_UNKNOWN_NAME', 'ERR_NOVA_OUT_OF_RANGE', 'ERR_NOVA_MALFORMED', 'ERR_NOVA_INVALID_ARG_TYPE'];

function assertStillWorks() {
  assert.equal(ns.checkAction('pause', good).allowed, true);
  assert.equal(ns.statusOf('stopped'), 'SHUTOFF');
  assert.equal(ns.allowedActions(good).includes('pause'), true);
}

function assertThrowsClean(fn, mentions, label) {
  let thrown;
  try { fn(); } catch (e) { thrown = e; }
  assert.ok(thrown, `${label}: expected an error, nothing was thrown`);
  assert.ok(thrown instanceof TypeError || thrown instanceof RangeError, `${label}: got ${thrown?.name}: ${thrown?.message}`);
  assert.ok(CODES.includes(thrown.code), `${label}: code ${thrown.code}`);
  assert.doesNotMatch(String(thrown.message), /unreachable|RuntimeError/);
  for (const m of mentions) assert.ok(thrown.message.includes(m), `${label}: message ${JSON.stringify(thrown.message.slice(0, 300))} should mention ${m}`);
  assertStillWorks();
  return thrown;
}

const NON_STRINGS = [
  [undefined, 'undefined'], [null, 'null'], [3, 'the number 3'], [NaN, 'the number NaN'],
  [Symbol('s'), 'a symbol'], [10n, 'a bigint'], [[], 'an array'], [() => 1, 'a function'], [{}, 'an object'], [true, 'true'],
];

test('name arguments of the wrong type say what came and what was expected', () => {
  for (const [value, said] of NON_STRINGS) {
    assertThrowsClean(() => ns.parseVmState(value), [said, 'active'], `parseVmState(${said})`);
    assertThrowsClean(() => ns.parseTaskState(value), [said, 'scheduling'], `parseTaskState(${said})`);
    assertThrowsClean(() => ns.parseStatus(value), [said, 'ACTIVE'], `parseStatus(${said})`);
    assertThrowsClean(() => ns.checkAction(value, good), [said, 'pause'], `checkAction(${said})`);
    assertThrowsClean(() => ns.statesForStatus(value), [said, 'ACTIVE'], `statesForStatus(${said})`);
    assertThrowsClean(() => describe.shortestPath(value, 'active'), [said, 'active'], `shortestPath(${said})`);
  }
});

test('every unknown name is a RangeError naming it and the valid ones', () => {
  const cases = [
    [() => ns.parseVmState('actve'), 'actve', 'active'],
    [() => ns.parseTaskState('rebooot'), 'rebooot', 'rebooting'],
    [() => ns.parseStatus('SHUTDOWN'), 'SHUTDOWN', 'SHUTOFF'],
    [() => ns.parsePowerState('off'), 'off', 'running'],
    [() => ns.parsePowerState(2), '2', 'running'],
    [() => ns.checkAction('paus', good), 'paus', 'pause'],
    [() => ns.statusOf('nope'), 'nope', 'active'],
    [() => ns.statusOf('active', 'nope'), 'nope', 'scheduling'],
    [() => ns.statesForStatus('nope'), 'nope', 'ACTIVE'],
    [() => describe.shortestPath('active', 'nope'), 'nope', 'active'],
    [() => ns.checkAction('pause', good, { microversion: '2.999' }), '2.999', '2.N'],
    [() => ns.checkAction('pause', good, { microversion: 'two' }), 'two', '2.N'],
  ];
  for (const [fn, bad, expected] of cases) {
    const e = assertThrowsClean(fn, [bad, expected], bad);
    if (e.code === 'ERR_NOVA_UNKNOWN_NAME') assert.ok(e instanceof RangeError);
  }
});

test('servers that are not records, wrong-shaped records and throwing getters', () => {
  for (const [value, said] of NON_STRINGS) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) continue;
    assertThrowsClean(() => ns.checkAction('pause', value), [said, 'server record'], `server ${said}`);
    assertThrowsClean(() => ns.allowedActions(value), [said, 'server record'], `allowedActions ${said}`);
    assertThrowsClean(() => ns.actionsFor(value), [said, 'server record'], `actionsFor ${said}`);
    assertThrowsClean(() => ns.isTransitional(value), [said, 'server record'], `isTransitional ${said}`);
    assertThrowsClean(() => ns.createChecker().checkAction('pause', value), [said, 'server record'], `checker ${said}`);
    assert.equal(ns.isServerRecord(value), false);
    const v = ns.validateServer(value);
    assert.equal(v.ok, false);
    assert.equal(v.diagnostics[0].code, 'malformed');
  }
  assertThrowsClean(() => ns.checkAction('pause', {}), ['server record'], 'empty object');
  assertThrowsClean(() => ns.actionsFor({}), ['server record'], 'actionsFor empty object');
  assertThrowsClean(() => ns.actionsFor({ 'OS-EXT-STS:vm_state': 'active', locked: 'yes' }), ['locked', 'yes', 'true or false'], 'actionsFor locked string');
  assertThrowsClean(() => ns.isTransitional({ 'OS-EXT-STS:vm_state': 'actve' }), ['actve', 'active'], 'isTransitional unknown vm state');
  assertThrowsClean(() => ns.createChecker({ microversion: '2.999' }), ['2.999', '2.N'], 'createChecker bad microversion');
  assertThrowsClean(() => ns.createChecker('admin'), ['options', 'the string "admin"'], 'createChecker options string');
  assert.equal(ns.isServerRecord({}), false);
  assert.equal(ns.isServerRecord({ 'OS-EXT-STS:vm_state': 'actve' }), false);
  assert.equal(ns.isServerRecord({ server: { status: 'ACTIVE' } }), true);
  assertThrowsClean(() => ns.checkAction('pause', { 'OS-EXT-STS:vm_state': 5 }), ['OS-EXT-STS:vm_state', 'the number 5', 'vm state'], 'vm_state number');
  assertThrowsClean(() => ns.checkAction('pause', { 'OS-EXT-STS:vm_state': 'active', locked: 'yes' }), ['locked', 'yes', 'true or false'], 'locked string');
  assertThrowsClean(() => ns.checkAction('pause', { 'OS-EXT-STS:vm_state': 'actve' }), ['actve', 'active'], 'unknown vm state');
  assertThrowsClean(() => ns.checkAction('pause', { 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': 2 }), ['2', 'running'], 'power 2');
  const throwing = { get 'OS-EXT-STS:vm_state'() { throw new Error('getter boom'); } };
  assertThrowsClean(() => ns.checkAction('pause', throwing), ['OS-EXT-STS:vm_state', 'getter boom'], 'throwing getter');
  const proxy = new Proxy({}, { get() { throw new TypeError('trap boom'); } });
  assertThrowsClean(() => ns.allowedActions(proxy), ['trap boom'], 'throwing proxy');
  assert.equal(ns.validateServer(throwing).diagnostics[0].code, 'malformed');
  assertThrowsClean(() => ns.checkAction('pause', good, 'admin'), ['options', 'the string "admin"'], 'options string');
  assertThrowsClean(() => ns.checkAction('pause', good, { admin: 'yes' }), ['options.admin', 'true or false'], 'admin string');
  assertThrowsClean(() => ns.validateServers('nope'), ['servers', 'array'], 'validateServers string');
});

test('a getter that calls nova-states again does not mix its record into the one being read', () => {
  const plain = { id: 'outer', 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, locked: true, 'OS-SRV-USG:launched_at': 'x', 'OS-EXT-SRV-ATTR:host': 'h' };
  const other = { id: 'inner', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': 'rebooting', locked: false };
  let nested;
  const reentrant = { ...plain, get locked() { nested = [ns.checkAction('unpause', other), ns.allowedActions(other), ns.validateServer(other)]; return true; } };
  for (const name of ['start', 'unpause', 'os-stop', 'delete']) {
    assert.deepEqual(ns.checkAction(name, reentrant), ns.checkAction(name, plain), name);
    assert.deepEqual(nested[0], ns.checkAction('unpause', other));
    assert.deepEqual(nested[1], ns.allowedActions(other));
  }
  assert.deepEqual(ns.allowedActions(reentrant), ns.allowedActions(plain));
  assert.deepEqual(ns.validateServer(reentrant), ns.validateServer(plain));
  // A revoked proxy is an object, not a crash.
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  assertThrowsClean(() => ns.checkAction('pause', { 'OS-EXT-STS:vm_state': 'active', locked: proxy }), ['locked', 'true or false'], 'revoked proxy value');
  assertThrowsClean(() => ns.checkAction('pause', proxy), ['server'], 'revoked proxy record');
  assert.equal(ns.checkAction('pause', plain).allowed, false);
});

test('1 MB strings are quoted short, deep nesting is refused, nothing hangs', () => {
  const big = 'x'.repeat(1 << 20);
  const e = assertThrowsClean(() => ns.parseVmState(big), ['xxxx', 'bytes', 'active'], '1 MB vm state');
  assert.ok(e.message.length < 2000, `message length ${e.message.length}`);
  assertThrowsClean(() => ns.checkAction(big, good), ['bytes'], '1 MB action');
  assertThrowsClean(() => ns.checkAction('pause', { 'OS-EXT-STS:vm_state': big }), ['bytes'], '1 MB in a record');
  assertThrowsClean(() => describe.validateServersJson('['.repeat(100000)), ['nested deeper'], '100000 [');
  assertThrowsClean(() => describe.validateServersJson('{"servers": [' + '{"a":'.repeat(50000)), ['nested deeper'], 'deep objects');
  assertThrowsClean(() => describe.validateServersJson('{"servers": [{]}'), ['invalid JSON'], 'broken JSON');
  assertThrowsClean(() => describe.validateServersJson('42'), ['the number 42', 'servers'], 'a number as JSON');
  assertThrowsClean(() => describe.validateServersJson(big), ['expected'], '1 MB garbage text');
  assertThrowsClean(() => describe.validateServersJson(undefined), ['undefined', 'JSON'], 'undefined text');
  let deep = []; for (let i = 0; i < 100000; i++) deep = [deep];
  assertThrowsClean(() => ns.checkAction('pause', deep), ['an array'], 'deep array as server');
  assert.equal(ns.validateServers([deep, good]).map((v) => v.ok).join(), 'false,true');
});

test('regression: a getter that makes wasm memory grow does not change the verdict being built', () => {
  // Before, the fast path decided on codes in scratch memory whose view a grown memory had
  // detached, and answered for the previous record: unpause on a stopped server was allowed.
  const active = { 'OS-EXT-STS:vm_state': 'paused', 'OS-EXT-STS:task_state': null };
  ns.checkAction('unpause', active);
  const huge = 'x'.repeat(48 << 20);
  const stopped = {
    'OS-EXT-STS:vm_state': 'stopped',
    get 'OS-EXT-STS:task_state'() {
      try { ns.parseVmState(huge); } catch { /* grows the module's memory */ }
      try { describe.validateServersJson(huge); } catch { /* and the describe module's */ }
      return null;
    },
  };
  const verdict = ns.checkAction('unpause', stopped);
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.denials[0].message, "Cannot 'unpause' instance <uuid> while it is in vm_state stopped");
  assert.equal(ns.actionsFor(stopped).find((a) => a.action === 'unpause').verdict.allowed, false);
  assert.equal(ns.allowedActions(stopped).includes('unpause'), false);
});

test("regression: every reader gives Nova's spelling precedence and reads an envelope's inner object", () => {
  const cases = [
    [{ 'OS-EXT-STS:vm_state': 'active', vmState: 'stopped' }, 'ACTIVE'],
    [{ vmState: 'stopped', 'OS-EXT-STS:vm_state': 'active' }, 'ACTIVE'],
    [{ server: { 'OS-EXT-STS:vm_state': 'stopped' }, 'OS-EXT-STS:vm_state': 'active' }, 'SHUTOFF'],
    [{ 'OS-EXT-STS:vm_state': 'active', server: { 'OS-EXT-STS:vm_state': 'stopped' } }, 'SHUTOFF'],
  ];
  for (const [record, status] of cases) {
    const label = JSON.stringify(record);
    assert.equal(ns.validateServer(record).status, status, `validateServer ${label}`);
    assert.equal(describe.validateServersJson(JSON.stringify([record]))[0].status, status, `validateServersJson ${label}`);
    assert.equal(ns.checkAction('os-start', record).allowed, status === 'SHUTOFF', `checkAction ${label}`);
  }
});
