// The consumer every bundler builds (webpack, esbuild esm/iife/node, Rollup) and the plain page
// loads: the README's usage, nothing else. It reports {unpause, message, start, ms} on the page
// (window.__result and #out) or, in Node, as one JSON line on stdout.
import { t0 } from './t0.js';
import { checkAction } from 'nova-states';

const stopped = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, status: 'SHUTOFF', locked: false, 'OS-SRV-USG:launched_at': '2024-01-01T00:00:00.000000', id: 'b1b2' };
const verdict = checkAction('unpause', stopped);
const result = {
  unpause: verdict.allowed,
  message: verdict.allowed ? null : verdict.denials[0].message,
  start: checkAction('os-start', stopped).allowed,
};
const ms = performance.now() - t0;

if (typeof document === 'undefined') {
  console.log(JSON.stringify({ ...result, ms }));
} else {
  document.getElementById('out').textContent = JSON.stringify(result);
  window.__result = { ...result, ms };
}
