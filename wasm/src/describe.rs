//! The descriptive exports, built only with the `describe` feature: every rule as data with
//! its notes and sources, the model, the transition graph, paths and diagrams, and the batch
//! reader of `GET /servers/detail` text. Dashboards that gate buttons never load them.

use js_sys::Reflect;
use nova_states::export::{self, ActionInfo};
use nova_states::{PathOptions, TaskState, VmState};
use wasm_bindgen::prelude::*;

use serde::Serialize;

use crate::{fail, is_record, string_arg, wrong_arg};

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(JsValue::from)
}

fn vm_state_arg(value: &JsValue, what: &str) -> Result<VmState, JsValue> {
    let text = string_arg(value, what, || crate::names(VmState::NAMES))?;
    VmState::parse(&text).map_err(fail)
}

/// Reads the facts a path starts from (or every state of a drawn graph holds), with a plain
/// server's names: `{admin?, microversion?, locked?, taskState?, launched?, host?}`.
/// `taskState` `undefined`/`null` is no task; `launched` and `host` left out (or `launched:
/// null`) are assumed as a record without them is; `host: null`, `false` or `""` is no host.
/// `undefined` and `null` mean all defaults.
fn read_options(options: &JsValue) -> Result<PathOptions, JsValue> {
    let mut out = PathOptions::default();
    if options.is_undefined() || options.is_null() {
        return Ok(out);
    }
    if !is_record(options) {
        return Err(wrong_arg(
            "options",
            "an object like { admin?: boolean, microversion?: string, locked?: boolean, taskState?: string, launched?: boolean, host?: string }",
            options,
        ));
    }
    out.context = crate::read_context(options)?;
    out.locked = crate::bool_option(options, "locked")?;
    let get =
        |name: &str| Reflect::get(options, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let task = get("taskState");
    if !(task.is_undefined() || task.is_null()) {
        let text = string_arg(&task, "options.taskState", || {
            crate::names(TaskState::NAMES) + ", or null"
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
    let options = read_options(&options)?;
    Ok(match nova_states::shortest_path(from, to, &options) {
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
/// building the whole JSON tree: one result per server.
#[wasm_bindgen(js_name = validateServersJson)]
pub fn validate_servers_json(bytes: &[u8]) -> Result<JsValue, JsValue> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        crate::js_error(
            false,
            "ERR_NOVA_MALFORMED",
            &format!("the text is not UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    let mut results = Vec::new();
    nova_states::each_server_in_json(text, |raw| results.push(nova_states::validate(&raw)))
        .map_err(fail)?;
    to_js(&results)
}

/// The vm-state graph in Graphviz DOT, edges allowed under `options`.
#[wasm_bindgen(js_name = toDot)]
pub fn to_dot(options: JsValue) -> Result<String, JsValue> {
    Ok(export::to_dot(&read_options(&options)?))
}

/// The vm-state graph as a Mermaid flowchart, edges allowed under `options`.
#[wasm_bindgen(js_name = toMermaid)]
pub fn to_mermaid(options: JsValue) -> Result<String, JsValue> {
    Ok(export::to_mermaid(&read_options(&options)?))
}

/// Everything the library knows as one value: states, statuses, the status map, every rule,
/// the transition graph.
#[wasm_bindgen]
pub fn model() -> Result<JsValue, JsValue> {
    to_js(&export::model())
}
