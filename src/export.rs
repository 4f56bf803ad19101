//! The whole rule set as data (serde), and the transition graph as Graphviz DOT and Mermaid.

use crate::prelude::*;

use serde::Serialize;

use crate::check::is_allowed;
use crate::graph::{applies_at, step_instance, transitions, PathOptions, Transition};
use crate::microversion::Microversion;
use crate::rules::{End, Guard, Rest, Rule, RULES};
use crate::states::{PowerState, Status, TaskState, VmState};
use crate::status::STATUS_MAP;

/// A Nova release whose rules the model holds, as data.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseInfo {
    /// The series (`2024.1`).
    pub name: &'static str,
    /// The Nova version executed to verify it (`29.4.0`).
    pub nova_version: &'static str,
    /// Its newest microversion.
    pub max_microversion: Microversion,
}

/// One REST entry of an action, as data.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestInfo {
    /// Action key or method and path.
    pub name: &'static str,
    /// First microversion that has it.
    pub min_microversion: Microversion,
    /// Last microversion that has it, if removed.
    pub max_microversion: Option<Microversion>,
    /// The action name its refusal texts use, if they name one.
    pub conflict_name: Option<&'static str>,
    /// The releases that have it, oldest first.
    pub releases: Vec<crate::release::Release>,
    /// The handler in Nova.
    pub source: &'static str,
}

/// Where an action ends, as data.
#[derive(Clone, Debug, Serialize)]
pub struct EndInfo {
    /// Start state it applies to; `null` for every accepted one.
    pub from: Option<VmState>,
    /// vm state after success.
    pub to: VmState,
    /// Condition, if any.
    pub when: &'static str,
}

/// vm states an action accepts only from a microversion on.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VmStatesSince {
    /// The vm states.
    pub vm_states: &'static [VmState],
    /// The first microversion that accepts them.
    pub microversion: Microversion,
}

/// One action's rules, as data: what `actions()` returns to JS.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionInfo {
    /// Compute API method name.
    pub name: &'static str,
    /// REST entries.
    pub rest: Vec<RestInfo>,
    /// The oldest microversion that reaches it.
    pub min_microversion: Microversion,
    /// The checks in Nova's order: `locked`, `host`, `vm_state`, `task_state`, `launched_at`.
    pub checks: Vec<&'static str>,
    /// Accepted vm states.
    pub vm_states: Vec<VmState>,
    /// vm states that are accepted only from a microversion on (a REST handler's own check).
    pub vm_states_since: Vec<VmStatesSince>,
    /// Accepted task states (`null` = no task); `null` when every task state is accepted.
    pub task_states: Option<Vec<Option<TaskState>>>,
    /// Refused when locked, unless admin.
    pub checks_lock: bool,
    /// Needs a compute host.
    pub needs_host: bool,
    /// vm states in which the host check does not apply.
    pub host_not_needed_in: Vec<VmState>,
    /// Needs `launched_at`.
    pub needs_launched: bool,
    /// Task state set when it starts.
    pub sets_task: Option<TaskState>,
    /// Task states the compute service moves through afterwards, in order.
    pub later_tasks: Vec<TaskState>,
    /// vm state after success; empty when unchanged.
    pub ends: Vec<EndInfo>,
    /// A one-line summary of the rule.
    pub summary: String,
    /// What a record cannot show, and other notes.
    pub notes: &'static str,
    /// Where Nova defines it.
    pub source: &'static str,
}

