//! The main module's exports: numbers in, numbers out, and one string where words are needed.
//!
//! A record crosses as codes (see `abi.rs`): its names as indices into the core's tables, its
//! other facts packed by shape. A decision comes back as one number: the refusals as bits in
//! Nova's order, the assumptions, the row and REST entry that applied. A refusal's words come
//! from `denialText` once per set of facts (the JS side caches them); bad input is reported by
//! `explainRecord` and `errorText` (a parser's refusal, an argument of the wrong type), each as
//! `CODE<US>message`, which the JS side throws as a `RangeError` or `TypeError` with that
//! `code`.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use alloc::string::ToString;

use alloc::boxed::Box;

use nova_states::nova_policy::{Asks, LockedBy, PolicyRule, TargetKeys};
use nova_states::policy::{Blocker, DenyReason, Options, Outcome, Scope, Why};
use nova_states::record::{Scalar, Severity, ASSUMPTIONS};
use nova_states::rules::Entry;
use nova_states::Names;
use nova_states::{
    context_assumption_bits, decide as decide_core, Action, Context, DenialKind, Error, ErrorKind,
    Facts, Field, Fields, Microversion, PowerState, Reason, Release, RequestBody, Status,
    TaskState, VmState, Words, CONTEXT_ASSUMPTIONS,
};
use wasm_bindgen::prelude::*;

use crate::abi;

const _: () = assert!(
    nova_states::rules::MAX_GUARDS <= 9,
    "guard bits run into the assumptions"
);

// ---------------------------------------------------------------------------------------------
// Errors, as `CODE<US>message`
// ---------------------------------------------------------------------------------------------

/// The text of an error for the JS side to throw: its code, the field separator, the message.
#[inline(never)]
fn error_text(code: &str, message: &str) -> String {
    let mut out = error_start(code);
    put(&mut out, message);
    out
}

/// `text` as a JS string, out of line: an export returning a `String` has wasm-bindgen's
/// shrinking and copying inlined into it, one returning a `JsValue` only this call.
#[inline(never)]
fn js_text(text: String) -> JsValue {
    JsValue::from_str(&text)
}

/// Appends `text` to `out`, out of line: the messages' appends cost a call each.
#[inline(never)]
fn put(out: &mut String, text: &str) {
    out.push_str(text);
}

/// `CODE<US>`, the start of an error's text, with room for a message.
#[inline(never)]
fn error_start(code: &str) -> String {
    let mut out = String::with_capacity(128);
    out.push_str(code);
    out.push(abi::FIELD);
    out
}

/// A core error: unknown names and out-of-range values become `RangeError`s, malformed input
/// `TypeError`s.
#[inline(never)]
pub(crate) fn fail(err: Error) -> String {
    let code = match err.kind() {
        ErrorKind::UnknownName => "ERR_NOVA_UNKNOWN_NAME",
        ErrorKind::OutOfRange => "ERR_NOVA_OUT_OF_RANGE",
        _ => "ERR_NOVA_MALFORMED",
    };
    error_text(code, err.message())
}

/// What a JS value is, for a message, without calling into it (no `toString`, no getters).
pub(crate) fn scalar(value: &JsValue) -> Scalar<'static> {
    let mut out = Scalar::Missing;
    scalar_into(value, &mut out);
    out
}

/// Sets `slot` to [`scalar`]`(value)`.
#[inline(never)]
fn scalar_into(value: &JsValue, slot: &mut Scalar<'static>) {
    *slot = if value.is_undefined() {
        Scalar::Missing
    } else if value.is_null() {
        Scalar::Null
    } else if let Some(b) = value.as_bool() {
        Scalar::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Scalar::Number(n)
    } else if let Some(s) = value.as_string() {
        Scalar::Str(Cow::Owned(s))
    } else {
        Scalar::Other(other_kind(value))
    };
}

/// What a JS value that is no scalar is: `a symbol`, `a bigint`, `a function`, `an array` or
/// `an object`.
fn other_kind(value: &JsValue) -> &'static str {
    if value.is_symbol() {
        "a symbol"
    } else if value.is_bigint() {
        "a bigint"
    } else if value.is_function() {
        "a function"
    } else if value.is_array() {
        "an array"
    } else {
        "an object"
    }
}

/// A JS value in words, for a message (`the number NaN`, `undefined`, `the string "x"`).
#[cfg_attr(not(feature = "describe"), allow(dead_code))]
pub(crate) fn describe_value(value: &JsValue) -> String {
    let mut out = String::new();
    push_value(&mut out, value);
    out
}

/// Appends [`describe_value`] to `out`.
fn push_value(out: &mut String, value: &JsValue) {
    if value.is_undefined() {
        put(out, "undefined");
    } else if value.as_f64().is_some_and(f64::is_nan) {
        put(out, "the number NaN");
    } else {
        scalar(value).push_description(out);
    }
}

/// Appends `one of a, b, c`.
#[inline(never)]
fn one_of(out: &mut String, all: Names) {
    put(out, "one of ");
    nova_states::push_list(out, all);
}

/// The code of argument `name` in `abi::ARGS`, at compile time (a name not there does not
/// build).
pub(crate) const fn arg_code(name: &str) -> u32 {
    let mut i = 0;
    while i < abi::ARGS.len() {
        let (a, b) = (abi::ARGS[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i as u32;
            }
        }
        i += 1;
    }
    panic!("not in abi::ARGS")
}

const SERVER_EXPECTED: &str =
    "a server record (an object with \"OS-EXT-STS:vm_state\" or \"vmState\", or {\"server\": {...}})";

