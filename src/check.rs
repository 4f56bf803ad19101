//! Checking one action against an instance's facts: the verdict Nova's API would reach.

use crate::prelude::*;

use alloc::borrow::Cow;

use serde::Serialize;

use crate::microversion::Microversion;
use crate::nova_policy::{Asks, LockedBy, Place, RuleCheck, When};
use crate::policy::{DenyReason, Outcome, Why};
use crate::release::Release;
use crate::request::RequestBody;
use crate::rules::{task_bit, Action, DenialKind, Entry, Guard, Reason, MAX_GUARDS, MAX_POLICY};
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
    /// The server's project (`tenant_id`), the policy target; unknown means the caller's own.
    pub project_id: Option<String>,
    /// The server's user (`user_id`), the policy target; unknown means the caller's own.
    pub user_id: Option<String>,
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
            project_id: None,
            user_id: None,
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

/// Who asks, through which API version, and what the request says.
#[derive(Clone, Copy, Default)]
pub struct Context<'a> {
    /// An admin may act on a locked instance. Ignored when `caller` is given: then the
    /// caller's `context_is_admin` decides.
    pub admin: bool,
    /// The request's microversion; defaults to the newest.
    pub microversion: Microversion,
    /// The Nova release whose rules apply; defaults to the newest. A microversion above the
    /// release's maximum is refused like one the REST entry does not have (HTTP 404 here;
    /// [`Release::check_microversion`] gives the error to show for such input).
    pub release: Release,
    /// Who asks: with a caller, Nova's policy is checked (and its `context_is_admin` is the
    /// admin flag); without one, no policy is checked.
    pub caller: Option<&'a dyn Asks>,
    /// What the request body says, where it matters.
    pub body: RequestBody,
    /// Who locked the server (not in Nova's server record); unknown when `None`.
    pub locked_by: Option<LockedBy>,
}

impl PartialEq for Context<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.admin == other.admin
            && self.microversion == other.microversion
            && self.release == other.release
            && match (self.caller, other.caller) {
                (None, None) => true,
                (Some(a), Some(b)) => core::ptr::addr_eq(a, b),
                _ => false,
            }
            && self.body == other.body
            && self.locked_by == other.locked_by
    }
}

impl Eq for Context<'_> {}

impl core::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Context")
            .field("admin", &self.admin)
            .field("microversion", &self.microversion)
            .field("release", &self.release)
            .field("caller", &self.caller.map(|c| c.release()))
            .field("body", &self.body)
            .field("locked_by", &self.locked_by)
            .finish()
    }
}

impl<'a> Context<'a> {
    /// The context of a request to a cloud running `release`, at its newest microversion.
    pub fn for_release(release: Release) -> Context<'static> {
        Context {
            admin: false,
            microversion: release.max_microversion(),
            release,
            caller: None,
            body: RequestBody::default(),
            locked_by: None,
        }
    }

    /// The context of `caller`'s requests: its release, at the release's newest microversion.
    pub fn for_caller(caller: &'a dyn Asks) -> Context<'a> {
        Context {
            caller: Some(caller),
            ..Context::for_release(caller.release())
        }
    }

    /// Whether the caller counts as an admin (the lock override): `context_is_admin` of the
    /// caller when there is one, else [`Context::admin`].
    pub fn is_admin(&self) -> bool {
        self.caller.map_or(self.admin, |c| c.is_admin())
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
    /// The policy rule that refused it (kind `policy`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
}

/// A policy rule this crate cannot decide for the request: the verdict is neither allowed nor
/// refused by it. A button may show the action as "may be refused".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Undecided {
    /// The rule.
    pub rule: &'static str,
    /// Always [`Reason::PolicyUndecided`].
    pub reason: Reason,
    /// Why, as a stable code: `http-check` (the deployment's server decides), `raises`
    /// (oslo.policy would raise: Nova answers 500), `locked-by-unknown` (`unlock_override`
    /// depends on who locked the server; pass `locked_by`), `unsupported`.
    pub why: &'static str,
    /// Why, for a person.
    pub text: String,
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
    /// Policy rules that could not be decided; `allowed` is false while any is left.
    pub undecided: Vec<Undecided>,
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
    /// The caller is not an admin and not of the server's project: Nova's lookup does not
    /// find the server (HTTP 404).
    NotVisible,
    /// A policy rule refuses the caller (HTTP 403), or cannot be decided.
    Policy(PolicyRefusal),
    /// evacuate of a server without a host, naming no target host (HTTP 400).
    EvacuateNoHost,
    /// unshelve naming an availability zone or host of a server not offloaded (HTTP 409).
    UnshelveDestination,
    /// The rule's guard at this index in [`crate::Rule::guards`] failed.
    Guard(usize),
}

/// A policy check that did not pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyRefusal {
    /// The rule.
    pub rule: &'static str,
    /// How it did not pass.
    pub why: PolicyWhy,
}

