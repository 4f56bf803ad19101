//! The one error type of the crate: bad input, said so a person can act on it.

use crate::prelude::*;

use core::fmt;

/// Input this crate could not accept: an unknown name, a malformed microversion, JSON that is
/// not a server record.
///
/// The message says what was found and what was expected, in lowercase with no trailing period,
/// e.g. `unknown vm state "actve": expected one of active, building, … (did you mean "active"?)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

/// What sort of input was refused; lets callers (the JS layer) choose an error class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A name that is not one of Nova's (state, status, action).
    UnknownName,
    /// A value of the right type but out of range (a microversion beyond 2.104, a power code 2).
    OutOfRange,
    /// A value of the wrong type, or JSON that does not parse.
    Malformed,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: String) -> Self {
        Error { kind, message }
    }

    /// What sort of input was refused.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The same error with `text` appended to its message.
    pub(crate) fn append(mut self, text: &str) -> Self {
        put(&mut self.message, text);
        self
    }

    /// The message, also what `Display` prints.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Error(\"")?;
        f.write_str(&self.message)?;
        f.write_str("\")")
    }
}

impl core::error::Error for Error {}

/// How much of a bad value an error message quotes; the rest is summarised by its length.
const QUOTE_LIMIT: usize = 64;

/// Quotes `input` for an error message: in double quotes, control characters and quotes
/// escaped, cut after [`QUOTE_LIMIT`] characters so a megabyte of input stays a short message.
pub(crate) fn quote(input: &str) -> String {
    let mut out = String::with_capacity(input.len().min(QUOTE_LIMIT) + 2);
    push_quoted(&mut out, input);
    out
}

/// Appends [`quote`]`(input)` to `out`. Works on the UTF-8 bytes: runs of plain characters are
/// copied whole, and the control characters (U+0000 to U+001F, U+007F to U+009F, the last
/// ones as the two bytes `C2 80` to `C2 9F`) are escaped.
#[inline(never)]
pub(crate) fn push_quoted(out: &mut String, input: &str) {
    const HEX: &str = "0123456789abcdef";
    let bytes = input.as_bytes();
    put(out, "\"");
    let (mut run, mut count, mut i) = (0, 0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let mut width = 1;
        let escape = match b {
            // A UTF-8 continuation byte: part of the character before.
            _ if b & 0xc0 == 0x80 => {
                i += 1;
                continue;
            }
            _ if count == QUOTE_LIMIT => break,
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            0..0x20 | 0x7f => "",
            0xc2 if bytes.get(i + 1).is_some_and(|&n| n < 0xa0) => {
                width = 2;
                ""
            }
            _ => {
                count += 1;
                i += 1;
                continue;
            }
        };
        count += 1;
        put(out, input.get(run..i).unwrap_or_default());
        if escape.is_empty() {
            // A control character: its code point is its last byte, at most 0x9f.
            let c = usize::from(bytes[i + width - 1]);
            put(out, "\\u{");
            if c >= 16 {
                put(out, HEX.get(c >> 4..=c >> 4).unwrap_or_default());
            }
            put(out, HEX.get(c & 15..=c & 15).unwrap_or_default());
            put(out, "}");
        } else {
            put(out, escape);
        }
        i += width;
        run = i;
    }
    put(out, input.get(run..i).unwrap_or_default());
    if i < bytes.len() {
        put(out, "\"… (");
        push_number(out, input.len() as u64);
        put(out, " bytes)");
    } else {
        put(out, "\"");
    }
}

/// Appends `text` to `out`, out of line: the messages' many appends cost a call each rather
/// than an inlined copy with its capacity check.
#[inline(never)]
pub(crate) fn put(out: &mut String, text: &str) {
    out.push_str(text);
}

/// Appends a decimal number without going through `core::fmt` (keeps the wasm small): the
/// digits before the last, then the last.
#[inline(never)]
pub fn push_number(out: &mut String, n: u64) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The longest input (in bytes) [`nearest`] looks for a likely typo of.
const NEAREST_LIMIT: usize = 40;

