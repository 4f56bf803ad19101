//! The JavaScript binding of nova-states: the one place that knows about wasm-bindgen.
//!
//! The package's JS entry (`wasm/js/index.js`) reads a server record, turns its names into the
//! numeric codes of [`abi`] with tables `build.rs` generated from the core, and calls the
//! numeric exports here (`decide`, `decideAll`, …), whose glue passes numbers straight
//! through. Anything those codes cannot carry (a value of the wrong type, an unknown name)
//! goes to the general exports (`checkGeneral`, …), which take the values as read and report
//! the problem as a JS error whose message the core wrote. The descriptive exports (rule
//! notes, the model, graph exports, the JSON batch reader) are built only with the `describe`
//! feature, into the module behind the package's `nova-states/describe` entry.

use std::borrow::Cow;

use js_sys::{Array, Reflect};
use nova_states::record::{self, Scalar, ASSUMPTIONS};
use nova_states::{
    decide as decide_core, Action, Context, Decision, Error, ErrorKind, Facts, Microversion,
    PowerState, RawServer, Refused, Status, TaskState, VmState,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod abi;
#[cfg(feature = "describe")]
mod describe;

include!(concat!(env!("OUT_DIR"), "/digest.rs"));

/// The digest of the code tables `build.rs` wrote for JS; the JS entry compares it with its
/// own copy at start-up, so a `codes.js` from another build fails loudly.
#[wasm_bindgen(js_name = codesDigest)]
pub fn codes_digest() -> u32 {
    CODES_DIGEST
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// A core error as the JS error it throws as: unknown names and out-of-range values are
/// `RangeError`s, malformed input `TypeError`s; each carries a `code`.
fn fail(err: Error) -> JsValue {
    match err.kind() {
        ErrorKind::UnknownName => js_error(true, "ERR_NOVA_UNKNOWN_NAME", err.message()),
        ErrorKind::OutOfRange => js_error(true, "ERR_NOVA_OUT_OF_RANGE", err.message()),
        _ => js_error(false, "ERR_NOVA_MALFORMED", err.message()),
    }
}

fn js_error(range: bool, code: &str, message: &str) -> JsValue {
    let error: JsValue = if range {
        js_sys::RangeError::new(message).into()
    } else {
        js_sys::TypeError::new(message).into()
    };
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error
}

/// A `TypeError` for an argument of the wrong type: names the argument, what was expected and
/// what came.
fn wrong_arg(what: &str, expected: &str, found: &JsValue) -> JsValue {
    let message = format!("{what} must be {expected}, found {}", describe_value(found));
    js_error(false, "ERR_NOVA_INVALID_ARG_TYPE", &message)
}

/// Describes any JS value for a message without calling into it (no `toString`, no getters).
fn describe_value(value: &JsValue) -> String {
    if value.is_undefined() {
        return "undefined".into();
    }
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

fn names(all: &[&str]) -> String {
    String::from("one of ") + &all.join(", ")
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

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(JsValue::from)
}

const SERVER_EXPECTED: &str =
    "a server record (an object with \"OS-EXT-STS:vm_state\" or \"vmState\", or {\"server\": {...}})";

fn is_record(value: &JsValue) -> bool {
    value.is_object() && !value.is_function() && !Array::is_array(value)
}

// ---------------------------------------------------------------------------------------------
// The numeric path: records as codes (see abi.rs)
// ---------------------------------------------------------------------------------------------

/// A name field from its code: absent, `null`, or the name at `code - NAME_BASE` of `names`.
/// A code past the table reads as absent (the JS side never sends one).
fn name_scalar(code: u32, names: &'static [&'static str]) -> Scalar<'static> {
    match code {
        abi::NULL => Scalar::Null,
        c if c >= abi::NAME_BASE => names
            .get((c - abi::NAME_BASE) as usize)
            .map_or(Scalar::Missing, |n| Scalar::Str(Cow::Borrowed(n))),
        _ => Scalar::Missing,
    }
}

/// A field of the packed facts, by its shape table.
fn shape_scalar(facts: u32, shift: u32, shapes: &[&str]) -> Scalar<'static> {
    let width = usize::BITS - (shapes.len() - 1).leading_zeros();
    match shapes.get(((facts >> shift) & ((1 << width) - 1)) as usize) {
        Some(&"null") => Scalar::Null,
        Some(&"false") => Scalar::Bool(false),
        Some(&"true") => Scalar::Bool(true),
        Some(&"empty") => Scalar::Str(Cow::Borrowed("")),
        Some(&"text") => Scalar::Str(Cow::Borrowed("x")),
        _ => Scalar::Missing,
    }
}

