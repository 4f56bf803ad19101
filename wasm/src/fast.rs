//! The hot paths' side of the boundary: records are read by `fast.js` into integer codes in one
//! call, and results are built there from interned tables, so a `checkAction` costs a few
//! crossings instead of dozens. The Rust core still makes every decision.

use std::borrow::Cow;
use std::cell::Cell;

use js_sys::Array;
use nova_states::record::{self, Diagnostic, Scalar, Severity, SLOTS};
use nova_states::{
    Action, Assumption, DenialKind, RawServer, Status, TaskState, Validation, Verdict, VmState,
    RULES,
};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/fast.js")]
extern "C" {
    #[allow(clippy::too_many_arguments)]
    fn setup(
        actions: &str,
        rests: &str,
        kinds: &str,
        actuals: &str,
        fixed_expected: &str,
        statuses: &str,
        vm: &str,
        task: &str,
        keys: &str,
        slot_of: &str,
        lookup: &str,
        expected: &str,
        severities: &str,
        codes: &str,
        assumptions: &str,
        memory: JsValue,
    );
    fn action_code(value: &JsValue) -> i32;
    fn read_record(value: &JsValue, out: &mut [i32]) -> u32;
    fn held_value(slot: usize) -> JsValue;
    fn thrown_error() -> JsValue;
    fn encode_into(text: &js_sys::JsString, ptr: *mut u8, cap: usize) -> usize;
    fn encoded_read() -> usize;
    fn verdict(action: usize, rest: usize, allowed: bool, assumptions: u32) -> JsValue;
    fn push_denial(
        verdict: &JsValue,
        kind: u32,
        actual: usize,
        expected: i32,
        message: *const u8,
        message_len: usize,
        http_status: u16,
    );
    fn push_denial_text(
        verdict: &JsValue,
        kind: u32,
        actual: &str,
        expected: &str,
        message: &str,
        http_status: u16,
    );
    fn push_assumption(verdict: &JsValue, field: &str, assumed: &str);
    fn action_names(low: u32, high: u32) -> Array;
    fn validations(packed: &[u8]) -> Array;
    fn push_diagnostic(validation: &JsValue, severity: u32, code: u32, message: &str);
    fn push_diagnostic_at(
        validations: &Array,
        index: usize,
        severity: u32,
        code: u32,
        message: &str,
    );
}

/// Denial `expected` lists that never change (`FIXED_EXPECTED` in JS), by negative code.
const FIXED_EXPECTED: [&str; 3] = ["False", "a compute host", "a launch time"];

/// `ACTUALS` in JS: vm state names, task state names, then these.
const ACTUAL_NONE: usize = VmState::ALL.len() + TaskState::ALL.len();
const ACTUAL_TRUE: usize = ACTUAL_NONE + 1;

/// How many `i32`s `read_record` writes: kind and payload for each slot, then a key index.
const SLOT_ID: usize = 0;
const SLOT_LAUNCHED_AT: usize = 6;
const SLOT_HOST: usize = 8;

thread_local! {
    static READY: Cell<bool> = const { Cell::new(false) };
}

fn joined<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(name);
    }
    out
}

fn push_line(out: &mut String, parts: &[&str]) {
    if !out.is_empty() {
        out.push('\n');
    }
    for part in parts {
        out.push_str(part);
    }
}

/// Where each action's REST entries start in the flattened list of all of them.
fn rest_offset(action: Action) -> usize {
    RULES[..action.index()].iter().map(|r| r.rest.len()).sum()
}

