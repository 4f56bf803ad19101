// A TypeScript consumer of the installed package: the names and shapes a user relies on.
import init, { checkAction, allowedActions, statusOf, actions, shortestPath, validateServer, parseVmState } from 'nova-states';
import type { Verdict, VmState, TaskState, Status, ActionName, ServerLike, Validation, ActionInfo } from 'nova-states';

await init();
const server: ServerLike = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, locked: false };
const verdict: Verdict = checkAction('pause', server, { admin: true, microversion: '2.104' });
const allowed: boolean = verdict.allowed;
const status: number = verdict.denials[0]?.httpStatus ?? 0;
const names: ActionName[] = allowedActions({ vmState: 'active' });
const s: Status = statusOf('active', 'rebooting');
const vm: VmState = parseVmState('active');
const task: TaskState | null = actions()[0]?.setsTask ?? null;
const info: ActionInfo | undefined = actions().find((a) => a.checksLock && a.vmStates.includes(vm));
const path: ActionName[] | null = shortestPath('active', 'shelved_offloaded', { locked: false });
const v: Validation = validateServer({ anything: 1 });
checkAction('os-stop', { server: { 'OS-EXT-STS:vm_state': 'active' } });
// @ts-expect-error: not a vm state
statusOf('actve');
// @ts-expect-error: not an action
checkAction('paws', server);
// @ts-expect-error: admin is a boolean
checkAction('pause', server, { admin: 'yes' });
export { allowed, status, names, s, task, info, path, v };
