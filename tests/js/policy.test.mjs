// Who asks, through the package: the main entry (Nova's defaults from tables) and the describe
// entry (the exact evaluator, and overrides) against the Rust core's verdicts, which
// tests/policy_oracle.rs holds equal to Nova executed (tests/oracle/policy-VERSION.json):
// every release × every persona the oracle ran × every action × states that reach the policy
// (idle, stopped, locked) × the server in the persona's project or another one. Then the
// snapshots' override cases, and bad credentials and policies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as main from '../../wasm/js/index.js';
import * as describe from '../../wasm/js/describe.js';
import { checkRecord } from './core.mjs';
import { valuesOf } from './values.mjs';

const oracle = new URL('../oracle/', import.meta.url);
const snapshots = readdirSync(oracle).filter((f) => /^policy-[\d.]+\.json$/.test(f)).map((f) => JSON.parse(readFileSync(new URL(f, oracle), 'utf8')));


/** A persona of the oracle as the JS contract takes it. */
const credentialsOf = (p) => ({ roles: p.roles, projectId: p.project_id, userId: p.user_id, systemScope: p.system_scope });

test('every release, persona and action: the package answers as the core', () => {
  assert.equal(snapshots.length, 8, 'a snapshot per release');
  let compared = 0;
  for (const snap of snapshots) {
    const release = snap.series;
    for (const name of snap.persona_order) {
      const persona = snap.personas[name];
      const credentials = credentialsOf(persona);
      const checker = main.createChecker({ release, credentials });
      for (const vm of ['active', 'stopped', 'shelved_offloaded']) {
        for (const locked of [false, true]) {
          for (const project of [persona.project_id ?? 'p-none', 'someone-elses-project']) {
            const server = { id: 's1', 'OS-EXT-STS:vm_state': vm, 'OS-EXT-STS:task_state': null, locked, tenant_id: project, user_id: 'owner-user' };
            const every = checker.actionsFor(server);
            for (const { action, verdict } of every) {
              const core = checkRecord(action, valuesOf(server), { release, credentials });
              assert.deepEqual(verdict, core, `${release} ${name} ${action} on ${vm}${locked ? ' locked' : ''} of ${project}`);
              compared++;
            }
            assert.deepEqual(describe.actionsFor(server, { release, credentials }), every, `${release} ${name}: describe agrees`);
          }
        }
      }
    }
  }
  assert.ok(compared >= 8 * 12 * 60 * 12, `compared ${compared}`);
});

test("the snapshots' overrides: the describe entry evaluates them as the core", () => {
  let compared = 0;
  for (const snap of snapshots) {
    for (const o of snap.overrides) {
      if (!o.policy) continue;
      const options = { release: snap.series, policy: o.policy };
      if (o.options?.enforce_new_defaults === false) options.enforceNewDefaults = false;
      if (o.options?.enforce_scope === false) options.enforceScope = false;
      if (o.absent_options) {
        // The release's oslo.policy has no such option: an error naming it, in both entries.
        const credentials = credentialsOf(snap.personas['project-member']);
        for (const entry of [main, describe]) {
          assert.throws(() => entry.checkAction('stop', { 'OS-EXT-STS:vm_state': 'active' }, { ...options, credentials }),
            (e) => e instanceof RangeError && e.message.includes('enforce_scope') && e.message.includes('2026.2'), `${snap.series} ${o.case}`);
        }
        compared++;
        continue;
      }
      for (const name of o.personas ?? []) {
        const credentials = credentialsOf(snap.personas[name]);
        const server = { id: 's1', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, tenant_id: snap.personas['project-member'].project_id, user_id: 'owner-user' };
        for (const { action, verdict } of describe.actionsFor(server, { ...options, credentials })) {
          assert.deepEqual(verdict, checkRecord(action, valuesOf(server), { ...options, credentials }), `${snap.series} ${o.case} ${name} ${action}`);
          compared++;
        }
      }
    }
  }
  assert.ok(compared > 1000, `compared ${compared}`);
});

