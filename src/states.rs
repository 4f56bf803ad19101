//! Nova's state vocabularies: vm states, task states, power states and API statuses, each with
//! its exact wire string.

use crate::prelude::*;

use crate::error::{parse_index, pool, pool_names, put, Error, ErrorKind, Names};

/// Declares a closed set of Nova names from one table of rows: the enum, its `ALL` list, the
/// wire strings both ways, and the usual string traits.
macro_rules! wire_names {
    (
        $(#[$meta:meta])*
        $name:ident, what = $what:literal, source = $source:literal, $(pool = $pool:expr,)?
        { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every value, in Nova's own order. (A static behind the constant: one copy
            /// however many crates use it.)
            pub const ALL: &'static [$name] = {
                static ALL: [$name; [$($name::$variant),*].len()] = [$($name::$variant),*];
                &ALL
            };

            /// Where Nova defines these names.
            pub const SOURCE: &'static str = $source;

            /// What one of these is called in messages.
            pub const WHAT: &'static str = $what;

            /// The wire strings as written, for tables built at compile time.
            pub(crate) const WIRE: [&'static str; [$($wire),*].len()] = [$($wire),*];

            /// Every wire string, in the order of [`Self::ALL`]. (A static behind the
            /// constant, pointing into [`Self::POOL`]: one copy of the text.)
            pub const NAMES: &'static [&'static str] = {
                static NAMES: [&str; $name::WIRE.len()] = $crate::error::pool_names($name::POOL);
                &NAMES
            };

            /// The wire strings as one pool, in the order of [`Self::ALL`]: what the parsers,
            /// their errors and [`Self::as_str`] read.
            pub const POOL: $crate::error::Names = $crate::states::pool_of!(
                $($pool)? ; $($wire),*
            );

            /// The indices of [`Self::NAMES`], sorted by name (bytewise), as Nova sorts
            /// names in its answers.
            pub const BY_NAME: &'static [u8] =
                &$crate::status::sorted_by_name::<{ $name::ALL.len() }>(&$name::WIRE);

            /// Nova's exact wire string.
            pub fn as_str(self) -> &'static str {
                Self::POOL.get(self as usize)
            }

            /// Parses Nova's exact wire string; anything else is an error that quotes the
            /// input, lists the expected names and suggests the nearest one.
            pub fn parse(input: &str) -> Result<Self, Error> {
                Self::parse_index(input).map(|i| Self::ALL[i])
            }

            /// [`Self::parse`], into the value's position in [`Self::ALL`].
            pub fn parse_index(input: &str) -> Result<usize, Error> {
                $crate::error::parse_index($what, input, Self::POOL)
            }

            /// Position in [`Self::ALL`]; handy for tables indexed by value.
            pub const fn index(self) -> usize {
                self as usize
            }
        }

        impl core::str::FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(s: &str) -> Result<Self, Error> {
                Self::parse(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use wire_names;

/// The pool [`wire_names!`] was given, else the pool of its wire strings.
macro_rules! pool_of {
    ($pool:expr ; $($wire:literal),*) => {
        $pool
    };
    (; $($wire:literal),*) => {
        $crate::error::pool!(&[$($wire),*])
    };
}

pub(crate) use pool_of;

wire_names! {
    /// An instance's stable state: what the user should expect of it when no task runs.
    VmState, what = "vm state", source = "nova/compute/vm_states.py, nova/objects/fields.py InstanceState",
    {
        /// Running (or meant to be running).
        Active = "active",
        /// Being created; not yet launched.
        Building = "building",
        /// Paused in memory by the hypervisor.
        Paused = "paused",
        /// Suspended to disk.
        Suspended = "suspended",
        /// Powered off, resources kept on its host.
        Stopped = "stopped",
        /// Booted from a rescue image.
        Rescued = "rescued",
        /// Resized or migrated, waiting for confirm or revert.
        Resized = "resized",
        /// Deleted but restorable until reclaimed.
        SoftDeleted = "soft-delete",
        /// Deleted.
        Deleted = "deleted",
        /// An operation failed; only some recovery actions work.
        Error = "error",
        /// Shelved, still on its host.
        Shelved = "shelved",
        /// Shelved and removed from its host.
        ShelvedOffloaded = "shelved_offloaded",
    }
}

wire_names! {
    /// What is happening to an instance right now; `None` (no task) is `Option::None`.
    TaskState, what = "task state", source = "nova/compute/task_states.py, nova/objects/fields.py InstanceTaskState",
    {
        /// The scheduler is choosing a host.
        Scheduling = "scheduling",
        /// Block devices are being prepared for a new instance.
        BlockDeviceMapping = "block_device_mapping",
        /// Networks are being allocated for a new instance.
        Networking = "networking",
        /// The hypervisor is creating the guest.
        Spawning = "spawning",
        /// A snapshot was requested.
        ImageSnapshot = "image_snapshot",
        /// A snapshot waits to start.
        ImageSnapshotPending = "image_snapshot_pending",
        /// A snapshot waits to upload.
        ImagePendingUpload = "image_pending_upload",
        /// A snapshot is uploading.
        ImageUploading = "image_uploading",
        /// A backup is being taken.
        ImageBackup = "image_backup",
        /// The admin password is being set.
        UpdatingPassword = "updating_password",
        /// A resize or cold migration is being prepared.
        ResizePrep = "resize_prep",
        /// Disks are moving to the destination.
        ResizeMigrating = "resize_migrating",
        /// Disks have moved.
        ResizeMigrated = "resize_migrated",
        /// The resized guest is starting on the destination.
        ResizeFinish = "resize_finish",
        /// A resize is being reverted.
        ResizeReverting = "resize_reverting",
        /// A resize is being confirmed.
        ResizeConfirming = "resize_confirming",
        /// A soft reboot was requested.
        Rebooting = "rebooting",
        /// A soft reboot waits to start.
        RebootPending = "reboot_pending",
        /// A soft reboot has started.
        RebootStarted = "reboot_started",
        /// A hard reboot was requested.
        RebootingHard = "rebooting_hard",
        /// A hard reboot waits to start.
        RebootPendingHard = "reboot_pending_hard",
        /// A hard reboot has started.
        RebootStartedHard = "reboot_started_hard",
        /// Being paused.
        Pausing = "pausing",
        /// Being unpaused.
        Unpausing = "unpausing",
        /// Being suspended.
        Suspending = "suspending",
        /// Being resumed.
        Resuming = "resuming",
        /// Being stopped.
        PoweringOff = "powering-off",
        /// Being started.
        PoweringOn = "powering-on",
        /// Being rescued.
        Rescuing = "rescuing",
        /// Being unrescued.
        Unrescuing = "unrescuing",
        /// Being rebuilt (or evacuated).
        Rebuilding = "rebuilding",
        /// Block devices are being prepared for a rebuild.
        RebuildBlockDeviceMapping = "rebuild_block_device_mapping",
        /// The rebuilt guest is being created.
        RebuildSpawning = "rebuild_spawning",
        /// Live-migrating.
        Migrating = "migrating",
        /// Being deleted.
        Deleting = "deleting",
        /// Being soft-deleted.
        SoftDeleting = "soft-deleting",
        /// Being restored from soft-delete.
        Restoring = "restoring",
        /// Being shelved.
        Shelving = "shelving",
        /// The shelve snapshot waits to upload.
        ShelvingImagePendingUpload = "shelving_image_pending_upload",
        /// The shelve snapshot is uploading.
        ShelvingImageUploading = "shelving_image_uploading",
        /// Being removed from its host after shelving.
        ShelvingOffloading = "shelving_offloading",
        /// Being unshelved.
        Unshelving = "unshelving",
    }
}

wire_names! {
    /// The `status` string Nova's API shows for a server, computed from vm and task state.
    Status, what = "status", source = "nova/api/openstack/common.py _STATE_MAP",
    {
        /// vm state active, no visible task.
        Active = "ACTIVE",
        /// vm state building.
        Build = "BUILD",
        /// Active and soft-rebooting.
        Reboot = "REBOOT",
        /// Active and hard-rebooting.
        HardReboot = "HARD_REBOOT",
        /// Active and its admin password being set.
        Password = "PASSWORD",
        /// Being rebuilt.
        Rebuild = "REBUILD",
        /// Live-migrating.
        Migrating = "MIGRATING",
        /// Being resized or cold-migrated.
        Resize = "RESIZE",
        /// vm state stopped.
        Shutoff = "SHUTOFF",
        /// vm state resized: waiting for confirm or revert.
        VerifyResize = "VERIFY_RESIZE",
        /// A resize is being reverted.
        RevertResize = "REVERT_RESIZE",
        /// vm state paused.
        Paused = "PAUSED",
        /// vm state suspended.
        Suspended = "SUSPENDED",
        /// vm state rescued.
        Rescue = "RESCUE",
        /// vm state error.
        Error = "ERROR",
        /// vm state deleted, or the instance record is deleted.
        Deleted = "DELETED",
        /// vm state soft-delete.
        SoftDeleted = "SOFT_DELETED",
        /// vm state shelved.
        Shelved = "SHELVED",
        /// vm state shelved_offloaded.
        ShelvedOffloaded = "SHELVED_OFFLOADED",
        /// No vm state Nova knows, or a server in a cell Nova cannot reach.
        Unknown = "UNKNOWN",
    }
}

/// Nova's power state names, in the order of [`PowerState::ALL`].
const POWER_NAMES: [&str; 6] = [
    "pending",
    "running",
    "paused",
    "shutdown",
    "crashed",
    "suspended",
];

/// What the hypervisor last reported about the guest, by name and Nova's integer code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PowerState {
    /// Code 0: no state reported (Nova's `NOSTATE`, wire name `pending`).
    NoState,
    /// Code 1.
    Running,
    /// Code 3.
    Paused,
    /// Code 4: powered off.
    Shutdown,
    /// Code 6.
    Crashed,
    /// Code 7.
    Suspended,
}

impl PowerState {
    /// Every power state, by code.
    pub const ALL: &'static [PowerState] = &[
        PowerState::NoState,
        PowerState::Running,
        PowerState::Paused,
        PowerState::Shutdown,
        PowerState::Crashed,
        PowerState::Suspended,
    ];

    /// Where Nova defines them.
    pub const SOURCE: &'static str =
        "nova/compute/power_state.py, nova/objects/fields.py InstancePowerState";

    /// Nova's integer code, the value of `OS-EXT-STS:power_state`.
    pub const fn code(self) -> u8 {
        match self {
            PowerState::NoState => 0,
            PowerState::Running => 1,
            PowerState::Paused => 3,
            PowerState::Shutdown => 4,
            PowerState::Crashed => 6,
            PowerState::Suspended => 7,
        }
    }

    /// Nova's names (the `InstancePowerState` field values), in the order of [`Self::ALL`].
    /// (A static behind the constant: one copy however many crates use it.)
    pub const NAMES: &'static [&'static str] = {
        static NAMES: [&str; 6] = pool_names(PowerState::POOL);
        &NAMES
    };

    /// [`Self::NAMES`] as one pool.
    pub const POOL: Names = pool!(&POWER_NAMES);

    /// Nova's name for it (the `InstancePowerState` field value).
    pub fn as_str(self) -> &'static str {
        Self::POOL.get(self as usize)
    }

    /// The power state with this code; codes 2 and 5 are unused by Nova.
    pub fn from_code(code: i64) -> Result<Self, Error> {
        use PowerState as P;
        Ok(match code {
            0 => P::NoState,
            1 => P::Running,
            3 => P::Paused,
            4 => P::Shutdown,
            6 => P::Crashed,
            7 => P::Suspended,
            _ => return Err(unknown_code(code)),
        })
    }

    /// Parses a name (`running`, and `nostate` for code 0) or a decimal code (`"1"`).
    pub fn parse(input: &str) -> Result<Self, Error> {
        if input == "nostate" {
            return Ok(PowerState::NoState);
        }
        let bytes = input.as_bytes();
        if !bytes.is_empty() && bytes.len() <= 3 && bytes.iter().all(u8::is_ascii_digit) {
            let code = bytes.iter().fold(0, |n, &b| n * 10 + i64::from(b - b'0'));
            return PowerState::from_code(code);
        }
        parse_index("power state", input, Self::POOL).map(|i| Self::ALL[i])
    }
}

impl core::str::FromStr for PowerState {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

impl core::fmt::Display for PowerState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::fmt::Debug for PowerState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for PowerState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PowerState", 2)?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("name", self.as_str())?;
        st.end()
    }
}

/// The error for a power state code Nova does not use.
#[inline(never)]
fn unknown_code(code: i64) -> Error {
    let mut message = String::new();
    put(&mut message, "unknown power state code ");
    if code < 0 {
        put(&mut message, "-");
    }
    crate::error::push_number(&mut message, code.unsigned_abs());
    put(&mut message, ": expected one of 0 (pending), 1 (running), 3 (paused), 4 (shutdown), 6 (crashed), 7 (suspended)");
    Error::new(ErrorKind::OutOfRange, message)
}

/// The wire string of an optional task state; `None` is written `None`, as Nova's messages do.
pub fn task_str(task: Option<TaskState>) -> &'static str {
    match task {
        Some(t) => t.as_str(),
        None => "None",
    }
}