/// Appends what argument `arg` (an index into `abi::ARGS`) must be.
fn expected(out: &mut String, arg: u32) {
    const SERVER: u32 = arg_code("server");
    const OPTIONS: u32 = arg_code("options");
    const SERVERS: u32 = arg_code("servers");
    const TEXT: u32 = arg_code("text");
    const LOCKED_BY: u32 = arg_code("options.lockedBy");
    const CREDENTIALS: u32 = arg_code("options.credentials");
    const ROLES: u32 = arg_code("options.credentials.roles");
    const PROJECT_ID: u32 = arg_code("options.credentials.projectId");
    const USER_ID: u32 = arg_code("options.credentials.userId");
    const DOMAIN_ID: u32 = arg_code("options.credentials.domainId");
    const SYSTEM_SCOPE: u32 = arg_code("options.credentials.systemScope");
    const POLICY: u32 = arg_code("options.policy");
    let names = match arg {
        ACTION => {
            put(out, "a compute API method name (");
            one_of(out, Action::POOL);
            put(out, ") or a REST action name");
            return;
        }
        RELEASE => Release::POOL,
        VM_STATE => VmState::POOL,
        TASK_STATE => TaskState::POOL,
        STATUS => Status::POOL,
        _ => {
            put(out, match arg {
                SERVER => SERVER_EXPECTED,
                OPTIONS => "an object like { admin?: boolean, microversion?: string, release?: string }",
                MICROVERSION => "a string \"2.N\" (N from 1 to 104) or \"latest\"",
                RELEASE_FOR_MAX => "a string \"2.N\", the cloud's maximum microversion",
                SERVERS => "an array of server records",
                POWER_STATE => "a power state name (pending, running, paused, shutdown, crashed, suspended) or code (0, 1, 3, 4, 6, 7)",
                TEXT => "the JSON text of a servers response",
                LOCKED_BY => "\"owner\" or \"admin\" (who locked the server)",
                CREDENTIALS => "an object like { roles: string[], projectId?: string, userId?: string, systemScope?: 'all', domainId?: string }, from the Keystone token",
                ROLES => "an array of role names, as the Keystone token lists them",
                PROJECT_ID | USER_ID | DOMAIN_ID => "a string or null",
                SYSTEM_SCOPE => "\"all\" or null",
                POLICY => "an object of policy rule names to check strings (a policy.yaml)",
                _ => "true or false",
            });
            return;
        }
    };
    one_of(out, names);
}

/// The error for argument `arg` (an index into `abi::ARGS`) of the wrong type: names the
/// argument, what was expected and what came (`errorText`'s kinds from `WRONG_TYPE`).
#[inline(never)]
pub fn wrong_type(arg: u32, found: JsValue) -> String {
    let mut out = error_start("ERR_NOVA_INVALID_ARG_TYPE");
    put(
        &mut out,
        abi::ARGS.get(arg as usize).copied().unwrap_or("argument"),
    );
    put(&mut out, " must be ");
    expected(&mut out, arg);
    put(&mut out, ", found ");
    push_value(&mut out, &found);
    out
}

/// What is wrong with a record whose values (one per slot of `record::KEYS`, as the JS side
/// read them) the codes cannot carry: a value of the wrong type or an unknown name; empty
/// when nothing is.
#[wasm_bindgen(js_name = explainRecord)]
pub fn explain_record(values: Vec<JsValue>) -> String {
    match Facts::check_slots(&Values(&values)) {
        Ok(()) => String::new(),
        Err(err) => fail(err),
    }
}

/// A record's values as the JS side read them, each read as a [`Scalar`] only while it is
/// typed: no vector of them.
struct Values<'a>(&'a [JsValue]);

impl nova_states::record::Slots for Values<'_> {
    fn with<R>(&self, slot: usize, read: impl FnOnce(&Scalar<'_>) -> R) -> R {
        let value = self.0.get(slot).map_or(Scalar::Missing, scalar);
        read(&value)
    }
}

// ---------------------------------------------------------------------------------------------
// Records and options as codes
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

fn facts_from_codes(vm: u32, task: u32, status: u32, power: u32, facts: u32) -> Option<Facts> {
    Facts::from_fields(&fields_from_codes(vm, task, status, power, facts)).ok()
}

