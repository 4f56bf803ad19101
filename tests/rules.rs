//! Every action × vm state × task state × launched × locked × admin × host, checked against a
//! second, independent transcription of Nova's decorators (nova/compute/api.py @ 00a030403f67),
//! plus microversions, Nova's checking order and exact message texts.

use nova_states::{
    check, is_allowed, Action, Context, DenialKind, Instance, Microversion, Release, TaskState,
    VmState,
};

use TaskState as T;
use VmState as V;

/// What one method's decorators demand, transcribed from Nova again for this test.
struct Expect {
    vm: Option<&'static [VmState]>,
    /// `Some(list)`: task must be in list (`None` in the list = no task). `None`: any task.
    task: Option<&'static [Option<TaskState>]>,
    /// Task states refused (reject_instance_state).
    task_rejects: &'static [TaskState],
    launched: bool,
    lock: bool,
    host: bool,
}

const NONE: &[Option<TaskState>] = &[None];

fn expect(action: Action) -> Expect {
    let e = |vm, task, launched, lock, host| Expect {
        vm,
        task,
        task_rejects: &[],
        launched,
        lock,
        host,
    };
    let image: &[VmState] = &[V::Active, V::Stopped, V::Paused, V::Suspended];
    let volumes: &[VmState] = &[
        V::Active,
        V::Paused,
        V::Stopped,
        V::Resized,
        V::SoftDeleted,
        V::Shelved,
        V::ShelvedOffloaded,
    ];
    let metadata: &[VmState] = &[V::Active, V::Paused, V::Suspended, V::Stopped];
    let console = Expect {
        vm: None,
        task: None,
        task_rejects: &[T::Deleting, T::Migrating],
        launched: false,
        lock: false,
        host: true,
    };
    match action {
        Action::Start => e(Some(&[V::Stopped]), Some(NONE), true, true, true),
        Action::Stop => e(Some(&[V::Active, V::Error]), Some(NONE), true, true, true),
        Action::RebootSoft => e(Some(&[V::Active]), Some(NONE), true, true, false),
        Action::RebootHard => e(
            Some(&[V::Active, V::Stopped, V::Paused, V::Suspended, V::Error]),
            Some(&[
                None,
                Some(T::Rebooting),
                Some(T::RebootPending),
                Some(T::RebootStarted),
                Some(T::Resuming),
                Some(T::RebootingHard),
                Some(T::Unpausing),
                Some(T::Pausing),
                Some(T::Suspending),
            ]),
            true,
            true,
            false,
        ),
        Action::Pause | Action::Suspend | Action::SetAdminPassword => {
            e(Some(&[V::Active]), Some(NONE), true, true, false)
        }
        Action::Unpause => e(Some(&[V::Paused]), Some(NONE), true, true, false),
        Action::Resume => e(Some(&[V::Suspended]), Some(NONE), true, true, false),
        Action::Rescue | Action::Rebuild => e(
            Some(&[V::Active, V::Stopped, V::Error]),
            Some(NONE),
            true,
            true,
            false,
        ),
        Action::Unrescue => e(Some(&[V::Rescued]), Some(NONE), true, true, false),
        Action::Resize => e(Some(&[V::Active, V::Stopped]), Some(NONE), true, true, true),
        Action::ConfirmResize | Action::RevertResize => {
            e(Some(&[V::Resized]), Some(NONE), true, true, false)
        }
        Action::Evacuate => e(
            Some(&[V::Active, V::Stopped, V::Error]),
            None,
            true,
            false,
            false,
        ),
        Action::Shelve => e(Some(image), Some(NONE), true, true, false),
        Action::ShelveOffload => e(Some(&[V::Shelved]), Some(NONE), true, true, false),
        Action::Unshelve => e(
            Some(&[V::Shelved, V::ShelvedOffloaded]),
            Some(NONE),
            true,
            true,
            false,
        ),
        Action::LiveMigrate => e(Some(&[V::Active, V::Paused]), Some(NONE), true, true, false),
        Action::LiveMigrateForceComplete => e(
            Some(&[V::Active]),
            Some(&[Some(T::Migrating)]),
            true,
            true,
            false,
        ),
        Action::LiveMigrateAbort => e(None, Some(&[Some(T::Migrating)]), true, true, false),
        Action::Delete | Action::ForceDelete => e(None, None, false, true, false),
        Action::SoftDelete => e(None, None, true, true, false),
        Action::Restore => e(Some(&[V::SoftDeleted]), Some(NONE), true, true, false),
        Action::Snapshot | Action::SnapshotVolumeBacked | Action::Backup => {
            e(Some(image), Some(NONE), true, false, false)
        }
        Action::TriggerCrashDump => e(
            Some(&[V::Active, V::Paused, V::Rescued, V::Resized, V::Error]),
            Some(NONE),
            true,
            true,
            true,
        ),
        Action::AttachVolume | Action::DetachVolume => {
            e(Some(volumes), Some(NONE), true, true, false)
        }
        Action::SwapVolume => e(
            Some(&[V::Active, V::Paused, V::Resized]),
            Some(NONE),
            true,
            true,
            false,
        ),
        // Inner functions decorated check_instance_host() then check_instance_state(vm_state=None).
        Action::VolumeSnapshotCreate | Action::VolumeSnapshotDelete => {
            e(None, Some(NONE), true, false, true)
        }
        Action::AttachInterface | Action::DetachInterface => e(
            Some(&[V::Active, V::Paused, V::Stopped]),
            Some(NONE),
            true,
            true,
            false,
        ),
        Action::UpdateInstanceMetadata | Action::DeleteInstanceMetadata => {
            e(Some(metadata), None, true, true, false)
        }
        Action::GetVncConsole
        | Action::GetSpiceConsole
        | Action::GetSerialConsole
        | Action::GetMksConsole => console,
        Action::GetConsoleOutput | Action::GetDiagnostics | Action::GetInstanceDiagnostics => {
            e(None, None, false, false, true)
        }
        Action::InjectNetworkInfo | Action::AddFixedIp | Action::RemoveFixedIp => {
            e(None, None, false, true, false)
        }
        Action::GetRdpConsole => console,
        Action::Lock
        | Action::Unlock
        | Action::ResetState
        | Action::UpdateServer
        | Action::AddSecurityGroup
        | Action::RemoveSecurityGroup => e(None, None, false, false, false),
        // The REST handlers' own vm-state checks.
        Action::UpdateServerTags | Action::DeleteServerTags => e(
            Some(&[V::Active, V::Paused, V::Suspended, V::Stopped]),
            None,
            false,
            false,
            false,
        ),
        Action::AllowShare => e(Some(&[V::Stopped]), None, false, false, false),
        Action::DenyShare => e(Some(&[V::Stopped, V::Error]), None, false, false, false),
    }
}

