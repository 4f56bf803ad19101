//! The descriptive exports, built only with the `describe` feature: every rule as data with
//! its notes and sources, the model, the transition graph, paths and diagrams, and the batch
//! reader of `GET /servers/detail` text. Dashboards that gate buttons never load them.

use js_sys::Reflect;
use nova_states::export::{self, ActionInfo};
use nova_states::{PathOptions, TaskState, VmState};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use alloc::vec::Vec;

use serde::Serialize;

/// `value` as the JS value `JSON.parse` makes of its JSON text: what serde-wasm-bindgen's
/// JSON-compatible serializer builds (plain objects, `null` for `None`), with one call across
/// instead of one per field, and no serializer of JS values in the module.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    match serde_json::to_string(value) {
        Ok(text) => parse_json(&text),
        Err(_) => Err(js_error(
            false,
            "ERR_NOVA_INTERNAL",
            "a value did not serialize",
        )),
    }
}

/// Parses JSON text into its JS value, out of line.
#[inline(never)]
fn parse_json(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text)
}

fn vm_state_arg(value: &JsValue, what: &str) -> Result<VmState, JsValue> {
    let text = string_arg(value, what, || names(VmState::POOL))?;
    VmState::parse(&text).map_err(fail)
}

/// Reads what a path starts from (or every state of a drawn graph holds) and calls `then`
/// with it: the context and who asks, read as the main entry reads them (so a bad option
/// throws the error the main entry throws for it), then the start's facts with a plain
/// server's names: `{locked?, taskState?, launched?, host?}`. `taskState` `undefined`/`null`
/// is no task; `launched` and `host` left out (or `launched: null`) are assumed as a record
/// without them is; `host: null`, `false` or `""` is no host. `undefined` and `null` mean all
/// defaults.
fn with_path_options(options: &JsValue, then: &mut dyn FnMut(&PathOptions)) -> Result<(), JsValue> {
    let context = read_context(options)?;
    let caller = read_caller(options, context.release)?;
    let start = read_start(options)?;
    let caller = caller
        .as_ref()
        .map(|c| c as &dyn nova_states::nova_policy::Asks);
    then(&PathOptions {
        context: Context { caller, ..context },
        ..start
    });
    Ok(())
}

/// The start's facts of [`with_path_options`] (the options are a record or absent: the
/// context was read first).
fn read_start(options: &JsValue) -> Result<PathOptions<'static>, JsValue> {
    let mut out = PathOptions::default();
    if !is_record(options) {
        return Ok(out);
    }
    out.locked = bool_option(options, "locked")?;
    let get = |name: &str| prop(options, name);
    let task = get("taskState");
    if !(task.is_undefined() || task.is_null()) {
        let text = string_arg(&task, "options.taskState", || {
            names(TaskState::POOL) + ", or null"
        })?;
        out.task_state = Some(TaskState::parse(&text).map_err(fail)?);
    }
    let launched = get("launched");
    if !(launched.is_undefined() || launched.is_null()) {
        out.launched = Some(
            launched
                .as_bool()
                .ok_or_else(|| wrong_arg("options.launched", "true or false", &launched))?,
        );
    }
    let host = get("host");
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

/// Every action's rules as data: REST names, minimum microversion, accepted states, checks,
/// what it sets and where it ends, its notes, and where Nova defines it.
#[wasm_bindgen]
pub fn actions() -> Result<JsValue, JsValue> {
    let infos: Vec<ActionInfo> = nova_states::RULES.iter().map(ActionInfo::from).collect();
    to_js(&infos)
}

/// Every edge of the vm-state graph: the action that makes it and the task state shown
/// meanwhile.
#[wasm_bindgen]
pub fn transitions() -> Result<JsValue, JsValue> {
    to_js(&nova_states::transitions())
}

/// The shortest sequence of actions from `from` to `to` under `options`: `[]` when they are
/// equal, `null` when no sequence gets there.
#[wasm_bindgen(js_name = shortestPath)]
pub fn shortest_path(from: JsValue, to: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let from = vm_state_arg(&from, "from")?;
    let to = vm_state_arg(&to, "to")?;
    let mut path = None;
    with_path_options(&options, &mut |options| {
        path = nova_states::shortest_path(from, to, options)
    })?;
    Ok(match path {
        Some(path) => {
            let names: Vec<&str> = path.iter().map(|t| t.action.as_str()).collect();
            to_js(&names)?
        }
        None => JsValue::NULL,
    })
}

