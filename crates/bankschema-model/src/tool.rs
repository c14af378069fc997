//! MCP tool descriptions (`name`, `description`, `inputSchema`, `outputSchema`) into
//! the internal form.
//!
//! Both schemas are JSON Schema 2020-12 and land in one namespace of definitions, so
//! that the input's filters and the output's fields share their enums; a name the two
//! define differently is kept apart, the later one prefixed with its root's title. Each root
//! schema needs a `title`: it names the root's Rust type.

use crate::document;
use crate::error::{schema_error, Result};
use crate::load::Source;
use crate::model::{Api, Direction, Message};
use crate::normalise::{kind_of, resolve_definitions, Dialect, Normaliser};
use serde_json::{Map, Value};
use std::path::Path;

const MESSAGES: [(&str, &str, &str); 2] = [
    (
        "inputSchema",
        "input",
        "the arguments of a `tools/call` request",
    ),
    (
        "outputSchema",
        "output",
        "the `structuredContent` of a `tools/call` result",
    ),
];

pub fn api(source: &Source, raw: &Value) -> Result<Api> {
    let path = source.path.as_path();
    let tool = named_tool(source, raw)?;
    let mut normaliser = Normaliser::new(path, Dialect::JsonSchema);
    let mut normalised = Vec::new();
    let mut messages = Vec::new();
    for (key, suffix, what) in MESSAGES {
        let Some(schema) = tool.get(key) else {
            continue;
        };
        let pointer = format!("/{key}");
        let title = title(path, schema, &pointer)?;
        let found = document::entries(
            &mut normaliser,
            path,
            Dialect::JsonSchema,
            schema,
            &pointer,
            title,
        )?;
        let renamed = document::merge(path, &mut normalised, found, title)?;
        messages.push(Message {
            id: format!("{}.{suffix}", source.name),
            // Its own root, even where the other message's took the name.
            root: renamed.get(title).unwrap_or(title).clone(),
            summary: format!("`{}` tool: {what}", source.name),
            // A result answers the call whose arguments the input schema describes.
            answers: (suffix == "output" && tool.contains_key("inputSchema"))
                .then(|| format!("{}.input", source.name)),
            direction: if suffix == "input" {
                Direction::Request
            } else {
                Direction::Response
            },
            examples: Vec::new(),
        });
    }
    if messages.is_empty() {
        return Err(schema_error(
            path,
            "",
            "the tool has neither `inputSchema` nor `outputSchema`",
        ));
    }
    let title = tool
        .get("description")
        .and_then(Value::as_str)
        .map_or_else(|| source.name.clone(), |d| first_sentence(d).to_owned());
    Ok(Api {
        name: source.name.clone(),
        source: source.display.clone(),
        title,
        defs: resolve_definitions(path, normalised)?,
        messages,
        warnings: normaliser.into_warnings(),
    })
}

/// The tool object of `raw`, whose `name` is the file's.
fn named_tool<'r>(source: &Source, raw: &'r Value) -> Result<&'r Map<String, Value>> {
    let path = source.path.as_path();
    let Some(tool) = raw.as_object() else {
        return Err(schema_error(
            path,
            "",
            format!("expected an MCP tool object, found {}", kind_of(raw)),
        ));
    };
    match tool.get("name") {
        Some(Value::String(name)) if *name == source.name => {}
        other => {
            let found = other.map_or("nothing".to_owned(), Value::to_string);
            return Err(schema_error(
                path,
                "/name",
                format!(
                    "expected the tool name `{}` (the file name), found {found}",
                    source.name
                ),
            ));
        }
    }
    Ok(tool)
}

/// The `title` of a message's schema, `schema` at `pointer`: it names the Rust
/// type of the payload.
fn title<'s>(path: &Path, schema: &'s Value, pointer: &str) -> Result<&'s String> {
    let Some(object) = schema.as_object() else {
        return Err(schema_error(
            path,
            pointer,
            format!("expected a schema object, found {}", kind_of(schema)),
        ));
    };
    let Some(Value::String(title)) = object.get("title") else {
        return Err(schema_error(
            path,
            pointer,
            "the schema needs a `title`: it names the Rust type of the payload",
        ));
    };
    Ok(title)
}

/// The first sentence of a description, for module docs.
fn first_sentence(text: &str) -> &str {
    let line = text.lines().next().unwrap_or_default();
    line.split_once(". ")
        .map_or(line, |(first, _)| first)
        .trim_end_matches('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Document;
    use serde_json::json;
    use std::path::PathBuf;

    #[test]
    fn an_output_titled_like_a_different_input_keeps_its_own_schema() {
        let raw = json!({
            "name": "t",
            "inputSchema": {"title": "Account", "type": "object", "properties": {"a": {"type": "string"}}},
            "outputSchema": {"title": "Account", "type": "object", "properties": {"b": {"type": "integer"}}}
        });
        let source = Source {
            path: PathBuf::from("schemas/t.tool.json"),
            display: PathBuf::from("schemas/t.tool.json"),
            name: "t".into(),
            document: Document::McpTool { raw: raw.clone() },
            overlay: None,
        };
        let api = api(&source, &raw).unwrap();
        let output = &api.messages[1];
        assert_eq!(output.root, "AccountAccount");
        assert!(api.defs[&output.root].schema["properties"]
            .get("b")
            .is_some());
        assert!(api.defs[&api.messages[0].root].schema["properties"]
            .get("a")
            .is_some());
    }
}
