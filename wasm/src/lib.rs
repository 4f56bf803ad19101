//! The JavaScript binding of nova-states: the one place that knows about wasm-bindgen.
//!
//! Every export is camelCase and takes plain JS values; arguments are type-checked here before
//! the core sees them, so bad input becomes a `TypeError`/`RangeError` carrying a `code`, never
//! a trap. Server objects are read with `Reflect.get` on the few keys the core needs
//! ([`nova_states::record::KEYS`]); getters that throw become clean errors.

use std::borrow::Cow;

use js_sys::{Array, Reflect};
use nova_states::export::{self, ActionInfo};
use nova_states::record::{self, Scalar};
use nova_states::{
    Action, Error, ErrorKind, Facts, Microversion, PathOptions, PowerState, Status, TaskState,
    VmState,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
mod alloc;
mod fast;

/// The unions of Nova's names, written by `build.rs` from the core's tables.
#[wasm_bindgen(typescript_custom_section)]
const TS_NAMES: &'static str = include_str!(concat!(env!("OUT_DIR"), "/unions.d.ts"));

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A power state: Nova's integer code and its name. */
export interface PowerStateInfo { code: number; name: PowerStateName }

/** A server record as Nova's API returns it (`GET /servers/{id}`, an element of
 * `GET /servers/detail`), the `{"server": {...}}` envelope, or the plain form. Keys it lacks
 * are assumed the way Nova most likely has them, and the verdict lists each assumption. */
export type ServerLike = NovaServer | { server: NovaServer } | PlainServer;

/** The keys of a Nova server record this library reads; every other key is ignored. */
export interface NovaServer {
  id?: string;
  status?: Status;
  "OS-EXT-STS:vm_state"?: VmState;
  "OS-EXT-STS:task_state"?: TaskState | null;
  "OS-EXT-STS:power_state"?: number | null;
  locked?: boolean | null;
  "OS-SRV-USG:launched_at"?: string | null;
  "OS-EXT-SRV-ATTR:host"?: string | null;
  [key: string]: unknown;
}

/** A server described by its facts alone. */
export interface PlainServer {
  id?: string;
  vmState: VmState;
  taskState?: TaskState | null;
  powerState?: number | PowerStateName | null;
  locked?: boolean | null;
  launched?: boolean | null;
  host?: string | boolean | null;
}

/** Who asks, and through which API microversion. */
export interface CheckOptions {
  /** An admin may act on a locked server. Default `false`. */
  admin?: boolean;
  /** `"2.N"` or `"latest"`; default the newest Nova knows (2.104). */
  microversion?: string;
}

/** The start's facts for a path, or every state's for a drawn graph, with a plain server's names. */
export interface PathOptions extends CheckOptions {
  /** Whether the server is (and stays) locked. Default `false`. */
  locked?: boolean;
  /** The task running at the start; `null` or left out: none. Later steps run none. */
  taskState?: TaskState | null;
  /** Whether it was ever launched; left out: as the state implies (not while building). */
  launched?: boolean | null;
  /** Its compute host; `null`, `false` or `""`: none; left out: as the state implies. */
  host?: string | boolean | null;
  /** Reserved for the Nova release whose rules apply (`"2024.1"` …); not read yet. */
  release?: string;
}

/** Which of Nova's checks refused an action. */
export type DenialKind = "microversion" | "locked" | "host" | "vm_state" | "task_state" | "launched_at";

/** One reason Nova refuses an action. */
export interface Denial {
  kind: DenialKind;
  /** The server's value for that check, as Nova prints it (`stopped`, `None`, `True`). */
  actual: string;
  /** The values that check accepts; shared between verdicts, so read-only (frozen). */
  expected: readonly string[];
  /** The text of the error Nova's API returns. */
  message: string;
  /** The HTTP status Nova's API returns (409, 404, 500). */
  httpStatus: number;
}

/** A fact the server record lacked, and what was assumed for it. */
export interface Assumption { field: string; assumed: string }

/** The answer to "may this action run on this server?". */
export interface Verdict {
  /** The compute API method checked. */
  action: ActionName;
  /** The REST entry whose rules and messages applied. */
  rest: string;
  /** True when Nova would accept the request. */
  allowed: boolean;
  /** Every failing check, in Nova's order; Nova returns the first. */
  denials: Denial[];
  /** Facts the record lacked and how they were assumed. */
  assumptions: Assumption[];
}

/** One REST entry of an action. */
export interface RestInfo {
  name: string;
  minMicroversion: string;
  maxMicroversion: string | null;
  /** The action name in its 409 texts, if it returns them. */
  conflictName: string | null;
  /** The handler in Nova. */
  source: string;
}

/** Where an action ends. */
export interface EndInfo { from: VmState | null; to: VmState; when: string }

/** One action's rules, as data. */
export interface ActionInfo {
  name: ActionName;
  rest: RestInfo[];
  minMicroversion: string;
  /** The checks in Nova's order. */
  checks: ("locked" | "host" | "vm_state" | "task_state" | "launched_at")[];
  /** Accepted vm states. */
  vmStates: VmState[];
  /** vm states accepted only from a microversion on (a REST handler's own check). */
  vmStatesSince: { vmStates: VmState[]; microversion: string }[];
  /** Accepted task states (`null` = no task); `null` when every task state is accepted. */
  taskStates: (TaskState | null)[] | null;
  checksLock: boolean;
  needsHost: boolean;
  /** vm states in which the host check does not apply. */
  hostNotNeededIn: VmState[];
  needsLaunched: boolean;
  /** Task state set when it starts. */
  setsTask: TaskState | null;
  /** Task states the compute service moves through afterwards, in order. */
  laterTasks: TaskState[];
  /** vm state after success; empty when unchanged. */
  ends: EndInfo[];
  summary: string;
  notes: string;
  source: string;
}

/** Which instances a `?status=` filter selects. */
export interface StatusFilter {
  vmStates: VmState[];
  /** The task states it also requires; `null` when the task state is not looked at. */
  taskStates: TaskState[] | null;
}

/** One edge of the vm-state graph. */
export interface Transition {
  from: VmState;
  to: VmState;
  action: ActionName;
  /** The task state shown while the action runs. */
  via: TaskState | null;
  /** When this outcome applies, if not always (empty otherwise). */
  when: string;
}

/** One finding about a server record. */
export interface Diagnostic {
  severity: "error" | "warning";
  /** `malformed`, `status-mismatch`, `power-out-of-sync`, `offloaded-with-host`. */
  code: string;
  message: string;
}

/** The result of validating one server record. */
export interface Validation {
  /** True when no diagnostic is an error. */
  ok: boolean;
  /** The status Nova would show for the record's states (`UNKNOWN` when unreadable). */
  status: Status;
  diagnostics: Diagnostic[];
}

/** Everything the library knows, as one value. */
export interface Model {
  novaCommit: string;
  maxMicroversion: string;
  vmStates: VmState[];
  taskStates: TaskState[];
  powerStates: PowerStateInfo[];
  statuses: Status[];
  statusMap: { vmState: VmState; default: Status; overrides: [TaskState, Status][] }[];
  actions: ActionInfo[];
  transitions: Transition[];
}

/** The `code` of every error this library throws. */
export type ErrorCode = "ERR_NOVA_UNKNOWN_NAME" | "ERR_NOVA_OUT_OF_RANGE" | "ERR_NOVA_MALFORMED" | "ERR_NOVA_INVALID_ARG_TYPE";
"#;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// A core error on its way to JS: unknown names and out-of-range values become `RangeError`,
/// malformed input `TypeError`; each carries a `code`.
struct JsFail(Error);

impl From<Error> for JsFail {
    fn from(err: Error) -> Self {
        JsFail(err)
    }
}

impl From<JsFail> for JsValue {
    fn from(JsFail(err): JsFail) -> JsValue {
        match err.kind() {
            ErrorKind::UnknownName => {
                js_error(ErrorClass::Range, "ERR_NOVA_UNKNOWN_NAME", err.message())
            }
            ErrorKind::OutOfRange => {
                js_error(ErrorClass::Range, "ERR_NOVA_OUT_OF_RANGE", err.message())
            }
            _ => js_error(ErrorClass::Type, "ERR_NOVA_MALFORMED", err.message()),
        }
    }
}

enum ErrorClass {
    Range,
    Type,
}

fn js_error(class: ErrorClass, code: &str, message: &str) -> JsValue {
    let error: JsValue = match class {
        ErrorClass::Range => js_sys::RangeError::new(message).into(),
        ErrorClass::Type => js_sys::TypeError::new(message).into(),
    };
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error
}

/// A `TypeError` for an argument of the wrong type: names the argument, what was expected and
/// what came.
fn wrong_arg(what: &str, expected: &str, found: &JsValue) -> JsValue {
    let mut message = String::from(what);
    message.push_str(" must be ");
    message.push_str(expected);
    message.push_str(", found ");
    message.push_str(&describe(found));
    js_error(ErrorClass::Type, "ERR_NOVA_INVALID_ARG_TYPE", &message)
}

/// Describes any JS value for a message without calling into it (no `toString`, no getters).
fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        return "undefined".into();
    }
    // The core reads JSON, which has no NaN; a JS NaN is named as JS prints it.
    if value.as_f64().is_some_and(f64::is_nan) {
        return "the number NaN".into();
    }
    scalar(value).describe()
}

