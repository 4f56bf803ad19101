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
use nova_states::record::{Scalar, ASSUMPTIONS};
use nova_states::rules::Entry;
use nova_states::{
    decide as decide_core, Action, Context, Decision, Error, ErrorKind, Facts, Field, Fields,
    Microversion, PowerState, RawServer, Refused, Release, Status, TaskState, VmState,
};
use wasm_bindgen::prelude::*;

mod abi;
#[cfg(feature = "describe")]
mod describe;

include!(concat!(env!("OUT_DIR"), "/digest.rs"));

/// The allocator: `talc`, a maintained allocator for WebAssembly, chosen by measurement over
/// Rust's default dlmalloc (2.3 KB smaller gzipped, and faster on small allocations).
#[cfg(target_family = "wasm")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

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

/// JS objects for the core's results, built field by field: the main module carries no
/// serializer (serde-wasm-bindgen costs about 2 KB gzipped there); the descriptive one does.
mod objects {
    use js_sys::{Array, Object, Reflect};
    use nova_states::record::Diagnostic;
    use nova_states::{Assumption, Denial, StatusFilter, Validation, Verdict};
    use wasm_bindgen::JsValue;

    fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
        let _ = Reflect::set(object, &JsValue::from_str(key), &value.into());
    }

    fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Array {
        items
            .into_iter()
            .map(|s| JsValue::from_str(s.as_ref()))
            .collect()
    }

    pub fn denial(d: &Denial) -> JsValue {
        let o = Object::new();
        set(&o, "kind", d.kind.as_str());
        set(&o, "actual", d.actual.as_ref());
        set(&o, "expected", strings(&d.expected));
        set(&o, "reason", d.reason.as_str());
        set(&o, "text", d.text.as_str());
        set(&o, "message", d.message.as_str());
        set(&o, "httpStatus", d.http_status);
        o.into()
    }

    fn assumption(a: &Assumption) -> JsValue {
        let o = Object::new();
        set(&o, "field", a.field);
        set(&o, "assumed", a.assumed);
        o.into()
    }

    pub fn verdict(v: &Verdict) -> JsValue {
        let o = Object::new();
        set(&o, "action", v.action.as_str());
        set(&o, "rest", v.rest);
        set(&o, "allowed", v.allowed);
        set(
            &o,
            "denials",
            v.denials.iter().map(denial).collect::<Array>(),
        );
        set(
            &o,
            "assumptions",
            v.assumptions.iter().map(assumption).collect::<Array>(),
        );
        o.into()
    }

    fn diagnostic(d: &Diagnostic) -> JsValue {
        let o = Object::new();
        set(&o, "severity", d.severity.as_str());
        set(&o, "code", d.code);
        set(&o, "message", d.message.as_str());
        o.into()
    }

    pub fn validation(v: &Validation) -> JsValue {
        let o = Object::new();
        set(&o, "ok", v.ok);
        set(&o, "status", v.status.as_str());
        set(
            &o,
            "diagnostics",
            v.diagnostics.iter().map(diagnostic).collect::<Array>(),
        );
        o.into()
    }

    pub fn status_filter(f: &StatusFilter) -> JsValue {
        let o = Object::new();
        set(
            &o,
            "vmStates",
            strings(f.vm_states.iter().map(|s| s.as_str())),
        );
        let tasks: JsValue = match &f.task_states {
            Some(tasks) => strings(tasks.iter().map(|t| t.as_str())).into(),
            None => JsValue::NULL,
        };
        set(&o, "taskStates", tasks);
        o.into()
    }
}

const SERVER_EXPECTED: &str =
    "a server record (an object with \"OS-EXT-STS:vm_state\" or \"vmState\", or {\"server\": {...}})";

fn is_record(value: &JsValue) -> bool {
    value.is_object() && !value.is_function() && !Array::is_array(value)
}

// ---------------------------------------------------------------------------------------------
// The numeric path: records as codes (see abi.rs)
// ---------------------------------------------------------------------------------------------

/// A name field from its code: absent, `null`, or the value at `code - NAME_BASE` of `all`. A
/// code past the table reads as absent (the JS side never sends one).
fn name_field<T: Copy>(code: u32, all: &[T]) -> Field<T> {
    match code {
        abi::NULL => Field::Null,
        c if c >= abi::NAME_BASE => all
            .get((c - abi::NAME_BASE) as usize)
            .map_or(Field::Missing, |&v| Field::Is(v)),
        _ => Field::Missing,
    }
}

