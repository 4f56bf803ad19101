//! The transition graph of vm states, derived from the rules table, and paths through it.

use crate::prelude::*;

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

/// Whether a transition's condition holds at microversion `v`: an end that applies only
/// "microversion before 2.N" or from "microversion 2.N or later" (evacuate from active) is
/// dropped where it does not apply; conditions about anything else hold.
pub fn applies_at(t: &Transition, v: crate::microversion::Microversion) -> bool {
    use crate::microversion::Microversion;
    let when = t.when;
    if let Some(rest) = when.strip_prefix("microversion before ") {
        if let Ok(bound) = Microversion::parse(rest.split_whitespace().next().unwrap_or_default()) {
            return v < bound;
        }
    }
    if let Some(rest) = when.strip_prefix("microversion ") {
        if let Some(version) = rest.strip_suffix(" or later") {
            if let Ok(bound) = Microversion::parse(version) {
                return v >= bound;
            }
        }
    }
    true
}

/// The facts a path starts from, and those that hold along it: who acts with which
/// microversion (`context`, unchanged along the path), whether the server is locked (unchanged:
/// no path step locks or unlocks), and the start's task state, launch and host.
///
/// `launched` and `has_host` left `None` mean what [`Instance::new`] assumes for the start state
/// (launched unless building; a host unless shelved_offloaded), as a server record that does not
/// say is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PathOptions<'a> {
    /// The caller's context.
    pub context: Context<'a>,
    /// Whether the server is locked throughout.
    pub locked: bool,
    /// The task running on the server at the start (`None` = no task).
    pub task_state: Option<TaskState>,
    /// Whether the server was ever launched, at the start; `None` = as the start state implies.
    pub launched: Option<bool>,
    /// Whether the server has a compute host, at the start; `None` = as the start state implies.
    pub has_host: Option<bool>,
}

/// The instance a path (or a drawn graph) starts from: `state` with the facts of `options`.
pub fn start_instance(state: VmState, options: &PathOptions) -> Instance {
    let mut instance = Instance::new(state).with_task(options.task_state);
    instance.locked = options.locked;
    if let Some(launched) = options.launched {
        instance.launched = launched;
    }
    if let Some(has_host) = options.has_host {
        instance.has_host = has_host;
    }
    instance
}

/// The instance after `step` succeeded on `before`: settled in `step.to` with no task running,
/// launched, with the same lock, and with a host as the action leaves it (shelve_offload and a
/// shelve that offloads clear it, unshelve from shelved_offloaded places the server on one; every
/// other action keeps the host it had).
pub fn after_step(before: &Instance, step: &Transition) -> Instance {
    let mut after = before.clone();
    after.vm_state = step.to;
    after.task_state = None;
    after.power_state = None;
    after.launched = true;
    if step.to == VmState::ShelvedOffloaded {
        after.has_host = false;
    } else if step.from == VmState::ShelvedOffloaded {
        after.has_host = true;
    }
    after
}

/// Where the path finder keeps a settled instance: by vm state, host and launch (no task runs
/// and the lock does not change after the first step). The start has its own slot, since it may
/// have a task running.
const SETTLED: usize = 12 * 4;

fn slot(instance: &Instance) -> usize {
    instance.vm_state.index() * 4
        + usize::from(instance.has_host) * 2
        + usize::from(instance.launched)
}

/// The shortest sequence of actions taking a server from `from` to `to`, each step one that
/// [`is_allowed`] accepts under the facts at that step: the start's facts from `options`
/// ([`start_instance`]), then those each step leaves ([`after_step`]). An empty list when
/// `from == to`, `None` when no sequence gets there. Ties go to the action listed first in the
/// table. Recovery actions (`Rule::in_paths` false: evacuate) are not used.
pub fn shortest_path(from: VmState, to: VmState, options: &PathOptions) -> Option<Vec<Transition>> {
    if from == to {
        return Some(Vec::new());
    }
    let edges = transitions();
    let start = start_instance(from, options);
    // For each slot (and the start's, at SETTLED): the instance there, and how it was reached.
    let mut at: Vec<Option<Instance>> = vec![None; SETTLED + 1];
    let mut previous: Vec<Option<(usize, usize)>> = vec![None; SETTLED + 1];
    at[SETTLED] = Some(start);
    let mut queue = alloc::collections::VecDeque::from([SETTLED]);
    let mut reached = None;
    'search: while let Some(here) = queue.pop_front() {
        let instance = at[here].clone()?;
        for (i, edge) in edges.iter().enumerate() {
            if edge.from != instance.vm_state
                || !edge.action.rule().in_paths
                || !applies_at(edge, options.context.microversion)
                || !is_allowed(edge.action, &instance, &options.context)
            {
                continue;
            }
            let next = after_step(&instance, edge);
            let there = slot(&next);
            if at[there].is_some() {
                continue;
            }
            at[there] = Some(next);
            previous[there] = Some((here, i));
            if edge.to == to {
                reached = Some(there);
                break 'search;
            }
            queue.push_back(there);
        }
    }
    let mut path = Vec::new();
    let mut here = reached?;
    while here != SETTLED {
        let (before, edge) = previous[here]?;
        path.push(edges[edge]);
        here = before;
    }
    path.reverse();
    Some(path)
}

