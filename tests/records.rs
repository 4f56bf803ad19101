//! Server records: Nova's own API samples (read from ../shared/samples/nova-api at test time),
//! assumptions for missing facts, validation findings, and bad JSON.

use std::path::PathBuf;

use nova_states::each_server_in_json;
use nova_states::{check_record, validate, Action, Context, Facts, RawServer, Status, VmState};

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/nova-api")
}

#[derive(serde::Deserialize)]
struct IndexEntry {
    file: String,
    microversion: String,
    status: String,
    vm_state: String,
    task_state: Option<String>,
    status_matches_status_from_state: bool,
}

#[derive(serde::Deserialize)]
struct Index {
    files: Vec<IndexEntry>,
}

fn index() -> Index {
    let text = std::fs::read_to_string(samples_dir().join("INDEX.json"))
        .expect("../shared/samples/nova-api/INDEX.json is readable");
    serde_json::from_str(&text).expect("INDEX.json parses")
}

/// Every server record in a sample file: one for GET responses, many for detail lists.
fn servers_in(text: &str) -> Vec<RawServer<'_>> {
    if text.contains("\"servers\"") {
        let mut all = Vec::new();
        each_server_in_json(text, |raw| all.push(raw)).unwrap();
        all
    } else {
        vec![RawServer::from_json(text).unwrap()]
    }
}

/// Nova's API samples are in `../shared`, beside the CEO's clones only: a plain clone skips
/// the checks that read them (the oracle's fixtures, `tests/oracle.rs`, are the project's own).
fn samples_present() -> bool {
    let present = samples_dir().join("INDEX.json").exists();
    if !present {
        eprintln!("skipped: no ../shared/samples/nova-api beside this clone");
    }
    present
}

#[test]
fn every_nova_sample_reads_validates_and_checks() {
    if !samples_present() {
        return;
    }
    let index = index();
    assert_eq!(index.files.len(), 25, "INDEX.json lists 25 samples");
    for entry in &index.files {
        let text = std::fs::read_to_string(samples_dir().join(&entry.file)).unwrap();
        let servers = servers_in(&text);
        assert!(!servers.is_empty(), "{}", entry.file);
        for raw in &servers {
            let facts = Facts::read(raw).unwrap_or_else(|e| panic!("{}: {e}", entry.file));
            assert_eq!(
                facts.instance.vm_state.as_str(),
                entry.vm_state,
                "{}",
                entry.file
            );
            assert_eq!(
                facts.instance.task_state.map(|t| t.as_str()),
                entry.task_state.as_deref(),
                "{}",
                entry.file
            );
            let validation = validate(raw);
            assert_eq!(validation.status.as_str(), entry.status, "{}", entry.file);
            assert_eq!(
                validation
                    .diagnostics
                    .iter()
                    .any(|d| d.code == "status-mismatch"),
                !entry.status_matches_status_from_state,
                "{}: {:?}",
                entry.file,
                validation.diagnostics
            );
            let microversion = entry.microversion.parse().unwrap();
            let context = Context {
                admin: false,
                microversion,
                ..Context::default()
            };
            for &action in Action::ALL {
                let verdict = check_record(action.as_str(), raw, &context).unwrap();
                assert_eq!(verdict.allowed, verdict.denials.is_empty());
            }
            // Records before 2.9 carry no `locked`: the verdict says it assumed unlocked.
            let verdict = check_record("pause", raw, &context).unwrap();
            assert_eq!(
                verdict.assumptions.iter().any(|a| a.field == "locked"),
                microversion.minor() < 9,
                "{}",
                entry.file
            );
        }
    }
}