/// The candidate closest to `input` when it is close enough to be a likely typo: equal
/// ignoring case and `-`/`_`, or within a small edit distance (in characters). Allocates
/// nothing: the folded input (at most [`NEAREST_LIMIT`] characters) and one row of distances
/// live on the stack. The candidates are Nova's names, all ASCII, so the input is folded byte
/// by byte: a character that is not ASCII equals no candidate's, and stands as one byte no
/// candidate has.
pub(crate) fn nearest(input: &str, candidates: Names) -> Option<&'static str> {
    if input.is_empty() || input.len() > NEAREST_LIMIT {
        return None;
    }
    let mut folded = [0u8; NEAREST_LIMIT];
    let mut len = 0;
    for &b in input.as_bytes() {
        // A UTF-8 continuation byte: part of the character before.
        if b & 0xc0 != 0x80 {
            if let Some(slot) = folded.get_mut(len) {
                *slot = if b < 0x80 { fold(b) } else { 0xff };
            }
            len += 1;
        }
    }
    let folded = folded.get(..len).unwrap_or_default();
    let mut best: Option<(usize, &'static str)> = None;
    for i in 0..candidates.len() {
        let candidate = candidates.get(i);
        let distance = edit_distance(folded, candidate.as_bytes());
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let limit = (len / 3).clamp(1, 3);
    best.filter(|&(d, _)| d <= limit).map(|(_, c)| c)
}

/// An ASCII character as [`nearest`] compares it: lowercase, `-` as `_`.
fn fold(b: u8) -> u8 {
    if b == b'-' {
        b'_'
    } else {
        b.to_ascii_lowercase()
    }
}

/// `0, 1, 2, …`: the first row of [`edit_distance`].
const FIRST_ROW: [u8; NEAREST_LIMIT + 1] = {
    let mut row = [0u8; NEAREST_LIMIT + 1];
    let mut j = 0;
    while j < row.len() {
        row[j] = j as u8;
        j += 1;
    }
    row
};

/// The Levenshtein distance between the folded input `a` (at most [`NEAREST_LIMIT`] bytes)
/// and the name `b` (folded here), with one row over `a`; the distances as bytes (Nova's
/// names are shorter than 255).
#[inline(never)]
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut row = FIRST_ROW;
    for (i, &cb) in b.iter().enumerate() {
        let cb = fold(cb);
        let mut diagonal = row[0];
        let mut left = (i + 1) as u8;
        row[0] = left;
        for (cell, &ca) in row[1..].iter_mut().zip(a) {
            let above = *cell;
            left = if ca == cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(left)
            };
            *cell = left;
            diagonal = above;
        }
    }
    usize::from(row.get(a.len()).copied().unwrap_or_default())
}

/// What separates the names of a [`Names`] pool: the bindings' item separator (ASCII RS), so
/// a pool is already a row of their name tables.
pub const NAME_SEPARATOR: u8 = 0x1e;

/// A closed set of names as one pool: the names one after another with [`NAME_SEPARATOR`]
/// between them, and where each starts. Two bytes a name rather than a `&str`'s eight; built
/// at compile time from a table's own list (see [`pool_text`]).
#[derive(Clone, Copy)]
pub struct Names {
    text: &'static str,
    /// Where each name starts, then one past the text's end (a separator's place past it).
    starts: &'static [u16],
}

impl Names {
    /// The pool of `text` (the names with [`NAME_SEPARATOR`] between them) with `starts`; at
    /// compile time, from [`pool_text`] and [`pool_starts`].
    pub const fn new(text: &'static [u8], starts: &'static [u16]) -> Names {
        assert!(!starts.is_empty() && starts[starts.len() - 1] as usize == text.len() + 1);
        match core::str::from_utf8(text) {
            Ok(text) => Names { text, starts },
            Err(_) => panic!("names are text"),
        }
    }