/// The instances a path passes through: the start ([`start_instance`]) and the one after each
/// step ([`after_step`]); the facts each step is checked under.
pub fn path_instances(from: VmState, path: &[Transition], options: &PathOptions) -> Vec<Instance> {
    let mut instances = vec![start_instance(from, options)];
    for step in path {
        let next = after_step(instances.last().expect("starts with one"), step);
        instances.push(next);
    }
    instances
}

/// The instance a graph edge is checked under: settled in `state` with the facts of `options`
/// (its task state, lock, launch and host), as the diagram and the exports draw it.
pub fn step_instance(state: VmState, options: &PathOptions) -> Instance {
    start_instance(state, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check;
    use crate::microversion::Microversion;

    /// Fact sets a path may start from: idle or busy, locked or not, admin or not, old or new
    /// microversion, never launched, no host.
    fn fact_sets() -> Vec<PathOptions<'static>> {
        let mut sets = Vec::new();
        for task in [
            None,
            Some(TaskState::Rebooting),
            Some(TaskState::ResizePrep),
            Some(TaskState::Deleting),
        ] {
            for (locked, admin) in [(false, false), (true, false), (true, true)] {
                for minor in [1, 20, 94, 104] {
                    for (launched, has_host) in
                        [(None, None), (Some(false), None), (None, Some(false))]
                    {
                        sets.push(PathOptions {
                            context: Context {
                                admin,
                                microversion: Microversion::v2(minor),
                                ..Context::default()
                            },
                            locked,
                            task_state: task,
                            launched,
                            has_host,
                        });
                    }
                }
            }
        }
        sets
    }

    #[test]
    fn every_step_of_every_path_is_allowed_by_check() {
        let mut found = 0;
        for options in fact_sets() {
            for &from in VmState::ALL {
                for &to in VmState::ALL {
                    let Some(path) = shortest_path(from, to, &options) else {
                        assert_ne!(from, to);
                        continue;
                    };
                    found += path.len();
                    let instances = path_instances(from, &path, &options);
                    let mut here = from;
                    for (step, instance) in path.iter().zip(&instances) {
                        assert_eq!(step.from, here);
                        assert_eq!(instance.vm_state, here);
                        let verdict = check(step.action, None, instance, &options.context);
                        assert!(
                            verdict.allowed,
                            "{from} -> {to} under {options:?}: {} from {instance:?} refused: {:?}",
                            step.action, verdict.denials
                        );
                        here = step.to;
                    }
                    assert_eq!(here, to);
                }
            }
        }
        assert!(found > 1000, "paths were found ({found} steps)");
    }

    fn names(from: VmState, to: VmState, options: &PathOptions) -> Option<Vec<&'static str>> {
        shortest_path(from, to, options).map(|p| p.iter().map(|t| t.action.as_str()).collect())
    }

    #[test]
    fn a_never_launched_server_is_not_soft_deleted_and_restored() {
        let options = PathOptions::default();
        assert_eq!(names(VmState::Building, VmState::Active, &options), None);
        let launched = PathOptions {
            launched: Some(true),
            ..options
        };
        assert_eq!(
            names(VmState::Building, VmState::Active, &launched),
            Some(vec!["soft_delete", "restore"]),
            "only a launched server can be soft-deleted"
        );
    }

    #[test]
    fn a_running_task_allows_only_what_nova_allows_during_it() {
        let idle = PathOptions::default();
        assert_eq!(
            names(VmState::Active, VmState::Stopped, &idle),
            Some(vec!["stop"])
        );
        let rebooting = PathOptions {
            task_state: Some(TaskState::Rebooting),
            ..idle
        };
        let path = names(VmState::Active, VmState::Stopped, &rebooting).expect("a way out");
        assert_ne!(path[0], "stop", "stop is refused while rebooting");
        assert_eq!(path, vec!["reboot_hard", "stop"]);
    }

    #[test]
    fn conditions_on_the_microversion_apply() {
        let at = |minor| PathOptions {
            context: Context {
                admin: false,
                microversion: Microversion::v2(minor),
                ..Context::default()
            },
            ..PathOptions::default()
        };
        let evacuate = |from, to| Transition {
            from,
            to,
            action: Action::Evacuate,
            via: None,
            when: "",
        };
        let edges = transitions();
        let to_stopped = edges
            .iter()
            .find(|t| {
                t.action == Action::Evacuate
                    && t.from == VmState::Active
                    && t.to == VmState::Stopped
            })
            .unwrap();
        assert!(!applies_at(to_stopped, at(94).context.microversion));
        assert!(applies_at(to_stopped, at(95).context.microversion));
        assert!(applies_at(
            &evacuate(VmState::Stopped, VmState::Stopped),
            at(1).context.microversion
        ));
    }

    #[test]
    fn shelve_offload_leaves_no_host_and_unshelve_places_one() {
        let options = PathOptions::default();
        let path = shortest_path(VmState::Shelved, VmState::Active, &options).unwrap();
        assert_eq!(path.len(), 1);
        let offload = transitions()
            .into_iter()
            .find(|t| t.action == Action::ShelveOffload)
            .unwrap();
        let before = start_instance(VmState::Shelved, &options);
        let after = after_step(&before, &offload);
        assert!(!after.has_host);
        assert_eq!(after.vm_state, VmState::ShelvedOffloaded);
    }
}
