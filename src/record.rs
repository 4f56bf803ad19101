//! Server records as Nova's API returns them: reading them into instance facts, and validating
//! them (unknown values, a status that contradicts the states, states Nova would not leave).

use crate::prelude::*;

use alloc::borrow::Cow;
use core::borrow::Borrow;

use serde::Serialize;

use crate::check::{Assumption, Instance};
use crate::error::{parse_index, push_quoted, put, Error, ErrorKind};
use crate::states::{PowerState, Status, TaskState, VmState};
use crate::status::status_of;

/// One value of a record, as far as this crate cares about its type.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Scalar<'a> {
    /// The key is absent.
    #[default]
    Missing,
    /// JSON `null` (JS `null` or `undefined`).
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Str(Cow<'a, str>),
    /// Anything else, described for messages ("an array", "an object", "a symbol").
    Other(&'static str),
}

/// Whether `n` is a whole number no larger than `limit` either way (`f64::fract` is not in `core`).
fn whole(n: f64, limit: f64) -> bool {
    n.abs() <= limit && (n as i64) as f64 == n
}

impl Scalar<'_> {
    /// Describes the value for a message: `the string "x"`, `the number 3`, `null`.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        self.push_description(&mut out);
        out
    }

    /// Appends [`Scalar::describe`] to `out`.
    #[inline(never)]
    pub fn push_description(&self, out: &mut String) {
        match self {
            Scalar::Number(n) if whole(*n, 9_007_199_254_740_992.0) => {
                put(
                    out,
                    if *n < 0.0 {
                        "the number -"
                    } else {
                        "the number "
                    },
                );
                crate::error::push_number(out, n.abs() as u64);
            }
            Scalar::Str(s) => {
                put(out, "the string ");
                push_quoted(out, s);
            }
            other => put(
                out,
                match other {
                    Scalar::Missing => "nothing",
                    Scalar::Null => "null",
                    Scalar::Bool(true) => "true",
                    Scalar::Bool(false) => "false",
                    Scalar::Other(what) => what,
                    _ => "a number that is not an integer",
                },
            ),
        }
    }
}

/// The keys of a server record this crate reads, each in Nova's spelling or the plain one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawServer<'a> {
    /// `id`.
    pub id: Scalar<'a>,
    /// `status`.
    pub status: Scalar<'a>,
    /// `OS-EXT-STS:vm_state` or `vmState`.
    pub vm_state: Scalar<'a>,
    /// `OS-EXT-STS:task_state` or `taskState`.
    pub task_state: Scalar<'a>,
    /// `OS-EXT-STS:power_state` or `powerState`.
    pub power_state: Scalar<'a>,
    /// `locked`.
    pub locked: Scalar<'a>,
    /// `OS-SRV-USG:launched_at`.
    pub launched_at: Scalar<'a>,
    /// `launched` (plain form).
    pub launched: Scalar<'a>,
    /// `OS-EXT-SRV-ATTR:host` or `host`.
    pub host: Scalar<'a>,
    /// `tenant_id` or `projectId`: the server's project, the policy target.
    pub tenant_id: Scalar<'a>,
    /// `user_id` or `userId`: the server's user, the policy target.
    pub user_id: Scalar<'a>,
}

/// How many slots a [`RawServer`] has, one per field.
pub const SLOTS: usize = 11;

/// One key a server record may carry: the [`RawServer`] slot it fills, and whether it is
/// Nova's own spelling (`OS-EXT-STS:vm_state`) rather than the plain one (`vmState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    /// The key as it appears in the record.
    pub name: &'static str,
    /// The position of the slot it fills in [`RawServer::slots_mut`].
    pub slot: usize,
    /// Nova's spelling wins over the plain one when a record carries both, whatever their order.
    pub nova: bool,
}

const fn key(name: &'static str, slot: usize, nova: bool) -> Key {
    Key { name, slot, nova }
}