/// The context of the packed options and the microversion `2.minor` (the JS side sends only
/// what `microversion` accepted), asked by `caller` when given.
fn context(facts: u32, minor: u32, caller: Option<&dyn Asks>) -> Context<'_> {
    let release = Release::ALL
        .get(((facts >> abi::RELEASE_SHIFT) & 15) as usize)
        .copied()
        .unwrap_or_default();
    let bit = |b: u32| facts & b != 0;
    Context {
        admin: bit(abi::ADMIN_BIT),
        microversion: Microversion::v2(minor as u16),
        release,
        caller,
        body: RequestBody {
            target_host: bit(abi::TARGET_GIVEN_BIT).then_some(bit(abi::TARGET_HOST_BIT)),
            unshelve_destination: bit(abi::UNSHELVE_DESTINATION_BIT),
            unshelve_host: bit(abi::UNSHELVE_HOST_BIT),
            trusted_certs: bit(abi::TRUSTED_CERTS_BIT),
            volume_update: bit(abi::VOLUME_UPDATE_BIT),
        },
        locked_by: match (facts >> abi::LOCKED_BY_SHIFT) & 3 {
            1 => Some(LockedBy::Owner),
            2 => Some(LockedBy::Admin),
            _ => None,
        },
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

/// The action and the REST entry that applied, as packed bits: the row's index and the
/// entry's position in it.
fn applied(action: Action, rest: &Entry) -> u32 {
    // By address: the entries of a row lie one after another, and no other entry lies among
    // them (0 for an entry not of the row, as a search would find).
    let entries = action.entries();
    let offset = (rest as *const Entry as usize).wrapping_sub(entries.as_ptr() as usize);
    let index = offset / core::mem::size_of::<Entry>();
    let position = if index < entries.len() {
        index as u32
    } else {
        0
    };
    (action.index() as u32) << abi::ACTION_SHIFT | position << abi::REST_SHIFT
}

/// The assumption bits: the record's, then the request context's.
fn assumed_bits(read: &Facts, action: Action, rest: &Entry, context: &Context) -> u32 {
    let bits = context_assumption_bits(action, rest, &read.instance, context) << ASSUMPTIONS.len()
        | read.assumed;
    bits << abi::ASSUMED_SHIFT
}

/// Who asks, for the decision exports: nobody in particular (no policy is checked), or a
/// caller compiled once from a Keystone token's credentials, a deployment's policy overrides
/// and `enforce_new_defaults`, with the project and user ids of the servers asked about
/// interned as numbers.
/// The places in `Asker::strings` of a decision's `owner` codes (see `abi::OWNER_BITS`): the
/// server's project and user, `None` when not given.
fn owner_slots(owner: u32) -> (Option<usize>, Option<usize>) {
    let slot = |code: u32| (code as usize).checked_sub(1);
    (
        slot(owner & ((1 << abi::OWNER_BITS) - 1)),
        slot(owner >> abi::OWNER_BITS),
    )
}

#[wasm_bindgen]
pub struct Asker {
    caller: Option<Box<dyn Asks>>,
    strings: Vec<String>,
}

impl Default for Asker {
    fn default() -> Self {
        Asker::new()
    }
}

#[wasm_bindgen]
impl Asker {
    /// An asker for whom no policy is checked.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Asker {
        Asker {
            caller: None,
            strings: Vec::new(),
        }
    }

    /// A caller of release `release` (its index in `Release::ALL`) from a Keystone token's
    /// project, user, system scope, domain and roles (`token`, as [`Items`] in that order, the
    /// roles last) and a deployment's overrides (`policy`, as [`Items`]: each rule name, then
    /// its check string, or absent for a rule whose value is null, which oslo.policy reads as
    /// always allowed). The main module answers Nova's defaults from tables computed ahead of
    /// time; overrides need the exact evaluator, which the describe module carries. The error
    /// names what is wrong.
    pub fn caller(release: u32, token: &str, policy: &str, enforce: u32) -> Result<Asker, String> {
        let release = Release::ALL
            .get(release as usize)
            .copied()
            .unwrap_or_default();
        let mut items = Items(token);
        let token = Token {
            project_id: items.text(),
            user_id: items.text(),
            system_scope: items.text(),
            domain_id: items.text(),
            roles: items,
        };
        let options = Options {
            enforce_new_defaults: enforce & abi::NEW_DEFAULTS_BIT != 0,
            enforce_scope: enforce & abi::SCOPE_OFF_BIT == 0,
        };
        let caller = evaluator(release, token, Items(policy), options)?;
        Ok(Asker {
            caller: Some(caller),
            strings: Vec::new(),
        })
    }

    /// Whether the caller is an admin as the policy's `context_is_admin` says.
    #[wasm_bindgen(js_name = isAdmin)]
    pub fn is_admin(&self) -> bool {
        self.caller.as_ref().is_some_and(|c| c.is_admin())
    }

    /// The code of a project or user id for `decide`'s `owner`: its index plus one; the
    /// interned strings start over (and the JS side with them) past `abi::MAX_INTERNED`.
    pub fn intern(&mut self, text: &str) -> u32 {
        if self.strings.len() as u32 >= abi::MAX_INTERNED {
            self.strings.clear();
        }
        self.strings.push(text.to_string());
        self.strings.len() as u32
    }

    /// How many strings are interned (0 after starting over).
    pub fn interned(&self) -> u32 {
        self.strings.len() as u32
    }

    /// The facts the codes stand for, the server's project and user among them lent from the
    /// interned strings for one call ([`Asker::give_back`] returns them): a check copies no id.
    #[inline(never)]
    fn lend(&mut self, codes: [u32; 5], owner: u32) -> Option<Facts> {
        let [vm, task, status, power, facts] = codes;
        let mut read = facts_from_codes(vm, task, status, power, facts)?;
        let (project, user) = owner_slots(owner);
        let mut take = |slot: Option<usize>| self.strings.get_mut(slot?).map(core::mem::take);
        read.instance.project_id = take(project);
        read.instance.user_id = if user == project {
            read.instance.project_id.clone()
        } else {
            take(user)
        };
        Some(read)
    }

    /// Puts back the ids [`Asker::lend`] lent.
    #[inline(never)]
    fn give_back(&mut self, mut read: Facts, owner: u32) {
        let (project, user) = owner_slots(owner);
        let mut put = |slot: Option<usize>, text: Option<String>| {
            if let (Some(s), Some(text)) = (slot.and_then(|i| self.strings.get_mut(i)), text) {
                *s = text;
            }
        };
        put(project, read.instance.project_id.take());
        if user != project {
            put(user, read.instance.user_id.take());
        }
    }

    /// The packed decision for one action. An action named by method is answered by
    /// [`nova_states::is_allowed`] (the state bitmasks; a full decision only with a caller or a
    /// request body): the list of refusals is built only for their words, by `denialsText`.
    fn packed(
        &self,
        action: Action,
        via: Option<&'static Entry>,
        read: &Facts,
        facts: u32,
        minor: u32,
    ) -> u32 {
        let context = context(facts, minor, self.caller.as_deref());
        if via.is_none() {
            // The entry `decide` takes: the first at the microversion, else the main one.
            let rest = action
                .entry_at(context.microversion)
                .unwrap_or_else(|| action.main_entry());
            let allowed = nova_states::is_allowed(action, &read.instance, &context);
            let refused = if allowed { 0 } else { abi::REFUSED_BIT };
            return refused | assumed_bits(read, action, rest, &context) | applied(action, rest);
        }
        let decision = decide_core(action, via, &read.instance, &context);
        let refused = if decision.allowed() {
            0
        } else {
            abi::REFUSED_BIT
        };
        refused
            | assumed_bits(read, decision.action, decision.rest, &context)
            | applied(decision.action, decision.rest)
    }

    /// Decides one action (an action code, see `abi::VIA_BITS`) for the record the codes
    /// stand for (`owner`: its project and user, see `abi::OWNER_BITS`): whether it is refused,
    /// the assumptions, and the row and REST entry that applied, packed as `abi` says;
    /// `UNREADABLE` when the codes do not make a record (`explainRecord` says why).
    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &mut self,
        action: u32,
        vm: u32,
        task: u32,
        status: u32,
        power: u32,
        facts: u32,
        minor: u32,
        owner: u32,
    ) -> u32 {
        let Some((action, via)) = action_of(action) else {
            return abi::UNREADABLE;
        };
        let Some(read) = self.lend([vm, task, status, power, facts], owner) else {
            return abi::UNREADABLE;
        };
        let packed = self.packed(action, via, &read, facts, minor);
        self.give_back(read, owner);
        packed
    }

    /// [`Asker::decide`] for every action by method name, in table order, or a single
    /// `UNREADABLE`.
    #[wasm_bindgen(js_name = decideAll)]
    #[allow(clippy::too_many_arguments)]
    pub fn decide_all(
        &mut self,
        vm: u32,
        task: u32,
        status: u32,
        power: u32,
        facts: u32,
        minor: u32,
        owner: u32,
    ) -> Vec<u32> {
        let Some(read) = self.lend([vm, task, status, power, facts], owner) else {
            return alloc::vec![abi::UNREADABLE];
        };
        let all = Action::ALL
            .iter()
            .map(|&a| self.packed(a, None, &read, facts, minor))
            .collect();
        self.give_back(read, owner);
        all
    }

    /// The actions Nova accepts for the record the codes stand for, by method name: bit `i`
    /// for the action at `32 * word + i` of the table; -1 when the codes do not make a record.
    #[wasm_bindgen(js_name = allowedBits)]
    #[allow(clippy::too_many_arguments)]
    pub fn allowed_bits(
        &mut self,
        vm: u32,
        task: u32,
        status: u32,
        power: u32,
        facts: u32,
        minor: u32,
        owner: u32,
        word: u32,
    ) -> f64 {
        let Some(read) = self.lend([vm, task, status, power, facts], owner) else {
            return -1.0;
        };
        let context = context(facts, minor, self.caller.as_deref());
        let bits = Action::ALL
            .iter()
            .skip(32 * word as usize)
            .take(32)
            .enumerate()
            .filter(|&(_, &a)| nova_states::is_allowed(a, &read.instance, &context))
            .fold(0u32, |bits, (i, _)| bits | 1 << i);
        self.give_back(read, owner);
        f64::from(bits)
    }

    /// The words of a refused or undecided decision, in Nova's order: one item per denial
    /// (separated by `abi::GROUP`), each of fields separated by `abi::FIELD`: `d`, kind,
    /// reason, text, actual, the accepted values (separated by `abi::ITEM`), the message with
    /// NUL where the server's id goes, the HTTP status and the policy rule (or empty); or `u`,
    /// rule, reason, why and text for a rule that could not be decided.
    #[wasm_bindgen(js_name = denialsText)]
    #[allow(clippy::too_many_arguments)]
    pub fn denials_text(
        &mut self,
        action: u32,
        vm: u32,
        task: u32,
        status: u32,
        power: u32,
        facts: u32,
        minor: u32,
        owner: u32,
    ) -> String {
        let Some((action, via)) = action_of(action) else {
            return String::new();
        };
        let Some(mut read) = self.lend([vm, task, status, power, facts], owner) else {
            return String::new();
        };
        read.instance.id = Some("\0".into());
        let context = context(facts, minor, self.caller.as_deref());
        let decision = decide_core(action, via, &read.instance, &context);
        let mut out = Wording(String::new());
        for &refused in decision.refused() {
            decision.write(refused, &read.instance, &context, &mut out);
        }
        self.give_back(read, owner);
        out.0
    }
}

