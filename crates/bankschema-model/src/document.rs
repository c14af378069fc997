//! Standalone JSON Schema documents into the internal form: a root schema and the
//! named definitions beside it (`$defs`, or draft-07's `definitions`).
//!
//! MCP tools publish their schemas this way ([`crate::tool`] reads two per file), and
//! `cargo xtask conformance` feeds every schema of the JSON Schema Test Suite through
//! [`api`]. OpenAPI documents keep their schemas elsewhere ([`crate::openapi`]).

use crate::error::{schema_error, Result};
use crate::model::{Api, Message};
use crate::normalise::{escape, kind_of, resolve_definitions, Dialect, Normalised, Normaliser};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The definitions of the document at `pointer`, then its root as `root_name`.
pub fn entries(
    normaliser: &mut Normaliser,
    path: &Path,
    dialect: Dialect,
    document: &Value,
    pointer: &str,
    root_name: &str,
) -> Result<Vec<Normalised>> {
    let Some(object) = document.as_object() else {
        return Ok(vec![normaliser.definition(root_name, document, pointer)?]);
    };
    match (object.get("$schema"), dialect.uri()) {
        (None, _) => {}
        (Some(Value::String(uri)), Some(expected)) if uri.trim_end_matches('#') == expected => {}
        (Some(other), expected) => {
            return Err(schema_error(
                path,
                &format!("{pointer}/$schema"),
                format!(
                    "expected `{}` (the dialect of this source), found {other}",
                    expected.unwrap_or("no $schema")
                ),
            ));
        }
    }
    let keyword = dialect.definitions_keyword();
    let mut entries = Vec::new();
    if let Some(defs) = object.get(keyword) {
        let Some(defs) = defs.as_object() else {
            return Err(schema_error(
                path,
                &format!("{pointer}/{}", escape(keyword)),
                format!("expected an object, found {}", kind_of(defs)),
            ));
        };
        for (name, def) in defs {
            let at = format!("{pointer}/{}/{}", escape(keyword), escape(name));
            entries.push(normaliser.definition(name, def, &at)?);
        }
    }
    let mut root = object.clone();
    root.remove("$schema");
    root.remove(keyword);
    // The document's own URI: with every `$ref` local (others are refused), it
    // changes nothing. Inside the document, `$id` would move the base of the
    // references below it, and stays refused.
    if matches!(root.get("$id"), Some(Value::String(_))) {
        root.remove("$id");
    }
    entries.push(normaliser.definition(root_name, &Value::Object(root), pointer)?);
    Ok(entries)
}

/// Adds `entries` (the definitions of one message's document) to `into`. A name
/// both define alike is one type; a name they define differently (the input's
/// `AccountType` edited, the output's not) is kept apart: the new definition, and
/// every one of `entries` that refers to it, is named `<namespace><Name>`.
/// Returns the names it gave, old to new.
pub fn merge(
    path: &Path,
    into: &mut Vec<Normalised>,
    mut entries: Vec<Normalised>,
    namespace: &str,
) -> Result<BTreeMap<String, String>> {
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    // Renaming one changes the `$ref`s of those referring to it, which may then
    // differ in turn: until nothing more changes.
    loop {
        let clashing: Vec<String> = entries
            .iter()
            .filter(|entry| {
                !renamed.values().any(|n| *n == entry.name)
                    && into.iter().any(|existing| {
                        existing.name == entry.name && existing.schema != entry.schema
                    })
            })
            .map(|entry| entry.name.clone())
            .collect();
        if clashing.is_empty() {
            break;
        }
        for old in clashing {
            let new = format!("{namespace}{old}");
            if into.iter().chain(&entries).any(|e| e.name == new) {
                let at = entries
                    .iter()
                    .find(|e| e.name == old)
                    .map(|e| e.pointer.clone());
                return Err(schema_error(
                    path,
                    &at.unwrap_or_default(),
                    format!("`{old}` is defined differently for another message, and `{new}`, its name apart, is taken too"),
                ));
            }
            let (from, to) = (
                format!("#/$defs/{}", escape(&old)),
                format!("#/$defs/{}", escape(&new)),
            );
            for entry in &mut entries {
                if entry.name == old {
                    entry.name = new.clone();
                }
                if let Some(at) = entry.refs.remove(&old) {
                    entry.refs.insert(new.clone(), at);
                    rename_refs(&mut entry.schema, &from, &to);
                }
            }
            renamed.insert(old, new);
        }
    }
    for entry in entries {
        if !into.iter().any(|existing| existing.name == entry.name) {
            into.push(entry);
        }
    }
    Ok(renamed)
}

/// Every `$ref` to `from` in `schema` made a `$ref` to `to`.
fn rename_refs(schema: &mut Value, from: &str, to: &str) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                if key == "$ref" && value.as_str() == Some(from) {
                    *value = Value::String(to.to_owned());
                } else {
                    rename_refs(value, from, to);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rename_refs(item, from, to)),
        _ => {}
    }
}

/// One standalone document as an API named `name` (a Rust module name once `-`
/// becomes `_`) with one message, `<name>.instance`, whose type is `root_name`.
/// `source` names the document in errors and generated files.
pub fn api(
    name: &str,
    source: &Path,
    dialect: Dialect,
    document: &Value,
    root_name: &str,
) -> Result<Api> {
    let mut normaliser = Normaliser::new(source, dialect);
    let mut all = Vec::new();
    let found = entries(&mut normaliser, source, dialect, document, "", root_name)?;
    merge(source, &mut all, found, root_name)?;
    Ok(Api {
        name: name.to_owned(),
        source: source.to_owned(),
        title: format!("the schema of `{}`", source.display()),
        defs: resolve_definitions(source, all)?,
        messages: vec![Message {
            id: format!("{name}.instance"),
            root: root_name.to_owned(),
            summary: format!("an instance of `{}`", source.display()),
            answers: None,
            direction: crate::model::Direction::Response,
            examples: Vec::new(),
        }],
        warnings: normaliser.into_warnings(),
    })
}
