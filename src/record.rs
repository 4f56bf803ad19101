//! Server records as Nova's API returns them: reading them into instance facts, and validating
//! them (unknown values, a status that contradicts the states, states Nova would not leave).

use std::borrow::Cow;

use serde::Serialize;

use crate::check::{Assumption, Instance};
use crate::error::{quote, Error, ErrorKind};
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

impl Scalar<'_> {
    /// Describes the value for a message: `the string "x"`, `the number 3`, `null`.
    pub fn describe(&self) -> String {
        match self {
            Scalar::Missing => "nothing".into(),
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => if *b { "true" } else { "false" }.into(),
            Scalar::Number(n) if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0 => {
                let mut out = String::from(if *n < 0.0 {
                    "the number -"
                } else {
                    "the number "
                });
                crate::error::push_number(&mut out, n.abs() as u64);
                out
            }
            Scalar::Number(_) => "a number that is not an integer".into(),
            Scalar::Str(s) => format!("the string {}", quote(s)),
            Scalar::Other(what) => (*what).into(),
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
}

/// How many slots a [`RawServer`] has, one per field.
pub const SLOTS: usize = 9;

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
pub const KEYS: [Key; 13] = [
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
];

/// The key of the `{"server": {...}}` envelope of `GET /servers/{id}`: a record that has it,
/// holding an object, is read from that object alone.
pub const ENVELOPE: &str = "server";

impl<'a> RawServer<'a> {
    /// The slots in field order: id, status, vm state, task state, power state, locked,
    /// launched_at, launched, host.
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
        ]
    }

    /// The key of the table [`KEYS`] that `name` is, if this crate reads it.
    pub fn key(name: &str) -> Option<&'static Key> {
        KEYS.iter().find(|k| k.name == name)
    }

    /// True when no known key was present.
    pub fn is_empty(&self) -> bool {
        *self == RawServer::default()
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

/// Every assumption [`Facts::read`] can make, in the order it makes them.
pub const ASSUMPTIONS: [Assumption; 5] = [
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
    /// Facts the record did not carry and how they were assumed.
    pub assumptions: Vec<Assumption>,
}

fn wrong_type(key: &str, value: &Scalar<'_>, expected: &str) -> Error {
    Error::new(
        ErrorKind::Malformed,
        format!(
            "server record key \"{key}\" is {}: expected {expected}",
            value.describe()
        ),
    )
}

fn name_of<'s>(raw: &'s Scalar<'_>, key: &str, expected: &str) -> Result<Option<&'s str>, Error> {
    match raw {
        Scalar::Missing | Scalar::Null => Ok(None),
        Scalar::Str(s) => Ok(Some(s)),
        other => Err(wrong_type(key, other, expected)),
    }
}

fn in_key(key: &str, err: Error) -> Error {
    Error::new(err.kind(), format!("server record key \"{key}\": {err}"))
}

impl Facts {
    /// Reads the facts from a record; a value of the wrong type or an unknown name is an error.
    pub fn read(raw: &RawServer<'_>) -> Result<Facts, Error> {
        let mut assumptions = Vec::new();
        let id = match &raw.id {
            Scalar::Str(s) => Some(s.to_string()),
            Scalar::Missing | Scalar::Null => None,
            other => return Err(wrong_type("id", other, "a string")),
        };
        let shown_status = match name_of(&raw.status, "status", "a status string")? {
            Some(s) => Some(Status::parse(s).map_err(|e| in_key("status", e))?),
            None => None,
        };
        let task_state = match name_of(
            &raw.task_state,
            "OS-EXT-STS:task_state",
            "a task state string or null",
        )? {
            Some(t) => Some(TaskState::parse(t).map_err(|e| in_key("OS-EXT-STS:task_state", e))?),
            None => None,
        };
        let vm_state = match name_of(&raw.vm_state, "OS-EXT-STS:vm_state", "a vm state string")? {
            Some(v) => VmState::parse(v).map_err(|e| in_key("OS-EXT-STS:vm_state", e))?,
            None => {
                let vm = shown_status.and_then(vm_state_of_status).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Malformed,
                        "server record has no \"OS-EXT-STS:vm_state\" (or \"vmState\"), nor a \"status\" that names one vm state".into(),
                    )
                })?;
                assumptions.push(ASSUMED_VM_STATE);
                vm
            }
        };
        let power_state = match &raw.power_state {
            Scalar::Missing | Scalar::Null => None,
            Scalar::Number(n) if n.fract() == 0.0 && n.abs() < 1e9 => Some(
                PowerState::from_code(*n as i64)
                    .map_err(|e| in_key("OS-EXT-STS:power_state", e))?,
            ),
            Scalar::Str(s) => {
                Some(PowerState::parse(s).map_err(|e| in_key("OS-EXT-STS:power_state", e))?)
            }
            other => {
                return Err(wrong_type(
                    "OS-EXT-STS:power_state",
                    other,
                    "a power state code (0, 1, 3, 4, 6 or 7)",
                ))
            }
        };
        if raw.task_state == Scalar::Missing {
            assumptions.push(ASSUMED_NO_TASK);
        }
        let locked = match &raw.locked {
            Scalar::Bool(b) => *b,
            Scalar::Missing | Scalar::Null => {
                assumptions.push(ASSUMED_UNLOCKED);
                false
            }
            other => return Err(wrong_type("locked", other, "true or false")),
        };
        let launched = match (&raw.launched_at, &raw.launched) {
            (Scalar::Str(s), _) => !s.is_empty(),
            (Scalar::Null, _) => false,
            (Scalar::Missing, Scalar::Bool(b)) => *b,
            (Scalar::Missing, Scalar::Missing | Scalar::Null) => {
                assumptions.push(ASSUMED_LAUNCHED);
                vm_state != VmState::Building
            }
            (Scalar::Missing, other) => return Err(wrong_type("launched", other, "true or false")),
            (other, _) => {
                return Err(wrong_type(
                    "OS-SRV-USG:launched_at",
                    other,
                    "a timestamp string or null",
                ))
            }
        };
        let has_host = match &raw.host {
            Scalar::Str(s) => !s.is_empty(),
            Scalar::Bool(b) => *b,
            Scalar::Null => false,
            Scalar::Missing => {
                assumptions.push(ASSUMED_HOST);
                vm_state != VmState::ShelvedOffloaded
            }
            other => {
                return Err(wrong_type(
                    "OS-EXT-SRV-ATTR:host",
                    other,
                    "a host name string or null",
                ))
            }
        };
        Ok(Facts {
            instance: Instance {
                id,
                vm_state,
                task_state,
                power_state,
                launched,
                locked,
                has_host,
            },
            shown_status,
            assumptions,
        })
    }
}

