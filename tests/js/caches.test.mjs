// The main entry's caches stay exact: the last options read (compared value by value, the
// credentials' ids and roles too) and each asker's decisions (compared by every number they
// depend on). Options and credentials mutated between calls get the new answer; repeated
// checks get equal, fresh verdicts. The reference is the Rust core's own check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as main from '../../wasm/js/index.js';
// The describe entry, as the tests ran beside it before the core's check had its own module:
// its askers take enforceScope false and overrides.
import '../../wasm/js/describe.js';
import { checkRecord } from './core.mjs';
import { valuesOf } from './values.mjs';


const servers = [
  { id: 's1', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, locked: false, tenant_id: 'p1', user_id: 'u1' },
  { id: 's2', 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, locked: true, tenant_id: 'p1', user_id: 'u1' },
  { id: 's3', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, locked: false, tenant_id: 'p2', user_id: 'u2' },
  { id: 's4', 'OS-EXT-STS:vm_state': 'shelved_offloaded', 'OS-EXT-STS:task_state': null, locked: false, tenant_id: 'p1', user_id: 'u1' },
];
const actions = ['pause', 'os-stop', 'unlock', 'unshelve', 'evacuate', 'resize', 'os-getConsoleOutput'];

/** Every action on every server with `options` equals the core's verdict with a copy of them. */
function agrees(options, label) {
  const copy = structuredClone(options);
  for (const server of servers) {
    for (const action of actions) {
      let expected;
      try {
        expected = checkRecord(action, valuesOf(server), copy);
      } catch {
        expected = 'throws';
      }
      let actual;
      try {
        actual = main.checkAction(action, server, options);
      } catch {
        actual = 'throws';
      }
      assert.deepEqual(actual, expected, `${label}: ${action} on ${server.id} with ${JSON.stringify(options)}`);
    }
  }
}

test('one options object mutated between calls: each call answers for what it holds then', () => {
  const credentials = { roles: ['member'], projectId: 'p1', userId: 'u1' };
  const options = { credentials };
  const steps = [
    ['as given', () => {}],
    ['a role pushed', () => credentials.roles.push('reader')],
    ['roles replaced', () => (credentials.roles = ['reader'])],
    ['a role changed in place', () => (credentials.roles[0] = 'admin')],
    ['roles emptied', () => (credentials.roles.length = 0)],
    ['roles removed', () => delete credentials.roles],
    ['roles back', () => (credentials.roles = ['member'])],
    ['another project', () => (credentials.projectId = 'p2')],
    ['the project back', () => (credentials.projectId = 'p1')],
    ['another user', () => (credentials.userId = 'u2')],
    ['system scope', () => (credentials.systemScope = 'all')],
    ['no system scope', () => delete credentials.systemScope],
    ['an older release', () => (options.release = '2023.1')],
    ['a microversion', () => (options.microversion = '2.10')],
    ['old defaults', () => (options.enforceNewDefaults = false)],
    ['new defaults', () => (options.enforceNewDefaults = true)],
    ['scope enforced, said so', () => (options.enforceScope = true)],
    ['scope as by default', () => delete options.enforceScope],
    ['locked by an admin', () => (options.lockedBy = 'admin')],
    ['a target host', () => (options.targetHost = true)],
    ['no target host', () => (options.targetHost = false)],
    ['other credentials, equal', () => (options.credentials = structuredClone(credentials))],
    ['no credentials', () => delete options.credentials],
    ['admin', () => (options.admin = true)],
    ['not admin', () => (options.admin = false)],
    ['the newest release', () => delete options.release],
  ];
  for (const [label, mutate] of steps) {
    mutate();
    // Twice: the first read and the cached one.
    agrees(options, label);
    agrees(options, `${label}, again`);
  }
});

test('credentials in fresh objects and alternating objects answer alike', () => {
  const member = { roles: ['member'], projectId: 'p1', userId: 'u1' };
  const reader = { roles: ['reader'], projectId: 'p1', userId: 'u1' };
  for (let i = 0; i < 3; i++) {
    agrees({ credentials: member }, 'member');
    agrees({ credentials: reader }, 'reader');
    agrees({ credentials: { ...member, roles: [...member.roles] } }, 'a fresh member');
    agrees({ credentials: reader, microversion: '2.1' }, 'reader at 2.1');
  }
});