/// Every key a record may carry, Nova's spelling of each slot before the plain one. Every
/// reader (the JSON reader, the JS binding) takes a slot's value from the first of its keys
/// the record has.
pub const KEYS: [Key; 17] = [
    key("id", 0, true),
    key("status", 1, true),
    key("OS-EXT-STS:vm_state", 2, true),
    key("vmState", 2, false),
    key("OS-EXT-STS:task_state", 3, true),
    key("taskState", 3, false),
    key("OS-EXT-STS:power_state", 4, true),
    key("powerState", 4, false),
    key("locked", 5, true),
    key("OS-SRV-USG:launched_at", 6, true),
    key("launched", 7, true),
    key("OS-EXT-SRV-ATTR:host", 8, true),
    key("host", 8, false),
    key("tenant_id", 9, true),
    key("projectId", 9, false),
    key("user_id", 10, true),
    key("userId", 10, false),
];

/// The key of the `{"server": {...}}` envelope of `GET /servers/{id}`: a record that has it,
/// holding an object, is read from that object alone.
pub const ENVELOPE: &str = "server";

impl<'a> RawServer<'a> {
    /// The slots in field order: id, status, vm state, task state, power state, locked,
    /// launched_at, launched, host, tenant_id, user_id.
    pub fn slots_mut(&mut self) -> [&mut Scalar<'a>; SLOTS] {
        [
            &mut self.id,
            &mut self.status,
            &mut self.vm_state,
            &mut self.task_state,
            &mut self.power_state,
            &mut self.locked,
            &mut self.launched_at,
            &mut self.launched,
            &mut self.host,
            &mut self.tenant_id,
            &mut self.user_id,
        ]
    }

    /// The key of the table [`KEYS`] that `name` is, if this crate reads it.
    pub fn key(name: &str) -> Option<&'static Key> {
        KEYS.iter().find(|k| k.name == name)
    }

    /// True when no known key was present.
    pub fn is_empty(&self) -> bool {
        self.slots().iter().all(|s| matches!(s, Scalar::Missing))
    }

    /// The slots in field order, as [`RawServer::slots_mut`] lists them.
    fn slots(&self) -> [&Scalar<'a>; SLOTS] {
        [
            &self.id,
            &self.status,
            &self.vm_state,
            &self.task_state,
            &self.power_state,
            &self.locked,
            &self.launched_at,
            &self.launched,
            &self.host,
            &self.tenant_id,
            &self.user_id,
        ]
    }
}

/// Assumed when a record lacks `OS-EXT-STS:vm_state`.
pub const ASSUMED_VM_STATE: Assumption = Assumption {
    field: "OS-EXT-STS:vm_state",
    assumed: "the vm state its status names",
};
/// Assumed when a record lacks `OS-EXT-STS:task_state`.
pub const ASSUMED_NO_TASK: Assumption = Assumption {
    field: "OS-EXT-STS:task_state",
    assumed: "no task running",
};
/// Assumed when a record lacks `locked`.
pub const ASSUMED_UNLOCKED: Assumption = Assumption {
    field: "locked",
    assumed: "unlocked (Nova shows it from microversion 2.9)",
};
/// Assumed when a record lacks `OS-SRV-USG:launched_at`.
pub const ASSUMED_LAUNCHED: Assumption = Assumption {
    field: "OS-SRV-USG:launched_at",
    assumed: "launched, unless still building",
};
/// Assumed when a record lacks `OS-EXT-SRV-ATTR:host`.
pub const ASSUMED_HOST: Assumption = Assumption {
    field: "OS-EXT-SRV-ATTR:host",
    assumed: "a host, unless shelved_offloaded (non-admins do not see it)",
};

/// Every assumption [`Facts::read`] can make, in the order it makes them. A static: one copy
/// of their texts however many crates use them.
pub static ASSUMPTIONS: [Assumption; 5] = [
    ASSUMED_VM_STATE,
    ASSUMED_NO_TASK,
    ASSUMED_UNLOCKED,
    ASSUMED_LAUNCHED,
    ASSUMED_HOST,
];

/// An instance read from a record, with what had to be assumed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    /// The facts the checks need.
    pub instance: Instance,
    /// The status the record shows, if any.
    pub shown_status: Option<Status>,
    /// Facts the record did not carry, as bits: bit `i` for [`ASSUMPTIONS`]`[i]` (see
    /// [`Facts::assumptions`]).
    pub assumed: u32,
}