/// What the core needs to know of one JS value.
fn scalar(value: &JsValue) -> Scalar<'static> {
    if value.is_undefined() {
        Scalar::Missing
    } else if value.is_null() {
        Scalar::Null
    } else if let Some(b) = value.as_bool() {
        Scalar::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Scalar::Number(n)
    } else if let Some(s) = value.as_string() {
        Scalar::Str(Cow::Owned(s))
    } else if value.is_symbol() {
        Scalar::Other("a symbol")
    } else if value.is_bigint() {
        Scalar::Other("a bigint")
    } else if value.is_function() {
        Scalar::Other("a function")
    } else if Array::is_array(value) {
        Scalar::Other("an array")
    } else {
        Scalar::Other("an object")
    }
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> String {
    let mut out = String::from("one of ");
    for (i, &v) in all.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name(v));
    }
    out
}

fn string_arg(
    value: &JsValue,
    what: &str,
    expected: impl FnOnce() -> String,
) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| wrong_arg(what, &expected(), value))
}

// ---------------------------------------------------------------------------------------------
// Reading JS values
// ---------------------------------------------------------------------------------------------

thread_local! {
    /// The action names as JS strings, made once (the hot path of `allowedActions`).
    static ACTION_NAMES: Vec<JsValue> = Action::ALL.iter().map(|a| JsValue::from_str(a.as_str())).collect();
    /// `admin`, `microversion`, `locked`.
    static OPTION_KEYS: [JsValue; 3] = [JsValue::from_str("admin"), JsValue::from_str("microversion"), JsValue::from_str("locked")];
}

