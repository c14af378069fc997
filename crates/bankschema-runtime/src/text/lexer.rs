//! The tokens of JSON text and the lexer that splits it into them, with their
//! byte ranges: what [`inspect`](super::inspect) and [`locate_all`](super::locate_all) walk.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Token {
    ObjectStart,
    ObjectEnd,
    ArrayStart,
    ArrayEnd,
    Colon,
    Comma,
    String,
    Number,
    Literal,
    /// Anything else: left for serde_json to report.
    Invalid,
}

/// Splits JSON text into tokens, with their byte ranges.
pub(super) struct Lexer<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) pos: usize,
}

impl Lexer<'_> {
    pub(super) fn next(&mut self) -> Option<(Token, Range<usize>)> {
        while self.pos < self.bytes.len()
            && matches!(self.bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r')
        {
            self.pos += 1;
        }
        let start = self.pos;
        let byte = *self.bytes.get(start)?;
        self.pos += 1;
        let token =
            match byte {
                b'{' => Token::ObjectStart,
                b'}' => Token::ObjectEnd,
                b'[' => Token::ArrayStart,
                b']' => Token::ArrayEnd,
                b':' => Token::Colon,
                b',' => Token::Comma,
                b'"' => {
                    while let Some(&b) = self.bytes.get(self.pos) {
                        self.pos += 1;
                        match b {
                            b'\\' => self.pos += 1,
                            b'"' => break,
                            _ => {}
                        }
                    }
                    self.pos = self.pos.min(self.bytes.len());
                    Token::String
                }
                b'-' | b'0'..=b'9' => {
                    while self.bytes.get(self.pos).is_some_and(|b| {
                        matches!(b, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                    }) {
                        self.pos += 1;
                    }
                    Token::Number
                }
                b't' | b'f' | b'n' => {
                    while self
                        .bytes
                        .get(self.pos)
                        .is_some_and(u8::is_ascii_alphabetic)
                    {
                        self.pos += 1;
                    }
                    Token::Literal
                }
                _ => Token::Invalid,
            };
        Some((token, start..self.pos))
    }
}
