//! Request-body facts that change Nova's answer, as part of a check's [`Context`].
//!
//! Two REST handlers refuse a request for what its body says about the server: evacuate
//! without a target host on a server that has no host either (HTTP 400, after the policy
//! check and before any state check: executed by the oracle), and unshelve naming an
//! availability zone (2.77+) or a host (2.91+) for a server that is not offloaded (HTTP 409,
//! after the compute API's state checks, in its body: `nova/compute/api.py`
//! `_check_offloaded`, the same in every supported release). Others choose which policy rule
//! is checked: a host named for migrate and live migrate, a host for unshelve, trusted
//! certificates for rebuild, an attachment update rather than a swap.

use crate::check::{check, Context, Instance, Verdict};
use crate::rules::{Action, Entry};

/// What the request body says, where it matters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequestBody {
    /// evacuate, migrate, live migrate: the body names a target host (`"host"`). `None` (not
    /// said) is taken as no host, a dashboard's default request, and listed as an assumption.
    /// evacuate without one of a server that has no host is refused (HTTP 400); migrate and
    /// live migrate naming one check their `:host` rule instead (2023.2+, 2025.2+).
    pub target_host: Option<bool>,
    /// unshelve: the body names an availability zone (2.77+, even `null` to unpin), which
    /// needs the server shelved and offloaded.
    pub unshelve_destination: bool,
    /// unshelve: the body names a host (2.91+): needs the server offloaded, and Nova then
    /// checks `unshelve_to_host`.
    pub unshelve_host: bool,
    /// rebuild: the body has `trusted_image_certificates` (2.63+): Nova also checks
    /// `rebuild:trusted_certs`.
    pub trusted_certs: bool,
    /// `PUT …/os-volume_attachments/{id}` updating the attachment (2.85+, same volume) rather
    /// than swapping it: Nova checks `update` instead of `swap`.
    pub volume_update: bool,
}

/// [`check`] with `body` as the context's request body: kept for callers of the earlier API.
pub fn check_with_body(
    action: Action,
    via: Option<&'static Entry>,
    instance: &Instance,
    context: &Context,
    body: &RequestBody,
) -> Verdict {
    let context = Context {
        body: *body,
        ..*context
    };
    check(action, via, instance, &context)
}
