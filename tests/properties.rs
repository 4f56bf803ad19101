//! Property tests: paths replay as allowed actions, every edge has a rule behind it, and no
//! input string or JSON makes a public function panic.

use nova_states::graph::step_instance;
use nova_states::{
    check, check_record, shortest_path, states_for_status, transitions, validate, Action, Context,
    Microversion, PathOptions, PowerState, RawServer, Status, TaskState, VmState,
};
use proptest::prelude::*;

fn vm_state() -> impl Strategy<Value = VmState> {
    (0..VmState::ALL.len()).prop_map(|i| VmState::ALL[i])
}

fn options() -> impl Strategy<Value = PathOptions<'static>> {
    (any::<bool>(), any::<bool>(), 1u16..=104).prop_map(|(admin, locked, minor)| PathOptions {
        context: Context {
            admin,
            microversion: Microversion::v2(minor),
            ..Context::default()
        },
        locked,
        ..PathOptions::default()
    })
}

proptest! {
    #[test]
    fn every_shortest_path_replays_as_allowed_actions(from in vm_state(), to in vm_state(), options in options()) {
        if let Some(path) = shortest_path(from, to, &options) {
            let mut at = from;
            for step in &path {
                prop_assert_eq!(step.from, at);
                let instance = step_instance(at, &options);
                let verdict = check(step.action, None, &instance, &options.context);
                prop_assert!(verdict.allowed, "{} from {} refused: {:?}", step.action, at, verdict.denials);
                at = step.to;
            }
            prop_assert_eq!(at, to);
            if from == to {
                prop_assert!(path.is_empty());
            }
        } else {
            prop_assert_ne!(from, to);
        }
    }

    #[test]
    fn parsers_never_panic_on_any_string(s in ".{0,64}") {
        let _ = VmState::parse(&s);
        let _ = TaskState::parse(&s);
        let _ = Status::parse(&s);
        let _ = PowerState::parse(&s);
        let _ = Action::lookup(&s);
        let _ = Microversion::parse(&s);
        let _ = states_for_status(&s);
        let _ = RawServer::from_json(&s);
        let _ = nova_states::each_server_in_json(&s, |_| {});
    }

    #[test]
    fn records_never_panic_on_any_json(json in json_value(), action in 0..Action::ALL.len()) {
        let text = json.to_string();
        if let Ok(raw) = RawServer::from_json(&text) {
            let _ = validate(&raw);
            let _ = check_record(Action::ALL[action].as_str(), &raw, &Context::default());
        }
        let wrapped = format!("{{\"servers\": [{text}]}}");
        let _ = nova_states::each_server_in_json(&wrapped, |raw| { let _ = validate(&raw); });
    }

    #[test]
    fn records_with_nova_keys_and_any_values_never_panic(
        values in proptest::collection::vec(json_value(), 9),
        action in 0..Action::ALL.len(),
    ) {
        let keys = ["id", "status", "OS-EXT-STS:vm_state", "OS-EXT-STS:task_state", "OS-EXT-STS:power_state",
            "locked", "OS-SRV-USG:launched_at", "OS-EXT-SRV-ATTR:host", "launched"];
        let map: serde_json::Map<String, serde_json::Value> =
            keys.iter().map(|k| k.to_string()).zip(values).collect();
        let text = serde_json::Value::Object(map).to_string();
        let raw = RawServer::from_json(&text).unwrap();
        let _ = validate(&raw);
        let _ = check_record(Action::ALL[action].as_str(), &raw, &Context::default());
    }
}

/// Arbitrary JSON, biased towards the names and shapes of Nova records.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let names: Vec<&'static str> = VmState::ALL
        .iter()
        .map(|v| v.as_str())
        .chain(TaskState::ALL.iter().map(|t| t.as_str()))
        .chain(Status::ALL.iter().map(|s| s.as_str()))
        .collect();
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        proptest::sample::select(names).prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("server".to_string()),
                    Just("OS-EXT-STS:vm_state".to_string()),
                    ".{0,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn every_edge_is_justified_by_a_rule() {
    for t in transitions() {
        let rule = t.action.rule();
        assert!(
            rule.accepted_vm_states().any(|s| s == t.from),
            "{} does not accept {}",
            t.action,
            t.from
        );
        assert_eq!(
            t.via, rule.sets_task,
            "{} edge shows another task than its rule sets",
            t.action
        );
        let ends: Vec<VmState> = rule.ends_from(t.from).map(|e| e.to).collect();
        if ends.is_empty() {
            assert_eq!(
                t.from, t.to,
                "{} keeps the vm state, so its edge is a self-loop",
                t.action
            );
            assert!(
                rule.sets_task.is_some(),
                "{} changes nothing visible, so it is no edge",
                t.action
            );
        } else {
            assert!(
                ends.contains(&t.to),
                "{} from {} cannot end in {}",
                t.action,
                t.from,
                t.to
            );
        }
    }
}

#[test]
fn the_graph_reaches_what_a_dashboard_expects() {
    let o = PathOptions::default();
    let names = |from, to| {
        shortest_path(from, to, &o).map(|p| p.iter().map(|t| t.action.as_str()).collect::<Vec<_>>())
    };
    assert_eq!(names(VmState::Active, VmState::Stopped), Some(vec!["stop"]));
    assert_eq!(
        names(VmState::Paused, VmState::Stopped),
        Some(vec!["unpause", "stop"]),
        "the specific action first"
    );
    assert_eq!(
        names(VmState::Error, VmState::Active),
        Some(vec!["reboot_hard"]),
        "hard reboot, not rebuild, recovers an error"
    );
    assert_eq!(
        names(VmState::Rescued, VmState::Active),
        Some(vec!["unrescue"])
    );
    assert_eq!(
        names(VmState::Deleted, VmState::Active),
        None,
        "nothing leaves deleted"
    );
    let locked = PathOptions { locked: true, ..o };
    let snapshot_only = shortest_path(VmState::Active, VmState::Stopped, &locked);
    assert_eq!(
        snapshot_only, None,
        "a locked server cannot be stopped by a non-admin"
    );
    let admin = PathOptions {
        locked: true,
        context: Context {
            admin: true,
            ..o.context
        },
        ..o
    };
    assert!(shortest_path(VmState::Active, VmState::Stopped, &admin).is_some());
}
