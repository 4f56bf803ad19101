// The API of nova-states over its main WebAssembly module. The rules and every text live in
// Rust; this file reads server records, turns their names into the numeric codes that
// wasm/build.rs generated from the Rust tables (./generated/codes.js, ./generated/abi.js), asks the module with
// numbers, and builds the results. A refusal's words come from the module once per set of facts
// and are cached; bad input is reported by the module as `CODE<US>message`, thrown here as a
// RangeError or TypeError with that code.
//
// The module is inlined (deflated, base64) and instantiated synchronously on import.

import {
  Asker,
  codesDigest,
  decide,
  decideAll,
  errorText,
  explainRecord,
  findings,
  initSync,
  nameTables,
  parse,
  record,
} from './generated/glue.js';
// The numeric encoding (wasm/src/abi.rs) as a namespace: a bundler turns each `ABI.X` into a
// plain binding, and inlines it (abi.js exports only numbers and strings).
import * as ABI from './generated/abi.js';
import {
  ACTION_SHIFT,
  ADMIN_BIT,
  ASSUMED_SHIFT,
  DIGEST,
  ENVELOPE,
  FIELD,
  GROUP,
  ID_PLACEHOLDER,
  ITEM,
  MAX_MINOR,
  MISSING,
  NAME_BASE,
  NULL,
  OWNER_BITS,
  REFUSED_BIT,
  REST_SHIFT,
  UNREADABLE,
} from './generated/abi.js';
import { BOOL_SHAPES, HOST_SHAPES, LOCKED_BY_NAMES, POWER_CODES, RELEASE_MINORS, readSlots, TEXT_SHAPES } from './generated/codes.js';
import { WASM_DEFLATED, WASM_SIZE } from './generated/wasm.js';
import { moduleBytes, opaque } from './shared.js';

initSync({ module: moduleBytes(WASM_DEFLATED, WASM_SIZE) });
if (codesDigest() !== DIGEST) {
  throw new Error('nova-states: the code tables and the WebAssembly module come from different builds; reinstall the package');
}

const freeze = Object.freeze;

// The core's names, from the module that holds them (`nameTables`): tables by GROUP, rows by
// FIELD, names by ITEM. The numbers beside them (power codes, release minors) are in codes.js.
const [[ACTIONS], [VM_LIST], [TASK_LIST], [STATUS_LIST], [ARG_NAMES], [SERIES], [POWER_NAMES], REST_NAMES, ASSUMPTION_ROWS] = nameTables()
  .split(GROUP)
  .map((table) => table.split(FIELD).map((row) => row.split(ITEM)));
/** What a verdict assumes for a missing fact (the record's, then the request's), by assumption
 * bit: shared, frozen entries. */
const ASSUMPTIONS = ASSUMPTION_ROWS.map(([field, assumed]) => freeze({ field, assumed }));
/** An argument's name → the code `wrongType` takes. */
const ARG = Object.fromEntries(ARG_NAMES.map((name, i) => [name, i]));

// The tables the entry reads are the ones it exports, frozen.
/** Every action, in the rules table's order (compute API method names). */
export const ACTION_NAMES = freeze(ACTIONS);
/** The 12 vm states, in Nova's order. */
export const VM_STATES = freeze(VM_LIST);
/** Every task state, in Nova's order (no task is `null`, not listed). */
export const TASK_STATES = freeze(TASK_LIST);
/** Every API status, `UNKNOWN` included. */
export const STATUSES = freeze(STATUS_LIST);
/** The releases whose rules the package knows, oldest first (series names); the newest is the default. */
export const RELEASE_NAMES = freeze(SERIES);

// ---------------------------------------------------------------------------------------------
// Errors: the module's words, thrown as JS errors
// ---------------------------------------------------------------------------------------------

/** The error for the module's `CODE<US>message`: unknown names and out-of-range values are
 * RangeErrors, everything else TypeErrors. */
function toError(text) {
  const at = text.indexOf(FIELD);
  const code = text.slice(0, at);
  const message = text.slice(at + 1);
  const error = code === 'ERR_NOVA_UNKNOWN_NAME' || code === 'ERR_NOVA_OUT_OF_RANGE' ? new RangeError(message) : new TypeError(message);
  error.code = code;
  return error;
}


/** `text` (or `number`, a power state's code) read by the module's parser `kind` (wasm/src/lean.rs
 * `parse`: the code in `ARG` of the argument it reads, or a power state's code as a number 32, the
 * status filter 33 and 34); throws the module's error for what it refuses. */
function parseAs(kind, text, number) {
  const value = parse(kind, text, number);
  if (value < 0) throw toError(errorText(kind, text, number));
  return value;
}

