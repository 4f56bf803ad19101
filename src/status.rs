//! The API `status` of a server, from its vm and task state, and back (the `?status=` filter).

use crate::prelude::*;

use crate::error::Error;
use crate::states::{Status, TaskState, VmState};

use Status as S;
use TaskState as T;
use VmState as V;

/// One row of the status map: a vm state, its default status, and task states that override it.
pub type StatusMapRow = (VmState, Status, &'static [(TaskState, Status)]);

/// Nova's status map: for each vm state, its default status and the task states that show
/// another one. From `nova/api/openstack/common.py` `_STATE_MAP`.
pub static STATUS_MAP: [StatusMapRow; 12] = [
    (
        V::Active,
        S::Active,
        &[
            (T::Rebooting, S::Reboot),
            (T::RebootPending, S::Reboot),
            (T::RebootStarted, S::Reboot),
            (T::RebootingHard, S::HardReboot),
            (T::RebootPendingHard, S::HardReboot),
            (T::RebootStartedHard, S::HardReboot),
            (T::UpdatingPassword, S::Password),
            (T::Rebuilding, S::Rebuild),
            (T::RebuildBlockDeviceMapping, S::Rebuild),
            (T::RebuildSpawning, S::Rebuild),
            (T::Migrating, S::Migrating),
            (T::ResizePrep, S::Resize),
            (T::ResizeMigrating, S::Resize),
            (T::ResizeMigrated, S::Resize),
            (T::ResizeFinish, S::Resize),
        ],
    ),
    (V::Building, S::Build, &[]),
    (
        V::Stopped,
        S::Shutoff,
        &[
            (T::ResizePrep, S::Resize),
            (T::ResizeMigrating, S::Resize),
            (T::ResizeMigrated, S::Resize),
            (T::ResizeFinish, S::Resize),
            (T::Rebuilding, S::Rebuild),
            (T::RebuildBlockDeviceMapping, S::Rebuild),
            (T::RebuildSpawning, S::Rebuild),
        ],
    ),
    (
        V::Resized,
        S::VerifyResize,
        &[(T::ResizeReverting, S::RevertResize)],
    ),
    (V::Paused, S::Paused, &[(T::Migrating, S::Migrating)]),
    (V::Suspended, S::Suspended, &[]),
    (V::Rescued, S::Rescue, &[]),
    (
        V::Error,
        S::Error,
        &[
            (T::Rebuilding, S::Rebuild),
            (T::RebuildBlockDeviceMapping, S::Rebuild),
            (T::RebuildSpawning, S::Rebuild),
        ],
    ),
    (V::Deleted, S::Deleted, &[]),
    (V::SoftDeleted, S::SoftDeleted, &[]),
    (V::Shelved, S::Shelved, &[]),
    (V::ShelvedOffloaded, S::ShelvedOffloaded, &[]),
];

fn row(vm: VmState) -> &'static StatusMapRow {
    STATUS_MAP
        .iter()
        .find(|(v, _, _)| *v == vm)
        .expect("STATUS_MAP has a row for every vm state")
}

/// The status Nova's API shows for a server in `vm` with `task` running
/// (`status_from_state`). A deleted instance record shows `DELETED` whatever its states.
pub fn status_of(vm: VmState, task: Option<TaskState>) -> Status {
    let (_, default, overrides) = row(vm);
    task.and_then(|t| overrides.iter().find(|(ot, _)| *ot == t).map(|(_, s)| *s))
        .unwrap_or(*default)
}

/// Which instances a `?status=` filter matches (`task_and_vm_state_from_status`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusFilter {
    /// The vm states it selects, sorted by wire string as Nova sorts them.
    pub vm_states: Vec<VmState>,
    /// The task states it also requires, sorted; `None` when the filter does not look at the
    /// task state (the status is some vm state's default).
    pub task_states: Option<Vec<TaskState>>,
}

/// The vm and task states Nova's `?status=` filter selects for `status` (compared without
/// regard to case, as Nova does). `UNKNOWN` selects nothing, which Nova answers with HTTP 400
/// `Invalid status value` from 2.38 and an empty list before.
pub fn states_for_status(status: &str) -> Result<StatusFilter, Error> {
    let wanted = Status::ALL
        .iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(status))
        .copied()
        .map_or_else(|| Status::parse(status), Ok)?;
    let mut vm_states = Vec::new();
    let mut tasks = Vec::new();
    let mut any_task = false;
    for (vm, default, overrides) in &STATUS_MAP {
        if *default == wanted {
            insert_sorted(&mut vm_states, *vm, VmState::as_str);
            any_task = true;
        }
        for (task, s) in overrides.iter() {
            if *s == wanted {
                insert_sorted(&mut vm_states, *vm, VmState::as_str);
                insert_sorted(&mut tasks, *task, TaskState::as_str);
            }
        }
    }
    Ok(StatusFilter {
        vm_states,
        task_states: if any_task { None } else { Some(tasks) },
    })
}

/// Inserts `item` where `name` keeps `items` sorted, unless it is there already (Nova sorts
/// and de-duplicates its sets; a dozen items need no general sort).
fn insert_sorted<T: Copy>(items: &mut Vec<T>, item: T, name: fn(T) -> &'static str) {
    let key = name(item);
    match items.iter().position(|&i| name(i) >= key) {
        Some(at) if name(items[at]) == key => {}
        Some(at) => items.insert(at, item),
        None => items.push(item),
    }
}
