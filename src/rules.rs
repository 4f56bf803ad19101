//! The rules table: for every state-checked method of Nova's compute API, what it accepts,
//! how it is reached over REST, what it sets and where it leads. Everything else derives from it.

use serde::Serialize;

use crate::check::{fill, Words};
use crate::error::{parse_index, pool, position, unknown_name, Error, Names};
use crate::microversion::Microversion;
use crate::nova_policy::{Place, PolicyCheck, PolicyRule, RuleCheck, TargetKeys, When};
use crate::release::{Release, Releases};
use crate::states::{wire_names, TaskState, VmState};

use TaskState as T;
use VmState as V;

wire_names! {
    /// A state-checked public method of Nova's compute API (`nova.compute.api.API`); reboot is
    /// split into `reboot_soft` and `reboot_hard`, the two checks its REST action dispatches to.
    Action, what = "action", source = "nova/compute/api.py class API", pool = ACTION_POOL,
    {
        /// Start a stopped server.
        Start = "start",
        /// Stop (power off) a server.
        Stop = "stop",
        /// Pause in memory.
        Pause = "pause",
        /// Unpause.
        Unpause = "unpause",
        /// Suspend to disk.
        Suspend = "suspend",
        /// Resume a suspended server.
        Resume = "resume",
        /// Soft reboot.
        RebootSoft = "reboot_soft",
        /// Hard reboot; also the way out of a stuck soft reboot.
        RebootHard = "reboot_hard",
        /// Boot from a rescue image.
        Rescue = "rescue",
        /// Leave rescue.
        Unrescue = "unrescue",
        /// Resize to another flavor, or cold-migrate.
        Resize = "resize",
        /// Confirm a resize or cold migration.
        ConfirmResize = "confirm_resize",
        /// Revert a resize or cold migration.
        RevertResize = "revert_resize",
        /// Rebuild from an image.
        Rebuild = "rebuild",
        /// Rebuild on another host after its compute host failed.
        Evacuate = "evacuate",
        /// Shelve.
        Shelve = "shelve",
        /// Remove a shelved server from its host.
        ShelveOffload = "shelve_offload",
        /// Unshelve.
        Unshelve = "unshelve",
        /// Live-migrate to another host.
        LiveMigrate = "live_migrate",
        /// Force a running live migration to complete.
        LiveMigrateForceComplete = "live_migrate_force_complete",
        /// Abort a live migration.
        LiveMigrateAbort = "live_migrate_abort",
        /// Delete.
        Delete = "delete",
        /// Delete but keep restorable (when `reclaim_instance_interval` is set).
        SoftDelete = "soft_delete",
        /// Delete a soft-deleted server now.
        ForceDelete = "force_delete",
        /// Restore a soft-deleted server.
        Restore = "restore",
        /// Snapshot an image-backed server.
        Snapshot = "snapshot",
        /// Snapshot a volume-backed server.
        SnapshotVolumeBacked = "snapshot_volume_backed",
        /// Back up to an image with rotation.
        Backup = "backup",
        /// Set the admin password through the guest agent.
        SetAdminPassword = "set_admin_password",
        /// Ask the hypervisor for a crash dump (NMI).
        TriggerCrashDump = "trigger_crash_dump",
        /// Attach a volume.
        AttachVolume = "attach_volume",
        /// Detach a volume.
        DetachVolume = "detach_volume",
        /// Swap one volume for another (called by Cinder).
        SwapVolume = "swap_volume",
        /// Snapshot an attached volume through the hypervisor (called by Cinder).
        VolumeSnapshotCreate = "volume_snapshot_create",
        /// Delete an assisted volume snapshot (called by Cinder).
        VolumeSnapshotDelete = "volume_snapshot_delete",
        /// Attach a network interface.
        AttachInterface = "attach_interface",
        /// Detach a network interface.
        DetachInterface = "detach_interface",
        /// Create or update metadata items.
        UpdateInstanceMetadata = "update_instance_metadata",
        /// Delete a metadata item.
        DeleteInstanceMetadata = "delete_instance_metadata",
        /// Open a VNC console.
        GetVncConsole = "get_vnc_console",
        /// Open a SPICE console.
        GetSpiceConsole = "get_spice_console",
        /// Open a serial console.
        GetSerialConsole = "get_serial_console",
        /// Open an MKS console.
        GetMksConsole = "get_mks_console",
        /// Read the console log.
        GetConsoleOutput = "get_console_output",
        /// Read hypervisor diagnostics (before 2.48).
        GetDiagnostics = "get_diagnostics",
        /// Read hypervisor diagnostics (2.48 and later).
        GetInstanceDiagnostics = "get_instance_diagnostics",
        /// Re-inject network configuration.
        InjectNetworkInfo = "inject_network_info",
        /// Add a fixed IP (removed in 2.44).
        AddFixedIp = "add_fixed_ip",
        /// Remove a fixed IP (removed in 2.44).
        RemoveFixedIp = "remove_fixed_ip",
        /// Open an RDP console (Hyper-V; until 2023.2).
        GetRdpConsole = "get_rdp_console",
        /// Lock: only admins may then act on it (and unlock it, if an admin locked it).
        Lock = "lock",
        /// Unlock.
        Unlock = "unlock",
        /// Reset the vm state to active or error and clear the task (admin).
        ResetState = "reset_state",
        /// Add or replace server tags (2.26+).
        UpdateServerTags = "update_server_tags",
        /// Remove server tags (2.26+).
        DeleteServerTags = "delete_server_tags",
        /// Attach a Manila share (2.97+).
        AllowShare = "allow_share",
        /// Detach a Manila share (2.97+).
        DenyShare = "deny_share",
        /// Rename, or change the description or hostname (`PUT /servers/{id}`).
        UpdateServer = "update_server",
        /// Add a security group to the server's ports.
        AddSecurityGroup = "add_security_group",
        /// Remove a security group from the server's ports.
        RemoveSecurityGroup = "remove_security_group",
    }
}

/// Which of Nova's checks refused an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DenialKind {
    /// The REST entry does not exist at the request's microversion (HTTP 404).
    Microversion,
    /// The instance is locked and the caller is not an admin (`check_instance_lock`).
    Locked,
    /// The instance has no compute host (`check_instance_host`).
    Host,
    /// The vm state is not accepted (`check_instance_state` / `reject_instance_state`).
    VmState,
    /// The task state is not accepted.
    TaskState,
    /// The instance was never launched (`must_have_launched`).
    LaunchedAt,
    /// Nova's policy refuses the caller (HTTP 403), or its lookup does not show the caller a
    /// server of another project (HTTP 404).
    Policy,
}

impl DenialKind {
    /// Every kind, in the order Nova's checks can report them.
    pub const ALL: [DenialKind; 7] = [
        DenialKind::Microversion,
        DenialKind::Policy,
        DenialKind::Locked,
        DenialKind::Host,
        DenialKind::VmState,
        DenialKind::TaskState,
        DenialKind::LaunchedAt,
    ];

    /// The snake_case name used in JSON and JS.
    pub fn as_str(self) -> &'static str {
        match self {
            DenialKind::Microversion => "microversion",
            DenialKind::Locked => "locked",
            DenialKind::Host => "host",
            DenialKind::VmState => "vm_state",
            DenialKind::TaskState => "task_state",
            DenialKind::LaunchedAt => "launched_at",
            DenialKind::Policy => "policy",
        }
    }
}

/// Why an action is refused, as a stable code: finer than [`DenialKind`], the same in every
/// release and every language binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The server is locked and the caller is not an admin.
    Locked,
    /// The server has no compute host.
    NoHost,
    /// The server was never launched.
    NotLaunched,
    /// The vm state is not one the action accepts.
    VmState,
    /// The vm state needs a newer microversion (a REST handler's own check).
    VmStateMicroversion,
    /// The task state is not one the action accepts.
    TaskState,
    /// The REST entry does not exist at the request's microversion.
    Microversion,
    /// The server is deleted, so Nova does not find it.
    NotFound,
    /// The server belongs to another project and the caller is not an admin, so Nova's
    /// lookup does not find it (HTTP 404).
    NotVisible,
    /// Nova's policy refuses the caller (HTTP 403).
    Policy,
    /// A policy rule cannot be decided here (an `http:` check, a rule that makes oslo.policy
    /// raise, or `unlock_override` without knowing who locked the server).
    PolicyUndecided,
}

impl Reason {
    /// Every reason code.
    pub const ALL: [Reason; 11] = [
        Reason::Locked,
        Reason::NoHost,
        Reason::NotLaunched,
        Reason::VmState,
        Reason::VmStateMicroversion,
        Reason::TaskState,
        Reason::Microversion,
        Reason::NotFound,
        Reason::NotVisible,
        Reason::Policy,
        Reason::PolicyUndecided,
    ];

    /// The code as JSON and JS spell it (`no-host`).
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Locked => "locked",
            Reason::NoHost => "no-host",
            Reason::NotLaunched => "not-launched",
            Reason::VmState => "vm-state",
            Reason::VmStateMicroversion => "vm-state-microversion",
            Reason::TaskState => "task-state",
            Reason::Microversion => "microversion",
            Reason::NotFound => "not-found",
            Reason::NotVisible => "not-visible",
            Reason::Policy => "policy",
            Reason::PolicyUndecided => "policy-undecided",
        }
    }
}

/// One of Nova's checks, in the form the decorators on `nova.compute.api.API` take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// `@check_instance_lock`: refused when locked, unless the caller is an admin.
    Lock,
    /// `@check_instance_host`: refused when the instance has no host. `up` is Nova also
    /// requiring that host's compute service to be up, which a server record cannot show.
    Host {
        /// Whether Nova also checks the host is up (`check_is_up=True`).
        up: bool,
        /// vm states the check does not apply in (Nova takes another path there).
        except: &'static [VmState],
    },
    /// `check_instance_state(vm_state=…)`: the vm state must be one of these.
    VmStateIn(&'static [VmState]),
    /// `reject_instance_state(vm_state=…)`: the vm state must not be one of these.
    VmStateNotIn(&'static [VmState]),
    /// `check_instance_state(task_state=…)`: the task state must be one of these (`None` = no task).
    TaskStateIn(&'static [Option<TaskState>]),
    /// `reject_instance_state(task_state=…)`: the task state must not be one of these.
    TaskStateNotIn(&'static [TaskState]),
    /// `check_instance_state(must_have_launched=True)`: `launched_at` must be set.
    Launched,
    /// A REST handler's own check: these vm states need at least this microversion.
    VmStateSince(&'static [VmState], Microversion),
}

/// How a REST handler turns a refused check into a response: the handlers differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Its name's code in [`TEXT_POOL`] ([`Refusal::name`]), `u8::MAX` for none.
    name: u8,
    /// How a refused vm state, task state or launch comes back.
    pub state: Reply,
    /// How a lock refusal comes back.
    pub lock: Reply,
    /// How a missing host comes back.
    pub not_ready: Reply,
}

/// What a REST handler does with one kind of refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Caught as an invalid state and turned into a 409 naming the action
    /// (`raise_http_conflict_for_instance_invalid_state`).
    Named409,
    /// Caught and returned with the exception's own text, with HTTP status 409.
    Own409,
    /// Caught and returned with the exception's own text, with HTTP status 400.
    Own400,
    /// Not caught: HTTP 500 "Unexpected API Error".
    Uncaught500,
    /// The REST call does not refuse: Nova does something else instead (see the rule's notes).
    FallsBack,
}

impl Refusal {
    /// The action name in the handler's texts: what it passes to
    /// `raise_http_conflict_for_instance_invalid_state`, or the method an exception names.
    pub fn name(&self) -> Option<&'static str> {
        match self.name {
            u8::MAX => None,
            code => Some(TEXT_POOL.get(code as usize)),
        }
    }

    /// Writes the text Nova's API returns in `release` when the check of `kind` fails for the
    /// instance `id`, whose value for that check is `actual` (as Nova prints it); the HTTP
    /// status.
    pub fn write_message(
        &self,
        kind: DenialKind,
        actual: &str,
        id: &str,
        release: Release,
        out: &mut dyn Words,
    ) -> u16 {
        let reply = match kind {
            DenialKind::Locked => self.lock,
            DenialKind::Host => self.not_ready,
            _ => self.state,
        };
        let (template, status) = match reply {
            Reply::Own409 | Reply::Own400 => (
                match kind {
                    DenialKind::Locked => "Instance {0} is locked",
                    DenialKind::Host => "Instance {0} is not ready",
                    _ => "Instance {0} in {1} {2}. Cannot {3} while the instance is in this state.",
                },
                if reply == Reply::Own400 { 400 } else { 409 },
            ),
            // Nova's specific text needs an attribute and a value that is not None; a lock
            // refusal carries neither.
            Reply::Named409 if kind != DenialKind::Locked && actual != "None" => {
                ("Cannot '{3}' instance {0} while it is in {1} {2}", 409)
            }
            Reply::Named409 => ("Instance {0} is in an invalid state for '{3}'", 409),
            Reply::Uncaught500 => (
                "Unexpected API Error. {4}\n<class 'nova.exception.{5}'>",
                500,
            ),
            Reply::FallsBack => (
                "Nova does not refuse: DELETE deletes the server for good instead",
                204,
            ),
        };
        let exception = match kind {
            DenialKind::Locked => "InstanceIsLocked",
            DenialKind::Host => "InstanceNotReady",
            _ => "InstanceInvalidState",
        };
        let name = self.name().unwrap_or_default();
        let args = [
            id,
            kind.as_str(),
            actual,
            name,
            release.support_text(),
            exception,
        ];
        fill(out, template, &args);
        status
    }
}

/// One way of reaching an action over Nova's REST API, as the table writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rest {
    /// What the checks need of it.
    pub entry: Entry,
    /// Where the handler lives in Nova 34.0.0 (2026.2), or in the release it names.
    pub source: &'static str,
}