impl From<&Rule> for ActionInfo {
    fn from(rule: &Rule) -> ActionInfo {
        let tasks: Vec<Option<TaskState>> = rule.accepted_task_states().collect();
        let every_task = tasks.len() == TaskState::ALL.len() + 1;
        ActionInfo {
            name: rule.action.as_str(),
            rest: rule.rest.iter().map(rest_info).collect(),
            min_microversion: rule.min_microversion(),
            checks: rule.guards.iter().map(guard_name).collect(),
            vm_states: rule.accepted_vm_states().collect(),
            vm_states_since: rule
                .guards
                .iter()
                .filter_map(|g| match *g {
                    Guard::VmStateSince(vm_states, microversion) => Some(VmStatesSince {
                        vm_states,
                        microversion,
                    }),
                    _ => None,
                })
                .collect(),
            task_states: if every_task { None } else { Some(tasks) },
            checks_lock: rule.has_guard(|g| matches!(g, Guard::Lock)),
            needs_host: rule.has_guard(|g| matches!(g, Guard::Host { .. })),
            host_not_needed_in: rule
                .guards
                .iter()
                .flat_map(|g| match *g {
                    Guard::Host { except, .. } => except,
                    _ => &[],
                })
                .copied()
                .collect(),
            needs_launched: rule.has_guard(|g| matches!(g, Guard::Launched)),
            sets_task: rule.sets_task,
            later_tasks: rule.later_tasks.iter().map(|later| later.task).collect(),
            ends: rule
                .ends
                .iter()
                .map(|e: &End| EndInfo {
                    from: e.from,
                    to: e.to,
                    when: e.when,
                })
                .collect(),
            summary: summary(rule),
            notes: rule.notes,
            source: rule.source,
        }
    }
}

fn rest_info(rest: &Rest) -> RestInfo {
    RestInfo {
        name: rest.name(),
        min_microversion: rest.min,
        max_microversion: rest.max,
        conflict_name: rest.refusal.name(),
        releases: crate::release::Release::ALL
            .iter()
            .copied()
            .filter(|&r| rest.releases.contains(r))
            .collect(),
        source: rest.source,
    }
}

fn guard_name(guard: &Guard) -> &'static str {
    match guard {
        Guard::Lock => "locked",
        Guard::Host { .. } => "host",
        Guard::VmStateIn(_) | Guard::VmStateNotIn(_) | Guard::VmStateSince(..) => "vm_state",
        Guard::TaskStateIn(_) | Guard::TaskStateNotIn(_) => "task_state",
        Guard::Launched => "launched_at",
    }
}

/// A one-line English summary of a rule, e.g.
/// `vm state active or paused; no task; launched; not locked (unless admin)`.
pub fn summary(rule: &Rule) -> String {
    let mut parts: Vec<String> = Vec::new();
    let vms: Vec<&str> = rule.accepted_vm_states().map(|s| s.as_str()).collect();
    if vms.len() < VmState::ALL.len() {
        parts.push(String::from("vm state ") + &vms.join(" or "));
    } else {
        parts.push("any vm state".into());
    }
    let tasks: Vec<Option<TaskState>> = rule.accepted_task_states().collect();
    if tasks == [None] {
        parts.push("no task".into());
    } else if tasks.len() <= TaskState::ALL.len() / 2 {
        let names: Vec<&str> = tasks.iter().map(|t| crate::states::task_str(*t)).collect();
        parts.push(String::from("task ") + &names.join(" or "));
    } else if tasks.len() <= TaskState::ALL.len() {
        let refused: Vec<&str> = TaskState::ALL
            .iter()
            .filter(|t| !tasks.contains(&Some(**t)))
            .map(|t| t.as_str())
            .collect();
        parts.push(String::from("any task but ") + &refused.join(" or "));
    }
    for guard in rule.guards {
        if let Guard::VmStateSince(states, since) = guard {
            let names: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
            parts.push(names.join(" or ") + " from " + &since.to_wire());
        }
    }
    if rule.has_guard(|g| matches!(g, Guard::Launched)) {
        parts.push("launched".into());
    }
    for guard in rule.guards {
        if let Guard::Host { except, .. } = guard {
            let mut part = String::from("has a host");
            if !except.is_empty() {
                let names: Vec<&str> = except.iter().map(|s| s.as_str()).collect();
                part.push_str(" (unless ");
                part.push_str(&names.join(" or "));
                part.push(')');
            }
            parts.push(part);
        }
    }
    if rule.has_guard(|g| matches!(g, Guard::Lock)) {
        parts.push("not locked (unless admin)".into());
    }
    parts.join("; ")
}

/// One row of Nova's status map, as data.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusRow {
    /// The vm state.
    pub vm_state: VmState,
    /// Its status with no overriding task.
    pub default: Status,
    /// Task states that show another status.
    pub overrides: Vec<(TaskState, Status)>,
}

