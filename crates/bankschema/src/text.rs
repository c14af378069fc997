//! JSON text as written: where each value stands, and what serde_json accepts but a
//! payload should not hold.
//!
//! serde_json says where a syntax error is, but not where a valid document's values
//! are, and it silently takes the last of two duplicate keys. No maintained crate
//! maps JSON pointers to line and column in serde_json's number semantics, so this
//! small scanner is written by hand. It is iterative (no recursion), so a document
//! nested 100,000 deep cannot overflow the stack.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
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
struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn next(&mut self) -> Option<(Token, Range<usize>)> {
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

/// Something the text holds that serde_json would accept or mask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The second occurrence of a key in one object.
    DuplicateKey { key: String, at: Range<usize> },
    /// Containers nested deeper than the limit.
    TooDeep { limit: usize, at: Range<usize> },
    /// A number no 64-bit float or 28-digit decimal can hold, such as `1e400`.
    NumberOutOfRange { text: String, at: Range<usize> },
}

enum Frame {
    Object {
        keys: std::collections::HashSet<String>,
        key: Option<String>,
    },
    Array {
        index: usize,
    },
}

/// Walks the tokens, tracking the path of the value each one belongs to.
struct Walk<'a> {
    lexer: Lexer<'a>,
    stack: Vec<Frame>,
}

impl<'a> Walk<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Walk {
            lexer: Lexer { bytes, pos: 0 },
            stack: Vec::new(),
        }
    }

    fn key_text(&self, range: &Range<usize>) -> String {
        serde_json::from_slice::<String>(&self.lexer.bytes[range.clone()]).unwrap_or_else(|_| {
            String::from_utf8_lossy(&self.lexer.bytes[range.clone()]).into_owned()
        })
    }

    /// Whether the path of the value starting now equals `pointer`'s segments.
    fn at(&self, segments: &[String]) -> bool {
        self.stack.len() == segments.len()
            && self
                .stack
                .iter()
                .zip(segments)
                .all(|(frame, segment)| match frame {
                    Frame::Object { key, .. } => key.as_deref() == Some(segment.as_str()),
                    Frame::Array { index } => index.to_string() == *segment,
                })
    }
}

/// Scans `bytes` for what serde_json lets through: duplicate keys, nesting beyond
/// `max_depth`, numbers out of range. Syntax errors are not reported here.
pub fn inspect(bytes: &[u8], max_depth: usize) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut walk = Walk::new(bytes);
    let mut expect_key = false;
    while let Some((token, range)) = walk.lexer.next() {
        match token {
            Token::ObjectStart | Token::ArrayStart => {
                if walk.stack.len() >= max_depth {
                    findings.push(Finding::TooDeep {
                        limit: max_depth,
                        at: range,
                    });
                    return findings;
                }
                walk.stack.push(if token == Token::ObjectStart {
                    Frame::Object {
                        keys: Default::default(),
                        key: None,
                    }
                } else {
                    Frame::Array { index: 0 }
                });
                expect_key = token == Token::ObjectStart;
            }
            Token::ObjectEnd | Token::ArrayEnd => {
                walk.stack.pop();
                expect_key = false;
            }
            Token::Comma => match walk.stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { .. }) => expect_key = true,
                None => {}
            },
            Token::String if expect_key => {
                let key = walk.key_text(&range);
                if let Some(Frame::Object { keys, key: current }) = walk.stack.last_mut() {
                    if !keys.insert(key.clone()) {
                        findings.push(Finding::DuplicateKey {
                            key: key.clone(),
                            at: range,
                        });
                    }
                    *current = Some(key);
                }
                expect_key = false;
            }
            Token::Number => {
                let text = String::from_utf8_lossy(&bytes[range.clone()]).into_owned();
                if text.parse::<f64>().is_ok_and(f64::is_infinite) {
                    findings.push(Finding::NumberOutOfRange { text, at: range });
                }
            }
            _ => {}
        }
    }
    findings
}

