//! The transition graph of vm states, derived from the rules table, and paths through it.

use serde::Serialize;

use crate::check::{is_allowed, Context, Instance};
use crate::rules::{Action, RULES};
use crate::states::{TaskState, VmState};

/// One way to move between vm states: `action` taken in `from` ends in `to`, showing task
/// state `via` while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// The start vm state.
    pub from: VmState,
    /// The vm state after success.
    pub to: VmState,
    /// The action.
    pub action: Action,
    /// The task state the API sets while the action runs, if any.
    pub via: Option<TaskState>,
    /// When this outcome applies, if not always (empty otherwise).
    pub when: &'static str,
}

/// Every transition: for each action and each vm state it accepts, each vm state it may end in.
/// Actions that keep the vm state but run a task (snapshot, live migration) are self-loops;
/// actions that neither change the vm state nor set a task (consoles, metadata) are not edges.
pub fn transitions() -> Vec<Transition> {
    let mut edges = Vec::new();
    for rule in &RULES {
        for from in rule.accepted_vm_states() {
            let mut ends = rule.ends_from(from).peekable();
            if ends.peek().is_none() {
                if rule.sets_task.is_some() {
                    edges.push(Transition {
                        from,
                        to: from,
                        action: rule.action,
                        via: rule.sets_task,
                        when: "",
                    });
                }
                continue;
            }
            for end in ends {
                edges.push(Transition {
                    from,
                    to: end.to,
                    action: rule.action,
                    via: rule.sets_task,
                    when: end.when,
                });
            }
        }
    }
    edges
}

/// Facts that hold along a path: who acts, with which microversion, on a server locked or not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PathOptions {
    /// The caller's context.
    pub context: Context,
    /// Whether the server is locked throughout.
    pub locked: bool,
}

/// The shortest sequence of actions taking a launched server with no task running from `from`
/// to `to`, each step allowed under `options`; an empty list when `from == to`, `None` when no
/// sequence gets there. Ties go to the action listed first in the table. Recovery actions
/// (`Rule::in_paths` false: evacuate) are not used.
pub fn shortest_path(from: VmState, to: VmState, options: &PathOptions) -> Option<Vec<Transition>> {
    let edges = transitions();
    let mut previous: [Option<usize>; 12] = [None; 12];
    let mut seen = [false; 12];
    seen[from.index()] = true;
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(state) = queue.pop_front() {
        if state == to {
            break;
        }
        let instance = step_instance(state, options);
        for (i, edge) in edges.iter().enumerate() {
            if edge.from == state
                && !seen[edge.to.index()]
                && edge.action.rule().in_paths
                && is_allowed(edge.action, &instance, &options.context)
            {
                seen[edge.to.index()] = true;
                previous[edge.to.index()] = Some(i);
                queue.push_back(edge.to);
            }
        }
    }
    if !seen[to.index()] {
        return None;
    }
    let mut path = Vec::new();
    let mut at = to;
    while at != from {
        let edge = edges[previous[at.index()]?];
        path.push(edge);
        at = edge.from;
    }
    path.reverse();
    Some(path)
}

/// The instance a path step starts from: settled in `state`, as Nova leaves it after an action.
pub fn step_instance(state: VmState, options: &PathOptions) -> Instance {
    let mut instance = Instance::new(state);
    instance.launched = true;
    instance.locked = options.locked;
    instance
}