/// How a policy check did not pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyWhy {
    /// The check string refused (HTTP 403).
    Denied,
    /// The token's scope is not among the rule's scope types (HTTP 403).
    Scope,
    /// Undecided: only something this crate cannot see decides.
    Undecided(Why),
    /// Undecided: oslo.policy would raise (Nova answers 500).
    Raises(Why),
    /// Undecided: `unlock_override` is checked only when the other party locked the server,
    /// and who locked it is unknown.
    LockedByUnknown,
}

impl PolicyWhy {
    /// Whether this is a refusal (HTTP 403) rather than an undecided rule.
    pub fn is_refusal(self) -> bool {
        matches!(self, PolicyWhy::Denied | PolicyWhy::Scope)
    }
}

/// The most refusals one check can give: every guard of the longest rule, every policy check,
/// plus the microversion, not-found, not-visible and request-body ones.
const MAX_REFUSED: usize = MAX_GUARDS + MAX_POLICY + 5;

/// A verdict before its denials are put into words: what [`check`] decides, without
/// allocating. [`Decision::into_verdict`] writes it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The compute API method checked (a REST name may resolve to another row).
    pub action: Action,
    /// The REST entry whose rules and messages apply.
    pub rest: &'static Entry,
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
            Refused::NotVisible | Refused::Policy(_) => DenialKind::Policy,
            Refused::EvacuateNoHost => DenialKind::Host,
            Refused::UnshelveDestination => DenialKind::VmState,
            Refused::Guard(i) => self
                .action
                .guards()
                .get(i)
                .map_or(DenialKind::VmState, guard_kind),
        }
    }

    /// The denial for one of [`Decision::refused`], in Nova's words, naming `instance` (for an
    /// undecided rule, the denial it stands for).
    pub fn denial(&self, refused: Refused, instance: &Instance, context: &Context) -> Denial {
        let mut written = Written::default();
        self.write(refused, instance, context, &mut written);
        written
            .denials
            .pop()
            .unwrap_or_else(|| blank(DenialKind::Policy, Reason::Policy))
    }

    /// The undecided rule of one of [`Decision::refused`], if it is one.
    pub fn undecided(&self, refused: Refused) -> Option<Undecided> {
        let Refused::Policy(p) = refused else {
            return None;
        };
        let mut written = Written::default();
        undecided_words(p, &mut written);
        written.settle();
        written.undecided.pop()
    }

    /// Puts one of [`Decision::refused`] into words, naming `instance`: for an undecided
    /// rule, the rule ([`Words::undecided`]) and then the denial it stands for.
    pub fn write(
        &self,
        refused: Refused,
        instance: &Instance,
        context: &Context,
        out: &mut dyn Words,
    ) {
        let action = self.action;
        let id = instance.id_or_placeholder();
        let guard = match refused {
            Refused::Guard(i) => action.guards().get(i),
            _ => None,
        };
        let status = match (refused, guard) {
            (Refused::Microversion, _) => {
                return microversion_words(action, self.rest, context, out)
            }
            (Refused::Policy(p), _) => return policy_words(p, None, context, out),
            (Refused::NotVisible, _) => {
                out.denial(DenialKind::Policy, Reason::NotVisible);
                fill(
                    out,
                    "the server belongs to another project, which this caller cannot see|another project|the caller's project, or an admin|",
                    &[],
                );
                fill(out, NOT_FOUND, &[id]);
                404
            }
            (Refused::EvacuateNoHost, _) => {
                out.denial(DenialKind::Host, Reason::NoHost);
                fill(
                    out,
                    "the server has no host and the request names no target host|None|a compute host, or a target host in the request|The target host can't be the same one.",
                    &[],
                );
                400
            }
            (Refused::UnshelveDestination, _) => {
                out.denial(DenialKind::VmState, Reason::VmState);
                fill(
                    out,
                    "an availability zone or host can be chosen only for an offloaded server|{0}|{1}|Specifying an availability zone or a host when unshelving server \"{2}\" with status \"{0}\" is not supported. The server status must be SHELVED_OFFLOADED.",
                    &[instance.vm_state.as_str(), VmState::ShelvedOffloaded.as_str(), id],
                );
                409
            }
            (Refused::NotFound, _) | (Refused::Guard(_), None) => {
                out.denial(DenialKind::VmState, Reason::NotFound);
                fill(
                    out,
                    "the server is deleted|{0}|",
                    &[VmState::Deleted.as_str()],
                );
                accepted(action, false, &[], true, out);
                out.end();
                // The assisted volume snapshot handlers look the server up by volume: a
                // deleted server's volume mapping is gone, and they answer 400 naming it.
                match action {
                    Action::VolumeSnapshotCreate | Action::VolumeSnapshotDelete => {
                        out.push("No volume Block Device Mapping with id <volume_id>.");
                        400
                    }
                    _ => {
                        fill(out, NOT_FOUND, &[id]);
                        404
                    }
                }
            }
            (Refused::Guard(_), Some(guard)) => {
                guard_words(guard, action, self.rest, instance, context.release, out)
            }
        };
        close(status, None, out);
    }

    /// The whole verdict, every denial put into words, with the assumptions the request's
    /// context made (see [`context_assumptions`]); none of the record's yet.
    pub fn into_verdict(self, instance: &Instance, context: &Context) -> Verdict {
        let mut written = Written::default();
        for &r in self.refused() {
            // A rule that cannot be decided may refuse: a denial too (reason
            // `policy-undecided`), so a refused verdict always has one.
            self.write(r, instance, context, &mut written);
        }
        Verdict {
            action: self.action,
            rest: self.rest.name(),
            allowed: written.denials.is_empty() && written.undecided.is_empty(),
            denials: written.denials,
            undecided: written.undecided,
            assumptions: context_assumptions(self.action, self.rest, instance, context).collect(),
        }
    }
}