/// A REST entry as the checks see it: its name, microversions, releases and how it refuses.
/// The decision column of the table ([`Action::entries`]); [`Rest`] adds the descriptive part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its name's index in the pool of action names ([`Entry::name`]).
    name: u8,
    /// The first microversion that has it.
    pub min: Microversion,
    /// The last microversion that has it, when it was removed.
    pub max: Option<Microversion>,
    /// How its refusals come back.
    pub refusal: Refusal,
    /// The releases that have it (`get_rdp_console` until 2023.2, the shares routes from 2025.1).
    pub releases: Releases,
}

impl Entry {
    /// The `POST /servers/{id}/action` key (`os-stop`), or the method and path of its own route.
    pub fn name(&self) -> &'static str {
        LOOKUP_POOL.get(self.name as usize)
    }

    /// Whether this entry exists in `release` at microversion `v` (which the release must serve).
    pub fn exists_in(&self, release: Release, v: Microversion) -> bool {
        self.exists_at(v) && self.releases.contains(release) && v <= release.max_microversion()
    }

    /// Its name's code: equal codes, equal names ([`Entry::name`]).
    pub(crate) fn name_code(&self) -> u8 {
        self.name
    }

    /// Whether this entry is a route of its own (`POST /servers/{id}/remote-consoles`) rather
    /// than a key of `POST /servers/{id}/action`.
    pub fn is_route(&self) -> bool {
        self.name().bytes().any(|b| b == b' ')
    }

    /// Whether this entry exists at microversion `v`.
    pub fn exists_at(&self, v: Microversion) -> bool {
        self.min <= v && self.max.is_none_or(|max| v <= max)
    }
}

impl core::ops::Deref for Rest {
    type Target = Entry;
    fn deref(&self) -> &Entry {
        &self.entry
    }
}

/// A task state the compute service shows while an action runs, after the one the API sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Later {
    /// The task state.
    pub task: TaskState,
    /// The vm state shown with it; `None` means the vm state the action started from.
    pub with: Option<VmState>,
}

/// Where an action leaves the vm state when it succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct End {
    /// The start state this applies to; `None` means every accepted start state.
    pub from: Option<VmState>,
    /// The vm state after success.
    pub to: VmState,
    /// When this end applies, if not always.
    pub when: &'static str,
}

/// A REST entry as the table writes it: its name as text (the entry holds its index in the
/// pool of names, which is derived from these).
#[derive(Clone, Copy)]
struct Written {
    name: &'static str,
    said: Option<&'static str>,
    rest: Rest,
}

/// A row as the table writes it: a [`Rule`] with its REST entries as written.
#[derive(Clone, Copy)]
struct Row {
    action: Action,
    guards: &'static [Guard],
    rest: &'static [Written],
    policy: &'static [PolicyCheck],
    sets_task: Option<TaskState>,
    later_tasks: &'static [Later],
    ends: &'static [End],
    notes: &'static str,
    in_paths: bool,
    source: &'static str,
}

/// Everything Nova checks and does for one action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The compute API method.
    pub action: Action,
    /// Nova's checks, in the order Nova runs them (outermost decorator first).
    pub guards: &'static [Guard],
    /// The REST entries that reach it; the first is the main one.
    pub rest: &'static [Rest],
    /// The policy rules its REST entries check, with when and where (in Nova's order).
    pub policy: &'static [PolicyCheck],
    /// The task state the compute API sets when the action starts.
    pub sets_task: Option<TaskState>,
    /// The task states the compute service moves through after `sets_task`, in order
    /// (`nova/compute/manager.py`, the conductor, and the libvirt driver's snapshot callbacks).
    pub later_tasks: &'static [Later],
    /// The vm state after success; empty when the vm state does not change.
    pub ends: &'static [End],
    /// Checks Nova makes that a server record cannot show, and other things worth knowing.
    pub notes: &'static str,
    /// Whether the path finder may use it; false for recovery from a failure (evacuate needs
    /// its compute host down).
    pub in_paths: bool,
    /// The method's location in Nova (`nova/compute/api.py:LINE` in Nova 34.0.0, 2026.2; a
    /// row a newer release dropped names the release it is read from).
    pub source: &'static str,
}

impl Rule {
    /// The vm states every vm-state guard accepts, in Nova's order (see [`Action::accepted_vm_states`]).
    pub fn accepted_vm_states(&self) -> impl Iterator<Item = VmState> {
        self.action.accepted_vm_states()
    }

    /// The task states (`None` = no task) every task-state guard accepts.
    pub fn accepted_task_states(&self) -> impl Iterator<Item = Option<TaskState>> {
        self.action.accepted_task_states()
    }

    /// Whether any guard of this kind applies.
    pub fn has_guard(&self, wanted: fn(&Guard) -> bool) -> bool {
        self.guards.iter().any(wanted)
    }

    /// The first REST entry that exists at microversion `v`.
    pub fn rest_at(&self, v: Microversion) -> Option<&'static Rest> {
        self.rest.iter().find(|r| r.exists_at(v))
    }

    /// The oldest microversion at which any REST entry reaches this action.
    pub fn min_microversion(&self) -> Microversion {
        self.rest
            .iter()
            .map(|r| r.min)
            .min()
            .unwrap_or(Microversion::MIN)
    }

    /// The vm states this action may end in from `from`, with the condition for each.
    pub fn ends_from(&self, from: VmState) -> impl Iterator<Item = &'static End> + '_ {
        self.ends
            .iter()
            .filter(move |e| e.from.is_none_or(|f| f == from))
    }
}

// ---------------------------------------------------------------------------------------------
// The decision columns: what checks read, derived from the table at compile time, apart from
// the descriptive columns (notes, sources, ends, task sequences) so that a program which only
// checks links only these.
// ---------------------------------------------------------------------------------------------

/// How many guards the table has in all.
const GUARD_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < TABLE.len() {
        n += TABLE[i].guards.len();
        i += 1;
    }
    n
};

/// Whether two lists of states are the same.
const fn same_vm(a: &[VmState], b: &[VmState]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] as u8 != b[i] as u8 {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether two guards are the same check (`==` is not `const`).
const fn same_guard(a: &Guard, b: &Guard) -> bool {
    match (*a, *b) {
        (Guard::Lock, Guard::Lock) | (Guard::Launched, Guard::Launched) => true,
        (Guard::Host { up: u, except: e }, Guard::Host { up: v, except: f }) => {
            u == v && same_vm(e, f)
        }
        (Guard::VmStateIn(x), Guard::VmStateIn(y))
        | (Guard::VmStateNotIn(x), Guard::VmStateNotIn(y)) => same_vm(x, y),
        (Guard::VmStateSince(x, m), Guard::VmStateSince(y, n)) => {
            same_vm(x, y) && m.minor() == n.minor()
        }
        (Guard::TaskStateIn(x), Guard::TaskStateIn(y)) => {
            if x.len() != y.len() {
                return false;
            }
            let mut i = 0;
            while i < x.len() {
                let same = match (x[i], y[i]) {
                    (None, None) => true,
                    (Some(s), Some(t)) => s as u8 == t as u8,
                    _ => false,
                };
                if !same {
                    return false;
                }
                i += 1;
            }
            true
        }
        (Guard::TaskStateNotIn(x), Guard::TaskStateNotIn(y)) => {
            if x.len() != y.len() {
                return false;
            }
            let mut i = 0;
            while i < x.len() {
                if x[i] as u8 != y[i] as u8 {
                    return false;
                }
                i += 1;
            }
            true
        }
        _ => false,
    }
}

/// The table's guards, one after another in table order.
const GUARD_FLAT: [Guard; GUARD_COUNT] = {
    let mut out = [Guard::Lock; GUARD_COUNT];
    let (mut n, mut i) = (0, 0);
    while i < TABLE.len() {
        let mut j = 0;
        while j < TABLE[i].guards.len() {
            out[n] = TABLE[i].guards[j];
            n += 1;
            j += 1;
        }
        i += 1;
    }
    out
};

/// For each of [`GUARD_FLAT`], its index among the distinct guards (first occurrence first);
/// and how many are distinct.
const GUARD_OF: ([u8; GUARD_COUNT], usize) = {
    let mut of = [0u8; GUARD_COUNT];
    let mut count = 0;
    let mut n = 0;
    while n < GUARD_COUNT {
        let mut m = 0;
        while m < n && !same_guard(&GUARD_FLAT[m], &GUARD_FLAT[n]) {
            m += 1;
        }
        of[n] = if m < n { of[m] } else { count as u8 };
        if m == n {
            assert!(count < 255);
            count += 1;
        }
        n += 1;
    }
    (of, count)
};

/// Each distinct guard of the table once.
static GUARD_POOL: [Guard; GUARD_OF.1] = {
    let mut out = [Guard::Lock; GUARD_OF.1];
    let mut n = 0;
    while n < GUARD_COUNT {
        out[GUARD_OF.0[n] as usize] = GUARD_FLAT[n];
        n += 1;
    }
    out
};

/// Every row's guards, one after another in table order, as indices into [`GUARD_POOL`].
static GUARD_CODES: [u8; GUARD_COUNT] = GUARD_OF.0;

/// Where each row's guards start in [`GUARD_CODES`]; the last item is their count.
static GUARD_START: [u8; TABLE.len() + 1] = {
    assert!(GUARD_COUNT < 256);
    let mut out = [0u8; TABLE.len() + 1];
    let mut i = 0;
    while i < TABLE.len() {
        out[i + 1] = out[i] + TABLE[i].guards.len() as u8;
        i += 1;
    }
    out
};

/// One row's guards, in the order Nova runs them ([`Action::guards`]).
#[derive(Clone, Copy, Debug)]
pub struct Guards(&'static [u8]);

impl Guards {
    /// The guard at `index`.
    pub fn get(&self, index: usize) -> Option<&'static Guard> {
        GUARD_POOL.get(*self.0.get(index)? as usize)
    }

    /// The guards, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'static Guard> {
        self.0.iter().filter_map(|&g| GUARD_POOL.get(g as usize))
    }

    /// How many guards.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether two names are the same (`==` is not `const`).
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// How many policy checks the table has in all.
const POLICY_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < TABLE.len() {
        n += TABLE[i].policy.len();
        i += 1;
    }
    n
};

/// The policy checks of the table, one after another in table order.
const POLICY_FLAT: [PolicyCheck; POLICY_COUNT] = {
    let mut out = [TABLE[0].policy[0]; POLICY_COUNT];
    let (mut n, mut i) = (0, 0);
    while i < TABLE.len() {
        let mut j = 0;
        while j < TABLE[i].policy.len() {
            out[n] = TABLE[i].policy[j];
            n += 1;
            j += 1;
        }
        i += 1;
    }
    out
};

/// For each of [`POLICY_FLAT`], the index of its rule among the distinct rule names (first
/// occurrence first); how many there are; and the length of their names in all.
const RULE_OF: ([u8; POLICY_COUNT], usize, usize) = {
    let mut of = [0u8; POLICY_COUNT];
    let (mut count, mut bytes) = (0, 0);
    let mut n = 0;
    while n < POLICY_COUNT {
        let name = POLICY_FLAT[n].rule;
        let mut m = 0;
        while m < n && !same(POLICY_FLAT[m].rule, name) {
            m += 1;
        }
        if m < n {
            of[n] = of[m];
        } else {
            assert!(count < 255);
            of[n] = count as u8;
            count += 1;
            bytes += name.len();
        }
        n += 1;
    }
    (of, count, bytes)
};