fn all_tasks() -> impl Iterator<Item = Option<TaskState>> {
    std::iter::once(None).chain(TaskState::ALL.iter().copied().map(Some))
}

/// A microversion at which the action exists, so only the state checks decide.
fn version_for(action: Action) -> Microversion {
    match action {
        Action::AddFixedIp | Action::RemoveFixedIp | Action::GetDiagnostics => Microversion::v2(40),
        Action::GetRdpConsole => Microversion::v2(95),
        _ => Microversion::LATEST,
    }
}

#[test]
fn every_action_in_every_state_with_every_fact_agrees_with_nova() {
    let mut combinations = 0usize;
    for &action in Action::ALL {
        let want = expect(action);
        for &vm in VmState::ALL {
            for task in all_tasks() {
                for bits in 0..16u8 {
                    let (launched, locked, admin, host) =
                        (bits & 1 != 0, bits & 2 != 0, bits & 4 != 0, bits & 8 != 0);
                    let instance = Instance {
                        id: None,
                        vm_state: vm,
                        task_state: task,
                        power_state: None,
                        launched,
                        locked,
                        has_host: host,
                        project_id: None,
                        user_id: None,
                    };
                    let context = Context {
                        admin,
                        microversion: version_for(action),
                        // get_rdp_console exists until 2023.2.
                        release: if action == Action::GetRdpConsole {
                            Release::R2023_2
                        } else {
                            Release::LATEST
                        },
                        ..Context::default()
                    };
                    // Nova's API finds no deleted server: HTTP 404 before any decorator.
                    let expected = vm != V::Deleted
                        && want.vm.is_none_or(|s| s.contains(&vm))
                        && want.task.is_none_or(|s| s.contains(&task))
                        && task.is_none_or(|t| !want.task_rejects.contains(&t))
                        && (!want.launched || launched)
                        && (!want.lock || !locked || admin)
                        && (!want.host || host)
                        // detach_volume's inner call checks the host, except for an offloaded server.
                        && (action != Action::DetachVolume || host || vm == V::ShelvedOffloaded)
                        // evacuate naming no target host (the default) of a server without a
                        // host: the handler's 400.
                        && (action != Action::Evacuate || host);
                    let verdict = check(action, None, &instance, &context);
                    assert_eq!(
                        verdict.allowed, expected,
                        "{action} with vm {vm}, task {task:?}, launched {launched}, locked {locked}, admin {admin}, host {host}: {:?}",
                        verdict.denials
                    );
                    assert_eq!(
                        is_allowed(action, &instance, &context),
                        expected,
                        "is_allowed disagrees with check for {action}"
                    );
                    assert_eq!(verdict.denials.is_empty(), verdict.allowed);
                    combinations += 1;
                }
            }
        }
    }
    assert_eq!(
        combinations,
        Action::ALL.len() * 12 * (TaskState::ALL.len() + 1) * 16
    );
}

