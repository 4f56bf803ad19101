//! Nova's default policy per release, as data, and who asks ([`Caller`]).
//!
//! [`DEFAULTS`] holds every rule a server action checks, the base rules they reference and
//! `context_is_admin`, each with its default check string, scope types and deprecated rule, and
//! the releases it holds for: facts read from `nova.policies.list_rules()` of each release
//! executed (`oracle/policy.py`; `tests/policy_oracle.rs` compares it with every snapshot).
//! Where an action checks which rule, and when, is a column of the rules table
//! ([`crate::rules::Entry::policy`]).

use crate::prelude::*;

use crate::error::{Error, ErrorKind};
use crate::policy::{
    Blocker, Check, Credentials, Enforcer, Options, Outcome, OverrideValue, RuleDefault, Rules,
    Target,
};
use crate::release::{Release, Releases};

use Release as R;

/// One rule as a release of Nova registers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyDefault {
    /// The rule's name.
    pub name: &'static str,
    /// Its default check string.
    pub check_str: &'static str,
    /// Whether its scope types are `["project"]` (else it has none and admits every scope).
    pub project_scoped: bool,
    /// The rule it replaced: that rule's name (as Nova spells it) and default check string.
    pub deprecated: Option<(&'static str, &'static str)>,
    /// The releases this default holds for.
    pub releases: Releases,
}

const fn d(
    name: &'static str,
    check_str: &'static str,
    project_scoped: bool,
    deprecated: Option<(&'static str, &'static str)>,
    releases: Releases,
) -> PolicyDefault {
    PolicyDefault {
        name,
        check_str,
        project_scoped,
        deprecated,
        releases,
    }
}

/// The deprecated rule of the project-scoped base rules: `admin_or_owner`.
const ADMIN_OR_OWNER: Option<(&str, &str)> = Some((
    "rule:admin_or_owner",
    "is_admin:True or project_id:%(project_id)s",
));
/// The deprecated rule of the manager and service base rules: `admin_api`.
const ADMIN_API: Option<(&str, &str)> = Some(("rule:admin_api", "is_admin:True"));