fn is_record(value: &JsValue) -> bool {
    value.is_object() && !value.is_function() && !Array::is_array(value)
}

/// Turns a core error into the JS error it throws as.
fn fail(err: Error) -> JsValue {
    JsFail(err).into()
}

/// The `TypeError` for a getter or proxy trap that threw while reading record key `name`.
fn threw(name: &str, thrown: &JsValue) -> JsValue {
    let mut message = String::from("reading server record key \"");
    message.push_str(name);
    message.push_str("\" threw");
    if let Some(text) = thrown
        .dyn_ref::<js_sys::Error>()
        .and_then(|e| e.message().as_string())
    {
        message.push_str(": ");
        message.push_str(&text);
    }
    js_error(ErrorClass::Type, "ERR_NOVA_MALFORMED", &message)
}

const SERVER_EXPECTED: &str =
    "a server record (an object with \"OS-EXT-STS:vm_state\" or \"vmState\", or {\"server\": {...}})";

/// Reads the keys the core needs from a JS server object (or its `{server: ...}` envelope), in
/// one call to `fast.js`; a throwing getter or proxy trap becomes a `TypeError` naming the key.
fn read_server(value: &JsValue) -> Result<fast::Record, JsValue> {
    fast::read(value).map_err(|err| match err {
        fast::ReadError::NotARecord => wrong_arg("server", SERVER_EXPECTED, value),
        fast::ReadError::Threw(name, thrown) => threw(name, &thrown),
    })
}