fn ordered_kinds(action: Action, instance: &Instance) -> Vec<DenialKind> {
    check(action, None, instance, &Context::default())
        .denials
        .iter()
        .map(|d| d.kind)
        .collect()
}

#[test]
fn denials_come_in_novas_checking_order() {
    // check_instance_lock, then check_instance_host, then check_instance_state (vm, task, launched).
    let mut worst = Instance::new(V::Building).with_task(Some(T::Spawning));
    worst.locked = true;
    worst.has_host = false;
    worst.launched = false;
    use DenialKind as K;
    assert_eq!(
        ordered_kinds(Action::Stop, &worst),
        [K::Locked, K::Host, K::VmState, K::TaskState, K::LaunchedAt]
    );
    // resize checks the host (and that it is up) last.
    assert_eq!(
        ordered_kinds(Action::Resize, &worst),
        [K::Locked, K::VmState, K::TaskState, K::LaunchedAt, K::Host]
    );
    // snapshot has no lock check.
    assert_eq!(
        ordered_kinds(Action::Snapshot, &worst),
        [K::VmState, K::TaskState, K::LaunchedAt]
    );
}

fn message(action: &str, instance: Instance, context: Context) -> (String, u16) {
    let (action, via) = Action::lookup(action).unwrap();
    let verdict = check(action, via, &instance, &context);
    let first = verdict.denials.first().expect("a denial");
    (first.message.clone(), first.http_status)
}

fn with_id(vm: VmState) -> Instance {
    let mut i = Instance::new(vm);
    i.id = Some("4f1c0f0e-0b3a-4a43-9c1a-3c7e2b1a9d10".into());
    i
}

