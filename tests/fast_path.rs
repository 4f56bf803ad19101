//! `is_allowed` (the fast path behind `allowed_actions` and the main module's answers by
//! method name) against `decide`, for callers: every action × vm state × lock (and who locked
//! it) × the server's project (the caller's, another, unknown), for personas of every role, in
//! every release, with and without `enforce_new_defaults`, with no task and one; and every task
//! state too for the newest release's personas; and with overrides.

use nova_states::nova_policy::{Caller, LockedBy};
use nova_states::policy::{Credentials, Options, OverrideValue};
use nova_states::{decide, is_allowed, Action, Context, Instance, Release, TaskState, VmState};

fn caller(
    release: Release,
    roles: &[&str],
    system: bool,
    new: bool,
    overrides: &[(String, OverrideValue)],
) -> Caller {
    let credentials = Credentials {
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        project_id: (!system).then(|| "p1".to_owned()),
        user_id: Some("u1".to_owned()),
        system_scope: system.then(|| "all".to_owned()),
        ..Credentials::default()
    };
    Caller::new(
        release,
        credentials,
        overrides,
        Options {
            enforce_new_defaults: new,
            ..Options::default()
        },
    )
    .expect("caller compiles")
}

#[test]
fn is_allowed_agrees_with_decide_for_every_caller() {
    let personas: [(&[&str], bool); 7] = [
        (&["admin", "manager", "member", "reader"], false),
        (&["manager", "member", "reader"], false),
        (&["member", "reader"], false),
        (&["reader"], false),
        (&["member"], false),
        (&[], false),
        (&["admin", "reader"], true),
    ];
    // Overrides: pause for readers, the assisted snapshots (whose handlers find the server by
    // its volume, not by project) for anyone, and an http: check nothing here decides.
    let overrides = [
        (
            "os_compute_api:os-pause-server:pause".to_owned(),
            OverrideValue::Text("role:reader".to_owned()),
        ),
        (
            "os_compute_api:os-assisted-volume-snapshots:create".to_owned(),
            OverrideValue::Text("@".to_owned()),
        ),
        (
            "os_compute_api:os-lock-server:unlock:unlock_override".to_owned(),
            OverrideValue::Text("http://policy.example/check".to_owned()),
        ),
    ];
    let mut tasks: Vec<Option<TaskState>> = vec![None];
    tasks.extend(TaskState::ALL.iter().copied().map(Some));
    let mut cases = 0usize;
    let some_tasks = [None, Some(TaskState::Migrating)];
    for &release in Release::ALL {
        for new in [true, false] {
            for (roles, system) in personas {
                for custom in [false, true] {
                    let every = release == Release::LATEST && new;
                    if custom && !every {
                        continue;
                    }
                    let tasks: &[Option<TaskState>] = if every && !custom {
                        &tasks
                    } else {
                        &some_tasks
                    };
                    let who = caller(
                        release,
                        roles,
                        system,
                        new,
                        if custom { &overrides } else { &[] },
                    );
                    for &action in Action::ALL {
                        for &vm in VmState::ALL {
                            for &task in tasks {
                                for (locked, locked_by) in [
                                    (false, None),
                                    (true, None),
                                    (true, Some(LockedBy::Owner)),
                                    (true, Some(LockedBy::Admin)),
                                ] {
                                    for project in [Some("p1"), Some("p2"), None] {
                                        let mut instance = Instance::new(vm).with_task(task);
                                        instance.locked = locked;
                                        instance.project_id = project.map(str::to_owned);
                                        instance.user_id = Some("u1".to_owned());
                                        let mut context = Context::for_caller(&who);
                                        context.release = release;
                                        context.microversion = release.max_microversion();
                                        context.locked_by = locked_by;
                                        let expected =
                                            decide(action, None, &instance, &context).allowed();
                                        assert_eq!(
                                            is_allowed(action, &instance, &context),
                                            expected,
                                            "{action} in {release:?} for {roles:?} (system {system}, new defaults {new}, overrides {custom}): vm {vm}, task {task:?}, locked {locked} by {locked_by:?}, project {project:?}"
                                        );
                                        cases += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(cases > 4_000_000, "{cases} cases");
}