    /// The first `count` names of this pool (sharing its text).
    pub const fn first(self, count: usize) -> Names {
        assert!(count > 0 && count < self.starts.len());
        let end = self.starts[count] as usize - 1;
        let (text, _) = self.text.as_bytes().split_at(end);
        let (starts, _) = self.starts.split_at(count + 1);
        Names::new(text, starts)
    }

    /// How many names there are.
    pub const fn len(self) -> usize {
        self.starts.len() - 1
    }

    /// Whether there are none (never, for Nova's names).
    pub const fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The names with [`NAME_SEPARATOR`] between them.
    pub const fn text(self) -> &'static str {
        self.text
    }

    /// The name at `index`, or `""` past the last.
    #[inline(never)]
    pub fn get(self, index: usize) -> &'static str {
        match self.starts.get(index..index + 2) {
            Some(&[start, next]) => self
                .text
                .get(start as usize..next as usize - 1)
                .unwrap_or_default(),
            _ => "",
        }
    }

    /// [`Names::get`] at compile time (for tables that point into a pool).
    pub const fn get_const(self, index: usize) -> &'static str {
        let (_, rest) = self.text.as_bytes().split_at(self.starts[index] as usize);
        let (name, _) = rest.split_at((self.starts[index + 1] - self.starts[index]) as usize - 1);
        match core::str::from_utf8(name) {
            Ok(name) => name,
            Err(_) => panic!("names are text"),
        }
    }

    /// Every name, in order.
    pub fn iter(self) -> impl Iterator<Item = &'static str> {
        (0..self.len()).map(move |i| self.get(i))
    }
}

impl core::fmt::Debug for Names {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The names of `pool` as `&str`s pointing into its text, at compile time (`N` of them).
pub const fn pool_names<const N: usize>(pool: Names) -> [&'static str; N] {
    assert!(pool.len() == N);
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = pool.get_const(i);
        i += 1;
    }
    out
}

/// The length of the pool of `names`: their bytes and a separator between each two.
pub const fn pool_len(names: &[&str]) -> usize {
    let mut len = names.len().saturating_sub(1);
    let mut i = 0;
    while i < names.len() {
        len += names[i].len();
        i += 1;
    }
    len
}

/// The text of the pool of `names` ([`pool_len`] bytes), at compile time.
pub const fn pool_text<const L: usize>(names: &[&str]) -> [u8; L] {
    assert!(pool_len(names) == L && L < u16::MAX as usize);
    let mut text = [0u8; L];
    let (mut at, mut i) = (0, 0);
    while i < names.len() {
        if i > 0 {
            text[at] = NAME_SEPARATOR;
            at += 1;
        }
        let name = names[i].as_bytes();
        let mut b = 0;
        while b < name.len() {
            assert!(name[b] != NAME_SEPARATOR);
            text[at] = name[b];
            at += 1;
            b += 1;
        }
        i += 1;
    }
    text
}

/// Where each of `names` starts in its pool, then the pool's length plus one, at compile
/// time (`N` is one more than the names).
pub const fn pool_starts<const N: usize>(names: &[&str]) -> [u16; N] {
    assert!(names.len() + 1 == N);
    let mut starts = [0u16; N];
    let mut i = 0;
    while i < names.len() {
        starts[i + 1] = starts[i] + names[i].len() as u16 + 1;
        i += 1;
    }
    starts
}

/// The [`Names`] pool of a constant list of names: its text and starts as statics, one copy.
macro_rules! pool {
    ($list:expr) => {{
        const LIST: &[&str] = $list;
        static TEXT: [u8; $crate::error::pool_len(LIST)] = $crate::error::pool_text(LIST);
        static STARTS: [u16; LIST.len() + 1] = $crate::error::pool_starts(LIST);
        $crate::error::Names::new(&TEXT, &STARTS)
    }};
}

pub(crate) use pool;