/// A field of the packed facts, by its shape table: `null`, or whether it is set (`true`, or
/// text that is not empty).
fn shape_field(facts: u32, shift: u32, shapes: &[abi::Shape]) -> Field<bool> {
    use abi::Shape;
    let width = usize::BITS - (shapes.len() - 1).leading_zeros();
    match shapes.get(((facts >> shift) & ((1 << width) - 1)) as usize) {
        Some(Shape::Null) => Field::Null,
        Some(Shape::False | Shape::Empty) => Field::Is(false),
        Some(Shape::True | Shape::Text) => Field::Is(true),
        Some(Shape::Missing) | None => Field::Missing,
    }
}

/// The typed values the codes stand for; the id is left out (the JS side puts it into
/// messages). As [`Fields::read`] does, `launched` counts only without `launched_at`.
fn fields_from_codes(vm: u32, task: u32, status: u32, power: u32, facts: u32) -> Fields {
    let launched_at = shape_field(facts, abi::LAUNCHED_AT_SHIFT, &abi::TEXT_SHAPES);
    Fields {
        status: name_field(status, Status::ALL),
        vm_state: name_field(vm, VmState::ALL),
        task_state: name_field(task, TaskState::ALL),
        power_state: name_field(power, PowerState::ALL),
        locked: shape_field(facts, abi::LOCKED_SHIFT, &abi::BOOL_SHAPES),
        launched_at,
        launched: match launched_at {
            Field::Missing => shape_field(facts, abi::LAUNCHED_SHIFT, &abi::BOOL_SHAPES),
            _ => Field::Missing,
        },
        host: shape_field(facts, abi::HOST_SHIFT, &abi::HOST_SHAPES),
    }
}

/// The microversion `2.minor`; the JS side sends only what `microversion` accepted.
fn context(facts: u32, minor: u32) -> Context {
    let release = Release::ALL
        .get(((facts >> abi::RELEASE_SHIFT) & 15) as usize)
        .copied()
        .unwrap_or_default();
    Context {
        admin: facts & abi::ADMIN_BIT != 0,
        microversion: Microversion::v2(minor as u16),
        release,
    }
}

/// The action and the REST entry an action code names.
fn action_of(code: u32) -> Option<(Action, Option<&'static Entry>)> {
    let action = *Action::ALL.get((code >> abi::VIA_BITS) as usize)?;
    let via = code & ((1 << abi::VIA_BITS) - 1);
    if via == 0 {
        return Some((action, None));
    }
    Some((action, Some(action.entries().get(via as usize - 1)?)))
}

fn assumed_bits(facts: &Facts) -> u32 {
    facts
        .assumptions
        .iter()
        .filter_map(|a| ASSUMPTIONS.iter().position(|b| b == a))
        .fold(0, |bits, i| bits | 1 << (abi::ASSUMED_SHIFT + i as u32))
}

/// Each refusal of a decision with its bit. Ascending bits keep Nova's order: a microversion
/// refusal that comes after the not-found one (a route the release dropped) has its own bit.
fn refusal_bits(decision: &Decision) -> impl Iterator<Item = (Refused, u32)> + '_ {
    let mut not_found = false;
    decision.refused().iter().map(move |&refused| {
        let bit = match refused {
            Refused::Microversion if not_found => abi::REFUSED_MICROVERSION_LATE,
            Refused::Microversion => abi::REFUSED_MICROVERSION,
            Refused::NotFound => {
                not_found = true;
                abi::REFUSED_NOT_FOUND
            }
            Refused::Guard(i) => 1 << (abi::GUARD_SHIFT + i as u32),
        };
        (refused, bit)
    })
}

/// The action and the REST entry that applied, as packed bits: the row's index and the
/// entry's position in it.
fn applied(action: Action, rest: &Entry) -> u32 {
    let position = action
        .entries()
        .iter()
        .position(|r| std::ptr::eq(r, rest))
        .unwrap_or(0) as u32;
    (action.index() as u32) << abi::ACTION_SHIFT | position << abi::REST_SHIFT
}