/// Every default, by name; a name whose default changed has one row per range of releases.
pub static DEFAULTS: &[PolicyDefault] = &[
    d(
        "admin_or_owner",
        "is_admin:True or project_id:%(project_id)s",
        false,
        None,
        Releases::ALL,
    ),
    d(
        "compute:servers:resize:cross_cell",
        "!",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "context_is_admin",
        "role:admin",
        false,
        ADMIN_API,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-admin-actions:inject_network_info",
        "rule:context_is_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-admin-actions:reset_state",
        "rule:context_is_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-admin-password",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-assisted-volume-snapshots:create",
        "rule:context_is_admin",
        true,
        None,
        Releases::until(R::R2025_1),
    ),
    d(
        "os_compute_api:os-assisted-volume-snapshots:create",
        "rule:service_or_admin",
        true,
        None,
        Releases::from(R::R2025_2),
    ),
    d(
        "os_compute_api:os-assisted-volume-snapshots:delete",
        "rule:context_is_admin",
        true,
        None,
        Releases::until(R::R2025_1),
    ),
    d(
        "os_compute_api:os-assisted-volume-snapshots:delete",
        "rule:service_or_admin",
        true,
        None,
        Releases::from(R::R2025_2),
    ),
    d(
        "os_compute_api:os-attach-interfaces:create",
        "rule:project_member_or_admin",
        true,
        Some(("os_compute_api:os-attach-interfaces", "rule:admin_or_owner")),
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-attach-interfaces:delete",
        "rule:project_member_or_admin",
        true,
        Some(("os_compute_api:os-attach-interfaces", "rule:admin_or_owner")),
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-console-output",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-create-backup",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-deferred-delete:force",
        "rule:project_member_or_admin",
        true,
        Some(("os_compute_api:os-deferred-delete", "rule:admin_or_owner")),
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-deferred-delete:restore",
        "rule:project_member_or_admin",
        true,
        Some(("os_compute_api:os-deferred-delete", "rule:admin_or_owner")),
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-evacuate",
        "rule:context_is_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-flavor-extra-specs:index",
        "rule:project_reader_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-lock-server:lock",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-lock-server:unlock",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-lock-server:unlock:unlock_override",
        "rule:context_is_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-migrate-server:migrate",
        "rule:context_is_admin",
        true,
        None,
        Releases::until(R::R2025_1),
    ),
    d(
        "os_compute_api:os-migrate-server:migrate",
        "rule:project_manager_or_admin",
        true,
        None,
        Releases::from(R::R2025_2),
    ),
    d(
        "os_compute_api:os-migrate-server:migrate:host",
        "rule:context_is_admin",
        true,
        None,
        Releases::from(R::R2023_2),
    ),
    d(
        "os_compute_api:os-migrate-server:migrate_live",
        "rule:context_is_admin",
        true,
        None,
        Releases::until(R::R2025_1),
    ),
    d(
        "os_compute_api:os-migrate-server:migrate_live",
        "rule:project_manager_or_admin",
        true,
        None,
        Releases::from(R::R2025_2),
    ),
    d(
        "os_compute_api:os-migrate-server:migrate_live:host",
        "rule:context_is_admin",
        true,
        Some((
            "os_compute_api:os-migrate-server:migrate_live",
            "rule:context_is_admin",
        )),
        Releases::from(R::R2025_2),
    ),
    d(
        "os_compute_api:os-multinic:add",
        "rule:project_member_or_admin",
        true,
        Some(("os_compute_api:os-multinic", "rule:admin_or_owner")),
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-multinic:remove",
        "rule:project_member_or_admin",
        true,
        Some(("os_compute_api:os-multinic", "rule:admin_or_owner")),
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-pause-server:pause",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-pause-server:unpause",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-remote-consoles",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-rescue",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-security-groups:add",
        "rule:project_member_or_admin",
        true,
        Some(("os_compute_api:os-security-groups", "rule:admin_or_owner")),
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-security-groups:remove",
        "rule:project_member_or_admin",
        true,
        Some(("os_compute_api:os-security-groups", "rule:admin_or_owner")),
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-server-diagnostics",
        "rule:context_is_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-server-shares:create",
        "rule:project_member_api",
        true,
        None,
        Releases {
            from: R::R2025_1,
            until: R::R2025_2,
        },
    ),
    d(
        "os_compute_api:os-server-shares:create",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::from(R::R2026_1),
    ),
    d(
        "os_compute_api:os-server-shares:delete",
        "rule:project_member_api",
        true,
        None,
        Releases {
            from: R::R2025_1,
            until: R::R2025_2,
        },
    ),
    d(
        "os_compute_api:os-server-shares:delete",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::from(R::R2026_1),
    ),
    d(
        "os_compute_api:os-server-tags:delete",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-server-tags:delete_all",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-server-tags:update",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-server-tags:update_all",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-shelve:shelve",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-shelve:shelve_offload",
        "rule:context_is_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-shelve:unshelve",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-shelve:unshelve_to_host",
        "rule:context_is_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-suspend-server:resume",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-suspend-server:suspend",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-unrescue",
        "rule:project_member_or_admin",
        true,
        Some(("os_compute_api:os-rescue", "rule:admin_or_owner")),
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-volumes-attachments:create",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-volumes-attachments:delete",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:os-volumes-attachments:swap",
        "rule:context_is_admin",
        true,
        None,
        Releases::until(R::R2025_1),
    ),
    d(
        "os_compute_api:os-volumes-attachments:swap",
        "rule:service_or_admin",
        true,
        None,
        Releases::from(R::R2025_2),
    ),
    d(
        "os_compute_api:os-volumes-attachments:update",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:server-metadata:create",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:server-metadata:delete",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:server-metadata:update",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:server-metadata:update_all",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:confirm_resize",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:create_image",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:create_image:allow_volume_backed",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:delete",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:migrations:delete",
        "rule:context_is_admin",
        true,
        None,
        Releases::until(R::R2025_1),
    ),
    d(
        "os_compute_api:servers:migrations:delete",
        "rule:project_manager_or_admin",
        true,
        None,
        Releases::from(R::R2025_2),
    ),
    d(
        "os_compute_api:servers:migrations:force_complete",
        "rule:context_is_admin",
        true,
        None,
        Releases::until(R::R2025_1),
    ),
    d(
        "os_compute_api:servers:migrations:force_complete",
        "rule:project_manager_or_admin",
        true,
        None,
        Releases::from(R::R2025_2),
    ),
    d(
        "os_compute_api:servers:reboot",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:rebuild",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:rebuild:trusted_certs",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:resize",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:revert_resize",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:show",
        "rule:project_reader_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:show:flavor-extra-specs",
        "rule:project_reader_or_admin",
        true,
        Some((
            "os_compute_api:os-flavor-extra-specs:index",
            "rule:admin_or_owner",
        )),
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:start",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:stop",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:trigger_crash_dump",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "os_compute_api:servers:update",
        "rule:project_member_or_admin",
        true,
        None,
        Releases::ALL,
    ),
    d(
        "project_manager_api",
        "role:manager and project_id:%(project_id)s",
        false,
        ADMIN_API,
        Releases::from(R::R2025_2),
    ),
    d(
        "project_manager_or_admin",
        "rule:project_manager_api or rule:context_is_admin",
        false,
        ADMIN_API,
        Releases::from(R::R2025_2),
    ),
    d(
        "project_member_api",
        "role:member and project_id:%(project_id)s",
        false,
        ADMIN_OR_OWNER,
        Releases::ALL,
    ),
    d(
        "project_member_or_admin",
        "rule:project_member_api or rule:context_is_admin",
        false,
        ADMIN_OR_OWNER,
        Releases::ALL,
    ),
    d(
        "project_reader_api",
        "role:reader and project_id:%(project_id)s",
        false,
        ADMIN_OR_OWNER,
        Releases::ALL,
    ),
    d(
        "project_reader_or_admin",
        "rule:project_reader_api or rule:context_is_admin",
        false,
        ADMIN_OR_OWNER,
        Releases::ALL,
    ),
    d(
        "service_api",
        "role:service",
        false,
        ADMIN_API,
        Releases::from(R::R2025_2),
    ),
    d(
        "service_or_admin",
        "rule:service_api or rule:context_is_admin",
        false,
        ADMIN_API,
        Releases::from(R::R2025_2),
    ),
];

