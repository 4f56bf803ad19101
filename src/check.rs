//! Checking one action against an instance's facts: the verdict Nova's API would reach.

use std::borrow::Cow;

use serde::Serialize;

use crate::microversion::Microversion;
use crate::release::Release;
use crate::rules::{Action, DenialKind, Guard, Reason, Rest, Rule};
use crate::states::{task_str, PowerState, TaskState, VmState};

/// What Nova knows about an instance when it decides whether an action may run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    /// The instance's UUID, used in messages; `<uuid>` when unknown.
    pub id: Option<String>,
    /// Its stable state.
    pub vm_state: VmState,
    /// The task running on it, if any.
    pub task_state: Option<TaskState>,
    /// The hypervisor's last report; no rule reads it, validation does.
    pub power_state: Option<PowerState>,
    /// Whether it was ever launched (`launched_at` is set).
    pub launched: bool,
    /// Whether it is locked.
    pub locked: bool,
    /// Whether it has a compute host (`host` is set).
    pub has_host: bool,
}

impl Instance {
    /// An instance in `vm_state` as Nova most likely has it: no task, launched unless still
    /// building, unlocked, with a host unless shelved and offloaded.
    pub fn new(vm_state: VmState) -> Instance {
        Instance {
            id: None,
            vm_state,
            task_state: None,
            power_state: None,
            launched: vm_state != VmState::Building,
            locked: false,
            has_host: vm_state != VmState::ShelvedOffloaded,
        }
    }

    /// The same instance with `task` running.
    pub fn with_task(mut self, task: Option<TaskState>) -> Instance {
        self.task_state = task;
        self
    }

    /// What messages call an instance whose id is unknown.
    pub const ID_PLACEHOLDER: &'static str = "<uuid>";

    fn id_or_placeholder(&self) -> &str {
        self.id.as_deref().unwrap_or(Self::ID_PLACEHOLDER)
    }
}

/// Who asks and through which API version.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// An admin may act on a locked instance.
    pub admin: bool,
    /// The request's microversion; defaults to the newest.
    pub microversion: Microversion,
    /// The Nova release whose rules apply; defaults to the newest. A microversion above the
    /// release's maximum is refused like one the REST entry does not have (HTTP 404 here;
    /// [`Release::check_microversion`] gives the error to show for such input).
    pub release: Release,
}

impl Context {
    /// The context of a request to a cloud running `release`, at its newest microversion.
    pub fn for_release(release: Release) -> Context {
        Context {
            admin: false,
            microversion: release.max_microversion(),
            release,
        }
    }
}

/// One reason Nova refuses the action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Denial {
    /// Which check refused it.
    pub kind: DenialKind,
    /// The instance's value for that check, as Nova prints it (`stopped`, `None`, `True`).
    pub actual: Cow<'static, str>,
    /// The values that check accepts.
    pub expected: Vec<Cow<'static, str>>,
    /// Why, as a stable code a program can switch on.
    pub reason: Reason,
    /// Why, in a short sentence for a person (no id, no Python values).
    pub text: String,
    /// The text of the error Nova's API returns for it.
    pub message: String,
    /// The HTTP status Nova's API returns for it.
    pub http_status: u16,
}

/// A fact a server record did not carry, and the value the check assumed for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Assumption {
    /// The record's key that was missing (`locked`, `OS-EXT-SRV-ATTR:host`, …).
    pub field: &'static str,
    /// What was assumed, in words.
    pub assumed: &'static str,
}

/// The answer to "may this action run on this instance?".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The compute API method checked.
    pub action: Action,
    /// The REST entry whose rules and messages applied.
    pub rest: &'static str,
    /// True when Nova would accept the request.
    pub allowed: bool,
    /// Every check that fails, in the order Nova runs them; Nova returns the first.
    pub denials: Vec<Denial>,
    /// Facts the server record lacked and how they were assumed.
    pub assumptions: Vec<Assumption>,
}

/// Which check refused, before the refusal is put into words (see [`Decision::denial`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The REST entry does not exist at the request's microversion (HTTP 404).
    Microversion,
    /// The server is deleted, so Nova's API does not find it (HTTP 404).
    NotFound,
    /// The rule's guard at this index in [`Rule::guards`] failed.
    Guard(usize),
}

