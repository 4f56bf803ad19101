// TypeScript, strict: the README's usage type-checks, `Verdict` narrows on `allowed`, and a
// dashboard's own server object (plain strings, no `as const`) is accepted.
import { checkAction } from 'nova-states';
import type { Verdict } from 'nova-states';

const t0 = performance.now();
const stopped = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, status: 'SHUTOFF', locked: false, 'OS-SRV-USG:launched_at': '2024-01-01T00:00:00.000000', id: 'b1b2' };
const verdict: Verdict = checkAction('unpause', stopped);
let message: string | null = null;
if (!verdict.allowed) {
  message = verdict.denials[0].message;
}
const start: boolean = checkAction('os-start', stopped).allowed;

// `Verdict` is a discriminated union: each branch of `allowed` exists on its own.
type IsNever<T> = [T] extends [never] ? true : false;
const refusedBranch: IsNever<Extract<Verdict, { allowed: false }>> = false;
const allowedBranch: IsNever<Extract<Verdict, { allowed: true }>> = false;
void refusedBranch;
void allowedBranch;

console.log(JSON.stringify({ unpause: verdict.allowed, message, start, ms: performance.now() - t0 }));
