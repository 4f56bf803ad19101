//! The policy evaluator against oslo.policy executed (`oracle/oslo_policy_cases.py`), case by
//! case, and its answers to bad input.

use std::collections::BTreeMap;

use nova_states::policy::{
    self, evaluate, parse, push_check_string, Check, Credentials, DenyReason, Enforcer, ListItem,
    Options, Outcome, OverrideValue, RuleDefault, Target, Why,
};
use serde_json::Value;

fn cases() -> Value {
    let text = include_str!("oracle/oslo-policy-cases.json");
    serde_json::from_str(text).expect("the oracle's JSON parses")
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn creds(v: &Value) -> Credentials {
    Credentials {
        roles: v["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect(),
        project_id: text(&v["project_id"]),
        user_id: text(&v["user_id"]),
        system_scope: text(&v["system_scope"]),
        domain_id: text(&v["domain_id"]),
        user_domain_id: text(&v["user_domain_id"]),
        project_domain_id: text(&v["project_domain_id"]),
        is_admin_project: true,
        is_admin: v["is_admin"].as_bool(),
    }
}

fn target(v: &Value) -> Target {
    let mut t = Target::new();
    for (k, v) in v.as_object().unwrap() {
        t.set(k, v.as_str());
    }
    t
}

fn code(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Allow => "T",
        Outcome::Deny(DenyReason::Check) => "F",
        Outcome::Deny(DenyReason::Scope(_)) => "S",
        Outcome::Undecided(_) => "U",
        Outcome::Raises(_) => "E",
    }
}

fn rendered(check: &Check) -> String {
    let mut out = String::new();
    push_check_string(&mut out, check);
    out
}

#[test]
fn parses_every_check_string_as_oslo_policy() {
    let cases = cases();
    let strings = cases["strings"].as_array().unwrap();
    let expected = cases["parse"].as_array().unwrap();
    let mut failures = Vec::new();
    for (s, want) in strings.iter().zip(expected) {
        let s = s.as_str().unwrap();
        let got = rendered(&parse(s).unwrap());
        if got != want.as_str().unwrap() {
            failures.push(format!("parse {s:?}: oslo.policy {want}, here {got:?}"));
        }
    }
    assert!(strings.len() > 1000, "{} parse cases", strings.len());
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        strings.len(),
        failures.join("\n")
    );
}

#[test]
fn evaluates_every_case_as_oslo_policy() {
    let cases = cases();
    let strings = cases["strings"].as_array().unwrap();
    let rule_sets: Vec<BTreeMap<String, Check>> = cases["rule_sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|set| {
            set.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), parse(v.as_str().unwrap()).unwrap()))
                .collect()
        })
        .collect();
    let targets: Vec<Target> = cases["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(target)
        .collect();
    let creds: Vec<Credentials> = cases["creds"]
        .as_array()
        .unwrap()
        .iter()
        .map(creds)
        .collect();
    let mut failures = Vec::new();
    let all = cases["eval"].as_array().unwrap();
    for case in all {
        let [s, r, t, c, want] = case.as_array().unwrap().as_slice() else {
            panic!("{case}")
        };
        let s = strings[s.as_u64().unwrap() as usize].as_str().unwrap();
        let (r, t, c) = (
            r.as_u64().unwrap() as usize,
            t.as_u64().unwrap() as usize,
            c.as_u64().unwrap() as usize,
        );
        let outcome = evaluate(&parse(s).unwrap(), &targets[t], &creds[c], &rule_sets[r]);
        if code(&outcome) != want.as_str().unwrap() {
            failures.push(format!(
                "{s:?} with rule set {r}, target {t}, credentials {c}: oslo.policy {want}, here {outcome:?}"
            ));
        }
    }
    assert!(all.len() > 3000, "{} eval cases", all.len());
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

fn override_value(v: &Value) -> OverrideValue {
    match v {
        Value::Null => OverrideValue::Null,
        Value::String(s) => OverrideValue::Text(s.clone()),
        Value::Array(items) => OverrideValue::List(
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => ListItem::Text(s.clone()),
                    Value::Array(v) => {
                        ListItem::All(v.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
                    }
                    other => panic!("{other}"),
                })
                .collect(),
        ),
        other => panic!("{other}"),
    }
}

#[test]
fn enforces_every_case_as_oslo_policy() {
    let cases = cases();
    let defaults: Vec<RuleDefault> = cases["defaults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| RuleDefault {
            name: d[0].as_str().unwrap().to_owned(),
            check_str: d[1].as_str().unwrap().to_owned(),
            scope_types: d[2]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect(),
            deprecated: d[3].as_array().map(|p| {
                (
                    p[0].as_str().unwrap().to_owned(),
                    p[1].as_str().unwrap().to_owned(),
                )
            }),
        })
        .collect();
    let overrides: Vec<Vec<(String, OverrideValue)>> = cases["overrides"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            o.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), override_value(v)))
                .collect()
        })
        .collect();
    let targets: Vec<Target> = cases["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(target)
        .collect();
    let creds: Vec<Credentials> = cases["creds"]
        .as_array()
        .unwrap()
        .iter()
        .map(creds)
        .collect();
    let mut enforcers = BTreeMap::new();
    let mut failures = Vec::new();
    let all = cases["enforce"].as_array().unwrap();
    for case in all {
        let [o, nd, c, t, name, want] = case.as_array().unwrap().as_slice() else {
            panic!("{case}")
        };
        let (o, nd) = (o.as_u64().unwrap() as usize, nd.as_u64().unwrap() == 1);
        let enforcer = enforcers.entry((o, nd)).or_insert_with(|| {
            Enforcer::new(
                &defaults,
                &overrides[o],
                Options {
                    enforce_new_defaults: nd,
                },
            )
            .unwrap()
        });
        let (c, t, name) = (
            c.as_u64().unwrap() as usize,
            t.as_u64().unwrap() as usize,
            name.as_str().unwrap(),
        );
        let outcome = enforcer.authorize(name, &targets[t], &creds[c]);
        if code(&outcome) != want.as_str().unwrap() {
            failures.push(format!(
                "authorize {name:?} with overrides {} (enforce_new_defaults {nd}), target {t}, credentials {c}: oslo.policy {want}, here {outcome:?}",
                cases["overrides"][o]
            ));
        }
    }
    assert!(all.len() > 5000, "{} enforce cases", all.len());
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