/** The TypeError for argument `arg` (a code of `ARG`) of the wrong type (the module's errors
 * from kind 64 on). */
const wrongArgument = (arg, found) => toError(errorText(64 + arg, '', opaque(found)));

/** Throws the module's error for `text` when it is one. */
function throwIf(text) {
  if (text !== '') throw toError(text);
}

// ---------------------------------------------------------------------------------------------
// Reading records
// ---------------------------------------------------------------------------------------------

/** name → code, as a prototype-less object: its property reads beat `Map.get` on the hot path. */
const codeTable = (entries) => Object.assign(Object.create(null), Object.fromEntries(entries));
/** A name's code in `table`; `undefined` for an unknown name or a value that is no name (never
 * converted, so no user code runs). */
const codeOf = (table, v) => (typeof v === 'string' || typeof v === 'number' ? table[v] : undefined);
/** name → code (index + NAME_BASE) for a name table. */
const codeMap = (names) => codeTable(names.map((name, i) => [name, i + NAME_BASE]));
// An action name's code: a method name is its row shifted by VIA_BITS; a REST name that is no
// method name adds 1 + its entry's place in the first row that has it (as the core's
// `Action::lookup` finds it; tests/js/fast-path.test.mjs holds every name's verdict to it).
const ACTION_CODE = codeTable(ACTIONS.map((name, row) => [name, row << ABI.VIA_BITS]));
REST_NAMES.forEach((names, row) => {
  names.forEach((name, entry) => {
    ACTION_CODE[name] ??= (row << ABI.VIA_BITS) | (entry + 1);
  });
});
const VM_CODE = codeMap(VM_LIST);
const TASK_CODE = codeMap(TASK_LIST);
const STATUS_CODE = codeMap(STATUS_LIST);
// A power state may come as its code (Nova's records) or its name (the plain form).
const POWER_CODE = codeTable(POWER_NAMES.flatMap((name, i) => [[POWER_CODES[i], i + NAME_BASE], [name, i + NAME_BASE]]));
/** shape name → code, as an object: `{ missing: 0, null: 1, … }`. */
const shapeCodes = (shapes) => Object.fromEntries(shapes.map((shape, i) => [shape, i]));
const BOOL = shapeCodes(BOOL_SHAPES);
const TEXT = shapeCodes(TEXT_SHAPES);
const HOST = shapeCodes(HOST_SHAPES);

/** `Array.isArray`, but false for a revoked proxy (for which it throws). */
function isArray(v) {
  try {
    return Array.isArray(v);
  } catch {
    return false;
  }
}
const isObject = (v) => v !== null && typeof v === 'object' && !isArray(v);

/** A view of `record` whose reads are the record's own (`record[key]`, the getter's `this` the
 * record), except that a getter or proxy trap that throws is a TypeError naming the key. */
const naming = (record) =>
  new Proxy(record, {
    get(target, key) {
      try {
        return target[key];
      } catch (thrown) {
        const error = new TypeError(`reading server record key "${String(key)}" threw${thrown instanceof Error ? `: ${thrown.message}` : ''}`);
        error.code = 'ERR_NOVA_MALFORMED';
        throw error;
      }
    },
  });

/** The values of a server record, one per slot (see RECORD_KEYS); `undefined` when `server` is
 * not an object. An envelope `{server: {...}}` is read from its inner object. The generated
 * `readSlots` reads each key once; only when a getter throws is the record read again, through
 * `naming`, to name the key in the error. */
function readValues(server) {
  if (!isObject(server)) return undefined;
  try {
    const inner = server[ENVELOPE];
    return readSlots(isObject(inner) ? inner : server);
  } catch {
    const inner = naming(server)[ENVELOPE];
    return readSlots(naming(isObject(inner) ? inner : server));
  }
}

const nameCode = (map, v) => (v === undefined ? MISSING : v === null ? NULL : (codeOf(map, v) ?? -1));
const boolCode = (shapes, v) => (v === undefined ? shapes.missing : v === null ? shapes.null : v === true ? shapes.true : v === false ? shapes.false : -1);
const textCode = (shapes, v) => (v === undefined ? shapes.missing : v === null ? shapes.null : typeof v === 'string' ? (v === '' ? shapes.empty : shapes.text) : -1);
const hostCode = (v) => (typeof v === 'boolean' ? boolCode(HOST, v) : textCode(HOST, v));

/** Whether a record's value may be an id: absent, `null` or text. */
const isText = (v) => v === undefined || v === null || typeof v === 'string';

