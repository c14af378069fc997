//! The reader behind [`Raw::read`]: JSON text to a [`Raw`] tree, numbers as written.
//!
//! Written by hand: serde_json keeps a number's text only under its
//! `arbitrary_precision` feature, and that feature would change how every
//! `serde_json::Value` of a user's crates holds numbers (and how serde buffers them in
//! untagged enums). No maintained crate reads JSON into a borrowing tree that keeps
//! numbers as written and refuses repeated keys. This reader only says *that* the text
//! is not JSON; serde_json describes where and why ([`Raw::read`] asks it).

use super::{earlier, Raw, RawArray, RawObject};
use std::borrow::Cow;

/// serde_json's recursion limit: containers nested this deep are refused.
const MAX_DEPTH: usize = 128;

/// Why a text was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not JSON: serde_json says why.
    Syntax,
    /// Arrays and objects nested deeper than serde_json reads (127).
    TooDeep,
    /// A key repeated in one object (the text policy).
    Duplicate(String),
    /// A number no 64-bit float or 28-digit decimal holds (the text policy).
    OutOfRange(String),
}

/// What the reader does with what the text policy refuses.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Refuse it.
    Strict,
    /// Read it as serde_json does: the last of two repeated keys wins (in the
    /// first one's place), a number out of range is kept as written.
    Lenient,
}

/// Reads `text` as one JSON value.
pub fn read(text: &str, policy: Policy) -> Result<Raw<'_>, Refusal> {
    read_nested(text, policy).map(|(value, _)| value)
}

/// Reads `text` as one JSON value, with the depth of its deepest array or object
/// (0 for a scalar, 1 for `[]`).
pub fn read_nested(text: &str, policy: Policy) -> Result<(Raw<'_>, usize), Refusal> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        policy,
        deepest: 0,
    };
    let mut value = Raw::Null;
    reader.value(0, &mut value)?;
    reader.skip_whitespace();
    if reader.pos == reader.bytes.len() {
        Ok((value, reader.deepest))
    } else {
        Err(Refusal::Syntax)
    }
}

