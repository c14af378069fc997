//! The README's coverage table, written from the verdicts.

use super::{Group, Verdict, KNOWN_FAILURES};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The README's coverage table: counts per keyword and draft, the required tests
/// and the optional ones apart, then the known failures with their reasons.
pub(super) fn table(
    groups: &[Group],
    verdicts: &[Verdict],
    known: &BTreeMap<String, String>,
    suite: &Path,
) -> String {
    let version = std::fs::read_to_string(suite.join("VERSION"))
        .ok()
        .and_then(|v| {
            v.split_whitespace()
                .skip_while(|w| *w != "commit")
                .nth(1)
                .map(|c| c.trim_end_matches(',').chars().take(12).collect::<String>())
        });
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Schemas of the JSON Schema Test Suite{} per keyword file: passed / refused at codegen / known failures.\n",
        version.map(|v| format!(" (commit `{v}`)")).unwrap_or_default()
    );
    for optional in [false, true] {
        keyword_rows(&mut out, groups, verdicts, optional);
    }
    refused_for(&mut out, verdicts);
    known_failures(&mut out, known);
    out
}

/// How many groups of one cell ended each way.
#[derive(Default, Clone, Copy)]
struct Counts {
    passed: usize,
    refused: usize,
    known: usize,
    failed: usize,
}

impl Counts {
    fn add(&mut self, verdict: &Verdict) {
        match verdict {
            Verdict::Passed => self.passed += 1,
            Verdict::Refused(_) => self.refused += 1,
            Verdict::KnownFailure => self.known += 1,
            Verdict::Failed(_) => self.failed += 1,
        }
    }
    fn cell(self) -> String {
        let mut cell = format!("{} / {} / {}", self.passed, self.refused, self.known);
        if self.failed > 0 {
            let _ = write!(cell, " (**{} failed**)", self.failed);
        }
        cell
    }
}

/// The table of the required (or the `optional`) groups: a row per keyword file,
/// a column per draft, then the totals.
fn keyword_rows(out: &mut String, groups: &[Group], verdicts: &[Verdict], optional: bool) {
    let mut rows: BTreeMap<&str, [Counts; 2]> = BTreeMap::new();
    let mut totals = [Counts::default(); 2];
    for (group, verdict) in groups.iter().zip(verdicts) {
        if group.optional() != optional {
            continue;
        }
        let column = usize::from(group.draft == "draft7");
        rows.entry(group.keyword.as_str()).or_default()[column].add(verdict);
        totals[column].add(verdict);
    }
    let _ = writeln!(
        out,
        "| {} | draft 2020-12 | draft-07 |\n|---|---|---|",
        if optional { "Optional" } else { "Keyword" }
    );
    for (keyword, counts) in &rows {
        let present = |draft: &str| {
            groups
                .iter()
                .any(|g| g.draft == draft && g.keyword == *keyword)
        };
        let cell = |i: usize, draft: &str| {
            if present(draft) {
                counts[i].cell()
            } else {
                "-".to_owned()
            }
        };
        let _ = writeln!(
            out,
            "| `{keyword}` | {} | {} |",
            cell(0, "draft2020-12"),
            cell(1, "draft7")
        );
    }
    let _ = writeln!(
        out,
        "| **all** | **{}** | **{}** |\n",
        totals[0].cell(),
        totals[1].cell()
    );
}

/// The line summing up the refusals by what they name, the most frequent first.
fn refused_for(out: &mut String, verdicts: &[Verdict]) {
    let mut refused_for: BTreeMap<String, usize> = BTreeMap::new();
    for verdict in verdicts {
        if let Verdict::Refused(message) = verdict {
            *refused_for.entry(refusal_kind(message)).or_default() += 1;
        }
    }
    let mut refused_for: Vec<_> = refused_for.into_iter().collect();
    refused_for.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let _ = writeln!(
        out,
        "Refused for: {}.\n",
        refused_for
            .iter()
            .map(|(kind, n)| format!("{kind} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// The known failures, one line per file and reason.
fn known_failures(out: &mut String, known: &BTreeMap<String, String>) {
    if !known.is_empty() {
        // One line per file and reason: a reason usually covers a file's groups.
        let mut by_reason: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
        for (key, reason) in known {
            let (file, description) = key.split_once('\t').unwrap_or((key, ""));
            by_reason
                .entry((file, reason))
                .or_default()
                .push(description);
        }
        let _ = writeln!(out, "Known failures (`{KNOWN_FAILURES}`):\n");
        for ((file, reason), groups) in by_reason {
            let groups = groups
                .iter()
                .map(|g| format!("\"{g}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(out, "- `{file}` {groups}: {reason}");
        }
        out.push('\n');
    }
}

/// The gist of a refusal for the summary: the keyword it names, or its first words.
pub(super) fn refusal_kind(message: &str) -> String {
    let body = message
        .split_once(": at ")
        .map_or(message, |(_, rest)| rest);
    let body = body.split_once(": ").map_or(body, |(_, rest)| rest);
    if let Some(rest) = body.strip_prefix("unsupported keyword `") {
        if let Some((keyword, _)) = rest.split_once('`') {
            return format!("`{keyword}`");
        }
    }
    if let Some(rest) = body.strip_prefix("unsupported format ") {
        if let Some((name, _)) = rest.split_once(':') {
            return format!("`format: {name}`");
        }
    }
    if body.starts_with("typify") || body.starts_with("not a schema typify") {
        return "types typify 0.8 cannot make".into();
    }
    if let Some((keyword, _)) = body.split_once(" beside `$ref`") {
        return format!("{keyword} beside `$ref`");
    }
    if body.starts_with("dangling $ref") {
        return "`$ref` to a missing definition".into();
    }
    if body.starts_with("expected `http") {
        return "`$schema` of another draft".into();
    }
    if body.starts_with("unsupported $ref") {
        return "`$ref` outside `$defs`".into();
    }
    body.split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
}
