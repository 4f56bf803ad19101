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

/** Each step mutates `options`, then every check agrees, twice: the first read and the cached one. */
function agreesAfterEach(options, steps) {
  for (const [label, mutate] of steps) {
    mutate();
    agrees(options, label);
    agrees(options, `${label}, again`);
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
  agreesAfterEach(options, steps);
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

// A policy passed again is read again (its keys and check strings, each once), never trusted by
// identity: each of these gets the answer a first read of what it holds then gets.
const PAUSE = 'os_compute_api:os-pause-server:pause';
const STOP = 'os_compute_api:servers:stop';

test('one policy object mutated between calls: a rule added, removed or changed is read', () => {
  const policy = { [PAUSE]: 'role:member' };
  const options = { credentials: { roles: ['member'], projectId: 'p1', userId: 'u1' }, policy };
  const steps = [
    ['as given', () => {}],
    ['a rule added', () => (policy[STOP] = '!')],
    ['a rule changed', () => (policy[PAUSE] = '!')],
    ['a rule changed back', () => (policy[PAUSE] = 'role:member')],
    ['a rule set to null', () => (policy[STOP] = null)],
    ['a base rule overridden', () => (policy.project_member_or_admin = 'role:admin')],
    ['the rules in another order', () => {
      const stop = policy[STOP];
      delete policy[STOP];
      policy[STOP] = stop;
    }],
    ['a rule removed', () => delete policy.project_member_or_admin],
    ['an empty check', () => (policy[PAUSE] = '')],
    ['every rule removed', () => {
      for (const rule of Object.keys(policy)) delete policy[rule];
    }],
    ['a rule again', () => (policy[STOP] = 'role:member')],
    ['frozen', () => Object.freeze(policy)],
    ['another object, equal', () => (options.policy = { ...policy })],
    ['another object, frozen', () => (options.policy = Object.freeze({ ...policy, [PAUSE]: '!' }))],
    ['no policy', () => delete options.policy],
    ['the first object back', () => (options.policy = policy)],
    ['other credentials', () => (options.credentials = { roles: ['reader'], projectId: 'p1', userId: 'u1' })],
  ];
  agreesAfterEach(options, steps);
});

test('policies in fresh, alternating, frozen and unfrozen objects answer alike', () => {
  const credentials = { roles: ['member'], projectId: 'p1', userId: 'u1' };
  const open = { [PAUSE]: '@', [STOP]: '@' };
  const closed = Object.freeze({ [PAUSE]: '!', [STOP]: '!' });
  for (let i = 0; i < 3; i++) {
    agrees({ credentials, policy: open }, 'open');
    agrees({ credentials, policy: closed }, 'closed, frozen');
    agrees({ credentials, policy: { ...closed } }, 'closed, a fresh unfrozen copy');
    agrees({ credentials, policy: Object.freeze({ ...open }) }, 'open, a fresh frozen copy');
    agrees({ credentials }, 'no policy');
    agrees({ policy: closed }, 'a policy without credentials');
  }
  const options = { credentials, policy: open };
  for (let i = 0; i < 3; i++) {
    agrees(options, 'one object');
    options.policy = i % 2 ? open : closed;
  }
});

test('a policy read again: its getters run once per check, its bad values are the errors a first read gives', () => {
  let check = 'role:member';
  let reads = 0;
  const policy = {
    get [PAUSE]() {
      reads++;
      return check;
    },
  };
  const options = { credentials: { roles: ['member'], projectId: 'p1', userId: 'u1' }, policy };
  const expected = (value) => checkRecord('pause', valuesOf(servers[0]), { ...options, policy: { [PAUSE]: value } });
  for (const value of ['role:member', '!', '!', 'role:member', '@']) {
    check = value;
    reads = 0;
    assert.deepEqual(main.checkAction('pause', servers[0], options), expected(value), value);
    assert.equal(reads, 1, `the getter ran ${reads} times`);
  }
  // A value that is no check string, after the policy was read fine: the same error as a first read.
  check = 5;
  const error = (f) => {
    try {
      f();
    } catch (e) {
      return [e.constructor, e.code, e.message];
    }
    return 'no error';
  };
  const first = error(() => main.checkAction('pause', servers[0], { ...options, policy: { [PAUSE]: 5 } }));
  assert.notEqual(first, 'no error');
  assert.deepEqual(error(() => main.checkAction('pause', servers[0], options)), first);
  assert.deepEqual(error(() => main.checkAction('pause', servers[0], options)), first);
  check = '!';
  assert.deepEqual(main.checkAction('pause', servers[0], options), expected('!'));
  // A policy revoked after it was read (a revoked proxy): the error of a first read of it.
  const { proxy, revoke } = Proxy.revocable({ [PAUSE]: '@' }, {});
  const revocable = { ...options, policy: proxy };
  assert.equal(main.checkAction('pause', servers[0], revocable).allowed, true);
  revoke();
  const fresh = error(() => main.checkAction('pause', servers[0], { ...revocable }));
  assert.notEqual(fresh, 'no error');
  assert.deepEqual(error(() => main.checkAction('pause', servers[0], revocable)), fresh);
});