/// The defaults `release` registers.
pub fn defaults_in(release: Release) -> impl Iterator<Item = &'static PolicyDefault> {
    DEFAULTS
        .iter()
        .filter(move |d| d.releases.contains(release))
}

/// The defaults of `release` in the form [`Enforcer::new`] takes.
pub fn rule_defaults(release: Release) -> Vec<RuleDefault> {
    defaults_in(release)
        .map(|d| RuleDefault {
            name: d.name.into(),
            check_str: d.check_str.into(),
            scope_types: if d.project_scoped {
                vec!["project".into()]
            } else {
                Vec::new()
            },
            deprecated: d.deprecated.map(|(n, c)| (n.into(), c.into())),
        })
        .collect()
}

/// When an action checks a policy rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Every request.
    Always,
    /// The body names a host (migrate, live migrate).
    HostNamed,
    /// The body names no host.
    NoHostNamed,
    /// The server was locked by the other party than the caller's (the owner's project when
    /// the caller is of another project, an admin when the caller is of the server's project).
    LockedByOther,
    /// unshelve naming a host (2.91+).
    UnshelveToHost,
    /// rebuild with `trusted_image_certificates` (2.63+).
    TrustedCerts,
    /// `PUT …/os-volume_attachments/{id}` updating the attachment (2.85+), not swapping.
    VolumeUpdate,
    /// `PUT …/os-volume_attachments/{id}` swapping the volume.
    VolumeSwap,
}