/// Everything this crate knows, as one serialisable value.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    /// The releases whose rules it holds, oldest first; the newest is the default.
    pub releases: Vec<ReleaseInfo>,
    /// The newest microversion.
    pub max_microversion: Microversion,
    /// The 12 vm states.
    pub vm_states: &'static [VmState],
    /// Every task state.
    pub task_states: &'static [TaskState],
    /// Power states with codes.
    pub power_states: &'static [PowerState],
    /// Every API status.
    pub statuses: &'static [Status],
    /// Nova's status map.
    pub status_map: Vec<StatusRow>,
    /// Every action's rules.
    pub actions: Vec<ActionInfo>,
    /// The transition graph.
    pub transitions: Vec<Transition>,
}

/// Builds the whole model.
pub fn model() -> Model {
    Model {
        releases: crate::release::Release::ALL
            .iter()
            .map(|r| ReleaseInfo {
                name: r.as_str(),
                nova_version: r.nova_version(),
                max_microversion: r.max_microversion(),
            })
            .collect(),
        max_microversion: Microversion::LATEST,
        vm_states: VmState::ALL,
        task_states: TaskState::ALL,
        power_states: PowerState::ALL,
        statuses: Status::ALL,
        status_map: STATUS_MAP
            .iter()
            .map(|(vm, default, overrides)| StatusRow {
                vm_state: *vm,
                default: *default,
                overrides: overrides.to_vec(),
            })
            .collect(),
        actions: RULES.iter().map(ActionInfo::from).collect(),
        transitions: transitions(),
    }
}

/// The whole model as pretty-printed JSON (feature `json`).
#[cfg(feature = "json")]
pub fn to_json() -> String {
    serde_json::to_string_pretty(&model()).expect("the model serialises")
}

/// The transitions allowed under `options` — each checked on the server settled in its start
/// state with the facts of `options` (task state, launched, locked, host, admin, microversion;
/// [`step_instance`]), the same checks `check` runs — grouped by (from, to) with their action
/// names, in table order; an end whose condition is about the microversion is kept only where
/// it applies ([`applies_at`]).
pub fn grouped_edges(options: &PathOptions) -> Vec<(VmState, VmState, Vec<&'static str>)> {
    let mut groups: Vec<(VmState, VmState, Vec<&'static str>)> = Vec::new();
    for t in transitions() {
        if !applies_at(&t, options.context.microversion)
            || !is_allowed(t.action, &step_instance(t.from, options), &options.context)
        {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(f, to, _)| *f == t.from && *to == t.to)
        {
            Some((_, _, names)) if !names.contains(&t.action.as_str()) => {
                names.push(t.action.as_str())
            }
            Some(_) => {}
            None => groups.push((t.from, t.to, vec![t.action.as_str()])),
        }
    }
    groups
}

/// The graph in Graphviz DOT: one node per vm state, one edge per (from, to) labelled with
/// its actions.
pub fn to_dot(options: &PathOptions) -> String {
    let mut out = String::from(
        "digraph nova_vm_states {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n",
    );
    for state in VmState::ALL {
        out.push_str("  \"");
        out.push_str(state.as_str());
        out.push_str("\";\n");
    }
    for (from, to, names) in grouped_edges(options) {
        for piece in [
            "  \"",
            from.as_str(),
            "\" -> \"",
            to.as_str(),
            "\" [label=\"",
            &names.join("\\n"),
            "\"];\n",
        ] {
            out.push_str(piece);
        }
    }
    out.push_str("}\n");
    out
}

/// The graph as a Mermaid flowchart; node ids are the wire names with `-` made `_`.
pub fn to_mermaid(options: &PathOptions) -> String {
    let id = |s: VmState| s.as_str().replace('-', "_");
    let mut out = String::from("flowchart LR\n");
    for &state in VmState::ALL {
        for piece in ["  ", &id(state), "[\"", state.as_str(), "\"]\n"] {
            out.push_str(piece);
        }
    }
    for (from, to, names) in grouped_edges(options) {
        for piece in [
            "  ",
            &id(from),
            " -->|\"",
            &names.join("<br/>"),
            "\"| ",
            &id(to),
            "\n",
        ] {
            out.push_str(piece);
        }
    }
    out
}