/// [`Asker::decide`] for nobody in particular, without the exported object's borrow: the hot
/// path of checks without credentials.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn decide(
    action: u32,
    vm: u32,
    task: u32,
    status: u32,
    power: u32,
    facts: u32,
    minor: u32,
) -> u32 {
    Asker::new().decide(action, vm, task, status, power, facts, minor, 0)
}

/// [`Asker::decide_all`] for nobody in particular.
#[wasm_bindgen(js_name = decideAll)]
pub fn decide_all(vm: u32, task: u32, status: u32, power: u32, facts: u32, minor: u32) -> Vec<u32> {
    Asker::new().decide_all(vm, task, status, power, facts, minor, 0)
}

/// The words of refusals as [`Asker::denials_text`] returns them.
struct Wording(String);

/// `abi::GROUP`, `abi::FIELD` and `abi::ITEM` as text, for the writers of words and errors.
const GROUP: &str = "\u{1d}";
const FIELD: &str = "\u{1f}";
const ITEM: &str = "\u{1e}";
const _: () = assert!(
    GROUP.as_bytes()[0] == abi::GROUP as u8
        && FIELD.as_bytes()[0] == abi::FIELD as u8
        && ITEM.as_bytes()[0] == abi::ITEM as u8
);

impl Wording {
    /// Begins an item of `denialsText` with its `fields` (the first is its marker), each
    /// followed by `abi::FIELD`.
    fn begin(&mut self, fields: &[&str]) {
        if !self.0.is_empty() {
            self.push(GROUP);
        }
        for field in fields {
            self.push(field);
            self.push(FIELD);
        }
    }
}

