// The API of nova-states over one of its WebAssembly modules. The rules live in Rust; this
// file reads server records, turns their names into the numeric codes that wasm/build.rs
// generated from the Rust tables (./generated/codes.js), asks the module with numbers only,
// and builds the results, caching each denial's wording the first time it is needed. Anything
// the codes cannot carry (a value of the wrong type, an unknown name) goes to the module's
// general exports, which report it with the message the Rust core wrote.
//
// Both entries use it: index.js over the main module, describe.js over the descriptive one
// (which has every export of the main one too).

import {
  ABI,
  ACTION_CODES,
  ACTION_NAMES as ACTIONS,
  ASSUMPTIONS,
  DIGEST,
  ENVELOPE,
  ID_PLACEHOLDER,
  MAX_MINOR,
  POWER_STATES,
  RECORD_KEYS,
  RELEASES,
  readSlots,
  REST_NAMES,
  STATUSES as STATUS_LIST,
  TASK_STATES as TASK_LIST,
  VM_STATES as VM_LIST,
} from './generated/codes.js';
import { moduleBytes, opaque } from './shared.js';

const freeze = Object.freeze;

/** Every action, in the rules table's order (compute API method names). */
export const ACTION_NAMES = freeze(ACTIONS.slice());
/** The 12 vm states, in Nova's order. */
export const VM_STATES = freeze(VM_LIST.slice());
/** Every task state, in Nova's order (no task is `null`, not listed). */
export const TASK_STATES = freeze(TASK_LIST.slice());
/** Every API status, `UNKNOWN` included. */
export const STATUSES = freeze(STATUS_LIST.slice());

const { MISSING, NULL, NAME_BASE, UNREADABLE, REFUSED_MASK, ASSUMED_SHIFT, ACTION_SHIFT, REST_SHIFT, ADMIN_BIT } = ABI;

/** The releases whose rules the package knows, oldest first (series names); the newest is the default. */
export const RELEASE_NAMES = freeze(RELEASES.map(([name]) => name));

/** name → code, as a prototype-less object: its property reads beat `Map.get` on the hot path. */
const codeTable = (entries) => Object.assign(Object.create(null), Object.fromEntries(entries));
/** A name's code in `table`; `undefined` for an unknown name or a value that is no name (never
 * converted, so no user code runs). */
const codeOf = (table, v) => (typeof v === 'string' || typeof v === 'number' ? table[v] : undefined);
/** name → code (index + NAME_BASE) for a name table. */
const codeMap = (names) => codeTable(names.map((name, i) => [name, i + NAME_BASE]));
const ACTION_CODE = codeTable(ACTION_CODES);
const VM_CODE = codeMap(VM_LIST);
const TASK_CODE = codeMap(TASK_LIST);
const STATUS_CODE = codeMap(STATUS_LIST);
// A power state may come as its code (Nova's records) or its name (the plain form).
const POWER_CODE = codeTable(POWER_STATES.flatMap(([code, name], i) => [[code, i + NAME_BASE], [name, i + NAME_BASE]]));
/** shape name → code, as an object: `{ missing: 0, null: 1, … }`. */
const shapeCodes = (shapes) => Object.fromEntries(shapes.map((shape, i) => [shape, i]));
const BOOL = shapeCodes(ABI.BOOL_SHAPES);
const TEXT = shapeCodes(ABI.TEXT_SHAPES);
const HOST = shapeCodes(ABI.HOST_SHAPES);

// The record keys per slot, Nova's spelling first, for reading key by key (see readValues).
const SLOT_KEYS = [];
for (const [key, slot] of RECORD_KEYS) {
  SLOT_KEYS[slot] = [...(SLOT_KEYS[slot] ?? []), key];
}

/**
 * Instantiates `glue`'s module from its `deflated` bytes (synchronously: the bytes are inlined,
 * so nothing is fetched) and returns the API over it.
 */
