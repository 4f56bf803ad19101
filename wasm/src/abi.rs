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
/// The request says whether it names a target host (evacuate, migrate, live migrate); without
/// this bit the check assumes it names none, as a dashboard's default request does.
pub const TARGET_GIVEN_BIT: u32 = 1 << 14;
/// The request names a target host.
pub const TARGET_HOST_BIT: u32 = 1 << 15;
/// unshelve: the request names an availability zone.
pub const UNSHELVE_DESTINATION_BIT: u32 = 1 << 16;
/// unshelve: the request names a host.
pub const UNSHELVE_HOST_BIT: u32 = 1 << 17;
/// rebuild: the request carries trusted image certificates.
pub const TRUSTED_CERTS_BIT: u32 = 1 << 18;
/// `PUT …/os-volume_attachments/{id}` updates the attachment rather than swapping the volume.
pub const VOLUME_UPDATE_BIT: u32 = 1 << 19;
/// Who locked the server (`LOCKED_BY_NAMES`, 0 unknown), 2 bits from this offset.
pub const LOCKED_BY_SHIFT: u32 = 20;

/// The names `options.lockedBy` takes, by code (0 is "not said").
#[allow(dead_code)] // build.rs writes them for JS
pub const LOCKED_BY_NAMES: [&str; 3] = ["", "owner", "admin"];

/// A server's project and user as codes the asker interned: 0 when the record lacks it, else
/// the string's index plus one; the project in the low 16 bits, the user in the high ones.
pub const OWNER_BITS: u32 = 16;
/// The most strings one asker interns before it starts over.
pub const MAX_INTERNED: u32 = (1 << OWNER_BITS) - 2;

/// A decision packed into one number: whether the action is refused or undecided (the words
/// then come from `denialsText`) …
pub const REFUSED_BIT: u32 = 1 << 30;
/// … the assumptions made, bit `i` for `record::ASSUMPTIONS` then `CONTEXT_ASSUMPTIONS`, from
/// this offset …
pub const ASSUMED_SHIFT: u32 = 10;
/// … the action checked (a REST name can reach another row at the microversion), from here …
pub const ACTION_SHIFT: u32 = 22;
/// … the index of the REST entry that applied within that action's row, from here.
pub const REST_SHIFT: u32 = 18;
/// Set when the record cannot be read (a wrong type, an unknown name): `explainRecord` says why.
pub const UNREADABLE: u32 = 1 << 31;

/// An action code: the row's index shifted by this, plus 1 + the REST entry's index when the
/// action was named by a REST name (0 when by method name).
pub const VIA_BITS: u32 = 4;

/// The arguments a JS function checks the type of, by code: what `wrongType` names.
#[allow(dead_code)] // build.rs writes them for JS
pub const ARGS: [&str; 28] = [
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
    "options.unshelveHost",
    "options.trustedCerts",
    "options.volumeUpdate",
    "options.lockedBy",
    "options.credentials",
    "options.credentials.roles",
    "options.credentials.projectId",
    "options.credentials.userId",
    "options.credentials.systemScope",
    "options.credentials.domainId",
    "options.policy",
    "options.enforceNewDefaults",
    "options.enforceScope",
];

/// `Asker::caller`'s `enforce` bits: `enforce_new_defaults` on …
pub const NEW_DEFAULTS_BIT: u32 = 1;
/// … and `enforce_scope` off (oslo.policy's scope check only logged).
pub const SCOPE_OFF_BIT: u32 = 2;

/// The field separator of the texts the module returns in one string (a denial's parts, a
/// validation's findings, an error's code and message).
pub const FIELD: char = '\u{1f}';
/// The item separator within one field (a denial's accepted values, a list of findings).
pub const ITEM: char = '\u{1e}';
/// The separator of the denials in `denialsText`.
pub const GROUP: char = '\u{1d}';