impl Words for Wording {
    fn undecided(&mut self, rule: &'static str, why: &'static str) {
        self.begin(&["u", rule, Reason::PolicyUndecided.as_str(), why]);
    }
    fn denial(&mut self, kind: DenialKind, reason: Reason) {
        self.begin(&["d", kind.as_str(), reason.as_str()]);
    }
    #[inline(never)]
    fn push(&mut self, text: &str) {
        self.0.push_str(text);
    }
    fn item(&mut self) {
        self.push(ITEM);
    }
    fn end(&mut self) {
        self.push(FIELD);
    }
    fn close(&mut self, _: u16, rule: Option<&'static str>) {
        self.push(rule.unwrap_or_default());
    }
}

/// The error for a check string that is not a string, naming the rule.
pub fn policy_value_error(rule: &str, found: JsValue) -> String {
    // The value read as for any message (one chain of type tests).
    let kind = match scalar(&found) {
        Scalar::Missing => "undefined",
        Scalar::Null => "null",
        Scalar::Bool(_) => "boolean",
        Scalar::Number(_) => "number",
        Scalar::Str(_) => "string",
        // `a symbol` → `symbol`, `an object` → `object`.
        Scalar::Other(what) => what
            .get(if what.starts_with("an ") { 3 } else { 2 }..)
            .unwrap_or(what),
    };
    fail(nova_states::policy::not_a_check_string(rule, kind))
}

/// The error for options that give both `admin` and `credentials`.
pub fn admin_with_credentials() -> String {
    error_text(
        "ERR_NOVA_INVALID_ARG_TYPE",
        "options.admin and options.credentials were both given: expected one of them (with credentials, whether the caller is an admin is what the policy's context_is_admin rule says)",
    )
}

// ---------------------------------------------------------------------------------------------
// Validation and state
// ---------------------------------------------------------------------------------------------

/// What the JS side asks of the record the codes stand for, by `kind`: whether it is
/// transitional (0, [`transitional_codes`]), its validation (1, [`validate_codes`]), the status
/// Nova shows for its vm state and task (2, [`status_code`]). One export for the three.
#[wasm_bindgen]
pub fn record(kind: u32, vm: u32, task: u32, status: u32, power: u32, facts: u32) -> u32 {
    match kind {
        0 => transitional_codes(vm, task, status, power, facts),
        1 => validate_codes(vm, task, status, power, facts),
        _ => status_code(vm, task),
    }
}

/// Validates the record the codes stand for: its status's index plus one, and bit 8 set when
/// it has a finding (`findings` then says which). 0 when the codes do not make a record.
pub fn validate_codes(vm: u32, task: u32, status: u32, power: u32, facts: u32) -> u32 {
    let Some(read) = facts_from_codes(vm, task, status, power, facts) else {
        return 0;
    };
    let mut found = 0;
    let status = read.find(&mut |_, _, _| found = 1 << 8);
    (status.index() as u32 + 1) | found
}

/// The findings of the record the codes stand for, each as severity, code and message
/// (separated by `abi::FIELD`), one after another (separated by `abi::ITEM`), and whether the
/// record is ok (`1` or `0`) first.
#[wasm_bindgen]
pub fn findings(vm: u32, task: u32, status: u32, power: u32, facts: u32) -> String {
    let mut items = String::new();
    let mut ok = true;
    let mut found = |severity: Severity, code: &str, parts: &[&str]| {
        ok &= severity != Severity::Error;
        for (separator, text) in [(ITEM, severity.as_str()), (FIELD, code), (FIELD, "")] {
            put(&mut items, separator);
            put(&mut items, text);
        }
        for part in parts {
            put(&mut items, part);
        }
    };
    match Facts::from_fields(&fields_from_codes(vm, task, status, power, facts)) {
        Ok(read) => drop(read.find(&mut found)),
        Err(err) => found(Severity::Error, "malformed", &[err.message()]),
    }
    let mut out = String::from(if ok { "1" } else { "0" });
    put(&mut out, &items);
    out
}

/// Whether the record the codes stand for is transitional: 1 or 0, 2 when the codes do not
/// make a record.
pub fn transitional_codes(vm: u32, task: u32, status: u32, power: u32, facts: u32) -> u32 {
    match facts_from_codes(vm, task, status, power, facts) {
        Some(read) => read.is_transitional() as u32,
        None => 2,
    }
}

/// The status Nova shows for vm state and task codes (`abi` name codes; the task may be
/// `NULL`), as its index in `Status::ALL`.
pub fn status_code(vm: u32, task: u32) -> u32 {
    let vm = VmState::ALL
        .get(vm.saturating_sub(abi::NAME_BASE) as usize)
        .copied()
        .unwrap_or(VmState::Active);
    let task = task
        .checked_sub(abi::NAME_BASE)
        .and_then(|t| TaskState::ALL.get(t as usize).copied());
    nova_states::status_of(vm, task).index() as u32
}

// ---------------------------------------------------------------------------------------------
// Names and option strings
// ---------------------------------------------------------------------------------------------

// What `parse` reads, by kind: the code in `abi::ARGS` of the argument it reads (which the JS
// side passes on), or a code past them.
/// An option `"2.N"` (not `"latest"`, which the JS side reads): its minor number.
const MICROVERSION: u32 = arg_code("options.microversion");
/// A release option (`"2024.1"`, or a Nova version such as `"29.4.0"`): its index in
/// `Release::ALL`.
const RELEASE: u32 = arg_code("options.release");
/// A cloud's maximum microversion (the `version` of its `GET /` document): the index of the
/// release whose rules apply.
const RELEASE_FOR_MAX: u32 = arg_code("options.maxMicroversion");
/// A vm state, task state or status: its index.
const VM_STATE: u32 = arg_code("vm state");
const TASK_STATE: u32 = arg_code("task state");
const STATUS: u32 = arg_code("status");
/// A power state by name (`"running"`) or its code as text (`"1"`): its code.
const POWER_STATE: u32 = arg_code("power state");
/// An action name (a compute API method name or a REST action name): its row (the JS side
/// has the codes; it asks only for the error of a name it does not know, with the nearest).
const ACTION: u32 = arg_code("action");
/// A power state by its code as a number (`number`, not `text`): its code.
const POWER_CODE: u32 = 32;
/// Nova's `?status=` filter (any case): the vm states it selects (bit `VmState::index`), and
/// bit 12 when it selects by vm state alone (`parsed`'s last arm, with `FILTER_TASKS`).
#[allow(dead_code)]
const FILTER_VMS: u32 = 33;
/// The task states the filter also requires (bit `TaskState::index`, 42 bits).
const FILTER_TASKS: u32 = 34;

