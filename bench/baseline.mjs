// The baseline: Nova's rules as a plain JavaScript lookup table, checked by hand-written JS,
// the way a dashboard would do it without nova-states. The table's contents are filled from
// the package's own data once at load (so both sides check the same rules); the per-call code
// below is plain JS: Set lookups and object literals, no WebAssembly.
import { actions, model } from 'nova-states';

const TABLE = new Map();
for (const a of actions()) {
  const entry = {
    name: a.name,
    rest: a.rest,
    vm: new Set(a.vmStates),
    task: a.taskStates === null ? null : new Set(a.taskStates),
    lock: a.checksLock, host: a.needsHost, launched: a.needsLaunched,
    expectedVm: a.vmStates, expectedTask: a.taskStates,
  };
  TABLE.set(a.name, entry);
  for (const r of a.rest) if (!TABLE.has(r.name)) TABLE.set(r.name, entry);
}
const ENTRIES = [...new Set(TABLE.values())];
const STATUS = new Map(model().statusMap.map((row) => [row.vmState, { default: row.default, overrides: new Map(row.overrides) }]));

function facts(server) {
  const s = server.server ?? server;
  const vm = s['OS-EXT-STS:vm_state'] ?? s.vmState;
  const task = s['OS-EXT-STS:task_state'] ?? s.taskState ?? null;
  const launchedAt = s['OS-SRV-USG:launched_at'];
  const host = s['OS-EXT-SRV-ATTR:host'] ?? s.host;
  return {
    vm, task,
    locked: s.locked === true,
    launched: launchedAt === undefined ? (s.launched ?? vm !== 'building') : !!launchedAt,
    host: host === undefined ? vm !== 'shelved_offloaded' : !!host,
  };
}

function passes(e, f, admin) {
  return (!e.lock || !f.locked || admin) && (!e.host || f.host) && e.vm.has(f.vm)
    && (e.task === null || e.task.has(f.task)) && (!e.launched || f.launched);
}

/** A verdict of the same shape as checkAction's. */
export function checkAction(action, server, options = {}) {
  const e = TABLE.get(action);
  if (!e) throw new RangeError(`unknown action ${action}`);
  const f = facts(server);
  const admin = options.admin === true;
  const denials = [];
  if (e.lock && f.locked && !admin) denials.push({ kind: 'locked', actual: 'True', expected: ['False'], message: `Instance <uuid> is locked`, httpStatus: 409 });
  if (e.host && !f.host) denials.push({ kind: 'host', actual: 'None', expected: ['a compute host'], message: `Instance <uuid> is not ready`, httpStatus: 409 });
  if (!e.vm.has(f.vm)) denials.push({ kind: 'vm_state', actual: f.vm, expected: e.expectedVm, message: `Cannot '${e.name}' instance <uuid> while it is in vm_state ${f.vm}`, httpStatus: 409 });
  if (e.task !== null && !e.task.has(f.task)) denials.push({ kind: 'task_state', actual: f.task ?? 'None', expected: e.expectedTask, message: `Cannot '${e.name}' instance <uuid> while it is in task_state ${f.task}`, httpStatus: 409 });
  if (e.launched && !f.launched) denials.push({ kind: 'launched_at', actual: 'None', expected: ['a launch time'], message: `Instance <uuid> is not ready`, httpStatus: 409 });
  return { action: e.name, rest: e.rest[0].name, allowed: denials.length === 0, denials, assumptions: [] };
}

export function allowedActions(server, options = {}) {
  const f = facts(server);
  const admin = options.admin === true;
  const out = [];
  for (const e of ENTRIES) if (passes(e, f, admin)) out.push(e.name);
  return out;
}

/** Validation of the same shape as validateServer's: status from states, mismatch check. */
export function validateServer(server) {
  const f = facts(server);
  const row = STATUS.get(f.vm);
  if (!row) return { ok: false, status: 'UNKNOWN', diagnostics: [{ severity: 'error', code: 'malformed', message: `unknown vm state ${f.vm}` }] };
  const status = (f.task !== null && row.overrides.get(f.task)) || row.default;
  const shown = (server.server ?? server).status;
  const diagnostics = [];
  if (shown !== undefined && shown !== status && shown !== 'DELETED' && shown !== 'UNKNOWN') {
    diagnostics.push({ severity: 'error', code: 'status-mismatch', message: `status ${shown} contradicts vm state ${f.vm}: Nova shows ${status}` });
  }
  return { ok: diagnostics.length === 0, status, diagnostics };
}
