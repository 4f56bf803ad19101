// The JS half of nova-states' hot paths. Crossing the wasm boundary costs far more than the
// rules themselves, so this side reads a server record into small integer codes (names become
// indices through Maps built once) in scratch memory shared with Rust, calls a raw export that
// decides with the Rust core and writes its decision back as codes, and builds the result from
// tables of interned strings and cached denial templates. The tables come from Rust once,
// through `setup`; the templates from Rust the first time each is needed.

let ACTIONS, RESTS, STATUSES, SEVERITIES, CODES, ASSUMPTIONS, LOOKUP, MICROVERSIONS, ID_PLACEHOLDER;
// Maps from a known name to its index, for the name slots of a record.
let STATUS_INDEX, VM_INDEX, TASK_INDEX;
// The record keys in reading order, `server` last (see nova_states::record::KEYS).
let KEYS;
// Values Rust asks for by slot when a code is not enough (unknown names, odd numbers, the id).
const held = [];
// The module's memory and raw exports, and the scratch both sides share (see fast.rs).
let MEMORY, EXPORTS, SCRATCH_PTR, SCRATCH_LEN, scratchView = new Int32Array(0);
// Denial templates by key (see `template_key` in fast.rs): the denial with its message split
// where the server's id goes.
const TEMPLATES = new Map();
// Where the decision starts in scratch, after the record codes.
let OUT;
// What the last throwing getter threw, for `thrown_error`.
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

/** Receives every table once; each table argument is names joined by newlines. */
export function setup(actions, rests, statuses, vm, task, keys, slotOf, lookup, microversions, severities, codes, assumptions, idPlaceholder, memory, exports, scratch, scratchLen, out) {
  OUT = out;
  MEMORY = memory;
  EXPORTS = exports;
  SCRATCH_PTR = scratch;
  SCRATCH_LEN = scratchLen;
  ACTIONS = lines(actions);
  RESTS = lines(rests);
  STATUSES = lines(statuses);
  SEVERITIES = lines(severities);
  CODES = lines(codes);
  ID_PLACEHOLDER = idPlaceholder;
  ASSUMPTIONS = lines(assumptions).map((line) => {
    const [field, assumed] = line.split('\t');
    return { field, assumed };
  });
  KEYS = lines(keys);
  if (KEYS.join() !== READ_ORDER.join() || slotOf !== '0,1,2,2,3,3,4,4,5,6,7,8,8' || out !== THROWN_KEY + 2) {
    throw new Error('nova-states: fast.js reads other record keys than the Rust core');
  }
  STATUS_INDEX = indexMap(STATUSES);
  VM_INDEX = indexMap(lines(vm));
  TASK_INDEX = indexMap(lines(task));
  LOOKUP = tabbed(lookup);
  MICROVERSIONS = tabbed(microversions);
}

/** A Map from the first column of tab-separated lines to the second, as a number; the first
 * line with a name wins. */
function tabbed(text) {
  const map = new Map();
  for (const line of lines(text)) {
    const [name, code] = line.split('\t');
    if (!map.has(name)) map.set(name, Number(code));
  }
  return map;
}

/** The scratch memory as a view, renewed when the memory has grown (which detaches the old
 * buffer and empties every view of it). */
function scratch() {
  if (scratchView.length === 0) scratchView = new Int32Array(MEMORY.buffer, SCRATCH_PTR, SCRATCH_LEN);
  return scratchView;
}

/** The action code of a method or REST name (see Rust `action_code`), or -1. */
export function action_code(value) {
  if (typeof value !== 'string') return -1;
  const code = LOOKUP.get(value);
  return code === undefined ? -1 : code;
}

const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

// Kinds of a slot value, as Rust decodes them.
// Where read_record writes the index of the key whose getter threw: after the 9 slots.
const THROWN_KEY = 18;
const MISSING = 0, NULL = 1, BOOL = 2, INT = 3, NUMBER = 4, NAME = 5, STRING = 6, OTHER = 7;

/** Writes a name slot's kind and payload: a known name becomes its index in `names`. */
function encodeName(v, slot, out, names) {
  if (typeof v === 'string') {
    const index = names.get(v);
    if (index !== undefined) { out[2 * slot] = NAME; out[2 * slot + 1] = index; return; }
  }
  encode(v, slot, out);
}

/** Writes a slot's kind and payload. */
function encode(v, slot, out) {
  if (v === undefined) out[2 * slot] = MISSING;
  else encodeOther(v, 2 * slot, out, slot);
}

function encodeOther(v, at, out, slot) {
  if (v === null) { out[at] = NULL; return; }
  switch (typeof v) {
    case 'boolean': out[at] = BOOL; out[at + 1] = v ? 1 : 0; return;
    case 'number':
      if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) { out[at] = INT; out[at + 1] = v; }
      else { out[at] = NUMBER; held[slot] = v; }
      return;
    case 'string': out[at] = STRING; out[at + 1] = v.length > 0 ? 1 : 0; held[slot] = v; return;
    case 'symbol': out[at] = OTHER; out[at + 1] = 0; return;
    case 'bigint': out[at] = OTHER; out[at + 1] = 1; return;
    case 'function': out[at] = OTHER; out[at + 1] = 2; return;
    default: out[at] = OTHER; out[at + 1] = isArray(v) ? 3 : 4;
  }
}