/// The `Facts` of a JS server object, and whether its id is still to be fetched; type errors
/// inside the record become `TypeError`s.
fn read_facts(value: &JsValue) -> Result<(Facts, bool), JsValue> {
    let record = read_server(value)?;
    if record.raw.is_empty() {
        return Err(wrong_arg("server", SERVER_EXPECTED, value));
    }
    Ok((Facts::read(&record.raw).map_err(fail)?, record.id_held))
}

fn bool_option(options: &JsValue, key: &JsValue, name: &str) -> Result<bool, JsValue> {
    let v =
        Reflect::get(options, key).map_err(|_| wrong_arg(name, "readable", &JsValue::UNDEFINED))?;
    if v.is_undefined() || v.is_null() {
        return Ok(false);
    }
    v.as_bool().ok_or_else(|| {
        let mut what = String::from("options.");
        what.push_str(name);
        wrong_arg(&what, "true or false", &v)
    })
}

/// Reads `{admin?, microversion?, locked?}`; `undefined` and `null` mean all defaults.
fn read_options(options: &JsValue) -> Result<PathOptions, JsValue> {
    let mut out = PathOptions::default();
    if options.is_undefined() || options.is_null() {
        return Ok(out);
    }
    if !is_record(options) {
        return Err(wrong_arg(
            "options",
            "an object like { admin?: boolean, microversion?: string }",
            options,
        ));
    }
    OPTION_KEYS.with(|[admin, microversion, locked]| {
        out.context.admin = bool_option(options, admin, "admin")?;
        out.locked = bool_option(options, locked, "locked")?;
        let v = Reflect::get(options, microversion)
            .map_err(|_| wrong_arg("options.microversion", "readable", &JsValue::UNDEFINED))?;
        if !(v.is_undefined() || v.is_null()) {
            let text = string_arg(&v, "options.microversion", || {
                "a string \"2.N\" (N from 1 to 104) or \"latest\"".into()
            })?;
            out.context.microversion = Microversion::parse(&text).map_err(fail)?;
        }
        Ok(out)
    })
}

/// Reads what `read_options` reads plus the start's facts, for `shortestPath`, `toDot` and
/// `toMermaid`: `{taskState?, launched?, host?}` with the names of a plain server. `taskState`
/// `undefined`/`null` is no task; `launched` and `host` left out (or `launched: null`) are
/// assumed as a record without them is; `host: null`, `false` or `""` is no host.
fn read_path_options(options: &JsValue) -> Result<PathOptions, JsValue> {
    let mut out = read_options(options)?;
    if options.is_undefined() || options.is_null() {
        return Ok(out);
    }
    let get = |name: &str| {
        Reflect::get(options, &JsValue::from_str(name)).map_err(|_| {
            let mut what = String::from("options.");
            what.push_str(name);
            wrong_arg(&what, "readable", &JsValue::UNDEFINED)
        })
    };
    out.task_state = task_state_arg(&get("taskState")?, "options.taskState")?;
    let launched = get("launched")?;
    if !(launched.is_undefined() || launched.is_null()) {
        out.launched = Some(
            launched
                .as_bool()
                .ok_or_else(|| wrong_arg("options.launched", "true or false", &launched))?,
        );
    }
    let host = get("host")?;
    if !host.is_undefined() {
        out.has_host = Some(if host.is_null() {
            false
        } else if let Some(b) = host.as_bool() {
            b
        } else if let Some(text) = host.as_string() {
            !text.is_empty()
        } else {
            return Err(wrong_arg(
                "options.host",
                "a host name, true, false or null",
                &host,
            ));
        });
    }
    Ok(out)
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(JsValue::from)
}

fn vm_state_arg(value: &JsValue, what: &str) -> Result<VmState, JsValue> {
    let text = string_arg(value, what, || names(VmState::ALL, VmState::as_str))?;
    VmState::parse(&text).map_err(fail)
}

