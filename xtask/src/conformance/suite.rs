//! The JSON Schema Test Suite read where it lies: its draft folders' groups, each
//! a schema and its cases, named as the generated code names them.

use super::{Case, Group, DRAFTS};
use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Every group of the suite's draft folders, in path order.
pub(super) fn read_suite(suite: &Path) -> Result<Vec<Group>> {
    let mut groups = Vec::new();
    for (draft, prefix, dialect) in DRAFTS {
        let dir = suite.join("tests").join(draft);
        if !dir.is_dir() {
            bail!(
                "{}: no such directory; pass the root of a JSON-Schema-Test-Suite checkout (it holds tests/{draft})",
                dir.display()
            );
        }
        for path in json_files(&dir)? {
            let relative = path.strip_prefix(&dir).unwrap_or(&path);
            let keyword = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let file: Vec<Value> = serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}:{}:{}: expected an array of test groups: {e}",
                    path.display(),
                    e.line(),
                    e.column()
                )
            })?;
            for (index, raw) in file.into_iter().enumerate() {
                let at = format!("{}: at /{index}", path.display());
                let api_name = format!("{prefix}-{}-{index}", slug(&keyword));
                groups.push(Group {
                    draft,
                    keyword: keyword.clone(),
                    index,
                    description: string_at(&raw, "description", &at)?,
                    id: format!("{api_name}.instance"),
                    api_name,
                    dialect,
                    schema: raw
                        .get("schema")
                        .cloned()
                        .with_context(|| format!("{at}: expected a `schema`"))?,
                    cases: cases(&raw, &at)?,
                });
            }
        }
    }
    Ok(groups)
}

fn cases(group: &Value, at: &str) -> Result<Vec<Case>> {
    let Some(tests) = group.get("tests").and_then(Value::as_array) else {
        bail!("{at}: expected an array `tests`");
    };
    tests
        .iter()
        .enumerate()
        .map(|(i, test)| {
            let at = format!("{at}/tests/{i}");
            Ok(Case {
                description: string_at(test, "description", &at)?,
                data: test
                    .get("data")
                    .cloned()
                    .with_context(|| format!("{at}: expected `data`"))?,
                valid: test
                    .get("valid")
                    .and_then(Value::as_bool)
                    .with_context(|| format!("{at}: expected `valid`: true or false"))?,
            })
        })
        .collect()
}

fn string_at(value: &Value, key: &str, at: &str) -> Result<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("{at}: expected a string `{key}`"))
}

/// The `.json` files below `dir`, sorted by path.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let path = entry
                .with_context(|| format!("cannot read {}", dir.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `optional/format/date-time` gives `optional-format-date-time`: a module name once
/// `-` becomes `_`.
pub(super) fn slug(keyword: &str) -> String {
    let mut out = String::new();
    for c in keyword.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out
}