/// Appends `names` separated by `, `.
#[inline(never)]
pub fn push_list(out: &mut String, names: Names) {
    for i in 0..names.len() {
        if i > 0 {
            put(out, ", ");
        }
        put(out, names.get(i));
    }
}

/// The position of `input` in `names`, or the error naming it, the names and the nearest:
/// every parser of a closed set of names (states, statuses, power states, releases) shares it.
pub(crate) fn parse_index(what: &str, input: &str, names: Names) -> Result<usize, Error> {
    find_name(what, input, names, false)
}

/// [`parse_index`], comparing without regard to ASCII case when `any_case` is set (Nova's
/// `?status=` filter).
#[inline(never)]
pub(crate) fn find_name(
    what: &str,
    input: &str,
    names: Names,
    any_case: bool,
) -> Result<usize, Error> {
    match position(input, names, any_case) {
        Some(i) => Ok(i),
        None => Err(unknown_name(what, input, names)),
    }
}

/// The position of `input` in `names` (ignoring ASCII case when `any_case` is set).
#[inline(never)]
pub(crate) fn position(input: &str, names: Names, any_case: bool) -> Option<usize> {
    (0..names.len()).find(|&i| {
        let n = names.get(i);
        n == input || any_case && n.eq_ignore_ascii_case(input)
    })
}