/** A record as codes; `ok` is false when a value does not fit them (`explainRecord` says why). */
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
    this.ok = isText(id) && isText(values[9]) && isText(values[10]) && (this.status | this.vm | this.task | this.power | l | la | lc | h) >= 0;
  }
}

/** The server's project and user as the codes `asker` interned (`abi::OWNER_BITS`); 0 without a
 * caller, whose checks are the only ones that read them. */
function ownerOf(c, o) {
  const s = o.state;
  if (s.strings === null) return 0;
  const project = c.values[9];
  const user = c.values[10];
  // The servers of a list mostly share their project and user: the last pair's codes first.
  if (s.code >= 0 && project === s.project && user === s.user) return s.code;
  const code = (v) => {
    if (typeof v !== 'string') return 0;
    let n = s.strings.get(v);
    if (n === undefined) {
      if (o.asker.interned() >= ABI.MAX_INTERNED) {
        s.strings.clear();
        s.wordings.clear();
        s.keys = null;
        s.code = -1;
      }
      n = o.asker.intern(v);
      s.strings.set(v, n);
    }
    return n;
  };
  const owner = code(project) | (code(user) << OWNER_BITS);
  s.project = project;
  s.user = user;
  s.code = owner;
  return owner;
}
const absentValue = (v) => v === undefined;

/** Throws the module's error for a record the codes cannot carry. */
function refuseRecord(server, c) {
  if (c === undefined || c.values.every(absentValue)) throw wrongArgument(ARG.server, server);
  throwIf(explainRecord(c.values.map(opaque)));
  throw new TypeError('nova-states: a record the module accepted was refused');
}

// The last record read and its codes: a record is read on every check, and the codes of the
// same object made again only when a value differs from the ones they were made of (a
// dashboard checks one record for each of its actions). One record, not a WeakMap of them:
// a WeakMap entry for every fresh record costs more than the codes.
let LAST_RECORD = null;
let LAST_CODES;

/** The codes of `server`; throws the module's error for a value that is no record. */
function readCodes(server) {
  const values = readValues(server);
  if (values === undefined) refuseRecord(server, undefined);
  if (server !== LAST_RECORD || !sameItems(LAST_CODES.values, values)) {
    LAST_RECORD = server;
    LAST_CODES = new Codes(values);
  }
  return LAST_CODES;
}