/// The depth of the deepest array or object in `bytes`, JSON text already read
/// whole (by serde_json): brackets are counted outside strings, nothing is built.
pub fn nesting(bytes: &[u8]) -> usize {
    let mut reader = Reader {
        text: "",
        bytes,
        pos: 0,
        policy: Policy::Lenient,
        deepest: 0,
    };
    let mut depth = 0usize;
    while let Some(&byte) = reader.bytes.get(reader.pos) {
        reader.pos += 1;
        match byte {
            b'[' | b'{' => {
                depth += 1;
                reader.deepest = reader.deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => loop {
                reader.skip_plain();
                match reader.bytes.get(reader.pos) {
                    Some(b'"') | None => {
                        reader.pos += 1;
                        break;
                    }
                    Some(b'\\') => reader.pos += 2,
                    Some(_) => reader.pos += 1,
                }
            },
            _ => {}
        }
    }
    reader.deepest
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    policy: Policy,
    /// The depth of the deepest array or object read so far.
    deepest: usize,
}

impl<'a> Reader<'a> {
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Steps over `byte` after whitespace, or refuses.
    fn expect(&mut self, byte: u8) -> Result<(), Refusal> {
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Refusal::Syntax)
        }
    }

    /// Reads one value into `slot`: the place it takes in its array or object.
    // Written in place rather than returned: a value returned through memory from
    // this recursive call, then moved into its container, cost a stall per value.
    fn value(&mut self, depth: usize, slot: &mut Raw<'a>) -> Result<(), Refusal> {
        self.skip_whitespace();
        *slot = match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth + 1)?,
            Some(b'[') => self.array(depth + 1)?,
            Some(b'"') => Raw::Str(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal("true", Raw::Bool(true))?,
            Some(b'f') => self.literal("false", Raw::Bool(false))?,
            Some(b'n') => self.literal("null", Raw::Null)?,
            _ => return Err(Refusal::Syntax),
        };
        Ok(())
    }

    fn literal(&mut self, word: &str, value: Raw<'a>) -> Result<Raw<'a>, Refusal> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(Refusal::Syntax)
        }
    }

    fn array(&mut self, depth: usize) -> Result<Raw<'a>, Refusal> {
        if depth >= MAX_DEPTH {
            return Err(Refusal::TooDeep);
        }
        self.deepest = self.deepest.max(depth);
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Raw::Array(RawArray(items)));
        }
        loop {
            items.push(Raw::Null);
            let last = items.len() - 1;
            self.value(depth, &mut items[last])?;
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Raw::Array(RawArray(items)));
                }
                _ => return Err(Refusal::Syntax),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Raw<'a>, Refusal> {
        if depth >= MAX_DEPTH {
            return Err(Refusal::TooDeep);
        }
        self.deepest = self.deepest.max(depth);
        self.pos += 1;
        let mut members: Vec<(Cow<'a, str>, Raw<'a>)> = Vec::new();
        let mut seen = None;
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Raw::Object(RawObject(members)));
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(Refusal::Syntax);
            }
            let key = self.string()?;
            self.expect(b':')?;
            members.push((key, Raw::Null));
            let last = members.len() - 1;
            self.value(depth, &mut members[last].1)?;
            let (before, new) = members.split_at(last);
            if let Some(at) = earlier(before, &mut seen, &new[0].0) {
                if self.policy == Policy::Strict {
                    return Err(Refusal::Duplicate(members[last].0.to_string()));
                }
                members[at].1 = std::mem::take(&mut members[last].1);
                members.truncate(last);
            }
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Raw::Object(RawObject(members)));
                }
                _ => return Err(Refusal::Syntax),
            }
        }
    }

    /// A number as written: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<Raw<'a>, Refusal> {
        let start = self.pos;
        if self.bytes[self.pos] == b'-' {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(Refusal::Syntax),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            self.at_least_one_digit()?;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            self.at_least_one_digit()?;
        }
        let text = &self.text[start..self.pos];
        if self.policy == Policy::Strict && bankschema_rules::decimal::out_of_range(text) {
            return Err(Refusal::OutOfRange(text.to_owned()));
        }
        Ok(Raw::Number(Cow::Borrowed(text)))
    }

    fn digits(&mut self) {
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    fn at_least_one_digit(&mut self) -> Result<(), Refusal> {
        if !self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            return Err(Refusal::Syntax);
        }
        self.digits();
        Ok(())
    }

    /// Steps to the next quote, backslash or control character of a string, eight
    /// bytes at a time (as serde_json's own reader does).
    fn skip_plain(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        while let Some(chunk) = self.bytes.get(self.pos..self.pos + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let word = u64::from_le_bytes(word);
            let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
            let found = zero(word ^ (ONES * u64::from(b'"')))
                | zero(word ^ (ONES * u64::from(b'\\')))
                | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
            if found != 0 {
                self.pos += (found.trailing_zeros() / 8) as usize;
                return;
            }
            self.pos += 8;
        }
    }

    /// A string's contents, borrowed when nothing in it is escaped.
    // Inlined, its common case a borrow: the caller builds the `Cow` in place.
    // Returned through memory from a call, it cost a stall per string read.
    #[inline(always)]
    fn string(&mut self) -> Result<Cow<'a, str>, Refusal> {
        let start = self.pos + 1;
        match self.plain() {
            Some(text) => Ok(Cow::Borrowed(text)),
            None => self.escaped(start),
        }
    }

    /// A string without escapes, after its opening quote: its contents, and the
    /// reader after its closing quote. `None`, the reader at what stopped it
    /// otherwise.
    fn plain(&mut self) -> Option<&'a str> {
        self.pos += 1;
        let start = self.pos;
        self.skip_plain();
        loop {
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    let text = &self.text[start..self.pos];
                    self.pos += 1;
                    return Some(text);
                }
                Some(b'\\' | 0..=0x1f) | None => return None,
                Some(_) => self.pos += 1,
            }
        }
    }

    /// The rest of a string that `plain` stopped in, started at `start`.
    #[cold]
    fn escaped(&mut self, start: usize) -> Result<Cow<'a, str>, Refusal> {
        if self.bytes.get(self.pos) != Some(&b'\\') {
            return Err(Refusal::Syntax);
        }
        let mut owned = String::from(&self.text[start..self.pos]);
        loop {
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut owned)?;
                }
                Some(0..=0x1f) | None => return Err(Refusal::Syntax),
                Some(_) => {
                    // Up to the next quote, escape or control character, at once.
                    let run = self.pos;
                    while self
                        .bytes
                        .get(self.pos)
                        .is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20)
                    {
                        self.pos += 1;
                    }
                    owned.push_str(&self.text[run..self.pos]);
                }
            }
        }
    }

    fn escape(&mut self, into: &mut String) -> Result<(), Refusal> {
        let byte = *self.bytes.get(self.pos).ok_or(Refusal::Syntax)?;
        self.pos += 1;
        let c = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode()?,
            _ => return Err(Refusal::Syntax),
        };
        into.push(c);
        Ok(())
    }

    /// The character of a `\u` escape (after the `u`); a surrogate half alone is
    /// refused, as serde_json refuses it.
    fn unicode(&mut self) -> Result<char, Refusal> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes[self.pos..].starts_with(b"\\u") {
                    return Err(Refusal::Syntax);
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(Refusal::Syntax);
                }
                0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(Refusal::Syntax),
            _ => u32::from(first),
        };
        char::from_u32(code).ok_or(Refusal::Syntax)
    }

    fn hex4(&mut self) -> Result<u16, Refusal> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or(Refusal::Syntax)?;
        self.pos += 4;
        u16::from_str_radix(digits, 16).map_err(|_| Refusal::Syntax)
    }
}