/// Sends the tables to `fast.js`, once.
fn ensure_setup() {
    if READY.with(Cell::get) {
        return;
    }
    let rests = joined(RULES.iter().flat_map(|r| r.rest.iter().map(|e| e.name)));
    let actuals = joined(
        VmState::ALL
            .iter()
            .map(|v| v.as_str())
            .chain(TaskState::ALL.iter().map(|t| t.as_str()))
            .chain(["None", "True"]),
    );
    let slot_of = {
        let mut out = String::new();
        for (i, key) in record::KEYS[..record::KEYS.len() - 1].iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&RawServer::slot_index(key).unwrap_or(SLOT_HOST).to_string());
        }
        out
    };
    // Method names first: `Action::lookup` prefers them; then REST names, first rule wins.
    let mut lookup = String::new();
    for &action in Action::ALL {
        push_line(
            &mut lookup,
            &[action.as_str(), "\t", &(action.index() * 16).to_string()],
        );
    }
    for rule in RULES {
        for (j, rest) in rule.rest.iter().enumerate() {
            push_line(
                &mut lookup,
                &[
                    rest.name,
                    "\t",
                    &(rule.action.index() * 16 + j + 1).to_string(),
                ],
            );
        }
    }
    let mut expected = String::new();
    for rule in RULES {
        let vm = joined(rule.accepted_vm_states().map(VmState::as_str));
        let task = rule.accepted_task_states().map(nova_states::task_str);
        let mut tasks = String::new();
        for (i, t) in task.enumerate() {
            if i > 0 {
                tasks.push(',');
            }
            tasks.push_str(t);
        }
        let vm = vm.replace('\n', ",");
        push_line(&mut expected, &[if vm.is_empty() { "-" } else { &vm }]);
        push_line(
            &mut expected,
            &[if tasks.is_empty() { "-" } else { &tasks }],
        );
    }
    let mut assumptions = String::new();
    for Assumption { field, assumed } in record::ASSUMPTIONS {
        push_line(&mut assumptions, &[field, "\t", assumed]);
    }
    setup(
        &joined(Action::ALL.iter().map(|a| a.as_str())),
        &rests,
        &joined(DenialKind::ALL.iter().map(|k| k.as_str())),
        &actuals,
        &joined(FIXED_EXPECTED.iter().copied()),
        &joined(Status::ALL.iter().map(|s| s.as_str())),
        &joined(VmState::ALL.iter().map(|v| v.as_str())),
        &joined(TaskState::ALL.iter().map(|t| t.as_str())),
        &joined(record::KEYS.iter().copied()),
        &slot_of,
        &lookup,
        &expected,
        "error\nwarning",
        &joined(record::DIAGNOSTIC_CODES.iter().copied()),
        &assumptions,
        wasm_bindgen::memory(),
    );
    READY.with(|r| r.set(true));
}

/// A method or REST name as `(action, via)`, or `None` when it is not a string naming one.
pub fn lookup_action(
    value: &JsValue,
) -> Option<(Action, Option<&'static nova_states::rules::Rest>)> {
    ensure_setup();
    let code = action_code(value);
    if code < 0 {
        return None;
    }
    let code = code as usize;
    let action = *Action::ALL.get(code / 16)?;
    let via = match code % 16 {
        0 => None,
        j => Some(action.rule().rest.get(j - 1)?),
    };
    Some((action, via))
}