/// The record the codes stand for; the id is left out (the JS side puts it into messages).
fn raw_from_codes(vm: u32, task: u32, status: u32, power: u32, facts: u32) -> RawServer<'static> {
    static POWER_NAMES: [&str; 6] = {
        let mut names = [""; 6];
        let mut i = 0;
        while i < 6 {
            names[i] = PowerState::ALL[i].as_str();
            i += 1;
        }
        names
    };
    RawServer {
        id: Scalar::Missing,
        status: name_scalar(status, Status::NAMES),
        vm_state: name_scalar(vm, VmState::NAMES),
        task_state: name_scalar(task, TaskState::NAMES),
        power_state: name_scalar(power, &POWER_NAMES),
        locked: shape_scalar(facts, abi::LOCKED_SHIFT, &abi::BOOL_SHAPES),
        launched_at: shape_scalar(facts, abi::LAUNCHED_AT_SHIFT, &abi::TEXT_SHAPES),
        launched: shape_scalar(facts, abi::LAUNCHED_SHIFT, &abi::BOOL_SHAPES),
        host: shape_scalar(facts, abi::HOST_SHIFT, &abi::HOST_SHAPES),
    }
}

/// The microversion `2.minor`; the JS side sends only what `microversion` accepted.
fn context(facts: u32, minor: u32) -> Context {
    Context {
        admin: facts & abi::ADMIN_BIT != 0,
        microversion: Microversion::v2(minor as u16),
        ..Context::default()
    }
}

/// The action and the REST entry an action code names.
fn action_of(code: u32) -> Option<(Action, Option<&'static nova_states::rules::Rest>)> {
    let action = *Action::ALL.get((code >> abi::VIA_BITS) as usize)?;
    let via = code & ((1 << abi::VIA_BITS) - 1);
    if via == 0 {
        return Some((action, None));
    }
    Some((action, Some(action.rule().rest.get(via as usize - 1)?)))
}

fn assumed_bits(facts: &Facts) -> u32 {
    facts
        .assumptions
        .iter()
        .filter_map(|a| ASSUMPTIONS.iter().position(|b| b == a))
        .fold(0, |bits, i| bits | 1 << (abi::ASSUMED_SHIFT + i as u32))
}

fn refused_bit(refused: Refused) -> u32 {
    match refused {
        Refused::Microversion => abi::REFUSED_MICROVERSION,
        Refused::NotFound => abi::REFUSED_NOT_FOUND,
        Refused::Guard(i) => 1 << (abi::GUARD_SHIFT + i as u32),
    }
}

fn pack(decision: &Decision, assumed: u32) -> u32 {
    let rest = decision
        .action
        .rule()
        .rest
        .iter()
        .position(|r| std::ptr::eq(r, decision.rest))
        .unwrap_or(0) as u32;
    decision
        .refused()
        .iter()
        .fold(assumed, |bits, &r| bits | refused_bit(r))
        | (decision.action.index() as u32) << abi::ACTION_SHIFT
        | rest << abi::REST_SHIFT
}

/// Decides one action (an action code, see `abi::VIA_BITS`) for the record the codes stand
/// for: the refusals, the assumptions and the row and REST entry that applied, packed as
/// `abi` says; `UNREADABLE` when the record needs the general path.
#[wasm_bindgen]
pub fn decide(
    action: u32,
    vm: u32,
    task: u32,
    status: u32,
    power: u32,
    facts: u32,
    minor: u32,
) -> u32 {
    let Some((action, via)) = action_of(action) else {
        return abi::UNREADABLE;
    };
    match Facts::read(&raw_from_codes(vm, task, status, power, facts)) {
        Ok(read) => pack(
            &decide_core(action, via, &read.instance, &context(facts, minor)),
            assumed_bits(&read),
        ),
        Err(_) => abi::UNREADABLE,
    }
}

/// [`decide`] for every action by method name, in table order: one packed decision each, or
/// a single `UNREADABLE`.
#[wasm_bindgen(js_name = decideAll)]
pub fn decide_all(vm: u32, task: u32, status: u32, power: u32, facts: u32, minor: u32) -> Vec<u32> {
    let Ok(read) = Facts::read(&raw_from_codes(vm, task, status, power, facts)) else {
        return vec![abi::UNREADABLE];
    };
    let context = context(facts, minor);
    let assumed = assumed_bits(&read);
    Action::ALL
        .iter()
        .map(|&a| pack(&decide_core(a, None, &read.instance, &context), assumed))
        .collect()
}

