// A server record's values per slot, read as the core's key table says (Nova's spelling
// first): what the tests' core module's `checkRecord`/`validateRecord` take (core.mjs), for
// the tests that compare the package with the core.
import { ENVELOPE } from '../../wasm/js/generated/abi.js';
import { RECORD_KEYS } from '../../wasm/js/generated/codes.js';

export function valuesOf(server) {
  const record = server[ENVELOPE] && typeof server[ENVELOPE] === 'object' ? server[ENVELOPE] : server;
  const values = [];
  for (const [key, slot] of RECORD_KEYS) if (values[slot] === undefined) values[slot] = record[key];
  return values;
}
