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
                    ..Options::default()
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

fn no_rules() -> BTreeMap<String, Check> {
    BTreeMap::new()
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let nots = "not ".repeat(100_000) + "@";
    let err = parse(&nots).unwrap_err();
    assert!(err.message().starts_with("check string \"not not"), "{err}");
    assert!(err
        .message()
        .ends_with("expected at most 100 levels of not, and/or and parentheses"));
    let parens = "(".repeat(100_000) + "@" + &")".repeat(100_000);
    assert_eq!(parse(&parens).unwrap(), Check::True);
    let nested = "(@ and ".repeat(200) + "@" + &")".repeat(200);
    assert!(parse(&nested).is_err());
    let unbalanced = "(".repeat(100_000);
    assert_eq!(parse(&unbalanced).unwrap(), Check::False);
}

#[test]
fn huge_check_strings_parse_in_linear_time() {
    let wide = "role:a or role:b and role:c or ".repeat(40_000) + "role:z";
    assert!(wide.len() > 1_000_000);
    let check = parse(&wide).unwrap();
    let creds = Credentials::project(&["c", "b"], "p", "u");
    assert_eq!(
        evaluate(&check, &Target::new(), &creds, &no_rules()),
        Outcome::Allow
    );
}

#[test]
fn rule_cycles_terminate_as_the_raise_oslo_policy_ends_in() {
    let mut rules = no_rules();
    rules.insert("a".into(), parse("rule:b").unwrap());
    rules.insert("b".into(), parse("rule:a").unwrap());
    let outcome = evaluate(
        &parse("rule:a").unwrap(),
        &Target::new(),
        &Credentials::default(),
        &rules,
    );
    assert!(
        matches!(outcome, Outcome::Raises(ref b) if b.why == Why::Cycle),
        "{outcome:?}"
    );
    // a long chain without a cycle stops at the evaluation limit, undecided
    let mut chain = no_rules();
    for i in 0..5000 {
        chain.insert(format!("r{i}"), parse(&format!("rule:r{}", i + 1)).unwrap());
    }
    let outcome = evaluate(
        &parse("rule:r0").unwrap(),
        &Target::new(),
        &Credentials::default(),
        &chain,
    );
    assert!(
        matches!(outcome, Outcome::Undecided(ref b) if b.why == Why::TooDeep),
        "{outcome:?}"
    );
}

#[test]
fn thousands_of_override_rules_load() {
    let overrides: Vec<(String, OverrideValue)> = (0..5000)
        .map(|i| {
            (
                format!("rule{i}"),
                OverrideValue::Text(format!("role:r{i} or rule:rule{}", i + 1)),
            )
        })
        .collect();
    let enforcer = Enforcer::new(&[], &overrides, Options::default()).unwrap();
    assert!(enforcer.rule("rule4999").is_some());
}

#[test]
fn http_checks_are_never_guessed() {
    let check = parse("http://policy.example/%(project_id)s or role:admin").unwrap();
    let target = Target::server(Some("p"), Some("u"));
    let member = Credentials::project(&["member"], "p", "u");
    let outcome = evaluate(&check, &target, &member, &no_rules());
    assert_eq!(
        outcome,
        Outcome::Undecided(policy::Blocker {
            check: "http://policy.example/%(project_id)s".into(),
            why: Why::Remote
        })
    );
    let admin = Credentials::project(&["Admin"], "p", "u");
    assert_eq!(
        evaluate(&check, &target, &admin, &no_rules()),
        Outcome::Allow
    );
}

#[test]
fn who_may_reads_the_tree() {
    let mut rules = no_rules();
    rules.insert("context_is_admin".into(), parse("role:admin").unwrap());
    rules.insert(
        "project_member_api".into(),
        parse("role:member and project_id:%(project_id)s").unwrap(),
    );
    rules.insert(
        "project_member_or_admin".into(),
        parse("rule:project_member_api or rule:context_is_admin").unwrap(),
    );
    let text = policy::who_may(&parse("rule:project_member_or_admin").unwrap(), &rules);
    assert_eq!(
        text,
        "needs the member role in the server's project, or the admin role"
    );
    assert_eq!(policy::who_may(&parse("!").unwrap(), &rules), "nobody may");
    assert_eq!(policy::who_may(&parse("").unwrap(), &rules), "anyone may");
}

#[test]
fn bad_input_errors_name_the_value_and_what_was_expected() {
    assert_eq!(
        policy::check_rule_name("").unwrap_err().message(),
        "policy rule name \"\" is empty: expected a rule name such as \"os_compute_api:servers:start\""
    );
    assert_eq!(
        policy::not_a_check_string("os_compute_api:servers:start", "number").message(),
        "policy rule \"os_compute_api:servers:start\" is a number: expected a check string (or a list of check strings)"
    );
    assert_eq!(
        policy::not_a_policy("array").message(),
        "policy is an array: expected an object of rule name to check string"
    );
    assert_eq!(
        policy::bad_credentials_field("roles", "string", "an array of role names").message(),
        "credentials.roles is a string: expected an array of role names"
    );
    let creds = Credentials {
        system_scope: Some("project".into()),
        ..Credentials::default()
    };
    assert_eq!(
        creds.validate().unwrap_err().message(),
        "credentials.systemScope \"project\" is not a system scope: expected \"all\" or null"
    );
    let dup = RuleDefault {
        name: "a".into(),
        check_str: "@".into(),
        scope_types: vec![],
        deprecated: None,
    };
    assert_eq!(
        Enforcer::new(&[dup.clone(), dup], &[], Options::default())
            .unwrap_err()
            .message(),
        "policy rule \"a\" is registered twice: expected each default once"
    );
}

#[test]
fn is_admin_is_context_is_admin_for_the_token_itself() {
    let defaults = [RuleDefault {
        name: "context_is_admin".into(),
        check_str: "role:admin".into(),
        scope_types: vec![],
        deprecated: None,
    }];
    let enforcer = Enforcer::new(&defaults, &[], Options::default()).unwrap();
    assert!(enforcer
        .is_admin(&Credentials::project(&["ADMIN"], "p", "u"))
        .is_allowed());
    assert!(!enforcer
        .is_admin(&Credentials::project(&["member"], "p", "u"))
        .is_allowed());
    // is_admin is unset while context_is_admin is evaluated
    let over = [(
        "context_is_admin".to_owned(),
        OverrideValue::Text("is_admin:True".into()),
    )];
    let enforcer = Enforcer::new(&defaults, &over, Options::default()).unwrap();
    let mut creds = Credentials::project(&["admin"], "p", "u");
    creds.is_admin = Some(true);
    assert!(!enforcer.is_admin(&creds).is_allowed());
}