/// `server record key "KEY"`, the start of every message about one key.
fn key_message(key: &str) -> String {
    let mut message = String::new();
    for part in ["server record key \"", key, "\""] {
        put(&mut message, part);
    }
    message
}

#[inline(never)]
fn wrong_type(key: &str, value: &Scalar<'_>, expected: &str) -> Error {
    let mut message = key_message(key);
    put(&mut message, " is ");
    value.push_description(&mut message);
    put(&mut message, ": expected ");
    put(&mut message, expected);
    Error::new(ErrorKind::Malformed, message)
}

#[inline(never)]
fn in_key(key: &str, err: Error) -> Error {
    let mut message = key_message(key);
    put(&mut message, ": ");
    put(&mut message, err.message());
    Error::new(err.kind(), message)
}

/// The record's id, if it has one; an id that is not a string is an error.
fn id_of<'r>(raw: &'r RawServer<'_>) -> Result<Option<&'r str>, Error> {
    string_of(&raw.id, "id")
}

/// A string value of the record, if it has one; a value that is not a string is an error.
fn string_of<'r>(value: &'r Scalar<'_>, key: &str) -> Result<Option<&'r str>, Error> {
    match value {
        Scalar::Str(s) => Ok(Some(s)),
        Scalar::Missing | Scalar::Null => Ok(None),
        other => Err(wrong_type(key, other, "a string")),
    }
}

/// One value of a record once its type is known: absent, `null`, or a value of that type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Field<T> {
    /// The key is absent.
    #[default]
    Missing,
    /// The key is `null`.
    Null,
    /// The key has this value.
    Is(T),
}

impl<T: Copy> Field<T> {
    /// The value, if the key has one.
    pub fn value(self) -> Option<T> {
        match self {
            Field::Is(v) => Some(v),
            _ => None,
        }
    }
}

/// A server record's values, each of the type Nova gives it: what is left of a record once
/// its names are parsed, and all [`Facts::from_fields`] needs. The id is not among them: only
/// messages use it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    /// `status`.
    pub status: Field<Status>,
    /// `OS-EXT-STS:vm_state` or `vmState`.
    pub vm_state: Field<VmState>,
    /// `OS-EXT-STS:task_state` or `taskState`.
    pub task_state: Field<TaskState>,
    /// `OS-EXT-STS:power_state` or `powerState`.
    pub power_state: Field<PowerState>,
    /// `locked`.
    pub locked: Field<bool>,
    /// `OS-SRV-USG:launched_at`: whether the timestamp is not empty.
    pub launched_at: Field<bool>,
    /// `launched` (plain form).
    pub launched: Field<bool>,
    /// `OS-EXT-SRV-ATTR:host` or `host`: whether a host is named (or `true` in the plain form).
    pub host: Field<bool>,
}

