// The main entry's answers (numbers through the lean module, words it renders once and the
// entry caches) against the Rust core's own verdicts and validations, computed by the tests'
// core module (tests/js/core.mjs) from the same values with `check`/`check_with_body`/
// `validate`: every action name (method and REST) × vm state × task state (and none), with ids, locks, hosts, launch times,
// envelopes, admins, microversions, releases and request bodies. Every text the main entry
// produces (Nova's message, the sentence, the accepted values, the findings) is held equal to
// the core's. The entries are imported from their sources (wasm/js/*.js, as built).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ns from '../../wasm/js/describe.js';
import { checkRecord as checkGeneral0, validateRecord } from './core.mjs';

const checkGeneral = (name, _record, values, options) => checkGeneral0(name, values, options);
const validateGeneral = (_record, values) => validateRecord(values);
import { ACTION_NAME_LIST } from '../../wasm/js/generated/codes.js';
import { valuesOf } from './values.mjs';


const PERSONAS = [
  { roles: ['admin', 'manager', 'member', 'reader'], projectId: 'p1', userId: 'u1' },
  { roles: ['manager', 'member', 'reader'], projectId: 'p1', userId: 'u1' },
  { roles: ['member', 'reader'], projectId: 'p1', userId: 'u1' },
  { roles: ['reader'], projectId: 'p1', userId: 'u1' },
  { roles: ['member'], projectId: 'p1', userId: 'u2' },
  { roles: [], projectId: 'p1', userId: 'u1' },
  { roles: ['member', 'reader'], projectId: 'p2', userId: 'u3' },
  { roles: ['admin', 'member', 'reader'], projectId: 'p2', userId: 'u3' },
  { roles: ['service'], projectId: 'service', userId: 'nova' },
  { roles: ['admin', 'member', 'reader'], systemScope: 'all', userId: 'u9' },
  { roles: ['Member', 'READER'], projectId: 'p1', userId: 'u1' },
];

function records() {
  const out = [];
  const microversions = [undefined, '2.1', '2.19', '2.20', '2.43', '2.44', '2.47', '2.48', '2.95', 'latest'];
  let i = 0;
  for (const vm of ns.VM_STATES) {
    for (const task of [null, ...ns.TASK_STATES]) {
      i++;
      const server = { 'OS-EXT-STS:vm_state': vm, 'OS-EXT-STS:task_state': task, 'OS-EXT-STS:power_state': 1 };
      if (i % 3 !== 0) server.id = i % 3 === 1 ? `srv-${i}` : 'ünïcode $& $1 \u{1F600}';
      if (i % 4 !== 0) server.locked = i % 4 === 1;
      if (i % 5 !== 0) server['OS-SRV-USG:launched_at'] = i % 5 === 1 ? null : '2026-01-01T00:00:00.000000';
      if (i % 7 !== 0) server['OS-EXT-SRV-ATTR:host'] = i % 7 === 1 ? null : 'compute-1';
      if (i % 11 === 0) server.status = 'ACTIVE';
      const options = { admin: i % 6 === 0, microversion: microversions[i % microversions.length] };
      if (i % 13 === 0) options.release = ns.RELEASE_NAMES[i % ns.RELEASE_NAMES.length];
      if (i % 17 === 0) options.targetHost = i % 2 === 0;
      if (i % 19 === 0) options.unshelveDestination = true;
      if (i % 23 === 0) options.lockedBy = i % 2 === 0 ? 'owner' : 'admin';
      if (i % 3 === 0) {
        // Who asks: the personas the policy oracle runs, over the record's project and user.
        delete options.admin;
        server.tenant_id = i % 9 === 0 ? 'other-project' : 'p1';
        if (i % 4 === 0) server.user_id = 'u1';
        options.credentials = PERSONAS[i % PERSONAS.length];
        if (i % 27 === 0) options.policy = { 'os_compute_api:os-rescue': 'role:member', 'os_compute_api:servers:stop': '@', project_member_api: 'role:member and project_id:%(project_id)s' };
        if (i % 21 === 0) options.enforceNewDefaults = false;
      }
      out.push([i % 2 === 0 ? server : { server }, options]);
    }
  }
  out.push([{ vmState: 'active' }, undefined], [{ status: 'SHUTOFF' }, undefined], [{ vmState: 'shelved_offloaded', host: true, launched: false }, { admin: true }]);
  return out;
}

test('checkAction, actionsFor, allowedActions and validateServer answer as the Rust core, text for text, case by case', () => {
  const names = ACTION_NAME_LIST;
  let compared = 0;
  for (const [record, options] of records()) {
    const values = valuesOf(record);
    const every = ns.actionsFor(record, options);
    const checker = ns.createChecker(options);
    for (const name of names) {
      const general = checkGeneral(name, record, values, options);
      assert.deepEqual(ns.checkAction(name, record, options), general, `${name} on ${JSON.stringify(record)} ${JSON.stringify(options)}`);
      compared++;
    }
    for (const { action, verdict } of every) assert.deepEqual(verdict, checkGeneral(action, record, values, options), `actionsFor ${action}`);
    assert.deepEqual(checker.actionsFor(record), every);
    assert.deepEqual(ns.allowedActions(record, options), every.filter((e) => e.verdict.allowed).map((e) => e.action));
    assert.deepEqual(ns.validateServer(record), validateGeneral(record, values));
  }
  assert.ok(compared > 12 * 60 * 60, `compared ${compared} calls`);
});

test('verdicts are fresh objects; only the lists of accepted values are shared, and frozen', () => {
  const first = ns.checkAction('unpause', { vmState: 'active', id: 'a' });
  assert.throws(() => first.denials[0].expected.push('changed'), TypeError);
  first.denials[0].message = 'changed';
  first.denials.push(first.denials[0]);
  first.assumptions.push({ field: 'x', assumed: 'y' });
  const again = ns.checkAction('unpause', { vmState: 'active', id: 'a' });
  assert.equal(again.denials.length, 1);
  assert.equal(again.denials[0].message, "Cannot 'unpause' instance a while it is in vm_state active");
  assert.equal(again.assumptions.length, 4);
});
