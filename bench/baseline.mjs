// The baseline: Nova's rules as a plain JavaScript lookup table, checked by hand-written JS, the
// way a dashboard would do it without nova-states, but building the same verdict: the record
// read with the envelope and key precedence, the assumptions, each denial's kind, reason,
// sentence, accepted values and Nova's message with the server's id. The table's contents are
// filled from the package's own data once at load, so both sides check the same rules; the
// per-call code is plain JS: Set lookups and object literals, no WebAssembly.
import { actions, model } from 'nova-states/describe';

const minor = (v) => Number(v.split('.')[1]);
const TABLE = new Map();
const ENTRIES = [];
for (const a of actions()) {
  // The newest release's first REST entry (the package's default); an action the release
  // dropped is refused whatever the server.
  const rest = a.rest.find((r) => r.releases.includes('2026.2')) ?? a.rest[0];
  const gone = !rest.releases.includes('2026.2');
  const entry = {
    name: a.name,
    rest: rest.name,
    conflict: rest.conflictName ?? a.name,
    min: gone ? Number.POSITIVE_INFINITY : minor(rest.minMicroversion),
    max: rest.maxMicroversion === null ? Infinity : minor(rest.maxMicroversion),
    vm: new Set(a.vmStates),
    task: a.taskStates === null ? null : new Set(a.taskStates),
    lock: a.checksLock,
    host: a.needsHost,
    hostExempt: new Set(a.hostNotNeededIn),
    launched: a.needsLaunched,
    expectedVm: Object.freeze(a.vmStates.slice()),
    expectedTask: a.taskStates === null ? null : Object.freeze(a.taskStates.map((t) => t ?? 'None')),
    vmText: `${a.name} needs ${a.vmStates.join(', ')}`,
  };
  ENTRIES.push(entry);
  TABLE.set(a.name, entry);
  for (const r of a.rest) if (!TABLE.has(r.name)) TABLE.set(r.name, entry);
}
const STATUS = new Map(model().statusMap.map((row) => [row.vmState, { default: row.default, overrides: new Map(row.overrides) }]));
const FALSE = Object.freeze(['False']);
const HOST = Object.freeze(['a compute host']);
const LAUNCH = Object.freeze(['a launch time']);
const ASSUMED = {
  task: Object.freeze({ field: 'OS-EXT-STS:task_state', assumed: 'no task running' }),
  locked: Object.freeze({ field: 'locked', assumed: 'unlocked (Nova shows it from microversion 2.9)' }),
  launched: Object.freeze({ field: 'OS-SRV-USG:launched_at', assumed: 'launched, unless still building' }),
  host: Object.freeze({ field: 'OS-EXT-SRV-ATTR:host', assumed: 'a host, unless shelved_offloaded (non-admins do not see it)' }),
};

function facts(server) {
  const inner = server.server;
  const s = inner !== null && typeof inner === 'object' ? inner : server;
  const vm = s['OS-EXT-STS:vm_state'] ?? s.vmState;
  if (typeof vm !== 'string' || !STATUS.has(vm)) throw new RangeError(`unknown vm state ${vm}`);
  const assumptions = [];
  let task = s['OS-EXT-STS:task_state'];
  if (task === undefined) task = s.taskState;
  if (task === undefined) assumptions.push(ASSUMED.task);
  const locked = s.locked;
  if (locked === undefined || locked === null) assumptions.push(ASSUMED.locked);
  const launchedAt = s['OS-SRV-USG:launched_at'];
  let launched;
  if (launchedAt !== undefined) launched = !!launchedAt;
  else if (typeof s.launched === 'boolean') launched = s.launched;
  else {
    assumptions.push(ASSUMED.launched);
    launched = vm !== 'building';
  }
  let host = s['OS-EXT-SRV-ATTR:host'];
  if (host === undefined) host = s.host;
  if (host === undefined) {
    assumptions.push(ASSUMED.host);
    host = vm !== 'shelved_offloaded';
  }
  return { id: typeof s.id === 'string' ? s.id : '<uuid>', vm, task: task ?? null, locked: locked === true, launched, host: !!host, assumptions };
}

