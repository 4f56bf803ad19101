//! Round trips of every name, exact parse errors, and the status mapping for every pair.

use nova_states::{
    states_for_status, status_of, Action, ErrorKind, Microversion, PowerState, Status, TaskState,
    VmState,
};

#[test]
fn every_name_round_trips_through_its_wire_string() {
    for &v in VmState::ALL {
        assert_eq!(VmState::parse(v.as_str()).unwrap(), v);
        assert_eq!(v.to_string(), v.as_str());
        assert_eq!(format!("{v:?}"), v.as_str());
    }
    for &t in TaskState::ALL {
        assert_eq!(t.as_str().parse::<TaskState>().unwrap(), t);
    }
    for &s in Status::ALL {
        assert_eq!(Status::try_from(s.as_str()).unwrap(), s);
    }
    for &a in Action::ALL {
        assert_eq!(Action::parse(a.as_str()).unwrap(), a);
    }
    for &p in PowerState::ALL {
        assert_eq!(PowerState::parse(p.as_str()).unwrap(), p);
        assert_eq!(PowerState::from_code(i64::from(p.code())).unwrap(), p);
        assert_eq!(PowerState::parse(&p.code().to_string()).unwrap(), p);
    }
}

#[test]
fn the_vocabularies_have_novas_sizes_and_values() {
    assert_eq!(VmState::ALL.len(), 12);
    assert_eq!(TaskState::ALL.len(), 42);
    assert_eq!(Status::ALL.len(), 20);
    assert_eq!(Action::ALL.len(), 60);
    assert_eq!(VmState::SoftDeleted.as_str(), "soft-delete");
    assert_eq!(TaskState::PoweringOff.as_str(), "powering-off");
    assert_eq!(TaskState::SoftDeleting.as_str(), "soft-deleting");
    let codes: Vec<u8> = PowerState::ALL.iter().map(|p| p.code()).collect();
    assert_eq!(codes, [0, 1, 3, 4, 6, 7]);
}

#[test]
fn unknown_names_are_errors_that_quote_the_input_and_suggest() {
    let err = VmState::parse("actve").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownName);
    assert_eq!(
        err.to_string(),
        "unknown vm state \"actve\": expected one of active, building, paused, suspended, stopped, rescued, resized, \
         soft-delete, deleted, error, shelved, shelved_offloaded (did you mean \"active\"?)"
    );
    assert_eq!(format!("{err:?}"), format!("Error(\"{err}\")"));
    assert!(VmState::parse("soft_delete")
        .unwrap_err()
        .to_string()
        .ends_with("(did you mean \"soft-delete\"?)"));
    assert!(Status::parse("active")
        .unwrap_err()
        .to_string()
        .ends_with("(did you mean \"ACTIVE\"?)"));
    let far = TaskState::parse("banana").unwrap_err().to_string();
    assert!(
        far.starts_with("unknown task state \"banana\": expected one of scheduling, "),
        "{far}"
    );
    assert!(!far.contains("did you mean"));
    assert_eq!(
        PowerState::from_code(2).unwrap_err().to_string(),
        "unknown power state code 2: expected one of 0 (pending), 1 (running), 3 (paused), 4 (shutdown), 6 (crashed), 7 (suspended)"
    );
    assert!(PowerState::from_code(-5)
        .unwrap_err()
        .to_string()
        .starts_with("unknown power state code -5:"));
    let huge = "x".repeat(1 << 20);
    let message = VmState::parse(&huge).unwrap_err().to_string();
    assert!(
        message.len() < 400,
        "a megabyte of input stays a short message: {} bytes",
        message.len()
    );
    assert!(message.contains("(1048576 bytes)"));
}

#[test]
fn microversions_parse_within_novas_range() {
    assert_eq!(Microversion::parse("2.1").unwrap(), Microversion::MIN);
    assert_eq!(Microversion::parse("2.104").unwrap(), Microversion::LATEST);
    assert_eq!(Microversion::parse("latest").unwrap(), Microversion::LATEST);
    assert_eq!(
        Microversion::parse("2.105").unwrap_err().to_string(),
        "unsupported microversion \"2.105\": expected \"2.N\" with N from 1 to 104, or \"latest\""
    );
    for bad in ["", "2", "2.", "2.01", "3.1", "2.1.1", "v2.1", "2.x"] {
        let err = Microversion::parse(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed, "{bad}");
        assert!(err.to_string().contains(&format!("\"{bad}\"")), "{err}");
    }
}

