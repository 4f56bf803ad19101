//! The rules table against executed Nova: every case of every snapshot in `tests/oracle/`,
//! written by `python3 oracle/run.py VERSION` from the release's own code (see
//! `oracle/README.md`). No Python is needed here.
//!
//! A compute API case is one method × vm state × task state (or none) × launched × locked ×
//! admin × host. Nova's answer is "allowed" (its method body was reached) or the first
//! exception its checks raise; the table's is [`nova_states::check`]'s verdict, whose first
//! denial must be of the same kind, and whose text must be Nova's where the REST handler passes
//! the exception's own text through.

use std::collections::BTreeMap;
use std::path::PathBuf;

use nova_states::rules::Entry;
use nova_states::{
    decide, states_for_status, status_of, Action, Context, DenialKind, Instance, Microversion,
    Refused, Release, TaskState, VmState,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Snapshot {
    nova: String,
    series: Option<String>,
    max_microversion: String,
    vm_states: Vec<String>,
    task_states: Vec<String>,
    axes: Vec<String>,
    decorators: BTreeMap<String, Vec<serde_json::Value>>,
    outcomes: Vec<Outcome>,
    methods: BTreeMap<String, String>,
    status_from_state: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    rest_tasks: Vec<Option<String>>,
    #[serde(default)]
    rest_facts: Vec<[bool; 4]>,
    #[serde(default)]
    rest_outcomes: Vec<RestOutcome>,
    #[serde(default)]
    rest: BTreeMap<String, RestCase>,
    task_and_vm_state_from_status: BTreeMap<String, Filter>,
}

#[derive(Deserialize)]
struct Outcome {
    #[serde(default)]
    allowed: bool,
    exception: Option<String>,
    #[serde(default)]
    kwargs: BTreeMap<String, serde_json::Value>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct RestOutcome {
    reached: Vec<String>,
    status: Option<u16>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct RestCase {
    #[serde(default)]
    absent: bool,
    microversion: Option<String>,
    grid: Option<String>,
    #[serde(default)]
    edges: BTreeMap<String, usize>,
    deleted: Option<usize>,
}

#[derive(Deserialize)]
struct Filter {
    vm_states: Vec<String>,
    task_states: Vec<String>,
}

const UUID: &str = "8f0fd4b5-3a4c-4ac3-9a5e-2b9d46e6d5a1";

/// Every snapshot in `tests/oracle/`, oldest release first.
fn snapshots() -> Vec<Snapshot> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/oracle exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("nova-")
        })
        .collect();
    paths.sort_by_key(|p| {
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        name.trim_start_matches("nova-")
            .split('.')
            .map(|n| n.parse::<u32>().unwrap())
            .collect::<Vec<_>>()
    });
    assert!(!paths.is_empty(), "no snapshots in {}", dir.display());
    paths
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

/// The release a snapshot was taken from; its facts must be the crate's.
fn release_of(snap: &Snapshot) -> Release {
    let series = snap
        .series
        .as_deref()
        .expect("snapshot of a supported release");
    let release = Release::parse(series).unwrap();
    assert_eq!(release.nova_version(), snap.nova);
    assert_eq!(release.max_microversion().to_wire(), snap.max_microversion);
    release
}

fn decode(rle: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for token in rle.split(' ') {
        let (code, count) = token.split_once('*').unwrap_or((token, "1"));
        let code: usize = code.parse().unwrap();
        out.extend(std::iter::repeat_n(code, count.parse().unwrap()));
    }
    out
}

/// The table's action for a probed method (with its argument variant, if any), or why it is
/// compared some other way.
fn action_of(method: &str) -> Result<Action, &'static str> {
    match method {
        "reboot reboot_type=\"SOFT\"" => Ok(Action::RebootSoft),
        "reboot reboot_type=\"HARD\"" => Ok(Action::RebootHard),
        "volume_snapshot_delete delete_info={}" => Ok(Action::VolumeSnapshotDelete),
        m if m.starts_with("volume_snapshot_delete delete_info=") => Err(
            "a request body naming merge_target_file also needs vm state active: a note on the \
             row, not a check (the table checks what a server record shows)",
        ),
        m => Action::parse(m).map_err(|_| "no row"),
    }
}