/// Decides `action`, reached through its REST entry `via` (or the first one available at the
/// microversion), for `instance`: which of Nova's checks refuse it, in Nova's order.
pub fn decide(
    action: Action,
    via: Option<&'static Entry>,
    instance: &Instance,
    context: &Context,
) -> Decision {
    // A REST name shared by versions of one handler reaches the row that exists at this version.
    let (action, via) = match via {
        Some(rest) if !rest.exists_at(context.microversion) => {
            Action::reached_by_name_of(rest, context.microversion)
                // Entries whose ranges overlap are not versions of one handler but rows the
                // body tells apart (remote-consoles' protocols): no redirect.
                .filter(|(_, other)| !ranges_overlap(rest, other))
                .map_or((action, via), |(a, r)| (a, Some(r)))
        }
        _ => (action, via),
    };
    let rest = via
        .or_else(|| action.entry_at(context.microversion))
        .unwrap_or_else(|| action.main_entry());
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
        && rest.is_route()
        && !rdp_schema_refuses(action, rest, context);
    if missing && !dropped_route {
        decision.push(Refused::Microversion);
    }
    // Without a handler to reach, no policy is checked.
    let caller = context.caller.filter(|_| !missing || dropped_route);
    debug_assert_eq!(
        !missing || dropped_route,
        handler_reached(action, rest, context)
    );
    if let Some(caller) = caller {
        check_policy(
            &mut decision,
            Place::BeforeLookup,
            caller,
            instance,
            context,
        );
    }
    let deleted = instance.vm_state == VmState::Deleted;
    if deleted {
        decision.push(Refused::NotFound);
    } else if let Some(caller) = caller {
        // The assisted volume snapshot handlers find the server through its volume, which
        // is not filtered by project.
        let by_volume = matches!(
            action,
            Action::VolumeSnapshotCreate | Action::VolumeSnapshotDelete
        );
        if !by_volume && !caller.sees(instance.project_id.as_deref()) {
            decision.push(Refused::NotVisible);
            return decision;
        }
    }
    if let Some(caller) = caller {
        check_policy(&mut decision, Place::AfterLookup, caller, instance, context);
    }
    if dropped_route {
        decision.push(Refused::Microversion);
    }
    let body = &context.body;
    if action == Action::Evacuate && !body.target_host.unwrap_or(false) && !instance.has_host {
        decision.push(Refused::EvacuateNoHost);
    }
    for (i, guard) in action.guards().iter().enumerate() {
        // A deleted server's vm state is reported once, as not found.
        let reported = deleted && matches!(guard, Guard::VmStateIn(_) | Guard::VmStateNotIn(_));
        if !reported && !guard_passes(guard, instance, context) {
            decision.push(Refused::Guard(i));
        }
    }
    if action == Action::Unshelve
        && (body.unshelve_destination || body.unshelve_host)
        && instance.vm_state != VmState::ShelvedOffloaded
        && context.microversion >= Microversion::v2(77)
    {
        decision.push(Refused::UnshelveDestination);
    }
    if let Some(caller) = caller {
        check_policy(
            &mut decision,
            Place::AfterStateCheck,
            caller,
            instance,
            context,
        );
    }
    decision
}

/// Whether a policy check's condition holds for a request of `context` about `instance` by a
/// caller of `caller_project`; `None` when it depends on a fact not known (who locked the
/// server).
pub fn policy_condition(
    check: &RuleCheck,
    caller_project: Option<&str>,
    instance: &Instance,
    context: &Context,
) -> Option<bool> {
    let body = &context.body;
    let host = body.target_host.unwrap_or(false);
    Some(match check.when {
        When::Always => true,
        When::HostNamed => host,
        When::NoHostNamed => !host,
        When::UnshelveToHost => body.unshelve_host && context.microversion >= Microversion::v2(91),
        When::TrustedCerts => body.trusted_certs && context.microversion >= Microversion::v2(63),
        When::VolumeUpdate => body.volume_update,
        When::VolumeSwap => !body.volume_update,
        When::LockedByOther => {
            if !instance.locked {
                return Some(false);
            }
            let owner = instance
                .project_id
                .as_deref()
                .is_none_or(|p| Some(p) == caller_project);
            let expected = if owner {
                LockedBy::Owner
            } else {
                LockedBy::Admin
            };
            return context.locked_by.map(|by| by != expected);
        }
    })
}