/// How a record's key is typed (besides absent and `null`).
#[derive(Clone, Copy)]
enum Reads {
    /// A string (an id).
    Text,
    /// One of these names (what one is called, the names).
    Name(&'static str, crate::error::Names),
    /// A power state code, or its name or code as text.
    Power,
    /// A boolean.
    Bool,
    /// A timestamp: whether it is not empty.
    Stamp,
    /// A host name (whether it is not empty), or a boolean in the plain form.
    Host,
}

/// The keys of a record that are typed, in the order [`Facts::read`] checks them: the slot (of
/// [`RawServer::slots_mut`]), the key named in messages, what it must be, and how it is read.
/// [`Fields::read`] reads those from [`FIELDS`] on.
const ROWS: [(usize, &str, &str, Reads); 11] = [
    (0, "id", "a string", Reads::Text),
    (9, "tenant_id", "a string", Reads::Text),
    (10, "user_id", "a string", Reads::Text),
    (
        1,
        "status",
        "a status string",
        Reads::Name(Status::WHAT, Status::POOL),
    ),
    (
        3,
        "OS-EXT-STS:task_state",
        "a task state string or null",
        Reads::Name(TaskState::WHAT, TaskState::POOL),
    ),
    (
        2,
        "OS-EXT-STS:vm_state",
        "a vm state string",
        Reads::Name(VmState::WHAT, VmState::POOL),
    ),
    (
        4,
        "OS-EXT-STS:power_state",
        "a power state code (0, 1, 3, 4, 6 or 7)",
        Reads::Power,
    ),
    (5, "locked", "true or false", Reads::Bool),
    (
        6,
        "OS-SRV-USG:launched_at",
        "a timestamp string or null",
        Reads::Stamp,
    ),
    (7, "launched", "true or false", Reads::Bool),
    (
        8,
        "OS-EXT-SRV-ATTR:host",
        "a host name string or null",
        Reads::Host,
    ),
];

/// The row of [`ROWS`] where the [`Fields`] start, and those of `OS-SRV-USG:launched_at` and
/// `launched`.
const FIELDS: usize = 3;
const LAUNCHED_AT: usize = 8;
const LAUNCHED: usize = 9;

/// A record's values by slot (of [`RawServer::slots_mut`]; a slot past the end is absent), as
/// [`Facts::check_slots`] reads them: each lent to `read` for the moment it is typed, so a
/// binding need not build them all first.
pub trait Slots {
    /// `read` of the value in `slot`.
    fn with<R>(&self, slot: usize, read: impl FnOnce(&Scalar<'_>) -> R) -> R;
}

impl<'v, S: Borrow<Scalar<'v>>> Slots for [S] {
    fn with<R>(&self, slot: usize, read: impl FnOnce(&Scalar<'_>) -> R) -> R {
        read(self.get(slot).map_or(&Scalar::Missing, Borrow::borrow))
    }
}

/// The rows of [`ROWS`] from `first` on, typed: each value as a number (a name's index, a
/// boolean as 0 or 1), by row; a value of the wrong type or an unknown name is an error that
/// names the key.
fn read_rows<S: Slots + ?Sized>(slots: &S, first: usize) -> Result<[Field<u8>; ROWS.len()], Error> {
    let mut read = [Field::Missing; ROWS.len()];
    for n in first..ROWS.len() {
        let (slot, key, expected, reads) = ROWS[n];
        // The plain `launched` is read only when Nova's `launched_at` is absent.
        if n == LAUNCHED && read[LAUNCHED_AT] != Field::Missing {
            continue;
        }
        read[n] = slots.with(slot, |value| {
            let parsed = match (value, reads) {
                (Scalar::Missing, _) => return Ok(Field::Missing),
                (Scalar::Null, _) => return Ok(Field::Null),
                (Scalar::Str(_), Reads::Text) => Ok(0),
                (Scalar::Str(s), Reads::Name(what, names)) => parse_index(what, s, names),
                (Scalar::Number(x), Reads::Power) if whole(*x, 1e9 - 1.0) => {
                    PowerState::from_code(*x as i64).map(|p| p as usize)
                }
                (Scalar::Str(s), Reads::Power) => PowerState::parse(s).map(|p| p as usize),
                (Scalar::Bool(b), Reads::Bool | Reads::Host) => Ok(usize::from(*b)),
                (Scalar::Str(s), Reads::Stamp | Reads::Host) => Ok(usize::from(!s.is_empty())),
                (other, _) => return Err(wrong_type(key, other, expected)),
            };
            Ok(Field::Is(parsed.map_err(|e| in_key(key, e))? as u8))
        })?;
    }
    Ok(read)
}

/// A typed value as a number (a name's index) to its type.
fn typed<T: Copy>(field: Field<u8>, all: &[T]) -> Field<T> {
    match field {
        Field::Missing => Field::Missing,
        Field::Null => Field::Null,
        // Every index `read_rows` types is in its table.
        Field::Is(i) => all
            .get(usize::from(i))
            .map_or(Field::Missing, |&v| Field::Is(v)),
    }
}

/// A boolean as a number to a boolean.
fn flag(field: Field<u8>) -> Field<bool> {
    match field {
        Field::Missing => Field::Missing,
        Field::Null => Field::Null,
        Field::Is(b) => Field::Is(b != 0),
    }
}

impl Fields {
    /// Types a record's values: a value of the wrong type or an unknown name is an error that
    /// names the key.
    pub fn read(raw: &RawServer<'_>) -> Result<Fields, Error> {
        read_rows(&raw.slots()[..], FIELDS).map(Fields::of_rows)
    }

    /// The fields of the rows [`read_rows`] typed.
    fn of_rows(read: [Field<u8>; ROWS.len()]) -> Fields {
        Fields {
            status: typed(read[FIELDS], Status::ALL),
            task_state: typed(read[FIELDS + 1], TaskState::ALL),
            vm_state: typed(read[FIELDS + 2], VmState::ALL),
            power_state: typed(read[FIELDS + 3], PowerState::ALL),
            locked: flag(read[FIELDS + 4]),
            launched_at: flag(read[LAUNCHED_AT]),
            launched: flag(read[LAUNCHED]),
            host: flag(read[FIELDS + 7]),
        }
    }
}

impl Facts {
    /// Reads the facts from a record; a value of the wrong type or an unknown name is an error.
    pub fn read(raw: &RawServer<'_>) -> Result<Facts, Error> {
        let mut facts = Facts::from_fields(&Fields::of_rows(read_rows(&raw.slots()[..], 0)?))?;
        // Typed: each is a string, absent or `null`.
        let text = |value: &Scalar<'_>| match value {
            Scalar::Str(s) => Some(s.to_string()),
            _ => None,
        };
        facts.instance.id = text(&raw.id);
        facts.instance.project_id = text(&raw.tenant_id);
        facts.instance.user_id = text(&raw.user_id);
        Ok(facts)
    }

    /// [`Facts::read`]'s error for a record it cannot read, without building the facts: the
    /// record as the values of its slots, in the order of [`RawServer::slots_mut`] (a slot
    /// past the end is absent).
    pub fn check(slots: &[Scalar<'_>]) -> Result<(), Error> {
        Facts::check_slots(slots)
    }

    /// [`Facts::check`] of values a binding lends one at a time.
    pub fn check_slots<S: Slots + ?Sized>(slots: &S) -> Result<(), Error> {
        // Only the vm state and the status matter past the types.
        let read = read_rows(slots, 0)?;
        match read[FIELDS + 2] {
            Field::Is(_) => Ok(()),
            _ => assumed_vm_state(typed(read[FIELDS], Status::ALL)).map(drop),
        }
    }

    /// The facts of typed record values, assuming what the record lacks as Nova most likely
    /// has it; an error only when neither a vm state nor a status that names one is there.
    pub fn from_fields(fields: &Fields) -> Result<Facts, Error> {
        let mut assumed = 0;
        let shown_status = fields.status.value();
        let vm_state = match fields.vm_state {
            Field::Is(vm) => vm,
            _ => {
                let vm = assumed_vm_state(fields.status)?;
                assumed |= 1 << 0;
                vm
            }
        };
        if fields.task_state == Field::Missing {
            assumed |= 1 << 1;
        }
        let locked = match fields.locked {
            Field::Is(b) => b,
            _ => {
                assumed |= 1 << 2;
                false
            }
        };
        let launched = match (fields.launched_at, fields.launched) {
            (Field::Is(b), _) => b,
            (Field::Null, _) => false,
            (Field::Missing, Field::Is(b)) => b,
            (Field::Missing, _) => {
                assumed |= 1 << 3;
                vm_state != VmState::Building
            }
        };
        let has_host = match fields.host {
            Field::Is(b) => b,
            Field::Null => false,
            Field::Missing => {
                assumed |= 1 << 4;
                vm_state != VmState::ShelvedOffloaded
            }
        };
        Ok(Facts {
            instance: Instance {
                id: None,
                vm_state,
                task_state: fields.task_state.value(),
                power_state: fields.power_state.value(),
                launched,
                locked,
                has_host,
                project_id: None,
                user_id: None,
            },
            shown_status,
            assumed,
        })
    }
}

impl Facts {
    /// Facts the record did not carry and how they were assumed, in the order of
    /// [`ASSUMPTIONS`].
    pub fn assumptions(&self) -> Vec<Assumption> {
        ASSUMPTIONS
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.assumed & 1 << i != 0)
            .map(|(_, a)| a.clone())
            .collect()
    }

    /// Whether Nova is in the middle of something with this server, so a dashboard should
    /// poll it again: a task is running, it is still building, or the status it shows is one
    /// Nova shows only while a task runs (a record without task state, `REBOOT`).
    pub fn is_transitional(&self) -> bool {
        let instance = &self.instance;
        instance.task_state.is_some()
            || instance.vm_state == VmState::Building
            || self.shown_status.is_some_and(|shown| {
                shown != Status::Unknown
                    && !crate::status::STATUS_MAP
                        .iter()
                        .any(|(_, default, _)| *default == shown)
            })
    }
}

/// The vm state of a record without one: the one its status names, if it names one.
fn assumed_vm_state(status: Field<Status>) -> Result<VmState, Error> {
    status
        .value()
        .and_then(vm_state_of_status)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Malformed,
                "server record has no \"OS-EXT-STS:vm_state\" (or \"vmState\"), nor a \"status\" that names one vm state".into(),
            )
        })
}