/** Array.isArray, which throws for a revoked proxy; that counts as an object. */
function isArray(v) {
  try {
    return Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * Reads a server record (or its `{server: …}` envelope) into `out`: per slot a kind and a
 * payload, then the index (in KEYS) of the key whose getter threw. Returns 0 when read, 1 when
 * `value` is not a record, 2 when a getter or proxy trap threw (kept for `thrown_error`).
 * The keys are written out (not looped over) so each read is a fast named property access;
 * `setup` checks they are the ones Rust reads, in its order. A Nova key that is absent falls
 * back to its plain spelling. Every key is read before anything is written, so a getter that
 * calls into nova-states again cannot mix its record into this one.
 */
export function read_record(value, out) {
  let key = KEYS.length - 1; // `server`
  let id, status, vm, task, power, locked, launchedAt, launched, host;
  try {
    if (!isRecord(value)) return 1;
    const inner = value.server;
    const o = isRecord(inner) ? inner : value;
    key = 0; id = o.id;
    key = 1; status = o.status;
    key = 2; vm = o['OS-EXT-STS:vm_state'];
    if (vm === undefined) { key = 3; vm = o.vmState; }
    key = 4; task = o['OS-EXT-STS:task_state'];
    if (task === undefined) { key = 5; task = o.taskState; }
    key = 6; power = o['OS-EXT-STS:power_state'];
    if (power === undefined) { key = 7; power = o.powerState; }
    key = 8; locked = o.locked;
    key = 9; launchedAt = o['OS-SRV-USG:launched_at'];
    // `launched` only counts when `launched_at` is absent (see Facts::read).
    if (launchedAt === undefined) { key = 10; launched = o.launched; }
    key = 11; host = o['OS-EXT-SRV-ATTR:host'];
    if (host === undefined) { key = 12; host = o.host; }
  } catch (e) {
    thrown = e;
    out[THROWN_KEY] = key;
    return 2;
  }
  encode(id, 0, out);
  encodeName(status, 1, out, STATUS_INDEX);
  encodeName(vm, 2, out, VM_INDEX);
  encodeName(task, 3, out, TASK_INDEX);
  encode(power, 4, out);
  encode(locked, 5, out);
  encode(launchedAt, 6, out);
  encode(launched, 7, out);
  encode(host, 8, out);
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

/** The options of a call packed for Rust: bit 0 admin, above it the microversion's minor (0 for
 * the default); -1 when anything is unusual, for the general path to read and report. */
function optionFlags(options) {
  if (options === undefined || options === null) return 0;
  if (!isRecord(options)) return -1;
  let admin, locked, microversion;
  try {
    admin = options.admin;
    locked = options.locked;
    microversion = options.microversion;
  } catch {
    return -1;
  }
  if (!(admin === undefined || admin === null || typeof admin === 'boolean')) return -1;
  if (!(locked === undefined || locked === null || typeof locked === 'boolean')) return -1;
  let minor = 0;
  if (microversion !== undefined && microversion !== null) {
    minor = MICROVERSIONS.get(microversion);
    if (minor === undefined) return -1;
  }
  return (admin === true ? 1 : 0) + 2 * minor;
}

/** Reads a call's record into scratch: its packed options (see `optionFlags`), or -1 when
 * the general path must answer. */
function readCall(server, options) {
  const flags = optionFlags(options);
  return flags < 0 || read_record(server, scratch()) !== 0 ? -1 : flags;
}

/** The assumptions packed as indices into ASSUMPTIONS plus one, four bits each. */
function assumed(packed) {
  const list = [];
  for (let a = packed; a !== 0; a >>>= 4) {
    const { field, assumed } = ASSUMPTIONS[(a & 15) - 1];
    list.push({ field, assumed });
  }
  return list;
}

/** Keeps a denial template Rust describes (see `nova_describe`); `expected` is joined by
 * newlines, and the message has NUL where the server's id goes. */
export function denial_template(key, kind, actual, expected, message, httpStatus) {
  const parts = message.split('\0');
  // Every verdict shares the template's `expected`, frozen (typed readonly in the .d.ts).
  TEMPLATES.set(key, { kind, actual, expected: Object.freeze(lines(expected)), parts, httpStatus });
}

/** `checkAction` for a well-formed call, or undefined when the general path must answer
 * (also before the first general call has sent the tables). */
export function check_fast(action, server, options) {
  const code = typeof action === 'string' && LOOKUP !== undefined ? LOOKUP.get(action) : undefined;
  if (code === undefined) return undefined;
  const flags = readCall(server, options);
  if (flags < 0) return undefined;
  const count = EXPORTS.nova_check(code, flags);
  if (count < 0) return undefined;
  let s = scratch();
  const packed = s[OUT + 2];
  const verdict = { action: ACTIONS[s[OUT]], rest: RESTS[s[OUT + 1]], allowed: count === 0, denials: [], assumptions: packed === 0 ? [] : assumed(packed) };
  if (count === 0) return verdict;
  const id = s[0] === STRING ? held[0] : ID_PLACEHOLDER;
  for (let i = 0; i < count; i++) {
    let t = TEMPLATES.get(s[OUT + 3 + i]);
    if (t === undefined) {
      EXPORTS.nova_describe(code, flags);
      s = scratch();
      t = TEMPLATES.get(s[OUT + 3 + i]);
    }
    const parts = t.parts;
    const message = parts.length === 1 ? parts[0] : parts.length === 2 ? parts[0] + id + parts[1] : parts.join(id);
    verdict.denials.push({ kind: t.kind, actual: t.actual, expected: t.expected, message, httpStatus: t.httpStatus });
  }
  return verdict;
}

/** `allowedActions` for a well-formed call, or undefined when the general path must answer. */
export function allowed_fast(server, options) {
  if (LOOKUP === undefined) return undefined;
  const flags = readCall(server, options);
  if (flags < 0 || EXPORTS.nova_allowed(flags) < 0) return undefined;
  const s = scratch();
  return action_names(s[OUT], s[OUT + 1]);
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