const _: () = assert!(abi::ARGS.len() < POWER_CODE as usize);
const _: () = assert!(VmState::ALL.len() <= 12 && TaskState::ALL.len() <= 53);

/// Whether a power state's code is a whole number the record reader would take.
fn whole(code: f64) -> bool {
    code.abs() < 1e9 && (code as i64) as f64 == code
}

/// What `parse` answers, or the core's error for what it refuses. A `number` that is no whole
/// power code reads as -1, which no power state has (`errorText` says it is of the wrong type).
#[inline(never)]
fn parsed(kind: u32, text: &str, number: f64) -> Result<f64, Error> {
    Ok(match kind {
        // One reading of `2.N` for both.
        MICROVERSION | RELEASE_FOR_MAX => {
            let asked = Microversion::parse(text)?;
            if kind == MICROVERSION {
                asked.minor().into()
            } else {
                release_index(Release::for_max_microversion(asked)?)
            }
        }
        RELEASE => release_index(Release::parse(text)?),
        VM_STATE => VmState::parse_index(text)? as f64,
        TASK_STATE => TaskState::parse_index(text)? as f64,
        STATUS => Status::parse_index(text)? as f64,
        POWER_STATE => PowerState::parse(text)?.code().into(),
        ACTION => Action::lookup(text)?.0.index() as f64,
        POWER_CODE => PowerState::from_code(if whole(number) { number as i64 } else { -1 })?
            .code()
            .into(),
        _ => {
            let (vms, tasks) = nova_states::StatusFilter::bits(text)?;
            (match tasks {
                _ if kind == FILTER_TASKS => tasks.unwrap_or(0),
                None => vms | 1 << 12,
                Some(_) => vms,
            }) as f64
        }
    })
}

/// Reads `text` (or `number`, for a power state's code) as parser `kind` says (the code of the
/// argument it reads, see the kinds above): the number it stands for, or -1 when it is refused (`parseError` says why). One
/// export for every parser, and no error crosses here: the JS side asks for the words only
/// when it throws them.
#[wasm_bindgen]
pub fn parse(kind: u32, text: &str, number: f64) -> f64 {
    parsed(kind, text, number).unwrap_or(-1.0)
}

/// The first kind of `errorText` past the parsers': kind `WRONG_TYPE + arg` is the error for
/// argument `arg` (an index into `abi::ARGS`) of the wrong type.
const WRONG_TYPE: u32 = 64;

/// The error text (`CODE<US>message`) of kind `kind`: below `WRONG_TYPE`, the error `parse`
/// refused `text` with (or `found`, a power state's code: a number that is no whole code is
/// of the wrong type), empty when it takes it; from `WRONG_TYPE` on, [`wrong_type`] for
/// `found`; for `options.credentials`, [`admin_with_credentials`]; for `options.policy`,
/// [`policy_value_error`] for the rule `text`. One export for the errors of the JS side's
/// arguments.
#[wasm_bindgen(js_name = errorText)]
pub fn error_text_of(kind: u32, text: &str, found: JsValue) -> JsValue {
    js_text(error_of(kind, text, found))
}

/// [`error_text_of`]'s text.
pub fn error_of(kind: u32, text: &str, found: JsValue) -> String {
    const CREDENTIALS: u32 = arg_code("options.credentials");
    const POLICY: u32 = arg_code("options.policy");
    match kind {
        CREDENTIALS => return admin_with_credentials(),
        POLICY => return policy_value_error(text, found),
        _ => {}
    }
    let number = found.as_f64().unwrap_or_default();
    if kind >= WRONG_TYPE || kind == POWER_CODE && !whole(number) {
        let arg = kind.checked_sub(WRONG_TYPE).unwrap_or(POWER_STATE);
        return wrong_type(arg, found);
    }
    parse_error(kind, text, number)
}

/// The error `parse` refused `text` (or `number`) with, as `CODE<US>message`; empty when it
/// takes it.
pub fn parse_error(kind: u32, text: &str, number: f64) -> String {
    parsed(kind, text, number)
        .err()
        .map_or_else(String::new, fail)
}

/// A release's index in `Release::ALL` (its discriminant: the table is in release order).
fn release_index(release: Release) -> f64 {
    f64::from(release as u8)
}

/// The core's name tables as one string, which the JS side splits once at import: tables
/// separated by `abi::GROUP`, a table's rows by `abi::FIELD`, a row's names by `abi::ITEM`.
/// One row each: the actions, vm states, task states, statuses, `abi::ARGS`, the releases'
/// series and the power states (in the order of `PowerState::ALL`); then each action's REST
/// entries, a row per action; then each assumption (the record's, then the request's) as its
/// field and what is assumed. The names live here only: `codes.js` carries numbers.
#[wasm_bindgen(js_name = nameTables)]
pub fn name_tables() -> String {
    let mut out = String::new();
    for names in [Action::POOL, VmState::POOL, TaskState::POOL, Status::POOL] {
        put(&mut out, names.text());
        put(&mut out, GROUP);
    }
    names_row(&mut out, &abi::ARGS, false);
    for names in [Release::POOL, PowerState::POOL] {
        put(&mut out, GROUP);
        put(&mut out, names.text());
    }
    put(&mut out, GROUP);
    for (i, action) in Action::ALL.iter().enumerate() {
        if i > 0 {
            put(&mut out, FIELD);
        }
        for (j, entry) in action.entries().iter().enumerate() {
            if j > 0 {
                put(&mut out, ITEM);
            }
            put(&mut out, entry.name());
        }
    }
    put(&mut out, GROUP);
    names_row(&mut out, &ASSUMED_TEXTS, true);
    out
}