/// Where a policy check sits in Nova's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// Before the server is looked up (tags and shares against the instance mapping, the
    /// legacy consoles, assisted volume snapshots).
    BeforeLookup,
    /// After the lookup, before the lock and state checks: the usual place.
    AfterLookup,
    /// Inside the compute API method, after its state checks (`unshelve_to_host`).
    AfterStateCheck,
}

/// The target a check passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKeys {
    /// `{project_id, user_id}` of the server.
    ProjectAndUser,
    /// `{project_id}` of the server.
    Project,
    /// `{}`: no `%(key)s` can match.
    Empty,
    /// None passed: oslo.policy's default, the caller's own project and user.
    Caller,
}

/// One policy check an action's REST entry makes: a decision column of the rules table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyCheck {
    /// The rule's name.
    pub rule: &'static str,
    /// When it is checked.
    pub when: When,
    /// Where in Nova's order.
    pub place: Place,
    /// The target it passes.
    pub target: TargetKeys,
    /// The releases that check it so.
    pub releases: Releases,
    /// The REST entry of the row that checks it (`None`: every entry of the row).
    pub entry: Option<&'static str>,
}

impl PolicyCheck {
    /// `rule` against the server's project and user, after the lookup, always, everywhere.
    pub const fn project_user(rule: &'static str) -> PolicyCheck {
        PolicyCheck {
            rule,
            when: When::Always,
            place: Place::AfterLookup,
            target: TargetKeys::ProjectAndUser,
            releases: Releases::ALL,
            entry: None,
        }
    }

    /// `rule` against the server's project.
    pub const fn project(rule: &'static str) -> PolicyCheck {
        let mut c = PolicyCheck::project_user(rule);
        c.target = TargetKeys::Project;
        c
    }

    /// The same check with another target.
    pub const fn target(mut self, target: TargetKeys) -> PolicyCheck {
        self.target = target;
        self
    }

    /// The same check, made only when `when`.
    pub const fn when(mut self, when: When) -> PolicyCheck {
        self.when = when;
        self
    }

    /// The same check at another place in Nova's order.
    pub const fn at(mut self, place: Place) -> PolicyCheck {
        self.place = place;
        self
    }

    /// The same check, made by the row's REST entry `name` only.
    pub const fn via(mut self, name: &'static str) -> PolicyCheck {
        self.entry = Some(name);
        self
    }

    /// Whether the check applies to REST entry `entry` in `release`.
    pub fn applies(&self, entry: &str, release: Release) -> bool {
        self.releases.contains(release) && self.entry.is_none_or(|e| e == entry)
    }

    /// The same check, in `releases` only.
    pub const fn releases(mut self, releases: Releases) -> PolicyCheck {
        self.releases = releases;
        self
    }
}

/// A policy rule some server action checks, by its place among the distinct rule names of the
/// rules table's policy column (first occurrence first; [`crate::rules`] derives the list at
/// compile time). Tables computed ahead of time are indexed by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PolicyRule(pub(crate) u8);

impl PolicyRule {
    /// How many distinct rules the server actions check.
    pub const COUNT: usize = crate::rules::RULE_COUNT;

    /// The rule's name (`os_compute_api:servers:start`).
    pub fn name(self) -> &'static str {
        crate::rules::rule_name(self.0 as usize)
    }

    /// Its place among the rules ([`PolicyRule::all`]).
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// Every rule some server action checks, in the order of their indices.
    pub fn all() -> impl Iterator<Item = PolicyRule> {
        (0..Self::COUNT as u8).map(PolicyRule)
    }

    /// The rule of this name, if a server action checks it.
    pub fn lookup(name: &str) -> Option<PolicyRule> {
        crate::rules::rule_index(name).map(|i| PolicyRule(i as u8))
    }
}

