//! Every command the output tests run, with the status each exits with.

use super::run::text;
use std::path::Path;

/// Each command with a valid payload `good`, an invalid one `bad` and a directory
/// `out` to generate into, and the status it exits with when its output is written.
pub fn commands<'a>(good: &'a Path, bad: &'a Path, out: &'a Path) -> Vec<(Vec<&'a str>, i32)> {
    vec![
        (vec!["schemas"], 0),
        (vec!["rules"], 0),
        (vec!["rules", "--format", "markdown"], 0),
        (
            vec![
                "validate",
                "--schema",
                "get-accounts.output",
                text(good),
                text(bad),
            ],
            1,
        ),
        (
            vec![
                "validate",
                "--schema",
                "get-accounts.output",
                "--format",
                "json",
                text(bad),
            ],
            1,
        ),
        (
            vec![
                "validate",
                "--schema",
                "get-accounts.output",
                "--format",
                "github",
                text(bad),
            ],
            1,
        ),
        (
            vec![
                "validate",
                "--schema",
                "get-accounts.output",
                "--ndjson",
                text(bad),
            ],
            1,
        ),
        (vec!["check", "--format", "json", "schemas"], 0),
        (
            vec!["roundtrip", "--schema", "get-accounts.output", text(good)],
            0,
        ),
        (
            vec![
                "diff",
                "--format",
                "json",
                "HEAD:schemas/get-accounts.tool.json",
                "schemas/get-accounts.tool.json",
            ],
            0,
        ),
        (
            vec![
                "codegen",
                "--schemas",
                "schemas",
                "--out",
                text(out),
                "--check",
            ],
            1,
        ),
    ]
}