/// The newest microversion at which some REST entry of the action exists: the compute API
/// checks do not depend on it, so the check must not refuse for it.
fn microversion_for(action: Action) -> Microversion {
    action
        .rule()
        .rest
        .iter()
        .map(|r| r.max.unwrap_or(Microversion::LATEST))
        .max()
        .unwrap()
}

fn kind_of(outcome: &Outcome) -> Option<DenialKind> {
    if outcome.allowed {
        return None;
    }
    Some(match outcome.exception.as_deref() {
        Some("InstanceIsLocked") => DenialKind::Locked,
        Some("InstanceNotReady") => DenialKind::Host,
        Some("InstanceInvalidState") => match outcome.kwargs["attr"].as_str() {
            Some("vm_state") => DenialKind::VmState,
            Some("task_state") => DenialKind::TaskState,
            Some("launched_at") => DenialKind::LaunchedAt,
            other => panic!("unexpected attr {other:?}"),
        },
        other => panic!("unexpected exception {other:?}"),
    })
}

/// Cases compared, per release, for the closing report (`cargo test -- --nocapture`).
#[test]
fn every_compute_api_case_agrees_with_executed_nova() {
    let mut report = Vec::new();
    for snap in snapshots() {
        assert_eq!(
            snap.axes,
            [
                "host",
                "launched",
                "locked",
                "admin",
                "vm_state",
                "task_state"
            ]
        );
        let vms: Vec<VmState> = snap
            .vm_states
            .iter()
            .map(|s| VmState::parse(s).unwrap())
            .collect();
        let tasks: Vec<Option<TaskState>> = std::iter::once(None)
            .chain(
                snap.task_states
                    .iter()
                    .map(|s| Some(TaskState::parse(s).unwrap())),
            )
            .collect();
        let mut compared = 0usize;
        let mut skipped = 0usize;
        let mut texts = 0usize;
        let release = release_of(&snap);
        let mut failures = Vec::new();
        for (method, rle) in &snap.methods {
            let codes = decode(rle);
            assert_eq!(
                codes.len(),
                2 * 2 * 2 * 2 * vms.len() * tasks.len(),
                "{method}"
            );
            let action = match action_of(method) {
                Ok(a) => a,
                Err(why) => {
                    assert_ne!(why, "no row", "nova {}: {method} has no row", snap.nova);
                    skipped += codes.len();
                    continue;
                }
            };
            let context_mv = microversion_for(action);
            let mut i = 0;
            for host in [true, false] {
                for launched in [true, false] {
                    for locked in [false, true] {
                        for admin in [false, true] {
                            let context = Context {
                                admin,
                                microversion: context_mv.min(release.max_microversion()),
                                release,
                                // The compute API method is called directly: no REST body,
                                // so no evacuate handler's host comparison.
                                body: nova_states::RequestBody {
                                    target_host: Some(true),
                                    ..Default::default()
                                },
                                ..Context::default()
                            };
                            for &vm in &vms {
                                for &task in &tasks {
                                    let outcome = &snap.outcomes[codes[i]];
                                    i += 1;
                                    let instance = Instance {
                                        id: Some(UUID.to_string()),
                                        vm_state: vm,
                                        task_state: task,
                                        power_state: None,
                                        launched,
                                        locked,
                                        has_host: host,
                                        project_id: None,
                                        user_id: None,
                                    };
                                    let decision = decide(action, None, &instance, &context);
                                    let mut refused = decision.refused();
                                    if vm == VmState::Deleted {
                                        // Deliberate: Nova's REST layer does not find a deleted
                                        // server (404) before any compute API check runs; the
                                        // checks after that are compared.
                                        assert_eq!(refused[0], Refused::NotFound);
                                        refused = &refused[1..];
                                        if kind_of(outcome) == Some(DenialKind::VmState) {
                                            compared += 1;
                                            continue;
                                        }
                                    }
                                    compared += 1;
                                    let want = kind_of(outcome);
                                    let got = refused.first().map(|&r| decision.kind(r));
                                    if want != got {
                                        failures.push(format!(
                                            "nova {} {method}: vm={vm} task={task:?} launched={launched} locked={locked} admin={admin} host={host}: Nova {}, table {got:?}",
                                            snap.nova,
                                            outcome.exception.as_deref().unwrap_or("allowed"),
                                        ));
                                        continue;
                                    }
                                    // Where the handler passes the exception's text through
                                    // (HTTP 400 of the assisted snapshots, the 409s of lock and
                                    // host), it must be Nova's exact text.
                                    if let (Some(&first), Some(message)) =
                                        (refused.first(), outcome.message.as_deref())
                                    {
                                        let d = decision.denial(first, &instance, &context);
                                        let nova_text = message
                                            .replace("{uuid}", UUID)
                                            .replace("{state}", &d.actual);
                                        let own = d
                                            .message
                                            .starts_with(&format!("Instance {UUID} in "))
                                            || d.message == format!("Instance {UUID} is locked")
                                            || d.message == format!("Instance {UUID} is not ready");
                                        if own {
                                            texts += 1;
                                            if d.message != nova_text {
                                                failures.push(format!(
                                                    "nova {} {method}: text {:?}, Nova {:?}",
                                                    snap.nova, d.message, nova_text
                                                ));
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} disagreements with nova {}, first:\n{}",
            failures.len(),
            snap.nova,
            failures[..failures.len().min(30)].join("\n")
        );
        report.push(format!(
            "nova {} ({}): {compared} compute API cases compared ({texts} texts), {skipped} recorded only",
            snap.nova,
            snap.series.as_deref().unwrap_or("?")
        ));
    }
    println!("{}", report.join("\n"));
}

#[test]
fn every_probed_method_has_a_row_and_every_checked_row_was_probed() {
    for snap in snapshots() {
        let mut probed: Vec<Action> = snap
            .methods
            .keys()
            .filter_map(|m| action_of(m).ok())
            .collect();
        probed.sort_by_key(|a| a.index());
        probed.dedup();
        // Every row whose method Nova's compute API guards was executed (the tags and shares
        // rows are the REST handlers' own checks).
        let release = release_of(&snap);
        for &action in Action::ALL {
            let rule = action.rule();
            let in_release = rule.rest.iter().any(|r| r.releases.contains(release));
            let handler_check = rule.source.starts_with("nova/api/");
            if !rule.guards.is_empty() && in_release && !handler_check && !probed.contains(&action)
            {
                panic!("nova {}: {action} has checks but was not probed", snap.nova);
            }
        }
    }
}

#[test]
fn the_status_mapping_agrees_with_executed_nova() {
    for snap in snapshots() {
        for (vm, statuses) in &snap.status_from_state {
            let vm = VmState::parse(vm).unwrap();
            let tasks = std::iter::once(None).chain(
                snap.task_states
                    .iter()
                    .map(|s| Some(TaskState::parse(s).unwrap())),
            );
            for (task, want) in tasks.zip(statuses) {
                assert_eq!(
                    status_of(vm, task).as_str(),
                    want,
                    "nova {}: status of {vm}/{task:?}",
                    snap.nova
                );
            }
        }
        for (status, filter) in &snap.task_and_vm_state_from_status {
            let got = match states_for_status(status) {
                Ok(f) => f,
                Err(_) => {
                    // Deliberate: Nova's filter matches nothing for a status it does not know;
                    // the crate names the unknown input instead.
                    assert!(filter.vm_states.is_empty() && filter.task_states.is_empty());
                    continue;
                }
            };
            let vms: Vec<&str> = got.vm_states.iter().map(|v| v.as_str()).collect();
            assert_eq!(vms, filter.vm_states, "nova {}: {status}", snap.nova);
            match &got.task_states {
                None => assert!(
                    filter.task_states.iter().any(|t| t == "default"),
                    "nova {}: {status}",
                    snap.nova
                ),
                Some(tasks) => {
                    let tasks: Vec<&str> = tasks.iter().map(|t| t.as_str()).collect();
                    assert_eq!(tasks, filter.task_states, "nova {}: {status}", snap.nova);
                }
            }
        }
    }
}

#[test]
fn the_vocabularies_are_novas() {
    for snap in snapshots() {
        let vms: Vec<&str> = VmState::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(vms, snap.vm_states, "nova {}", snap.nova);
        let tasks: Vec<&str> = TaskState::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(tasks, snap.task_states, "nova {}", snap.nova);
        assert!(Microversion::parse(&snap.max_microversion).is_ok());
    }
}

/// What a REST case's answer means for the table.
enum Nova<'a> {
    /// The checks let it through: a compute API body was reached, or the handler answered 2xx,
    /// or a stand-in below the checks failed (HTTP 500 naming a class outside nova.exception).
    Passed,
    /// Refused by policy (HTTP 403): the table does not model policies (admin-only actions say
    /// so in their notes).
    Policy,
    /// Refused with this status and text.
    Refused(u16, &'a str),
    /// Refused for the probe's request body, whatever the server.
    Body,
}

fn nova_rest(o: &RestOutcome) -> Nova<'_> {
    let message = o.message.as_deref().unwrap_or("");
    if message.starts_with("Invalid input for field/attribute type. Value: rdp-html5.") {
        // 2025.1 at 2.99+: the probe's console type is no longer in the schema, whose error
        // is about the body, not the server.
        return Nova::Body;
    }
    if !o.reached.is_empty() {
        return Nova::Passed;
    }
    match o.status {
        None => Nova::Passed,
        Some(s) if (200..300).contains(&s) => Nova::Passed,
        Some(403) if message.starts_with("Policy doesn't allow") => Nova::Policy,
        Some(500) if !message.contains("nova.exception.") => Nova::Passed,
        Some(s) => Nova::Refused(s, message),
    }
}

/// The row and REST entry a probed request reaches, or why it is not compared.
fn rest_target(key: &str, at: Microversion) -> Result<(Action, &'static Entry), &'static str> {
    let (name, variant) = match key.split_once(" [") {
        Some((n, v)) => (n, v.trim_end_matches(']')),
        None => (key, ""),
    };
    let by_variant = match (name, variant) {
        ("reboot", "SOFT") => Some(Action::RebootSoft),
        ("reboot", "HARD") => Some(Action::RebootHard),
        ("createImage", "image-backed") => Some(Action::Snapshot),
        ("createImage", "volume-backed") => Some(Action::SnapshotVolumeBacked),
        ("DELETE /servers/{id}", "delete") => Some(Action::Delete),
        ("DELETE /servers/{id}", "soft delete configured") => Some(Action::SoftDelete),
        ("POST /servers/{id}/remote-consoles", "vnc") => Some(Action::GetVncConsole),
        ("POST /servers/{id}/remote-consoles", "spice") => Some(Action::GetSpiceConsole),
        ("POST /servers/{id}/remote-consoles", "serial") => Some(Action::GetSerialConsole),
        ("POST /servers/{id}/remote-consoles", "mks") => Some(Action::GetMksConsole),
        ("POST /servers/{id}/remote-consoles", "rdp") => Some(Action::GetRdpConsole),
        ("evacuate", _) => Some(Action::Evacuate),
        ("unshelve", "availability zone") | ("unshelve", "host") => {
            return Err(
                "unshelve naming an availability zone or host needs shelved_offloaded (409), \
                 checked inside the compute API method's body, which the probe replaces: \
                 RequestBody::unshelve_destination is read from the code",
            )
        }
        _ => None,
    };
    if let Some(action) = by_variant {
        let rest = action
            .rule()
            .rest
            .iter()
            .find(|r| r.name() == name)
            .expect("the row has the entry");
        return Ok((action, rest));
    }
    if let Some(found) = Action::reached_by(name, at) {
        return Ok(found);
    }
    match Action::lookup(name) {
        Ok((action, Some(rest))) => Ok((action, rest)),
        Ok((action, None)) => Ok((action, &action.rule().rest[0])),
        Err(_) => Err("no row"),
    }
}

#[test]
fn every_rest_case_agrees_with_executed_nova() {
    let mut report = Vec::new();
    for snap in snapshots() {
        if snap.rest.is_empty() {
            continue;
        }
        let release = release_of(&snap);
        let vms: Vec<VmState> = snap
            .vm_states
            .iter()
            .map(|s| VmState::parse(s).unwrap())
            .collect();
        let tasks: Vec<Option<TaskState>> = snap
            .rest_tasks
            .iter()
            .map(|t| t.as_deref().map(|t| TaskState::parse(t).unwrap()))
            .collect();
        let (mut compared, mut policy, mut deleted, mut skipped, mut edges) = (0, 0, 0, 0, 0);
        let mut failures = Vec::new();
        for (key, case) in &snap.rest {
            if case.absent {
                continue;
            }
            let at = Microversion::parse(case.microversion.as_deref().unwrap()).unwrap();
            let (action, rest) = match rest_target(key, at) {
                Ok(t) => t,
                Err(why) => {
                    assert_ne!(why, "no row", "nova {}: {key} has no row", snap.nova);
                    skipped += decode(case.grid.as_deref().unwrap()).len();
                    continue;
                }
            };
            let codes = decode(case.grid.as_deref().unwrap());
            assert_eq!(codes.len(), vms.len() * tasks.len() * snap.rest_facts.len());
            let mut i = 0;
            for &vm in &vms {
                for &task in &tasks {
                    for &[launched, locked, admin, host] in &snap.rest_facts {
                        let outcome = &snap.rest_outcomes[codes[i]];
                        i += 1;
                        if vm == VmState::Deleted {
                            // Deliberate: the probe's stand-in finds the record; Nova's API
                            // does not find a deleted server (404), as the table answers.
                            deleted += 1;
                            continue;
                        }
                        let instance = Instance {
                            id: Some(UUID.to_string()),
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
                            microversion: at,
                            release,
                            ..Context::default()
                        };
                        let body = nova_states::RequestBody {
                            target_host: Some(key.ends_with("[to host]")),
                            ..Default::default()
                        };
                        let verdict = nova_states::check_with_body(
                            action,
                            Some(rest),
                            &instance,
                            &context,
                            &body,
                        );
                        let what = format!(
                            "nova {} {key} at {at}: vm={vm} task={task:?} launched={launched} locked={locked} admin={admin} host={host}",
                            snap.nova
                        );
                        match nova_rest(outcome) {
                            Nova::Policy => policy += 1,
                            Nova::Body => skipped += 1,
                            Nova::Passed => {
                                compared += 1;
                                // A refused soft delete falls back to delete: Nova reaches
                                // delete, the table refuses soft_delete saying so (204).
                                let falls_back = outcome.reached == ["delete"]
                                    && verdict
                                        .denials
                                        .first()
                                        .is_some_and(|d| d.http_status == 204);
                                if !verdict.allowed && !falls_back {
                                    failures.push(format!(
                                        "{what}: Nova passed, table {:?}",
                                        verdict.denials[0].message
                                    ));
                                }
                            }
                            Nova::Refused(status, message) => {
                                compared += 1;
                                let message = message.replace("{uuid}", UUID);
                                match verdict.denials.first() {
                                    None => failures.push(format!(
                                        "{what}: Nova {status} {message:?}, table allowed"
                                    )),
                                    Some(d) if d.http_status != status || d.message != message => {
                                        failures.push(format!(
                                            "{what}: Nova {status} {message:?}, table {} {:?}",
                                            d.http_status, d.message
                                        ))
                                    }
                                    Some(_) => {}
                                }
                            }
                        }
                    }
                }
            }
            // A deleted server, which Nova's lookups do not find.
            if let Some(code) = case.deleted {
                let instance = Instance {
                    id: Some(UUID.to_string()),
                    ..Instance::new(VmState::Deleted)
                };
                let context = Context {
                    admin: true,
                    microversion: at,
                    release,
                    ..Context::default()
                };
                let verdict = nova_states::check(action, Some(rest), &instance, &context);
                if let Nova::Refused(status, message) = nova_rest(&snap.rest_outcomes[code]) {
                    let message = message
                        .replace("{uuid}", UUID)
                        .replace("{other}", "<volume_id>");
                    let d = &verdict.denials[0];
                    edges += 1;
                    if (d.http_status, d.message.as_str()) != (status, message.as_str()) {
                        failures.push(format!(
                            "nova {} {key} deleted: Nova {status} {message:?}, table {} {:?}",
                            snap.nova, d.http_status, d.message
                        ));
                    }
                }
            }
            // Microversion boundaries, for an active server with no task (admin).
            for (mv, &code) in &case.edges {
                let mv = Microversion::parse(mv).unwrap();
                let instance = Instance {
                    id: Some(UUID.to_string()),
                    ..Instance::new(VmState::Active)
                };
                let context = Context {
                    admin: true,
                    microversion: mv,
                    release,
                    ..Context::default()
                };
                let verdict = nova_states::check(action, Some(rest), &instance, &context);
                let first = verdict.denials.first().map(|d| d.kind);
                match nova_rest(&snap.rest_outcomes[code]) {
                    Nova::Refused(404, "The resource could not be found.") => {
                        edges += 1;
                        if first != Some(DenialKind::Microversion) {
                            failures.push(format!(
                                "nova {} {key} at {mv}: Nova 404, table {first:?}",
                                snap.nova
                            ));
                        }
                    }
                    Nova::Passed => {
                        edges += 1;
                        if !verdict.allowed {
                            failures.push(format!(
                                "nova {} {key} at {mv}: Nova passed, table {first:?}",
                                snap.nova
                            ));
                        }
                    }
                    // The remote-consoles route before mks existed: the schema's 400.
                    Nova::Refused(400, message)
                        if key.ends_with("[mks]") && message.starts_with("Invalid input") =>
                    {
                        edges += 1;
                        let d = &verdict.denials[0];
                        if (d.http_status, d.message.as_str()) != (400, message) {
                            failures.push(format!(
                                "nova {} {key} at {mv}: Nova 400 {message:?}, table {} {:?}",
                                snap.nova, d.http_status, d.message
                            ));
                        }
                    }
                    // A body that only that microversion's schema refuses.
                    _ => {}
                }
            }
        }
        failures.sort();
        // One example per request, so a failure report shows every request that disagrees.
        let mut examples: Vec<&String> = Vec::new();
        for f in &failures {
            let request = f.split(" at ").next().unwrap_or_default();
            if examples.last().is_none_or(|e| !e.starts_with(request)) {
                examples.push(f);
            }
        }
        assert!(
            failures.is_empty(),
            "{} REST disagreements with nova {}, one per request:\n{}",
            failures.len(),
            snap.nova,
            examples
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
        report.push(format!(
            "nova {} ({}): {compared} REST cases compared, {edges} microversion-edge and deleted-server requests, {policy} policy refusals and {deleted} deleted-server cases not compared, {skipped} request-option cases recorded only",
            snap.nova, release
        ));
    }
    println!("{}", report.join("\n"));
}

#[test]
fn release_differences_match_the_decorators_each_release_carries() {
    let all = snapshots();
    for snap in &all {
        let release = release_of(snap);
        for d in nova_states::DIFFERENCES {
            let Some(chain) = snap.decorators.get(d.action.as_str()) else {
                continue;
            };
            if d.source.chars().any(|c| c.is_ascii_uppercase()) {
                continue; // a constant, not a decorator
            }
            let carries = chain.iter().any(|x| x["decorator"] == d.source);
            assert_eq!(
                carries,
                d.releases.contains(release),
                "nova {}: {} carries {}: {carries}, DIFFERENCES says {}",
                snap.nova,
                d.action,
                d.source,
                d.releases.describe()
            );
        }
        // And every such decorator a release adds or drops is in DIFFERENCES.
        for (method, chain) in &snap.decorators {
            let Ok(action) = Action::parse(method) else {
                continue;
            };
            for x in chain {
                let name = x["decorator"].as_str().unwrap();
                let varies = all.iter().any(|other| {
                    other
                        .decorators
                        .get(method)
                        .is_some_and(|c| !c.iter().any(|y| y["decorator"] == name))
                });
                if varies {
                    assert!(
                        nova_states::DIFFERENCES
                            .iter()
                            .any(|d| d.action == action && d.source == name),
                        "nova {}: {method}'s {name} varies between releases but is not in DIFFERENCES",
                        snap.nova
                    );
                }
            }
        }
    }
}

/// Server records from Nova's own view builder (`GET /servers/{id}` through its router, over
/// fake instances), written by the oracle for the newest release: the record readers must
/// read back the facts the probe put in, and validation must find nothing wrong.
#[test]
fn records_from_novas_view_builder_read_back_exactly() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!(
        "tests/oracle/servers-{}.json",
        Release::LATEST.nova_version()
    ));
    let Ok(text) = std::fs::read_to_string(&path) else {
        panic!(
            "{} is missing: run python3 oracle/run.py {}",
            path.display(),
            Release::LATEST.nova_version()
        );
    };
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut read = 0;
    for entry in doc["servers"].as_array().unwrap() {
        let record = &entry["record"];
        assert_eq!(record["status"], 200, "{entry}");
        let body = serde_json::to_string(&record["body"]).unwrap();
        let raw = nova_states::RawServer::from_json(&body).unwrap();
        let facts = nova_states::Facts::read(&raw).unwrap();
        let server = &record["body"]["server"];
        let vm = VmState::parse(server["OS-EXT-STS:vm_state"].as_str().unwrap()).unwrap();
        let task = server["OS-EXT-STS:task_state"]
            .as_str()
            .map(|t| TaskState::parse(t).unwrap());
        assert_eq!(facts.instance.vm_state, vm);
        assert_eq!(facts.instance.task_state, task);
        assert_eq!(
            facts.instance.has_host,
            !server["OS-EXT-SRV-ATTR:host"].is_null()
        );
        assert_eq!(
            facts.instance.launched,
            !server["OS-SRV-USG:launched_at"].is_null()
        );
        if let Some(locked) = server["locked"].as_bool() {
            assert_eq!(facts.instance.locked, locked);
        }
        assert_eq!(
            status_of(vm, task).as_str(),
            server["status"].as_str().unwrap(),
            "{entry}"
        );
        let validation = nova_states::validate(&raw);
        assert!(validation.ok, "{entry}: {:?}", validation.diagnostics);
        read += 1;
    }
    assert!(read >= 20, "only {read} records");
}

#[test]
fn every_rest_entry_of_the_table_was_sent_to_nova() {
    for snap in snapshots() {
        if snap.rest.is_empty() {
            continue;
        }
        for rule in nova_states::RULES.iter() {
            for rest in rule.rest {
                let probed = snap
                    .rest
                    .keys()
                    .any(|k| k == rest.name() || k.starts_with(&format!("{} [", rest.name())));
                assert!(
                    probed,
                    "nova {}: {} ({}) was not probed",
                    snap.nova,
                    rest.name(),
                    rule.action
                );
            }
        }
    }
}