/// The status table, written out again from nova/api/openstack/common.py `_STATE_MAP`.
fn expected_status(vm: VmState, task: Option<TaskState>) -> &'static str {
    use TaskState as T;
    use VmState as V;
    let resize = [
        T::ResizePrep,
        T::ResizeMigrating,
        T::ResizeMigrated,
        T::ResizeFinish,
    ];
    let rebuild = [
        T::Rebuilding,
        T::RebuildBlockDeviceMapping,
        T::RebuildSpawning,
    ];
    match (vm, task) {
        (V::Active, Some(T::Rebooting | T::RebootPending | T::RebootStarted)) => "REBOOT",
        (V::Active, Some(T::RebootingHard | T::RebootPendingHard | T::RebootStartedHard)) => {
            "HARD_REBOOT"
        }
        (V::Active, Some(T::UpdatingPassword)) => "PASSWORD",
        (V::Active | V::Stopped | V::Error, Some(t)) if rebuild.contains(&t) => "REBUILD",
        (V::Active | V::Paused, Some(T::Migrating)) => "MIGRATING",
        (V::Active | V::Stopped, Some(t)) if resize.contains(&t) => "RESIZE",
        (V::Active, _) => "ACTIVE",
        (V::Building, _) => "BUILD",
        (V::Stopped, _) => "SHUTOFF",
        (V::Resized, Some(T::ResizeReverting)) => "REVERT_RESIZE",
        (V::Resized, _) => "VERIFY_RESIZE",
        (V::Paused, _) => "PAUSED",
        (V::Suspended, _) => "SUSPENDED",
        (V::Rescued, _) => "RESCUE",
        (V::Error, _) => "ERROR",
        (V::Deleted, _) => "DELETED",
        (V::SoftDeleted, _) => "SOFT_DELETED",
        (V::Shelved, _) => "SHELVED",
        (V::ShelvedOffloaded, _) => "SHELVED_OFFLOADED",
    }
}

#[test]
fn status_of_every_vm_and_task_pair_matches_novas_map() {
    let mut pairs = 0;
    for &vm in VmState::ALL {
        for task in std::iter::once(None).chain(TaskState::ALL.iter().copied().map(Some)) {
            assert_eq!(
                status_of(vm, task).as_str(),
                expected_status(vm, task),
                "{vm} / {task:?}"
            );
            pairs += 1;
        }
    }
    assert_eq!(pairs, 12 * 43);
}

#[test]
fn status_filters_select_what_nova_selects() {
    let f = states_for_status("active").unwrap();
    assert_eq!(f.vm_states, [VmState::Active]);
    assert_eq!(
        f.task_states, None,
        "a default status does not filter on task state"
    );
    let f = states_for_status("RESIZE").unwrap();
    assert_eq!(f.vm_states, [VmState::Active, VmState::Stopped]);
    let names: Vec<&str> = f.task_states.unwrap().iter().map(|t| t.as_str()).collect();
    assert_eq!(
        names,
        [
            "resize_finish",
            "resize_migrated",
            "resize_migrating",
            "resize_prep"
        ]
    );
    let f = states_for_status("MIGRATING").unwrap();
    assert_eq!(f.vm_states, [VmState::Active, VmState::Paused]);
    let f = states_for_status("UNKNOWN").unwrap();
    assert!(
        f.vm_states.is_empty(),
        "UNKNOWN matches nothing (Nova: HTTP 400 from 2.38)"
    );
    // Every status the map produces selects back the pairs that produce it.
    for &vm in VmState::ALL {
        for task in std::iter::once(None).chain(TaskState::ALL.iter().copied().map(Some)) {
            let f = states_for_status(status_of(vm, task).as_str()).unwrap();
            assert!(f.vm_states.contains(&vm));
            if let Some(tasks) = &f.task_states {
                assert!(
                    task.is_some_and(|t| tasks.contains(&t)),
                    "{vm} / {task:?} not selected by its own status"
                );
            }
        }
    }
    assert!(states_for_status("RUNNING")
        .unwrap_err()
        .to_string()
        .starts_with("unknown status \"RUNNING\""));
}