/// The most refusals one check can give: every guard of the longest rule, plus the
/// microversion and not-found ones.
const MAX_REFUSED: usize = {
    let mut most = 0;
    let mut i = 0;
    while i < crate::rules::RULES.len() {
        if crate::rules::RULES[i].guards.len() > most {
            most = crate::rules::RULES[i].guards.len();
        }
        i += 1;
    }
    most + 2
};

/// A verdict before its denials are put into words: what [`check`] decides, without
/// allocating. [`Decision::into_verdict`] writes it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The compute API method checked (a REST name may resolve to another row).
    pub action: Action,
    /// The REST entry whose rules and messages apply.
    pub rest: &'static Rest,
    refused: [Refused; MAX_REFUSED],
    count: usize,
}

impl Decision {
    /// The refusals, in the order Nova runs its checks.
    pub fn refused(&self) -> &[Refused] {
        &self.refused[..self.count]
    }

    /// True when Nova would accept the request.
    pub fn allowed(&self) -> bool {
        self.count == 0
    }

    fn push(&mut self, refused: Refused) {
        self.refused[self.count] = refused;
        self.count += 1;
    }

    /// Which check gave one of [`Decision::refused`] (a deleted server's is its vm state).
    pub fn kind(&self, refused: Refused) -> DenialKind {
        match refused {
            Refused::Microversion => DenialKind::Microversion,
            Refused::NotFound => DenialKind::VmState,
            Refused::Guard(i) => guard_kind(&self.action.rule().guards[i]),
        }
    }

    /// The denial for one of [`Decision::refused`], in Nova's words, naming `instance`.
    pub fn denial(&self, refused: Refused, instance: &Instance, context: &Context) -> Denial {
        let rule = self.action.rule();
        match refused {
            Refused::Microversion => microversion_denial(self.action, self.rest, context),
            Refused::NotFound => not_found_denial(rule, instance),
            Refused::Guard(i) => {
                let mut denial = guard_denial(&rule.guards[i], rule, self.rest, instance);
                if denial.http_status == 500 && context.release != Release::LATEST {
                    // The text of an uncaught error names the release's support contact.
                    denial.message = denial.message.replacen(
                        Release::LATEST.support_text(),
                        context.release.support_text(),
                        1,
                    );
                }
                denial
            }
        }
    }

    /// The whole verdict, every denial put into words; no assumptions yet.
    pub fn into_verdict(self, instance: &Instance, context: &Context) -> Verdict {
        Verdict {
            action: self.action,
            rest: self.rest.name,
            allowed: self.allowed(),
            denials: self
                .refused()
                .iter()
                .map(|&r| self.denial(r, instance, context))
                .collect(),
            assumptions: Vec::new(),
        }
    }
}

/// Decides `action`, reached through its REST entry `via` (or the first one available at the
/// microversion), for `instance`: which of Nova's checks refuse it, in Nova's order.
pub fn decide(
    action: Action,
    via: Option<&'static Rest>,
    instance: &Instance,
    context: &Context,
) -> Decision {
    // A REST name shared by versions of one handler reaches the row that exists at this version.
    let (action, via) = match via {
        Some(rest) if !rest.exists_at(context.microversion) => {
            Action::reached_by(rest.name, context.microversion)
                // Entries whose ranges overlap are not versions of one handler but rows the
                // body tells apart (remote-consoles' protocols): no redirect.
                .filter(|(_, other)| !ranges_overlap(rest, other))
                .map_or((action, via), |(a, r)| (a, Some(r)))
        }
        _ => (action, via),
    };
    let rule = action.rule();
    let rest = via.unwrap_or_else(|| rule.rest_at(context.microversion).unwrap_or(&rule.rest[0]));
    let mut decision = Decision {
        action,
        rest,
        refused: [Refused::NotFound; MAX_REFUSED],
        count: 0,
    };
    let missing = !rest.exists_in(context.release, context.microversion);
    // An entry the release dropped keeps a handler that answers 400; a route of its own
    // (`POST /servers/{id}/remote-consoles`) looks the server up before that, a server action
    // does not.
    let dropped_route = missing
        && rest.exists_at(context.microversion)
        && context.microversion <= context.release.max_microversion()
        && rest.name.contains(' ')
        && !rdp_schema_refuses(action, rest, context);
    if missing && !dropped_route {
        decision.push(Refused::Microversion);
    }
    let deleted = instance.vm_state == VmState::Deleted;
    if deleted {
        decision.push(Refused::NotFound);
    }
    if dropped_route {
        decision.push(Refused::Microversion);
    }
    for (i, guard) in rule.guards.iter().enumerate() {
        // A deleted server's vm state is reported once, as not found.
        let reported = deleted && matches!(guard, Guard::VmStateIn(_) | Guard::VmStateNotIn(_));
        if !reported && !guard_passes(guard, instance, context) {
            decision.push(Refused::Guard(i));
        }
    }
    decision
}