/// How many assumptions a verdict can make: the record's, then the request's.
const ASSUMED_COUNT: usize = ASSUMPTIONS.len() + CONTEXT_ASSUMPTIONS.len();

/// Each assumption's field and what is assumed, in the order of the assumption bits.
static ASSUMED_TEXTS: [&str; 2 * ASSUMED_COUNT] = {
    let mut out = [""; 2 * ASSUMED_COUNT];
    let mut i = 0;
    while i < ASSUMED_COUNT {
        let a = if i < ASSUMPTIONS.len() {
            &ASSUMPTIONS[i]
        } else {
            &CONTEXT_ASSUMPTIONS[i - ASSUMPTIONS.len()]
        };
        out[2 * i] = a.field;
        out[2 * i + 1] = a.assumed;
        i += 1;
    }
    out
};

const _: () = assert!(nova_states::NAME_SEPARATOR == abi::ITEM as u8);

/// Appends `names` with `abi::ITEM` between them: a row of [`name_tables`]; or, with `pairs`,
/// a row per two names, `abi::FIELD` between the rows.
#[inline(never)]
fn names_row(out: &mut String, names: &[&str], pairs: bool) {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            put(out, if pairs && i % 2 == 0 { FIELD } else { ITEM });
        }
        put(out, name);
    }
}

// ---------------------------------------------------------------------------------------------
// Nova's default policy, from tables
// ---------------------------------------------------------------------------------------------

mod tables {
    include!(concat!(env!("OUT_DIR"), "/policy_tables.rs"));
}

/// Who asks, answered from Nova's defaults evaluated ahead of time (`build.rs`
/// `policy_tables`, with the core's exact evaluator): the token's roles among those the
/// defaults read, its scope, and its project and user.
#[cfg_attr(feature = "describe", allow(dead_code))]
struct Defaults {
    release: Release,
    /// The release's column in the tables (enforce_new_defaults on, then off).
    column: usize,
    /// The roles' bits and the scope's offset in a combination index.
    roles: usize,
    scope: usize,
    project_id: Option<String>,
    user_id: Option<String>,
}

#[cfg_attr(feature = "describe", allow(dead_code))]
impl Defaults {
    /// The (outcome table, sentence) pair of `rule` in this caller's release column.
    fn pair(&self, rule: PolicyRule) -> Option<usize> {
        let row = tables::ROW_OF.get(rule.index())?;
        let pair = tables::POLICY_ROWS.get(*row as usize)?.get(self.column)?;
        Some(*pair as usize)
    }

    fn new(release: Release, token: Token, enforce_new_defaults: bool) -> Defaults {
        let index = Release::ALL.iter().position(|&r| r == release).unwrap_or(0);
        let roles = token.roles.fold(0, |bits, role| bits | role_bit(role));
        // As build.rs orders the combinations: project, system, then domain scope.
        let scope = match Scope::of_token(token.system_scope.as_deref(), token.domain_id.as_deref())
        {
            Scope::Project => 0,
            Scope::System => 64,
            Scope::Domain => 128,
        };
        Defaults {
            release,
            column: index
                + if enforce_new_defaults {
                    0
                } else {
                    Release::ALL.len()
                },
            roles,
            scope,
            project_id: token.project_id,
            user_id: token.user_id,
        }
    }
}

impl Asks for Defaults {
    fn release(&self) -> Release {
        self.release
    }
    fn is_admin(&self) -> bool {
        tables::POLICY_ADMIN
            .get(self.column)
            .is_some_and(|bits| bits & (1 << self.roles) != 0)
    }
    fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }
    fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }
    fn authorize(
        &self,
        rule: PolicyRule,
        keys: TargetKeys,
        project_id: Option<&str>,
        _user_id: Option<&str>,
    ) -> Outcome {
        // The defaults read the target's project only: the server's (unknown is the caller's
        // own), the caller's own for `Caller`, none for an empty target.
        let own = match keys {
            TargetKeys::ProjectAndUser | TargetKeys::Project => {
                project_id.is_none_or(|p| Some(p) == self.project_id.as_deref())
            }
            TargetKeys::Caller => true,
            TargetKeys::Empty => false,
        };
        let combo = self.scope + self.roles + if own { 32 } else { 0 };
        let mask = self
            .pair(rule)
            .and_then(|p| tables::PAIR_MASK.get(p))
            .and_then(|&m| tables::POLICY_MASKS.get(m as usize));
        let code = mask
            .and_then(|m| m.get(combo / 4))
            .map_or(3, |bits| (bits >> (2 * (combo % 4))) & 3);
        match code {
            0 => Outcome::Allow,
            1 => Outcome::Deny(DenyReason::Check),
            2 => Outcome::Deny(DenyReason::Scope(Scope::Project)),
            _ => Outcome::Raises(Blocker {
                check: rule.name().into(),
                why: Why::NotRegistered,
            }),
        }
    }
    fn who_may(&self, rule: &str) -> String {
        PolicyRule::lookup(rule)
            .and_then(|r| self.pair(r))
            .and_then(|p| tables::PAIR_TEXT.get(p))
            .and_then(|&t| tables::POLICY_TEXTS.get(t as usize))
            .map_or_else(String::new, |t| (*t).into())
    }
}