impl Facts {
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

/// Validates one record: its values are known to Nova, its status agrees with its states,
/// and its states are ones Nova would leave it in.
pub fn validate(raw: &RawServer<'_>) -> Validation {
    let facts = match Facts::read(raw) {
        Ok(facts) => facts,
        Err(err) => {
            return Validation {
                ok: false,
                status: Status::Unknown,
                diagnostics: vec![Diagnostic {
                    severity: Severity::Error,
                    code: "malformed",
                    message: err.to_string(),
                }],
            }
        }
    };
    let instance = &facts.instance;
    let status = status_of(instance.vm_state, instance.task_state);
    let mut diagnostics = Vec::new();
    if let Some(shown) = facts.shown_status {
        // A deleted instance record shows DELETED whatever its states (views/servers.py).
        if shown != status && shown != Status::Deleted && shown != Status::Unknown {
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                code: "status-mismatch",
                message: format!(
                    "status {shown} contradicts vm state {} with task state {}: Nova shows {status}",
                    instance.vm_state,
                    crate::states::task_str(instance.task_state)
                ),
            });
        }
    }
    if instance.vm_state == VmState::ShelvedOffloaded
        && instance.has_host
        && instance.task_state.is_none()
        && raw.host != Scalar::Missing
    {
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            code: "offloaded-with-host",
            message:
                "vm state shelved_offloaded with a host: Nova clears the host when it offloads"
                    .into(),
        });
    }
    if let Some(task) = instance.task_state {
        if !task_seen_with(instance.vm_state, task) {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                code: "unexpected-task",
                message: format!(
                    "task state {task} with vm state {}: no Nova action or periodic task leaves an instance so",
                    instance.vm_state
                ),
            });
        }
    }
    if let (Some(power), None) = (instance.power_state, instance.task_state) {
        if let Some(fix) = power_sync(instance.vm_state, power) {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                code: "power-out-of-sync",
                message: format!(
                    "vm state {} with power state {power}: {fix}",
                    instance.vm_state
                ),
            });
        }
    }
    Validation {
        ok: diagnostics.iter().all(|d| d.severity != Severity::Error),
        status,
        diagnostics,
    }
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
        || crate::rules::RULES.iter().any(|rule| {
            let starts_in_vm = || rule.accepted_vm_states().any(|s| s == vm);
            (rule.sets_task == Some(task) && starts_in_vm())
                || rule.later_tasks.iter().any(|later| {
                    later.task == task && later.with.map_or_else(starts_in_vm, |with| with == vm)
                })
        })
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
