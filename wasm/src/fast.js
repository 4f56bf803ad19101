// The JS half of nova-states' hot paths. Crossing the wasm boundary costs far more than the
// rules themselves, so this side reads a server record into small integer codes (names become
// indices through Maps built once) and builds the result objects from tables of interned
// strings; the Rust side decides. The tables come from Rust once, through `setup`.

let ACTIONS, RESTS, KINDS, ACTUALS, FIXED_EXPECTED, STATUSES, SEVERITIES, CODES, ASSUMPTIONS;
let LOOKUP, EXPECTED;
// Per record slot: the Map from a known name to its index, or undefined.
let NAMES;
// The record keys in reading order, `server` last (see nova_states::record::KEYS).
let KEYS;
// Values Rust asks for by slot when a code is not enough (unknown names, odd numbers, the id).
const held = [];
// The module's memory, for reading short texts without a TextDecoder call.
let MEMORY, bytes = new Uint8Array(0);
const decoder = new TextDecoder();

/** The UTF-8 text at `ptr` in wasm memory; short ASCII texts are built by hand (faster). */
function text(ptr, len) {
  if (bytes.buffer !== MEMORY.buffer) bytes = new Uint8Array(MEMORY.buffer);
  if (len <= 160) {
    let s = '';
    for (let i = ptr; i < ptr + len; i++) {
      const c = bytes[i];
      if (c > 127) return decoder.decode(bytes.subarray(ptr, ptr + len));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(bytes.subarray(ptr, ptr + len));
}
let thrown;

const encoder = new TextEncoder();
let encodedRead = 0;

/** Writes `text` as UTF-8 into wasm memory at `ptr`, at most `cap` bytes; returns the bytes
 * written (`encoded_read` then tells how many UTF-16 units that took). One native call: far
 * faster for a megabyte response than copying it character by character. */
export function encode_into(text, ptr, cap) {
  const { read, written } = encoder.encodeInto(text, new Uint8Array(MEMORY.buffer, ptr, cap));
  encodedRead = read;
  return written;
}

/** How many UTF-16 units the last `encode_into` consumed. */
export function encoded_read() {
  return encodedRead;
}

const lines = (text) => (text === '' ? [] : text.split('\n'));
const indexMap = (names) => new Map(names.map((n, i) => [n, i]));

/** Receives every table once; each argument is names joined by newlines. */
export function setup(actions, rests, kinds, actuals, fixedExpected, statuses, vm, task, keys, slotOf, lookup, expected, severities, codes, assumptions, memory) {
  MEMORY = memory;
  ACTIONS = lines(actions);
  RESTS = lines(rests);
  KINDS = lines(kinds);
  ACTUALS = lines(actuals);
  FIXED_EXPECTED = lines(fixedExpected).map((e) => [e]);
  STATUSES = lines(statuses);
  SEVERITIES = lines(severities);
  CODES = lines(codes);
  ASSUMPTIONS = lines(assumptions).map((line) => {
    const [field, assumed] = line.split('\t');
    return { field, assumed };
  });
  KEYS = lines(keys);
  if (KEYS.join() !== READ_ORDER.join() || slotOf !== '0,1,2,2,3,3,4,4,5,6,7,8,8') {
    throw new Error('nova-states: fast.js reads other record keys than the Rust core');
  }
  NAMES = [undefined, indexMap(STATUSES), indexMap(lines(vm)), indexMap(lines(task))];
  LOOKUP = new Map();
  for (const line of lines(lookup)) {
    const [name, code] = line.split('\t');
    if (!LOOKUP.has(name)) LOOKUP.set(name, Number(code));
  }
  // Per action: accepted vm states, then accepted task states ("None" = no task).
  EXPECTED = lines(expected).map((line) => (line === '-' ? [] : line.split(',')));
}

/** The action code of a method or REST name (see Rust `action_code`), or -1. */
export function action_code(value) {
  if (typeof value !== 'string') return -1;
  const code = LOOKUP.get(value);
  return code === undefined ? -1 : code;
}

const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

// Kinds of a slot value, as Rust decodes them.
const MISSING = 0, NULL = 1, BOOL = 2, INT = 3, NUMBER = 4, NAME = 5, STRING = 6, OTHER = 7;

function encode(v, slot, out) {
  const at = 2 * slot;
  if (v === undefined) return;
  if (v === null) { out[at] = NULL; return; }
  switch (typeof v) {
    case 'boolean': out[at] = BOOL; out[at + 1] = v ? 1 : 0; return;
    case 'number':
      if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) { out[at] = INT; out[at + 1] = v; }
      else { out[at] = NUMBER; held[slot] = v; }
      return;
    case 'string': {
      const names = NAMES[slot];
      const index = names === undefined ? undefined : names.get(v);
      if (index !== undefined) { out[at] = NAME; out[at + 1] = index; }
      else { out[at] = STRING; out[at + 1] = v.length > 0 ? 1 : 0; held[slot] = v; }
      return;
    }
    case 'symbol': out[at] = OTHER; out[at + 1] = 0; return;
    case 'bigint': out[at] = OTHER; out[at + 1] = 1; return;
    case 'function': out[at] = OTHER; out[at + 1] = 2; return;
    default: out[at] = OTHER; out[at + 1] = Array.isArray(v) ? 3 : 4;
  }
}

/**
 * Reads a server record (or its `{server: …}` envelope) into `out`: per slot a kind and a
 * payload, then the index (in KEYS) of the key whose getter threw. Returns 0 when read, 1 when
 * `value` is not a record, 2 when a getter or proxy trap threw (kept for `thrown_error`).
 * The keys are written out (not looped over) so each read is a fast named property access;
 * `setup` checks they are the ones Rust reads, in its order. A Nova key that is absent falls
 * back to its plain spelling.
 */
export function read_record(value, out) {
  let key = KEYS.length - 1; // `server`
  try {
    if (!isRecord(value)) return 1;
    const inner = value.server;
    const o = isRecord(inner) ? inner : value;
    out.fill(0);
    key = 0; encode(o.id, 0, out);
    key = 1; encode(o.status, 1, out);
    key = 2; let v = o['OS-EXT-STS:vm_state'];
    if (v === undefined) { key = 3; v = o.vmState; }
    encode(v, 2, out);
    key = 4; v = o['OS-EXT-STS:task_state'];
    if (v === undefined) { key = 5; v = o.taskState; }
    encode(v, 3, out);
    key = 6; v = o['OS-EXT-STS:power_state'];
    if (v === undefined) { key = 7; v = o.powerState; }
    encode(v, 4, out);
    key = 8; encode(o.locked, 5, out);
    key = 9; encode(o['OS-SRV-USG:launched_at'], 6, out);
    key = 10; encode(o.launched, 7, out);
    key = 11; v = o['OS-EXT-SRV-ATTR:host'];
    if (v === undefined) { key = 12; v = o.host; }
    encode(v, 8, out);
  } catch (e) {
    thrown = e;
    out[out.length - 1] = key;
    return 2;
  }
  return 0;
}

const READ_ORDER = ['id', 'status', 'OS-EXT-STS:vm_state', 'vmState', 'OS-EXT-STS:task_state', 'taskState',
  'OS-EXT-STS:power_state', 'powerState', 'locked', 'OS-SRV-USG:launched_at', 'launched', 'OS-EXT-SRV-ATTR:host', 'host', 'server'];

/** The value of a slot that `read_record` kept. */
export function held_value(slot) {
  return held[slot];
}

/** What the last throwing getter threw. */
export function thrown_error() {
  const e = thrown;
  thrown = undefined;
  return e;
}

/** A verdict with no denials yet; `assumptions` packs assumption indices + 1, 4 bits each. */
export function verdict(action, rest, allowed, assumptions) {
  const list = [];
  for (let a = assumptions; a !== 0; a = Math.floor(a / 16)) {
    const { field, assumed } = ASSUMPTIONS[(a % 16) - 1];
    list.push({ field, assumed });
  }
  return { action: ACTIONS[action], rest: RESTS[rest], allowed, denials: [], assumptions: list };
}

/** Adds a denial whose actual value and expected list come from the tables. */
export function push_denial(verdict, kind, actual, expected, messagePtr, messageLen, httpStatus) {
  const message = text(messagePtr, messageLen);
  const list = expected >= 0 ? EXPECTED[expected] : FIXED_EXPECTED[-1 - expected];
  verdict.denials.push({ kind: KINDS[kind], actual: ACTUALS[actual], expected: list.slice(), message, httpStatus });
}

/** Adds a denial given as text (the microversion one); `expected` is joined by newlines. */
export function push_denial_text(verdict, kind, actual, expected, message, httpStatus) {
  verdict.denials.push({ kind: KINDS[kind], actual, expected: lines(expected), message, httpStatus });
}

/** Adds an assumption the tables do not know. */
export function push_assumption(verdict, field, assumed) {
  verdict.assumptions.push({ field, assumed });
}

/** The action names whose bits are set in `low` (actions 0–31) and `high` (32–63). */
export function action_names(low, high) {
  const out = [];
  for (let i = 0; i < ACTIONS.length; i++) {
    const bit = i < 32 ? (low >>> i) & 1 : (high >>> (i - 32)) & 1;
    if (bit) out.push(ACTIONS[i]);
  }
  return out;
}

/** Validation results for statuses packed one byte each: status index, 0x80 when not ok. */
export function validations(packed) {
  const out = new Array(packed.length);
  for (let i = 0; i < packed.length; i++) {
    const b = packed[i];
    out[i] = { ok: (b & 0x80) === 0, status: STATUSES[b & 0x7f], diagnostics: [] };
  }
  return out;
}

/** Adds a diagnostic to the validation result `validation`. */
export function push_diagnostic(validation, severity, code, message) {
  validation.diagnostics.push({ severity: SEVERITIES[severity], code: CODES[code], message });
}

/** Adds a diagnostic to the `index`th of `validations`. */
export function push_diagnostic_at(validations, index, severity, code, message) {
  push_diagnostic(validations[index], severity, code, message);
}