export function bindApi(glue, deflated) {
  const {
    allowedBits,
    argumentError,
    checkGeneral,
    codesDigest,
    decide,
    decideAll,
    denialTemplate,
    explainRecord,
    initSync,
    microversion: parseMicroversion,
    parseName,
    parsePowerCode,
    release: parseRelease,
    releaseForMax,
    statesForStatus: statesForStatusGeneral,
    statusCode,
    transitionalCodes,
    validateCodes,
    validateGeneral,
  } = glue;
  initSync({ module: moduleBytes(deflated) });
  if (codesDigest() !== DIGEST) {
    throw new Error('nova-states: the code tables and the WebAssembly module come from different builds; reinstall the package');
  }

  // ---------------------------------------------------------------------------------------------
  // Reading records and options
  // ---------------------------------------------------------------------------------------------

  /** `Array.isArray`, but false for a revoked proxy (for which it throws). */
  function isArray(v) {
    try {
      return Array.isArray(v);
    } catch {
      return false;
    }
  }
  const isObject = (v) => v !== null && typeof v === 'object' && !isArray(v);
  const opaqueAll = (values) => (values === undefined ? undefined : values.map(opaque));
  /** The module's general path for a call the codes cannot carry: it answers or reports. */
  const general = (action, server, values, options) => checkGeneral(opaque(action), opaque(server), opaqueAll(values), opaque(options));
  /** Throws the module's error for a record or options the codes cannot carry. */
  const explain = (server, values, options) => explainRecord(opaque(server), opaqueAll(values), opaque(options));

  /** A getter or proxy trap that threw while a record was read: a TypeError naming the key. */
  function readFailure(key, thrown) {
    const detail = thrown instanceof Error ? `: ${thrown.message}` : '';
    const error = new TypeError(`reading server record key "${key}" threw${detail}`);
    error.code = 'ERR_NOVA_MALFORMED';
    return error;
  }

  /** One slot's value read key by key, naming the key whose getter throws. */
  function slotValue(record, keys) {
    for (const key of keys) {
      let value;
      try {
        value = record[key];
      } catch (thrown) {
        throw readFailure(key, thrown);
      }
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** The values of a server record, one per slot (see RECORD_KEYS); `undefined` when `server`
   * is not an object. An envelope `{server: {...}}` is read from its inner object. The
   * generated `readSlots` reads each key once; only when a getter throws is the record read
   * again key by key, to name the key in the error. */
  function readValues(server) {
    if (!isObject(server)) return undefined;
    try {
      const inner = server[ENVELOPE];
      return readSlots(isObject(inner) ? inner : server);
    } catch {
      const inner = slotValue(server, [ENVELOPE]);
      const record = isObject(inner) ? inner : server;
      return SLOT_KEYS.map((keys) => slotValue(record, keys));
    }
  }

  const nameCode = (map, v) => (v === undefined ? MISSING : v === null ? NULL : (codeOf(map, v) ?? -1));
  const boolCode = (shapes, v) => (v === undefined ? shapes.missing : v === null ? shapes.null : v === true ? shapes.true : v === false ? shapes.false : -1);
  const textCode = (shapes, v) => (v === undefined ? shapes.missing : v === null ? shapes.null : typeof v === 'string' ? (v === '' ? shapes.empty : shapes.text) : -1);
  const hostCode = (v) => (typeof v === 'boolean' ? boolCode(HOST, v) : textCode(HOST, v));

  /** A record as codes; `ok` is false when a value does not fit them (the general path
   * reports it). */
  class Codes {
    constructor(values) {
      this.values = values;
      const id = values[0];
      this.id = typeof id === 'string' ? id : ID_PLACEHOLDER;
      this.status = nameCode(STATUS_CODE, values[1]);
      this.vm = nameCode(VM_CODE, values[2]);
      this.task = nameCode(TASK_CODE, values[3]);
      this.power = nameCode(POWER_CODE, values[4]);
      const l = boolCode(BOOL, values[5]);
      const la = textCode(TEXT, values[6]);
      const lc = boolCode(BOOL, values[7]);
      const h = hostCode(values[8]);
      this.facts = (l << ABI.LOCKED_SHIFT) | (la << ABI.LAUNCHED_AT_SHIFT) | (lc << ABI.LAUNCHED_SHIFT) | (h << ABI.HOST_SHIFT);
      this.ok = (id === undefined || id === null || typeof id === 'string') && (this.status | this.vm | this.task | this.power | l | la | lc | h) >= 0;
    }
  }

  /** Options read once: the bits they add to the facts (admin, release) and the microversion's minor
   * number. */
  class Options {
    constructor(admin, release, minor) {
      this.bits = (admin ? ADMIN_BIT : 0) | (release << ABI.RELEASE_SHIFT);
      this.release = release;
      this.minor = minor;
    }
  }
  const NEWEST = RELEASES.length - 1;
  const DEFAULT_OPTIONS = new Options(false, NEWEST, MAX_MINOR);
  /** Options with request-body facts: every answer comes from the general path. */
  const BODY_OPTIONS = new Options(false, NEWEST, MAX_MINOR);
  // Parsed option strings, each by the module, once: microversions, releases, cloud maxima.
  const PARSED = [new Map(), new Map(), new Map()];
  function parsed(kind, text, parse) {
    const cache = PARSED[kind];
    let value = cache.get(text);
    if (value === undefined) {
      value = parse(text);
      if (cache.size < 256) cache.set(text, value);
    }
    return value;
  }
  const absent = (v) => v === undefined || v === null;

  /** Reads `{admin?, microversion?, release?, maxMicroversion?}`; throws the module's error for
   * anything else. A release, or the cloud's max microversion that selects one, makes its
   * newest microversion the default. */
  function readOptions(options) {
    if (options === undefined || options === null) return DEFAULT_OPTIONS;
    if (isObject(options)) {
      const { admin, microversion, release, maxMicroversion, targetHost, unshelveDestination } = options;
      const text = (v) => absent(v) || typeof v === 'string';
      // Request-body facts are for the module's general path alone.
      if (!absent(targetHost) || !absent(unshelveDestination)) return BODY_OPTIONS;
      if ((absent(admin) || typeof admin === 'boolean') && text(microversion) && text(release) && text(maxMicroversion)) {
        let chosen = NEWEST;
        if (!absent(release)) chosen = parsed(1, release, parseRelease);
        else if (!absent(maxMicroversion)) chosen = parsed(2, maxMicroversion, releaseForMax);
        // "latest", like no microversion, is the newest the release serves.
        const minor = absent(microversion) || microversion === 'latest' ? RELEASES[chosen][2] : parsed(0, microversion, parseMicroversion);
        return new Options(admin === true, chosen, minor);
      }
    }
    explain(undefined, [], options);
    throw new Error('nova-states: options the module accepted were refused');
  }

  /** The codes of `server`, or throws the module's error for a value that is not a record. */
  function readCodes(server) {
    const values = readValues(server);
    if (values === undefined) {
      explain(server, undefined, undefined);
    }
    return new Codes(values);
  }

  // ---------------------------------------------------------------------------------------------
  // Verdicts
  // ---------------------------------------------------------------------------------------------

  // Denial wordings by everything they depend on; the message is split where the id goes.
  const TEMPLATES = new Map();
  const ASSUMED = [];

  // The denial wordings for one set of facts (vm state, task state, status, microversion), by
  // action code and refusal bit: looked up once per server, then once per denial.
  function wordings(c, o) {
    const key = (((c.vm * 128 + c.task) * 32 + c.status) * 256 + o.minor) * 16 + o.release;
    let table = TEMPLATES.get(key);
    if (table === undefined) {
      table = new Map();
      TEMPLATES.set(key, table);
    }
    return table;
  }

  function template(table, code, c, o, bit) {
    const slot = code * 16 + (31 - Math.clz32(bit));
    let t = table.get(slot);
    if (t === undefined) {
      const d = denialTemplate(code, c.vm, c.task, c.status, c.power, c.facts | o.bits, o.minor, bit);
      const at = d.message.indexOf('\0');
      t = {
        kind: d.kind,
        reason: d.reason,
        text: d.text,
        actual: d.actual,
        expected: freeze(d.expected),
        head: at < 0 ? d.message : d.message.slice(0, at),
        tail: at < 0 ? null : d.message.slice(at + 1),
        httpStatus: d.httpStatus,
      };
      table.set(slot, t);
    }
    return t;
  }

  function denials(table, code, c, o, refused) {
    const out = [];
    for (let bits = refused; bits !== 0; bits &= bits - 1) {
      const t = template(table, code, c, o, bits & -bits);
      out.push({
        kind: t.kind,
        actual: t.actual,
        expected: t.expected,
        reason: t.reason,
        text: t.text,
        message: t.tail === null ? t.head : t.head + c.id + t.tail,
        httpStatus: t.httpStatus,
      });
    }
    return out;
  }

  /** The assumptions of a decision's bits: a fresh array of shared, frozen entries. */
  function assumptions(packed) {
    const bits = (packed >>> ASSUMED_SHIFT) & 31;
    if (bits === 0) return [];
    let list = ASSUMED[bits];
    if (list === undefined) {
      list = ASSUMPTIONS.filter((_, i) => bits & (1 << i)).map((a) => freeze({ ...a }));
      ASSUMED[bits] = list;
    }
    return list.slice();
  }

  function verdict(table, code, c, o, packed) {
    const row = (packed >>> ACTION_SHIFT) & 127;
    const refused = packed & REFUSED_MASK;
    return {
      action: ACTIONS[row],
      rest: REST_NAMES[row][(packed >>> REST_SHIFT) & 15],
      allowed: refused === 0,
      denials: refused === 0 ? [] : denials(table ?? wordings(c, o), code, c, o, refused),
      assumptions: assumptions(packed),
    };
  }

  function check(action, server, options, o) {
    const code = codeOf(ACTION_CODE, action);
    const values = readValues(server);
    if (code !== undefined && values !== undefined && o !== BODY_OPTIONS) {
      const c = new Codes(values);
      if (c.ok) {
        const packed = decide(code, c.vm, c.task, c.status, c.power, c.facts | o.bits, o.minor);
        if ((packed & UNREADABLE) === 0) return verdict(null, code, c, o, packed);
      }
    }
    return general(action, server, values, options);
  }

  /** Every action's packed decision for `c`, or `null` when the record needs the general path. */
  function decisions(c, o) {
    if (!c.ok || o === BODY_OPTIONS) return null;
    const all = decideAll(c.vm, c.task, c.status, c.power, c.facts | o.bits, o.minor);
    return all[0] & UNREADABLE ? null : all;
  }

  function allowed(server, options, o) {
    const c = readCodes(server);
    const out = [];
    for (let word = 0; c.ok && o !== BODY_OPTIONS && word * 32 < ACTIONS.length; word++) {
      const bits = allowedBits(c.vm, c.task, c.status, c.power, c.facts | o.bits, o.minor, word);
      if (bits < 0) break;
      for (let i = 0; i < 32 && word * 32 + i < ACTIONS.length; i++) if (bits & (1 << i)) out.push(ACTIONS[word * 32 + i]);
      if ((word + 1) * 32 >= ACTIONS.length) return out;
    }
    explain(server, c.values, options);
    return ACTIONS.filter((a) => general(a, server, c.values, options).allowed);
  }

  function everyAction(server, options, o) {
    const c = readCodes(server);
    const all = decisions(c, o);
    const out = new Array(ACTIONS.length);
    const table = all === null ? null : wordings(c, o);
    for (let i = 0; i < ACTIONS.length; i++) {
      const action = ACTIONS[i];
      out[i] = {
        action,
        verdict: all === null ? general(action, server, c.values, options) : verdict(table, i << ABI.VIA_BITS, c, o, all[i]),
      };
    }
    return out;
  }

  /**
   * Whether Nova would accept `action` on `server`, and if not, every reason.
   * @param {string} action a compute API method name (`"shelve_offload"`) or REST action name (`"os-stop"`)
   * @param {object} server a server record as Nova returns it, its envelope, or `{ vmState, … }`
   * @param {{ admin?: boolean, microversion?: string }} [options]
   */
  function checkAction(action, server, options) {
    return check(action, server, options, readOptions(options));
  }

  /** The method names of every action Nova would accept on `server`, in table order. */
  function allowedActions(server, options) {
    return allowed(server, options, readOptions(options));
  }

  /** Every action with its verdict for `server`, in table order, from one call into the module. */
  function actionsFor(server, options) {
    return everyAction(server, options, readOptions(options));
  }

  /** `checkAction`, `allowedActions` and `actionsFor` with `options` read once. */
  function createChecker(options) {
    const o = readOptions(options);
    return freeze({
      checkAction: (action, server) => check(action, server, options, o),
      allowedActions: (server) => allowed(server, options, o),
      actionsFor: (server) => everyAction(server, options, o),
    });
  }

  /** Whether Nova is in the middle of something with `server` (a task runs, it is building, or
   * its status is one Nova shows only during a task): whether a dashboard should poll again. */
  function isTransitional(server) {
    const c = readCodes(server);
    const answer = c.ok ? transitionalCodes(c.vm, c.task, c.status, c.power, c.facts) : 2;
    if (answer === 2) {
      explain(server, c.values, undefined);
      throw new Error('nova-states: a record the module accepted was refused');
    }
    return answer === 1;
  }

  /** Whether `value` is a server record this library reads (an object with a vm state or a
   * status it knows, or such an envelope); never throws. */
  function isServerRecord(value) {
    try {
      const values = readValues(value);
      if (values === undefined) return false;
      const c = new Codes(values);
      return c.ok && transitionalCodes(c.vm, c.task, c.status, c.power, c.facts) !== 2;
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Validation
  // ---------------------------------------------------------------------------------------------

  function validate(server) {
    let values;
    try {
      values = readValues(server);
    } catch (error) {
      return { ok: false, status: 'UNKNOWN', diagnostics: [{ severity: 'error', code: 'malformed', message: error.message }] };
    }
    if (values !== undefined) {
      const c = new Codes(values);
      if (c.ok) {
        const status = validateCodes(c.vm, c.task, c.status, c.power, c.facts);
        if (status !== 0) return { ok: true, status: STATUS_LIST[status - 1], diagnostics: [] };
      }
    }
    return validateGeneral(opaque(server), opaqueAll(values));
  }

  /** Validates one server record: its values are Nova's, its status agrees with its states, its
   * states are ones Nova would leave it in. Never throws for a bad record. */
  function validateServer(server) {
    return validate(server);
  }

  /** Validates every server of an array (the `servers` of `GET /servers/detail`), in order. */
  function validateServers(servers) {
    if (!Array.isArray(servers)) throw argumentError('servers', 'an array of server records', opaque(servers));
    const out = new Array(servers.length);
    for (let i = 0; i < servers.length; i++) out[i] = validate(servers[i]);
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Names and statuses
  // ---------------------------------------------------------------------------------------------

  /** The 12 vm states, in Nova's order. */
  const vmStates = () => VM_LIST.slice();
  /** Every task state, in Nova's order. */
  const taskStates = () => TASK_LIST.slice();
  /** Every API status, `UNKNOWN` included. */
  const statuses = () => STATUS_LIST.slice();
  /** Every power state with its integer code, by code. */
  const powerStates = () => POWER_STATES.map(([code, name]) => ({ code, name }));

  /** A vm state's wire string; throws a RangeError naming the input and the nearest valid one. */
  const parseVmState = (input) => (codeOf(VM_CODE, input) !== undefined ? input : parseName(0, opaque(input)));
  /** A task state's wire string; throws on anything else. */
  const parseTaskState = (input) => (codeOf(TASK_CODE, input) !== undefined ? input : parseName(1, opaque(input)));
  /** An API status (exact, upper case); throws on anything else. */
  const parseStatus = (input) => (codeOf(STATUS_CODE, input) !== undefined ? input : parseName(2, opaque(input)));
  /** A power state by name (`"running"`), code (`1`) or code as text (`"1"`); throws on anything else. */
  function parsePowerState(input) {
    const code = parsePowerCode(opaque(input));
    const [, name] = POWER_STATES.find(([c]) => c === code);
    return { code, name };
  }

  /** The API status Nova shows for a server in `vmState` with `taskState` running. */
  function statusOf(vmState, taskState) {
    const vm = codeOf(VM_CODE, vmState) ?? codeOf(VM_CODE, parseName(0, opaque(vmState)));
    const task = taskState === undefined || taskState === null ? NULL : (codeOf(TASK_CODE, taskState) ?? codeOf(TASK_CODE, parseName(1, opaque(taskState))));
    return STATUS_LIST[statusCode(vm, task)];
  }

  /** The vm and task states Nova's `?status=` filter selects for `status` (any case). */
  function statesForStatus(status) {
    return statesForStatusGeneral(opaque(status));
  }

  return { checkAction, allowedActions, actionsFor, createChecker, isTransitional, isServerRecord, validateServer, validateServers, vmStates, taskStates, statuses, powerStates, parseVmState, parseTaskState, parseStatus, parsePowerState, statusOf, statesForStatus };
}