/// A policy check as the decision column stores it ([`crate::Action::policy_checks`]): the
/// rule by index, the REST entry that makes it by index; derived at compile time from the rules
/// table's [`PolicyCheck`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleCheck {
    /// The rule.
    pub rule: PolicyRule,
    /// When it is checked.
    pub when: When,
    /// Where in Nova's order.
    pub place: Place,
    /// The target it passes.
    pub target: TargetKeys,
    /// The releases that check it so.
    pub releases: Releases,
    /// The index (among every REST entry of the table) of the row's entry that makes it;
    /// `u8::MAX` for every entry of the row.
    pub(crate) entry: u8,
}

impl RuleCheck {
    /// The REST entry of the row that makes it (`None`: every entry of the row).
    pub fn entry(&self) -> Option<&'static str> {
        crate::rules::entry_name(self.entry)
    }

    /// Whether the check applies to REST entry `entry` in `release`.
    pub fn applies(&self, entry: &str, release: Release) -> bool {
        self.releases.contains(release) && self.entry().is_none_or(|e| e == entry)
    }
}

/// Who locked a server (`instance.locked_by`, which Nova's server record does not show).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockedBy {
    /// A user of the server's project.
    Owner,
    /// Someone of another project (an admin).
    Admin,
}

impl LockedBy {
    /// Parses `owner` or `admin`.
    pub fn parse(input: &str) -> Result<LockedBy, Error> {
        match input {
            "owner" => Ok(LockedBy::Owner),
            "admin" => Ok(LockedBy::Admin),
            _ => Err(crate::error::unknown_name(
                "locked_by",
                input,
                crate::error::pool!(&["owner", "admin"]),
            )),
        }
    }

    /// `owner` or `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            LockedBy::Owner => "owner",
            LockedBy::Admin => "admin",
        }
    }
}

/// Who asks, as the checks need it: whether the caller is an admin, whether its lookup finds a
/// server of some project, and what a rule says for a server. [`Caller`] evaluates the rules
/// with the exact oslo.policy evaluator (any override); an implementation may answer from
/// tables computed with it (the lean WebAssembly module answers Nova's defaults so).
pub trait Asks {
    /// The release whose policy applies.
    fn release(&self) -> Release;
    /// Nova's `context.is_admin` (`context_is_admin`).
    fn is_admin(&self) -> bool;
    /// The project the token is scoped to.
    fn project_id(&self) -> Option<&str>;
    /// The token's user.
    fn user_id(&self) -> Option<&str>;
    /// Whether Nova's instance lookup finds a server of `project_id` for this caller: it
    /// filters by the caller's project only for a user context (not admin, with a user and a
    /// project). An unknown project is assumed the caller's own.
    fn sees(&self, project_id: Option<&str>) -> bool {
        self.is_admin()
            || self.user_id().is_none()
            || self.project_id().is_none()
            || project_id.is_none_or(|p| Some(p) == self.project_id())
    }
    /// What `rule` says for a server of `project_id` and `user_id` (either unknown is the
    /// caller's own), with the target `keys` Nova passes.
    fn authorize(
        &self,
        rule: PolicyRule,
        keys: TargetKeys,
        project_id: Option<&str>,
        user_id: Option<&str>,
    ) -> Outcome;
    /// Says in words who passes `rule`.
    fn who_may(&self, rule: &str) -> String;
}

impl Asks for Caller {
    fn release(&self) -> Release {
        self.release
    }
    fn is_admin(&self) -> bool {
        Caller::is_admin(self)
    }
    fn project_id(&self) -> Option<&str> {
        self.credentials.project_id.as_deref()
    }
    fn user_id(&self) -> Option<&str> {
        self.credentials.user_id.as_deref()
    }
    fn authorize(
        &self,
        rule: PolicyRule,
        keys: TargetKeys,
        project_id: Option<&str>,
        user_id: Option<&str>,
    ) -> Outcome {
        Caller::authorize(self, rule.name(), &self.target(keys, project_id, user_id))
    }
    fn who_may(&self, rule: &str) -> String {
        Caller::who_may(self, rule)
    }
}