fn pack(decision: &Decision, assumed: u32) -> u32 {
    refusal_bits(decision).fold(assumed, |bits, (_, bit)| bits | bit)
        | applied(decision.action, decision.rest)
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
    match Facts::from_fields(&fields_from_codes(vm, task, status, power, facts)) {
        Ok(read) => packed(action, via, &read, &context(facts, minor)),
        Err(_) => abi::UNREADABLE,
    }
}

/// The packed decision for one action; an action named by method that passes every check is
/// answered without building the list of refusals.
fn packed(
    action: Action,
    via: Option<&'static Entry>,
    read: &Facts,
    context: &Context,
) -> u32 {
    let assumed = assumed_bits(read);
    if via.is_none() && nova_states::is_allowed(action, &read.instance, context) {
        // An allowed action's entry is the one `decide` takes: the first at the microversion.
        if let Some(rest) = action.entry_at(context.microversion) {
            return assumed | applied(action, rest);
        }
    }
    pack(&decide_core(action, via, &read.instance, context), assumed)
}

/// [`decide`] for every action by method name, in table order: one packed decision each, or
/// a single `UNREADABLE`.
#[wasm_bindgen(js_name = decideAll)]
pub fn decide_all(vm: u32, task: u32, status: u32, power: u32, facts: u32, minor: u32) -> Vec<u32> {
    let Ok(read) = Facts::from_fields(&fields_from_codes(vm, task, status, power, facts)) else {
        return vec![abi::UNREADABLE];
    };
    let context = context(facts, minor);
    Action::ALL
        .iter()
        .map(|&a| packed(a, None, &read, &context))
        .collect()
}

/// The actions Nova accepts for the record the codes stand for, by method name: bit `i` for
/// the action at `32 * word + i` of the table; -1 when the record needs the general path.
#[wasm_bindgen(js_name = allowedBits)]
pub fn allowed_bits(
    vm: u32,
    task: u32,
    status: u32,
    power: u32,
    facts: u32,
    minor: u32,
    word: u32,
) -> f64 {
    let Ok(read) = Facts::from_fields(&fields_from_codes(vm, task, status, power, facts)) else {
        return -1.0;
    };
    let context = context(facts, minor);
    let bits = Action::ALL
        .iter()
        .skip(32 * word as usize)
        .take(32)
        .enumerate()
        .filter(|(_, &a)| nova_states::is_allowed(a, &read.instance, &context))
        .fold(0u32, |bits, (i, _)| bits | 1 << i);
    f64::from(bits)
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
    let mut read =
        Facts::from_fields(&fields_from_codes(vm, task, status, power, facts)).map_err(fail)?;
    read.instance.id = Some("\0".into());
    let context = context(facts, minor);
    let decision = decide_core(action, via, &read.instance, &context);
    let (refused, _) = refusal_bits(&decision)
        .find(|&(_, b)| b == bit)
        .ok_or_else(unreadable)?;
    Ok(objects::denial(&decision.denial(
        refused,
        &read.instance,
        &context,
    )))
}

/// Validates the record the codes stand for without building a result: its status's index
/// plus one when it has no finding, 0 when it has one or cannot be read (the general path
/// then writes the findings).
#[wasm_bindgen(js_name = validateCodes)]
pub fn validate_codes(vm: u32, task: u32, status: u32, power: u32, facts: u32) -> u32 {
    let validation =
        nova_states::record::validate_fields(&fields_from_codes(vm, task, status, power, facts));
    if validation.diagnostics.is_empty() {
        validation.status.index() as u32 + 1
    } else {
        0
    }
}