/// Validates every server of a raw `GET /servers/detail` response (`{"servers": [...]}`) or a
/// JSON array of servers, given as its UTF-8 bytes (the JS side encodes the text with the
/// engine's own `TextEncoder`, far faster than a string copy character by character), without
/// building the whole JSON tree: one result per server. Anything but bytes is refused.
#[wasm_bindgen(js_name = validateServersJson)]
pub fn validate_servers_json(bytes: JsValue) -> Result<JsValue, JsValue> {
    let Some(bytes) = bytes.dyn_ref::<js_sys::Uint8Array>() else {
        return Err(wrong(arg_code("text"), &bytes));
    };
    let bytes = bytes.to_vec();
    let text = core::str::from_utf8(&bytes).map_err(|e| {
        let mut message = String::from("the text is not UTF-8 at byte ");
        nova_states::push_number(&mut message, e.valid_up_to() as u64);
        js_error(false, "ERR_NOVA_MALFORMED", &message)
    })?;
    let mut results = Vec::new();
    nova_states::each_server_in_json(text, |raw| results.push(nova_states::validate(&raw)))
        .map_err(fail)?;
    to_js(&results)
}

/// The core's own verdict for `action` on the values of a record (one per slot of
/// `record::KEYS`) under `options`, by the Rust core alone: what the tests hold the main
/// entry's answers equal to. Only in the tests' module (the `core-check` feature), never in
/// the package.
#[cfg(feature = "core-check")]
#[wasm_bindgen(js_name = checkRecord)]
pub fn check_record(
    action: JsValue,
    values: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let name = string_arg(&action, "action", || "an action name".into())?;
    let (action, via) = nova_states::Action::lookup(&name).map_err(fail)?;
    let mut context = read_context(&options)?;
    let caller = read_caller(&options, context.release)?;
    context.caller = caller
        .as_ref()
        .map(|c| c as &dyn nova_states::nova_policy::Asks);
    context.locked_by = read_locked_by(&options);
    if let Some(body) = read_body(&options)? {
        context.body = body;
    }
    let facts = nova_states::Facts::read(&raw_from_values(&values)?).map_err(fail)?;
    let mut verdict = nova_states::check(action, via, &facts.instance, &context);
    let mut assumptions = facts.assumptions();
    assumptions.append(&mut verdict.assumptions);
    verdict.assumptions = assumptions;
    to_js(&verdict)
}

/// The core's own validation of the values of a record; see [`check_record`].
#[cfg(feature = "core-check")]
#[wasm_bindgen(js_name = validateRecord)]
pub fn validate_record(values: JsValue) -> Result<JsValue, JsValue> {
    to_js(&nova_states::validate(&raw_from_values(&values)?))
}

#[cfg(feature = "core-check")]
fn raw_from_values(values: &JsValue) -> Result<nova_states::RawServer<'static>, JsValue> {
    let Some(values) = values.dyn_ref::<Array>() else {
        return Err(wrong_arg("values", "an array", values));
    };
    let mut raw = nova_states::RawServer::default();
    for (slot, value) in raw.slots_mut().into_iter().zip(values.iter()) {
        *slot = scalar(&value);
    }
    Ok(raw)
}

#[cfg(feature = "core-check")]
fn read_body(options: &JsValue) -> Result<Option<nova_states::RequestBody>, JsValue> {
    if !is_record(options) {
        return Ok(None);
    }
    let get = |name: &str| prop(options, name);
    let target = get("targetHost");
    Ok(Some(nova_states::RequestBody {
        target_host: if target.is_undefined() || target.is_null() {
            None
        } else {
            Some(bool_option(options, "targetHost")?)
        },
        unshelve_destination: bool_option(options, "unshelveDestination")?,
        unshelve_host: bool_option(options, "unshelveHost")?,
        trusted_certs: bool_option(options, "trustedCerts")?,
        volume_update: bool_option(options, "volumeUpdate")?,
    }))
}

