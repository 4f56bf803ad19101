//! The Nova releases whose rules this crate holds, and choosing one.
//!
//! Each release is the newest point release of its series, installed from PyPI and executed by
//! `oracle/run.py`; `tests/oracle.rs` compares the rules table with every case it recorded.
//! Where releases differ, the difference is data on the rule it touches (a REST entry's
//! [`Rest::releases`](crate::rules::Rest::releases), and [`crate::rules::DIFFERENCES`]), not a
//! second table.

use crate::prelude::*;

use crate::error::{pool, position, put, unknown_name, Error, ErrorKind, Names};
use crate::microversion::Microversion;

/// A Nova release series, from 2023.1 (Nova 27) to 2026.2 (Nova 34), in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Release {
    /// 2023.1 "Antelope", Nova 27.5.1.
    R2023_1,
    /// 2023.2 "Bobcat", Nova 28.3.1.
    R2023_2,
    /// 2024.1 "Caracal", Nova 29.4.0.
    R2024_1,
    /// 2024.2 "Dalmatian", Nova 30.3.0.
    R2024_2,
    /// 2025.1 "Epoxy", Nova 31.3.1.
    R2025_1,
    /// 2025.2 "Flamingo", Nova 32.2.1.
    R2025_2,
    /// 2026.1 "Gazpacho", Nova 33.0.2.
    R2026_1,
    /// 2026.2, Nova 34.0.0: the default.
    R2026_2,
}

use Release as R;

/// (series, Nova version, max microversion minor, whether its oslo.policy has `enforce_scope`)
/// in release order. The max microversions were read from each installed release
/// (`api_version_request._MAX_API_VERSION`) by the oracle and are checked against its
/// snapshots; the oslo.policy is the one the series' upper constraints pin (4.1 to 5.0 have
/// the option, 6.0 removed it), as the oracle's policy snapshots record.
const FACTS: [(Release, &str, &str, u16, bool); 8] = [
    (R::R2023_1, "2023.1", "27.5.1", 95, true),
    (R::R2023_2, "2023.2", "28.3.1", 95, true),
    (R::R2024_1, "2024.1", "29.4.0", 96, true),
    (R::R2024_2, "2024.2", "30.3.0", 96, true),
    (R::R2025_1, "2025.1", "31.3.1", 100, true),
    (R::R2025_2, "2025.2", "32.2.1", 100, true),
    (R::R2026_1, "2026.1", "33.0.2", 103, true),
    (R::R2026_2, "2026.2", "34.0.0", 104, false),
];

/// Column `$field` of [`FACTS`], in release order (`$empty` fills it first).
macro_rules! facts_column {
    ($field:tt, $empty:expr) => {{
        let mut out = [$empty; 8];
        let mut i = 0;
        while i < out.len() {
            assert!(FACTS[i].0 as usize == i);
            out[i] = FACTS[i].$field;
            i += 1;
        }
        out
    }};
}

/// The series names, in release order.
const SERIES: [&str; 8] = facts_column!(1, "");

/// [`SERIES`] as a static: one copy however many crates use [`Release::NAMES`].
static NAMES: [&str; 8] = crate::error::pool_names(Release::POOL);

/// Each release's Nova version, in release order.
static NOVA_VERSIONS: [&str; 8] = facts_column!(2, "");

/// Each release's newest microversion's minor, in release order.
static MAX_MINORS: [u16; 8] = facts_column!(3, 0);

/// Whether each release's oslo.policy has the `enforce_scope` option, in release order.
static SCOPE_OPTION: [bool; 8] = facts_column!(4, false);

/// Each release's Nova major version (`29` of `29.4.0`), in release order (from [`FACTS`]).
const NOVA_MAJORS: [u8; 8] = {
    let mut majors = [0u8; 8];
    let mut i = 0;
    while i < majors.len() {
        let v = FACTS[i].2.as_bytes();
        assert!(v.len() > 2 && v[2] == b'.', "Nova majors have two digits");
        majors[i] = (v[0] - b'0') * 10 + (v[1] - b'0');
        i += 1;
    }
    majors
};

/// An inclusive range of releases a rule (or part of one) holds for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Releases {
    /// The first release it holds for.
    pub from: Release,
    /// The last release it holds for.
    pub until: Release,
}

impl Releases {
    /// Every supported release.
    pub const ALL: Releases = Releases {
        from: Release::OLDEST,
        until: Release::LATEST,
    };

    /// From `from` on.
    pub const fn from(from: Release) -> Releases {
        Releases {
            from,
            until: Release::LATEST,
        }
    }

    /// Up to and including `until`.
    pub const fn until(until: Release) -> Releases {
        Releases {
            from: Release::OLDEST,
            until,
        }
    }

    /// Whether `release` is in the range.
    pub fn contains(self, release: Release) -> bool {
        self.from <= release && release <= self.until
    }