/// Whether the release's remote-consoles schema refuses protocol rdp (before any lookup).
fn rdp_schema_refuses(action: Action, rest: &Rest, context: &Context) -> bool {
    action == Action::GetRdpConsole
        && rest.name.contains(' ')
        && rest.exists_at(context.microversion)
        && !context.release.remote_console_schema_takes_rdp()
}

/// Whether two REST entries exist at some common microversion.
fn ranges_overlap(a: &Rest, b: &Rest) -> bool {
    let a_max = a.max.unwrap_or(Microversion::LATEST);
    let b_max = b.max.unwrap_or(Microversion::LATEST);
    a.min <= b_max && b.min <= a_max
}

/// Checks `action`, reached through its REST entry `via` (or the first one available at the
/// microversion), against `instance`: every refusal in Nova's words. The verdict lists no
/// assumptions; [`crate::check_record`] adds a record's.
pub fn check(
    action: Action,
    via: Option<&'static Rest>,
    instance: &Instance,
    context: &Context,
) -> Verdict {
    decide(action, via, instance, context).into_verdict(instance, context)
}

/// The vm and task states a rule's guards accept, as bitmasks: bit `i` of `vm` for
/// `VmState::ALL[i]`; bit 0 of `task` for no task, bit `i + 1` for `TaskState::ALL[i]`.
#[derive(Clone, Copy)]
struct Accepts {
    vm: u16,
    task: u128,
}

const fn vm_bits(states: &[VmState]) -> u16 {
    let mut bits = 0;
    let mut i = 0;
    while i < states.len() {
        bits |= 1 << states[i] as u16;
        i += 1;
    }
    bits
}

const fn task_bit(task: Option<TaskState>) -> u128 {
    match task {
        None => 1,
        Some(t) => 1 << (t as u32 + 1),
    }
}

const fn task_bits(tasks: &[TaskState]) -> u128 {
    let mut bits = 0;
    let mut i = 0;
    while i < tasks.len() {
        bits |= task_bit(Some(tasks[i]));
        i += 1;
    }
    bits
}

const fn accepts(rule: &Rule) -> Accepts {
    let mut out = Accepts {
        vm: u16::MAX,
        task: u128::MAX,
    };
    let mut g = 0;
    while g < rule.guards.len() {
        match rule.guards[g] {
            Guard::VmStateIn(states) => out.vm &= vm_bits(states),
            Guard::VmStateNotIn(states) => out.vm &= !vm_bits(states),
            Guard::TaskStateIn(tasks) => {
                let mut bits = 0;
                let mut i = 0;
                while i < tasks.len() {
                    bits |= task_bit(tasks[i]);
                    i += 1;
                }
                out.task &= bits;
            }
            Guard::TaskStateNotIn(tasks) => out.task &= !task_bits(tasks),
            _ => {}
        }
        g += 1;
    }
    out
}

/// [`Accepts`] of every rule, computed from the table at compile time.
static ACCEPTS: [Accepts; crate::rules::RULES.len()] = {
    const _: () = assert!(TaskState::ALL.len() < 127 && VmState::ALL.len() <= 16);
    let mut out = [Accepts { vm: 0, task: 0 }; crate::rules::RULES.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = accepts(&crate::rules::RULES[i]);
        i += 1;
    }
    out
};