/// The one vm state whose default status this is, for records that carry only a status.
fn vm_state_of_status(status: Status) -> Option<VmState> {
    let mut found = crate::status::STATUS_MAP
        .iter()
        .filter(|(_, s, _)| *s == status)
        .map(|(v, _, _)| *v);
    let first = found.next();
    first.filter(|_| found.next().is_none())
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The record cannot be what Nova returns.
    Error,
    /// Nova can return it, but it will not stay so, or it needs a look.
    Warning,
}

impl Severity {
    /// The severity as JSON and JS spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Every [`Diagnostic::code`], errors first.
pub const DIAGNOSTIC_CODES: [&str; 5] = [
    "malformed",
    "status-mismatch",
    "unexpected-task",
    "power-out-of-sync",
    "offloaded-with-host",
];

/// One finding about a server record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// A stable code: `malformed`, `status-mismatch`, `unexpected-task`, `power-out-of-sync`,
    /// `offloaded-with-host`.
    pub code: &'static str,
    /// What was found and what was expected.
    pub message: String,
}

/// The result of validating one server record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Validation {
    /// True when no diagnostic is an error.
    pub ok: bool,
    /// The status Nova would show for the record's states (`UNKNOWN` when they cannot be read).
    pub status: Status,
    /// Every finding, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

