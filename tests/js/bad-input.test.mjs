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

/** What `fn` throws, as its class, code and message (null when it throws nothing). */
function thrownBy(fn) {
  try {
    fn();
    return null;
  } catch (e) {
    return { name: e?.constructor?.name, code: e?.code, message: e?.message };
  }
}

test("describe's options of the wrong type throw what the main entry throws for them", () => {
  const credentials = { roles: ['member'], projectId: 'p1', userId: 'u1' };
  const WRONG = [['yes', 'a string'], [1, 'a number'], [true, 'true'], [{}, 'an object'], [[], 'an array'], [() => 1, 'a function'], [Symbol('s'), 'a symbol'], [10n, 'a bigint'], [NaN, 'NaN']];
  const cases = [];
  for (const [value, said] of WRONG) {
    // The value's kind: `typeof`, with arrays apart.
    const kind = Array.isArray(value) ? 'array' : typeof value;
    const typed = (label, options, ...kinds) => {
      if (kinds.includes(kind)) cases.push([`${label} ${said}`, options]);
    };
    const ALL = ['string', 'number', 'boolean', 'object', 'array', 'function', 'symbol', 'bigint'];
    const but = (...valid) => ALL.filter((k) => !valid.includes(k));
    typed('options', value, ...but('object'));
    typed('admin', { admin: value }, ...but('boolean'));
    for (const key of ['release', 'maxMicroversion', 'microversion']) typed(key, { [key]: value }, ...but('string'));
    typed('credentials', { credentials: value }, ...but('object'));
    typed('admin with credentials', { admin: value, credentials }, ...ALL);
    typed('roles', { credentials: { ...credentials, roles: value } }, ...but('array'));
    typed('a role', { credentials: { ...credentials, roles: ['reader', value] } }, ...but('string'));
    for (const key of ['projectId', 'userId', 'systemScope', 'domainId']) {
      typed(key, { credentials: { ...credentials, [key]: value } }, ...but('string'));
    }
    typed('policy', { credentials, policy: value }, ...but('object'));
    typed('a check string', { credentials, policy: { 'os_compute_api:servers:start': value } }, ...but('string'));
    for (const key of ['enforceNewDefaults', 'enforceScope']) typed(key, { credentials, [key]: value }, ...but('boolean'));
  }
  // Values of the right type the core refuses, and the order of the main entry's reads.
  cases.push(
    ['release unknown', { release: '2099.1' }],
    ['maxMicroversion unknown', { maxMicroversion: '3.x' }],
    ['microversion out of range', { microversion: '2.999' }],
    ['a check string undefined', { credentials, policy: { 'os_compute_api:servers:start': undefined } }],
    ['a rule named ""', { credentials, policy: { '': 'role:admin' } }],
    ['systemScope not all', { credentials: { ...credentials, systemScope: 'project' } }],
    ['admin false with credentials', { admin: false, credentials }],
    ['admin and microversion wrong', { admin: 'yes', microversion: 2 }],
    ['release and credentials wrong', { release: 5, credentials: 'x' }],
    ['roles and projectId wrong', { credentials: { roles: 'member', projectId: 1 } }],
    ['policy value and enforceScope wrong', { credentials, policy: { a: 1 }, enforceScope: 'no' }],
  );
  assert.ok(cases.length >= 140, `${cases.length} cases`);
  for (const [label, options] of cases) {
    const expected = thrownBy(() => describe.checkAction('pause', good, options));
    assert.ok(expected && ['TypeError', 'RangeError'].includes(expected.name) && CODES.includes(expected.code), `${label}: the main entry throws ${JSON.stringify(expected)}`);
    assert.deepEqual(thrownBy(() => ns.checkAction('pause', good, options)), expected, `${label}: the main module's entry`);
    assert.deepEqual(thrownBy(() => describe.toDot(options)), expected, `toDot, ${label}`);
    assert.deepEqual(thrownBy(() => describe.toMermaid(options)), expected, `toMermaid, ${label}`);
    assert.deepEqual(thrownBy(() => describe.shortestPath('active', 'stopped', options)), expected, `shortestPath, ${label}`);
  }
  assertStillWorks();
  assert.equal(describe.shortestPath('active', 'stopped', { credentials }).length, 1);
});

test("describe's own start options of the wrong type say so", () => {
  const cases = [
    [{ locked: 'yes' }, ['options.locked', 'true or false', 'the string "yes"']],
    [{ taskState: 1 }, ['options.taskState', 'the number 1', 'scheduling']],
    [{ taskState: 'nope' }, ['nope', 'scheduling']],
    [{ launched: 'yes' }, ['options.launched', 'true or false']],
    [{ host: 1 }, ['options.host', 'the number 1']],
  ];
  for (const [options, mentions] of cases) {
    assertThrowsClean(() => describe.toDot(options), mentions, `toDot ${JSON.stringify(options)}`);
    assertThrowsClean(() => describe.shortestPath('active', 'stopped', options), mentions, `shortestPath ${JSON.stringify(options)}`);
  }
});