#[test]
fn messages_are_the_texts_novas_api_returns() {
    let id = "4f1c0f0e-0b3a-4a43-9c1a-3c7e2b1a9d10";
    let c = Context::default();
    assert_eq!(
        message("pause", with_id(V::Stopped), c),
        (
            format!("Cannot 'pause' instance {id} while it is in vm_state stopped"),
            409
        )
    );
    assert_eq!(
        message("os-stop", with_id(V::Rescued), c),
        (
            format!("Cannot 'stop' instance {id} while it is in vm_state rescued"),
            409
        )
    );
    assert_eq!(
        message("migrate", with_id(V::Paused), c),
        (
            format!("Cannot 'migrate' instance {id} while it is in vm_state paused"),
            409
        )
    );
    assert_eq!(
        message(
            "resize",
            with_id(V::Active).with_task(Some(T::ImageSnapshot)),
            c
        ),
        (
            format!("Cannot 'resize' instance {id} while it is in task_state image_snapshot"),
            409
        )
    );
    // A task-state check that fails on "no task" has no state to name: Nova's generic text.
    assert_eq!(
        message("live_migrate_abort", with_id(V::Active), c),
        (
            format!("Instance {id} is in an invalid state for 'abort live migration'"),
            409
        )
    );
    let mut never_launched = with_id(V::Error);
    never_launched.launched = false;
    assert_eq!(
        message("rebuild", never_launched, c),
        (
            format!("Instance {id} is in an invalid state for 'rebuild'"),
            409
        )
    );
    let mut locked = with_id(V::Active);
    locked.locked = true;
    assert_eq!(
        message("pause", locked.clone(), c),
        (format!("Instance {id} is locked"), 409)
    );
    // restore and changePassword catch the lock error only as an invalid state.
    assert_eq!(
        message("changePassword", locked.clone(), c),
        (
            format!("Instance {id} is in an invalid state for 'changePassword'"),
            409
        )
    );
    assert_eq!(
        message("addFixedIp", locked, Context { admin: false, microversion: Microversion::v2(43), ..Context::default() }),
        ("Unexpected API Error. Please contact the administrator\n<class 'nova.exception.InstanceIsLocked'>".into(), 500)
    );
    let mut no_host = with_id(V::Stopped);
    no_host.has_host = false;
    assert_eq!(
        message("os-start", no_host, c),
        (format!("Instance {id} is not ready"), 409)
    );
    assert_eq!(
        message("os-getVNCConsole", with_id(V::Active), c),
        ("The resource could not be found.".into(), 404),
        "os-getVNCConsole was removed after 2.5"
    );
    assert_eq!(
        message(
            "trigger_crash_dump",
            with_id(V::Active),
            Context {
                admin: false,
                microversion: Microversion::v2(16),
                ..Context::default()
            }
        ),
        ("The resource could not be found.".into(), 404)
    );
    assert_eq!(
        message("delete", with_id(V::Deleted), c),
        (format!("Instance {id} could not be found."), 404)
    );
    // The assisted volume snapshot handlers answer with the exception's own text and HTTP 400.
    assert_eq!(
        message("volume_snapshot_create", with_id(V::Active).with_task(Some(T::Migrating)), c),
        (format!("Instance {id} in task_state migrating. Cannot do_volume_snapshot_create while the instance is in this state."), 400)
    );
    let mut no_host = with_id(V::Active);
    no_host.has_host = false;
    assert_eq!(
        message(
            "DELETE /os-assisted-volume-snapshots/{snapshot_id}",
            no_host,
            c
        ),
        (format!("Instance {id} is not ready"), 400)
    );
    // A refused soft delete falls back to delete, whose own lock check answers a locked server.
    let mut locked = with_id(V::Active);
    locked.locked = true;
    let verdict = check(Action::SoftDelete, None, &locked, &c);
    assert_eq!(
        (
            verdict.denials[0].message.as_str(),
            verdict.denials[0].http_status
        ),
        (format!("Instance {id} is locked").as_str(), 409)
    );
    let mut never_launched = with_id(V::Error);
    never_launched.launched = false;
    assert_eq!(
        check(Action::SoftDelete, None, &never_launched, &c).denials[0].http_status,
        204,
        "not launched: DELETE deletes for good"
    );
    // detach_volume's inner host check escapes as HTTP 500; an offloaded server needs no host.
    let mut no_host = with_id(V::Active);
    no_host.has_host = false;
    assert_eq!(message("detach_volume", no_host, c).1, 500);
    assert!(is_allowed(
        Action::DetachVolume,
        &Instance::new(V::ShelvedOffloaded),
        &c
    ));
    // One REST name, two methods by microversion: the one that exists at the asked version.
    let (action, via) = Action::lookup("GET /servers/{id}/diagnostics").unwrap();
    let at = |minor| Context {
        admin: false,
        microversion: Microversion::v2(minor),
        ..Context::default()
    };
    let verdict = check(action, via, &with_id(V::Active), &at(48));
    assert_eq!(
        (verdict.action, verdict.allowed),
        (Action::GetInstanceDiagnostics, true)
    );
    let verdict = check(action, via, &with_id(V::Active), &at(47));
    assert_eq!(
        (verdict.action, verdict.allowed),
        (Action::GetDiagnostics, true)
    );
    // The placeholder when the record has no id.
    assert_eq!(
        message("pause", Instance::new(V::Stopped), c).0,
        "Cannot 'pause' instance <uuid> while it is in vm_state stopped"
    );
}

#[test]
fn denials_name_the_accepted_values() {
    let verdict = check(
        Action::Unshelve,
        None,
        &Instance::new(V::Active),
        &Context::default(),
    );
    assert_eq!(verdict.denials[0].kind, DenialKind::VmState);
    assert_eq!(verdict.denials[0].actual, "active");
    assert_eq!(
        verdict.denials[0].expected,
        ["shelved", "shelved_offloaded"]
    );
    let verdict = check(
        Action::RebootHard,
        None,
        &Instance::new(V::Active).with_task(Some(T::Migrating)),
        &Context::default(),
    );
    assert_eq!(verdict.denials[0].actual, "migrating");
    assert_eq!(
        verdict.denials[0].expected,
        [
            "None",
            "rebooting",
            "reboot_pending",
            "reboot_started",
            "rebooting_hard",
            "pausing",
            "unpausing",
            "suspending",
            "resuming"
        ]
    );
}

