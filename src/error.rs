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
    out.push('"');
    for (count, c) in input.chars().enumerate() {
        if count == QUOTE_LIMIT {
            out.push_str("\"… (");
            push_number(&mut out, input.len() as u64);
            out.push_str(" bytes)");
            return out;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                out.push_str("\\u{");
                push_hex(&mut out, c as u32);
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Appends a decimal number without going through `core::fmt` (keeps the wasm small).
pub fn push_number(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

fn push_hex(out: &mut String, n: u32) {
    let digits = b"0123456789abcdef";
    let mut started = false;
    for shift in (0..8).rev() {
        let d = (n >> (shift * 4)) & 0xf;
        if d != 0 || started || shift == 0 {
            started = true;
            out.push(digits[d as usize] as char);
        }
    }
}

/// The candidate closest to `input` when it is close enough to be a likely typo: equal
/// ignoring case and `-`/`_`, or within a small edit distance.
pub(crate) fn nearest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if input.is_empty() || input.len() > 40 {
        return None;
    }
    let folded = fold(input);
    let mut best: Option<(usize, &'a str)> = None;
    for &candidate in candidates {
        let distance = if fold(candidate) == folded {
            0
        } else {
            edit_distance(&folded, &fold(candidate))
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let limit = (input.chars().count() / 3).clamp(1, 3);
    best.filter(|&(d, _)| d <= limit).map(|(_, c)| c)
}

fn fold(s: &str) -> Vec<char> {
    s.chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
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
}

/// Builds the message for a name that is not one of `expected`.
pub(crate) fn unknown_name(what: &str, input: &str, expected: &[&str]) -> Error {
    let mut message = String::from("unknown ");
    message.push_str(what);
    message.push(' ');
    message.push_str(&quote(input));
    message.push_str(": expected one of ");
    for (i, name) in expected.iter().enumerate() {
        if i > 0 {
            message.push_str(", ");
        }
        message.push_str(name);
    }
    if let Some(near) = nearest(input, expected) {
        message.push_str(" (did you mean \"");
        message.push_str(near);
        message.push_str("\"?)");
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

    #[test]
    fn nearest_finds_typos_and_case_but_not_strangers() {
        let names = ["active", "stopped", "soft-delete"];
        assert_eq!(nearest("actve", &names), Some("active"));
        assert_eq!(nearest("ACTIVE", &names), Some("active"));
        assert_eq!(nearest("soft_delete", &names), Some("soft-delete"));
        assert_eq!(nearest("banana", &names), None);
    }
}