    /// The range in words: `every release`, `2024.1 and later`, `until 2023.2`, `2025.1 to 2025.2`.
    pub fn describe(self) -> String {
        match (self.from == Release::OLDEST, self.until == Release::LATEST) {
            (true, true) => "every release".into(),
            (false, true) => [self.from.as_str(), " and later"].concat(),
            (true, false) => ["until ", self.until.as_str()].concat(),
            (false, false) => [self.from.as_str(), " to ", self.until.as_str()].concat(),
        }
    }
}

impl Release {
    /// Every supported release, oldest first.
    pub const ALL: &'static [Release] = &[
        R::R2023_1,
        R::R2023_2,
        R::R2024_1,
        R::R2024_2,
        R::R2025_1,
        R::R2025_2,
        R::R2026_1,
        R::R2026_2,
    ];
    /// Every series name (`2024.1`), in the order of [`Self::ALL`].
    pub const NAMES: &'static [&'static str] = &NAMES;
    /// The series names as one pool, in the order of [`Self::ALL`].
    pub const POOL: Names = pool!(&SERIES);
    /// The oldest supported release, 2023.1.
    pub const OLDEST: Release = R::R2023_1;
    /// The newest supported release and the default, 2026.2 (Nova 34.0.0).
    pub const LATEST: Release = R::R2026_2;

    /// The series name, `2024.1`.
    pub fn as_str(self) -> &'static str {
        Release::POOL.get(self as usize)
    }

    /// The exact Nova version whose rules these are (the newest point release of the series),
    /// `29.4.0`.
    pub fn nova_version(self) -> &'static str {
        NOVA_VERSIONS[self as usize]
    }

    /// The newest microversion the release serves (the `version` of `GET /` on a cloud
    /// running it).
    pub fn max_microversion(self) -> Microversion {
        Microversion::v2(MAX_MINORS[self as usize])
    }

    /// Whether the oslo.policy this release runs (its series' upper constraints) has the
    /// `enforce_scope` option; without it scope is always enforced.
    pub fn has_scope_option(self) -> bool {
        SCOPE_OPTION[self as usize]
    }

    /// The releases that share this one's max microversion (a client cannot tell them apart),
    /// oldest first; this one included.
    pub fn same_max_microversion(self) -> impl Iterator<Item = Release> {
        let max = self.max_microversion();
        Release::ALL
            .iter()
            .copied()
            .filter(move |r| r.max_microversion() == max)
    }

    /// Parses a series name (`2024.1`), a Nova version (`29.4.0`, or any `29.x.y`), or a Nova
    /// major version (`29`).
    pub fn parse(input: &str) -> Result<Release, Error> {
        if let Some(i) = position(input, Release::POOL, false) {
            return Ok(Release::ALL[i]);
        }
        // A Nova version: one or three dot-separated numbers of at most four digits each,
        // the first a release's major version (two digits: "027" is none).
        let bytes = input.as_bytes();
        let (mut parts, mut digits, mut numeric) = (1, 0, true);
        for &b in bytes {
            match b {
                b'.' if digits > 0 => (parts, digits) = (parts + 1, 0),
                b'0'..=b'9' if digits < 4 => digits += 1,
                _ => numeric = false,
            }
        }
        let major = match bytes {
            [a @ b'0'..=b'9', b @ b'0'..=b'9'] | [a @ b'0'..=b'9', b @ b'0'..=b'9', b'.', ..] => {
                (a - b'0') * 10 + (b - b'0')
            }
            _ => 0,
        };
        if numeric && digits > 0 && (parts == 1 || parts == 3) {
            if let Some(i) = NOVA_MAJORS.iter().position(|&m| m == major) {
                return Ok(Release::ALL[i]);
            }
        }
        Err(unknown_name("release", input, Release::POOL)
            .append(" (or a Nova version from 27 to 34, such as \"34.0.0\")"))
    }

    /// The release whose rules apply to a cloud that reports `max` as its newest microversion
    /// (`GET /`). Releases sharing a max microversion (2023.1 and 2023.2 at 2.95, 2024.1 and
    /// 2024.2 at 2.96, 2025.1 and 2025.2 at 2.100) answered alike in every case the oracle
    /// executed, except how 2025.1 and 2025.2 refuse the removed RDP console (both HTTP 400,
    /// with different texts), so the newer of them is chosen. A max between two releases' (a
    /// development cloud) chooses the oldest release that serves it.
    pub fn for_max_microversion(max: Microversion) -> Result<Release, Error> {
        let newest = Release::ALL
            .iter()
            .rev()
            .find(|r| r.max_microversion() == max)
            .or_else(|| Release::ALL.iter().find(|r| r.max_microversion() >= max));
        newest.copied().ok_or_else(|| newer_than_any(max))
    }

    /// What Nova's "Unexpected API Error." answers (HTTP 500) ask the user to do
    /// (`nova.version.NOVA_SUPPORT`): report a bug until 2026.1, contact the administrator
    /// from 2026.2 (34.0.0).
    pub fn support_text(self) -> &'static str {
        if self >= Release::R2026_2 {
            "Please contact the administrator"
        } else {
            "Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible."
        }
    }

    /// The protocols `POST /servers/{id}/remote-consoles` accepts at 2.6 and 2.7, as Nova's
    /// schema error lists them: `rdp` left the schema in 2024.1 with the Hyper-V driver and
    /// came back (after `serial`) in 2025.2, answered by the handler with a 400.
    pub fn remote_console_protocols_before_mks(self) -> &'static str {
        if self <= Release::R2023_2 {
            "['vnc', 'spice', 'rdp', 'serial']"
        } else if self <= Release::R2025_1 {
            "['vnc', 'spice', 'serial']"
        } else {
            "['vnc', 'spice', 'serial', 'rdp']"
        }
    }

    /// Whether the remote-consoles request schema takes protocol `rdp` (every release but
    /// 2024.1 to 2025.1, which refuse it as a schema error before looking the server up).
    pub fn remote_console_schema_takes_rdp(self) -> bool {
        !(Release::R2024_1..=Release::R2025_1).contains(&self)
    }

    /// Parses a request's microversion for this release: `2.N` up to the release's maximum,
    /// or `latest`, which is the release's maximum. Above it is an error naming both.
    pub fn parse_microversion(self, input: &str) -> Result<Microversion, Error> {
        if input == "latest" {
            return Ok(self.max_microversion());
        }
        let asked = Microversion::parse(input)?;
        self.check_microversion(asked)?;
        Ok(asked)
    }

    /// Checks that the release serves microversion `asked`: an error naming both otherwise.
    pub fn check_microversion(self, asked: Microversion) -> Result<(), Error> {
        if asked <= self.max_microversion() {
            return Ok(());
        }
        // The text of `2.N` needs no escapes: its quote is itself in quotes.
        let mut message = String::from("microversion \"");
        asked.push_wire(&mut message);
        put(&mut message, "\" is not served by release ");
        put(&mut message, self.as_str());
        put(&mut message, " (Nova ");
        put(&mut message, self.nova_version());
        put(&mut message, "): expected 2.1 to ");
        self.max_microversion().push_wire(&mut message);
        Err(Error::new(ErrorKind::OutOfRange, message))
    }
}