impl Validation {
    /// The result for a value that cannot be read as a record: one `malformed` error saying
    /// why, and status `UNKNOWN`.
    pub fn malformed(message: String) -> Validation {
        Validation {
            ok: false,
            status: Status::Unknown,
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                code: "malformed",
                message,
            }],
        }
    }
}

/// Validates one record: its values are known to Nova, its status agrees with its states,
/// and its states are ones Nova would leave it in.
pub fn validate(raw: &RawServer<'_>) -> Validation {
    let fields = id_of(raw).and_then(|_| Fields::read(raw));
    match fields {
        Ok(fields) => validate_fields(&fields),
        Err(err) => Validation::malformed(err.message().into()),
    }
}

/// [`validate`] for a record whose values are already typed.
pub fn validate_fields(fields: &Fields) -> Validation {
    let facts = match Facts::from_fields(fields) {
        Ok(facts) => facts,
        Err(err) => return Validation::malformed(err.message().into()),
    };
    let mut diagnostics = Vec::new();
    let status = facts.find(&mut |severity, code, parts| {
        find(&mut diagnostics, severity, code, parts);
    });
    Validation {
        ok: diagnostics.iter().all(|d| d.severity != Severity::Error),
        status,
        diagnostics,
    }
}

/// What [`Facts::find`] tells of each finding: its severity, its code and its message as
/// parts to write one after another.
pub type Found<'f> = dyn FnMut(Severity, &'static str, &[&str]) + 'f;

