//! One payload's diagnostics, each placed at line and column in the text as written.
//!
//! The verdict is the library's on the same bytes (`bankschema_validator::validate_with`,
//! or the MCP exchange check); this module
//! adds what only the text shows (byte-order mark, invalid UTF-8, duplicate keys,
//! nesting, numbers out of range, the size of the file) and the locations.

use bankschema_runtime::text;
use bankschema_validator::{Diagnostic, Kind, Report, Severity};
use std::collections::HashSet;
use std::ops::Range;

/// Limits on what one payload may be; each has a command-line flag.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Bytes per file (or per line with `--ndjson`).
    pub max_bytes: u64,
    /// Nesting of arrays and objects; serde_json itself reads at most 127 levels
    /// (its recursion limit of 128 counts one more).
    pub max_depth: usize,
}

pub const DEFAULT_LIMITS: Limits = Limits {
    max_bytes: 64 << 20,
    max_depth: 127,
};

/// A diagnostic and where its value stands in the text.
#[derive(Clone, Debug)]
pub struct Located {
    pub diagnostic: Diagnostic,
    pub line: usize,
    pub column: usize,
    /// The bytes of the offending value, for the marker under it.
    pub span: Range<usize>,
}

/// Every diagnostic of one payload, located in `bytes`: what the text shows, then
/// the report `validate` gives on the same text (without what the text scan said
/// already). However many there are, they are located in one pass over the text.
pub fn check(bytes: &[u8], limits: Limits, validate: &dyn Fn(&[u8]) -> Report) -> Vec<Located> {
    let mut found: Vec<(Diagnostic, Range<usize>)> = Vec::new();
    if bytes.is_empty() {
        return locate(
            bytes,
            vec![(
                error(
                    "",
                    Kind::Malformed,
                    "empty file: expected a JSON document".into(),
                ),
                0..0,
            )],
        );
    }
    let mut body = bytes;
    let mut shift = 0;
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        found.push((
            error(
                "",
                Kind::Malformed,
                "the text starts with a UTF-8 byte-order mark, which JSON (RFC 8259) does not allow"
                    .into(),
            ),
            0..3,
        ));
        body = rest;
        shift = 3;
    }
    if let Err(e) = std::str::from_utf8(body) {
        let at = shift + e.valid_up_to();
        found.push((
            error("", Kind::Malformed, format!("invalid UTF-8: {e}")),
            at..at + e.error_len().unwrap_or(1),
        ));
        return locate(bytes, found);
    }
    let (stop, refused, scanned) = scan_text(body, shift, limits, &mut found);
    if stop {
        return locate(bytes, found);
    }
    let mut diagnostics = validate(body).diagnostics;
    diagnostics.retain(|d| !scanned.contains(d) && !refused.contains(&d.instance_path));
    if diagnostics.iter().any(|d| d.kind == Kind::Malformed) {
        // Not JSON: serde_json's error, at its line and column (cold).
        if let Some(malformed) = malformed_json(body) {
            let mut located = locate(bytes, found);
            located.push(malformed);
            return located;
        }
    }
    let pointers: Vec<&str> = diagnostics
        .iter()
        .map(|d| d.instance_path.as_str())
        .collect();
    let spans = text::locate_all(body, &pointers);
    for (diagnostic, span) in diagnostics.into_iter().zip(spans) {
        let span = span.map_or(0..0, |r| r.start + shift..r.end + shift);
        found.push((diagnostic, span));
    }
    locate(bytes, found)
}