/// Why a record could not be read.
pub enum ReadError {
    /// The value is not an object.
    NotARecord,
    /// Reading a key threw: the key's name and what was thrown.
    Threw(&'static str, JsValue),
}

/// A record read by `fast.js`, and whether its id still waits in JS (fetched only when a
/// message needs it).
pub struct Record {
    pub raw: RawServer<'static>,
    pub id_held: bool,
}

/// Reads a server record in one call. Names become `Cow::Borrowed` wire strings; `launched_at`
/// and `host` strings only count as empty or not, so they are not copied; the id is left empty
/// until [`held_id`] is asked for it.
pub fn read(value: &JsValue) -> Result<Record, ReadError> {
    ensure_setup();
    let mut out = [0i32; 2 * SLOTS + 1];
    match read_record(value, &mut out) {
        0 => {}
        1 => return Err(ReadError::NotARecord),
        _ => {
            let key = record::KEYS
                .get(out[2 * SLOTS] as usize)
                .copied()
                .unwrap_or("server");
            return Err(ReadError::Threw(key, thrown_error()));
        }
    }
    let mut raw = RawServer::default();
    let mut id_held = false;
    for (slot, target) in raw.slots_mut().into_iter().enumerate() {
        let (kind, payload) = (out[2 * slot], out[2 * slot + 1]);
        *target = match kind {
            0 => Scalar::Missing,
            1 => Scalar::Null,
            2 => Scalar::Bool(payload != 0),
            3 => Scalar::Number(f64::from(payload)),
            5 => Scalar::Str(Cow::Borrowed(match slot {
                1 => Status::ALL[payload as usize].as_str(),
                2 => VmState::ALL[payload as usize].as_str(),
                _ => TaskState::ALL[payload as usize].as_str(),
            })),
            6 if slot == SLOT_ID => {
                id_held = true;
                Scalar::Str(Cow::Borrowed(""))
            }
            6 if slot == SLOT_LAUNCHED_AT || slot == SLOT_HOST => {
                Scalar::Str(Cow::Borrowed(if payload != 0 { "set" } else { "" }))
            }
            7 => Scalar::Other(
                [
                    "a symbol",
                    "a bigint",
                    "a function",
                    "an array",
                    "an object",
                ][payload as usize],
            ),
            _ => crate::scalar(&held_value(slot)),
        };
    }
    Ok(Record { raw, id_held })
}

/// A JS string as UTF-8, copied by one `TextEncoder.encodeInto` call (wasm-bindgen's own
/// string passing copies ASCII one character at a time, slow for a large response).
/// Sized for ASCII first; the rest is encoded after growing when it is not.
pub fn utf8_of(text: &js_sys::JsString) -> String {
    ensure_setup();
    let units = text.length() as usize;
    let mut buf: Vec<u8> = Vec::with_capacity(units);
    let written = encode_into(text, buf.as_mut_ptr(), buf.capacity());
    // SAFETY: encodeInto wrote `written` bytes into the capacity it was given.
    unsafe { buf.set_len(written) };
    let read = encoded_read();
    if read < units {
        let rest = text.slice(read as u32, units as u32);
        buf.reserve((units - read) * 3);
        let spare = buf.capacity() - buf.len();
        // SAFETY: the spare capacity starts at `len` and is `spare` bytes long.
        let more = encode_into(&rest, unsafe { buf.as_mut_ptr().add(buf.len()) }, spare);
        unsafe { buf.set_len(buf.len() + more) };
    }
    // TextEncoder writes only valid UTF-8 (lone surrogates become U+FFFD).
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The record's id string, which [`read`] left in JS.
pub fn held_id() -> Option<String> {
    held_value(SLOT_ID).as_string()
}

/// The JS object of a verdict, built in `fast.js`.
pub fn verdict_to_js(v: &Verdict, instance: &nova_states::Instance) -> JsValue {
    let action = v.action;
    let rule = action.rule();
    let rest = rest_offset(action) + rule.rest.iter().position(|r| r.name == v.rest).unwrap_or(0);
    let mut packed = 0u32;
    let mut unknown = Vec::new();
    for (i, a) in v.assumptions.iter().enumerate() {
        match record::ASSUMPTIONS.iter().position(|known| known == a) {
            Some(k) if i < 8 && unknown.is_empty() => packed |= ((k as u32) + 1) << (4 * i),
            _ => unknown.push(a),
        }
    }
    let out = verdict(action.index(), rest, v.allowed, packed);
    for Assumption { field, assumed } in unknown {
        push_assumption(&out, field, assumed);
    }
    for d in &v.denials {
        let kind = DenialKind::ALL
            .iter()
            .position(|k| *k == d.kind)
            .unwrap_or(0) as u32;
        let coded = match d.kind {
            DenialKind::Locked => Some((ACTUAL_TRUE, -1)),
            DenialKind::Host => Some((ACTUAL_NONE, -2)),
            DenialKind::LaunchedAt => Some((ACTUAL_NONE, -3)),
            DenialKind::VmState => Some((instance.vm_state.index(), 2 * action.index() as i32)),
            DenialKind::TaskState => Some((
                instance
                    .task_state
                    .map_or(ACTUAL_NONE, |t| VmState::ALL.len() + t.index()),
                2 * action.index() as i32 + 1,
            )),
            DenialKind::Microversion => None,
        };
        match coded {
            Some((actual, expected)) => push_denial(
                &out,
                kind,
                actual,
                expected,
                d.message.as_ptr(),
                d.message.len(),
                d.http_status,
            ),
            None => push_denial_text(
                &out,
                kind,
                &d.actual,
                &d.expected.join("\n"),
                &d.message,
                d.http_status,
            ),
        }
    }
    out
}

/// The action names whose indices are set in `mask`, as a JS array of interned strings.
pub fn actions_to_js(mask: u64) -> Array {
    ensure_setup();
    action_names(mask as u32, (mask >> 32) as u32)
}

fn severity_code(s: Severity) -> u32 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
    }
}

fn code_index(d: &Diagnostic) -> u32 {
    record::DIAGNOSTIC_CODES
        .iter()
        .position(|c| *c == d.code)
        .unwrap_or(0) as u32
}

fn packed(v: &Validation) -> u8 {
    v.status.index() as u8 | if v.ok { 0 } else { 0x80 }
}

/// One validation result as a JS object.
pub fn validation_to_js(v: &Validation) -> JsValue {
    ensure_setup();
    let out = validations(&[packed(v)]).get(0);
    for d in &v.diagnostics {
        push_diagnostic(&out, severity_code(d.severity), code_index(d), &d.message);
    }
    out
}

/// Collects validation results compactly: a status byte per server, diagnostics aside.
#[derive(Default)]
pub struct Validations {
    packed: Vec<u8>,
    diagnostics: Vec<(usize, Diagnostic)>,
}

impl Validations {
    pub fn push(&mut self, v: Validation) {
        let index = self.packed.len();
        self.packed.push(packed(&v));
        self.diagnostics
            .extend(v.diagnostics.into_iter().map(|d| (index, d)));
    }

    /// The results as a JS array of `{ ok, status, diagnostics }`.
    pub fn to_js(&self) -> Array {
        ensure_setup();
        let out = validations(&self.packed);
        for (index, d) in &self.diagnostics {
            push_diagnostic_at(
                &out,
                *index,
                severity_code(d.severity),
                code_index(d),
                &d.message,
            );
        }
        out
    }
}
