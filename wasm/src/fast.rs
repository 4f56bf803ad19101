//! The hot paths' side of the boundary. The package's `checkAction` and `allowedActions` are
//! `fast.js`'s: it reads a server record into integer codes in shared scratch memory, calls a
//! raw export here (`nova_check`, `nova_allowed`) that decides with the Rust core and writes
//! the decision back as codes, and builds the result from interned tables and cached denial
//! templates, so a well-formed call crosses the boundary once, with integers only. Anything
//! unusual (an unknown name, a wrong type, a throwing getter) makes `fast.js` give up, and the
//! wasm-bindgen export of the same name takes the general path, which reports it.

use std::borrow::Cow;
use std::cell::{Cell, UnsafeCell};

use js_sys::Array;
use nova_states::record::{self, Diagnostic, Scalar, Severity, SLOTS};
use nova_states::{
    Action, Assumption, Context, Decision, DenialKind, Facts, Instance, Microversion, RawServer,
    Refused, Status, TaskState, Validation, VmState, MAX_REFUSED, RULES,
};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/fast.js")]
extern "C" {
    #[allow(clippy::too_many_arguments)]
    fn setup(
        actions: &str,
        rests: &str,
        statuses: &str,
        vm: &str,
        task: &str,
        keys: &str,
        slot_of: &str,
        lookup: &str,
        microversions: &str,
        severities: &str,
        codes: &str,
        assumptions: &str,
        id_placeholder: &str,
        memory: JsValue,
        exports: JsValue,
        scratch: *const i32,
        scratch_len: usize,
        out: usize,
    );
    fn action_code(value: &JsValue) -> i32;
    fn read_record(value: &JsValue, out: &mut [i32]) -> u32;
    fn held_value(slot: usize) -> JsValue;
    fn thrown_error() -> JsValue;
    fn encode_into(text: &js_sys::JsString, ptr: *mut u8, cap: usize) -> usize;
    fn encoded_read() -> usize;
    fn denial_template(
        key: i32,
        kind: &str,
        actual: &str,
        expected: &str,
        message: &str,
        http_status: u16,
    );
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

/// How many `i32`s `read_record` writes: kind and payload for each slot, then a key index.
const RECORD_LEN: usize = 2 * SLOTS + 1;
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

/// Where each rule's REST entries start in the flattened list of every rule's entries.
const REST_OFFSETS: [usize; RULES.len()] = {
    let mut offsets = [0; RULES.len()];
    let mut i = 1;
    while i < RULES.len() {
        offsets[i] = offsets[i - 1] + RULES[i - 1].rest.len();
        i += 1;
    }
    offsets
};

/// The index of the decision's REST entry in the flattened list of every rule's entries.
fn rest_index(decision: &Decision) -> usize {
    let rule = decision.action.rule();
    REST_OFFSETS[decision.action.index()]
        + rule
            .rest
            .iter()
            .position(|r| std::ptr::eq(r, decision.rest))
            .unwrap_or(0)
}

/// Sends the tables to `fast.js`, once.
fn ensure_setup() {
    if READY.with(Cell::get) {
        return;
    }
    let rests = joined(RULES.iter().flat_map(|r| r.rest.iter().map(|e| e.name)));
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
    // The canonical spellings `Microversion::parse` accepts, by minor version.
    let mut microversions = String::new();
    for minor in Microversion::MIN.minor()..=Microversion::LATEST.minor() {
        let wire = Microversion::v2(minor).to_wire();
        push_line(&mut microversions, &[&wire, "\t", &minor.to_string()]);
    }
    push_line(
        &mut microversions,
        &["latest\t", &Microversion::LATEST.minor().to_string()],
    );
    let mut assumptions = String::new();
    for Assumption { field, assumed } in record::ASSUMPTIONS {
        push_line(&mut assumptions, &[field, "\t", assumed]);
    }
    setup(
        &joined(Action::ALL.iter().map(|a| a.as_str())),
        &rests,
        &joined(Status::ALL.iter().map(|s| s.as_str())),
        &joined(VmState::ALL.iter().map(|v| v.as_str())),
        &joined(TaskState::ALL.iter().map(|t| t.as_str())),
        &joined(record::KEYS.iter().copied()),
        &slot_of,
        &lookup,
        &microversions,
        "error\nwarning",
        &joined(record::DIAGNOSTIC_CODES.iter().copied()),
        &assumptions,
        Instance::ID_PLACEHOLDER,
        wasm_bindgen::memory(),
        wasm_bindgen::exports(),
        SCRATCH.0.get().cast::<i32>(),
        SCRATCH_LEN,
        OUT,
    );
    READY.with(|r| r.set(true));
}

/// A method or REST name as `(action, via)`, or `None` when it is not a string naming one.
pub fn lookup_action(
    value: &JsValue,
) -> Option<(Action, Option<&'static nova_states::rules::Rest>)> {
    ensure_setup();
    action_of(action_code(value))
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
    let mut out = [0i32; RECORD_LEN];
    match read_record(value, &mut out) {
        0 => Ok(decode(&out)),
        1 => Err(ReadError::NotARecord),
        _ => {
            let key = record::KEYS
                .get(out[2 * SLOTS] as usize)
                .copied()
                .unwrap_or("server");
            Err(ReadError::Threw(key, thrown_error()))
        }
    }
}

/// The record `read_record` wrote as codes.
fn decode(out: &[i32]) -> Record {
    #[inline(always)]
    fn slot(out: &[i32], i: usize) -> Scalar<'static> {
        let (kind, payload) = (out[2 * i], out[2 * i + 1]);
        match kind {
            0 => Scalar::Missing,
            1 => Scalar::Null,
            2 => Scalar::Bool(payload != 0),
            3 => Scalar::Number(f64::from(payload)),
            5 => Scalar::Str(Cow::Borrowed(match i {
                1 => Status::ALL[payload as usize].as_str(),
                2 => VmState::ALL[payload as usize].as_str(),
                _ => TaskState::ALL[payload as usize].as_str(),
            })),
            // The id stays in JS until a message needs it.
            6 if i == SLOT_ID => Scalar::Str(Cow::Borrowed("")),
            6 if i == SLOT_LAUNCHED_AT || i == SLOT_HOST => {
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
            _ => crate::scalar(&held_value(i)),
        }
    }
    let raw = RawServer {
        id: slot(out, 0),
        status: slot(out, 1),
        vm_state: slot(out, 2),
        task_state: slot(out, 3),
        power_state: slot(out, 4),
        locked: slot(out, 5),
        launched_at: slot(out, 6),
        launched: slot(out, 7),
        host: slot(out, 8),
    };
    Record {
        raw,
        id_held: out[2 * SLOT_ID] == 6,
    }
}

/// Memory shared with `fast.js`: the record codes `read_record` writes (`RECORD_LEN`), then
/// from `OUT` a decision: action, REST entry, packed assumptions (or an allowed-actions mask
/// in two halves), then one denial-template key per refusal.
struct Scratch(UnsafeCell<[i32; SCRATCH_LEN]>);

// SAFETY: wasm32 here has one thread, and the scratch is only copied in or out whole, never
// borrowed across a call into JS.
unsafe impl Sync for Scratch {}

const OUT: usize = RECORD_LEN + 1;
const SCRATCH_LEN: usize = OUT + 3 + MAX_REFUSED;
static SCRATCH: Scratch = Scratch(UnsafeCell::new([0; SCRATCH_LEN]));

/// The record codes in scratch, copied out.
fn scratch_record() -> [i32; RECORD_LEN] {
    // SAFETY: see `Scratch`; a copy, so no borrow outlives this function.
    let scratch = unsafe { &*SCRATCH.0.get() };
    let mut record = [0; RECORD_LEN];
    record.copy_from_slice(&scratch[..RECORD_LEN]);
    record
}

fn scratch_out(at: usize, values: &[i32]) {
    // SAFETY: see `Scratch`.
    let scratch = unsafe { &mut *SCRATCH.0.get() };
    scratch[at..at + values.len()].copy_from_slice(values);
}

/// The context packed by `fast.js`: bit 0 admin, the rest the microversion's minor (0: default).
fn context_of(flags: i32) -> Context {
    let minor = (flags >> 1) as u16;
    Context {
        admin: flags & 1 != 0,
        microversion: if minor == 0 {
            Microversion::default()
        } else {
            Microversion::v2(minor)
        },
    }
}

/// The facts of the record in scratch, or `None` when reading them fails (the general path
/// then reports why).
fn scratch_facts() -> Option<Facts> {
    let record = decode(&scratch_record());
    if record.raw.is_empty() {
        return None;
    }
    Facts::read(&record.raw).ok()
}

/// The decision on the action `code` for the record in scratch under the packed `flags`,
/// with the facts it was made on (their id set to `id` when given), or `None` when the general
/// path must answer.
fn scratch_decision(code: i32, flags: i32, id: Option<&str>) -> Option<(Decision, Facts, Context)> {
    let (action, via) = action_of(code)?;
    let mut facts = scratch_facts()?;
    if let Some(id) = id {
        facts.instance.id = Some(id.into());
    }
    let context = context_of(flags);
    let decision = nova_states::decide(action, via, &facts.instance, &context);
    Some((decision, facts, context))
}

/// The action and REST entry an action code from `action_code` names.
fn action_of(code: i32) -> Option<(Action, Option<&'static nova_states::rules::Rest>)> {
    let code = usize::try_from(code).ok()?;
    let action = *Action::ALL.get(code / 16)?;
    let via = match code % 16 {
        0 => None,
        j => Some(action.rule().rest.get(j - 1)?),
    };
    Some((action, via))
}

/// The assumptions as indices into `record::ASSUMPTIONS` plus one, four bits each; `None`
/// when one is not in that table.
fn packed_assumptions(assumptions: &[Assumption]) -> Option<i32> {
    let mut packed = 0u32;
    for (i, a) in assumptions.iter().enumerate() {
        let k = record::ASSUMPTIONS.iter().position(|known| known == a)?;
        if i >= 7 {
            return None;
        }
        packed |= ((k as u32) + 1) << (4 * i);
    }
    Some(packed as i32)
}

/// The key of the denial template for `refused`: everything a denial says but the server's
/// id is fixed by the REST entry (`rest`, its index from [`rest_index`]), the refusal and the
/// server's value for the check that refused.
fn template_key(
    decision: &Decision,
    rest: usize,
    refused: Refused,
    instance: &Instance,
    context: &Context,
) -> i32 {
    let which = match refused {
        Refused::Microversion => 0,
        Refused::NotFound => 1,
        Refused::Guard(i) => 2 + i,
    };
    let actual = match decision.kind(refused) {
        DenialKind::Microversion => usize::from(context.microversion.minor()),
        DenialKind::VmState => instance.vm_state.index(),
        DenialKind::TaskState => instance.task_state.map_or(0, |t| t.index() + 1),
        DenialKind::Locked | DenialKind::Host | DenialKind::LaunchedAt => 0,
    };
    ((rest * 16 + which) * 128 + actual) as i32
}

const _: () = assert!(MAX_REFUSED <= 16 && Microversion::LATEST.minor() < 128);

/// Decides the action `code` for the record in scratch under the packed `flags`, and writes
/// the decision to scratch: action, REST entry, packed assumptions, then a template key per
/// refusal. Returns how many refusals, or -1 when the general path must answer.
#[no_mangle]
pub extern "C" fn nova_check(code: i32, flags: i32) -> i32 {
    let Some((decision, facts, context)) = scratch_decision(code, flags, None) else {
        return -1;
    };
    let Some(assumed) = packed_assumptions(&facts.assumptions) else {
        return -1;
    };
    let rest = rest_index(&decision);
    let mut out = [0i32; 3 + MAX_REFUSED];
    out[0] = decision.action.index() as i32;
    out[1] = rest as i32;
    out[2] = assumed;
    let refused = decision.refused();
    for (i, &r) in refused.iter().enumerate() {
        out[3 + i] = template_key(&decision, rest, r, &facts.instance, &context);
    }
    scratch_out(OUT, &out[..3 + refused.len()]);
    refused.len() as i32
}

/// Sends `fast.js` the template of every denial [`nova_check`] just keyed: the denial in
/// Nova's words with the id written as NUL, for `fast.js` to fill in.
#[no_mangle]
pub extern "C" fn nova_describe(code: i32, flags: i32) {
    let Some((decision, facts, context)) = scratch_decision(code, flags, Some("\0")) else {
        return;
    };
    let rest = rest_index(&decision);
    for &r in decision.refused() {
        let d = decision.denial(r, &facts.instance, &context);
        denial_template(
            template_key(&decision, rest, r, &facts.instance, &context),
            d.kind.as_str(),
            &d.actual,
            &d.expected.join("\n"),
            &d.message,
            d.http_status,
        );
    }
}

/// Writes to scratch the mask of the actions allowed for the record in scratch under `flags`,
/// in two 32-bit halves; returns 0, or -1 when the general path must answer.
#[no_mangle]
pub extern "C" fn nova_allowed(flags: i32) -> i32 {
    let Some(facts) = scratch_facts() else {
        return -1;
    };
    let mask = allowed_mask(&facts.instance, &context_of(flags));
    scratch_out(OUT, &[mask as u32 as i32, (mask >> 32) as u32 as i32]);
    0
}

/// The bits of the actions Nova would accept, by action index.
pub fn allowed_mask(instance: &Instance, context: &Context) -> u64 {
    nova_states::allowed_actions(instance, context)
        .iter()
        .fold(0, |mask, action| mask | 1 << action.index())
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