/// Strings as `compileAsker` sends several in one (`Asker::caller`'s `token` and `policy`):
/// each followed by US (`abi::FIELD`), with ESC (U+001B) and US inside written as ESC `0` and
/// ESC `1`; an absent string (`null`) as ESC alone. Exact for every string: no item holds a
/// bare US, and a bare ESC is followed by `0`, `1` or, alone, by the US that ends it.
#[derive(Clone)]
struct Items<'a>(&'a str);

/// The escape of [`Items`], and an absent string's item.
const ESCAPE: u8 = 0x1b;

impl<'a> Iterator for Items<'a> {
    /// An item as written, escapes and all.
    type Item = &'a str;
    #[inline(never)]
    fn next(&mut self) -> Option<&'a str> {
        let end = self.0.bytes().position(|b| b == abi::FIELD as u8)?;
        let item = self.0.get(..end)?;
        self.0 = self.0.get(end + 1..)?;
        Some(item)
    }
}

impl Items<'_> {
    /// The next item's string; `None` when it is absent (or there is none).
    fn text(&mut self) -> Option<String> {
        self.next().and_then(unescaped)
    }
}

/// The string an item of [`Items`] stands for; `None` for an absent one.
#[inline(never)]
fn unescaped(item: &str) -> Option<String> {
    if item.as_bytes() == [ESCAPE] {
        return None;
    }
    let mut out = String::new();
    let mut rest = item;
    while let Some(at) = rest.bytes().position(|b| b == ESCAPE) {
        put(&mut out, rest.get(..at).unwrap_or_default());
        let one = rest.as_bytes().get(at + 1) == Some(&b'1');
        put(&mut out, if one { FIELD } else { "\u{1b}" });
        rest = rest.get(at + 2..).unwrap_or_default();
    }
    put(&mut out, rest);
    Some(out)
}

/// The bit of a role among the defaults' roles (`tables::POLICY_ROLES`, any case); 0 for
/// another role.
#[inline(never)]
fn role_bit(role: &str) -> usize {
    // Opaque, so that the optimizer writes one loop rather than five comparisons unrolled.
    core::hint::black_box(&tables::POLICY_ROLES[..])
        .iter()
        .position(|r| r.eq_ignore_ascii_case(role))
        .map_or(0, |b| 1 << b)
}

/// A Keystone token's credentials as `Asker::caller` reads them; the roles as their items,
/// still escaped (the defaults' roles hold neither ESC nor US, so an escaped role equals one
/// of them exactly when the role does).
struct Token<'a> {
    roles: Items<'a>,
    project_id: Option<String>,
    user_id: Option<String>,
    system_scope: Option<String>,
    domain_id: Option<String>,
}

const _: () = {
    let mut i = 0;
    while i < tables::POLICY_ROLES.len() {
        let role = tables::POLICY_ROLES[i].as_bytes();
        let mut j = 0;
        while j < role.len() {
            assert!(
                role[j] != ESCAPE && role[j] != abi::FIELD as u8,
                "a default role with an escape or a separator"
            );
            j += 1;
        }
        i += 1;
    }
};

/// Who asks, for the main module: Nova's defaults from the tables; overrides are refused with
/// the way to have them evaluated (after the checks the describe module makes first: the
/// system scope, then the rule names).
#[cfg(not(feature = "describe"))]
fn evaluator(
    release: Release,
    token: Token,
    mut policy: Items,
    options: Options,
) -> Result<Box<dyn Asks>, String> {
    nova_states::policy::check_system_scope(token.system_scope.as_deref()).map_err(fail)?;
    // As the describe module's `Caller::new` does, before the rule names.
    nova_states::nova_policy::check_options(release, options).map_err(fail)?;
    if policy.0.is_empty() && options.enforce_scope {
        return Ok(Box::new(Defaults::new(
            release,
            token,
            options.enforce_new_defaults,
        )));
    }
    // An item is empty exactly when its rule name is: the one name `check_rule_name` refuses.
    while let Some(rule) = policy.next() {
        nova_states::policy::check_rule_name(rule).map_err(fail)?;
        policy.next();
    }
    Err(error_text(
        "ERR_NOVA_NEEDS_EVALUATOR",
        if options.enforce_scope {
            "options.policy overrides Nova's defaults, which needs the exact oslo.policy evaluator: the main entry answers Nova's defaults only; pass the policy to the checks of 'nova-states/describe'"
        } else {
            "options.enforceScope false turns oslo.policy's scope check off, which needs the exact oslo.policy evaluator: the main entry answers Nova's defaults only; pass it to the checks of 'nova-states/describe'"
        },
    ))
}

/// Who asks, for the describe module: the exact evaluator over the defaults and overrides.
#[cfg(feature = "describe")]
fn evaluator(
    release: Release,
    token: Token,
    mut policy: Items,
    options: Options,
) -> Result<Box<dyn Asks>, String> {
    use nova_states::policy::{Credentials, OverrideValue};
    let credentials = Credentials {
        roles: token.roles.filter_map(unescaped).collect(),
        project_id: token.project_id,
        user_id: token.user_id,
        system_scope: token.system_scope,
        domain_id: token.domain_id,
        ..Credentials::default()
    };
    credentials.validate().map_err(fail)?;
    let mut overrides: Vec<(String, OverrideValue)> = Vec::new();
    while let Some(rule) = policy.next() {
        let rule = unescaped(rule).unwrap_or_default();
        nova_states::policy::check_rule_name(&rule).map_err(fail)?;
        let value = match policy.text() {
            Some(check) => OverrideValue::Text(check),
            None => OverrideValue::Null,
        };
        overrides.push((rule, value));
    }
    let caller =
        nova_states::Caller::new(release, credentials, &overrides, options).map_err(fail)?;
    Ok(Box::new(caller))
}