/// How many distinct rules the policy column names ([`crate::nova_policy::PolicyRule::COUNT`]).
pub(crate) const RULE_COUNT: usize = RULE_OF.1;

/// Each distinct rule name once, first occurrence first, one after another; and where each
/// starts (the last item is where the last ends).
const RULE_POOL: ([u8; RULE_OF.2], [u16; RULE_COUNT + 1]) = {
    let mut text = [0u8; RULE_OF.2];
    let mut starts = [0u16; RULE_COUNT + 1];
    let (mut r, mut at) = (0, 0);
    let mut n = 0;
    while n < POLICY_COUNT {
        if RULE_OF.0[n] as usize == r {
            let name = POLICY_FLAT[n].rule.as_bytes();
            let mut b = 0;
            while b < name.len() {
                text[at] = name[b];
                at += 1;
                b += 1;
            }
            r += 1;
            starts[r] = at as u16;
        }
        n += 1;
    }
    (text, starts)
};

/// The rule names, one after another ([`RULE_STARTS`] says where each starts).
static RULE_TEXT: &str = match core::str::from_utf8(&RULE_POOL.0) {
    Ok(text) => text,
    Err(_) => panic!("rule names are text"),
};

/// Where each rule name starts in [`RULE_TEXT`]; the last item is its length.
static RULE_STARTS: [u16; RULE_COUNT + 1] = RULE_POOL.1;

/// The name of the rule at `index` among the distinct rules of the policy column.
#[inline(never)]
pub(crate) fn rule_name(index: usize) -> &'static str {
    match RULE_STARTS.get(index..index + 2) {
        Some(&[start, end]) => RULE_TEXT.get(start as usize..end as usize).unwrap_or(""),
        _ => "",
    }
}

/// The index of the rule named `name` among the distinct rules of the policy column.
pub(crate) fn rule_index(name: &str) -> Option<usize> {
    RULE_STARTS.windows(2).position(|w| {
        RULE_TEXT.as_bytes().get(w[0] as usize..w[1] as usize) == Some(name.as_bytes())
    })
}

/// The name of the REST entry at `index` among every entry of the table; `None` past them
/// (`u8::MAX` stands for every entry of a row).
pub(crate) fn entry_name(index: u8) -> Option<&'static str> {
    ENTRIES.get(index as usize).map(|e| e.name())
}

/// The code of REST or method name `name` ([`Entry::name_code`]), at compile time.
pub(crate) const fn name_code(name: &str) -> u8 {
    let mut k = 0;
    while !same(LOOKUP_LIST.0[k], name) {
        k += 1;
    }
    k as u8
}

impl RuleCheck {
    /// [`RuleCheck::applies`] to the REST entry `entry`, by its name's code.
    pub(crate) fn applies_to(&self, entry: &Entry, release: Release) -> bool {
        self.releases.contains(release)
            && ENTRIES
                .get(self.entry as usize)
                .is_none_or(|e| e.name == entry.name)
    }
}

/// Every row's policy checks, one after another in table order, as [`RuleCheck`]s: the rule
/// by its index in the pool, the REST entry by its index in [`ENTRIES`].
static POLICY: [RuleCheck; POLICY_COUNT] = {
    let mut out = [RuleCheck {
        rule: PolicyRule(0),
        when: When::Always,
        place: Place::AfterLookup,
        target: TargetKeys::Empty,
        releases: Releases::ALL,
        entry: u8::MAX,
    }; POLICY_COUNT];
    let (mut n, mut i) = (0, 0);
    while i < TABLE.len() {
        let mut j = 0;
        while j < TABLE[i].policy.len() {
            let check = TABLE[i].policy[j];
            let entry = match check.entry {
                None => u8::MAX,
                Some(via) => {
                    let mut e = 0;
                    while !same(TABLE[i].rest[e].name, via) {
                        e += 1;
                    }
                    (ENTRY_START_OF[i] as usize + e) as u8
                }
            };
            out[n] = RuleCheck {
                rule: PolicyRule(RULE_OF.0[n]),
                when: check.when,
                place: check.place,
                target: check.target,
                releases: check.releases,
                entry,
            };
            n += 1;
            j += 1;
        }
        i += 1;
    }
    out
};

/// Where each row's checks start in [`POLICY`]; the last item is their count.
static POLICY_START: [u8; TABLE.len() + 1] = {
    assert!(POLICY_COUNT < 256 && RULE_COUNT < 256);
    let mut out = [0u8; TABLE.len() + 1];
    let mut i = 0;
    while i < TABLE.len() {
        out[i + 1] = out[i] + TABLE[i].policy.len() as u8;
        i += 1;
    }
    out
};

/// The most policy checks one row has.
pub(crate) const MAX_POLICY: usize = {
    let mut most = 0;
    let mut i = 0;
    while i < TABLE.len() {
        if TABLE[i].policy.len() > most {
            most = TABLE[i].policy.len();
        }
        i += 1;
    }
    most
};

/// How many REST entries the table has in all.
const ENTRY_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < TABLE.len() {
        n += TABLE[i].rest.len();
        i += 1;
    }
    n
};

/// Every row's REST entries as written, one after another in table order.
const WRITTEN: [Written; ENTRY_COUNT] = {
    let mut out = [TABLE[0].rest[0]; ENTRY_COUNT];
    let (mut n, mut i) = (0, 0);
    while i < TABLE.len() {
        let mut j = 0;
        while j < TABLE[i].rest.len() {
            out[n] = TABLE[i].rest[j];
            n += 1;
            j += 1;
        }
        i += 1;
    }
    out
};

/// Every row's REST entries, one after another in table order, each named by its index in
/// [`LOOKUP_POOL`].
static REST_ALL: [Rest; ENTRY_COUNT] = {
    let mut out = [WRITTEN[0].rest; ENTRY_COUNT];
    let mut n = 0;
    while n < ENTRY_COUNT {
        out[n] = WRITTEN[n].rest;
        let mut k = 0;
        while !same(LOOKUP_LIST.0[k], WRITTEN[n].name) {
            k += 1;
        }
        out[n].entry.name = k as u8;
        if let Some(said) = WRITTEN[n].said {
            out[n].entry.refusal.name = text_code(said);
        }
        n += 1;
    }
    out
};

/// The decision column of [`REST_ALL`].
static ENTRIES: [Entry; ENTRY_COUNT] = {
    let mut out = [REST_ALL[0].entry; ENTRY_COUNT];
    let mut n = 0;
    while n < ENTRY_COUNT {
        out[n] = REST_ALL[n].entry;
        n += 1;
    }
    out
};

/// Whether each entry of [`ENTRIES`] is named as no method and no earlier entry is: the
/// names [`Action::lookup`]'s error lists after the method names.
const NEW_ENTRY_NAMES: [bool; ENTRY_COUNT] = {
    let mut out = [false; ENTRY_COUNT];
    let mut i = 0;
    while i < ENTRY_COUNT {
        let name = WRITTEN[i].name;
        let mut new = true;
        let mut k = 0;
        while k < Action::WIRE.len() {
            new = new && !same(Action::WIRE[k], name);
            k += 1;
        }
        let mut e = 0;
        while e < i {
            new = new && !same(WRITTEN[e].name, name);
            e += 1;
        }
        out[i] = new;
        i += 1;
    }
    out
};

/// How many names [`Action::lookup`]'s error lists.
const LOOKUP_NAMES: usize = {
    let mut n = Action::WIRE.len();
    let mut i = 0;
    while i < ENTRY_COUNT {
        if NEW_ENTRY_NAMES[i] {
            n += 1;
        }
        i += 1;
    }
    n
};

/// The names [`Action::lookup`] takes, in the order its error lists them: the method names,
/// then the entries' names new to the list; and, for each of those, its first entry's index
/// in [`ENTRIES`].
const LOOKUP_LIST: ([&str; LOOKUP_NAMES], [u8; LOOKUP_NAMES - Action::ALL.len()]) = {
    let mut names = [""; LOOKUP_NAMES];
    let mut entries = [0u8; LOOKUP_NAMES - Action::ALL.len()];
    let mut n = 0;
    while n < Action::WIRE.len() {
        names[n] = Action::WIRE[n];
        n += 1;
    }
    let mut i = 0;
    while i < ENTRY_COUNT {
        if NEW_ENTRY_NAMES[i] {
            names[n] = WRITTEN[i].name;
            entries[n - Action::ALL.len()] = i as u8;
            n += 1;
        }
        i += 1;
    }
    (names, entries)
};

/// Whether each handler name of [`WRITTEN`] is a name neither [`LOOKUP_LIST`] nor an earlier handler has.
const NEW_SAID: [bool; ENTRY_COUNT] = {
    let mut out = [false; ENTRY_COUNT];
    let mut i = 0;
    while i < ENTRY_COUNT {
        if let Some(said) = WRITTEN[i].said {
            let mut new = true;
            let mut k = 0;
            while k < LOOKUP_NAMES {
                new = new && !same(LOOKUP_LIST.0[k], said);
                k += 1;
            }
            let mut e = 0;
            while e < i {
                if let Some(earlier) = WRITTEN[e].said {
                    new = new && !same(earlier, said);
                }
                e += 1;
            }
            out[i] = new;
        }
        i += 1;
    }
    out
};

/// How many names [`TEXT_POOL`] has: [`LOOKUP_LIST`]'s, then the handlers' new ones.
const TEXT_NAMES: usize = {
    let mut n = LOOKUP_NAMES;
    let mut i = 0;
    while i < ENTRY_COUNT {
        if NEW_SAID[i] {
            n += 1;
        }
        i += 1;
    }
    n
};

/// [`LOOKUP_LIST`]'s names, then the handlers' names new to them.
const TEXT_LIST: [&str; TEXT_NAMES] = {
    let mut names = [""; TEXT_NAMES];
    let mut n = 0;
    while n < LOOKUP_NAMES {
        names[n] = LOOKUP_LIST.0[n];
        n += 1;
    }
    let mut i = 0;
    while i < ENTRY_COUNT {
        if let (true, Some(said)) = (NEW_SAID[i], WRITTEN[i].said) {
            names[n] = said;
            n += 1;
        }
        i += 1;
    }
    names
};

/// The code of `name` in [`TEXT_LIST`], at compile time.
const fn text_code(name: &str) -> u8 {
    let mut k = 0;
    while !same(TEXT_LIST[k], name) {
        k += 1;
    }
    k as u8
}

/// Every name of the table as one pool: what lookup takes, then the handlers' names.
const TEXT_POOL: Names = pool!(&TEXT_LIST);

/// [`LOOKUP_LIST`]'s names: the start of [`TEXT_POOL`].
const LOOKUP_POOL: Names = TEXT_POOL.first(LOOKUP_NAMES);

/// The method names: the start of [`LOOKUP_POOL`].
const ACTION_POOL: Names = LOOKUP_POOL.first(Action::ALL.len());

/// The index in [`ENTRIES`] of each name of [`LOOKUP_POOL`] past the method names.
static LOOKUP_ENTRY: [u8; LOOKUP_NAMES - Action::ALL.len()] = LOOKUP_LIST.1;

/// Where each row's entries start in [`ENTRIES`]; the last item is their count.
static ENTRY_START: [u8; TABLE.len() + 1] = ENTRY_START_OF;

/// [`ENTRY_START`], for compile-time use.
const ENTRY_START_OF: [u8; TABLE.len() + 1] = {
    assert!(ENTRY_COUNT < 256 && TEXT_NAMES < 255);
    let mut out = [0u8; TABLE.len() + 1];
    let mut i = 0;
    while i < TABLE.len() {
        assert!(!TABLE[i].rest.is_empty(), "every row has a REST entry");
        out[i + 1] = out[i] + TABLE[i].rest.len() as u8;
        i += 1;
    }
    out
};

