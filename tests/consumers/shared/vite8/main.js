// A Vite app with no vite.config: the README's usage, reported on the page.
import { checkAction } from 'nova-states';

const stopped = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, status: 'SHUTOFF', locked: false, 'OS-SRV-USG:launched_at': '2024-01-01T00:00:00.000000', id: 'b1b2' };
const verdict = checkAction('unpause', stopped);
const result = {
  unpause: verdict.allowed,
  message: verdict.allowed ? null : verdict.denials[0].message,
  start: checkAction('os-start', stopped).allowed,
};
document.getElementById('out').textContent = JSON.stringify(result);
window.__result = { ...result, ms: performance.now() - window.__t0 };