/// True when `action` passes every check; the fast path behind `allowed_actions`, testing the
/// vm and task state against bitmasks made from the table.
pub fn is_allowed(action: Action, instance: &Instance, context: &Context) -> bool {
    let rule = action.rule();
    let accepts = ACCEPTS[action.index()];
    accepts.vm & (1 << instance.vm_state as u16) != 0
        && accepts.task & task_bit(instance.task_state) != 0
        && instance.vm_state != VmState::Deleted
        && rule
            .rest_at(context.microversion)
            .is_some_and(|r| r.exists_in(context.release, context.microversion))
        && rule.guards.iter().all(|g| match g {
            Guard::VmStateIn(_)
            | Guard::VmStateNotIn(_)
            | Guard::TaskStateIn(_)
            | Guard::TaskStateNotIn(_) => true,
            other => guard_passes(other, instance, context),
        })
}

/// Every action Nova would accept for `instance`, in table order.
pub fn allowed_actions(instance: &Instance, context: &Context) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|&a| is_allowed(a, instance, context))
        .collect()
}

fn guard_passes(guard: &Guard, instance: &Instance, context: &Context) -> bool {
    match *guard {
        Guard::Lock => !instance.locked || context.admin,
        Guard::Host { except, .. } => instance.has_host || except.contains(&instance.vm_state),
        Guard::VmStateIn(states) => states.contains(&instance.vm_state),
        Guard::VmStateNotIn(states) => !states.contains(&instance.vm_state),
        Guard::TaskStateIn(tasks) => tasks.contains(&instance.task_state),
        Guard::TaskStateNotIn(tasks) => instance.task_state.is_none_or(|t| !tasks.contains(&t)),
        Guard::Launched => instance.launched,
        Guard::VmStateSince(states, since) => {
            context.microversion >= since || !states.contains(&instance.vm_state)
        }
    }
}

/// Which check a guard is, as its denial names it.
fn guard_kind(guard: &Guard) -> DenialKind {
    match guard {
        Guard::Lock => DenialKind::Locked,
        Guard::Host { .. } => DenialKind::Host,
        Guard::VmStateIn(_) | Guard::VmStateNotIn(_) | Guard::VmStateSince(..) => {
            DenialKind::VmState
        }
        Guard::TaskStateIn(_) | Guard::TaskStateNotIn(_) => DenialKind::TaskState,
        Guard::Launched => DenialKind::LaunchedAt,
    }
}

/// The denial of a guard that failed.
fn guard_denial(guard: &Guard, rule: &Rule, rest: &Rest, instance: &Instance) -> Denial {
    let id = instance.id_or_placeholder();
    let (actual, expected): (&'static str, Vec<Cow<'static, str>>) = match *guard {
        Guard::Lock => ("True", vec!["False".into()]),
        Guard::Host { .. } => ("None", vec!["a compute host".into()]),
        Guard::VmStateIn(_) | Guard::VmStateNotIn(_) => (
            instance.vm_state.as_str(),
            rule.accepted_vm_states()
                .map(|s| s.as_str().into())
                .collect(),
        ),
        Guard::TaskStateIn(_) | Guard::TaskStateNotIn(_) => (
            task_str(instance.task_state),
            rule.accepted_task_states()
                .map(|t| task_str(t).into())
                .collect(),
        ),
        Guard::VmStateSince(states, _) => (
            instance.vm_state.as_str(),
            rule.accepted_vm_states()
                .filter(|s| !states.contains(s))
                .map(|s| s.as_str().into())
                .collect(),
        ),
        Guard::Launched => ("None", vec!["a launch time".into()]),
    };
    let kind = guard_kind(guard);
    let (message, http_status) = rest.refusal.message(kind, actual, id);
    let (reason, text) = guard_reason(guard, rule.action, instance, &expected);
    Denial {
        kind,
        actual: actual.into(),
        expected,
        reason,
        text,
        message,
        http_status,
    }
}