/// The vm and task states a row's guards accept, as bitmasks: bit `i` of `vm` for
/// `VmState::ALL[i]`; bit 0 of `task` for no task, bit `i + 1` for `TaskState::ALL[i]`.
#[derive(Clone, Copy)]
pub(crate) struct Accepts {
    pub(crate) vm: u16,
    pub(crate) task: u64,
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

/// A task state's bit in [`Accepts::task`].
pub(crate) const fn task_bit(task: Option<TaskState>) -> u64 {
    match task {
        None => 1,
        Some(t) => 1 << (t as u32 + 1),
    }
}

const fn accepts(guards: &[Guard]) -> Accepts {
    let mut out = Accepts {
        vm: u16::MAX,
        task: u64::MAX,
    };
    let mut g = 0;
    while g < guards.len() {
        match guards[g] {
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
            Guard::TaskStateNotIn(tasks) => {
                let mut i = 0;
                while i < tasks.len() {
                    out.task &= !task_bit(Some(tasks[i]));
                    i += 1;
                }
            }
            _ => {}
        }
        g += 1;
    }
    // Nova's API does not find a deleted server, whatever the decorators would accept.
    out.vm &= !(1 << VmState::Deleted as u16);
    out
}

/// [`Accepts`] of every row, as computed.
const ACCEPTS_OF: [Accepts; TABLE.len()] = {
    const _: () = assert!(TaskState::ALL.len() < 63 && VmState::ALL.len() <= 16);
    let mut out = [Accepts { vm: 0, task: 0 }; TABLE.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = accepts(TABLE[i].guards);
        i += 1;
    }
    out
};

/// For each row, the index of its task bits among the distinct ones (first occurrence
/// first), and how many are distinct.
const TASKS_OF: ([u8; TABLE.len()], usize) = {
    let mut of = [0u8; TABLE.len()];
    let mut count = 0;
    let mut i = 0;
    while i < TABLE.len() {
        let mut j = 0;
        while j < i && ACCEPTS_OF[j].task != ACCEPTS_OF[i].task {
            j += 1;
        }
        of[i] = if j < i { of[j] } else { count as u8 };
        if j == i {
            count += 1;
        }
        i += 1;
    }
    (of, count)
};

/// The vm states each row accepts ([`Accepts::vm`]).
static ACCEPTED_VM: [u16; TABLE.len()] = {
    let mut out = [0u16; TABLE.len()];
    let mut i = 0;
    while i < TABLE.len() {
        out[i] = ACCEPTS_OF[i].vm;
        i += 1;
    }
    out
};

/// Each row's index into [`ACCEPTED_TASKS`].
static ACCEPTED_TASKS_OF: [u8; TABLE.len()] = TASKS_OF.0;

/// The distinct task bits rows accept ([`Accepts::task`]).
static ACCEPTED_TASKS: [u64; TASKS_OF.1] = {
    let mut out = [0u64; TASKS_OF.1];
    let mut i = 0;
    while i < TABLE.len() {
        out[TASKS_OF.0[i] as usize] = ACCEPTS_OF[i].task;
        i += 1;
    }
    out
};

/// For each vm state, the task states some action shows while it runs from that state (the
/// task it sets, and the later ones the compute service moves through), as [`task_bit`]s.
static TASKS_SHOWN: [u64; VmState::ALL.len()] = {
    let mut out = [0u64; VmState::ALL.len()];
    let mut i = 0;
    while i < TABLE.len() {
        let rule = &TABLE[i];
        let starts = ACCEPTS_OF[i].vm;
        let mut vm = 0;
        while vm < VmState::ALL.len() {
            let from_here = starts & (1 << vm) != 0;
            if let Some(task) = rule.sets_task {
                if from_here {
                    out[vm] |= task_bit(Some(task));
                }
            }
            let mut l = 0;
            while l < rule.later_tasks.len() {
                let later = rule.later_tasks[l];
                let shown = match later.with {
                    Some(with) => with as usize == vm,
                    None => from_here,
                };
                if shown {
                    out[vm] |= task_bit(Some(later.task));
                }
                l += 1;
            }
            vm += 1;
        }
        i += 1;
    }
    out
};

/// Whether some action shows `task` while it runs from `vm` (sets it, or moves through it).
pub fn action_shows_task(vm: VmState, task: TaskState) -> bool {
    TASKS_SHOWN
        .get(vm.index())
        .is_some_and(|bits| bits & task_bit(Some(task)) != 0)
}

/// The most guards one row has (the binding packs one bit per guard).
pub const MAX_GUARDS: usize = {
    let mut most = 0;
    let mut i = 0;
    while i < TABLE.len() {
        if TABLE[i].guards.len() > most {
            most = TABLE[i].guards.len();
        }
        i += 1;
    }
    most
};

impl Action {
    /// Nova's checks for this action, in the order Nova runs them (outermost decorator first).
    pub fn guards(self) -> Guards {
        let i = self.index();
        Guards(match (GUARD_START.get(i), GUARD_START.get(i + 1)) {
            (Some(&a), Some(&b)) => GUARD_CODES.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        })
    }

    /// The policy checks this action's REST entries make (see [`PolicyCheck::applies`]).
    pub fn policy_checks(self) -> &'static [RuleCheck] {
        let i = self.index();
        match (POLICY_START.get(i), POLICY_START.get(i + 1)) {
            (Some(&a), Some(&b)) => POLICY.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The REST entries that reach this action; the first is the main one.
    pub fn entries(self) -> &'static [Entry] {
        let i = self.index();
        match (ENTRY_START.get(i), ENTRY_START.get(i + 1)) {
            (Some(&a), Some(&b)) => ENTRIES.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The main REST entry: the first the table lists.
    pub fn main_entry(self) -> &'static Entry {
        let start = ENTRY_START[self.index()] as usize;
        &ENTRIES[start]
    }

    /// The first REST entry that exists at microversion `v`.
    pub fn entry_at(self, v: Microversion) -> Option<&'static Entry> {
        self.entries().iter().find(|r| r.exists_at(v))
    }

    /// The position of `entry` among every REST entry of the table, for codes that name one.
    pub fn entry_index(entry: &Entry) -> usize {
        ENTRIES
            .iter()
            .position(|e| core::ptr::eq(e, entry))
            .unwrap_or(0)
    }

    /// The REST entry at `index` among every entry of the table, with the action it reaches.
    pub fn entry_by_index(index: usize) -> Option<(Action, &'static Entry)> {
        let entry = ENTRIES.get(index)?;
        let row = ENTRY_START.iter().rposition(|&s| s as usize <= index)?;
        Some((*Action::ALL.get(row)?, entry))
    }

    pub(crate) fn accepts(self) -> Accepts {
        let i = self.index();
        match (ACCEPTED_VM.get(i), ACCEPTED_TASKS_OF.get(i)) {
            (Some(&vm), Some(&t)) => Accepts {
                vm,
                task: ACCEPTED_TASKS.get(t as usize).copied().unwrap_or(0),
            },
            _ => Accepts { vm: 0, task: 0 },
        }
    }

    /// The vm states every vm-state guard accepts, in Nova's order. Never `deleted`: Nova's
    /// API does not find a deleted server (HTTP 404) whatever the decorators would accept.
    pub fn accepted_vm_states(self) -> impl Iterator<Item = VmState> {
        let bits = self.accepts().vm;
        VmState::ALL
            .iter()
            .copied()
            .filter(move |s| bits & (1 << *s as u16) != 0)
    }

    /// The task states (`None` = no task) every task-state guard accepts.
    pub fn accepted_task_states(self) -> impl Iterator<Item = Option<TaskState>> {
        let bits = self.accepts().task;
        core::iter::once(None)
            .chain(TaskState::ALL.iter().copied().map(Some))
            .filter(move |t| bits & task_bit(*t) != 0)
    }

    /// The action a REST name reaches at microversion `at`: the first row with an entry of
    /// that name that exists there (`GET /servers/{id}/diagnostics` is `get_diagnostics`
    /// before 2.48 and `get_instance_diagnostics` from 2.48).
    pub fn reached_by(name: &str, at: Microversion) -> Option<(Action, &'static Entry)> {
        let code = position(name, LOOKUP_POOL, false)?;
        Action::reached_by_code(code as u8, at)
    }

    /// [`Action::reached_by`] the name of `entry`.
    pub(crate) fn reached_by_name_of(
        entry: &Entry,
        at: Microversion,
    ) -> Option<(Action, &'static Entry)> {
        Action::reached_by_code(entry.name, at)
    }

    fn reached_by_code(code: u8, at: Microversion) -> Option<(Action, &'static Entry)> {
        Action::ALL.iter().find_map(|&action| {
            action
                .entries()
                .iter()
                .find(|r| r.name == code && r.exists_at(at))
                .map(|r| (action, r))
        })
    }

    /// The rules table row for this action: every column, the descriptive ones too.
    pub fn rule(self) -> &'static Rule {
        &RULES[self.index()]
    }

