//! OpenStack Nova's instance states and server-action rules, exact and as data.
//!
//! Nova accepts or refuses each server action (pause, stop, shelve, resize, …) from the
//! instance's vm state, task state and a few facts: was it launched, is it locked (and is the
//! caller an admin), does it have a host, which API microversion is in use. This crate holds
//! those rules in one table ([`rules::RULES`]), for Nova's releases 2023.1 (27.5.1) to 2026.2
//! (34.0.0, the default; see [`Release`]), each verified by executing it (`oracle/`,
//! `tests/oracle.rs`), and derives everything else from it: checks with the reason Nova would
//! give, the API status mapping, the transition graph, exports.
//!
//! ```
//! use nova_states::{check, Action, Context, Instance, VmState};
//!
//! let server = Instance::new(VmState::Stopped);
//! let verdict = check(Action::Pause, None, &server, &Context::default());
//! assert!(!verdict.allowed);
//! assert_eq!(
//!     verdict.denials[0].message,
//!     "Cannot 'pause' instance <uuid> while it is in vm_state stopped"
//! );
//! ```

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod check;
mod error;
pub mod export;
pub mod graph;
mod json;
mod microversion;
pub mod nova_policy;
pub mod policy;
mod prelude;
pub mod record;
mod release;
mod request;
pub mod rules;
mod states;
mod status;

pub use check::{
    allowed_actions, check, context_assumption_bits, context_assumptions, decide, handler_reached,
    is_allowed, policy_condition, undecided_denial, Assumption, Context, Decision, Denial,
    Instance, PolicyRefusal, PolicyWhy, Refused, Undecided, Verdict, Words, CONTEXT_ASSUMPTIONS,
};
/// Appends a decimal number without `core::fmt` (for the lean binding's texts).
#[doc(hidden)]
pub use error::{push_list, push_number};
pub use error::{Error, ErrorKind, Names, NAME_SEPARATOR};
pub use graph::{shortest_path, transitions, PathOptions, Transition};
pub use json::each_server_in_json;
pub use microversion::Microversion;
pub use nova_policy::{Caller, LockedBy};
pub use policy::{Check, Credentials, Enforcer, Outcome, RuleDefault, Target};
pub use record::{validate, Facts, Field, Fields, RawServer, Validation};
pub use release::{Release, Releases};
pub use request::{check_with_body, RequestBody};
pub use rules::{Action, DenialKind, Difference, Reason, Rule, DIFFERENCES, RULES};
pub use states::{task_str, PowerState, Status, TaskState, VmState};
pub use status::{states_for_status, status_of, StatusFilter, STATUS_MAP};

/// Checks an action named by method or REST name against a server record, listing the facts
/// the record lacked as assumptions.
pub fn check_record(
    action: &str,
    raw: &RawServer<'_>,
    context: &Context,
) -> Result<Verdict, Error> {
    let (action, via) = Action::lookup(action)?;
    let facts = Facts::read(raw)?;
    let mut verdict = check(action, via, &facts.instance, context);
    let mut assumptions = facts.assumptions();
    assumptions.append(&mut verdict.assumptions);
    verdict.assumptions = assumptions;
    Ok(verdict)
}