/// The denial of one refusal bit of [`decide`]'s answer, as a template: the message has NUL
/// where the server's id goes. The JS side caches it by everything it depends on.
#[wasm_bindgen(js_name = denialTemplate)]
#[allow(clippy::too_many_arguments)]
pub fn denial_template(
    action: u32,
    vm: u32,
    task: u32,
    status: u32,
    power: u32,
    facts: u32,
    minor: u32,
    bit: u32,
) -> Result<JsValue, JsValue> {
    let unreadable = || js_error(false, "ERR_NOVA_MALFORMED", "codes that decide refused");
    let (action, via) = action_of(action).ok_or_else(unreadable)?;
    let mut read = Facts::read(&raw_from_codes(vm, task, status, power, facts)).map_err(fail)?;
    read.instance.id = Some("\0".into());
    let context = context(facts, minor);
    let decision = decide_core(action, via, &read.instance, &context);
    let refused = decision
        .refused()
        .iter()
        .copied()
        .find(|&r| refused_bit(r) == bit)
        .ok_or_else(unreadable)?;
    to_js(&decision.denial(refused, &read.instance, &context))
}

/// Validates the record the codes stand for without building a result: its status's index
/// plus one when it has no finding, 0 when it has one or cannot be read (the general path
/// then writes the findings).
#[wasm_bindgen(js_name = validateCodes)]
pub fn validate_codes(vm: u32, task: u32, status: u32, power: u32, facts: u32) -> u32 {
    let validation = nova_states::validate(&raw_from_codes(vm, task, status, power, facts));
    if validation.diagnostics.is_empty() {
        validation.status.index() as u32 + 1
    } else {
        0
    }
}

/// Whether the record the codes stand for is transitional: 1 or 0, 2 when it cannot be read.
#[wasm_bindgen(js_name = transitionalCodes)]
pub fn transitional_codes(vm: u32, task: u32, status: u32, power: u32, facts: u32) -> u32 {
    match Facts::read(&raw_from_codes(vm, task, status, power, facts)) {
        Ok(read) => read.is_transitional() as u32,
        Err(_) => 2,
    }
}

/// The status Nova shows for vm state and task codes (`abi` name codes; the task may be
/// `NULL`), as its index in `Status::ALL`.
#[wasm_bindgen(js_name = statusCode)]
pub fn status_code(vm: u32, task: u32) -> u32 {
    let vm = VmState::ALL[(vm.saturating_sub(abi::NAME_BASE) as usize).min(VmState::ALL.len() - 1)];
    let task = task
        .checked_sub(abi::NAME_BASE)
        .and_then(|t| TaskState::ALL.get(t as usize).copied());
    nova_states::status_of(vm, task).index() as u32
}

/// Parses a microversion option (`"2.N"` or `"latest"`) into its minor number; throws for
/// anything else.
#[wasm_bindgen]
pub fn microversion(value: JsValue) -> Result<u32, JsValue> {
    let text = string_arg(&value, "options.microversion", || {
        "a string \"2.N\" (N from 1 to 104) or \"latest\"".into()
    })?;
    Ok(u32::from(Microversion::parse(&text).map_err(fail)?.minor()))
}

// ---------------------------------------------------------------------------------------------
// The general path: the values as read, every problem reported
// ---------------------------------------------------------------------------------------------

/// The record from the values the JS side read (one per slot, see `record::KEYS`), or the
/// error for a server that is not a record (`values` undefined).
fn raw_from_values(server: &JsValue, values: &JsValue) -> Result<RawServer<'static>, JsValue> {
    let Some(values) = values.dyn_ref::<Array>() else {
        return Err(wrong_arg("server", SERVER_EXPECTED, server));
    };
    let mut raw = RawServer::default();
    for (slot, value) in raw.slots_mut().into_iter().zip(values.iter()) {
        *slot = scalar(&value);
    }
    if raw.is_empty() {
        return Err(wrong_arg("server", SERVER_EXPECTED, server));
    }
    Ok(raw)
}

