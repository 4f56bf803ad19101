//! Compute API microversions (`2.1` … `2.104`).

use crate::prelude::*;

use crate::error::{push_number, push_quoted, put, Error, ErrorKind};

/// A compute API microversion `2.N`; the major version is always 2.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Microversion {
    minor: u16,
}

impl Microversion {
    /// The oldest microversion, `2.1`.
    pub const MIN: Microversion = Microversion { minor: 1 };
    /// The newest microversion Nova knows at the pinned commit (`nova/api/openstack/api_version_request.py`).
    pub const LATEST: Microversion = Microversion { minor: 104 };

    /// `2.minor`, for use in the rules table.
    pub const fn v2(minor: u16) -> Microversion {
        Microversion { minor }
    }

    /// The `N` of `2.N`.
    pub const fn minor(self) -> u16 {
        self.minor
    }

    /// Parses `2.N` (or `latest`), refusing versions Nova does not have.
    pub fn parse(input: &str) -> Result<Microversion, Error> {
        if input == "latest" {
            return Ok(Microversion::LATEST);
        }
        let rest = match input.as_bytes() {
            [b'2', b'.', rest @ ..] => rest,
            _ => return Err(refused(ErrorKind::Malformed, input)),
        };
        if rest.is_empty()
            || rest.len() > 4
            || !rest.iter().all(u8::is_ascii_digit)
            || (rest.len() > 1 && rest[0] == b'0')
        {
            return Err(refused(ErrorKind::Malformed, input));
        }
        let minor = rest.iter().fold(0u16, |n, &b| n * 10 + u16::from(b - b'0'));
        if !(Self::MIN.minor..=Self::LATEST.minor).contains(&minor) {
            return Err(refused(ErrorKind::OutOfRange, input));
        }
        Ok(Microversion { minor })
    }

    /// Writes `2.N`.
    pub fn to_wire(self) -> String {
        let mut s = String::new();
        self.push_wire(&mut s);
        s
    }

    /// Appends `2.N` to `out`.
    pub(crate) fn push_wire(self, out: &mut String) {
        put(out, "2.");
        push_number(out, u64::from(self.minor));
    }
}

/// The error for a microversion [`Microversion::parse`] refuses: malformed, or out of range.
#[inline(never)]
fn refused(kind: ErrorKind, input: &str) -> Error {
    let mut message = String::new();
    put(
        &mut message,
        if kind == ErrorKind::Malformed {
            "malformed microversion "
        } else {
            "unsupported microversion "
        },
    );
    push_quoted(&mut message, input);
    put(
        &mut message,
        ": expected \"2.N\" with N from 1 to 104, or \"latest\"",
    );
    Error::new(kind, message)
}

impl Default for Microversion {
    fn default() -> Self {
        Microversion::LATEST
    }
}

impl core::str::FromStr for Microversion {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

impl core::fmt::Display for Microversion {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_wire())
    }
}

impl core::fmt::Debug for Microversion {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_wire())
    }
}

impl serde::Serialize for Microversion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_wire())
    }
}