/// Who asks, from `options.credentials`, `options.policy`, `options.enforceNewDefaults` and
/// `options.enforceScope`: read independently of the main entry's reader (which the tests
/// compare with it), in its order and with its errors (`wrong`), and evaluated as the describe
/// module's askers evaluate them (the system scope, the rule names, then `Caller::new`). The
/// paths and drawn graphs follow it too.
fn read_caller(options: &JsValue, release: Release) -> Result<Option<Caller>, JsValue> {
    if !is_record(options) {
        return Ok(None);
    }
    let get = prop;
    let credentials = get(options, "credentials");
    if absent(&credentials) {
        return Ok(None);
    }
    if !absent(&get(options, "admin")) {
        return Err(thrown(&crate::lean::admin_with_credentials()));
    }
    if !is_record(&credentials) {
        return Err(wrong(arg_code("options.credentials"), &credentials));
    }
    let roles_value = get(&credentials, "roles");
    let mut roles = Vec::new();
    if !absent(&roles_value) {
        let bad = || wrong(arg_code("options.credentials.roles"), &roles_value);
        let list = roles_value.dyn_ref::<Array>().ok_or_else(bad)?;
        for role in list.iter() {
            roles.push(role.as_string().ok_or_else(bad)?);
        }
    }
    let text = |name: &str, arg: u32| -> Result<Option<String>, JsValue> {
        let v = get(&credentials, name);
        if absent(&v) {
            return Ok(None);
        }
        v.as_string().map(Some).ok_or_else(|| wrong(arg, &v))
    };
    let creds = nova_states::policy::Credentials {
        roles,
        project_id: text("projectId", arg_code("options.credentials.projectId"))?,
        user_id: text("userId", arg_code("options.credentials.userId"))?,
        system_scope: text("systemScope", arg_code("options.credentials.systemScope"))?,
        domain_id: text("domainId", arg_code("options.credentials.domainId"))?,
        ..Default::default()
    };
    let mut overrides = Vec::new();
    let policy = get(options, "policy");
    if !absent(&policy) {
        if !is_record(&policy) {
            return Err(wrong(arg_code("options.policy"), &policy));
        }
        let keys = js_sys::Object::keys(policy.unchecked_ref::<js_sys::Object>());
        for key in keys.iter() {
            let rule = key.as_string().unwrap_or_default();
            let value = get(&policy, &rule);
            let value = if value.is_null() {
                nova_states::policy::OverrideValue::Null
            } else if let Some(check) = value.as_string() {
                nova_states::policy::OverrideValue::Text(check)
            } else {
                return Err(thrown(&crate::lean::policy_value_error(&rule, value)));
            };
            overrides.push((rule, value));
        }
    }
    let flag = |name: &str, arg: u32| -> Result<bool, JsValue> {
        let v = get(options, name);
        if absent(&v) {
            return Ok(true);
        }
        v.as_bool().ok_or_else(|| wrong(arg, &v))
    };
    let options = nova_states::policy::Options {
        enforce_new_defaults: flag("enforceNewDefaults", arg_code("options.enforceNewDefaults"))?,
        enforce_scope: flag("enforceScope", arg_code("options.enforceScope"))?,
    };
    creds.validate().map_err(fail)?;
    for (rule, _) in &overrides {
        nova_states::policy::check_rule_name(rule).map_err(fail)?;
    }
    Caller::new(release, creds, &overrides, options)
        .map(Some)
        .map_err(fail)
}

#[cfg(feature = "core-check")]
fn read_locked_by(options: &JsValue) -> Option<nova_states::nova_policy::LockedBy> {
    if !is_record(options) {
        return None;
    }
    let v = prop(options, "lockedBy");
    nova_states::nova_policy::LockedBy::parse(&v.as_string()?).ok()
}

/// The vm-state graph in Graphviz DOT, edges allowed under `options`.
#[wasm_bindgen(js_name = toDot)]
pub fn to_dot(options: JsValue) -> Result<String, JsValue> {
    let mut out = String::new();
    with_path_options(&options, &mut |options| out = export::to_dot(options))?;
    Ok(out)
}

/// The vm-state graph as a Mermaid flowchart, edges allowed under `options`.
#[wasm_bindgen(js_name = toMermaid)]
pub fn to_mermaid(options: JsValue) -> Result<String, JsValue> {
    let mut out = String::new();
    with_path_options(&options, &mut |options| out = export::to_mermaid(options))?;
    Ok(out)
}

/// Everything the library knows as one value: states, statuses, the status map, every rule,
/// the transition graph.
#[wasm_bindgen]
pub fn model() -> Result<JsValue, JsValue> {
    to_js(&export::model())
}