test('the installed main entry answers the defaults and says where overrides are evaluated', async () => {
  const installed = await import('nova-states');
  const reader = { roles: ['reader'], projectId: 'p1', userId: 'u1' };
  const stopped = { id: 's1', 'OS-EXT-STS:vm_state': 'stopped', tenant_id: 'p1' };
  const v = installed.checkAction('os-stop', stopped, { credentials: reader });
  // Policy (403) before the state check (409), as Nova's router runs them.
  assert.deepEqual(v.denials.map((d) => d.httpStatus), [403, 409]);
  assert.equal(v.denials[0].message, "Policy doesn't allow os_compute_api:servers:stop to be performed.");
  assert.equal(v.denials[0].rule, 'os_compute_api:servers:stop');
  assert.throws(() => installed.checkAction('os-stop', stopped, { credentials: reader, policy: { 'os_compute_api:servers:stop': '@' } }),
    (e) => e.code === 'ERR_NOVA_NEEDS_EVALUATOR' && e.message.includes('nova-states/describe'));
  assert.throws(() => installed.checkAction('os-stop', stopped, { credentials: reader, admin: true }), (e) => e.message.includes('options.admin') && e.message.includes('options.credentials'));
  // enforce_scope off (2023.1 to 2026.1): the scope check is the evaluator's, so describe's.
  const systemAdmin = { roles: ['admin', 'member', 'reader'], systemScope: 'all', userId: 'u9' };
  const active = { ...stopped, 'OS-EXT-STS:vm_state': 'active' };
  assert.throws(() => installed.checkAction('os-stop', active, { release: '2025.1', credentials: systemAdmin, enforceScope: false }),
    (e) => e.code === 'ERR_NOVA_NEEDS_EVALUATOR' && e.message.includes('options.enforceScope'));
  assert.equal(installed.checkAction('os-stop', active, { release: '2025.1', credentials: systemAdmin }).denials[0]?.rule, 'os_compute_api:servers:stop');
  // The installed describe entry takes them.
  const { checkAction } = await import('nova-states/describe');
  assert.equal(checkAction('os-stop', { ...stopped, 'OS-EXT-STS:vm_state': 'active' }, { credentials: reader, policy: { 'os_compute_api:servers:stop': 'role:reader' } }).allowed, true);
  assert.equal(checkAction('os-stop', active, { release: '2025.1', credentials: systemAdmin, enforceScope: false }).allowed, true);
  assert.equal(checkAction('os-stop', active, { release: '2025.1', credentials: systemAdmin, enforceScope: true }).allowed, false);
  assert.throws(() => checkAction('os-stop', active, { credentials: systemAdmin, enforceScope: 'no' }), (e) => e instanceof TypeError && e.message.includes('options.enforceScope'));
});

test('credentials without roles are a token with no roles, call after call, and a mutated object is read again', () => {
  const server = { id: 's1', 'OS-EXT-STS:vm_state': 'active', tenant_id: 'p1' };
  const credentials = { projectId: 'p1', userId: 'u1' };
  for (let i = 0; i < 3; i++) {
    const v = main.checkAction('pause', server, { credentials });
    assert.deepEqual(v.denials.map((d) => [d.reason, d.rule]), [['policy', 'os_compute_api:os-pause-server:pause']]);
  }
  credentials.roles = ['member'];
  assert.equal(main.checkAction('pause', server, { credentials }).allowed, true);
  credentials.roles.push('reader');
  assert.equal(main.checkAction('pause', server, { credentials }).allowed, true);
  credentials.roles = ['reader'];
  assert.equal(main.checkAction('pause', server, { credentials }).allowed, false);
});

