// Example servers written for this page (not taken from Nova's API samples): small records in
// the shape Nova's API returns, to show the inspector at work.
// Every example is in one project, the page's default server project (see Who is asking).
const PROJECT = 'project-a';
const uuid = (n) => `5e1f0c3a-7b2d-4c8e-9a10-00000000000${n}`;

export const EXAMPLES = [
  {
    title: 'web-01 — running normally',
    record: {
      server: {
        id: uuid(1), name: 'web-01', tenant_id: PROJECT, status: 'ACTIVE', locked: false,
        'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, 'OS-EXT-STS:power_state': 1,
        'OS-SRV-USG:launched_at': '2026-03-02T09:14:51.000000', 'OS-EXT-SRV-ATTR:host': 'compute-03',
      },
    },
  },
  {
    title: 'db-02 — stuck in a soft reboot',
    record: {
      server: {
        id: uuid(2), name: 'db-02', tenant_id: PROJECT, status: 'REBOOT', locked: false,
        'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': 'rebooting', 'OS-EXT-STS:power_state': 1,
        'OS-SRV-USG:launched_at': '2026-01-18T22:40:07.000000',
      },
    },
  },
  {
    title: 'batch-07 — stopped and locked',
    record: {
      server: {
        id: uuid(3), name: 'batch-07', tenant_id: PROJECT, status: 'SHUTOFF', locked: true,
        'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, 'OS-EXT-STS:power_state': 4,
        'OS-SRV-USG:launched_at': '2025-11-30T06:02:11.000000',
      },
    },
  },
  {
    title: 'ci-runner — resize waiting for confirmation',
    record: {
      server: {
        id: uuid(4), name: 'ci-runner', tenant_id: PROJECT, status: 'VERIFY_RESIZE', locked: false,
        'OS-EXT-STS:vm_state': 'resized', 'OS-EXT-STS:task_state': null, 'OS-EXT-STS:power_state': 1,
        'OS-SRV-USG:launched_at': '2026-02-11T13:30:00.000000',
      },
    },
  },
  {
    title: 'archive — shelved and offloaded',
    record: {
      server: {
        id: uuid(5), name: 'archive', tenant_id: PROJECT, status: 'SHELVED_OFFLOADED', locked: false,
        'OS-EXT-STS:vm_state': 'shelved_offloaded', 'OS-EXT-STS:task_state': null, 'OS-EXT-STS:power_state': 4,
        'OS-SRV-USG:launched_at': '2024-08-05T10:00:00.000000', 'OS-EXT-SRV-ATTR:host': null,
      },
    },
  },
  {
    title: 'plain form — an instance in error',
    record: { projectId: PROJECT, vmState: 'error', taskState: null, powerState: 4, locked: false, launched: true, host: 'compute-11' },
  },
];

// The servers above as one GET /servers/detail response, first in the list.
EXAMPLES.unshift({
  title: 'GET /servers/detail — the five servers below in one response',
  record: { servers: EXAMPLES.filter((ex) => ex.record.server).map((ex) => ex.record.server) },
});