fn bool_option(options: &JsValue, name: &str) -> Result<bool, JsValue> {
    let v = Reflect::get(options, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() || v.is_null() {
        return Ok(false);
    }
    v.as_bool()
        .ok_or_else(|| wrong_arg(&format!("options.{name}"), "true or false", &v))
}

/// Reads `{admin?, microversion?}`; `undefined` and `null` mean the defaults.
fn read_context(options: &JsValue) -> Result<Context, JsValue> {
    let mut context = Context::default();
    if options.is_undefined() || options.is_null() {
        return Ok(context);
    }
    if !is_record(options) {
        return Err(wrong_arg(
            "options",
            "an object like { admin?: boolean, microversion?: string }",
            options,
        ));
    }
    context.admin = bool_option(options, "admin")?;
    let v = Reflect::get(options, &JsValue::from_str("microversion")).unwrap_or(JsValue::UNDEFINED);
    if !(v.is_undefined() || v.is_null()) {
        context.microversion = Microversion::v2(microversion(v)? as u16);
    }
    Ok(context)
}

fn action_arg(value: &JsValue) -> Result<String, JsValue> {
    string_arg(value, "action", || {
        "a compute API method name (".to_string()
            + &names(Action::NAMES)
            + ") or a REST action name"
    })
}

/// Checks one action on the values the JS side read, reporting any problem: an unknown
/// action, bad options, a server that is not a record, a value of the wrong type.
#[wasm_bindgen(js_name = checkGeneral)]
pub fn check_general(
    action: JsValue,
    server: JsValue,
    values: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let (action, via) = Action::lookup(&action_arg(&action)?).map_err(fail)?;
    let context = read_context(&options)?;
    let facts = Facts::read(&raw_from_values(&server, &values)?).map_err(fail)?;
    let mut verdict = nova_states::check(action, via, &facts.instance, &context);
    verdict.assumptions = facts.assumptions;
    to_js(&verdict)
}

/// Reports what is wrong with options or a record the numeric path could not take; returns
/// nothing when both are fine.
#[wasm_bindgen(js_name = explainRecord)]
pub fn explain_record(server: JsValue, values: JsValue, options: JsValue) -> Result<(), JsValue> {
    read_context(&options)?;
    Facts::read(&raw_from_values(&server, &values)?).map_err(fail)?;
    Ok(())
}

/// Validates the values the JS side read; a server that is not a record, or a record with no
/// key this library reads, is a `malformed` finding, never an exception.
#[wasm_bindgen(js_name = validateGeneral)]
pub fn validate_general(server: JsValue, values: JsValue) -> Result<JsValue, JsValue> {
    let validation = match raw_from_values(&server, &values) {
        Ok(raw) => nova_states::validate(&raw),
        Err(error) => nova_states::Validation {
            ok: false,
            status: Status::Unknown,
            diagnostics: vec![record::Diagnostic {
                severity: record::Severity::Error,
                code: "malformed",
                message: error
                    .dyn_ref::<js_sys::Error>()
                    .and_then(|e| e.message().as_string())
                    .unwrap_or_default(),
            }],
        },
    };
    to_js(&validation)
}

/// The `TypeError` for an argument the JS side found of the wrong type, worded as every other.
#[wasm_bindgen(js_name = argumentError)]
pub fn argument_error(what: &str, expected: &str, found: JsValue) -> JsValue {
    wrong_arg(what, expected, &found)
}

// ---------------------------------------------------------------------------------------------
// Names and statuses
// ---------------------------------------------------------------------------------------------

/// Parses a vm state, task state or status by its table (`kind` 0, 1, 2); throws a
/// `RangeError` naming the input and the nearest valid name for anything else.
#[wasm_bindgen(js_name = parseName)]
pub fn parse_name(kind: u32, input: JsValue) -> Result<JsValue, JsValue> {
    let (what, all): (&str, &[&str]) = match kind {
        0 => ("vm state", VmState::NAMES),
        1 => ("task state", TaskState::NAMES),
        _ => ("status", Status::NAMES),
    };
    let text = string_arg(&input, what, || names(all))?;
    let name = match kind {
        0 => VmState::parse(&text).map(VmState::as_str),
        1 => TaskState::parse(&text).map(TaskState::as_str),
        _ => Status::parse(&text).map(Status::as_str),
    };
    Ok(JsValue::from_str(name.map_err(fail)?))
}

/// Parses a power state by name (`"running"`), code (`1`) or code as text (`"1"`) into its
/// code; throws on anything else.
#[wasm_bindgen(js_name = parsePowerCode)]
pub fn parse_power_code(input: JsValue) -> Result<u32, JsValue> {
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
    Ok(u32::from(power.code()))
}

/// The vm and task states Nova's `?status=` filter selects for `status` (any case).
#[wasm_bindgen(js_name = statesForStatus)]
pub fn states_for_status(status: JsValue) -> Result<JsValue, JsValue> {
    let text = string_arg(&status, "status", || names(Status::NAMES))?;
    to_js(&nova_states::states_for_status(&text).map_err(fail)?)
}