/// The error for a cloud's max microversion newer than every release's.
#[inline(never)]
fn newer_than_any(max: Microversion) -> Error {
    // The text of `2.N` needs no escapes: its quote is itself in quotes.
    let mut message = String::new();
    put(&mut message, "max microversion \"");
    max.push_wire(&mut message);
    put(
        &mut message,
        "\" is newer than any supported release: expected at most ",
    );
    Release::LATEST.max_microversion().push_wire(&mut message);
    put(&mut message, " (");
    put(&mut message, Release::LATEST.as_str());
    put(&mut message, " = Nova ");
    put(&mut message, Release::LATEST.nova_version());
    put(&mut message, ")");
    Error::new(ErrorKind::OutOfRange, message)
}

impl Default for Release {
    fn default() -> Self {
        Release::LATEST
    }
}

impl core::fmt::Display for Release {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for Release {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

impl serde::Serialize for Release {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Release::parse`] as first written: the major compared as text.
    fn parse_as_first_written(input: &str) -> Option<Release> {
        let major = |text: &str| text.split('.').next().unwrap_or_default().to_string();
        if let Some(i) = NAMES.iter().position(|&n| n == input) {
            return Some(Release::ALL[i]);
        }
        let bytes = input.as_bytes();
        let (mut parts, mut digits, mut numeric) = (1, 0, !bytes.is_empty());
        for &b in bytes {
            match b {
                b'.' if digits > 0 => (parts, digits) = (parts + 1, 0),
                b'0'..=b'9' if digits < 4 => digits += 1,
                _ => numeric = false,
            }
        }
        if numeric && digits > 0 && (parts == 1 || parts == 3) {
            let asked = major(input);
            return Release::ALL
                .iter()
                .find(|r| major(r.nova_version()) == asked)
                .copied();
        }
        None
    }

    #[test]
    fn parse_agrees_with_the_first_writing() {
        let mut inputs: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
        for major in [
            "", "2", "26", "27", "29", "34", "35", "027", "290", "2a", "a2",
        ] {
            for rest in [
                "", ".", ".4", ".4.0", ".4.0.1", "..", ".0.", ".12345.0", ".1234.1", "x",
            ] {
                inputs.push(format!("{major}{rest}"));
            }
        }
        for input in &inputs {
            assert_eq!(
                Release::parse(input).ok(),
                parse_as_first_written(input),
                "{input:?}"
            );
        }
    }

    #[test]
    fn facts_are_in_release_order() {
        for (i, r) in Release::ALL.iter().enumerate() {
            assert_eq!(FACTS[i].0, *r);
            assert_eq!(NAMES[i], r.as_str());
            assert_eq!(*r as usize, i);
        }
    }
}
