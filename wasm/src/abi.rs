// The numbers the JS half of the binding and the wasm exports exchange. This file is the one
// definition: `lib.rs` decodes with it, and `build.rs` (which `include!`s it) writes the same
// tables into `codes.js` for the JS side, so the two cannot drift.

/// How a server record's field was found, for fields whose value is a name: absent, `null`,
/// or the name at `code - NAME_BASE` of its table (`VmState::ALL`, `TaskState::ALL`, …).
#[allow(dead_code)] // only the JS side sends it; Rust reads any other code as absent too
pub const MISSING: u32 = 0;
/// The field is `null`.
pub const NULL: u32 = 1;
/// The first name code: a name's index in its table plus this.
pub const NAME_BASE: u32 = 2;

/// What a boolean or text field of a record holds, as far as the rules care.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The key is absent.
    Missing,
    /// `null`.
    Null,
    /// `false`.
    False,
    /// `true`.
    True,
    /// `""`.
    Empty,
    /// Any other text.
    Text,
}

impl Shape {
    /// The name the JS side knows it by (build.rs writes it into codes.js).
    #[allow(dead_code)]
    pub const fn name(self) -> &'static str {
        match self {
            Shape::Missing => "missing",
            Shape::Null => "null",
            Shape::False => "false",
            Shape::True => "true",
            Shape::Empty => "empty",
            Shape::Text => "text",
        }
    }
}

/// The shapes of a boolean-like field (`locked`, `launched`), by code.
pub const BOOL_SHAPES: [Shape; 4] = [Shape::Missing, Shape::Null, Shape::False, Shape::True];
/// The shapes of a text field (`OS-SRV-USG:launched_at`), by code.
pub const TEXT_SHAPES: [Shape; 4] = [Shape::Missing, Shape::Null, Shape::Empty, Shape::Text];
/// The shapes of the host field, which the plain form also allows as a boolean, by code.
pub const HOST_SHAPES: [Shape; 6] = [
    Shape::Missing,
    Shape::Null,
    Shape::Empty,
    Shape::Text,
    Shape::False,
    Shape::True,
];

/// The facts packed into one number: each field's shape at its bit offset.
pub const LOCKED_SHIFT: u32 = 0;
/// `OS-SRV-USG:launched_at`'s shape.
pub const LAUNCHED_AT_SHIFT: u32 = 2;
/// `launched`'s shape (plain form).
pub const LAUNCHED_SHIFT: u32 = 4;
/// The host's shape.
pub const HOST_SHIFT: u32 = 6;
/// Set when the caller is an admin.
pub const ADMIN_BIT: u32 = 1 << 9;
/// The release whose rules apply, as its index in `Release::ALL` (4 bits), from this offset.
pub const RELEASE_SHIFT: u32 = 10;
/// Set when the options carry request-body facts (the two bits below).
pub const BODY_BIT: u32 = 1 << 14;
/// The evacuate request names a target host.
pub const TARGET_HOST_BIT: u32 = 1 << 15;
/// The unshelve request names an availability zone or a host.
pub const UNSHELVE_DESTINATION_BIT: u32 = 1 << 16;

/// A decision packed into one number: the refusals as bits in Nova's order (the REST entry
/// missing at the microversion, the server not found, then guard `i` at bit `i + 3`) …
pub const REFUSED_MICROVERSION: u32 = 1 << 0;
/// … the server is deleted, so Nova does not find it …
pub const REFUSED_NOT_FOUND: u32 = 1 << 1;
/// … the REST entry missing, reported after not found (a route the release dropped looks the
/// server up first) …
pub const REFUSED_MICROVERSION_LATE: u32 = 1 << 2;
/// … guard `i` of the rule refused, at bit `GUARD_SHIFT + i`.
pub const GUARD_SHIFT: u32 = 3;
/// The refusal bits.
#[allow(dead_code)] // read by the JS side
pub const REFUSED_MASK: u32 = ((1 << 12) - 1) | REFUSED_BODY_EARLY | REFUSED_BODY_LATE;
/// The assumptions made, bit `i` for `record::ASSUMPTIONS[i]`, from this offset.
pub const ASSUMED_SHIFT: u32 = 12;
/// The request body's refusal that Nova gives before the compute API's checks (evacuate with
/// no host anywhere) …
pub const REFUSED_BODY_EARLY: u32 = 1 << 17;
/// … and the one it gives after them (unshelve to a destination of a server not offloaded).
pub const REFUSED_BODY_LATE: u32 = 1 << 18;
/// Every refusal bit, in the order Nova reports them.
#[allow(dead_code)] // read by build.rs
pub const REFUSAL_ORDER: [u32; 14] = [
    REFUSED_MICROVERSION,
    REFUSED_NOT_FOUND,
    REFUSED_MICROVERSION_LATE,
    REFUSED_BODY_EARLY,
    1 << GUARD_SHIFT,
    1 << (GUARD_SHIFT + 1),
    1 << (GUARD_SHIFT + 2),
    1 << (GUARD_SHIFT + 3),
    1 << (GUARD_SHIFT + 4),
    1 << (GUARD_SHIFT + 5),
    1 << (GUARD_SHIFT + 6),
    1 << (GUARD_SHIFT + 7),
    1 << (GUARD_SHIFT + 8),
    REFUSED_BODY_LATE,
];
/// The action checked (a REST name can reach another row at the microversion), from here.
pub const ACTION_SHIFT: u32 = 20;
/// The index of the REST entry that applied within that action's row, from here.
pub const REST_SHIFT: u32 = 27;
/// Set when the record cannot be read (a wrong type, an unknown name): ask the general path.
pub const UNREADABLE: u32 = 1 << 31;

/// An action code: the row's index shifted by this, plus 1 + the REST entry's index when the
/// action was named by a REST name (0 when by method name).
pub const VIA_BITS: u32 = 4;

/// The arguments a JS function checks the type of, by code: what `wrongType` names.
#[allow(dead_code)] // build.rs writes them for JS
pub const ARGS: [&str; 15] = [
    "action",
    "server",
    "options",
    "options.admin",
    "options.microversion",
    "options.release",
    "options.maxMicroversion",
    "options.targetHost",
    "options.unshelveDestination",
    "servers",
    "vm state",
    "task state",
    "status",
    "power state",
    "text",
];

/// The field separator of the texts the module returns in one string (a denial's parts, a
/// validation's findings, an error's code and message).
pub const FIELD: char = '\u{1f}';
/// The item separator within one field (a denial's accepted values, a list of findings).
pub const ITEM: char = '\u{1e}';
