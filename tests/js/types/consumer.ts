// A TypeScript consumer of the installed package: the names and shapes a user relies on.
import { checkAction, allowedActions, actionsFor, createChecker, isTransitional, isServerRecord, statusOf, validateServer, parseVmState, VM_STATES } from 'nova-states';
import type { Verdict, VmState, TaskState, Status, ActionName, ServerLike, Validation, Reason, DiagnosticCode } from 'nova-states';
import { actions, shortestPath } from 'nova-states/describe';
import type { ActionInfo } from 'nova-states/describe';

const server: ServerLike = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, locked: false };
const verdict: Verdict = checkAction('pause', server, { admin: true, microversion: '2.104' });
let reason: Reason | null = null;
if (!verdict.allowed) {
  // A refused verdict has at least one denial: no optional chaining needed.
  reason = verdict.denials[0].reason;
  const message: string = verdict.denials[0].message;
  void message;
} else {
  // @ts-expect-error: an allowed verdict has no denials to read
  verdict.denials[0].message;
}
const names: ActionName[] = allowedActions({ vmState: 'active' });
const rows: { action: ActionName; verdict: Verdict }[] = actionsFor(server);
const checker = createChecker({ microversion: '2.95' });
const pausable: boolean = checker.checkAction('os-stop', server).allowed;
const polling: boolean = isTransitional(server);
const s: Status = statusOf('active', 'rebooting');
const vm: VmState = parseVmState('active');
const first: VmState = VM_STATES[0];
const task: TaskState | null = actions()[0]?.setsTask ?? null;
const info: ActionInfo | undefined = actions().find((a) => a.checksLock && a.vmStates.includes(vm));
const path: ActionName[] | null = shortestPath('active', 'shelved_offloaded', { locked: false });
const v: Validation = validateServer({ anything: 1 });
const code: DiagnosticCode | undefined = v.diagnostics[0]?.code;
checkAction('os-stop', { server: { 'OS-EXT-STS:vm_state': 'active' } });

// A dashboard's own server type fits as it is.
interface DashboardServer { id: string; name: string; status: string; 'OS-EXT-STS:vm_state'?: string; locked?: boolean }
const mine: DashboardServer = { id: 'x', name: 'web-1', status: 'ACTIVE' };
checkAction('pause', mine);
const data: unknown = JSON.parse('{}');
if (isServerRecord(data)) checkAction('pause', data);

// @ts-expect-error: an empty object is no server record
checkAction('pause', {});
// @ts-expect-error: admin is a boolean
checkAction('pause', server, { admin: 'yes' });
// @ts-expect-error: constants are read-only
VM_STATES.push('active');
export { reason, names, rows, pausable, polling, s, first, task, info, path, v, code };