/// Who asks, compiled once: a release's default policy with a deployment's overrides, the
/// token's credentials and what `context_is_admin` says of them.
#[derive(Clone, Debug)]
pub struct Caller {
    release: Release,
    enforcer: Enforcer,
    credentials: Credentials,
    admin: Outcome,
}

/// Refuses options `release`'s oslo.policy does not have: `enforce_scope` off where
/// [`Release::has_scope_option`] says there is no such option.
pub fn check_options(release: Release, options: Options) -> Result<(), Error> {
    if options.enforce_scope || release.has_scope_option() {
        return Ok(());
    }
    let mut message = String::new();
    for part in [
        "enforce_scope false is not available in release ",
        release.as_str(),
        ": its oslo.policy has no such option (removed in 6.0) and always enforces scope; expected enforce_scope true for it",
    ] {
        crate::error::put(&mut message, part);
    }
    Err(Error::new(ErrorKind::OutOfRange, message))
}

impl Caller {
    /// Compiles `credentials` (roles as the token lists them) against `release`'s defaults and
    /// `overrides` (`policy.yaml`, rule → value; later entries win).
    pub fn new(
        release: Release,
        credentials: Credentials,
        overrides: &[(String, OverrideValue)],
        options: Options,
    ) -> Result<Caller, Error> {
        check_options(release, options)?;
        let enforcer = Enforcer::new(&rule_defaults(release), overrides, options)?;
        let mut credentials = credentials;
        let admin = enforcer.is_admin(&credentials);
        credentials.is_admin = Some(admin.is_allowed());
        Ok(Caller {
            release,
            enforcer,
            credentials,
            admin,
        })
    }

    /// The release whose defaults apply.
    pub fn release(&self) -> Release {
        self.release
    }

    /// Nova's `context.is_admin`: what `context_is_admin` says of the token.
    pub fn is_admin(&self) -> bool {
        self.admin.is_allowed()
    }

    /// What `context_is_admin` said, when it could not be decided (an `http:` check).
    pub fn admin_blocker(&self) -> Option<&Blocker> {
        match &self.admin {
            Outcome::Undecided(b) | Outcome::Raises(b) => Some(b),
            _ => None,
        }
    }

    /// The credentials, `is_admin` set.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The rules in force.
    pub fn enforcer(&self) -> &Enforcer {
        &self.enforcer
    }

    /// Whether Nova lets this caller do `rule` on `target`.
    pub fn authorize(&self, rule: &str, target: &Target) -> Outcome {
        self.enforcer.authorize(rule, target, &self.credentials)
    }

    /// Whether Nova's instance lookup finds a server of `project_id` for this caller (see
    /// [`Asks::sees`]).
    pub fn sees(&self, project_id: Option<&str>) -> bool {
        Asks::sees(self, project_id)
    }

    /// The target `check` passes for a server of `project_id` and `user_id` (either unknown is
    /// assumed the caller's own).
    pub fn target(
        &self,
        keys: TargetKeys,
        project_id: Option<&str>,
        user_id: Option<&str>,
    ) -> Target {
        let c = &self.credentials;
        let project = project_id.or(c.project_id.as_deref());
        let user = user_id.or(c.user_id.as_deref());
        match keys {
            TargetKeys::ProjectAndUser => Target::server(project, user),
            TargetKeys::Project => {
                let mut t = Target::new();
                t.set("project_id", project);
                t
            }
            TargetKeys::Empty => Target::new(),
            TargetKeys::Caller => Target::server(c.project_id.as_deref(), c.user_id.as_deref()),
        }
    }

    /// Says in words who passes `rule` (e.g. "needs the member role in the server's project,
    /// or the admin role").
    pub fn who_may(&self, rule: &str) -> String {
        match self.enforcer.rule(rule) {
            Some(check) => crate::policy::who_may(check, &self.enforcer as &dyn Rules),
            None => crate::policy::who_may(&Check::False, &self.enforcer as &dyn Rules),
        }
    }
}