/// The byte range of the value at `pointer` (RFC 6901), if the text has one.
pub fn locate(bytes: &[u8], pointer: &str) -> Option<Range<usize>> {
    let segments: Vec<String> = match pointer {
        "" => Vec::new(),
        _ => pointer
            .strip_prefix('/')?
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    };
    let mut walk = Walk::new(bytes);
    let mut expect_key = false;
    let mut start: Option<(usize, usize)> = None;
    while let Some((token, range)) = walk.lexer.next() {
        let value_start = matches!(
            token,
            Token::ObjectStart | Token::ArrayStart | Token::Number | Token::Literal
        ) || (token == Token::String && !expect_key);
        if value_start && start.is_none() && walk.at(&segments) {
            if matches!(token, Token::ObjectStart | Token::ArrayStart) {
                start = Some((range.start, walk.stack.len()));
            } else {
                return Some(range);
            }
        }
        match token {
            Token::ObjectStart | Token::ArrayStart => {
                walk.stack.push(if token == Token::ObjectStart {
                    Frame::Object {
                        keys: Default::default(),
                        key: None,
                    }
                } else {
                    Frame::Array { index: 0 }
                });
                expect_key = token == Token::ObjectStart;
            }
            Token::ObjectEnd | Token::ArrayEnd => {
                walk.stack.pop();
                expect_key = false;
                if let Some((from, depth)) = start {
                    if walk.stack.len() == depth {
                        return Some(from..range.end);
                    }
                }
            }
            Token::Comma => match walk.stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { .. }) => expect_key = true,
                None => {}
            },
            Token::String if expect_key => {
                let key = walk.key_text(&range);
                if let Some(Frame::Object { key: current, .. }) = walk.stack.last_mut() {
                    *current = Some(key);
                }
                expect_key = false;
            }
            _ => {}
        }
    }
    start.map(|(from, _)| from..bytes.len())
}

/// Line and column (1-based; the column counts characters) of byte `offset`.
pub fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"items\": [\n    {\"id\": \"a\", \"n\": [1, {\"x\": true}]},\n    {\"id\": \"b\\\"\", \"a/b\": null}\n  ]\n}";

    fn found(pointer: &str) -> Option<&'static str> {
        locate(TEXT.as_bytes(), pointer).map(|r| &TEXT[r])
    }

    #[test]
    fn locates_values_by_pointer() {
        assert_eq!(found(""), Some(TEXT));
        assert_eq!(found("/items/0/id"), Some("\"a\""));
        assert_eq!(found("/items/0/n/1"), Some("{\"x\": true}"));
        assert_eq!(found("/items/0/n/1/x"), Some("true"));
        assert_eq!(found("/items/1/id"), Some("\"b\\\"\""));
        assert_eq!(found("/items/1/a~1b"), Some("null"));
        assert_eq!(found("/items/2"), None);
        assert_eq!(found("/items/1/id"), Some("\"b\\\"\""));
        let (line, column) = line_column(
            TEXT.as_bytes(),
            locate(TEXT.as_bytes(), "/items/1/a~1b").unwrap().start,
        );
        assert_eq!((line, column), (4, 26));
    }

    #[test]
    fn finds_duplicates_depth_and_range() {
        let findings = inspect(br#"{"a": 1, "b": [1e400, {"a": 2}], "a": 3}"#, 64);
        assert_eq!(
            findings,
            [
                Finding::NumberOutOfRange {
                    text: "1e400".into(),
                    at: 15..20
                },
                Finding::DuplicateKey {
                    key: "a".into(),
                    at: 33..36
                },
            ]
        );
        let deep = "[".repeat(100_000);
        assert_eq!(
            inspect(deep.as_bytes(), 64),
            [Finding::TooDeep {
                limit: 64,
                at: 64..65
            }]
        );
    }
}
