// Vitest with no configuration: a test file importing nova-states as the README shows.
import { test, expect } from 'vitest';
import { checkAction } from 'nova-states';

const stopped = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, status: 'SHUTOFF', locked: false, 'OS-SRV-USG:launched_at': '2024-01-01T00:00:00.000000', id: 'b1b2' };

test('checkAction answers for a stopped server', () => {
  const verdict = checkAction('unpause', stopped);
  expect(verdict.allowed).toBe(false);
  expect(verdict.denials[0].message).toBe("Cannot 'unpause' instance b1b2 while it is in vm_state stopped");
  expect(checkAction('os-start', stopped).allowed).toBe(true);
});