#[test]
fn a_rescued_record_allows_unrescue_and_refuses_stop_with_novas_text() {
    // A rescued server as Nova's own view builder wrote it (the oracle's fixtures).
    let fixtures: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/servers-34.0.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let rescued = fixtures["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["record"]["body"])
        .find(|b| b["server"]["OS-EXT-STS:vm_state"] == "rescued")
        .expect("a rescued record among the fixtures");
    let text = rescued.to_string();
    let raw = RawServer::from_json(&text).unwrap();
    let context = Context::default();
    assert!(check_record("unrescue", &raw, &context).unwrap().allowed);
    let stop = check_record("os-stop", &raw, &context).unwrap();
    assert!(!stop.allowed);
    let Facts { instance, .. } = Facts::read(&raw).unwrap();
    let id = instance.id.unwrap();
    assert_eq!(
        stop.denials[0].message,
        format!("Cannot 'stop' instance {id} while it is in vm_state rescued")
    );
}

#[test]
fn missing_facts_are_assumed_and_listed() {
    let raw = RawServer::from_json(r#"{"OS-EXT-STS:vm_state": "shelved_offloaded"}"#).unwrap();
    let facts = Facts::read(&raw).unwrap();
    assert!(
        !facts.instance.has_host,
        "a shelved_offloaded server is assumed to have no host"
    );
    assert!(!facts.instance.locked);
    assert!(facts.instance.launched);
    let fields: Vec<&str> = facts.assumptions().iter().map(|a| a.field).collect();
    assert_eq!(
        fields,
        [
            "OS-EXT-STS:task_state",
            "locked",
            "OS-SRV-USG:launched_at",
            "OS-EXT-SRV-ATTR:host"
        ]
    );

    let raw = RawServer::from_json(r#"{"server": {"status": "SHUTOFF", "locked": true}}"#).unwrap();
    let facts = Facts::read(&raw).unwrap();
    assert_eq!(
        facts.instance.vm_state,
        VmState::Stopped,
        "a status that names one vm state stands in for it"
    );
    assert!(facts.instance.locked);

    let plain = RawServer::from_json(r#"{"vmState": "active", "taskState": null, "locked": false, "launched": true, "host": true}"#).unwrap();
    assert!(
        check_record("pause", &plain, &Context::default())
            .unwrap()
            .allowed
    );
}

#[test]
fn validation_reports_mismatches_and_states_nova_would_not_leave() {
    let v = validate(&RawServer::from_json(r#"{"status": "ACTIVE", "OS-EXT-STS:vm_state": "stopped", "OS-EXT-STS:task_state": null}"#).unwrap());
    assert!(!v.ok);
    assert_eq!(v.status, Status::Shutoff);
    assert_eq!(
        v.diagnostics[0].message,
        "status ACTIVE contradicts vm state stopped with task state None: Nova shows SHUTOFF"
    );

    let v = validate(&RawServer::from_json(r#"{"OS-EXT-STS:vm_state": "active", "OS-EXT-STS:task_state": null, "OS-EXT-STS:power_state": 4}"#).unwrap());
    assert!(v.ok, "a warning does not fail validation");
    assert_eq!(v.diagnostics[0].code, "power-out-of-sync");
    assert_eq!(
        v.diagnostics[0].message,
        "vm state active with power state shutdown: Nova's power-state sync will stop it"
    );

    let v = validate(&RawServer::from_json(r#"{"OS-EXT-STS:vm_state": "runing"}"#).unwrap());
    assert!(!v.ok);
    assert_eq!(v.status, Status::Unknown);
    assert!(v.diagnostics[0]
        .message
        .starts_with("server record key \"OS-EXT-STS:vm_state\": unknown vm state \"runing\""));

    let v = validate(&RawServer::from_json(r#"{"OS-EXT-STS:vm_state": 3}"#).unwrap());
    assert_eq!(
        v.diagnostics[0].message,
        "server record key \"OS-EXT-STS:vm_state\" is the number 3: expected a vm state string"
    );
}

#[test]
fn bad_json_is_an_error_that_says_where() {
    assert_eq!(
        RawServer::from_json("[1, 2]").unwrap_err().to_string(),
        "expected a server object, found an array"
    );
    assert_eq!(
        RawServer::from_json("{} x").unwrap_err().to_string(),
        "invalid JSON at byte 3: expected the end of the text, found \"x\""
    );
    assert_eq!(
        RawServer::from_json("").unwrap_err().to_string(),
        "invalid JSON at byte 0: expected a JSON value, found the end of the text"
    );
    let err = each_server_in_json(r#"{"servers_links": []}"#, |_| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a servers response: the object has no \"servers\" array"
    );
    let shallow_array = r#"{"servers": [[]]}"#;
    assert_eq!(
        each_server_in_json(shallow_array, |_| {})
            .unwrap_err()
            .to_string(),
        "expected a server object, found an array"
    );
    let deep = format!("{{\"servers\": [{{\"x\": {}}}]}}", "[".repeat(200_000));
    assert!(each_server_in_json(&deep, |_| {})
        .unwrap_err()
        .to_string()
        .starts_with("JSON nested deeper than 128 levels"));
}

#[test]
fn task_states_nova_never_leaves_in_a_vm_state_are_flagged() {
    use nova_states::record::task_seen_with;
    use nova_states::TaskState as T;
    let v = validate(
        &RawServer::from_json(
            r#"{"OS-EXT-STS:vm_state": "active", "OS-EXT-STS:task_state": "resize_confirming"}"#,
        )
        .unwrap(),
    );
    assert!(v.ok, "a warning, not an error");
    assert_eq!(v.diagnostics[0].code, "unexpected-task");
    assert_eq!(
        v.diagnostics[0].message,
        "task state resize_confirming with vm state active: no Nova action or periodic task leaves an instance so"
    );
    // Pairs Nova does produce: API-set tasks, the compute service's later ones, boot, power sync.
    assert!(task_seen_with(VmState::Active, T::ImageUploading));
    assert!(task_seen_with(VmState::Stopped, T::RebuildSpawning));
    assert!(task_seen_with(VmState::Shelved, T::ShelvingOffloading));
    assert!(task_seen_with(VmState::ShelvedOffloaded, T::Spawning));
    assert!(task_seen_with(VmState::Building, T::Networking));
    assert!(task_seen_with(VmState::Stopped, T::PoweringOff));
    assert!(task_seen_with(VmState::Error, T::Deleting));
    assert!(!task_seen_with(VmState::Rescued, T::Pausing));
    assert!(!task_seen_with(VmState::SoftDeleted, T::Migrating));
    // Pairs Nova does not produce: the offload task shows vm state shelved only; unshelving
    // powers on a shelved server and spawns an offloaded one.
    assert!(!task_seen_with(VmState::Active, T::ShelvingOffloading));
    assert!(!task_seen_with(VmState::ShelvedOffloaded, T::PoweringOn));
    assert!(!task_seen_with(VmState::Shelved, T::Spawning));
    // Every task an action sets is seen in every vm state it accepts, and each later task in
    // the vm state the table shows it with.
    for rule in nova_states::RULES.iter() {
        for vm in rule.accepted_vm_states() {
            if let Some(task) = rule.sets_task {
                assert!(
                    task_seen_with(vm, task),
                    "{} in {vm} shows {task}",
                    rule.action
                );
            }
            for later in rule.later_tasks {
                let shown_in = later.with.unwrap_or(vm);
                assert!(
                    task_seen_with(shown_in, later.task),
                    "{} shows {} in {shown_in}",
                    rule.action,
                    later.task
                );
            }
        }
    }
}

#[test]
fn novas_spelling_wins_over_the_plain_key_in_either_order() {
    for text in [
        r#"{"OS-EXT-STS:vm_state": "active", "vmState": "stopped"}"#,
        r#"{"vmState": "stopped", "OS-EXT-STS:vm_state": "active"}"#,
        r#"{"vmState": "stopped", "OS-EXT-STS:vm_state": "active", "vmState": "paused"}"#,
    ] {
        let facts = Facts::read(&RawServer::from_json(text).unwrap()).unwrap();
        assert_eq!(facts.instance.vm_state, VmState::Active, "{text}");
    }
}

#[test]
fn an_envelope_is_read_from_its_inner_object_alone() {
    for text in [
        r#"{"server": {"OS-EXT-STS:vm_state": "stopped"}, "OS-EXT-STS:vm_state": "active"}"#,
        r#"{"OS-EXT-STS:vm_state": "active", "server": {"OS-EXT-STS:vm_state": "stopped"}}"#,
    ] {
        let facts = Facts::read(&RawServer::from_json(text).unwrap()).unwrap();
        assert_eq!(facts.instance.vm_state, VmState::Stopped, "{text}");
    }
}

#[test]
fn transitional_means_a_task_runs_the_server_builds_or_its_status_needs_a_task() {
    let read = |text: &str| Facts::read(&RawServer::from_json(text).unwrap()).unwrap();
    assert!(
        read(r#"{"OS-EXT-STS:vm_state": "active", "OS-EXT-STS:task_state": "rebooting"}"#)
            .is_transitional()
    );
    assert!(
        read(r#"{"OS-EXT-STS:vm_state": "building", "OS-EXT-STS:task_state": null}"#)
            .is_transitional()
    );
    assert!(read(r#"{"status": "REBOOT", "OS-EXT-STS:vm_state": "active"}"#).is_transitional());
    assert!(!read(r#"{"status": "VERIFY_RESIZE", "OS-EXT-STS:vm_state": "resized", "OS-EXT-STS:task_state": null}"#).is_transitional());
    assert!(!read(
        r#"{"status": "SHUTOFF", "OS-EXT-STS:vm_state": "stopped", "OS-EXT-STS:task_state": null}"#
    )
    .is_transitional());
}