impl Facts {
    /// The findings of [`validate_fields`], each told to `found` (errors first), without
    /// building them: the status Nova shows for the states. (A record without a host shows
    /// `has_host` only when it is not shelved_offloaded: the offloaded-with-host warning needs
    /// a host the record names.)
    #[doc(hidden)]
    pub fn find(&self, found: &mut Found<'_>) -> Status {
        let instance = &self.instance;
        let status = status_of(instance.vm_state, instance.task_state);
        let vm = instance.vm_state.as_str();
        if let Some(shown) = self.shown_status {
            // A deleted instance record shows DELETED whatever its states (views/servers.py).
            if shown != status && shown != Status::Deleted && shown != Status::Unknown {
                found(
                    Severity::Error,
                    "status-mismatch",
                    &[
                        "status ",
                        shown.as_str(),
                        " contradicts vm state ",
                        vm,
                        " with task state ",
                        crate::states::task_str(instance.task_state),
                        ": Nova shows ",
                        status.as_str(),
                    ],
                );
            }
        }
        if instance.vm_state == VmState::ShelvedOffloaded
            && instance.has_host
            && instance.task_state.is_none()
        {
            found(
                Severity::Warning,
                "offloaded-with-host",
                &["vm state shelved_offloaded with a host: Nova clears the host when it offloads"],
            );
        }
        if let Some(task) = instance.task_state {
            if !task_seen_with(instance.vm_state, task) {
                found(
                    Severity::Warning,
                    "unexpected-task",
                    &[
                        "task state ",
                        task.as_str(),
                        " with vm state ",
                        vm,
                        ": no Nova action or periodic task leaves an instance so",
                    ],
                );
            }
        }
        if let (Some(power), None) = (instance.power_state, instance.task_state) {
            if let Some(fix) = power_sync(instance.vm_state, power) {
                found(
                    Severity::Warning,
                    "power-out-of-sync",
                    &[
                        "vm state ",
                        vm,
                        " with power state ",
                        power.as_str(),
                        ": ",
                        fix,
                    ],
                );
            }
        }
        status
    }
}

/// Adds a finding whose message is `parts` one after another.
#[inline(never)]
fn find(diagnostics: &mut Vec<Diagnostic>, severity: Severity, code: &'static str, parts: &[&str]) {
    let mut message = String::new();
    for part in parts {
        put(&mut message, part);
    }
    diagnostics.push(Diagnostic {
        severity,
        code,
        message,
    });
}

/// The task states an instance shows while it is being built (`ComputeManager._build_and_run_instance`).
const BOOT_TASKS: [TaskState; 4] = [
    TaskState::Scheduling,
    TaskState::BlockDeviceMapping,
    TaskState::Networking,
    TaskState::Spawning,
];

/// Whether Nova can leave an instance in `vm` with `task` running: the instance is building,
/// or some action that accepts `vm` sets `task` or moves through it, or the power-state sync
/// is forcing a stopped or paused guest off (`force_stop` keeps the vm state).
pub fn task_seen_with(vm: VmState, task: TaskState) -> bool {
    (vm == VmState::Building && BOOT_TASKS.contains(&task))
        || (task == TaskState::PoweringOff && matches!(vm, VmState::Stopped | VmState::Paused))
        || crate::rules::action_shows_task(vm, task)
}

/// What Nova's power-state sync (`ComputeManager._sync_instance_power_state`) does to an idle
/// instance whose power state disagrees with its vm state, if anything.
fn power_sync(vm: VmState, power: PowerState) -> Option<&'static str> {
    use PowerState as P;
    match (vm, power) {
        (VmState::Active, P::Shutdown | P::Crashed | P::Suspended) => {
            Some("Nova's power-state sync will stop it")
        }
        (VmState::Stopped, P::Running | P::Paused | P::Suspended) => {
            Some("Nova's power-state sync will force it off")
        }
        (VmState::Paused, P::Shutdown | P::Crashed) => {
            Some("Nova's power-state sync will force it off")
        }
        _ => None,
    }
}
