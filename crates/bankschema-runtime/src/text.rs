//! JSON text as written: where each value stands, and what serde_json accepts but a
//! payload should not hold.
//!
//! The one text policy of every path (the library's `validate`, `parse` and
//! deserialisation, the command line's `validate`, `check` and `roundtrip`):
//! a duplicate key, a lone surrogate and a number beyond any 64-bit float are
//! refused, each with the diagnostic [`Finding::diagnostic`] gives at the value's
//! pointer.
//!
//! serde_json says where a syntax error is, but not where a valid document's values
//! are, and it silently takes the last of two duplicate keys. No maintained crate
//! maps JSON pointers to line and column in serde_json's number semantics, so this
//! small scanner is written by hand. It is iterative (no recursion), so a document
//! nested 100,000 deep cannot overflow the stack.

use crate::{Diagnostic, Kind, Severity};
use bankschema_rules::pointer::escape;
use bankschema_rules::redact::shorten;
use std::ops::Range;

mod lexer;
mod locate;

use lexer::{Lexer, Token};
pub use locate::{locate_all, positions};

/// Something the text holds that serde_json would accept or mask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The second occurrence of a key in one object; `pointer` is the member's.
    DuplicateKey {
        key: String,
        pointer: String,
        at: Range<usize>,
    },
    /// Containers nested deeper than the limit; `pointer` is the deepest one's.
    TooDeep {
        limit: usize,
        pointer: String,
        at: Range<usize>,
    },
    /// A number no 64-bit float or 28-digit decimal can hold, such as `1e400`.
    NumberOutOfRange {
        text: String,
        pointer: String,
        at: Range<usize>,
    },
    /// A string (or key) escaping half of a UTF-16 surrogate pair alone, such as
    /// `"\ud800"`: no Unicode text holds it, and readers disagree on what to make
    /// of it.
    LoneSurrogate {
        escape: String,
        pointer: String,
        at: Range<usize>,
    },
    /// The scan stopped listing at [`MAX_FINDINGS`] findings or [`POINTER_BUDGET`]
    /// bytes of pointers (a hostile text can hold millions of refusals, each
    /// under a long key): `at` is where it stopped.
    Truncated { listed: usize, at: Range<usize> },
}

/// The most findings one scan lists (the command line locates 100,000 duplicate
/// keys in one pass; the pointer budget is what bounds memory).
pub const MAX_FINDINGS: usize = 100_000;

/// The most bytes of pointers one scan's findings hold together.
pub const POINTER_BUDGET: usize = 1 << 20;

impl Finding {
    /// The diagnostic every report gives for it, at the value's pointer.
    pub fn diagnostic(&self) -> Diagnostic {
        let (pointer, kind, message) = match self {
            Finding::DuplicateKey { key, pointer, .. } => (
                pointer,
                Kind::Malformed,
                format!(
                    "duplicate key `{}`: readers disagree on which value counts",
                    shorten(key)
                ),
            ),
            Finding::TooDeep { limit, pointer, .. } => (
                pointer,
                Kind::Limit,
                format!("nested deeper than {limit} arrays and objects"),
            ),
            Finding::NumberOutOfRange { text, pointer, .. } => (
                pointer,
                Kind::Malformed,
                format!(
                    "number {} is out of range: no 64-bit float or decimal holds it",
                    shorten(text)
                ),
            ),
            Finding::Truncated { listed, .. } => (
                &String::new(),
                Kind::Malformed,
                format!("the text holds more problems than are listed (the first {listed})"),
            ),
            Finding::LoneSurrogate {
                escape, pointer, ..
            } => (
                pointer,
                Kind::Malformed,
                format!(
                    "lone surrogate `{escape}`: half of a UTF-16 pair, which no Unicode text holds"
                ),
            ),
        };
        Diagnostic {
            severity: Severity::Error,
            kind,
            instance_path: pointer.clone(),
            schema_path: String::new(),
            rule: None,
            message,
        }
    }

    /// The pointer of the value it is about (`""` for [`Finding::Truncated`]).
    pub fn pointer(&self) -> &str {
        match self {
            Finding::DuplicateKey { pointer, .. }
            | Finding::TooDeep { pointer, .. }
            | Finding::NumberOutOfRange { pointer, .. }
            | Finding::LoneSurrogate { pointer, .. } => pointer,
            Finding::Truncated { .. } => "",
        }
    }

    /// Where in the text it is.
    pub fn at(&self) -> Range<usize> {
        match self {
            Finding::DuplicateKey { at, .. }
            | Finding::TooDeep { at, .. }
            | Finding::NumberOutOfRange { at, .. }
            | Finding::LoneSurrogate { at, .. }
            | Finding::Truncated { at, .. } => at.clone(),
        }
    }

