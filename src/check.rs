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

    /// The denial for one of [`Decision::refused`], in Nova's words, naming `instance`.
    pub fn denial(&self, refused: Refused, instance: &Instance, context: &Context) -> Denial {
        let guard = match refused {
            Refused::Guard(i) => self.action.guards().get(i),
            _ => None,
        };
        match (refused, guard) {
            (Refused::Microversion, _) => microversion_denial(self.action, self.rest, context),
            (Refused::NotVisible, _) => not_visible_denial(instance),
            (Refused::Policy(p), _) => policy_denial(p, context),
            (Refused::EvacuateNoHost, _) => evacuate_denial(),
            (Refused::UnshelveDestination, _) => unshelve_denial(instance),
            (Refused::NotFound, _) | (Refused::Guard(_), None) => {
                not_found_denial(self.action, instance)
            }
            (Refused::Guard(_), Some(guard)) => {
                guard_denial(guard, self.action, self.rest, instance, context.release)
            }
        }
    }

    /// The undecided rule of one of [`Decision::refused`], if it is one.
    pub fn undecided(&self, refused: Refused) -> Option<Undecided> {
        let Refused::Policy(p) = refused else {
            return None;
        };
        let (why, text): (&'static str, String) = match p.why {
            PolicyWhy::Denied | PolicyWhy::Scope => return None,
            PolicyWhy::Undecided(Why::Remote) => (
                "http-check",
                "an http: check of the deployment's policy decides".into(),
            ),
            PolicyWhy::Undecided(w) => ("unsupported", w.as_str().into()),
            PolicyWhy::Raises(w) => (
                "raises",
                ["oslo.policy raises (Nova answers 500): ", w.as_str()].concat(),
            ),
            PolicyWhy::LockedByUnknown => (
                "locked-by-unknown",
                "checked only when the other party locked the server, and who locked it is unknown"
                    .into(),
            ),
        };
        Some(Undecided {
            rule: p.rule,
            reason: Reason::PolicyUndecided,
            why,
            text,
        })
    }

    /// The whole verdict, every denial put into words, with the assumptions the request's
    /// context made (see [`context_assumptions`]); none of the record's yet.
    pub fn into_verdict(self, instance: &Instance, context: &Context) -> Verdict {
        let mut denials = Vec::new();
        let mut undecided = Vec::new();
        for &r in self.refused() {
            match self.undecided(r) {
                // A rule that cannot be decided may refuse: a denial too (reason
                // `policy-undecided`), so a refused verdict always has one.
                Some(u) => {
                    denials.push(undecided_denial(&u, context));
                    undecided.push(u);
                }
                None => denials.push(self.denial(r, instance, context)),
            }
        }
        Verdict {
            action: self.action,
            rest: self.rest.name,
            allowed: denials.is_empty() && undecided.is_empty(),
            denials,
            undecided,
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
            Action::reached_by(rest.name, context.microversion)
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
    let entry = decision.rest.name;
    for check in decision.action.policy_checks() {
        if check.place != place || !check.applies(entry, context.release) {
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
    let names_host = action == Action::Evacuate
        || (context.caller.is_some() && (action == Action::LiveMigrate || rest.name == "migrate"));
    let host = (names_host && context.body.target_host.is_none()).then_some(ASSUMED_NO_TARGET_HOST);
    let policy = context.caller.is_some();
    let project = (policy && instance.project_id.is_none()).then_some(ASSUMED_OWN_PROJECT);
    let user = (policy && instance.user_id.is_none()).then_some(ASSUMED_OWN_USER);
    host.into_iter().chain(project).chain(user)
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

/// The 404 of a server the caller's lookup does not find.
fn not_visible_denial(instance: &Instance) -> Denial {
    Denial {
        kind: DenialKind::Policy,
        actual: "another project".into(),
        expected: vec!["the caller's project, or an admin".into()],
        reason: Reason::NotVisible,
        text: "the server belongs to another project, which this caller cannot see".into(),
        message: [
            "Instance ",
            instance.id_or_placeholder(),
            " could not be found.",
        ]
        .concat(),
        http_status: 404,
        rule: None,
    }
}

/// The 403 of a policy rule that refused.
fn policy_denial(p: PolicyRefusal, context: &Context) -> Denial {
    let who = context
        .caller
        .map(|c| c.who_may(p.rule))
        .unwrap_or_default();
    let (actual, text) = match p.why {
        PolicyWhy::Scope => (
            "token scope",
            ["needs a project-scoped token; ", &who].concat(),
        ),
        _ => ("refused", who.clone()),
    };
    Denial {
        kind: DenialKind::Policy,
        actual: actual.into(),
        expected: vec![who.into()],
        reason: Reason::Policy,
        text,
        message: ["Policy doesn't allow ", p.rule, " to be performed."].concat(),
        http_status: 403,
        rule: Some(p.rule),
    }
}

/// The denial an undecided rule stands for: Nova's 403 if the rule refuses, the reason why it
/// could not be decided here.
pub fn undecided_denial(u: &Undecided, context: &Context) -> Denial {
    let who = context
        .caller
        .map(|c| c.who_may(u.rule))
        .unwrap_or_default();
    Denial {
        kind: DenialKind::Policy,
        actual: "undecided".into(),
        expected: vec![who.into()],
        reason: Reason::PolicyUndecided,
        text: ["may be refused: ", &u.text].concat(),
        message: ["Policy doesn't allow ", u.rule, " to be performed."].concat(),
        http_status: 403,
        rule: Some(u.rule),
    }
}

/// evacuate's 400 when neither the server nor the request has a host.
fn evacuate_denial() -> Denial {
    Denial {
        kind: DenialKind::Host,
        actual: "None".into(),
        expected: vec!["a compute host, or a target host in the request".into()],
        reason: Reason::NoHost,
        text: "the server has no host and the request names no target host".into(),
        message: "The target host can't be the same one.".into(),
        http_status: 400,
        rule: None,
    }
}

/// unshelve's 409 when an availability zone or host is named for a server not offloaded.
fn unshelve_denial(instance: &Instance) -> Denial {
    let state = instance.vm_state.as_str();
    Denial {
        kind: DenialKind::VmState,
        actual: state.into(),
        expected: vec![VmState::ShelvedOffloaded.as_str().into()],
        reason: Reason::VmState,
        text: "an availability zone or host can be chosen only for an offloaded server".into(),
        message: [
            "Specifying an availability zone or a host when unshelving server \"",
            instance.id_or_placeholder(),
            "\" with status \"",
            state,
            "\" is not supported. The server status must be SHELVED_OFFLOADED.",
        ]
        .concat(),
        http_status: 409,
        rule: None,
    }
}

/// Whether a request for `action` through `rest` reaches a handler of the release (which
/// then checks its policy): the entry exists, or the release dropped it but kept a route that
/// looks the server up and answers 400.
pub fn handler_reached(action: Action, rest: &Entry, context: &Context) -> bool {
    let missing = !rest.exists_in(context.release, context.microversion);
    !missing
        || (rest.exists_at(context.microversion)
            && context.microversion <= context.release.max_microversion()
            && rest.name.contains(' ')
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
            !check.applies(rest.name, context.release)
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

/// The denial of a guard that failed.
fn guard_denial(
    guard: &Guard,
    action: Action,
    rest: &Entry,
    instance: &Instance,
    release: Release,
) -> Denial {
    let id = instance.id_or_placeholder();
    let names = |states: &mut dyn Iterator<Item = &'static str>| -> Vec<Cow<'static, str>> {
        states.map(Cow::Borrowed).collect()
    };
    let (actual, expected): (&'static str, Vec<Cow<'static, str>>) = match *guard {
        Guard::Lock => ("True", vec!["False".into()]),
        Guard::Host { .. } => ("None", vec!["a compute host".into()]),
        Guard::VmStateIn(_) | Guard::VmStateNotIn(_) => (
            instance.vm_state.as_str(),
            names(&mut action.accepted_vm_states().map(VmState::as_str)),
        ),
        Guard::TaskStateIn(_) | Guard::TaskStateNotIn(_) => (
            task_str(instance.task_state),
            names(&mut action.accepted_task_states().map(task_str)),
        ),
        Guard::VmStateSince(states, _) => (
            instance.vm_state.as_str(),
            names(
                &mut action
                    .accepted_vm_states()
                    .filter(|s| !states.contains(s))
                    .map(VmState::as_str),
            ),
        ),
        Guard::Launched => ("None", vec!["a launch time".into()]),
    };
    let kind = guard_kind(guard);
    let (message, http_status) = rest.refusal.message(kind, actual, id, release);
    let (reason, text) = guard_reason(guard, action, instance, &expected);
    Denial {
        kind,
        actual: actual.into(),
        expected,
        reason,
        text,
        message,
        http_status,
        rule: None,
    }
}

/// `items` joined with `", "`.
fn joined(items: &[Cow<'static, str>]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item);
    }
    out
}

/// The reason code and sentence of a guard that failed; `expected` is what the guard accepts.
fn guard_reason(
    guard: &Guard,
    action: Action,
    instance: &Instance,
    expected: &[Cow<'static, str>],
) -> (Reason, String) {
    let name = action.as_str();
    let vm = instance.vm_state.as_str();
    match *guard {
        Guard::Lock => (Reason::Locked, "the server is locked".into()),
        Guard::Host { .. } => (Reason::NoHost, "the server has no compute host".into()),
        Guard::Launched => (Reason::NotLaunched, "the server was never launched".into()),
        Guard::VmStateIn(_) | Guard::VmStateNotIn(_) => (
            Reason::VmState,
            [
                "the server is ",
                vm,
                "; ",
                name,
                " needs ",
                &joined(expected),
            ]
            .concat(),
        ),
        Guard::VmStateSince(_, since) => (
            Reason::VmStateMicroversion,
            [
                name,
                " of a ",
                vm,
                " server needs microversion ",
                &since.to_wire(),
                " or newer",
            ]
            .concat(),
        ),
        Guard::TaskStateIn(_) | Guard::TaskStateNotIn(_) => (
            Reason::TaskState,
            match instance.task_state {
                Some(task) => [
                    "a task is running (",
                    task.as_str(),
                    "); ",
                    name,
                    " waits for it to end",
                ]
                .concat(),
                None => [
                    name,
                    " is only for a server with a task running (",
                    &joined(expected),
                    ")",
                ]
                .concat(),
            },
        ),
    }
}

/// Nova's API looks servers up without deleted records, so a deleted server is not found
/// (`common.get_instance`, HTTP 404) before any decorator runs.
fn not_found_denial(action: Action, instance: &Instance) -> Denial {
    // The assisted volume snapshot handlers look the server up by volume: a deleted server's
    // volume mapping is gone, and they answer 400 naming the volume.
    let (message, http_status) = match action {
        Action::VolumeSnapshotCreate | Action::VolumeSnapshotDelete => (
            String::from("No volume Block Device Mapping with id <volume_id>."),
            400,
        ),
        _ => (
            [
                "Instance ",
                instance.id_or_placeholder(),
                " could not be found.",
            ]
            .concat(),
            404,
        ),
    };
    Denial {
        kind: DenialKind::VmState,
        actual: VmState::Deleted.as_str().into(),
        expected: action
            .accepted_vm_states()
            .map(|s| s.as_str().into())
            .collect(),
        reason: Reason::NotFound,
        text: "the server is deleted".into(),
        message,
        http_status,
        rule: None,
    }
}

/// The denial of a REST entry the request cannot reach: a microversion the entry does not
/// have (404), one above the release's newest (406, Nova's `InvalidGlobalAPIVersion`), or an
/// entry the release no longer has (its handler stayed and answers 400, as `get_rdp_console`'s
/// did from 2024.1).
fn microversion_denial(action: Action, rest: &Entry, context: &Context) -> Denial {
    let asked = context.microversion;
    let asked_text = asked.to_wire();
    let release = context.release;
    let expected = match rest.max {
        Some(max) => [&*rest.min.to_wire(), " to ", &max.to_wire()].concat(),
        None => [&*rest.min.to_wire(), " or newer"].concat(),
    };
    // A route other rows reach at this microversion, whose request schema does not yet take
    // this action's protocol (`mks` on remote-consoles before 2.8): Nova's schema error.
    let schema_refuses = !rest.exists_at(asked)
        && Action::reached_by(rest.name, asked).is_some()
        && action == Action::GetMksConsole;
    let invalid_protocol = |protocol: &str, protocols: &str| {
        [
            "Invalid input for field/attribute protocol. Value: ",
            protocol,
            ". '",
            protocol,
            "' is not one of ",
            protocols,
        ]
        .concat()
    };
    // A route of its own the release does not have at all: no such route (404) at any
    // microversion, also above the maximum.
    let route_missing = rest.name.contains(' ')
        && !(rest.releases.contains(release) && rest.min <= release.max_microversion());
    let (text, message, http_status) = if asked > release.max_microversion() && !route_missing {
        let max = release.max_microversion().to_wire();
        (
            [
                "release ",
                release.as_str(),
                " serves microversions up to ",
                &max,
                "; the request uses ",
                &asked_text,
            ]
            .concat(),
            [
                "Version ",
                &asked_text,
                " is not supported by the API. Minimum is 2.1 and maximum is ",
                &max,
                ".",
            ]
            .concat(),
            406,
        )
    } else if schema_refuses {
        (
            [
                rest.name,
                " takes protocol mks from 2.8; the request uses ",
                &asked_text,
            ]
            .concat(),
            invalid_protocol("mks", release.remote_console_protocols_before_mks()),
            400,
        )
    } else if rdp_schema_refuses(action, rest, context) {
        let protocols = if asked >= Microversion::v2(8) {
            "['vnc', 'spice', 'serial', 'mks']"
        } else {
            release.remote_console_protocols_before_mks()
        };
        (
            [
                rest.name,
                " does not take protocol rdp in ",
                release.as_str(),
            ]
            .concat(),
            invalid_protocol("rdp", protocols),
            400,
        )
    } else if rest.exists_at(asked) && !rest.releases.contains(release) {
        (
            [
                rest.name,
                " exists in ",
                &rest.releases.describe(),
                " only; the request is for ",
                release.as_str(),
            ]
            .concat(),
            "The server could not comply with the request since it is either malformed or otherwise incorrect.".into(),
            400,
        )
    } else {
        (
            [
                rest.name,
                " needs microversion ",
                &expected,
                "; the request uses ",
                &asked_text,
            ]
            .concat(),
            "The resource could not be found.".into(),
            404,
        )
    };
    Denial {
        kind: DenialKind::Microversion,
        actual: asked_text.into(),
        expected: vec![expected.into()],
        reason: Reason::Microversion,
        text,
        message,
        http_status,
        rule: None,
    }
}