/// The reason code and sentence of a guard that failed; `expected` is what the guard accepts.
fn guard_reason(
    guard: &Guard,
    action: Action,
    instance: &Instance,
    expected: &[Cow<'static, str>],
) -> (Reason, String) {
    let accepted = || expected.join(", ");
    match *guard {
        Guard::Lock => (Reason::Locked, "the server is locked".into()),
        Guard::Host { .. } => (Reason::NoHost, "the server has no compute host".into()),
        Guard::Launched => (Reason::NotLaunched, "the server was never launched".into()),
        Guard::VmStateIn(_) | Guard::VmStateNotIn(_) => (
            Reason::VmState,
            format!(
                "the server is {}; {action} needs {}",
                instance.vm_state,
                accepted()
            ),
        ),
        Guard::VmStateSince(_, since) => (
            Reason::VmStateMicroversion,
            format!(
                "{action} of a {} server needs microversion {since} or newer",
                instance.vm_state
            ),
        ),
        Guard::TaskStateIn(_) | Guard::TaskStateNotIn(_) => (
            Reason::TaskState,
            match instance.task_state {
                Some(task) => format!("a task is running ({task}); {action} waits for it to end"),
                None => format!(
                    "{action} is only for a server with a task running ({})",
                    accepted()
                ),
            },
        ),
    }
}

/// Nova's API looks servers up without deleted records, so a deleted server is not found
/// (`common.get_instance`, HTTP 404) before any decorator runs.
fn not_found_denial(rule: &Rule, instance: &Instance) -> Denial {
    // The assisted volume snapshot handlers look the server up by volume: a deleted server's
    // volume mapping is gone, and they answer 400 naming the volume.
    let (message, http_status) = match rule.action {
        Action::VolumeSnapshotCreate | Action::VolumeSnapshotDelete => (
            "No volume Block Device Mapping with id <volume_id>.".to_string(),
            400,
        ),
        _ => (
            format!(
                "Instance {} could not be found.",
                instance.id_or_placeholder()
            ),
            404,
        ),
    };
    Denial {
        kind: DenialKind::VmState,
        actual: VmState::Deleted.as_str().into(),
        expected: rule
            .accepted_vm_states()
            .map(|s| s.as_str().into())
            .collect(),
        reason: Reason::NotFound,
        text: "the server is deleted".into(),
        message,
        http_status,
    }
}

/// The denial of a REST entry the request cannot reach: a microversion the entry does not
/// have (404), one above the release's newest (406, Nova's `InvalidGlobalAPIVersion`), or an
/// entry the release no longer has (its handler stayed and answers 400, as `get_rdp_console`'s
/// did from 2024.1).
fn microversion_denial(action: Action, rest: &Rest, context: &Context) -> Denial {
    let asked = context.microversion;
    let release = context.release;
    let mut expected = format!("{} or newer", rest.min);
    if let Some(max) = rest.max {
        expected = format!("{} to {}", rest.min, max);
    }
    // A route other rows reach at this microversion, whose request schema does not yet take
    // this action's protocol (`mks` on remote-consoles before 2.8): Nova's schema error.
    let schema_refuses = !rest.exists_at(asked)
        && Action::reached_by(rest.name, asked).is_some()
        && action == Action::GetMksConsole;
    let (text, message, http_status) = if asked > release.max_microversion() {
        let max = release.max_microversion();
        (
            format!("release {release} serves microversions up to {max}; the request uses {asked}"),
            format!(
                "Version {asked} is not supported by the API. Minimum is 2.1 and maximum is {max}."
            ),
            406,
        )
    } else if schema_refuses {
        (
            format!(
                "{} takes protocol mks from 2.8; the request uses {asked}",
                rest.name
            ),
            format!(
                "Invalid input for field/attribute protocol. Value: mks. 'mks' is not one of {}",
                release.remote_console_protocols_before_mks()
            ),
            400,
        )
    } else if rdp_schema_refuses(action, rest, context) {
        let protocols = if asked >= Microversion::v2(8) {
            "['vnc', 'spice', 'serial', 'mks']"
        } else {
            release.remote_console_protocols_before_mks()
        };
        (
            format!("{} does not take protocol rdp in {release}", rest.name),
            format!(
                "Invalid input for field/attribute protocol. Value: rdp. 'rdp' is not one of {protocols}"
            ),
            400,
        )
    } else if rest.exists_at(asked) && !rest.releases.contains(release) {
        (
            format!(
                "{} exists in {} only; the request is for {release}",
                rest.name,
                rest.releases.describe()
            ),
            "The server could not comply with the request since it is either malformed or otherwise incorrect.".into(),
            400,
        )
    } else {
        (
            format!(
                "{} needs microversion {expected}; the request uses {asked}",
                rest.name
            ),
            "The resource could not be found.".into(),
            404,
        )
    };
    Denial {
        kind: DenialKind::Microversion,
        actual: asked.to_wire().into(),
        expected: vec![expected.into()],
        reason: Reason::Microversion,
        text,
        message,
        http_status,
    }
}