test('repeated checks are equal and fresh: a verdict mutated by its caller changes no later one', () => {
  const options = { credentials: { roles: ['reader'], projectId: 'p1', userId: 'u1' } };
  for (const server of servers) {
    for (const action of actions) {
      const first = main.checkAction(action, server, options);
      const expected = structuredClone(first);
      first.denials.push('mine');
      first.undecided.push('mine');
      first.assumptions.push('mine');
      for (const d of first.denials) if (typeof d === 'object') d.message = 'changed';
      assert.deepEqual(main.checkAction(action, server, options), expected, `${action} on ${server.id}`);
      assert.deepEqual(main.checkAction(action, server), checkRecord(action, valuesOf(server), {}), `${action} on ${server.id}, nobody`);
    }
  }
});

test('each option is read once per check', () => {
  const reads = new Map();
  const counted = (object) =>
    new Proxy(object, {
      get(target, key) {
        reads.set(key, (reads.get(key) ?? 0) + 1);
        return target[key];
      },
    });
  const options = counted({ credentials: { roles: ['member'], projectId: 'p1', userId: 'u1' }, microversion: '2.95' });
  for (let i = 0; i < 3; i++) {
    reads.clear();
    main.checkAction('pause', servers[0], options);
    for (const [key, n] of reads) assert.equal(n, 1, `options.${String(key)} read ${n} times on call ${i}`);
  }
});

test('many owners: each decision is its own, whatever shares its slot in the cache', () => {
  const options = { credentials: { roles: ['member'], projectId: 'p1', userId: 'u1' } };
  const many = Array.from({ length: 1200 }, (_, i) => ({ id: `s${i}`, 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, locked: false, tenant_id: i % 2 ? 'p1' : `p${i}`, user_id: `u${i}` }));
  const expected = new Map();
  for (const action of ['pause', 'os-stop', 'resize']) for (const server of many) expected.set(`${action} ${server.id}`, checkRecord(action, valuesOf(server), options).allowed);
  for (let round = 0; round < 2; round++) {
    for (const action of ['pause', 'os-stop', 'resize']) {
      for (const server of many) assert.equal(main.checkAction(action, server, options).allowed, expected.get(`${action} ${server.id}`), `${action} on ${server.id}`);
    }
  }
});

test('one record mutated between checks: each check reads what it holds then', () => {
  const options = { credentials: { roles: ['member'], projectId: 'p1', userId: 'u1' } };
  const server = { id: 's1', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, locked: false, tenant_id: 'p1', user_id: 'u1' };
  const envelope = { server: { ...server } };
  const steps = [
    () => {},
    () => (server['OS-EXT-STS:vm_state'] = 'stopped'),
    () => (server.locked = true),
    () => (server['OS-EXT-STS:task_state'] = 'powering-on'),
    () => delete server['OS-EXT-STS:task_state'],
    () => (server.tenant_id = 'p2'),
    () => (server.id = 's2'),
    () => (server['OS-EXT-SRV-ATTR:host'] = null),
    () => (server.vmState = 'paused'),
    () => delete server['OS-EXT-STS:vm_state'],
    () => (envelope.server = { ...server, locked: false }),
    () => (envelope.server.status = 'PAUSED'),
  ];
  for (const mutate of steps) {
    mutate();
    for (const record of [server, envelope]) {
      for (const action of actions) {
        for (const o of [options, undefined]) {
          let expected;
          try {
            expected = checkRecord(action, valuesOf(record), o ?? {});
          } catch {
            expected = 'throws';
          }
          for (let i = 0; i < 2; i++) {
            let actual;
            try {
              actual = main.checkAction(action, record, o);
            } catch {
              actual = 'throws';
            }
            assert.deepEqual(actual, expected, `${action} on ${JSON.stringify(record)}`);
          }
        }
      }
    }
  }
});

test('roles that stop being an array (a revoked proxy) are refused as any such roles are', () => {
  const { proxy, revoke } = Proxy.revocable(['member'], {});
  const options = { credentials: { roles: proxy, projectId: 'p1', userId: 'u1' } };
  assert.equal(main.checkAction('pause', servers[0], options).allowed, true);
  revoke();
  assert.throws(() => main.checkAction('pause', servers[0], options), (e) => e.code !== undefined && e.message.includes('roles'));
});