/** The codes of `server` when they make a record; throws the module's error otherwise. */
function recordCodes(server) {
  const c = readCodes(server);
  if (!c.ok || record(0, c.vm, c.task, c.status, c.power, c.facts) === 2) refuseRecord(server, c);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Reading options
// ---------------------------------------------------------------------------------------------

// Options read once (`{ bits, minor, asker, state }`, one shape): the bits they add to the
// facts (admin, release, request body, who locked the server), the microversion's minor number,
// and who asks (the module's `Asker`: nobody in particular, or a caller compiled from
// credentials and a policy) with what is kept for it (see `optionsOf`).
// The decisions cached per asker: a table of MEMO_SIZE slots, each the last decision whose
// numbers hash to it (compared in full, so a hit is exact), made at the asker's MEMO_AFTER-th
// check (an asker compiled for a few checks does not pay for it). Typed arrays: a miss stores
// numbers, no object (the words are the `wording` cache's own).
const MEMO_SIZE = 16384;
const MEMO_AFTER = 256;
const ASKED = new WeakMap();
const NEWEST = SERIES.length - 1;
const NOBODY = new Asker();

/** The Options of `bits` and `minor` for `asker` (with a policy or not), with the `state` every
 * Options of the asker shares: the ids it interned (`strings`), the words cached for it
 * (`wordings`), its last decisions (`check`: `keys`, `packed`, `words`, after `uses` checks) and
 * the last owner pair's codes (`ownerOf`: `project`, `user`, `code`). */
function optionsOf(bits, minor, asker, policy) {
  let state = ASKED.get(asker);
  if (state === undefined) {
    state = { strings: policy ? new Map() : null, wordings: new Map(), keys: null, packed: null, words: null, uses: 0, project: undefined, user: undefined, code: -1 };
    ASKED.set(asker, state);
  }
  return { bits, minor, asker, state };
}
const DEFAULT_OPTIONS = optionsOf(NEWEST << ABI.RELEASE_SHIFT, MAX_MINOR, NOBODY, false);
// Parsed option strings, each by the module, once: microversions, releases, cloud maxima (by
// the code of their argument).
const PARSED = [];
function parsed(kind, text) {
  if (PARSED[kind] === undefined) PARSED[kind] = new Map();
  const cache = PARSED[kind];
  let value = cache.get(text);
  if (value === undefined) {
    value = parseAs(kind, text);
    if (cache.size < 256) cache.set(text, value);
  }
  return value;
}
const absent = (v) => v === undefined || v === null;

// The readers below take values, not keys: every option is read by its static name (a keyed
// read of a missing property costs about 20 ns, a named one about 1).

/** An option's value that must be a boolean when given (argument `arg` of `ARG`). */
function flag(v, arg) {
  if (absent(v)) return false;
  if (typeof v !== 'boolean') throw wrongArgument(arg, v);
  return v;
}

/** An option's value that must be a string when given, parsed by the module. */
function text(v, arg) {
  if (absent(v)) return undefined;
  if (typeof v !== 'string') throw wrongArgument(arg, v);
  return parsed(arg, v);
}

/** A credentials field that must be a string when given. */
function credential(v, key) {
  if (absent(v)) return undefined;
  if (typeof v !== 'string') throw wrongArgument(ARG[`options.credentials.${key}`], v);
  return v;
}

// Askers compiled for credentials and policies, by their text, so that checkAction with the
// same credentials in fresh objects compiles them once.
const ASKERS = new Map();
// The module class whose askers evaluate a deployment's overrides (options.policy) with the
// exact oslo.policy evaluator: the describe module's, once 'nova-states/describe' is imported.
// The main module answers Nova's defaults from tables computed with that evaluator.
let EVALUATOR = null;

/** Called by the describe entry: its module's askers take policy overrides. */
export function usePolicyEvaluator(askerClass) {
  EVALUATOR = askerClass;
  ASKERS.clear();
  SEEN = [];
}

function sameItems(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Strings as `Asker::caller` reads several in one: each followed by U+001F, with U+001B and
 * U+001F inside written as U+001B "0" and U+001B "1"; an absent one (null) as U+001B alone. */
const asItem = (s) => `${s == null ? '\u001b' : s.replaceAll('\u001b', '\u001b0').replaceAll('\u001f', '\u001b1')}\u001f`;

/** A policy's rules and their check strings as read, in order (`[rule, check, rule, check, …]`);
 * throws the module's error for a value that is none. Every value is read once; `before` itself
 * when it holds the same items (so that a policy read again allocates nothing but its keys). */
function policyItems(policy, before = []) {
  if (!isObject(policy)) throw wrongArgument(ARG['options.policy'], policy);
  const rules = Object.keys(policy);
  let items = before.length === 2 * rules.length ? before : [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    const check = policy[rule];
    if (check !== null && typeof check !== 'string') throw toError(errorText(ARG['options.policy'], rule, opaque(check)));
    if (items === before) {
      if (before[2 * i] === rule && before[2 * i + 1] === check) continue;
      items = before.slice(0, 2 * i);
    }
    items.push(rule, check);
  }
  return items;
}
// The items of the policy `compileAsker` read last (null without one), for `readOptions`.
let POLICY_READ = null;

/** Compiles (or finds compiled) the asker for credentials of these fields, `policy` (its
 * `items` when already read), `enforceNewDefaults` and `enforceScope` (as given) of release
 * `release`. */
function compileAsker(projectId, userId, systemScope, domainId, roles, policy, items, enforceNewDefaults, enforceScope, release) {
  if (!isArray(roles) || roles.some((r) => typeof r !== 'string')) throw wrongArgument(ARG['options.credentials.roles'], roles);
  let token = asItem(credential(projectId, 'projectId')) + asItem(credential(userId, 'userId')) + asItem(credential(systemScope, 'systemScope')) + asItem(credential(domainId, 'domainId'));
  for (const role of roles) token += asItem(role);
  POLICY_READ = absent(policy) ? null : (items ?? policyItems(policy));
  const rules = POLICY_READ === null ? '' : POLICY_READ.map(asItem).join('');
  const enforce = (absent(enforceNewDefaults) || flag(enforceNewDefaults, ARG['options.enforceNewDefaults']) ? ABI.NEW_DEFAULTS_BIT : 0) |
    (absent(enforceScope) || flag(enforceScope, ARG['options.enforceScope']) ? 0 : ABI.SCOPE_OFF_BIT);
  // Exact: the token's items are the four ids and the roles, the policy's the rest.
  const key = `${release} ${enforce} ${roles.length}\u001f${token}${rules}`;
  let asker = ASKERS.get(key);
  if (asker === undefined) {
    // Overrides and scope off need the exact evaluator; the main module says where it is.
    const module = (rules !== '' || enforce & ABI.SCOPE_OFF_BIT) && EVALUATOR !== null ? EVALUATOR : Asker;
    try {
      asker = module.caller(release, token, rules, enforce);
    } catch (thrown) {
      throw typeof thrown === 'string' ? toError(thrown) : thrown;
    }
    if (ASKERS.size >= 64) ASKERS.clear();
    ASKERS.set(key, asker);
  }
  return asker;
}

// The last options read: every value read from them (the fourteen options, then the
// credentials' four ids and their roles), a copy of the roles, the policy's items as read (null
// when none was read), and the Options they made. Options whose values are the same, compared
// one by one, make the same Options: a dashboard passing one object call after call reads it
// and compares, no more; a mutated object (or credentials object, roles array or policy) reads
// as a miss. A policy is read again on every call (its keys and checks, as a fresh read reads
// them), never trusted by identity: an added, removed or changed rule is a miss.
let SEEN = [];
let SEEN_ROLES;
let SEEN_POLICY;
let SEEN_OPTIONS;
const NO_CREDENTIALS = {};

/** Reads `{admin?, microversion?, release?, maxMicroversion?, credentials?, policy?,
 * enforceNewDefaults?, enforceScope?, lockedBy?}` and the request-body facts (`targetHost?`,
 * `unshelveDestination?`, `unshelveHost?`, `trustedCerts?`, `volumeUpdate?`), each once;
 * throws the module's error for anything else. A release, or the cloud's max microversion that
 * selects one, makes its newest microversion the default. */
function readOptions(options) {
  if (options === undefined || options === null) return DEFAULT_OPTIONS;
  if (!isObject(options)) throw wrongArgument(ARG.options, options);
  const { admin, release: releaseName, maxMicroversion, microversion, targetHost, unshelveDestination, unshelveHost, trustedCerts, volumeUpdate, lockedBy, credentials, policy, enforceNewDefaults, enforceScope } = options;
  const given = isObject(credentials);
  const { projectId, userId, systemScope, domainId, roles } = given ? credentials : NO_CREDENTIALS;
  const seen = [admin, releaseName, maxMicroversion, microversion, targetHost, unshelveDestination, unshelveHost, trustedCerts, volumeUpdate, lockedBy, credentials, policy, enforceNewDefaults, enforceScope, projectId, userId, systemScope, domainId, roles];
  let items;
  if (sameItems(seen, SEEN) && (SEEN_ROLES === null || (isArray(roles) && sameItems(roles, SEEN_ROLES)))) {
    // The other values made these Options before, so a fresh read would reach the policy with
    // no error before it: reading it here reads (and throws) as that read would.
    if (SEEN_POLICY === null) return SEEN_OPTIONS;
    items = policyItems(policy, SEEN_POLICY);
    if (items === SEEN_POLICY) return SEEN_OPTIONS;
  }
  const isAdmin = flag(admin, ARG['options.admin']);
  const release = text(releaseName, ARG['options.release']) ?? text(maxMicroversion, ARG['options.maxMicroversion']) ?? NEWEST;
  // "latest", like no microversion, is the newest the release serves.
  const asked = microversion === 'latest' ? undefined : text(microversion, ARG['options.microversion']);
  const minor = asked ?? RELEASE_MINORS[release];
  let bits = (isAdmin ? ADMIN_BIT : 0) | (release << ABI.RELEASE_SHIFT);
  if (!absent(targetHost)) bits |= ABI.TARGET_GIVEN_BIT | (flag(targetHost, ARG['options.targetHost']) ? ABI.TARGET_HOST_BIT : 0);
  if (flag(unshelveDestination, ARG['options.unshelveDestination'])) bits |= ABI.UNSHELVE_DESTINATION_BIT;
  if (flag(unshelveHost, ARG['options.unshelveHost'])) bits |= ABI.UNSHELVE_HOST_BIT;
  if (flag(trustedCerts, ARG['options.trustedCerts'])) bits |= ABI.TRUSTED_CERTS_BIT;
  if (flag(volumeUpdate, ARG['options.volumeUpdate'])) bits |= ABI.VOLUME_UPDATE_BIT;
  if (!absent(lockedBy)) {
    const code = LOCKED_BY_NAMES.indexOf(lockedBy);
    if (code < 1) throw wrongArgument(ARG['options.lockedBy'], lockedBy);
    bits |= code << ABI.LOCKED_BY_SHIFT;
  }
  let o;
  if (absent(credentials)) {
    o = optionsOf(bits, minor, NOBODY, false);
  } else {
    if (!absent(admin)) throw toError(errorText(ARG['options.credentials'], ''));
    if (!given) throw wrongArgument(ARG['options.credentials'], credentials);
    o = optionsOf(bits, minor, compileAsker(projectId, userId, systemScope, domainId, roles ?? [], policy, items, enforceNewDefaults, enforceScope, release), true);
  }
  SEEN = seen;
  SEEN_ROLES = isArray(roles) ? [...roles] : null;
  SEEN_POLICY = absent(credentials) ? null : POLICY_READ;
  SEEN_OPTIONS = o;
  return o;
}

/** The action code of a name `checkAction` takes; throws for anything else. */
function actionCode(action) {
  const code = codeOf(ACTION_CODE, action);
  if (code !== undefined) return code;
  if (typeof action !== 'string') throw wrongArgument(ARG.action, action);
  throwIf(errorText(ARG.action, action));
  throw new RangeError(`nova-states: action "${action}" has no code`);
}

// ---------------------------------------------------------------------------------------------
// Verdicts
// ---------------------------------------------------------------------------------------------

const ASSUMED = [];

/** The key of the record `c`'s names and the microversion of `o` (26 bits), as the caches of
 * decisions and words take it, beside the packed facts (22 bits). */
const namesOf = (c, o) => (((c.vm * 64 + c.task) * 32 + c.status) * 16 + c.power) * 128 + o.minor;

/** The words of every refusal of action `code` on the record `c` (of key `names` and the facts
 * `facts` with the options' bits) for `o` and the owner codes `owner`, from the module once:
 * denials with the message split where the id goes, and undecided rules. Cached in three
 * levels whose keys stay small integers, so that no lookup boxes a number. */
function wording(code, c, o, owner, names, facts) {
  const wordings = o.state.wordings;
  let byFacts = wordings.get(names);
  if (byFacts === undefined) {
    if (wordings.size > 4096) wordings.clear();
    byFacts = new Map();
    wordings.set(names, byFacts);
  }
  let byAction = byFacts.get(facts);
  if (byAction === undefined) {
    byAction = new Map();
    byFacts.set(facts, byAction);
  }
  const key = owner === 0 ? code : code + owner * 8192;
  let w = byAction.get(key);
  if (w === undefined) {
    const denials = [];
    const undecided = [];
    for (const item of o.asker.denialsText(code, c.vm, c.task, c.status, c.power, facts, o.minor, owner).split(GROUP)) {
      const f = item.split(FIELD);
      if (f[0] === 'u') {
        undecided.push(freeze({ rule: f[1], reason: f[2], why: f[3], text: f[4] }));
        continue;
      }
      const [, kind, reason, text, actual, expected, message, status, rule] = f;
      const at = message.indexOf('\0');
      denials.push({
        kind,
        actual,
        expected: freeze(expected === '' ? [] : expected.split(ITEM)),
        reason,
        text,
        head: at < 0 ? message : message.slice(0, at),
        tail: at < 0 ? null : message.slice(at + 1),
        httpStatus: Number(status),
        rule: rule === '' ? undefined : rule,
      });
    }
    w = { denials, undecided };
    byAction.set(key, w);
  }
  return w;
}

/** The denials of a refused verdict: fresh objects, the server's id in each message. */
function denialsOf(w, c) {
  return w.denials.map((t) => {
    const d = { kind: t.kind, actual: t.actual, expected: t.expected, reason: t.reason, text: t.text, message: t.tail === null ? t.head : t.head + c.id + t.tail, httpStatus: t.httpStatus };
    if (t.rule !== undefined) d.rule = t.rule;
    return d;
  });
}

/** The assumptions of a decision's bits: a fresh array of shared, frozen entries. */
function assumptions(packed) {
  const bits = (packed >>> ASSUMED_SHIFT) & 255;
  if (bits === 0) return [];
  let list = ASSUMED[bits];
  if (list === undefined) {
    list = ASSUMPTIONS.filter((_, i) => bits & (1 << i));
    ASSUMED[bits] = list;
  }
  return list.slice();
}

/** The verdict of `packed` on the record `c`, with its words `w` when refused. */
function verdict(c, packed, w) {
  const row = (packed >>> ACTION_SHIFT) & 127;
  const refused = (packed & REFUSED_BIT) !== 0;
  return { action: ACTIONS[row], rest: REST_NAMES[row][(packed >>> REST_SHIFT) & 15], allowed: !refused, denials: refused ? denialsOf(w, c) : [], undecided: refused ? w.undecided.slice() : [], assumptions: assumptions(packed) };
}

function check(code, server, o) {
  const c = readCodes(server);
  if (!c.ok) refuseRecord(server, c);
  const owner = ownerOf(c, o);
  const names = namesOf(c, o);
  const facts = c.facts | o.bits;
  // The asker's decision in this slot, if it is this one (its numbers compared in full): the
  // module decides once, and a refusal's words are looked up once.
  const at = Math.imul(Math.imul(Math.imul(names, 31) ^ facts, 31) ^ code ^ owner, 0x9e3779b1) >>> 18;
  const memo = o.state;

  let keys = memo.keys;
  if (keys === null && ++memo.uses >= MEMO_AFTER) {
    keys = memo.keys = new Int32Array(4 * MEMO_SIZE);
    memo.packed = new Int32Array(MEMO_SIZE);
    memo.words = new Array(MEMO_SIZE).fill(null);
  }
  // A slot's names are never 0 (every key holds a microversion of at least 1): 0 is empty.
  const k = 4 * at;
  if (keys !== null && keys[k] === names && keys[k + 1] === (facts | 0) && keys[k + 2] === code && keys[k + 3] === (owner | 0)) {
    return verdict(c, memo.packed[at] >>> 0, memo.words[at]);
  }
  // Nobody in particular: the free export, which skips the exported object's borrow.
  const packed = o.asker === NOBODY ? decide(code, c.vm, c.task, c.status, c.power, facts, o.minor) : o.asker.decide(code, c.vm, c.task, c.status, c.power, facts, o.minor, owner);
  if (packed & UNREADABLE) refuseRecord(server, c);
  const words = packed & REFUSED_BIT ? wording(code, c, o, owner, names, facts) : null;
  if (keys !== null) {
    keys[k] = names;
    keys[k + 1] = facts;
    keys[k + 2] = code;
    keys[k + 3] = owner;
    memo.packed[at] = packed;
    memo.words[at] = words;
  }
  return verdict(c, packed, words);
}

function allowed(server, o) {
  const c = recordCodes(server);
  const owner = ownerOf(c, o);
  const out = [];
  for (let word = 0; word * 32 < ACTIONS.length; word++) {
    const bits = o.asker.allowedBits(c.vm, c.task, c.status, c.power, c.facts | o.bits, o.minor, owner, word);
    for (let i = 0; i < 32 && word * 32 + i < ACTIONS.length; i++) if (bits & (1 << i)) out.push(ACTIONS[word * 32 + i]);
  }
  return out;
}

function everyAction(server, o) {
  const c = recordCodes(server);
  const owner = ownerOf(c, o);
  const names = namesOf(c, o);
  const facts = c.facts | o.bits;
  const all = o.asker === NOBODY ? decideAll(c.vm, c.task, c.status, c.power, facts, o.minor) : o.asker.decideAll(c.vm, c.task, c.status, c.power, facts, o.minor, owner);
  const out = new Array(ACTIONS.length);
  for (let i = 0; i < ACTIONS.length; i++) out[i] = { action: ACTIONS[i], verdict: verdict(c, all[i], all[i] & REFUSED_BIT ? wording(i << ABI.VIA_BITS, c, o, owner, names, facts) : null) };
  return out;
}

/**
 * Whether Nova would accept `action` on `server`, and if not, every reason.
 * @param {string} action a compute API method name (`"shelve_offload"`) or REST action name (`"os-stop"`)
 * @param {object} server a server record as Nova returns it, its envelope, or `{ vmState, … }`
 * @param {{ admin?: boolean, microversion?: string }} [options]
 */
export function checkAction(action, server, options) {
  const code = actionCode(action);
  return check(code, server, readOptions(options));
}

/** The method names of every action Nova would accept on `server`, in table order. */
export function allowedActions(server, options) {
  return allowed(server, readOptions(options));
}

/** Every action with its verdict for `server`, in table order, from one call into the module. */
export function actionsFor(server, options) {
  return everyAction(server, readOptions(options));
}

/** `checkAction`, `allowedActions` and `actionsFor` with `options` read once. */
export function createChecker(options) {
  const o = readOptions(options);
  return freeze({
    checkAction: (action, server) => check(actionCode(action), server, o),
    allowedActions: (server) => allowed(server, o),
    actionsFor: (server) => everyAction(server, o),
  });
}

/** Whether Nova is in the middle of something with `server` (a task runs, it is building, or
 * its status is one Nova shows only during a task): whether a dashboard should poll again. */
export function isTransitional(server) {
  const c = recordCodes(server);
  return record(0, c.vm, c.task, c.status, c.power, c.facts) === 1;
}

/** Whether `value` is a server record this library reads (an object with a vm state or a
 * status it knows, or such an envelope); never throws. */
export function isServerRecord(value) {
  try {
    const values = readValues(value);
    if (values === undefined) return false;
    const c = new Codes(values);
    return c.ok && record(0, c.vm, c.task, c.status, c.power, c.facts) !== 2;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const malformed = (message) => ({ ok: false, status: 'UNKNOWN', diagnostics: [{ severity: 'error', code: 'malformed', message }] });

/** Validates one server record: its values are Nova's, its status agrees with its states, its
 * states are ones Nova would leave it in. Never throws for a bad record. */
export function validateServer(server) {
  let values;
  try {
    values = readValues(server);
  } catch (error) {
    return malformed(error.message);
  }
  if (values === undefined || values.every(absentValue)) return malformed(wrongArgument(ARG.server, server).message);
  const c = new Codes(values);
  const answer = c.ok ? record(1, c.vm, c.task, c.status, c.power, c.facts) : 0;
  if (answer === 0) {
    const problem = explainRecord(values.map(opaque));
    return malformed(problem === '' ? 'nova-states: a record the module accepted was refused' : toError(problem).message);
  }
  const status = STATUS_LIST[(answer & 255) - 1];
  if ((answer & 256) === 0) return { ok: true, status, diagnostics: [] };
  const [ok, ...items] = findings(c.vm, c.task, c.status, c.power, c.facts).split(ITEM);
  const diagnostics = items.map((item) => {
    const [severity, code, message] = item.split(FIELD);
    return { severity, code, message };
  });
  return { ok: ok === '1', status, diagnostics };
}


/** Validates every server of an array (the `servers` of `GET /servers/detail`), in order. */
export function validateServers(servers) {
  if (!isArray(servers)) throw wrongArgument(ARG.servers, servers);
  const out = new Array(servers.length);
  for (let i = 0; i < servers.length; i++) out[i] = validateServer(servers[i]);

  return out;
}

// ---------------------------------------------------------------------------------------------
// Names and statuses
// ---------------------------------------------------------------------------------------------

/** The 12 vm states, in Nova's order. */
export const vmStates = () => VM_LIST.slice();
/** Every task state, in Nova's order. */
export const taskStates = () => TASK_LIST.slice();
/** Every API status, `UNKNOWN` included. */
export const statuses = () => STATUS_LIST.slice();
/** Every power state with its integer code, by code. */
export const powerStates = () => POWER_NAMES.map((name, i) => ({ code: POWER_CODES[i], name }));

/** The parser of the names of `list` (their codes `table`, argument `arg`): a name is itself,
 * anything else throws naming the input and the nearest valid name. */
const nameParser = (table, list, arg) => (input) => {
  if (codeOf(table, input) !== undefined) return input;
  if (typeof input !== 'string') throw wrongArgument(arg, input);
  return list[parseAs(arg, input)];
};

/** A vm state's wire string; throws a RangeError naming the input and the nearest valid one. */
export const parseVmState = nameParser(VM_CODE, VM_LIST, ARG['vm state']);
/** A task state's wire string; throws on anything else. */
export const parseTaskState = nameParser(TASK_CODE, TASK_LIST, ARG['task state']);
/** An API status (exact, upper case); throws on anything else. */
export const parseStatus = nameParser(STATUS_CODE, STATUS_LIST, ARG.status);

/** A power state by name (`"running"`), code (`1`) or code as text (`"1"`); throws on anything else. */
export function parsePowerState(input) {
  let code;
  if (typeof input === 'number') code = parseAs(32, '', input);
  else if (typeof input === 'string') code = parseAs(ARG['power state'], input);
  else throw wrongArgument(ARG['power state'], input);
  return { code, name: POWER_NAMES[POWER_CODES.indexOf(code)] };

}

/** The API status Nova shows for a server in `vmState` with `taskState` running. */
export function statusOf(vmState, taskState) {
  const vm = VM_CODE[parseVmState(vmState)];
  const task = taskState === undefined || taskState === null ? NULL : TASK_CODE[parseTaskState(taskState)];
  return STATUS_LIST[record(2, vm, task)];
}

/** The vm and task states Nova's `?status=` filter selects for `status` (any case). */
export function statesForStatus(status) {
  if (typeof status !== 'string') throw wrongArgument(ARG.status, status);
  // The states as bits (bit 12 of the vm states': the filter selects by vm state alone),
  // listed sorted by name as Nova sorts them.
  const vms = parseAs(33, status);
  const named = (list, bits) => list.filter((_, i) => Math.floor(bits / 2 ** i) % 2 === 1).sort();
  return { vmStates: named(VM_LIST, vms), taskStates: vms >= 4096 ? null : named(TASK_LIST, parseAs(34, status)) };
}