function verdict(e, f, admin, mv) {
  const denials = [];
  if (mv < e.min || mv > e.max) denials.push({ kind: 'microversion', actual: `2.${mv}`, expected: [`2.${e.min} or newer`], reason: 'microversion', text: `${e.rest} needs microversion 2.${e.min} or newer`, message: 'The resource could not be found.', httpStatus: 404 });
  if (e.lock && f.locked && !admin) denials.push({ kind: 'locked', actual: 'True', expected: FALSE, reason: 'locked', text: 'the server is locked', message: `Instance ${f.id} is locked`, httpStatus: 409 });
  if (e.host && !f.host && !e.hostExempt.has(f.vm)) denials.push({ kind: 'host', actual: 'None', expected: HOST, reason: 'no-host', text: 'the server has no compute host', message: `Instance ${f.id} is not ready`, httpStatus: 409 });
  if (!e.vm.has(f.vm)) denials.push({ kind: 'vm_state', actual: f.vm, expected: e.expectedVm, reason: 'vm-state', text: `the server is ${f.vm}; ${e.vmText}`, message: `Cannot '${e.conflict}' instance ${f.id} while it is in vm_state ${f.vm}`, httpStatus: 409 });
  if (e.task !== null && !e.task.has(f.task)) denials.push({ kind: 'task_state', actual: f.task ?? 'None', expected: e.expectedTask, reason: 'task-state', text: `a task is running (${f.task}); ${e.name} waits for it to end`, message: `Cannot '${e.conflict}' instance ${f.id} while it is in task_state ${f.task}`, httpStatus: 409 });
  if (e.launched && !f.launched) denials.push({ kind: 'launched_at', actual: 'None', expected: LAUNCH, reason: 'not-launched', text: 'the server was never launched', message: `Instance ${f.id} is not ready`, httpStatus: 409 });
  return { action: e.name, rest: e.rest, allowed: denials.length === 0, denials, assumptions: f.assumptions.slice() };
}

const options = (o) => [o?.admin === true, o?.microversion ? minor(o.microversion) : 104];

/** A verdict of the same shape as checkAction's. */
export function checkAction(action, server, o) {
  const e = TABLE.get(action);
  if (!e) throw new RangeError(`unknown action ${action}`);
  const [admin, mv] = options(o);
  return verdict(e, facts(server), admin, mv);
}

/** checkAction with who asks: the same verdict, after evaluating the action's default rule as
 * most server actions have it (`rule:project_member_or_admin`: the member role in the server's
 * project, or the admin role), a 404 for another project's server, a 403 naming the rule. */
export function checkActionAs(action, server, credentials) {
  const e = TABLE.get(action);
  if (!e) throw new RangeError(`unknown action ${action}`);
  const record = server.server ?? server;
  const roles = credentials.roles.map((r) => r.toLowerCase());
  const admin = roles.includes('admin');
  const own = (record.tenant_id ?? credentials.projectId) === credentials.projectId;
  const v = verdict(e, facts(server), admin, 104);
  if (!admin && !own) {
    return { ...v, allowed: false, denials: [{ kind: 'policy', actual: 'another project', expected: ["the caller's project, or an admin"], reason: 'not-visible', text: 'the server belongs to another project', message: `Instance ${record.id} could not be found.`, httpStatus: 404 }] };
  }
  if (admin || (roles.includes('member') && own)) return v;
  const rule = `os_compute_api:${e.name}`;
  const denial = { kind: 'policy', actual: 'refused', expected: [WHO], reason: 'policy', text: WHO, message: `Policy doesn't allow ${rule} to be performed.`, httpStatus: 403, rule };
  return { ...v, allowed: false, denials: [denial, ...v.denials] };
}
const WHO = "needs the member role in the server's project, or the admin role";

/** Every action with its verdict, as actionsFor gives them. */
export function actionsFor(server, o) {
  const f = facts(server);
  const [admin, mv] = options(o);
  return ENTRIES.map((e) => ({ action: e.name, verdict: verdict(e, f, admin, mv) }));
}

/** The allowed actions' names, as allowedActions gives them. */
export function allowedActions(server, o) {
  const f = facts(server);
  const [admin, mv] = options(o);
  const out = [];
  for (const e of ENTRIES) {
    if ((!e.lock || !f.locked || admin) && (!e.host || f.host || e.hostExempt.has(f.vm)) && e.vm.has(f.vm) && (e.task === null || e.task.has(f.task)) && (!e.launched || f.launched) && mv >= e.min && mv <= e.max) out.push(e.name);
  }
  return out;
}

/** Validation of the same shape as validateServer's: status from states, mismatch check. */
export function validateServer(server) {
  const f = facts(server);
  const row = STATUS.get(f.vm);
  const status = (f.task !== null && row.overrides.get(f.task)) || row.default;
  const shown = (server.server ?? server).status;
  const diagnostics = [];
  if (shown !== undefined && shown !== status && shown !== 'DELETED' && shown !== 'UNKNOWN') {
    diagnostics.push({ severity: 'error', code: 'status-mismatch', message: `status ${shown} contradicts vm state ${f.vm}: Nova shows ${status}` });
  }
  return { ok: diagnostics.length === 0, status, diagnostics };
}
