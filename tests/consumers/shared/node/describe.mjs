// Node ESM: the `nova-states/describe` entry (the state graph, and the checks again), one JSON
// line on stdout.
import { t0 } from './t0.mjs';
import { checkAction, shortestPath, toDot } from 'nova-states/describe';

const stopped = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, status: 'SHUTOFF', locked: false, 'OS-SRV-USG:launched_at': '2024-01-01T00:00:00.000000', id: 'b1b2' };
const verdict = checkAction('unpause', stopped);
const result = {
  unpause: verdict.allowed,
  message: verdict.allowed ? null : verdict.denials[0].message,
  start: checkAction('os-start', stopped).allowed,
  path: shortestPath('stopped', 'active'),
  dot: toDot().slice(0, 60),
};
console.log(JSON.stringify({ ...result, ms: performance.now() - t0 }));
