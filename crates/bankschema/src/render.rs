//! The three output formats of `bankschema validate`.

use crate::check::Located;
// Shared with the library's reports, which land in logs too.
use bankschema_rules::redact::hidden;
pub use bankschema_rules::redact::printable;
use bankschema_validator::{SchemaId, Severity};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// One checked file (or `--ndjson` line) and its diagnostics.
pub struct FileResult {
    pub path: String,
    /// The line of the file `bytes` starts on (not 1 for an `--ndjson` line).
    pub first_line: usize,
    /// The text, for quoting the offending line; empty when it could not be read.
    pub bytes: Vec<u8>,
    pub diagnostics: Vec<Located>,
}

impl FileResult {
    /// Valid exactly when no diagnostic is an error; warnings alone leave it valid.
    pub fn valid(&self) -> bool {
        !self
            .diagnostics
            .iter()
            .any(|d| d.diagnostic.severity == Severity::Error)
    }
}

/// One file of the JSON format: `{"path", "valid", "diagnostics": [...]}`, keys
/// camelCase; the whole output is `{"files": [...]}` of these.
pub fn json_file(file: &FileResult) -> Value {
    let diagnostics: Vec<Value> = file
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "severity": d.diagnostic.severity,
                "kind": d.diagnostic.kind,
                "instancePath": d.diagnostic.instance_path,
                "schemaPath": d.diagnostic.schema_path,
                "rule": d.diagnostic.rule,
                "message": d.diagnostic.message,
                "line": d.line,
                "column": d.column,
            })
        })
        .collect();
    json!({"path": file.path, "valid": file.valid(), "diagnostics": diagnostics})
}

/// GitHub Actions workflow commands: one `::error` or `::warning` line each.
pub fn github(file: &FileResult) -> String {
    let mut out = String::new();
    for d in &file.diagnostics {
        let level = match d.diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let at = if d.diagnostic.instance_path.is_empty() {
            ""
        } else {
            d.diagnostic.instance_path.as_str()
        };
        let message = if at.is_empty() {
            d.diagnostic.message.clone()
        } else {
            format!("{at}: {}", d.diagnostic.message)
        };
        let title = d.diagnostic.rule.as_deref().unwrap_or("bankschema");
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&printable(&file.path)),
            d.line,
            d.column,
            escape_property(&printable(title)),
            escape_data(&printable(&message))
        );
    }
    out
}