/// Builds the message for a name that is not one of `expected`.
#[inline(never)]
pub(crate) fn unknown_name(what: &str, input: &str, expected: Names) -> Error {
    let mut message = String::new();
    for part in ["unknown ", what, " "] {
        put(&mut message, part);
    }
    push_quoted(&mut message, input);
    put(&mut message, ": expected one of ");
    push_list(&mut message, expected);
    if let Some(near) = nearest(input, expected) {
        put(&mut message, " (did you mean \"");
        put(&mut message, near);
        put(&mut message, "\"?)");
    }
    Error::new(ErrorKind::UnknownName, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_and_cuts_long_input() {
        assert_eq!(quote("a\"b\n\u{1}"), "\"a\\\"b\\n\\u{1}\"");
        let long = "x".repeat(1_000_000);
        assert_eq!(
            quote(&long),
            format!("\"{}\"… (1000000 bytes)", "x".repeat(64))
        );
    }

    /// The quoting rule character by character, as it was first written.
    fn quote_by_chars(input: &str) -> String {
        let mut out = String::from("\"");
        for (count, c) in input.chars().enumerate() {
            if count == QUOTE_LIMIT {
                return format!("{out}\"… ({} bytes)", input.len());
            }
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                c => out.push(c),
            }
        }
        out + "\""
    }

    #[test]
    fn quote_escapes_every_control_character_as_by_chars() {
        let mut every: String = (0u32..0x800).filter_map(char::from_u32).collect();
        every.push_str("😀\u{2028}\u{feff}");
        for input in [
            every.as_str(),
            "\u{7f}\u{85}\u{9f}\u{a0}é",
            &"é".repeat(70),
            &"😀".repeat(64),
            &"😀".repeat(65),
            &format!("{}\n", "x".repeat(63)),
            &format!("{}\n", "x".repeat(64)),
            "",
        ] {
            assert_eq!(quote(input), quote_by_chars(input), "{input:?}");
        }
        for start in (0..every.len()).filter(|&i| every.is_char_boundary(i)) {
            let rest = &every[start..];
            assert_eq!(quote(rest), quote_by_chars(rest));
        }
    }

    /// The nearest name as first written: both sides folded into vectors, a matrix row per
    /// candidate.
    fn nearest_by_vectors<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
        if input.is_empty() || input.len() > 40 {
            return None;
        }
        let fold = |s: &str| {
            s.chars()
                .map(|c| {
                    if c == '-' {
                        '_'
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect::<Vec<char>>()
        };
        let distance = |a: &[char], b: &[char]| {
            let mut row: Vec<usize> = (0..=b.len()).collect();
            for (i, ca) in a.iter().enumerate() {
                let mut diagonal = row[0];
                row[0] = i + 1;
                for (j, cb) in b.iter().enumerate() {
                    let above = row[j + 1];
                    row[j + 1] = if ca == cb {
                        diagonal
                    } else {
                        1 + diagonal.min(above).min(row[j])
                    };
                    diagonal = above;
                }
            }
            row[b.len()]
        };
        let folded = fold(input);
        let mut best: Option<(usize, &'a str)> = None;
        for &candidate in candidates {
            let d = distance(&folded, &fold(candidate));
            if best.is_none_or(|(b, _)| d < b) {
                best = Some((d, candidate));
            }
        }
        let limit = (input.chars().count() / 3).clamp(1, 3);
        best.filter(|&(d, _)| d <= limit).map(|(_, c)| c)
    }

    #[test]
    fn nearest_agrees_with_the_first_writing() {
        use crate::states::{Status, TaskState, VmState};
        let actions = crate::Action::POOL.first(30);
        for pool in [VmState::POOL, TaskState::POOL, Status::POOL, actions] {
            let names = &pool.iter().collect::<Vec<_>>()[..];
            for name in names {
                let mut inputs = vec![
                    name.to_uppercase(),
                    name.replace('_', "-"),
                    format!("{name}é"),
                    format!("é{name}😀"),
                    format!("{}\u{130}", &name[1..]),
                ];
                for i in 0..name.len() {
                    inputs.push(format!("{}{}", &name[..i], &name[i + 1..]));
                    inputs.push(format!("{}x{}", &name[..i], &name[i..]));
                    inputs.push(format!("{}ß{}", &name[..i], &name[i + 1..]));
                    inputs.push(name[i..].to_string());
                    inputs.push(name[..i].to_string());
                }
                for input in &inputs {
                    assert_eq!(
                        nearest(input, pool),
                        nearest_by_vectors(input, names),
                        "{input:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_name_a_suggestion_can_be_is_ascii() {
        use crate::states::{PowerState, Status, TaskState, VmState};
        let rest = crate::rules::RULES
            .iter()
            .flat_map(|r| r.rest.iter().map(|e| e.name()));
        let names = [
            VmState::NAMES,
            TaskState::NAMES,
            Status::NAMES,
            PowerState::NAMES,
        ]
        .into_iter()
        .flatten()
        .chain(crate::Action::NAMES)
        .chain(crate::Release::NAMES)
        .copied()
        .chain(rest);
        for name in names {
            assert!(name.is_ascii(), "{name}");
        }
    }

    #[test]
    fn every_pool_holds_its_table_s_names_in_order() {
        use crate::states::{PowerState, Status, TaskState, VmState};
        for (pool, names) in [
            (VmState::POOL, VmState::NAMES),
            (TaskState::POOL, TaskState::NAMES),
            (Status::POOL, Status::NAMES),
            (PowerState::POOL, PowerState::NAMES),
            (crate::Release::POOL, crate::Release::NAMES),
            (crate::Action::POOL, crate::Action::NAMES),
        ] {
            assert_eq!(pool.iter().collect::<Vec<_>>(), names);
            assert_eq!(pool.text(), names.join("\u{1e}"));
            assert_eq!(pool.get(names.len()), "");
            for (i, name) in names.iter().enumerate() {
                assert_eq!(pool.get_const(i), *name);
            }
        }
        for &vm in VmState::ALL {
            assert_eq!(vm.as_str(), VmState::NAMES[vm.index()]);
        }
    }

    #[test]
    fn nearest_finds_typos_and_case_but_not_strangers() {
        let names = pool!(&["active", "stopped", "soft-delete"]);
        assert_eq!(nearest("actve", names), Some("active"));
        assert_eq!(nearest("ACTIVE", names), Some("active"));
        assert_eq!(nearest("soft_delete", names), Some("soft-delete"));
        assert_eq!(nearest("banana", names), None);
    }
}