fn task_state_arg(value: &JsValue, what: &str) -> Result<Option<TaskState>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let text = string_arg(value, what, || {
        names(TaskState::ALL, TaskState::as_str) + ", or null"
    })?;
    TaskState::parse(&text).map(Some).map_err(fail)
}

fn action_arg(value: &JsValue) -> Result<String, JsValue> {
    string_arg(value, "action", || {
        "a compute API method name (".to_string()
            + &names(Action::ALL, Action::as_str)
            + ") or a REST action name"
    })
}

fn action_array(actions: impl Iterator<Item = Action>) -> Array {
    ACTION_NAMES.with(|names| {
        let out = Array::new();
        for a in actions {
            out.push(&names[a.index()]);
        }
        out
    })
}

// ---------------------------------------------------------------------------------------------
// The exports
// ---------------------------------------------------------------------------------------------

/// The 12 vm states, in Nova's order.
#[wasm_bindgen(js_name = vmStates, unchecked_return_type = "VmState[]")]
pub fn vm_states() -> Result<JsValue, JsValue> {
    to_js(VmState::ALL)
}

/// Every task state, in Nova's order (no task is `null`, not listed).
#[wasm_bindgen(js_name = taskStates, unchecked_return_type = "TaskState[]")]
pub fn task_states() -> Result<JsValue, JsValue> {
    to_js(TaskState::ALL)
}

/// Every API `status`, including `UNKNOWN`.
#[wasm_bindgen(js_name = statuses, unchecked_return_type = "Status[]")]
pub fn statuses() -> Result<JsValue, JsValue> {
    to_js(Status::ALL)
}

/// Every power state with its integer code, by code.
#[wasm_bindgen(js_name = powerStates, unchecked_return_type = "PowerStateInfo[]")]
pub fn power_states() -> Result<JsValue, JsValue> {
    to_js(PowerState::ALL)
}

/// Every action's rules as data: REST names, minimum microversion, accepted states, checks,
/// what it sets and where it ends, and where Nova defines it.
#[wasm_bindgen(js_name = actions, unchecked_return_type = "ActionInfo[]")]
pub fn actions() -> Result<JsValue, JsValue> {
    let infos: Vec<ActionInfo> = nova_states::RULES.iter().map(ActionInfo::from).collect();
    to_js(&infos)
}