/// Text for a workflow command's message: `%`, CR and LF escaped, so it cannot end
/// the command or start another.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Text for a workflow command's property: also `:` and `,`, which end it.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// rustc-style blocks: the message, `file:line:column`, the line quoted with a
/// marker under the value, the pointers, and a hint from the schema where one helps.
/// `schema` is the schema id and its JSON Schema the payload was checked against,
/// when it was (not for schema sources or unreadable files).
/// Unless `show_values`, card numbers, IBANs and long values in the quoted line are
/// masked as the messages mask them.
pub fn human(file: &FileResult, schema: Option<(SchemaId, &Value)>, show_values: bool) -> String {
    let mut out = String::new();
    for d in &file.diagnostics {
        let level = match d.diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let rule = d
            .diagnostic
            .rule
            .as_deref()
            .map(|r| format!("[{r}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{level}{}: {}",
            printable(&rule),
            printable(&d.diagnostic.message)
        );
        let _ = writeln!(
            out,
            "  --> {}:{}:{}",
            printable(&file.path),
            d.line,
            d.column
        );
        if let Some((number, text, marker)) = quote_line(file, d, show_values) {
            let width = number.to_string().len();
            let _ = writeln!(out, "{:width$} |", "");
            let _ = writeln!(out, "{number} | {}", printable(&text));
            let _ = writeln!(out, "{:width$} | {marker}", "");
        }
        let at = if d.diagnostic.instance_path.is_empty() {
            "(root)"
        } else {
            &d.diagnostic.instance_path
        };
        match schema {
            Some((id, schema)) if !d.diagnostic.schema_path.is_empty() => {
                let _ = writeln!(
                    out,
                    "  = at {}, by {id}#{}",
                    printable(at),
                    printable(&d.diagnostic.schema_path)
                );
                if let Some(hint) = hint(schema, &d.diagnostic.schema_path) {
                    let _ = writeln!(out, "  = hint: {}", printable(&hint));
                }
            }
            _ if !d.diagnostic.instance_path.is_empty() => {
                let _ = writeln!(out, "  = at {}", printable(at));
            }
            _ => {}
        }
        out.push('\n');
    }
    out
}

/// The line holding the value, and `^^^` under it (to the end of the line for a
/// value spanning several). Only a window of the line around the value is quoted,
/// marked `…` where cut: however long the line (a minified payload is one line)
/// and however many diagnostics it holds, each quote reads a few hundred bytes.
fn quote_line(
    file: &FileResult,
    d: &Located,
    show_values: bool,
) -> Option<(usize, String, String)> {
    let bytes = &file.bytes;
    if bytes.is_empty() || d.line < file.first_line {
        return None;
    }
    let start = if d.span.is_empty() {
        // A syntax error has no span, only its line and column.
        offset_of(bytes, d.line - file.first_line, d.column)
    } else {
        d.span.start
    }
    .min(bytes.len());
    let (from, line_start, until, line_end) = window(bytes, start);
    let cut_before = line_start == from && from > 0 && bytes[from - 1] != b'\n';
    let cut_after = line_end == until && until < bytes.len() && bytes[until] != b'\n';
    // Before the value, the value's first line, after it: masked each on its own,
    // so that the marker stays under the value.
    let value_end = bytes[start..line_end]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(line_end, |i| start + i)
        .min(d.span.end.max(start));
    let shown = |range: std::ops::Range<usize>| {
        let text = String::from_utf8_lossy(&bytes[range]).into_owned();
        if show_values {
            text
        } else {
            mask(&text)
        }
    };
    let (before_text, value_text, after_text) = (
        shown(line_start..start),
        shown(start..value_end),
        shown(value_end..line_end),
    );
    let after_text = after_text.trim_end_matches('\r');
    let (before, after) = (
        if cut_before { "…" } else { "" },
        if cut_after { "…" } else { "" },
    );
    let column = before.chars().count() + before_text.chars().count();
    let length = value_text.chars().count().max(1);
    Some((
        d.line,
        format!("{before}{before_text}{value_text}{after_text}{after}"),
        format!("{}{}", " ".repeat(column), "^".repeat(length)),
    ))
}

/// The window of `bytes` quoted around `start`: its edges (`from`, `until`) and
/// the edges of the line within it (`line_start`, `line_end`).
fn window(bytes: &[u8], start: usize) -> (usize, usize, usize, usize) {
    const BEFORE: usize = 80;
    const AFTER: usize = 160;
    let boundary = |mut i: usize, forward: bool| {
        while i > 0 && i < bytes.len() && bytes[i] & 0xC0 == 0x80 {
            i = if forward { i + 1 } else { i - 1 };
        }
        i
    };
    // A window's edges never cut a run of letters and digits (a card number cut in
    // two would show too many of its digits to be masked by its looks).
    let grouping = |b: u8| b.is_ascii_alphanumeric() || b == b' ' || b == b'-';
    let mut from = start.saturating_sub(BEFORE);
    let mut extended = 0;
    while from > 0 && grouping(bytes[from - 1]) && extended < 64 {
        from -= 1;
        extended += 1;
    }
    let from = boundary(from, true);
    let line_start = bytes[from..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(from, |i| from + i + 1);
    let mut until = (start + AFTER).min(bytes.len());
    let mut extended = 0;
    while until < bytes.len() && grouping(bytes[until]) && extended < 64 {
        until += 1;
        extended += 1;
    }
    let until = boundary(until, false);
    let line_end = bytes[start..until]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(until, |i| start + i);
    (from, line_start, until, line_end)
}

/// Quoted text with what looks like a card number or an IBAN masked, and any run
/// of text longer than a report shows whole shortened, as messages are: a quoted
/// line must not show what the message beside it hides. Looks are enough here (the
/// quote is of raw text, where no rule says which value is which); masking too much
/// in a quote costs nothing.
fn mask(text: &str) -> String {
    shorten_runs(&mask_secrets(text))
}

/// What looks like an IBAN or a card number, masked.
fn mask_secrets(text: &str) -> String {
    use bankschema_rules::redact::Secret;
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        // An IBAN: two letters, two digits, then letters and digits (grouped by
        // single spaces), 15 or more in all.
        let iban_start = starts_word
            && chars.len() >= i + 4
            && chars[i..i + 2].iter().all(char::is_ascii_uppercase)
            && chars[i + 2..i + 4].iter().all(char::is_ascii_digit);
        if iban_start {
            let mut end = i;
            while end < chars.len()
                && (chars[end].is_ascii_uppercase()
                    || chars[end].is_ascii_digit()
                    || (chars[end] == ' '
                        && chars.get(end + 1).is_some_and(char::is_ascii_alphanumeric)))
            {
                end += 1;
            }
            let run: String = chars[i..end].iter().collect();
            if run.chars().filter(char::is_ascii_alphanumeric).count() >= 15 {
                out.push_str(&Secret::Iban.mask(&run));
                i = end;
                continue;
            }
        }
        // A card number: 12 or more digits, grouped by spaces or hyphens.
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let (mut end, mut last_digit) = (i, i);
            while end < chars.len()
                && (chars[end].is_ascii_digit() || chars[end] == ' ' || chars[end] == '-')
            {
                if chars[end].is_ascii_digit() {
                    last_digit = end;
                }
                end += 1;
            }
            let run: String = chars[i..=last_digit].iter().collect();
            if run.chars().filter(char::is_ascii_digit).count() >= 12 {
                out.push_str(&Secret::Pan.mask(&run));
                i = last_digit + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Each run of text between quotes (a string's text, escaped quotes and all) longer
/// than a report shows whole, shortened.
fn shorten_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let mut escaped = false;
    for c in text.chars() {
        if c == '"' && !escaped {
            out.push_str(&bankschema_rules::redact::shorten(&run));
            run.clear();
            out.push(c);
        } else {
            run.push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    out.push_str(&bankschema_rules::redact::shorten(&run));
    out
}

/// The byte offset of the `column`th character (1-based) of line `line` (0-based).
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => return bytes.len(),
        }
    }
    let skipped: usize = String::from_utf8_lossy(&bytes[start..])
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    (start + skipped).min(bytes.len())
}

/// What the keyword that failed allows, read from the schema itself.
fn hint(schema: &Value, schema_path: &str) -> Option<String> {
    let keyword = schema_path.rsplit('/').next()?;
    let value = schema.pointer(schema_path)?;
    match keyword {
        "enum" => {
            let allowed: Vec<String> = value.as_array()?.iter().map(Value::to_string).collect();
            Some(format!("allowed values: {}", allowed.join(", ")))
        }
        "pattern" => Some(format!("the value must match the pattern {value}")),
        "format" => Some(format!("the value must be a valid {value}")),
        "required" => Some(format!(
            "required properties: {}",
            value
                .as_array()?
                .iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        "additionalProperties" => {
            let parent = schema.pointer(schema_path.strip_suffix("/additionalProperties")?)?;
            let known: Vec<&str> = parent
                .get("properties")?
                .as_object()?
                .keys()
                .map(String::as_str)
                .collect();
            Some(format!("known properties: {}", known.join(", ")))
        }
        _ => None,
    }
}

/// `value` as JSON text in which every character [`printable`] escapes is a `\uXXXX`
/// escape: the same JSON value, safe to show as it is.
pub fn json_text(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hidden(c) {
            // All of them are in the Basic Multilingual Plane: one escape each.
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_never_cuts_a_card_number_in_two() {
        // The value quoted stands 80 bytes after the middle of a card number.
        let pan = "4751291234564821";
        let text = format!(
            "{{\"pan\": \"{pan}\", \"pad\": \"{}\", \"x\": 1}}",
            "p".repeat(53)
        );
        let start = text.find("1}").unwrap();
        assert!(
            start - 80 > text.find(pan).unwrap()
                && start - 80 < text.find(pan).unwrap() + pan.len()
        );
        let file = FileResult {
            path: "f".into(),
            first_line: 1,
            bytes: text.clone().into_bytes(),
            diagnostics: Vec::new(),
        };
        let located = Located {
            diagnostic: bankschema_validator::Diagnostic {
                severity: Severity::Error,
                kind: bankschema_validator::Kind::Schema,
                instance_path: "/x".into(),
                schema_path: String::new(),
                rule: None,
                message: String::new(),
            },
            line: 1,
            column: start + 1,
            span: start..start + 1,
        };
        let (_, quoted, marker) = quote_line(&file, &located, false).unwrap();
        // At most the last four of the digits after the cut show.
        assert!(!quoted.contains("64821"), "{quoted}");
        assert_eq!(
            quoted.chars().nth(marker.len() - 1),
            Some('1'),
            "{quoted}\n{marker}"
        );
        let (_, whole, _) = quote_line(&file, &located, true).unwrap();
        assert!(whole.contains(pan) || whole.contains("564821"), "{whole}");
    }

    #[test]
    fn quoted_text_hides_what_looks_secret_or_long() {
        let quoted = mask(
            r#""pan": "4751 2912 3456 4821", "iban": "GB29 NWBK 6016 1331 9268 19", "n": 12.5"#,
        );
        assert_eq!(
            quoted,
            r#""pan": "475129******4821", "iban": "GB29…6819", "n": 12.5"#
        );
        let long = format!("\"{}\"", "x".repeat(100));
        assert_eq!(mask(&long), format!("\"{}…\"", "x".repeat(24)));
        // A card number inside a long text is masked before the text is cut.
        let inside = format!("\"ref 4751291234564821 {}\"", "y".repeat(80));
        assert!(!mask(&inside).contains("1234564821"), "{}", mask(&inside));
        assert_eq!(mask("\"GB\", 2024, \"short\""), "\"GB\", 2024, \"short\"");
    }
}