    /// Finds an action by compute API method name (`shelve_offload`) or REST action name
    /// (`shelveOffload`, `os-stop`, `DELETE /servers/{id}`). A REST name shared by two methods
    /// means the first: `reboot` is `reboot_soft`, `createImage` is `snapshot`,
    /// `DELETE /servers/{id}` is `delete`.
    pub fn lookup(name: &str) -> Result<(Action, Option<&'static Entry>), Error> {
        let i = parse_index("action", name, LOOKUP_POOL)?;
        match i.checked_sub(Action::ALL.len()) {
            None => Ok((Action::ALL[i], None)),
            Some(rest) => {
                let index = LOOKUP_ENTRY.get(rest).map_or(usize::MAX, |&e| e as usize);
                match Action::entry_by_index(index) {
                    Some((action, entry)) => Ok((action, Some(entry))),
                    None => Err(unknown_name("action", name, LOOKUP_POOL)),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The table. Guards are listed outermost decorator first: that is the order Nova checks them.
// A bare `check_instance_state(vm_state=X)` is VmStateIn(X), TaskStateIn([None]), Launched.
// ---------------------------------------------------------------------------------------------

const fn v(minor: u16) -> Microversion {
    Microversion::v2(minor)
}

/// How a REST handler refuses, as the table writes it: its name as text (the entry's
/// [`Refusal`] holds its code in [`TEXT_POOL`]).
#[derive(Clone, Copy)]
struct Handler {
    name: Option<&'static str>,
    state: Reply,
    lock: Reply,
    not_ready: Reply,
}

/// The usual handler: a named 409 for bad states, the exceptions' own 409s for lock and host.
const fn conflict(name: &'static str) -> Handler {
    Handler {
        name: Some(name),
        state: Reply::Named409,
        lock: Reply::Own409,
        not_ready: Reply::Own409,
    }
}

/// A handler that also catches the lock refusal only as an invalid state: its generic 409.
const fn conflict_lock_generic(name: &'static str) -> Handler {
    Handler {
        name: Some(name),
        state: Reply::Named409,
        lock: Reply::Named409,
        not_ready: Reply::Own409,
    }
}

/// A handler that catches nothing: every refusal escapes as HTTP 500.
const UNCAUGHT: Handler = Handler {
    name: None,
    state: Reply::Uncaught500,
    lock: Reply::Uncaught500,
    not_ready: Reply::Uncaught500,
};

const fn rest(name: &'static str, refusal: Handler, source: &'static str) -> Written {
    rest_until_opt(name, 1, None, refusal, source)
}

const fn rest_from(
    name: &'static str,
    min: u16,
    refusal: Handler,
    source: &'static str,
) -> Written {
    rest_until_opt(name, min, None, refusal, source)
}

const fn rest_until(
    name: &'static str,
    min: u16,
    max: u16,
    refusal: Handler,
    source: &'static str,
) -> Written {
    rest_until_opt(name, min, Some(v(max)), refusal, source)
}

const fn rest_until_opt(
    name: &'static str,
    min: u16,
    max: Option<Microversion>,
    refusal: Handler,
    source: &'static str,
) -> Written {
    Written {
        name,
        said: refusal.name,
        rest: Rest {
            entry: Entry {
                name: 0,
                min: v(min),
                max,
                refusal: Refusal {
                    name: u8::MAX,
                    state: refusal.state,
                    lock: refusal.lock,
                    not_ready: refusal.not_ready,
                },
                releases: Releases::ALL,
            },
            source,
        },
    }
}

/// A later task state shown with the start vm state.
const fn then(task: TaskState) -> Later {
    Later { task, with: None }
}

/// A later task state shown with another vm state than the start one.
const fn then_in(task: TaskState, with: VmState) -> Later {
    Later {
        task,
        with: Some(with),
    }
}

const fn to(to: VmState) -> End {
    End {
        from: None,
        to,
        when: "",
    }
}

const fn from_to(from: VmState, to: VmState, when: &'static str) -> End {
    End {
        from: Some(from),
        to,
        when,
    }
}

const NO_TASK: Guard = Guard::TaskStateIn(&[None]);
const HOST: Guard = Guard::Host {
    up: false,
    except: &[],
};
const HOST_UP: Guard = Guard::Host {
    up: true,
    except: &[],
};
const LOCK: Guard = Guard::Lock;
const LAUNCHED: Guard = Guard::Launched;

/// `vm_states.ALLOW_HARD_REBOOT`.
const ALLOW_HARD_REBOOT: &[VmState] = &[V::Active, V::Stopped, V::Paused, V::Suspended, V::Error];
/// `task_states.ALLOW_REBOOT`.
const ALLOW_REBOOT: &[Option<TaskState>] = &[
    None,
    Some(T::Rebooting),
    Some(T::RebootPending),
    Some(T::RebootStarted),
    Some(T::Resuming),
    Some(T::RebootingHard),
    Some(T::Unpausing),
    Some(T::Pausing),
    Some(T::Suspending),
];
/// `vm_states.ALLOW_TRIGGER_CRASH_DUMP`.
const ALLOW_TRIGGER_CRASH_DUMP: &[VmState] =
    &[V::Active, V::Paused, V::Rescued, V::Resized, V::Error];
/// The vm states snapshot, backup and shelve accept.
const IMAGE_STATES: &[VmState] = &[V::Active, V::Stopped, V::Paused, V::Suspended];
/// The vm states volume attach and detach accept.
const VOLUME_STATES: &[VmState] = &[
    V::Active,
    V::Paused,
    V::Stopped,
    V::Resized,
    V::SoftDeleted,
    V::Shelved,
    V::ShelvedOffloaded,
];
/// The volume handlers refuse shelved servers before 2.20 (`volume_attachments.py`
/// `_check_request_version`), before the compute API's own checks.
const SHELVED_VOLUMES_SINCE_2_20: Guard =
    Guard::VmStateSince(&[V::Shelved, V::ShelvedOffloaded], v(20));
/// `detach_volume` detaches a shelved_offloaded server's volume locally; for every other state
/// it goes through `_detach_volume`, decorated `check_instance_host(check_is_up=True)`.
const DETACH_HOST: Guard = Guard::Host {
    up: true,
    except: &[V::ShelvedOffloaded],
};
/// The vm states metadata changes accept.
const METADATA_STATES: &[VmState] = &[V::Active, V::Paused, V::Suspended, V::Stopped];
/// The task states consoles refuse.
const CONSOLE_REJECTS: &[TaskState] = &[T::Deleting, T::Migrating];

/// Consoles whose handler catches only a missing host: state refusals escape as 500.
const CONSOLE_NEW: Handler = Handler {
    name: None,
    state: Reply::Uncaught500,
    lock: Reply::Uncaught500,
    not_ready: Reply::Own409,
};

/// The assisted volume snapshot handlers answer refusals with HTTP 400 and the exception's
/// text, which names the inner function Nova decorates.
const fn assisted_snapshot(method: &'static str) -> Handler {
    Handler {
        name: Some(method),
        state: Reply::Own400,
        lock: Reply::Uncaught500,
        not_ready: Reply::Own400,
    }
}
/// The same entry, in `releases` only.
const fn only_in(mut written: Written, releases: Releases) -> Written {
    written.rest.entry.releases = releases;
    written
}
/// The tags handlers' own vm-state check (`server_tags.py` `_check_instance_in_valid_state`).
const TAG_STATES: &[VmState] = &[V::Active, V::Paused, V::Suspended, V::Stopped];
const REMOTE_CONSOLES: &str = "POST /servers/{id}/remote-consoles";
const REMOTE_CONSOLES_SRC: &str = "nova/api/openstack/compute/remote_consoles.py:145";

/// Every rule, one row per [`Action`], in the order of [`Action::ALL`]: the whole table, the
/// descriptive columns too. Checks read only the decision columns derived from it
/// ([`Action::guards`], [`Action::entries`]).
pub static RULES: [Rule; TABLE.len()] = {
    let mut out = [rule(&TABLE[0], &[]); TABLE.len()];
    let mut i = 0;
    while i < TABLE.len() {
        let (_, rest) = REST_ALL.split_at(ENTRY_START_OF[i] as usize);
        let (rest, _) = rest.split_at(TABLE[i].rest.len());
        out[i] = rule(&TABLE[i], rest);
        i += 1;
    }
    out
};

/// The rule of a row as written, with its REST entries `rest`.
const fn rule(row: &Row, rest: &'static [Rest]) -> Rule {
    Rule {
        action: row.action,
        guards: row.guards,
        rest,
        policy: row.policy,
        sets_task: row.sets_task,
        later_tasks: row.later_tasks,
        ends: row.ends,
        notes: row.notes,
        in_paths: row.in_paths,
        source: row.source,
    }
}

/// The table as written: the one place a rule is stated.
const TABLE: [Row; 60] = [
    Row {
        action: Action::Start,
        guards: &[LOCK, HOST, Guard::VmStateIn(&[V::Stopped]), NO_TASK, LAUNCHED],
        rest: &[rest("os-start", conflict("start"), "nova/api/openstack/compute/servers.py:1538")],
        policy: &[PolicyCheck::project_user("os_compute_api:servers:start")],
        sets_task: Some(T::PoweringOn),
        later_tasks: &[],
        ends: &[to(V::Active)],
        notes: "",
        in_paths: true,
        source: "nova/compute/api.py:2880",
    },
    Row {
        action: Action::Stop,
        guards: &[LOCK, HOST, Guard::VmStateIn(&[V::Active, V::Error]), NO_TASK, LAUNCHED],
        rest: &[rest("os-stop", conflict("stop"), "nova/api/openstack/compute/servers.py:1558")],
        policy: &[PolicyCheck::project_user("os_compute_api:servers:stop")],
        sets_task: Some(T::PoweringOff),
        later_tasks: &[],
        ends: &[to(V::Stopped)],
        notes: "",
        in_paths: true,
        source: "nova/compute/api.py:2873",
    },
    Row {
        action: Action::Pause,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active]), NO_TASK, LAUNCHED],
        rest: &[rest("pause", conflict("pause"), "nova/api/openstack/compute/pause_server.py:35")],
        policy: &[PolicyCheck::project_user("os_compute_api:os-pause-server:pause")],
        sets_task: Some(T::Pausing),
        later_tasks: &[],
        ends: &[to(V::Paused)],
        notes: "",
        in_paths: true,
        source: "nova/compute/api.py:4838",
    },
    Row {
        action: Action::Unpause,
        guards: &[LOCK, Guard::VmStateIn(&[V::Paused]), NO_TASK, LAUNCHED],
        rest: &[rest("unpause", conflict("unpause"), "nova/api/openstack/compute/pause_server.py:59")],
        policy: &[PolicyCheck::project("os_compute_api:os-pause-server:unpause")],
        sets_task: Some(T::Unpausing),
        later_tasks: &[],
        ends: &[to(V::Active)],
        notes: "",
        in_paths: true,
        source: "nova/compute/api.py:4847",
    },
    Row {
        action: Action::Suspend,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active]), NO_TASK, LAUNCHED],
        rest: &[rest("suspend", conflict("suspend"), "nova/api/openstack/compute/suspend_server.py:34")],
        policy: &[PolicyCheck::project_user("os_compute_api:os-suspend-server:suspend")],
        sets_task: Some(T::Suspending),
        later_tasks: &[],
        ends: &[to(V::Suspended)],
        notes: "also refused for servers with shares, accelerator ports, vDPA ports (old computes) or SEV memory encryption",
        in_paths: true,
        source: "nova/compute/api.py:4874",
    },
    Row {
        action: Action::Resume,
        guards: &[LOCK, Guard::VmStateIn(&[V::Suspended]), NO_TASK, LAUNCHED],
        rest: &[rest("resume", conflict("resume"), "nova/api/openstack/compute/suspend_server.py:60")],
        policy: &[PolicyCheck::project("os_compute_api:os-suspend-server:resume")],
        sets_task: Some(T::Resuming),
        later_tasks: &[],
        ends: &[to(V::Active)],
        notes: "",
        in_paths: true,
        source: "nova/compute/api.py:4886",
    },
    Row {
        action: Action::RebootSoft,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active]), NO_TASK, LAUNCHED],
        rest: &[rest("reboot", conflict("reboot"), "nova/api/openstack/compute/servers.py:1131")],
        policy: &[PolicyCheck::project("os_compute_api:servers:reboot")],
        sets_task: Some(T::Rebooting),
        later_tasks: &[then(T::RebootPending), then(T::RebootStarted)],
        ends: &[to(V::Active)],
        notes: "REST action reboot with type SOFT",
        in_paths: true,
        source: "nova/compute/api.py:3653",
    },
    Row {
        action: Action::RebootHard,
        guards: &[LOCK, Guard::VmStateIn(ALLOW_HARD_REBOOT), Guard::TaskStateIn(ALLOW_REBOOT), LAUNCHED],
        rest: &[rest("reboot", conflict("reboot"), "nova/api/openstack/compute/servers.py:1131")],
        policy: &[PolicyCheck::project("os_compute_api:servers:reboot")],
        sets_task: Some(T::RebootingHard),
        later_tasks: &[then(T::RebootPendingHard), then(T::RebootStartedHard)],
        ends: &[to(V::Active)],
        notes: "REST action reboot with type HARD; accepted during a soft reboot, pause, unpause, suspend or resume, so it can unstick them",
        in_paths: true,
        source: "nova/compute/api.py:3666",
    },
    Row {
        action: Action::Rescue,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active, V::Stopped, V::Error]), NO_TASK, LAUNCHED],
        rest: &[rest("rescue", conflict("rescue"), "nova/api/openstack/compute/rescue.py:43")],
        policy: &[PolicyCheck::project_user("os_compute_api:os-rescue")],
        sets_task: Some(T::Rescuing),
        later_tasks: &[],
        ends: &[to(V::Rescued)],
        notes: "a volume-backed server needs 2.87, an image with hw_rescue_bus and hw_rescue_device, and a host with COMPUTE_RESCUE_BFV (else HTTP 400); refused for vTPM servers",
        in_paths: true,
        source: "nova/compute/api.py:4897",
    },
    Row {
        action: Action::Unrescue,
        guards: &[LOCK, Guard::VmStateIn(&[V::Rescued]), NO_TASK, LAUNCHED],
        rest: &[rest("unrescue", conflict("unrescue"), "nova/api/openstack/compute/rescue.py:89")],
        policy: &[PolicyCheck::project("os_compute_api:os-unrescue")],
        sets_task: Some(T::Unrescuing),
        later_tasks: &[],
        ends: &[to(V::Active)],
        notes: "ends active even when the server was stopped or in error before the rescue",
        in_paths: true,
        source: "nova/compute/api.py:4961",
    },
    Row {
        action: Action::Resize,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active, V::Stopped]), NO_TASK, LAUNCHED, HOST_UP],
        rest: &[
            rest("resize", conflict("resize"), "nova/api/openstack/compute/servers.py:1151"),
            rest("migrate", conflict("migrate"), "nova/api/openstack/compute/migrate_server.py:42"),
        ],
        policy: &[
            PolicyCheck::project_user("os_compute_api:servers:resize").via("resize"),
            PolicyCheck::project("os_compute_api:os-migrate-server:migrate").via("migrate").releases(Releases::until(Release::R2023_1)),
            PolicyCheck::project("os_compute_api:os-migrate-server:migrate").via("migrate").when(When::NoHostNamed).releases(Releases::from(Release::R2023_2)),
            PolicyCheck::project("os_compute_api:os-migrate-server:migrate:host").via("migrate").when(When::HostNamed).releases(Releases::from(Release::R2023_2)),
        ],
        sets_task: Some(T::ResizePrep),
        later_tasks: &[then(T::ResizeMigrating), then(T::ResizeMigrated), then(T::ResizeFinish)],
        ends: &[to(V::Resized)],
        notes: "migrate is a resize to the same flavor (cold migration); the source compute service must be up (409 otherwise); refused for servers with shares or accelerators",
        in_paths: true,
        source: "nova/compute/api.py:4295",
    },
    Row {
        action: Action::ConfirmResize,
        guards: &[LOCK, Guard::VmStateIn(&[V::Resized]), NO_TASK, LAUNCHED],
        rest: &[rest("confirmResize", conflict("confirmResize"), "nova/api/openstack/compute/servers.py:1083")],
        policy: &[PolicyCheck::project("os_compute_api:servers:confirm_resize")],
        sets_task: None,
        later_tasks: &[],
        ends: &[
            from_to(V::Resized, V::Active, "power state is not shutdown"),
            from_to(V::Resized, V::Stopped, "power state is shutdown"),
        ],
        notes: "needs a finished migration (HTTP 400 otherwise) and the source compute up (409); sets no task state (resize_confirming is never used)",
        in_paths: true,
        source: "nova/compute/api.py:4117",
    },
    Row {
        action: Action::RevertResize,
        guards: &[LOCK, Guard::VmStateIn(&[V::Resized]), NO_TASK, LAUNCHED],
        rest: &[rest("revertResize", conflict("revertResize"), "nova/api/openstack/compute/servers.py:1107")],
        policy: &[PolicyCheck::project("os_compute_api:servers:revert_resize")],
        sets_task: Some(T::ResizeReverting),
        later_tasks: &[then_in(T::PoweringOff, V::Active)],
        ends: &[
            from_to(V::Resized, V::Active, "it was active before the resize"),
            from_to(V::Resized, V::Stopped, "it was stopped before the resize"),
        ],
        notes: "needs a finished migration (HTTP 400 otherwise)",
        in_paths: true,
        source: "nova/compute/api.py:4006",
    },
    Row {
        action: Action::Rebuild,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active, V::Stopped, V::Error]), NO_TASK, LAUNCHED],
        rest: &[rest("rebuild", conflict("rebuild"), "nova/api/openstack/compute/servers.py:1241")],
        policy: &[
            PolicyCheck::project_user("os_compute_api:servers:rebuild"),
            PolicyCheck::project_user("os_compute_api:servers:rebuild:trusted_certs").when(When::TrustedCerts),
        ],
        sets_task: Some(T::Rebuilding),
        later_tasks: &[then(T::RebuildBlockDeviceMapping), then(T::RebuildSpawning), then_in(T::PoweringOff, V::Active)],
        ends: &[
            from_to(V::Active, V::Active, ""),
            from_to(V::Stopped, V::Stopped, ""),
            from_to(V::Error, V::Active, ""),
        ],
        notes: "a volume-backed server can be rebuilt with another image only from 2.93; refused for vTPM servers, shares and accelerators",
        in_paths: true,
        source: "nova/compute/api.py:3689",
    },
    Row {
        action: Action::Evacuate,
        guards: &[Guard::VmStateIn(&[V::Active, V::Stopped, V::Error]), LAUNCHED],
        rest: &[rest("evacuate", conflict("evacuate"), "nova/api/openstack/compute/evacuate.py:90")],
        policy: &[PolicyCheck::project_user("os_compute_api:os-evacuate")],
        sets_task: Some(T::Rebuilding),
        later_tasks: &[then(T::RebuildBlockDeviceMapping), then(T::RebuildSpawning), then_in(T::PoweringOff, V::Active)],
        ends: &[
            from_to(V::Active, V::Active, "microversion before 2.95"),
            from_to(V::Active, V::Stopped, "microversion 2.95 or later"),
            from_to(V::Stopped, V::Stopped, ""),
            from_to(V::Error, V::Active, ""),
        ],
        notes: "no lock or task-state check; the source compute service must be down (HTTP 400 otherwise); admin-only by default policy",
        in_paths: false,
        source: "nova/compute/api.py:5720",
    },
    Row {
        action: Action::Shelve,
        guards: &[LOCK, Guard::VmStateIn(IMAGE_STATES), NO_TASK, LAUNCHED],
        rest: &[rest("shelve", conflict("shelve"), "nova/api/openstack/compute/shelve.py:40")],
        policy: &[PolicyCheck::project_user("os_compute_api:os-shelve:shelve")],
        sets_task: Some(T::Shelving),
        later_tasks: &[
            then(T::ShelvingImagePendingUpload),
            then(T::ShelvingImageUploading),
            then_in(T::ShelvingOffloading, V::Shelved),
        ],
        ends: &[
            End {
                from: None,
                to: V::ShelvedOffloaded,
                when: "the server is volume-backed, or shelved_offload_time is 0 (the default)",
            },
            End {
                from: None,
                to: V::Shelved,
                when: "it is image-backed and shelved_offload_time is not 0 (above 0, offloaded later)",
            },
        ],
        notes: "refused for vTPM servers, shares and accelerator ports",
        in_paths: true,
        source: "nova/compute/api.py:4558",
    },
    Row {
        action: Action::ShelveOffload,
        guards: &[LOCK, Guard::VmStateIn(&[V::Shelved]), NO_TASK, LAUNCHED],
        rest: &[rest("shelveOffload", conflict("shelveOffload"), "nova/api/openstack/compute/shelve.py:70")],
        policy: &[PolicyCheck::project_user("os_compute_api:os-shelve:shelve_offload")],
        sets_task: Some(T::ShelvingOffloading),
        later_tasks: &[],
        ends: &[to(V::ShelvedOffloaded)],
        notes: "clears the host",
        in_paths: true,
        source: "nova/compute/api.py:4597",
    },
    Row {
        action: Action::Unshelve,
        guards: &[LOCK, Guard::VmStateIn(&[V::Shelved, V::ShelvedOffloaded]), NO_TASK, LAUNCHED],
        rest: &[rest("unshelve", conflict("unshelve"), "nova/api/openstack/compute/shelve.py:104")],
        policy: &[
            PolicyCheck::project("os_compute_api:os-shelve:unshelve"),
            PolicyCheck::project_user("os_compute_api:os-shelve:unshelve_to_host").when(When::UnshelveToHost).at(Place::AfterStateCheck),
        ],
        sets_task: Some(T::Unshelving),
        later_tasks: &[then_in(T::PoweringOn, V::Shelved), then_in(T::Spawning, V::ShelvedOffloaded)],
        ends: &[to(V::Active)],
        notes: "choosing an availability zone (2.77+) or a host (2.91+) needs shelved_offloaded (409 otherwise)",
        in_paths: true,
        source: "nova/compute/api.py:4718",
    },
    Row {
        action: Action::LiveMigrate,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active, V::Paused]), NO_TASK, LAUNCHED],
        rest: &[rest("os-migrateLive", conflict("os-migrateLive"), "nova/api/openstack/compute/migrate_server.py:95")],
        policy: &[
            PolicyCheck::project("os_compute_api:os-migrate-server:migrate_live").releases(Releases::until(Release::R2025_1)),
            PolicyCheck::project("os_compute_api:os-migrate-server:migrate_live").when(When::NoHostNamed).releases(Releases::from(Release::R2025_2)),
            PolicyCheck::project("os_compute_api:os-migrate-server:migrate_live:host").when(When::HostNamed).releases(Releases::from(Release::R2025_2)),
        ],
        sets_task: Some(T::Migrating),
        later_tasks: &[],
        ends: &[],
        notes: "keeps the vm state; refused for SEV, legacy vTPM, shares, accelerators and vDPA (old computes)",
        in_paths: true,
        source: "nova/compute/api.py:5587",
    },
    Row {
        action: Action::LiveMigrateForceComplete,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active]), Guard::TaskStateIn(&[Some(T::Migrating)]), LAUNCHED],
        rest: &[rest_from(
            "POST /servers/{id}/migrations/{migration_id}/action",
            22,
            conflict("force_complete"),
            "nova/api/openstack/compute/server_migrations.py:97",
        )],
        policy: &[PolicyCheck::project("os_compute_api:servers:migrations:force_complete")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "the migration must be running (HTTP 400 otherwise)",
        in_paths: true,
        source: "nova/compute/api.py:5642",
    },
    Row {
        action: Action::LiveMigrateAbort,
        guards: &[LOCK, Guard::TaskStateIn(&[Some(T::Migrating)]), LAUNCHED],
        rest: &[rest_from(
            "DELETE /servers/{id}/migrations/{migration_id}",
            24,
            conflict_lock_generic("abort live migration"),
            "nova/api/openstack/compute/server_migrations.py:197",
        )],
        policy: &[PolicyCheck::project("os_compute_api:servers:migrations:delete")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "the migration must be running, or queued or preparing from 2.65 (HTTP 400 otherwise)",
        in_paths: true,
        source: "nova/compute/api.py:5672",
    },
    Row {
        action: Action::Delete,
        guards: &[LOCK],
        rest: &[rest("DELETE /servers/{id}", conflict("delete"), "nova/api/openstack/compute/servers.py:925")],
        policy: &[PolicyCheck::project_user("os_compute_api:servers:delete")],
        sets_task: Some(T::Deleting),
        later_tasks: &[],
        ends: &[to(V::Deleted)],
        notes: "accepted in every state; a second delete while one runs is ignored; a server with no host and no ports or volumes is removed at once",
        in_paths: true,
        source: "nova/compute/api.py:2813",
    },
    Row {
        action: Action::SoftDelete,
        guards: &[LOCK, LAUNCHED],
        rest: &[rest(
            "DELETE /servers/{id}",
            // Refused soft deletes fall back to delete, which checks the lock again: a locked
            // server still gets delete's 409.
            Handler { name: None, state: Reply::FallsBack, lock: Reply::Own409, not_ready: Reply::FallsBack },
            "nova/api/openstack/compute/servers.py:943",
        )],
        policy: &[PolicyCheck::project_user("os_compute_api:servers:delete")],
        sets_task: Some(T::SoftDeleting),
        later_tasks: &[],
        ends: &[to(V::SoftDeleted)],
        notes: "what DELETE does when reclaim_instance_interval is set; when it is refused for its state Nova deletes for good instead; a server with no host and no ports or volumes is destroyed at once",
        in_paths: true,
        source: "nova/compute/api.py:2797",
    },
    Row {
        action: Action::ForceDelete,
        guards: &[LOCK],
        rest: &[rest("forceDelete", conflict("forceDelete"), "nova/api/openstack/compute/deferred_delete.py:56")],
        policy: &[PolicyCheck::project_user("os_compute_api:os-deferred-delete:force")],
        sets_task: Some(T::Deleting),
        later_tasks: &[],
        ends: &[to(V::Deleted)],
        notes: "the code accepts every vm state, not only soft-delete as the API reference says",
        in_paths: true,
        source: "nova/compute/api.py:2853",
    },
    Row {
        action: Action::Restore,
        guards: &[LOCK, Guard::VmStateIn(&[V::SoftDeleted]), NO_TASK, LAUNCHED],
        rest: &[rest(
            "restore",
            conflict_lock_generic("restore"),
            "nova/api/openstack/compute/deferred_delete.py:37",
        )],
        policy: &[PolicyCheck::project("os_compute_api:os-deferred-delete:restore")],
        sets_task: Some(T::Restoring),
        later_tasks: &[],
        ends: &[to(V::Active)],
        notes: "needs quota for one more server (HTTP 403 otherwise); a server with no host becomes active at once, without the restoring task",
        in_paths: true,
        source: "nova/compute/api.py:2820",
    },
    Row {
        action: Action::Snapshot,
        guards: &[Guard::VmStateIn(IMAGE_STATES), NO_TASK, LAUNCHED],
        rest: &[rest("createImage", conflict("createImage"), "nova/api/openstack/compute/servers.py:1427")],
        policy: &[PolicyCheck::project("os_compute_api:servers:create_image")],
        sets_task: Some(T::ImageSnapshotPending),
        later_tasks: &[then(T::ImageSnapshot), then(T::ImagePendingUpload), then(T::ImageUploading)],
        ends: &[],
        notes: "no lock check: a locked server can be snapshotted",
        in_paths: true,
        source: "nova/compute/api.py:3447",
    },
    Row {
        action: Action::SnapshotVolumeBacked,
        guards: &[Guard::VmStateIn(IMAGE_STATES), NO_TASK, LAUNCHED],
        rest: &[rest("createImage", conflict("createImage"), "nova/api/openstack/compute/servers.py:1427")],
        policy: &[
            PolicyCheck::project("os_compute_api:servers:create_image"),
            PolicyCheck::project("os_compute_api:servers:create_image:allow_volume_backed"),
        ],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "createImage of a volume-backed server; no lock check",
        in_paths: true,
        source: "nova/compute/api.py:3504",
    },
    Row {
        action: Action::Backup,
        guards: &[Guard::VmStateIn(IMAGE_STATES), NO_TASK, LAUNCHED],
        rest: &[rest("createBackup", conflict("createBackup"), "nova/api/openstack/compute/create_backup.py:45")],
        policy: &[PolicyCheck::project("os_compute_api:os-create-backup")],
        sets_task: Some(T::ImageBackup),
        later_tasks: &[then(T::ImagePendingUpload), then(T::ImageUploading)],
        ends: &[],
        notes: "no lock check; volume-backed servers are refused (HTTP 400)",
        in_paths: true,
        source: "nova/compute/api.py:3406",
    },
    Row {
        action: Action::SetAdminPassword,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active]), NO_TASK, LAUNCHED],
        rest: &[rest(
            "changePassword",
            conflict_lock_generic("changePassword"),
            "nova/api/openstack/compute/admin_password.py:37",
        )],
        policy: &[PolicyCheck::project_user("os_compute_api:os-admin-password")],
        sets_task: Some(T::UpdatingPassword),
        later_tasks: &[],
        ends: &[],
        notes: "needs a guest agent and a running guest",
        in_paths: true,
        source: "nova/compute/api.py:4972",
    },
    Row {
        action: Action::TriggerCrashDump,
        guards: &[LOCK, HOST, Guard::VmStateIn(ALLOW_TRIGGER_CRASH_DUMP), NO_TASK, LAUNCHED],
        rest: &[rest_from("trigger_crash_dump", 17, conflict("trigger_crash_dump"), "nova/api/openstack/compute/servers.py:1580")],
        policy: &[PolicyCheck::project_user("os_compute_api:servers:trigger_crash_dump")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "",
        in_paths: true,
        source: "nova/compute/api.py:2893",
    },
    Row {
        action: Action::AttachVolume,
        guards: &[SHELVED_VOLUMES_SINCE_2_20, LOCK, Guard::VmStateIn(VOLUME_STATES), NO_TASK, LAUNCHED],
        rest: &[rest("POST /servers/{id}/os-volume_attachments", conflict("attach_volume"), "nova/api/openstack/compute/volume_attachments.py:205")],
        policy: &[PolicyCheck::project("os_compute_api:os-volumes-attachments:create")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "",
        in_paths: true,
        source: "nova/compute/api.py:5215",
    },
    Row {
        action: Action::DetachVolume,
        guards: &[SHELVED_VOLUMES_SINCE_2_20, LOCK, Guard::VmStateIn(VOLUME_STATES), NO_TASK, LAUNCHED, DETACH_HOST],
        rest: &[rest(
            "DELETE /servers/{id}/os-volume_attachments/{volume_id}",
            Handler { not_ready: Reply::Uncaught500, ..conflict("detach_volume") },
            "nova/api/openstack/compute/volume_attachments.py:395",
        )],
        policy: &[PolicyCheck::project("os_compute_api:os-volumes-attachments:delete")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "the host's compute service must be up (HTTP 409 otherwise), and Nova does not catch a missing host here (HTTP 500); the root volume cannot be detached",
        in_paths: true,
        source: "nova/compute/api.py:5318",
    },
    Row {
        action: Action::SwapVolume,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active, V::Paused, V::Resized]), NO_TASK, LAUNCHED],
        rest: &[rest(
            "PUT /servers/{id}/os-volume_attachments/{volume_id}",
            conflict("swap_volume"),
            "nova/api/openstack/compute/volume_attachments.py:364",
        )],
        policy: &[
            PolicyCheck::project("os_compute_api:os-volumes-attachments:swap").target(TargetKeys::Empty).when(When::VolumeSwap),
            PolicyCheck::project("os_compute_api:os-volumes-attachments:update").when(When::VolumeUpdate),
        ],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "only for Cinder: the old volume must be migrating (409 otherwise)",
        in_paths: true,
        source: "nova/compute/api.py:5371",
    },
    Row {
        action: Action::VolumeSnapshotCreate,
        guards: &[HOST, NO_TASK, LAUNCHED],
        rest: &[rest(
            "POST /os-assisted-volume-snapshots",
            assisted_snapshot("do_volume_snapshot_create"),
            "nova/api/openstack/compute/assisted_volume_snapshots.py:41",
        )],
        policy: &[PolicyCheck::project("os_compute_api:os-assisted-volume-snapshots:create").target(TargetKeys::Empty).at(Place::BeforeLookup)],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "for Cinder, by volume id; any vm state; refusals come back as HTTP 400, not 409",
        in_paths: true,
        source: "nova/compute/api.py:5899",
    },
    Row {
        action: Action::VolumeSnapshotDelete,
        guards: &[HOST, NO_TASK, LAUNCHED],
        rest: &[rest(
            "DELETE /os-assisted-volume-snapshots/{snapshot_id}",
            assisted_snapshot("do_volume_snapshot_delete"),
            "nova/api/openstack/compute/assisted_volume_snapshots.py:70",
        )],
        policy: &[PolicyCheck::project("os_compute_api:os-assisted-volume-snapshots:delete").target(TargetKeys::Empty).at(Place::BeforeLookup)],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "for Cinder, by volume id; deleting an intermediary snapshot (merge_target_file) needs vm state active (HTTP 400 otherwise); refusals come back as HTTP 400",
        in_paths: true,
        source: "nova/compute/api.py:5920",
    },
    Row {
        action: Action::AttachInterface,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active, V::Paused, V::Stopped]), NO_TASK, LAUNCHED],
        rest: &[rest("POST /servers/{id}/os-interface", conflict("attach_interface"), "nova/api/openstack/compute/attach_interfaces.py:149")],
        policy: &[PolicyCheck::project("os_compute_api:os-attach-interfaces:create")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "",
        in_paths: true,
        source: "nova/compute/api.py:5486",
    },
    Row {
        action: Action::DetachInterface,
        guards: &[LOCK, Guard::VmStateIn(&[V::Active, V::Paused, V::Stopped]), NO_TASK, LAUNCHED],
        rest: &[rest(
            "DELETE /servers/{id}/os-interface/{port_id}",
            conflict("detach_interface"),
            "nova/api/openstack/compute/attach_interfaces.py:219",
        )],
        policy: &[PolicyCheck::project("os_compute_api:os-attach-interfaces:delete")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "",
        in_paths: true,
        source: "nova/compute/api.py:5524",
    },
    Row {
        action: Action::UpdateInstanceMetadata,
        guards: &[LOCK, Guard::VmStateIn(METADATA_STATES), LAUNCHED],
        rest: &[
            rest("PUT /servers/{id}/metadata", conflict("update metadata"), "nova/api/openstack/compute/server_metadata.py:104"),
            rest("POST /servers/{id}/metadata", conflict("update metadata"), "nova/api/openstack/compute/server_metadata.py:68"),
            rest("PUT /servers/{id}/metadata/{key}", conflict("update metadata"), "nova/api/openstack/compute/server_metadata.py:84"),
        ],
        policy: &[
            PolicyCheck::project("os_compute_api:server-metadata:update_all").via("PUT /servers/{id}/metadata"),
            PolicyCheck::project("os_compute_api:server-metadata:create").via("POST /servers/{id}/metadata"),
            PolicyCheck::project("os_compute_api:server-metadata:update").via("PUT /servers/{id}/metadata/{key}"),
        ],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "no task-state check",
        in_paths: true,
        source: "nova/compute/api.py:5555",
    },
    Row {
        action: Action::DeleteInstanceMetadata,
        guards: &[LOCK, Guard::VmStateIn(METADATA_STATES), LAUNCHED],
        rest: &[rest("DELETE /servers/{id}/metadata/{key}", conflict("delete metadata"), "nova/api/openstack/compute/server_metadata.py:150")],
        policy: &[PolicyCheck::project("os_compute_api:server-metadata:delete")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "no task-state check; an unknown key is a 404 before any state check",
        in_paths: true,
        source: "nova/compute/api.py:5547",
    },
    Row {
        action: Action::GetVncConsole,
        guards: &[HOST, Guard::TaskStateNotIn(CONSOLE_REJECTS)],
        rest: &[
            rest_from(REMOTE_CONSOLES, 6, CONSOLE_NEW, REMOTE_CONSOLES_SRC),
            rest_until("os-getVNCConsole", 1, 5, conflict("get_vnc_console"), "nova/api/openstack/compute/remote_consoles.py:43"),
        ],
        policy: &[
            PolicyCheck::project("os_compute_api:os-remote-consoles").via(REMOTE_CONSOLES),
            PolicyCheck::project("os_compute_api:os-remote-consoles").target(TargetKeys::Caller).at(Place::BeforeLookup).via("os-getVNCConsole"),
        ],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "remote-consoles with protocol vnc; Nova does not catch the state refusal there (HTTP 500)",
        in_paths: true,
        source: "nova/compute/api.py:4992",
    },
    Row {
        action: Action::GetSpiceConsole,
        guards: &[HOST, Guard::TaskStateNotIn(CONSOLE_REJECTS)],
        rest: &[
            rest_from(REMOTE_CONSOLES, 6, CONSOLE_NEW, REMOTE_CONSOLES_SRC),
            rest_until("os-getSPICEConsole", 1, 5, CONSOLE_NEW, "nova/api/openstack/compute/remote_consoles.py:75"),
        ],
        policy: &[
            PolicyCheck::project("os_compute_api:os-remote-consoles").via(REMOTE_CONSOLES),
            PolicyCheck::project("os_compute_api:os-remote-consoles").target(TargetKeys::Caller).at(Place::BeforeLookup).via("os-getSPICEConsole"),
        ],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "remote-consoles with protocol spice; Nova does not catch the state refusal (HTTP 500)",
        in_paths: true,
        source: "nova/compute/api.py:5001",
    },
    Row {
        action: Action::GetSerialConsole,
        guards: &[HOST, Guard::TaskStateNotIn(CONSOLE_REJECTS)],
        rest: &[
            rest_from(REMOTE_CONSOLES, 6, CONSOLE_NEW, REMOTE_CONSOLES_SRC),
            rest_until("os-getSerialConsole", 1, 5, CONSOLE_NEW, "nova/api/openstack/compute/remote_consoles.py:116"),
        ],
        policy: &[
            PolicyCheck::project("os_compute_api:os-remote-consoles").via(REMOTE_CONSOLES),
            PolicyCheck::project("os_compute_api:os-remote-consoles").target(TargetKeys::Caller).at(Place::BeforeLookup).via("os-getSerialConsole"),
        ],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "remote-consoles with protocol serial; Nova does not catch the state refusal (HTTP 500)",
        in_paths: true,
        source: "nova/compute/api.py:5010",
    },
    Row {
        action: Action::GetMksConsole,
        guards: &[HOST, Guard::TaskStateNotIn(CONSOLE_REJECTS)],
        rest: &[rest_from(REMOTE_CONSOLES, 8, CONSOLE_NEW, REMOTE_CONSOLES_SRC)],
        policy: &[PolicyCheck::project("os_compute_api:os-remote-consoles").via(REMOTE_CONSOLES)],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "remote-consoles with protocol mks; Nova does not catch the state refusal (HTTP 500)",
        in_paths: true,
        source: "nova/compute/api.py:5019",
    },
    Row {
        action: Action::GetConsoleOutput,
        guards: &[HOST],
        rest: &[rest("os-getConsoleOutput", conflict("get_console_output"), "nova/api/openstack/compute/console_output.py:37")],
        policy: &[PolicyCheck::project("os_compute_api:os-console-output")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "",
        in_paths: true,
        source: "nova/compute/api.py:5026",
    },
    Row {
        action: Action::GetDiagnostics,
        guards: &[HOST],
        rest: &[rest_until("GET /servers/{id}/diagnostics", 1, 47, conflict("get_diagnostics"), "nova/api/openstack/compute/server_diagnostics.py:42")],
        policy: &[PolicyCheck::project("os_compute_api:os-server-diagnostics")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "the compute host also requires the guest to be running",
        in_paths: true,
        source: "nova/compute/api.py:4855",
    },
    Row {
        action: Action::GetInstanceDiagnostics,
        guards: &[HOST],
        rest: &[rest_from("GET /servers/{id}/diagnostics", 48, conflict("get_diagnostics"), "nova/api/openstack/compute/server_diagnostics.py:49")],
        policy: &[PolicyCheck::project("os_compute_api:os-server-diagnostics")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "the compute host also requires the guest to be running",
        in_paths: true,
        source: "nova/compute/api.py:4860",
    },
    Row {
        action: Action::InjectNetworkInfo,
        guards: &[LOCK],
        rest: &[rest("injectNetworkInfo", conflict("injectNetworkInfo"), "nova/api/openstack/compute/admin_actions.py:52")],
        policy: &[PolicyCheck::project("os_compute_api:os-admin-actions:inject_network_info")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "admin-only by default policy",
        in_paths: true,
        source: "nova/compute/api.py:5086",
    },
    Row {
        action: Action::AddFixedIp,
        guards: &[LOCK],
        rest: &[rest_until(
            "addFixedIp",
            1,
            43,
            UNCAUGHT,
            "nova/api/openstack/compute/multinic.py:39",
        )],
        policy: &[PolicyCheck::project("os_compute_api:os-multinic:add")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "removed in 2.44; Nova does not catch the lock refusal (HTTP 500)",
        in_paths: true,
        source: "nova/compute/api.py:4825",
    },
    Row {
        action: Action::RemoveFixedIp,
        guards: &[LOCK],
        rest: &[rest_until(
            "removeFixedIp",
            1,
            43,
            UNCAUGHT,
            "nova/api/openstack/compute/multinic.py:58",
        )],
        policy: &[PolicyCheck::project("os_compute_api:os-multinic:remove")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "removed in 2.44; Nova does not catch the lock refusal (HTTP 500)",
        in_paths: true,
        source: "nova/compute/api.py:4831",
    },
    Row {
        action: Action::GetRdpConsole,
        guards: &[HOST, Guard::TaskStateNotIn(CONSOLE_REJECTS)],
        rest: &[
            only_in(rest_from(REMOTE_CONSOLES, 6, CONSOLE_NEW, REMOTE_CONSOLES_SRC), Releases::until(Release::R2023_2)),
            only_in(
                rest_until("os-getRDPConsole", 1, 5, CONSOLE_NEW, "nova/api/openstack/compute/remote_consoles.py:97 (28.3.1)"),
                Releases::until(Release::R2023_2),
            ),
        ],
        policy: &[
            PolicyCheck::project("os_compute_api:os-remote-consoles").via(REMOTE_CONSOLES),
            PolicyCheck::project("os_compute_api:os-remote-consoles").target(TargetKeys::Caller).at(Place::BeforeLookup).via("os-getRDPConsole"),
        ],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "remote-consoles with protocol rdp; removed with the Hyper-V driver in 2024.1 (the action then answers HTTP 400); Nova does not catch the state refusal (HTTP 500)",
        in_paths: true,
        source: "nova/compute/api.py:4857 (28.3.1)",
    },
    Row {
        action: Action::Lock,
        guards: &[],
        rest: &[rest("lock", conflict("lock"), "nova/api/openstack/compute/lock_server.py:37 (34.0.0)")],
        policy: &[PolicyCheck::project_user("os_compute_api:os-lock-server:lock")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "no state check; a reason may be given from 2.73; locked_by records whether the owner or an admin locked it",
        in_paths: true,
        source: "nova/compute/api.py:5031 (34.0.0)",
    },
    Row {
        action: Action::Unlock,
        guards: &[],
        rest: &[rest("unlock", conflict("unlock"), "nova/api/openstack/compute/lock_server.py:57 (34.0.0)")],
        policy: &[
            PolicyCheck::project("os_compute_api:os-lock-server:unlock"),
            PolicyCheck::project("os_compute_api:os-lock-server:unlock:unlock_override").when(When::LockedByOther),
        ],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "no state check; a server locked by an admin (locked_by admin) can be unlocked by its owner only with the unlock_override policy, admin-only by default (HTTP 403)",
        in_paths: true,
        source: "nova/compute/api.py:5065 (34.0.0)",
    },
    Row {
        action: Action::ResetState,
        guards: &[],
        rest: &[rest("os-resetState", conflict("os-resetState"), "nova/api/openstack/compute/admin_actions.py:71 (34.0.0)")],
        policy: &[PolicyCheck::project("os_compute_api:os-admin-actions:reset_state")],
        sets_task: None,
        later_tasks: &[],
        ends: &[
            End { from: None, to: V::Active, when: "the request asks for active" },
            End { from: None, to: V::Error, when: "the request asks for error" },
        ],
        notes: "no state or lock check; clears the task state; admin-only by default policy",
        in_paths: false,
        source: "nova/api/openstack/compute/admin_actions.py:71 (34.0.0)",
    },
    Row {
        action: Action::UpdateServerTags,
        guards: &[Guard::VmStateIn(TAG_STATES)],
        rest: &[
            rest_from("PUT /servers/{id}/tags/{tag}", 26, conflict("update tag"), "nova/api/openstack/compute/server_tags.py:108 (34.0.0)"),
            rest_from("PUT /servers/{id}/tags", 26, conflict("update tags"), "nova/api/openstack/compute/server_tags.py:162 (34.0.0)"),
        ],
        policy: &[
            PolicyCheck::project("os_compute_api:os-server-tags:update").at(Place::BeforeLookup).via("PUT /servers/{id}/tags/{tag}"),
            PolicyCheck::project("os_compute_api:os-server-tags:update_all").at(Place::BeforeLookup).via("PUT /servers/{id}/tags"),
        ],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "the tags handler's own check: vm state only, no task, lock or launch check",
        in_paths: true,
        source: "nova/api/openstack/compute/server_tags.py:52 (34.0.0)",
    },
    Row {
        action: Action::DeleteServerTags,
        guards: &[Guard::VmStateIn(TAG_STATES)],
        rest: &[
            rest_from("DELETE /servers/{id}/tags/{tag}", 26, conflict("delete tag"), "nova/api/openstack/compute/server_tags.py:188 (34.0.0)"),
            rest_from("DELETE /servers/{id}/tags", 26, conflict("delete tags"), "nova/api/openstack/compute/server_tags.py:214 (34.0.0)"),
        ],
        policy: &[
            PolicyCheck::project("os_compute_api:os-server-tags:delete").at(Place::BeforeLookup).via("DELETE /servers/{id}/tags/{tag}"),
            PolicyCheck::project("os_compute_api:os-server-tags:delete_all").at(Place::BeforeLookup).via("DELETE /servers/{id}/tags"),
        ],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "the tags handler's own check: vm state only, no task, lock or launch check",
        in_paths: true,
        source: "nova/api/openstack/compute/server_tags.py:52 (34.0.0)",
    },
    Row {
        action: Action::AllowShare,
        guards: &[Guard::VmStateIn(&[V::Stopped])],
        rest: &[rest_from("POST /servers/{id}/shares", 97, conflict("create share"), "nova/api/openstack/compute/server_shares.py:100 (34.0.0)")],
        policy: &[PolicyCheck::project("os_compute_api:os-server-shares:create").at(Place::BeforeLookup)],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "the shares handler's own check: vm state only; the compute hosts must support shares (HTTP 403 otherwise) and the Manila share must be available (409)",
        in_paths: true,
        source: "nova/api/openstack/compute/server_shares.py:54 (34.0.0)",
    },
    Row {
        action: Action::DenyShare,
        guards: &[Guard::VmStateIn(&[V::Stopped, V::Error])],
        rest: &[rest_from(
            "DELETE /servers/{id}/shares/{share_id}",
            97,
            conflict("delete share"),
            "nova/api/openstack/compute/server_shares.py:236 (34.0.0)",
        )],
        policy: &[PolicyCheck::project("os_compute_api:os-server-shares:delete").at(Place::BeforeLookup)],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "the shares handler's own check: vm state only",
        in_paths: true,
        source: "nova/api/openstack/compute/server_shares.py:54 (34.0.0)",
    },
    Row {
        action: Action::UpdateServer,
        guards: &[],
        rest: &[rest("PUT /servers/{id}", conflict("update"), "nova/api/openstack/compute/servers.py:978 (34.0.0)")],
        policy: &[PolicyCheck::project_user("os_compute_api:servers:update")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "no state or lock check; the hostname can be changed from 2.90, the pinned availability zone from 2.104 (409 if it is not the server's own)",
        in_paths: true,
        source: "nova/api/openstack/compute/servers.py:978 (34.0.0)",
    },
    Row {
        action: Action::AddSecurityGroup,
        guards: &[],
        rest: &[rest("addSecurityGroup", conflict("addSecurityGroup"), "nova/api/openstack/compute/security_groups.py:426 (34.0.0)")],
        policy: &[PolicyCheck::project("os_compute_api:os-security-groups:add")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "no state or lock check: Neutron applies the group to the server's ports (HTTP 400 if a port cannot take it)",
        in_paths: true,
        source: "nova/api/openstack/compute/security_groups.py:426 (34.0.0)",
    },
    Row {
        action: Action::RemoveSecurityGroup,
        guards: &[],
        rest: &[rest("removeSecurityGroup", conflict("removeSecurityGroup"), "nova/api/openstack/compute/security_groups.py:450 (34.0.0)")],
        policy: &[PolicyCheck::project("os_compute_api:os-security-groups:remove")],
        sets_task: None,
        later_tasks: &[],
        ends: &[],
        notes: "no state or lock check",
        in_paths: true,
        source: "nova/api/openstack/compute/security_groups.py:450 (34.0.0)",
    },
];

// ---------------------------------------------------------------------------------------------
// Release differences about facts a record does not show
// ---------------------------------------------------------------------------------------------

/// Something an action does differently in some releases, about facts a server record does
/// not show (so no check decides it): read from the decorators each release's compute API
/// method carries (`docs/releases.md`, generated from the oracle's snapshots).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The action it touches.
    pub action: Action,
    /// The releases it holds for.
    pub releases: Releases,
    /// What holds, in words.
    pub what: &'static str,
    /// The decorator or constant in `nova/compute/api.py` it comes from.
    pub source: &'static str,
}

const fn diff(
    action: Action,
    from: Release,
    until: Release,
    what: &'static str,
    source: &'static str,
) -> Difference {
    Difference {
        action,
        releases: Releases { from, until },
        what,
        source,
    }
}

const SHARES: &str = "refused for a server with shares attached";
const SHARES_SRC: &str = "block_shares_not_supported";

/// Every release difference, by action. The state checks themselves are the same in every
/// supported release (the oracle executed all of them).
pub static DIFFERENCES: &[Difference] = &[
    diff(Action::Evacuate, Release::R2025_1, Release::R2026_2, SHARES, SHARES_SRC),
    diff(Action::LiveMigrate, Release::R2025_1, Release::R2026_2, SHARES, SHARES_SRC),
    diff(Action::Rebuild, Release::R2025_1, Release::R2026_2, SHARES, SHARES_SRC),
    diff(Action::Shelve, Release::R2025_1, Release::R2026_2, SHARES, SHARES_SRC),
    diff(Action::Suspend, Release::R2025_1, Release::R2026_2, SHARES, SHARES_SRC),
    diff(Action::Resize, Release::R2025_1, Release::R2026_1, SHARES, SHARES_SRC),
    diff(
        Action::Resize,
        Release::R2026_2,
        Release::R2026_2,
        "a server with shares may be resized or cold-migrated once every compute service is new enough",
        "MIN_COMPUTE_COLD_MIGRATE_WITH_SHARES",
    ),
    diff(
        Action::LiveMigrate,
        Release::R2023_1,
        Release::R2025_2,
        "refused for every server with a vTPM",
        "reject_vtpm_instances",
    ),
    diff(
        Action::LiveMigrate,
        Release::R2026_1,
        Release::R2026_2,
        "a server with a vTPM may be live-migrated when the host holds its secret (and every compute service is new enough); other vTPM servers are refused",
        "reject_legacy_vtpm_live_migration",
    ),
    diff(
        Action::LiveMigrate,
        Release::R2023_1,
        Release::R2026_1,
        "refused for a server with SEV memory encryption",
        "reject_sev_instances",
    ),
    diff(
        Action::Suspend,
        Release::R2023_1,
        Release::R2026_1,
        "refused for a server with SEV memory encryption",
        "reject_sev_instances",
    ),
    diff(
        Action::LiveMigrate,
        Release::R2026_2,
        Release::R2026_2,
        "refused for a server with memory encryption (SEV or another kind)",
        "reject_mem_enc_instances",
    ),
    diff(
        Action::Suspend,
        Release::R2026_2,
        Release::R2026_2,
        "refused for a server with memory encryption (SEV or another kind)",
        "reject_mem_enc_instances",
    ),
];

impl Action {
    /// What this action does differently in `release` than in others, in words.
    pub fn differences_in(self, release: Release) -> impl Iterator<Item = &'static Difference> {
        DIFFERENCES
            .iter()
            .filter(move |d| d.action == self && d.releases.contains(release))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_action_order() {
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(
                rule.action.index(),
                i,
                "row {i} is {} but Action::ALL[{i}] is {}",
                rule.action,
                Action::ALL[i]
            );
        }
        assert_eq!(RULES.len(), Action::ALL.len());
    }

    #[test]
    fn an_unknown_action_lists_every_name_once_in_table_order() {
        let mut names: alloc::vec::Vec<&str> = Action::NAMES.to_vec();
        for entry in &ENTRIES {
            if !names.contains(&entry.name()) {
                names.push(entry.name());
            }
        }
        assert_eq!(names.len(), LOOKUP_NAMES);
        let err = Action::lookup("sotp").unwrap_err();
        assert_eq!(LOOKUP_POOL.iter().collect::<alloc::vec::Vec<_>>(), names);
        let expected = crate::error::unknown_name("action", "sotp", LOOKUP_POOL);
        assert_eq!(err.message(), expected.message());
        assert!(err
            .message()
            .contains(", os-start, os-stop, reboot, migrate,"));
    }
}