/// The text scan of `body` (`shift` bytes into the file), each finding pushed to
/// `found`: whether one stops the check, the values refused for their text, and
/// what the library's report repeats of the scan.
fn scan_text(
    body: &[u8],
    shift: usize,
    limits: Limits,
    found: &mut Vec<(Diagnostic, Range<usize>)>,
) -> (bool, HashSet<String>, HashSet<Diagnostic>) {
    let mut stop = false;
    // The values refused for their text: not judged again by the schema or a rule.
    let mut refused = HashSet::new();
    // What the library's report repeats of the text scan.
    let mut scanned = HashSet::new();
    for finding in text::inspect(body, limits.max_depth) {
        stop |= finding.stops();
        if let Some(pointer) = finding.refused() {
            refused.insert(pointer.to_owned());
        }
        let mut diagnostic = finding.diagnostic();
        scanned.insert(diagnostic.clone());
        if diagnostic.kind == Kind::Limit {
            diagnostic.message.push_str(" (--max-depth)");
        }
        let at = finding.at();
        found.push((diagnostic, at.start + shift..at.end + shift));
    }
    (stop, refused, scanned)
}

/// serde_json's error on `body`, at its line and column, when it is not JSON.
fn malformed_json(body: &[u8]) -> Option<Located> {
    let e = serde_json::from_slice::<serde_json::Value>(body).err()?;
    let message = e.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m);
    Some(Located {
        diagnostic: error("", Kind::Malformed, format!("malformed JSON: {message}")),
        line: e.line(),
        column: e.column(),
        span: 0..0,
    })
}

/// `judge`'s report on `bytes` read as a `serde_json::Value` (an MCP exchange is
/// checked on one), or that they are not JSON.
pub fn on_value(bytes: &[u8], judge: impl Fn(&serde_json::Value) -> Report) -> Report {
    match serde_json::from_slice(bytes) {
        Ok(value) => judge(&value),
        Err(e) => Report::new(vec![error(
            "",
            Kind::Malformed,
            format!("malformed JSON: {e}"),
        )]),
    }
}

/// Each diagnostic with the line and column its span starts at, found in one pass.
fn locate(bytes: &[u8], found: Vec<(Diagnostic, Range<usize>)>) -> Vec<Located> {
    let starts: Vec<usize> = found.iter().map(|(_, span)| span.start).collect();
    let positions = text::positions(bytes, &starts);
    found
        .into_iter()
        .zip(positions)
        .map(|((diagnostic, span), (line, column))| Located {
            diagnostic,
            line,
            column,
            span,
        })
        .collect()
}

/// Whether the text alone is beyond reproach: not empty, no byte-order mark, UTF-8,
/// no duplicate key, nesting within the limit, every number in range. Then a
/// verdict on the value is the whole verdict.
pub fn text_is_clean(bytes: &[u8], limits: Limits) -> bool {
    !bytes.is_empty()
        && !bytes.starts_with(b"\xEF\xBB\xBF")
        && std::str::from_utf8(bytes).is_ok()
        && text::inspect(bytes, limits.max_depth).is_empty()
}

/// Whether the text scan can refuse what the library accepts under `limits`: only
/// when `--max-depth` is below the library's own limit. The library's verdict
/// (`parse` and the full report alike, which a fuzz target holds to one) refuses
/// everything else the scan does: a byte-order mark, invalid UTF-8, a duplicate
/// key, a lone surrogate, a number out of range, nesting past
/// `text::MAX_DEPTH - 1` levels. So `--ndjson` takes `parse`'s one pass for a
/// line, scans its text only when this says so, and gives the full, located check
/// only to the lines refused.
pub fn scan_adds_to_parse(limits: Limits) -> bool {
    limits.max_depth < text::MAX_DEPTH - 1
}

/// A diagnostic about the file itself (it cannot be read, or is too big).
pub fn file_problem(kind: Kind, message: String) -> Located {
    Located {
        diagnostic: error("", kind, message),
        line: 1,
        column: 1,
        span: 0..0,
    }
}

fn error(instance_path: &str, kind: Kind, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        kind,
        instance_path: instance_path.to_owned(),
        schema_path: String::new(),
        rule: None,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_depth_is_the_librarys() {
        assert_eq!(DEFAULT_LIMITS.max_depth, text::MAX_DEPTH - 1);
        assert!(!scan_adds_to_parse(DEFAULT_LIMITS));
        let lower = Limits {
            max_depth: DEFAULT_LIMITS.max_depth - 1,
            ..DEFAULT_LIMITS
        };
        assert!(scan_adds_to_parse(lower));
    }
}
