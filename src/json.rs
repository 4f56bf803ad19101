//! A small strict JSON reader that pulls server records out of Nova's responses without
//! building a tree for the keys it does not need. Linear time, bounded nesting, never panics.

use crate::prelude::*;

use alloc::borrow::Cow;

use crate::error::{push_number, Error, ErrorKind};
use crate::record::{RawServer, Scalar, ENVELOPE};

/// How deep JSON may nest before it is refused (Nova's records nest a few levels).
const MAX_DEPTH: usize = 128;

/// The describe module is built at opt-level "z": the reader's small hot helpers are
/// `#[inline(always)]` so the batch reader keeps its speed there, its error path out of line.
pub(crate) struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

fn malformed(message: String) -> Error {
    Error::new(ErrorKind::Malformed, message)
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
        }
    }

    #[inline(always)]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[cold]
    #[inline(never)]
    fn error(&self, expected: &str) -> Error {
        let mut message = String::from("invalid JSON at byte ");
        push_number(&mut message, self.pos as u64);
        message.push_str(": expected ");
        message.push_str(expected);
        match self.bytes().get(self.pos) {
            None => message.push_str(", found the end of the text"),
            Some(_) => {
                let rest = self.text.get(self.pos..).unwrap_or_default();
                let shown: String = rest.chars().take(12).collect();
                message.push_str(", found ");
                message.push_str(&crate::error::quote(&shown));
            }
        }
        malformed(message)
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes().get(self.pos).copied()
    }

    #[inline(always)]
    fn eat(&mut self, byte: u8, expected: &str) -> Result<(), Error> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// Fails unless only white space remains.
    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        if self.peek().is_some() {
            return Err(self.error("the end of the text"));
        }
        Ok(())
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let mut message = String::from("JSON nested deeper than ");
            push_number(&mut message, MAX_DEPTH as u64);
            message.push_str(" levels at byte ");
            push_number(&mut message, self.pos as u64);
            return Err(malformed(message));
        }
        Ok(())
    }

    /// Reads a string, borrowing it when it has no escapes.
    /// The text from `start` to the current position, both at ASCII bytes (quotes and
    /// backslashes): `get`, as indexing's failure path would link `core::fmt`.
    #[inline(always)]
    fn slice(&self, start: usize) -> &'a str {
        self.text.get(start..self.pos).unwrap_or_default()
    }

    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        self.eat(b'"', "a string")?;
        let start = self.pos;
        let bytes = self.bytes();
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            // Eight plain bytes at a time: most of a record is long runs of them.
            while let Some(word) = bytes
                .get(self.pos..self.pos + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
            {
                if needs_attention(u64::from_le_bytes(word)) {
                    break;
                }
                self.pos += 8;
            }
            let Some(&b) = bytes.get(self.pos) else {
                return Err(self.error("the end of a string"));
            };
            match b {
                b'"' => {
                    let s = match owned {
                        None => Cow::Borrowed(self.slice(start)),
                        Some(mut s) => {
                            s.push_str(self.slice(run));
                            Cow::Owned(s)
                        }
                    };
                    self.pos += 1;
                    return Ok(s);
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(self.slice(run));
                    self.pos += 1;
                    let escaped = match bytes.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let c = self.unicode_escape()?;
                            s.push(c);
                            run = self.pos;
                            continue;
                        }
                        _ => return Err(self.error("an escape sequence")),
                    };
                    s.push(escaped);
                    self.pos += 1;
                    run = self.pos;
                }
                0..=0x1f => return Err(self.error("no control characters in a string")),
                _ => self.pos += 1,
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self
            .bytes()
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("four hex digits"))?;
        let mut n = 0;
        for &d in digits {
            let v = (d as char)
                .to_digit(16)
                .ok_or_else(|| self.error("four hex digits"))?;
            n = n * 16 + v;
        }
        self.pos += 4;
        Ok(n)
    }

    /// Reads the rest of a `\u` escape. A surrogate without its partner is valid JSON (what
    /// `JSON.stringify` writes for a lone surrogate) and reads as U+FFFD, as `TextEncoder` does.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        if (0xd800..0xdc00).contains(&first)
            && self.bytes().get(self.pos..self.pos + 2) == Some(b"\\u")
        {
            let after_first = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xdc00..0xe000).contains(&second) {
                return Ok(
                    char::from_u32(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))
                        .unwrap_or('\u{fffd}'),
                );
            }
            self.pos = after_first;
        }
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }

    /// Reads a number. Integers up to 2^53 keep their value; any other number only needs to
    /// be known as "not a power-state code", so it reads as NaN (no float parsing code in wasm).
    fn number(&mut self) -> Result<f64, Error> {
        let bytes = self.bytes();
        let negative = bytes.get(self.pos) == Some(&b'-');
        if negative {
            self.pos += 1;
        }
        let mut value: f64 = 0.0;
        let mut exact = true;
        match bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while let Some(&d) = bytes.get(self.pos).filter(|d| d.is_ascii_digit()) {
                    value = value * 10.0 + f64::from(d - b'0');
                    self.pos += 1;
                }
                exact = value <= 9_007_199_254_740_992.0;
            }
            _ => return Err(self.error("a number")),
        }
        let digits = |r: &mut Self| {
            let start = r.pos;
            while r.bytes().get(r.pos).is_some_and(u8::is_ascii_digit) {
                r.pos += 1;
            }
            r.pos - start
        };
        if bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            exact = false;
            if digits(self) == 0 {
                return Err(self.error("a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = bytes.get(self.pos) {
            self.pos += 1;
            exact = false;
            if let Some(b'+' | b'-') = bytes.get(self.pos) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("a digit in the exponent"));
            }
        }
        Ok(match (exact, negative) {
            (false, _) => f64::NAN,
            (true, true) => -value,
            (true, false) => value,
        })
    }

    fn literal(&mut self, word: &str) -> Result<(), Error> {
        if self
            .text
            .get(self.pos..)
            .unwrap_or_default()
            .starts_with(word)
        {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("a JSON value"))
        }
    }

    /// Reads a value as a scalar; arrays and objects are checked and reported by type only.
    pub(crate) fn scalar(&mut self) -> Result<Scalar<'a>, Error> {
        match self.peek() {
            Some(b'"') => Ok(Scalar::Str(self.string()?)),
            Some(b't') => self.literal("true").map(|_| Scalar::Bool(true)),
            Some(b'f') => self.literal("false").map(|_| Scalar::Bool(false)),
            Some(b'n') => self.literal("null").map(|_| Scalar::Null),
            Some(b'[') => self.skip_value().map(|_| Scalar::Other("an array")),
            Some(b'{') => self.skip_value().map(|_| Scalar::Other("an object")),
            Some(b'-' | b'0'..=b'9') => Ok(Scalar::Number(self.number()?)),
            _ => Err(self.error("a JSON value")),
        }
    }

    /// Checks a value and moves past it without keeping anything.
    pub(crate) fn skip_value(&mut self) -> Result<(), Error> {
        match self.peek() {
            Some(b'{') => self.object(|r, _| r.skip_value()),
            Some(b'[') => self.array(Self::skip_value),
            _ => self.scalar().map(|_| ()),
        }
    }

    /// Calls `each` for every key of an object, positioned at its value; `each` must consume it.
    pub(crate) fn object(
        &mut self,
        mut each: impl FnMut(&mut Self, Cow<'a, str>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.enter()?;
        self.eat(b'{', "an object")?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                let key = self.string()?;
                self.eat(b':', "':' after an object key")?;
                each(self, key)?;
                if self.peek() == Some(b',') {
                    self.pos += 1;
                    continue;
                }
                self.eat(b'}', "',' or '}' in an object")?;
                break;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Calls `each` for every element of an array, positioned at it; `each` must consume it.
    pub(crate) fn array(
        &mut self,
        mut each: impl FnMut(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.enter()?;
        self.eat(b'[', "an array")?;
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                each(self)?;
                if self.peek() == Some(b',') {
                    self.pos += 1;
                    continue;
                }
                self.eat(b']', "',' or ']' in an array")?;
                break;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// What the next value is: `{`, `[` or another byte.
    pub(crate) fn next_byte(&mut self) -> Option<u8> {
        self.peek()
    }

    /// Reads one server object, or a `{"server": {...}}` envelope, keeping only the keys
    /// [`RawServer`] knows, with the precedence of [`crate::record::KEYS`].
    pub(crate) fn server(&mut self) -> Result<RawServer<'a>, Error> {
        self.record(true)
    }

    fn record(&mut self, envelope_allowed: bool) -> Result<RawServer<'a>, Error> {
        if self.peek() != Some(b'{') {
            let found = self.scalar()?;
            return Err(malformed(
                String::from("expected a server object, found ") + &found.describe(),
            ));
        }
        let mut raw = RawServer::default();
        // The slots a key in Nova's spelling has filled: a plain key does not overwrite them.
        let mut by_nova = [false; crate::record::SLOTS];
        let mut envelope: Option<RawServer<'a>> = None;
        self.object(|r, name| {
            if envelope_allowed && same(&name, ENVELOPE) && r.next_byte() == Some(b'{') {
                envelope = Some(r.record(false)?);
                return Ok(());
            }
            match crate::record::KEYS.iter().find(|k| same(k.name, &name)) {
                Some(key) if key.nova || !by_nova[key.slot] => {
                    by_nova[key.slot] |= key.nova;
                    *raw.slots_mut()[key.slot] = r.scalar()?;
                }
                _ => r.skip_value()?,
            }
            Ok(())
        })?;
        Ok(envelope.unwrap_or(raw))
    }
}

impl<'a> RawServer<'a> {
    /// Reads one server record (or `{"server": …}` envelope) from JSON text.
    pub fn from_json(text: &'a str) -> Result<RawServer<'a>, Error> {
        let mut reader = Reader::new(text);
        let raw = reader.server()?;
        reader.finish()?;
        Ok(raw)
    }
}

/// Reads every server of a `GET /servers/detail` response (`{"servers": [...]}`) or a JSON
/// array of servers, calling `each` with each record in order.
pub fn each_server_in_json<'a>(
    text: &'a str,
    mut each: impl FnMut(RawServer<'a>),
) -> Result<(), Error> {
    let mut reader = Reader::new(text);
    let mut found = false;
    match reader.next_byte() {
        Some(b'[') => {
            found = true;
            reader.array(|r| {
                each(r.server()?);
                Ok(())
            })?;
        }
        Some(b'{') => reader.object(|r, key| {
            if key == "servers" && r.next_byte() == Some(b'[') {
                found = true;
                r.array(|r| {
                    each(r.server()?);
                    Ok(())
                })
            } else {
                r.skip_value()
            }
        })?,
        _ => {
            let value = reader.scalar()?;
            return Err(Error::new(
                ErrorKind::Malformed,
                String::from("expected a servers response ({\"servers\": [...]}) or an array of servers, found ")
                    + &value.describe(),
            ));
        }
    }
    reader.finish()?;
    if !found {
        return Err(Error::new(
            ErrorKind::Malformed,
            "expected a servers response: the object has no \"servers\" array".into(),
        ));
    }
    Ok(())
}

/// Whether any of the eight bytes in `word` is a quote, a backslash or a control character
/// (the classic "has zero byte" and "has byte less than" tricks: no false negatives).
/// Whether two names are equal, lengths first: what `==` is, without the out-of-line
/// comparison calls opt-level "z" makes of it for every key of every record (as
/// `RawServer::key`, which this reader's lookup is).
#[inline(always)]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes() == b.as_bytes()
}

#[inline(always)]
fn needs_attention(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let quote = has_zero(word ^ (ONES * u64::from(b'"')));
    let backslash = has_zero(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    quote | backslash | control != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eight_byte_scan_stops_at_every_special_byte() {
        for special in [b'"', b'\\', 0u8, 0x1f] {
            for at in 0..8 {
                let mut word = *b"abcdefgh";
                word[at] = special;
                assert!(
                    needs_attention(u64::from_le_bytes(word)),
                    "byte {special} at {at}"
                );
            }
        }
        assert!(!needs_attention(u64::from_le_bytes(*b"pl \xc3\xa9!ok")));
        assert!(!needs_attention(u64::from_le_bytes([
            0x20, 0x7f, 0x80, 0xff, b'~', b'#', b'!', b'A'
        ])));
    }

    #[test]
    fn reads_strings_with_escapes() {
        let mut r = Reader::new(r#""a\"b\u00e9\ud83d\ude00""#);
        assert_eq!(r.string().unwrap(), "a\"bé😀");
        let mut r = Reader::new(r#""\ud800x\udc00\ud800\u0041""#);
        assert_eq!(
            r.string().unwrap(),
            "\u{fffd}x\u{fffd}\u{fffd}A",
            "lone surrogates, as JSON.stringify writes them"
        );
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        let text = "[".repeat(100_000);
        let err = Reader::new(&text).skip_value().unwrap_err();
        assert_eq!(
            err.to_string(),
            "JSON nested deeper than 128 levels at byte 128"
        );
    }

    #[test]
    fn says_where_json_breaks() {
        let err = Reader::new("{\"a\": tru}").skip_value().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid JSON at byte 6: expected a JSON value, found \"tru}\""
        );
    }
}