/// Whether the record the codes stand for is transitional: 1 or 0, 2 when it cannot be read.
#[wasm_bindgen(js_name = transitionalCodes)]
pub fn transitional_codes(vm: u32, task: u32, status: u32, power: u32, facts: u32) -> u32 {
    match Facts::from_fields(&fields_from_codes(vm, task, status, power, facts)) {
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

/// Parses a release option (`"2024.1"`, or a Nova version such as `"29.4.0"`) into its index in
/// `Release::ALL`; throws for anything else.
#[wasm_bindgen]
pub fn release(value: JsValue) -> Result<u32, JsValue> {
    let all: Vec<&str> = Release::ALL.iter().map(|r| r.as_str()).collect();
    let text = string_arg(&value, "options.release", || names(&all))?;
    Ok(release_index(Release::parse(&text).map_err(fail)?))
}

/// The release whose rules apply to a cloud with this maximum microversion (the `version` of
/// its `GET /` document), as its index in `Release::ALL`; throws for anything else.
#[wasm_bindgen(js_name = releaseForMax)]
pub fn release_for_max(value: JsValue) -> Result<u32, JsValue> {
    let text = string_arg(&value, "options.maxMicroversion", || {
        "a string \"2.N\", the cloud's maximum microversion".into()
    })?;
    let max = Microversion::parse(&text).map_err(fail)?;
    Ok(release_index(
        Release::for_max_microversion(max).map_err(fail)?,
    ))
}

fn release_index(release: Release) -> u32 {
    Release::ALL.iter().position(|&r| r == release).unwrap_or(0) as u32
}

/// Reads `{admin?, microversion?, release?, maxMicroversion?}`; `undefined` and `null` mean the
/// defaults. A release (or the cloud's max microversion, which selects one) sets the default
/// microversion to the release's newest.
fn read_context(options: &JsValue) -> Result<Context, JsValue> {
    let mut context = Context::default();
    if options.is_undefined() || options.is_null() {
        return Ok(context);
    }
    if !is_record(options) {
        return Err(wrong_arg(
            "options",
            "an object like { admin?: boolean, microversion?: string, release?: string }",
            options,
        ));
    }
    context.admin = bool_option(options, "admin")?;
    let get =
        |name: &str| Reflect::get(options, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let given = |v: &JsValue| !(v.is_undefined() || v.is_null());
    let (chosen, max) = (get("release"), get("maxMicroversion"));
    if given(&chosen) {
        context = Context {
            admin: context.admin,
            ..Context::for_release(Release::ALL[release(chosen)? as usize])
        };
    } else if given(&max) {
        context = Context {
            admin: context.admin,
            ..Context::for_release(Release::ALL[release_for_max(max)? as usize])
        };
    }
    let v = get("microversion");
    if v.as_string().as_deref() == Some("latest") {
        // The newest the release serves, as Nova reads "latest".
        context.microversion = context.release.max_microversion();
    } else if given(&v) {
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
    let body = read_body(&options)?;
    let facts = Facts::read(&raw_from_values(&server, &values)?).map_err(fail)?;
    let mut verdict = match body {
        Some(body) => nova_states::check_with_body(action, via, &facts.instance, &context, &body),
        None => nova_states::check(action, via, &facts.instance, &context),
    };
    verdict.assumptions = facts.assumptions;
    Ok(objects::verdict(&verdict))
}

/// The request-body facts among the options (`targetHost`: the evacuate request names a
/// target host; `unshelveDestination`: the unshelve request names an availability zone or a
/// host), or `None` when neither is given: the check then leaves the body out.
fn read_body(options: &JsValue) -> Result<Option<nova_states::RequestBody>, JsValue> {
    if !is_record(options) {
        return Ok(None);
    }
    let given = |name: &str| {
        let v = Reflect::get(options, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        !(v.is_undefined() || v.is_null())
    };
    if !given("targetHost") && !given("unshelveDestination") {
        return Ok(None);
    }
    Ok(Some(nova_states::RequestBody {
        target_host: bool_option(options, "targetHost")?,
        unshelve_destination: bool_option(options, "unshelveDestination")?,
    }))
}

/// Reports what is wrong with options or a record the numeric path could not take; returns
/// nothing when both are fine.
#[wasm_bindgen(js_name = explainRecord)]
pub fn explain_record(server: JsValue, values: JsValue, options: JsValue) -> Result<(), JsValue> {
    read_context(&options)?;
    read_body(&options)?;
    Facts::read(&raw_from_values(&server, &values)?).map_err(fail)?;
    Ok(())
}

/// Validates the values the JS side read; a server that is not a record, or a record with no
/// key this library reads, is a `malformed` finding, never an exception.
#[wasm_bindgen(js_name = validateGeneral)]
pub fn validate_general(server: JsValue, values: JsValue) -> Result<JsValue, JsValue> {
    let validation = match raw_from_values(&server, &values) {
        Ok(raw) => nova_states::validate(&raw),
        Err(error) => nova_states::Validation::malformed(
            error
                .dyn_ref::<js_sys::Error>()
                .and_then(|e| e.message().as_string())
                .unwrap_or_default(),
        ),
    };
    Ok(objects::validation(&validation))
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
    Ok(objects::status_filter(
        &nova_states::states_for_status(&text).map_err(fail)?,
    ))
}