// ---------------------------------------------------------------------------------------------
// JS values in (read with js_sys), JS errors out.
// ---------------------------------------------------------------------------------------------

use alloc::string::String;
use js_sys::Array;
use nova_states::nova_policy::Caller;
use nova_states::{Context, Error, Microversion, Release};

/// A core error as the JS error the main entry throws for it (the main module's code for its
/// kind, [`crate::lean::fail`]).
fn fail(err: Error) -> JsValue {
    thrown(&crate::lean::fail(err))
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
    let mut message = String::new();
    for piece in [
        what,
        " must be ",
        expected,
        ", found ",
        &describe_value(found),
    ] {
        message.push_str(piece);
    }
    js_error(false, "ERR_NOVA_INVALID_ARG_TYPE", &message)
}

#[cfg(feature = "core-check")]
use crate::lean::scalar;
use crate::lean::{arg_code, describe_value};

/// The main entry's error for argument `arg` (its code in `abi::ARGS`) of the wrong type,
/// from the same words (`errorText`'s [`crate::lean::wrong_type`]), as the JS error the main
/// entry throws.
fn wrong(arg: u32, found: &JsValue) -> JsValue {
    thrown(&crate::lean::wrong_type(arg, found.clone()))
}

/// An error's `CODE<US>message` (the main module's error texts) as the JS error the main
/// entry makes of it: unknown names and out-of-range values are `RangeError`s, the rest
/// `TypeError`s.
fn thrown(text: &str) -> JsValue {
    let (code, message) = text.split_once(crate::abi::FIELD).unwrap_or(("", text));
    js_error(
        matches!(code, "ERR_NOVA_UNKNOWN_NAME" | "ERR_NOVA_OUT_OF_RANGE"),
        code,
        message,
    )
}

/// `undefined` or `null`: an option not given.
fn absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

fn names(all: nova_states::Names) -> String {
    let mut out = String::from("one of ");
    nova_states::push_list(&mut out, all);
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

/// An option of the main entry's that must be a string (argument `arg` of `abi::ARGS`).
fn string_option(value: &JsValue, arg: u32) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| wrong(arg, value))
}

/// `object[name]`, `undefined` when reading it throws: one call for every option read.
#[inline(never)]
fn prop(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn is_record(value: &JsValue) -> bool {
    value.is_object() && !value.is_function() && !Array::is_array(value)
}

fn bool_option(options: &JsValue, name: &str) -> Result<bool, JsValue> {
    let v = prop(options, name);
    if absent(&v) {
        return Ok(false);
    }
    v.as_bool()
        .ok_or_else(|| wrong_arg(&(String::from("options.") + name), "true or false", &v))
}

/// Parses a release option (`"2024.1"`, or a Nova version such as `"29.4.0"`) into its index in
/// `Release::ALL`; throws for anything else.
fn release(value: JsValue) -> Result<u32, JsValue> {
    let text = string_option(&value, arg_code("options.release"))?;
    Ok(release_index(Release::parse(&text).map_err(fail)?))
}

/// The release whose rules apply to a cloud with this maximum microversion (the `version` of
/// its `GET /` document), as its index in `Release::ALL`; throws for anything else.
fn release_for_max(value: JsValue) -> Result<u32, JsValue> {
    let text = string_option(&value, arg_code("options.maxMicroversion"))?;
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
fn read_context(options: &JsValue) -> Result<Context<'static>, JsValue> {
    let mut context = Context::default();
    if options.is_undefined() || options.is_null() {
        return Ok(context);
    }
    if !is_record(options) {
        return Err(wrong(arg_code("options"), options));
    }
    let get = |name: &str| prop(options, name);
    let admin = get("admin");
    if !absent(&admin) {
        context.admin = admin
            .as_bool()
            .ok_or_else(|| wrong(arg_code("options.admin"), &admin))?;
    }
    let given = |v: &JsValue| !absent(v);
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

/// Parses a microversion option (`"2.N"` or `"latest"`) into its minor number; throws for
/// anything else.
fn microversion(value: JsValue) -> Result<u32, JsValue> {
    let text = string_option(&value, arg_code("options.microversion"))?;
    Ok(u32::from(Microversion::parse(&text).map_err(fail)?.minor()))
}