    /// Whether no value can be read after it (serde_json refuses the whole text):
    /// nothing else is judged.
    pub fn stops(&self) -> bool {
        matches!(
            self,
            Finding::TooDeep { .. } | Finding::LoneSurrogate { .. }
        )
    }

    /// The pointer of a value refused for its text, which nothing judges again.
    pub fn refused(&self) -> Option<&str> {
        match self {
            Finding::NumberOutOfRange { pointer, .. } => Some(pointer),
            _ => None,
        }
    }
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

    /// The pointer of the value the walk is at (the member or item being read).
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for frame in &self.stack {
            pointer.push('/');
            match frame {
                Frame::Object { key, .. } => {
                    pointer.push_str(&escape(key.as_deref().unwrap_or_default()))
                }
                Frame::Array { index } => pointer.push_str(&index.to_string()),
            }
        }
        pointer
    }

    /// A key's text; one no string holds (a lone surrogate) as written, unquoted.
    fn key_text(&self, range: &Range<usize>) -> String {
        let token = &self.lexer.bytes[range.clone()];
        serde_json::from_slice::<String>(token).unwrap_or_else(|_| {
            let inner = token.strip_prefix(b"\"").unwrap_or(token);
            let inner = inner.strip_suffix(b"\"").unwrap_or(inner);
            String::from_utf8_lossy(inner).into_owned()
        })
    }

    /// Enters the container `token` opens at `range`; [`Finding::TooDeep`] instead
    /// when the walk is `max_depth` deep already.
    fn open(&mut self, token: Token, range: Range<usize>, max_depth: usize) -> Option<Finding> {
        if self.stack.len() >= max_depth {
            return Some(Finding::TooDeep {
                limit: max_depth,
                pointer: self.pointer(),
                at: range,
            });
        }
        self.stack.push(if token == Token::ObjectStart {
            Frame::Object {
                keys: Default::default(),
                key: None,
            }
        } else {
            Frame::Array { index: 0 }
        });
        None
    }

    /// Reads the key at `range` into the object being read: a repeated key and a
    /// lone surrogate in it are added to `findings`.
    fn key(&mut self, range: Range<usize>, findings: &mut Vec<Finding>) {
        let key = self.key_text(&range);
        let mut duplicate = false;
        if let Some(Frame::Object { keys, key: current }) = self.stack.last_mut() {
            duplicate = !keys.insert(key.clone());
            *current = Some(key.clone());
        }
        if duplicate {
            findings.push(Finding::DuplicateKey {
                key,
                pointer: self.pointer(),
                at: range.clone(),
            });
        }
        self.string(range, findings);
    }

    /// Adds a lone surrogate in the string at `range` to `findings`.
    fn string(&self, range: Range<usize>, findings: &mut Vec<Finding>) {
        if let Some(escape) = lone_surrogate(&self.lexer.bytes[range.clone()]) {
            findings.push(Finding::LoneSurrogate {
                escape,
                pointer: self.pointer(),
                at: range,
            });
        }
    }

    /// Adds the number at `range` to `findings` when it is out of range.
    fn number(&self, range: Range<usize>, findings: &mut Vec<Finding>) {
        let text = String::from_utf8_lossy(&self.lexer.bytes[range.clone()]).into_owned();
        if bankschema_rules::decimal::out_of_range(&text) {
            findings.push(Finding::NumberOutOfRange {
                text,
                pointer: self.pointer(),
                at: range,
            });
        }
    }
}

/// The nesting serde_json reads (its recursion limit): the library's reports
/// stop there.
pub const MAX_DEPTH: usize = 128;

/// Scans `bytes` for what serde_json lets through: duplicate keys, nesting beyond
/// `max_depth`, numbers out of range. Syntax errors are not reported here.
pub fn inspect(bytes: &[u8], max_depth: usize) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    let mut walk = Walk::new(bytes);
    let mut expect_key = false;
    let (mut counted, mut pointer_bytes) = (0, 0);
    while let Some((token, range)) = walk.lexer.next() {
        for finding in &findings[counted..] {
            pointer_bytes += finding.pointer().len();
        }
        counted = findings.len();
        if counted >= MAX_FINDINGS || pointer_bytes >= POINTER_BUDGET {
            findings.push(Finding::Truncated {
                listed: counted,
                at: range,
            });
            return findings;
        }
        match token {
            Token::ObjectStart | Token::ArrayStart => {
                if let Some(too_deep) = walk.open(token, range, max_depth) {
                    findings.push(too_deep);
                    return findings;
                }
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
                walk.key(range, &mut findings);
                expect_key = false;
            }
            Token::String => walk.string(range, &mut findings),
            Token::Number => walk.number(range, &mut findings),
            _ => {}
        }
    }
    findings
}

