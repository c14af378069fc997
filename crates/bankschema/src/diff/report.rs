//! The four formats of `bankschema diff`: for people, for programs, for GitHub
//! annotations and for a pull request comment.
//!
//! Every field can hold text from the schemas compared (property names, enum values,
//! patterns), so every format escapes control characters; the GitHub format also
//! escapes what its runner would read as a workflow command.

use super::{Change, Severity};
use crate::render::{escape_data, escape_property, json_text, printable};
use serde_json::json;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per change: severity, rule id, schema id, pointer, message.
    Human,
    /// `{"failed", "failOn", "breaking", "counts", "changes": [...]}` on stdout.
    Json,
    /// GitHub Actions annotations: `::error` for breaking, `::warning`, `::notice`.
    Github,
    /// A pull request comment: a summary and a changelog section per message.
    Markdown,
}

/// `changes` in `format`. `file` is the new version's path, for annotations.
pub fn render(changes: &[Change], format: Format, fail_on: Severity, file: &str) -> String {
    match format {
        Format::Human => human(changes),
        Format::Json => format!("{}\n", json_text(&self::json(changes, fail_on))),
        Format::Github => github(changes, file),
        Format::Markdown => markdown(changes, fail_on),
    }
}

/// Whether any change is at least as bad as `fail_on`.
pub fn failed(changes: &[Change], fail_on: Severity) -> bool {
    changes.iter().any(|c| c.severity >= fail_on)
}

/// "3 change(s): 1 breaking, 1 warning, 1 info", for stderr and summaries.
pub fn summary(changes: &[Change]) -> String {
    let count = |s: Severity| changes.iter().filter(|c| c.severity == s).count();
    format!(
        "{} change(s): {} breaking, {} warning(s), {} info",
        changes.len(),
        count(Severity::Breaking),
        count(Severity::Warning),
        count(Severity::Info)
    )
}

fn at(change: &Change) -> &str {
    if change.pointer.is_empty() {
        "(root)"
    } else {
        &change.pointer
    }
}

fn human(changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
        let _ = writeln!(
            out,
            "{:<8}  {}  {} {}: {}",
            change.severity.name(),
            change.rule,
            printable(&change.schema_id),
            printable(at(change)),
            printable(&change.message)
        );
    }
    out
}

fn json(changes: &[Change], fail_on: Severity) -> serde_json::Value {
    let count = |s: Severity| changes.iter().filter(|c| c.severity == s).count();
    json!({
        "failed": failed(changes, fail_on),
        "failOn": fail_on,
        "breaking": count(Severity::Breaking) > 0,
        "counts": {
            "breaking": count(Severity::Breaking),
            "warning": count(Severity::Warning),
            "info": count(Severity::Info),
        },
        "changes": changes,
    })
}

fn github(changes: &[Change], file: &str) -> String {
    let mut out = String::new();
    for change in changes {
        let level = match change.severity {
            Severity::Breaking => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let message = format!("{} {}: {}", change.schema_id, at(change), change.message);
        let _ = writeln!(
            out,
            "::{level} file={},title={}::{}",
            escape_property(&printable(file)),
            escape_property(&change.rule),
            escape_data(&printable(&message))
        );
    }
    out
}

/// Text for a Markdown table cell or heading: nothing in it ends the cell, makes a
/// link or an image (a tracking pixel in a pull request), or writes HTML. Every
/// markup character is escaped, backticks too: a backtick in a schema's text
/// could otherwise end a code span early and let what follows render.
fn cell(text: &str) -> String {
    let mut out = String::new();
    for c in printable(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '[' | ']' | '!' | '\\' | '*' | '_' | '#' | '~' | '`' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn markdown(changes: &[Change], fail_on: Severity) -> String {
    let mut out = String::new();
    let verdict = if failed(changes, fail_on) {
        format!("fails on {}", fail_on.name())
    } else {
        "passes".to_owned()
    };
    let _ = writeln!(out, "## bankschema diff: {}, {verdict}\n", summary(changes));
    if changes.is_empty() {
        out.push_str("No change to any message.\n");
        return out;
    }
    let mut ids: Vec<&str> = Vec::new();
    for change in changes {
        if !ids.contains(&change.schema_id.as_str()) {
            ids.push(&change.schema_id);
        }
    }
    for id in ids {
        let mine: Vec<&Change> = changes.iter().filter(|c| c.schema_id == id).collect();
        let direction = match mine.first().map(|c| c.direction) {
            Some(super::Direction::Request) => "request",
            _ => "response",
        };
        // Schema ids and rule ids are lowercase words, digits, `-` and `.` only.
        let _ = writeln!(out, "### `{id}` ({direction})\n");
        out.push_str("| Severity | Rule | Where | Change |\n|---|---|---|---|\n");
        for change in mine {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} |",
                change.severity.name(),
                change.rule,
                cell(at(change)),
                cell(&change.message)
            );
        }
        out.push('\n');
    }
    out
}