#[test]
fn microversion_ranges_follow_the_rest_entries() {
    let active = Instance::new(V::Active);
    let at = |minor| Context {
        admin: false,
        microversion: Microversion::v2(minor),
        ..Context::default()
    };
    assert!(!is_allowed(Action::TriggerCrashDump, &active, &at(16)));
    assert!(is_allowed(Action::TriggerCrashDump, &active, &at(17)));
    assert!(is_allowed(Action::AddFixedIp, &active, &at(43)));
    assert!(!is_allowed(Action::AddFixedIp, &active, &at(44)));
    assert!(is_allowed(Action::GetDiagnostics, &active, &at(47)));
    assert!(!is_allowed(Action::GetDiagnostics, &active, &at(48)));
    assert!(is_allowed(Action::GetInstanceDiagnostics, &active, &at(48)));
    assert!(!is_allowed(Action::GetMksConsole, &active, &at(7)));
    assert!(is_allowed(Action::GetMksConsole, &active, &at(8)));
    // The volume handlers refuse shelved servers before 2.20, ahead of the compute API checks.
    let shelved = Instance::new(V::Shelved);
    assert!(!is_allowed(Action::AttachVolume, &shelved, &at(19)));
    assert!(is_allowed(Action::AttachVolume, &shelved, &at(20)));
    assert!(!is_allowed(
        Action::DetachVolume,
        &Instance::new(V::ShelvedOffloaded),
        &at(19)
    ));
    assert!(is_allowed(Action::AttachVolume, &active, &at(19)));
    let verdict = check(Action::AttachVolume, None, &with_id(V::Shelved), &at(19));
    assert_eq!(
        verdict.denials[0].message,
        "Cannot 'attach_volume' instance 4f1c0f0e-0b3a-4a43-9c1a-3c7e2b1a9d10 while it is in vm_state shelved"
    );
    assert_eq!(
        verdict.denials[0].expected,
        ["active", "paused", "stopped", "resized", "soft-delete"]
    );
    // The VNC console moved from os-getVNCConsole (2.1-2.5) to remote-consoles (2.6+).
    assert!(is_allowed(Action::GetVncConsole, &active, &at(5)));
    assert!(is_allowed(Action::GetVncConsole, &active, &at(6)));
    let mut migrating = Instance::new(V::Active).with_task(Some(T::Migrating));
    migrating.launched = true;
    assert!(!is_allowed(Action::LiveMigrateAbort, &migrating, &at(23)));
    assert!(is_allowed(Action::LiveMigrateAbort, &migrating, &at(24)));
    assert!(!is_allowed(
        Action::LiveMigrateForceComplete,
        &migrating,
        &at(21)
    ));
    assert!(is_allowed(
        Action::LiveMigrateForceComplete,
        &migrating,
        &at(22)
    ));
}

#[test]
fn rest_names_and_method_names_both_find_actions() {
    let cases = [
        ("os-stop", Action::Stop),
        ("os-start", Action::Start),
        ("createImage", Action::Snapshot),
        ("createBackup", Action::Backup),
        ("confirmResize", Action::ConfirmResize),
        ("revertResize", Action::RevertResize),
        ("migrate", Action::Resize),
        ("os-migrateLive", Action::LiveMigrate),
        ("forceDelete", Action::ForceDelete),
        ("shelveOffload", Action::ShelveOffload),
        ("changePassword", Action::SetAdminPassword),
        ("reboot", Action::RebootSoft),
        ("DELETE /servers/{id}", Action::Delete),
        ("reboot_hard", Action::RebootHard),
    ];
    for (name, action) in cases {
        assert_eq!(Action::lookup(name).unwrap().0, action, "{name}");
    }
    let err = Action::lookup("os-stp").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unknown action \"os-stp\": expected one of start, stop,"),
        "{err}"
    );
    assert!(
        err.to_string().ends_with("(did you mean \"os-stop\"?)"),
        "{err}"
    );
}