/// Parses a vm state's wire string; throws a `RangeError` (code `ERR_NOVA_UNKNOWN_NAME`) that
/// lists the valid ones for anything else.
#[wasm_bindgen(js_name = parseVmState, unchecked_return_type = "VmState")]
pub fn parse_vm_state(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<JsValue, JsValue> {
    Ok(JsValue::from_str(
        vm_state_arg(&input, "vm state")?.as_str(),
    ))
}

/// Parses a task state's wire string; throws on anything else.
#[wasm_bindgen(js_name = parseTaskState, unchecked_return_type = "TaskState")]
pub fn parse_task_state(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let text = string_arg(&input, "task state", || {
        names(TaskState::ALL, TaskState::as_str)
    })?;
    Ok(JsValue::from_str(
        TaskState::parse(&text).map_err(fail)?.as_str(),
    ))
}

/// Parses a power state by name (`"running"`), code (`1`) or code as text (`"1"`); throws on
/// anything else.
#[wasm_bindgen(js_name = parsePowerState, unchecked_return_type = "PowerStateInfo")]
pub fn parse_power_state(
    #[wasm_bindgen(unchecked_param_type = "string | number")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let expected = "a power state name (pending, running, paused, shutdown, crashed, suspended) or code (0, 1, 3, 4, 6, 7)";
    let power = if let Some(n) = input.as_f64() {
        if n.fract() != 0.0 || n.abs() >= 1e9 {
            return Err(wrong_arg("power state", expected, &input));
        }
        PowerState::from_code(n as i64).map_err(fail)?
    } else if let Some(text) = input.as_string() {
        PowerState::parse(&text).map_err(fail)?
    } else {
        return Err(wrong_arg("power state", expected, &input));
    };
    to_js(&power)
}

/// Parses an API status (exact, upper case); throws on anything else.
#[wasm_bindgen(js_name = parseStatus, unchecked_return_type = "Status")]
pub fn parse_status(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let text = string_arg(&input, "status", || names(Status::ALL, Status::as_str))?;
    Ok(JsValue::from_str(
        Status::parse(&text).map_err(fail)?.as_str(),
    ))
}

/// Whether Nova would accept `action` (a compute API method name like `"shelve_offload"` or a
/// REST action name like `"os-stop"`) on `server`, with every reason it would refuse, the
/// message and HTTP status Nova returns for each, and the facts the record lacked.
#[wasm_bindgen(js_name = checkAction, unchecked_return_type = "Verdict")]
pub fn check_action(
    #[wasm_bindgen(unchecked_param_type = "ActionName | RestActionName")] action: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ServerLike")] server: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    // The package's `checkAction` (see scripts/package.mjs) answers well-formed calls in
    // `fast.js` and comes here for the rest: odd but valid input, or an error to report.
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let (action, via) = match fast::lookup_action(&action) {
        Some(found) => found,
        None => Action::lookup(&action_arg(&action)?).map_err(fail)?,
    };
    let context = read_options(&options)?.context;
    let (mut facts, id_held) = read_facts(&server)?;
    if id_held {
        facts.instance.id = fast::held_id();
    }
    let mut verdict = nova_states::check(action, via, &facts.instance, &context);
    verdict.assumptions = facts.assumptions;
    to_js(&verdict)
}

/// The compute API method names of every action Nova would accept on `server`, in table order.
#[wasm_bindgen(js_name = allowedActions, unchecked_return_type = "ActionName[]")]
pub fn allowed_actions(
    #[wasm_bindgen(unchecked_param_type = "ServerLike")] server: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    // Like `checkAction`: `fast.js` answers well-formed calls first.
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let context = read_options(&options)?.context;
    let (facts, _) = read_facts(&server)?;
    Ok(fast::actions_to_js(fast::allowed_mask(&facts.instance, &context)).into())
}

/// The API `status` Nova shows for a server in `vmState` with `taskState` running (none when
/// omitted or `null`).
#[wasm_bindgen(js_name = statusOf, unchecked_return_type = "Status")]
pub fn status_of(
    #[wasm_bindgen(unchecked_param_type = "VmState")] vm_state: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TaskState | null")] task_state: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let vm = vm_state_arg(&vm_state, "vmState")?;
    let task = task_state_arg(&task_state.unwrap_or(JsValue::UNDEFINED), "taskState")?;
    Ok(JsValue::from_str(nova_states::status_of(vm, task).as_str()))
}

/// The vm and task states Nova's `?status=` filter selects for `status` (any case).
#[wasm_bindgen(js_name = statesForStatus, unchecked_return_type = "StatusFilter")]
pub fn states_for_status(
    #[wasm_bindgen(unchecked_param_type = "Status")] status: JsValue,
) -> Result<JsValue, JsValue> {
    let text = string_arg(&status, "status", || names(Status::ALL, Status::as_str))?;
    to_js(&nova_states::states_for_status(&text).map_err(fail)?)
}

/// Every edge of the vm-state graph: the action that makes it and the task state shown
/// meanwhile.
#[wasm_bindgen(js_name = transitions, unchecked_return_type = "Transition[]")]
pub fn transitions() -> Result<JsValue, JsValue> {
    to_js(&nova_states::transitions())
}

/// The shortest sequence of actions taking a server from `from` to `to`, every step one Nova
/// accepts under the facts at that step: the start's from `options` (taskState, launched,
/// locked, host, admin, microversion), then no task, launched, the same lock and the host each
/// step leaves. `[]` when they are equal, `null` when no sequence gets there.
#[wasm_bindgen(js_name = shortestPath, unchecked_return_type = "ActionName[] | null")]
pub fn shortest_path(
    #[wasm_bindgen(unchecked_param_type = "VmState")] from: JsValue,
    #[wasm_bindgen(unchecked_param_type = "VmState")] to: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PathOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let from = vm_state_arg(&from, "from")?;
    let to = vm_state_arg(&to, "to")?;
    let options = read_path_options(&options.unwrap_or(JsValue::UNDEFINED))?;
    Ok(match nova_states::shortest_path(from, to, &options) {
        Some(path) => action_array(path.iter().map(|t| t.action)).into(),
        None => JsValue::NULL,
    })
}

fn malformed_validation(message: String) -> nova_states::Validation {
    nova_states::Validation {
        ok: false,
        status: Status::Unknown,
        diagnostics: vec![record::Diagnostic {
            severity: record::Severity::Error,
            code: "malformed",
            message,
        }],
    }
}

/// Message of a JS error value we made (a `TypeError` from reading the record).
fn error_message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .and_then(|e| e.message().as_string())
        .unwrap_or_default()
}