test('bad credentials and policies are errors naming the value; the module keeps working', () => {
  const server = { 'OS-EXT-STS:vm_state': 'active' };
  const bad = [
    [{ credentials: 'admin' }, 'options.credentials'],
    [{ credentials: { roles: 'admin' } }, 'options.credentials.roles'],
    [{ credentials: { roles: [1] } }, 'options.credentials.roles'],
    [{ credentials: { roles: [], projectId: 7 } }, 'options.credentials.projectId'],
    [{ credentials: { roles: [], systemScope: 'domain' } }, 'systemScope'],
    [{ credentials: { roles: [] }, policy: 'x' }, 'options.policy'],
    [{ credentials: { roles: [] }, policy: { 'os_compute_api:servers:stop': 5 } }, 'os_compute_api:servers:stop'],
    [{ credentials: { roles: [] }, policy: { '': '@' } }, 'empty'],
    [{ credentials: { roles: [] }, enforceNewDefaults: 'no' }, 'options.enforceNewDefaults'],
    [{ lockedBy: 'someone' }, 'options.lockedBy'],
  ];
  for (const [options, mention] of bad) {
    assert.throws(() => describe.checkAction('os-stop', server, options), (e) => (e instanceof TypeError || e instanceof RangeError) && e.message.includes(mention), JSON.stringify(options));
  }
  // A check string oslo.policy cannot parse is false; deep nesting and huge strings end in a
  // clear answer, never a trap or a hang; thousands of rules are fine.
  const member = { roles: ['member', 'reader'], projectId: 'p1', userId: 'u1' };
  const own = { 'OS-EXT-STS:vm_state': 'active', tenant_id: 'p1' };
  const unparsable = describe.checkAction('os-stop', own, { credentials: member, policy: { 'os_compute_api:servers:stop': 'role:member and or (' } });
  assert.equal(unparsable.denials[0].httpStatus, 403);
  const stop = (check) => describe.checkAction('os-stop', own, { credentials: member, policy: { 'os_compute_api:servers:stop': check } });
  // 100,000 nested nots: past the evaluator's depth, said, not guessed.
  const deep = stop(`${'not '.repeat(100000)}@`);
  assert.equal(deep.allowed, false);
  assert.equal(deep.undecided[0].text, 'nested too deeply');
  // Parentheses around one check reduce to it, however many (oslo.policy's parser does so).
  assert.equal(stop(`${'('.repeat(50000)}@${')'.repeat(50000)}`).allowed, true);
  // A megabyte of role name is just a role nobody has.
  assert.equal(stop(`role:${'x'.repeat(1 << 20)}`).denials[0].httpStatus, 403);
  const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`custom:rule:${i}`, `role:r${i}`]));
  assert.equal(describe.checkAction('os-stop', own, { credentials: member, policy: many }).allowed, true);
  assert.equal(main.checkAction('os-stop', own, { credentials: member }).allowed, true, 'still working');
});

test('roles, ids and policies holding the separators reach the module exactly', () => {
  const server = (tenant) => ({ id: 's1', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, tenant_id: tenant, user_id: 'u\u001f1' });
  const odd = ['', '\u001b', '\u001f', '\u001b0', '\u001b1', '\u001b\u001f', 'x\u001fadmin', 'admin\u001f', '\u001badmin', 'ad\u001bmin', 'a\u001eb'];
  const personas = [
    ...odd.map((role) => ({ roles: [role], projectId: 'p1' })),
    { roles: odd, projectId: 'p\u001f1', userId: 'u\u001f1' },
    { roles: ['member', '\u001b'], projectId: 'p\u001b1', userId: '\u001b' },
    { roles: ['member'], projectId: '\u001b', userId: '' },
    { roles: ['admin', ''], projectId: '', domainId: '\u001b' },
  ];
  for (const credentials of personas) {
    for (const tenant of ['p1', 'p\u001f1', 'p\u001b1', '\u001b', '', 'p']) {
      for (const action of ['stop', 'delete', 'update_server', 'live_migrate', 'reset_state']) {
        const core = checkRecord(action, valuesOf(server(tenant)), { credentials });
        assert.deepEqual(main.checkAction(action, server(tenant), { credentials }), core, `${JSON.stringify(credentials)} ${action} of ${JSON.stringify(tenant)}`);
      }
    }
  }
  // Rule names and check strings too (oslo.policy splits check strings at U+001C to U+001F
  // as Python's str.split does), and askers compiled once per exact value: ['a\u001eb'] and
  // ['a', 'b'] are different callers.
  const own = { id: 's1', 'OS-EXT-STS:vm_state': 'active', tenant_id: 'p1' };
  for (const role of ['a\u001eb', 'a\u001fb', 'a\u001bb', 'a\u001b1b', '\u001b', '\u001b\u001f']) {
    for (const roles of [[role], role.split(/[\u001b\u001e\u001f]/), ['a']]) {
      for (const policy of [{ 'os_compute_api:servers:stop': `role:${role}`, 'x\u001fy\u001b': null }, { 'os_compute_api:servers:stop': 'role:a', [role]: '' }]) {
        const options = { credentials: { roles, projectId: 'p1' }, policy };
        assert.deepEqual(describe.checkAction('os-stop', own, options), checkRecord('os-stop', valuesOf(own), options), JSON.stringify(options));
      }
    }
  }
  const stopper = (roles) => describe.checkAction('os-stop', own, { credentials: { roles, projectId: 'p1' }, policy: { 'os_compute_api:servers:stop': 'role:a' } }).allowed;
  assert.equal(stopper(['a\u001eb']), false);
  assert.equal(stopper(['a', 'b']), true);
  assert.equal(stopper(['a\u001b1b']), false);
  assert.equal(stopper(['a\u001fb']), false);
});