/// The first `\uXXXX` escape of a string token that is half a surrogate pair
/// alone, as written.
fn lone_surrogate(token: &[u8]) -> Option<String> {
    let unit = |at: usize| -> Option<u16> {
        let hex = token.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let mut i = 0;
    while i + 1 < token.len() {
        if token[i] != b'\\' {
            i += 1;
            continue;
        }
        if token[i + 1] != b'u' {
            i += 2;
            continue;
        }
        let Some(first) = unit(i + 2) else {
            i += 2;
            continue;
        };
        let written = || String::from_utf8_lossy(&token[i..i + 6]).into_owned();
        match first {
            0xD800..=0xDBFF => {
                let low = (token.get(i + 6) == Some(&b'\\') && token.get(i + 7) == Some(&b'u'))
                    .then(|| unit(i + 8))
                    .flatten();
                match low {
                    Some(0xDC00..=0xDFFF) => i += 12,
                    _ => return Some(written()),
                }
            }
            0xDC00..=0xDFFF => return Some(written()),
            _ => i += 6,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"items\": [\n    {\"id\": \"a\", \"n\": [1, {\"x\": true}]},\n    {\"id\": \"b\\\"\", \"a/b\": null}\n  ]\n}";

    fn locate(bytes: &[u8], pointer: &str) -> Option<Range<usize>> {
        locate_all(bytes, &[pointer]).pop().flatten()
    }

    fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
        positions(bytes, &[offset])[0]
    }

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
    fn locates_many_pointers_in_one_pass_as_one_by_one() {
        let pointers = [
            "",
            "/items/0/id",
            "/items/0/n/1",
            "/items/0/n/1/x",
            "/items/1/id",
            "/items/1/a~1b",
            "/items/2",
            "/items/0/id",
            "no-slash",
        ];
        let all = locate_all(TEXT.as_bytes(), &pointers);
        for (pointer, range) in pointers.iter().zip(&all) {
            assert_eq!(*range, locate(TEXT.as_bytes(), pointer), "{pointer}");
        }
        assert_eq!(all[8], None, "not a pointer");
        let offsets: Vec<usize> = all.iter().flatten().map(|r| r.start).rev().collect();
        let batch = positions(TEXT.as_bytes(), &offsets);
        for (offset, position) in offsets.iter().zip(batch) {
            assert_eq!(position, line_column(TEXT.as_bytes(), *offset));
        }
        assert_eq!(
            positions("é\nab".as_bytes(), &[4, 2, 0]),
            [(2, 2), (1, 2), (1, 1)]
        );
    }

    #[test]
    fn finds_lone_surrogates_where_they_stand() {
        let text = br#"{"a": "\ud83d\ude00 ok", "b": ["x\ud800"], "\udc00": 1, "c": "\\ud800"}"#;
        let found: Vec<(String, String)> = inspect(text, 64)
            .into_iter()
            .map(|f| match f {
                Finding::LoneSurrogate {
                    escape, pointer, ..
                } => (escape, pointer),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            found,
            [
                ("\\ud800".to_owned(), "/b/0".to_owned()),
                ("\\udc00".to_owned(), "/\\udc00".to_owned()),
            ]
        );
    }

    #[test]
    fn finds_duplicates_depth_and_range() {
        let findings = inspect(br#"{"a": 1, "b": [1e400, {"a": 2}], "a": 3}"#, 64);
        assert_eq!(
            findings,
            [
                Finding::NumberOutOfRange {
                    text: "1e400".into(),
                    pointer: "/b/0".into(),
                    at: 15..20
                },
                Finding::DuplicateKey {
                    key: "a".into(),
                    pointer: "/a".into(),
                    at: 33..36
                },
            ]
        );
        let deep = "[".repeat(100_000);
        assert_eq!(
            inspect(deep.as_bytes(), 64),
            [Finding::TooDeep {
                limit: 64,
                pointer: "/0".repeat(64),
                at: 64..65
            }]
        );
    }

    #[test]
    fn a_text_of_millions_of_refusals_lists_a_bounded_number() {
        let long_key = "k".repeat(100_000);
        let members: Vec<String> = (0..200).map(|_| format!("\"{long_key}\": 1")).collect();
        let text = format!("{{{}}}", members.join(","));
        let findings = inspect(text.as_bytes(), 64);
        // About 1 MiB of pointers (each 100 kB long), then the marker.
        assert!(findings.len() <= 12, "{}", findings.len());
        assert!(matches!(findings.last(), Some(Finding::Truncated { .. })));
        // 5,000 refused numbers under a 2,000-byte key: about 1 MiB of pointers.
        let many = vec!["1e400"; 5_000].join(",");
        let text = format!("{{\"{}\": [{many}]}}", "k".repeat(2_000));
        let findings = inspect(text.as_bytes(), 64);
        let listed = findings.len() - 1;
        assert!((500..600).contains(&listed), "{listed}");
        let last = findings[listed].diagnostic();
        assert!(
            last.message.contains(&format!("the first {listed}")),
            "{}",
            last.message
        );
    }
}
