//! The API `status` of a server, from its vm and task state, and back (the `?status=` filter).

use crate::prelude::*;

use crate::error::{find_name, Error};
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
    let (vms, tasks) = StatusFilter::bits(status)?;
    Ok(StatusFilter {
        vm_states: by_name(VmState::BY_NAME, VmState::ALL, vms),
        task_states: tasks.map(|tasks| by_name(TaskState::BY_NAME, TaskState::ALL, tasks)),
    })
}

impl StatusFilter {
    /// [`states_for_status`] as bits: the vm states it selects (bit `VmState::index`), and the
    /// task states it also requires (bit `TaskState::index`; `None` when it does not look at
    /// the task state). For bindings that list them in the order of `BY_NAME`.
    #[doc(hidden)]
    pub fn bits(status: &str) -> Result<(u64, Option<u64>), Error> {
        let wanted = Status::ALL[find_name(Status::WHAT, status, Status::POOL, true)?];
        let (mut vms, mut tasks, mut any_task) = (0u64, 0u64, false);
        for (vm, default, overrides) in &STATUS_MAP {
            if *default == wanted {
                vms |= 1 << *vm as u64;
                any_task = true;
            }
            for (task, s) in overrides.iter() {
                if *s == wanted {
                    vms |= 1 << *vm as u64;
                    tasks |= 1 << *task as u64;
                }
            }
        }
        Ok((vms, (!any_task).then_some(tasks)))
    }
}

const _: () = assert!(TaskState::ALL.len() <= 64, "task states as bits of a u64");

/// The values of `all` whose bits are set, in the order `order` (indices sorted by name) lists
/// them.
fn by_name<T: Copy>(order: &[u8], all: &[T], bits: u64) -> Vec<T> {
    order
        .iter()
        .filter(|&&i| bits & (1 << i) != 0)
        .map(|&i| all[usize::from(i)])
        .collect()
}

/// The indices of `names`, sorted by name (bytewise, as Python sorts these ASCII names), at
/// compile time.
pub(crate) const fn sorted_by_name<const N: usize>(names: &[&str]) -> [u8; N] {
    assert!(names.len() == N && N <= 256);
    let mut order = [0u8; N];
    let mut i = 0;
    while i < N {
        order[i] = i as u8;
        i += 1;
    }
    // Insertion sort: a few dozen names.
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && before(names[order[j] as usize], names[order[j - 1] as usize]) {
            let t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    order
}

/// Whether `a` sorts before `b`, byte by byte.
const fn before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orders_by_name_are_sorted() {
        let names = |order: &[u8], all: &[&'static str]| -> Vec<&'static str> {
            order.iter().map(|&i| all[usize::from(i)]).collect()
        };
        let mut vms = VmState::NAMES.to_vec();
        vms.sort_unstable();
        assert_eq!(names(VmState::BY_NAME, VmState::NAMES), vms);
        let mut tasks = TaskState::NAMES.to_vec();
        tasks.sort_unstable();
        assert_eq!(names(TaskState::BY_NAME, TaskState::NAMES), tasks);
    }
}
