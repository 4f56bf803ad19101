import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

// The default import as a dashboard makes it: every dashboard function of SPEC §4, bundled as
// one entry by the bench (bench.mjs, floor.mjs) and the size ratchet (tests/js/size.test.mjs).
const NAMES = 'checkAction, allowedActions, actionsFor, createChecker, statusOf, statesForStatus, isTransitional, isServerRecord, validateServer, validateServers, parseVmState, parseTaskState, parseStatus, parsePowerState, ACTION_NAMES, VM_STATES, TASK_STATES, STATUSES';
export const DASHBOARD = `import { ${NAMES} } from 'nova-states';\nglobalThis.api = { ${NAMES} };\n`;

/** A bundle's text with the inlined module's bytes (the long base64 literal) left out: the JS alone. */
export const withoutModule = (text) => text.replace(/"[A-Za-z0-9+/=]{1000,}"/, '""');

/** The WebAssembly module a package entry (`'nova-states'`, `'nova-states/describe'`) inlines:
 * its deflated base64 text as the entry holds it, and its bytes. */
export function inlinedModule(entry) {
  const text = readFileSync(fileURLToPath(import.meta.resolve(entry)), 'utf8');
  const base64 = text.match(/WASM_DEFLATED = "([A-Za-z0-9+/=]+)"/)[1];
  return { base64, bytes: inflateRawSync(Buffer.from(base64, 'base64')) };
}