/// Evaluates the action's policy checks that sit at `place`, pushing those that do not pass.
fn check_policy(
    decision: &mut Decision,
    place: Place,
    caller: &dyn Asks,
    instance: &Instance,
    context: &Context,
) {
    let entry = decision.rest;
    for check in decision.action.policy_checks() {
        if check.place != place || !check.applies_to(entry, context.release) {
            continue;
        }
        if let Some(why) = policy_refusal(check, caller, instance, context) {
            decision.push(Refused::Policy(PolicyRefusal {
                rule: check.rule.name(),
                why,
            }));
        }
    }
}

/// How one applicable policy check does not pass for `caller`, or `None` when it passes (its
/// condition does not hold, or the rule allows).
fn policy_refusal(
    check: &RuleCheck,
    caller: &dyn Asks,
    instance: &Instance,
    context: &Context,
) -> Option<PolicyWhy> {
    let holds = policy_condition(check, caller.project_id(), instance, context);
    if holds == Some(false) {
        return None;
    }
    let outcome = caller.authorize(
        check.rule,
        check.target,
        instance.project_id.as_deref(),
        instance.user_id.as_deref(),
    );
    Some(match outcome {
        Outcome::Allow => return None,
        // Whoever locked it, this caller may override: decided.
        _ if holds.is_none() => PolicyWhy::LockedByUnknown,
        Outcome::Deny(DenyReason::Scope(_)) => PolicyWhy::Scope,
        Outcome::Deny(_) => PolicyWhy::Denied,
        Outcome::Undecided(b) => PolicyWhy::Undecided(b.why),
        Outcome::Raises(b) => PolicyWhy::Raises(b.why),
    })
}

/// The facts of the request the check assumed: no target host named for evacuate (a
/// dashboard's default request), and, with a caller, the server's project and user when the
/// instance does not say them.
pub fn context_assumptions(
    action: Action,
    rest: &Entry,
    instance: &Instance,
    context: &Context,
) -> impl Iterator<Item = Assumption> {
    let bits = context_assumption_bits(action, rest, instance, context);
    CONTEXT_ASSUMPTIONS
        .into_iter()
        .enumerate()
        .filter(move |(i, _)| bits & 1 << i != 0)
        .map(|(_, a)| a)
}

/// [`context_assumptions`] as bits: bit `i` for `CONTEXT_ASSUMPTIONS[i]`.
pub fn context_assumption_bits(
    action: Action,
    rest: &Entry,
    instance: &Instance,
    context: &Context,
) -> u32 {
    let names_host = action == Action::Evacuate
        || (context.caller.is_some()
            && (action == Action::LiveMigrate
                || rest.name_code() == const { crate::rules::name_code("migrate") }));
    let policy = context.caller.is_some();
    u32::from(names_host && context.body.target_host.is_none())
        | u32::from(policy && instance.project_id.is_none()) << 1
        | u32::from(policy && instance.user_id.is_none()) << 2
}

/// Every assumption [`context_assumptions`] can make, in the order it lists them.
pub const CONTEXT_ASSUMPTIONS: [Assumption; 3] = [
    ASSUMED_NO_TARGET_HOST,
    ASSUMED_OWN_PROJECT,
    ASSUMED_OWN_USER,
];

/// Assumed when an evacuate (or migrate) request does not say whether it names a host.
pub const ASSUMED_NO_TARGET_HOST: Assumption = Assumption {
    field: "targetHost",
    assumed: "the request names no target host (a dashboard's default request)",
};

/// Assumed when the record lacks `tenant_id` and a caller asks.
pub const ASSUMED_OWN_PROJECT: Assumption = Assumption {
    field: "tenant_id",
    assumed: "the server is in the caller's project",
};

/// Assumed when the record lacks `user_id` and a caller asks.
pub const ASSUMED_OWN_USER: Assumption = Assumption {
    field: "user_id",
    assumed: "the server belongs to the calling user",
};

/// Whether a request for `action` through `rest` reaches a handler of the release (which
/// then checks its policy): the entry exists, or the release dropped it but kept a route that
/// looks the server up and answers 400.
pub fn handler_reached(action: Action, rest: &Entry, context: &Context) -> bool {
    let missing = !rest.exists_in(context.release, context.microversion);
    !missing
        || (rest.exists_at(context.microversion)
            && context.microversion <= context.release.max_microversion()
            && rest.is_route()
            && !rdp_schema_refuses(action, rest, context))
}

/// Whether the release's remote-consoles schema refuses protocol rdp (before any lookup).
fn rdp_schema_refuses(action: Action, rest: &Entry, context: &Context) -> bool {
    action == Action::GetRdpConsole
        && rest.is_route()
        && rest.exists_at(context.microversion)
        && !context.release.remote_console_schema_takes_rdp()
}