fn validate_value(server: &JsValue) -> nova_states::Validation {
    match read_server(server) {
        Ok(record) if record.raw.is_empty() => malformed_validation(
            "server record has no key this library reads: expected ".to_string() + SERVER_EXPECTED,
        ),
        Ok(record) => nova_states::validate(&record.raw),
        Err(error) => malformed_validation(error_message(&error)),
    }
}

/// Validates one server record: its values are Nova's, its status agrees with its states, its
/// states are ones Nova would leave it in. Never throws for a bad record: a value that is not
/// one gives `ok: false` with a `malformed` diagnostic.
#[wasm_bindgen(js_name = validateServer, unchecked_return_type = "Validation")]
pub fn validate_server(
    #[wasm_bindgen(unchecked_param_type = "unknown")] server: JsValue,
) -> Result<JsValue, JsValue> {
    Ok(fast::validation_to_js(&validate_value(&server)))
}

/// Validates every server of an array (e.g. the `servers` of `GET /servers/detail`), one result
/// per element, in order.
#[wasm_bindgen(js_name = validateServers, unchecked_return_type = "Validation[]")]
pub fn validate_servers(
    #[wasm_bindgen(unchecked_param_type = "unknown[]")] servers: JsValue,
) -> Result<JsValue, JsValue> {
    let Some(array) = servers
        .dyn_ref::<Array>()
        .filter(|_| Array::is_array(&servers))
    else {
        return Err(wrong_arg("servers", "an array of server records", &servers));
    };
    let mut results = fast::Validations::default();
    for server in array.iter() {
        results.push(validate_value(&server));
    }
    Ok(results.to_js().into())
}

/// Validates every server of a raw `GET /servers/detail` response text (`{"servers": [...]}`)
/// or a JSON array of servers, without building the whole JSON tree: one result per server.
/// Throws a `TypeError` (code `ERR_NOVA_MALFORMED`) when the text is not such JSON.
#[wasm_bindgen(js_name = validateServersJson, unchecked_return_type = "Validation[]")]
pub fn validate_servers_json(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<JsValue, JsValue> {
    let Some(text) = text.dyn_ref::<js_sys::JsString>() else {
        return Err(wrong_arg(
            "text",
            "the JSON text of a servers response",
            &text,
        ));
    };
    let text = fast::utf8_of(text);
    let mut results = fast::Validations::default();
    record::each_server_in_json(&text, |raw| results.push(nova_states::validate(&raw)))
        .map_err(fail)?;
    Ok(results.to_js().into())
}

/// The vm-state graph in Graphviz DOT, edges allowed under `options`.
#[wasm_bindgen(js_name = toDot)]
pub fn to_dot(
    #[wasm_bindgen(unchecked_param_type = "PathOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    Ok(export::to_dot(&read_path_options(
        &options.unwrap_or(JsValue::UNDEFINED),
    )?))
}

/// The vm-state graph as a Mermaid flowchart, edges allowed under `options`.
#[wasm_bindgen(js_name = toMermaid)]
pub fn to_mermaid(
    #[wasm_bindgen(unchecked_param_type = "PathOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    Ok(export::to_mermaid(&read_path_options(
        &options.unwrap_or(JsValue::UNDEFINED),
    )?))
}

/// Everything the library knows as one value: states, statuses, the status map, every rule,
/// the transition graph, and the Nova commit it was read from.
#[wasm_bindgen(js_name = model, unchecked_return_type = "Model")]
pub fn model() -> Result<JsValue, JsValue> {
    to_js(&export::model())
}
