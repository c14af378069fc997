//! The three output formats of `bankschema validate`.

use crate::check::Located;
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
pub fn human(file: &FileResult, schema: Option<(SchemaId, &Value)>) -> String {
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
        if let Some((number, text, marker)) = quote_line(file, d) {
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
fn quote_line(file: &FileResult, d: &Located) -> Option<(usize, String, String)> {
    const BEFORE: usize = 80;
    const AFTER: usize = 160;
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
    let boundary = |mut i: usize, forward: bool| {
        while i > 0 && i < bytes.len() && bytes[i] & 0xC0 == 0x80 {
            i = if forward { i + 1 } else { i - 1 };
        }
        i
    };
    let from = boundary(start.saturating_sub(BEFORE), true);
    let line_start = bytes[from..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(from, |i| from + i + 1);
    let until = boundary((start + AFTER).min(bytes.len()), false);
    let line_end = bytes[start..until]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(until, |i| start + i);
    let cut_before = line_start == from && from > 0 && bytes[from - 1] != b'\n';
    let cut_after = line_end == until && until < bytes.len() && bytes[until] != b'\n';
    // Before the value, the value's first line, after it.
    let value_end = bytes[start..line_end]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(line_end, |i| start + i)
        .min(d.span.end.max(start));
    let shown = |range: std::ops::Range<usize>| String::from_utf8_lossy(&bytes[range]).into_owned();
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

/// `text` with every control character, and every character that reorders or hides
/// text on a terminal (bidirectional overrides, zero-width marks), written as a
/// `\u{..}` escape: text from a schema or payload cannot move the cursor, colour the
/// terminal or show other than it holds.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `c` is a control character or one that reorders or hides text.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
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
