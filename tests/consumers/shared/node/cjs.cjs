// CommonJS: require() of nova-states, one JSON line on stdout. Run on the lowest Node the
// package's `engines` admits and on the machine's Node.
const t0 = performance.now();
const { checkAction } = require('nova-states');

const stopped = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, status: 'SHUTOFF', locked: false, 'OS-SRV-USG:launched_at': '2024-01-01T00:00:00.000000', id: 'b1b2' };
const verdict = checkAction('unpause', stopped);
const result = {
  unpause: verdict.allowed,
  message: verdict.allowed ? null : verdict.denials[0].message,
  start: checkAction('os-start', stopped).allowed,
};
console.log(JSON.stringify({ ...result, ms: performance.now() - t0 }));