/// Whether two REST entries exist at some common microversion.
fn ranges_overlap(a: &Entry, b: &Entry) -> bool {
    let a_max = a.max.unwrap_or(Microversion::LATEST);
    let b_max = b.max.unwrap_or(Microversion::LATEST);
    a.min <= b_max && b.min <= a_max
}

/// Checks `action`, reached through its REST entry `via` (or the first one available at the
/// microversion), against `instance`: every refusal in Nova's words. The verdict lists no
/// assumptions; [`crate::check_record`] adds a record's.
pub fn check(
    action: Action,
    via: Option<&'static Entry>,
    instance: &Instance,
    context: &Context,
) -> Verdict {
    decide(action, via, instance, context).into_verdict(instance, context)
}

/// True when `action` passes every check; the fast path behind `allowed_actions`, testing the
/// vm and task state against bitmasks made from the table, and for a caller, the lookup and
/// each policy check the request reaches (a decision of its own only with a request body).
pub fn is_allowed(action: Action, instance: &Instance, context: &Context) -> bool {
    if context.body != RequestBody::default() {
        return decide(action, None, instance, context).allowed();
    }
    let accepts = action.accepts();
    let evacuate_refused = action == Action::Evacuate && !instance.has_host;
    let Some(rest) = action.entry_at(context.microversion) else {
        return false;
    };
    let states = !evacuate_refused
        && accepts.vm & (1 << instance.vm_state as u16) != 0
        && accepts.task & task_bit(instance.task_state) != 0
        && rest.exists_in(context.release, context.microversion)
        && action.guards().iter().all(|g| match g {
            Guard::VmStateIn(_)
            | Guard::VmStateNotIn(_)
            | Guard::TaskStateIn(_)
            | Guard::TaskStateNotIn(_) => true,
            other => guard_passes(other, instance, context),
        });
    // With the states accepted, the entry exists and is reached: `decide` adds only the
    // lookup's 404 (not for the handlers that find the server by its volume) and the
    // policy checks, at whichever place.
    let Some(caller) = context.caller.filter(|_| states) else {
        return states;
    };
    let by_volume = matches!(
        action,
        Action::VolumeSnapshotCreate | Action::VolumeSnapshotDelete
    );
    (by_volume || caller.sees(instance.project_id.as_deref()))
        && action.policy_checks().iter().all(|check| {
            !check.applies_to(rest, context.release)
                || policy_refusal(check, caller, instance, context).is_none()
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
        Guard::Lock => !instance.locked || context.is_admin(),
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

/// Where the words of refusals go, as [`Decision::write`] gives them: for an undecided rule,
/// [`Words::undecided`] and then its text; for each denial, [`Words::denial`], then its text,
/// its actual value, the values it accepts (separated by [`Words::item`]), Nova's message and
/// the HTTP status in digits, each ended by [`Words::end`], and last [`Words::close`].
pub trait Words {
    /// Begins an undecided rule (its reason is [`Reason::PolicyUndecided`]); its text follows.
    fn undecided(&mut self, rule: &'static str, why: &'static str);
    /// Begins a denial.
    fn denial(&mut self, kind: DenialKind, reason: Reason);
    /// Appends to the field being written.
    fn push(&mut self, text: &str);
    /// Ends one of the accepted values; another follows.
    fn item(&mut self);
    /// Ends a field.
    fn end(&mut self);
    /// Ends the denial, whose HTTP status was its last field, with the policy rule that
    /// refused, if one did.
    fn close(&mut self, http_status: u16, rule: Option<&'static str>);
}

/// Nova's 404 of a server it does not find (with [`fill`], the id as argument 0).
const NOT_FOUND: &str = "Instance {0} could not be found.";

/// Writes `template`: `{N}` (one digit) is `args[N]`, `|` ends a field.
#[inline(never)]
pub(crate) fn fill(out: &mut dyn Words, template: &str, args: &[&str]) {
    let bytes = template.as_bytes();
    let (mut start, mut i) = (0, 0);
    while let Some(&b) = bytes.get(i) {
        if b != b'|' && b != b'{' {
            i += 1;
            continue;
        }
        out.push(template.get(start..i).unwrap_or_default());
        if b == b'|' {
            out.end();
            i += 1;
        } else {
            let n = bytes.get(i + 1).map_or(0, |d| d.wrapping_sub(b'0'));
            out.push(args.get(usize::from(n)).copied().unwrap_or_default());
            i += 3;
        }
        start = i;
    }
    out.push(template.get(start..).unwrap_or_default());
}

/// Writes the HTTP status as the denial's last field and ends it.
#[inline(never)]
fn close(http_status: u16, rule: Option<&'static str>, out: &mut dyn Words) {
    out.end();
    write_number(http_status, out);
    out.end();
    out.close(http_status, rule);
}

/// Writes `2.N`.
#[inline(never)]
fn write_wire(v: Microversion, out: &mut dyn Words) {
    out.push("2.");
    write_number(v.minor(), out);
}

/// Writes a decimal number.
fn write_number(n: u16, out: &mut dyn Words) {
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    if n >= 10 {
        write_number(n / 10, out);
    }
    out.push(DIGITS[usize::from(n % 10)]);
}

/// Writes the states `action` accepts (its task states with `task`, else its vm states but
/// `except`), as accepted values with `items`, else joined with `", "`.
#[inline(never)]
fn accepted(action: Action, task: bool, except: &[VmState], items: bool, out: &mut dyn Words) {
    let accepts = action.accepts();
    let except = except.iter().fold(0, |bits, &s| bits | 1 << s as u16);
    // Bit `i` is the state of index `i`; of task states, bit 0 is no task (all in 64 bits).
    const _: () = assert!(TaskState::ALL.len() < 64);
    let (bits, names, none) = if task {
        (accepts.task, TaskState::POOL, 1)
    } else {
        (u64::from(accepts.vm & !except), VmState::POOL, 0)
    };
    let mut first = true;
    for i in 0..names.len() + none {
        if bits >> i & 1 != 0 {
            let name = match i.checked_sub(none) {
                Some(i) => names.get(i),
                None => task_str(None),
            };
            separate(first, items, out);
            out.push(name);
            first = false;
        }
    }
}

/// Writes what comes before a value of a list, unless it is the `first`: an item's end with
/// `items`, else `", "`.
#[inline(never)]
fn separate(first: bool, items: bool, out: &mut dyn Words) {
    match (first, items) {
        (true, _) => {}
        (false, true) => out.item(),
        (false, false) => out.push(", "),
    }
}

/// A denial with its kind and reason, its words still to come.
fn blank(kind: DenialKind, reason: Reason) -> Denial {
    Denial {
        kind,
        actual: Cow::Borrowed(""),
        expected: Vec::new(),
        reason,
        text: String::new(),
        message: String::new(),
        http_status: 0,
        rule: None,
    }
}

/// The field [`Written`] writes while an undecided rule's text comes.
const UNDECIDED_TEXT: u8 = u8::MAX;

/// [`Words`] as [`Denial`]s and [`Undecided`]s.
#[derive(Default)]
struct Written {
    denials: Vec<Denial>,
    undecided: Vec<Undecided>,
    text: String,
    /// Which field of the last denial the text goes to: text, actual, expected, message,
    /// status; [`UNDECIDED_TEXT`] for the last undecided rule's text.
    field: u8,
    /// Whether the last denial's accepted values had an [`Words::item`].
    items: bool,
}

impl Written {
    /// Gives the last undecided rule its text, if it is being written.
    fn settle(&mut self) {
        if self.field == UNDECIDED_TEXT {
            if let Some(u) = self.undecided.last_mut() {
                u.text = core::mem::take(&mut self.text);
            }
            self.field = 0;
        }
    }
}

impl Words for Written {
    fn undecided(&mut self, rule: &'static str, why: &'static str) {
        self.settle();
        self.undecided.push(Undecided {
            rule,
            reason: Reason::PolicyUndecided,
            why,
            text: String::new(),
        });
        self.field = UNDECIDED_TEXT;
    }
    fn denial(&mut self, kind: DenialKind, reason: Reason) {
        self.settle();
        self.denials.push(blank(kind, reason));
        self.field = 0;
        self.items = false;
    }
    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }
    fn item(&mut self) {
        let text = core::mem::take(&mut self.text);
        if let Some(d) = self.denials.last_mut() {
            d.expected.push(text.into());
        }
        self.items = true;
    }
    fn end(&mut self) {
        let text = core::mem::take(&mut self.text);
        if let Some(d) = self.denials.last_mut() {
            match self.field {
                0 => d.text = text,
                1 => d.actual = text.into(),
                2 if self.items || !text.is_empty() => d.expected.push(text.into()),
                3 => d.message = text,
                _ => {}
            }
        }
        self.field += 1;
    }
    fn close(&mut self, http_status: u16, rule: Option<&'static str>) {
        if let Some(d) = self.denials.last_mut() {
            d.http_status = http_status;
            d.rule = rule;
        }
    }
}

/// The why code of an undecided rule's [`PolicyWhy`], `None` for a refusal.
fn undecided_why(why: PolicyWhy) -> Option<&'static str> {
    match why {
        PolicyWhy::Denied | PolicyWhy::Scope => None,
        PolicyWhy::Undecided(Why::Remote) => Some("http-check"),
        PolicyWhy::Undecided(_) => Some("unsupported"),
        PolicyWhy::Raises(_) => Some("raises"),
        PolicyWhy::LockedByUnknown => Some("locked-by-unknown"),
    }
}

/// Writes why an undecided rule could not be decided, for a person.
#[inline(never)]
fn undecided_text(why: PolicyWhy, out: &mut dyn Words) {
    let (template, arg) = match why {
        PolicyWhy::Denied | PolicyWhy::Scope => ("", ""),
        PolicyWhy::Undecided(Why::Remote) => {
            ("an http: check of the deployment's policy decides", "")
        }
        PolicyWhy::Undecided(w) => ("{0}", w.as_str()),
        PolicyWhy::Raises(w) => ("oslo.policy raises (Nova answers 500): {0}", w.as_str()),
        PolicyWhy::LockedByUnknown => (
            "checked only when the other party locked the server, and who locked it is unknown",
            "",
        ),
    };
    fill(out, template, &[arg]);
}

/// Writes the undecided rule of a policy check, if it is one.
fn undecided_words(p: PolicyRefusal, out: &mut dyn Words) {
    if let Some(why) = undecided_why(p.why) {
        out.undecided(p.rule, why);
        undecided_text(p.why, out);
    }
}

/// Writes the 403 of a policy rule that refused, or the undecided rule and the denial it
/// stands for; `text` is the undecided rule's text when it is not to be written again.
fn policy_words(p: PolicyRefusal, text: Option<&str>, context: &Context, out: &mut dyn Words) {
    let who = context
        .caller
        .map(|c| c.who_may(p.rule))
        .unwrap_or_default();
    if text.is_none() {
        undecided_words(p, out);
    }
    let (reason, template) = match p.why {
        PolicyWhy::Denied => (Reason::Policy, "{0}|refused|"),
        PolicyWhy::Scope => (
            Reason::Policy,
            "needs a project-scoped token; {0}|token scope|",
        ),
        _ => (Reason::PolicyUndecided, "may be refused: "),
    };
    out.denial(DenialKind::Policy, reason);
    fill(out, template, &[&who]);
    if !p.why.is_refusal() {
        match text {
            Some(text) => out.push(text),
            None => undecided_text(p.why, out),
        }
        fill(out, "|undecided|", &[]);
    }
    fill(
        out,
        "{0}|Policy doesn't allow {1} to be performed.",
        &[&who, p.rule],
    );
    close(403, Some(p.rule), out);
}

/// The denial an undecided rule stands for: Nova's 403 if the rule refuses, the reason why it
/// could not be decided here.
pub fn undecided_denial(u: &Undecided, context: &Context) -> Denial {
    let p = PolicyRefusal {
        rule: u.rule,
        why: PolicyWhy::LockedByUnknown,
    };
    let mut written = Written::default();
    policy_words(p, Some(&u.text), context, &mut written);
    written
        .denials
        .pop()
        .unwrap_or_else(|| blank(DenialKind::Policy, Reason::PolicyUndecided))
}

/// Writes the denial of a guard that failed up to its message; its HTTP status.
fn guard_words(
    guard: &Guard,
    action: Action,
    rest: &Entry,
    instance: &Instance,
    release: Release,
    out: &mut dyn Words,
) -> u16 {
    let vm = instance.vm_state.as_str();
    let task = task_str(instance.task_state);
    let task_guard = matches!(guard, Guard::TaskStateIn(_) | Guard::TaskStateNotIn(_));
    let (reason, template, actual) = match *guard {
        Guard::Lock => (Reason::Locked, "the server is locked|{3}|False", "True"),
        Guard::Host { .. } => (
            Reason::NoHost,
            "the server has no compute host|{3}|a compute host",
            "None",
        ),
        Guard::Launched => (
            Reason::NotLaunched,
            "the server was never launched|{3}|a launch time",
            "None",
        ),
        Guard::VmStateIn(_) | Guard::VmStateNotIn(_) => {
            (Reason::VmState, "the server is {1}; {0} needs ", vm)
        }
        Guard::VmStateSince(..) => (
            Reason::VmStateMicroversion,
            "{0} of a {1} server needs microversion ",
            vm,
        ),
        _ if instance.task_state.is_some() => (
            Reason::TaskState,
            "a task is running ({2}); {0} waits for it to end",
            task,
        ),
        _ => (
            Reason::TaskState,
            "{0} is only for a server with a task running (",
            task,
        ),
    };
    let kind = guard_kind(guard);
    out.denial(kind, reason);
    fill(out, template, &[action.as_str(), vm, task, actual]);
    let except = match *guard {
        Guard::Lock | Guard::Host { .. } | Guard::Launched => None,
        Guard::VmStateIn(_) | Guard::VmStateNotIn(_) => {
            accepted(action, false, &[], false, out);
            Some(&[][..])
        }
        Guard::VmStateSince(states, since) => {
            write_wire(since, out);
            out.push(" or newer");
            Some(states)
        }
        _ => {
            if instance.task_state.is_none() {
                accepted(action, true, &[], false, out);
                out.push(")");
            }
            Some(&[][..])
        }
    };
    if let Some(except) = except {
        out.end();
        out.push(actual);
        out.end();
        accepted(action, task_guard, except, true, out);
    }
    out.end();
    rest.refusal
        .write_message(kind, actual, instance.id_or_placeholder(), release, out)
}

/// Why a REST entry cannot be reached (see [`microversion_words`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unreached {
    /// Above the release's newest microversion (406).
    Above,
    /// remote-consoles' schema does not take `mks` yet (400).
    Mks,
    /// The release's remote-consoles schema does not take `rdp` (400).
    Rdp,
    /// The release does not have the entry (400).
    Release,
    /// The entry does not exist at the microversion (404).
    Missing,
}

/// Writes the denial of a REST entry the request cannot reach: a microversion the entry does
/// not have (404), one above the release's newest (406, Nova's `InvalidGlobalAPIVersion`), or
/// an entry the release no longer has (its handler stayed and answers 400, as
/// `get_rdp_console`'s did from 2024.1).
fn microversion_words(action: Action, rest: &Entry, context: &Context, out: &mut dyn Words) {
    use Unreached as U;
    let asked = context.microversion;
    let release = context.release;
    let max = release.max_microversion();
    // A route other rows reach at this microversion, whose request schema does not yet take
    // this action's protocol (`mks` on remote-consoles before 2.8): Nova's schema error.
    let schema_refuses = action == Action::GetMksConsole
        && !rest.exists_at(asked)
        && Action::reached_by_name_of(rest, asked).is_some();
    // A route of its own the release does not have at all: no such route (404) at any
    // microversion, also above the maximum.
    let route_missing = rest.is_route() && !(rest.releases.contains(release) && rest.min <= max);
    let case = if asked > max && !route_missing {
        U::Above
    } else if schema_refuses {
        U::Mks
    } else if rdp_schema_refuses(action, rest, context) {
        U::Rdp
    } else if rest.exists_at(asked) && !rest.releases.contains(release) {
        U::Release
    } else {
        U::Missing
    };
    let releases = rest.releases;
    let (protocol, protocols) = match case {
        U::Rdp if asked >= Microversion::v2(8) => ("rdp", "['vnc', 'spice', 'serial', 'mks']"),
        U::Rdp => ("rdp", release.remote_console_protocols_before_mks()),
        _ => ("mks", release.remote_console_protocols_before_mks()),
    };
    let args = [
        rest.name(),
        release.as_str(),
        releases.from.as_str(),
        releases.until.as_str(),
        protocol,
        protocols,
    ];
    out.denial(DenialKind::Microversion, Reason::Microversion);
    match case {
        U::Above => {
            fill(out, "release {1} serves microversions up to ", &args);
            write_wire(max, out);
        }
        U::Mks => fill(out, "{0} takes protocol mks from 2.8", &args),
        U::Rdp => fill(out, "{0} does not take protocol rdp in {1}", &args),
        U::Release => {
            let range = match (
                releases.from == Release::OLDEST,
                releases.until == Release::LATEST,
            ) {
                (true, true) => "every release",
                (false, true) => "{2} and later",
                (true, false) => "until {3}",
                (false, false) => "{2} to {3}",
            };
            fill(out, "{0} exists in ", &args);
            fill(out, range, &args);
            fill(out, " only; the request is for {1}", &args);
        }
        U::Missing => {
            fill(out, "{0} needs microversion ", &args);
            write_range(rest, out);
        }
    }
    if !matches!(case, U::Rdp | U::Release) {
        out.push("; the request uses ");
        write_wire(asked, out);
    }
    out.end();
    write_wire(asked, out);
    out.end();
    write_range(rest, out);
    out.end();
    let status = match case {
        U::Above => {
            out.push("Version ");
            write_wire(asked, out);
            out.push(" is not supported by the API. Minimum is 2.1 and maximum is ");
            write_wire(max, out);
            out.push(".");
            406
        }
        U::Mks | U::Rdp => {
            fill(
                out,
                "Invalid input for field/attribute protocol. Value: {4}. '{4}' is not one of {5}",
                &args,
            );
            400
        }
        U::Release => {
            out.push("The server could not comply with the request since it is either malformed or otherwise incorrect.");
            400
        }
        U::Missing => {
            out.push("The resource could not be found.");
            404
        }
    };
    close(status, None, out);
}

/// Writes the microversions `rest` exists at: `2.N to 2.M` or `2.N or newer`.
#[inline(never)]
fn write_range(rest: &Entry, out: &mut dyn Words) {
    write_wire(rest.min, out);
    match rest.max {
        Some(max) => {
            out.push(" to ");
            write_wire(max, out);
        }
        None => out.push(" or newer"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words read back are exact whatever the id holds, separators and escapes too.
    #[test]
    fn an_id_with_separators_comes_back_exactly() {
        let id = "a\u{1f}b\u{1d}c\u{1e}d\u{1b}0e\u{1b}";
        let mut instance = Instance::new(VmState::Stopped);
        instance.id = Some(id.into());
        let verdict = check(Action::Stop, None, &instance, &Context::default());
        let message = &verdict.denials[0].message;
        assert!(message.contains(id), "{message}");
        assert_eq!(verdict.denials.len(), 1);
    }
}
