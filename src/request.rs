//! Request-body facts that change Nova's answer, as options of a check.
//!
//! Two REST handlers refuse a request for what its body says about the server:
//! evacuate without a target host on a server that has no host either (HTTP 400, before any
//! state check: executed by the oracle), and unshelve naming an availability zone (2.77+) or a
//! host (2.91+) for a server that is not offloaded (HTTP 409, after the compute API's state
//! checks, in its body: read from `nova/compute/api.py` `_check_offloaded`, the same in every
//! supported release).

use crate::prelude::*;

use crate::check::{check, Context, Denial, Instance, Verdict};
use crate::rules::{Action, DenialKind, Entry, Reason};
use crate::states::VmState;

/// What the request body says, where it matters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequestBody {
    /// evacuate: the body names a target host (`"host"`). Without one, a server that has no
    /// host is refused: Nova compares the server's host with the requested one.
    pub target_host: bool,
    /// unshelve: the body names an availability zone (2.77+, even `null` to unpin) or a host
    /// (2.91+), which needs the server shelved and offloaded.
    pub unshelve_destination: bool,
}

/// Which refusals the request body adds for `action` on `instance`: the one Nova gives before
/// the compute API's checks (evacuate with no host anywhere, HTTP 400), and the one it gives
/// after them (unshelve to a zone or host of a server not offloaded, HTTP 409).
pub fn body_refusals(
    action: Action,
    instance: &Instance,
    context: &Context,
    body: &RequestBody,
) -> (bool, bool) {
    let early = action == Action::Evacuate && !body.target_host && !instance.has_host;
    let late = action == Action::Unshelve
        && body.unshelve_destination
        && instance.vm_state != VmState::ShelvedOffloaded
        && context.microversion >= crate::microversion::Microversion::v2(77);
    (early, late)
}

/// [`check`], with the refusals the request body adds, in Nova's order.
pub fn check_with_body(
    action: Action,
    via: Option<&'static Entry>,
    instance: &Instance,
    context: &Context,
    body: &RequestBody,
) -> Verdict {
    let mut verdict = check(action, via, instance, context);
    let id = instance.id.as_deref().unwrap_or(Instance::ID_PLACEHOLDER);
    // Refusals that come before the handler runs (a REST entry the request cannot reach, a
    // server Nova does not find) stay first.
    let before = verdict
        .denials
        .iter()
        .take_while(|d| d.kind == DenialKind::Microversion || matches!(d.reason, Reason::NotFound))
        .count();
    let (early, late) = body_refusals(action, instance, context, body);
    if early {
        verdict.denials.insert(
            before,
            Denial {
                kind: DenialKind::Host,
                actual: "None".into(),
                expected: vec!["a compute host, or a target host in the request".into()],
                reason: Reason::NoHost,
                text: "the server has no host and the request names no target host".into(),
                message: "The target host can't be the same one.".into(),
                http_status: 400,
            },
        );
    }
    if late {
        let state = instance.vm_state.as_str();
        verdict.denials.push(Denial {
            kind: DenialKind::VmState,
            actual: state.into(),
            expected: vec![VmState::ShelvedOffloaded.as_str().into()],
            reason: Reason::VmState,
            text: "an availability zone or host can be chosen only for an offloaded server".into(),
            message: [
                "Specifying an availability zone or a host when unshelving server \"",
                id,
                "\" with status \"",
                state,
                "\" is not supported. The server status must be SHELVED_OFFLOADED.",
            ]
            .concat(),
            http_status: 409,
        });
    }
    verdict.allowed = verdict.denials.is_empty();
    verdict
}
