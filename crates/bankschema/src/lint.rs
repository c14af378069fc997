//! `bankschema check`: lints schema sources before they reach codegen.
//!
//! Each source must load, normalise and compile exactly as `cargo xtask codegen`
//! would have it (the generator's own stages do the checking, so the two never
//! disagree); every property should say what it is; and every example under
//! `examples/<schema-id>/` must get the verdict its directory promises.

use crate::check::{self, Limits, Located};
use crate::render::FileResult;
use crate::text;
use bankschema_codegen::load::Document;
use bankschema_codegen::Error;
use bankschema_validator::{Diagnostic, SchemaId, Severity};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Lints `path`: a directory of sources (with its `examples/`), or one source file.
pub fn lint(path: &Path, limits: Limits) -> Vec<FileResult> {
    if !path.is_dir() {
        return lint_source(path);
    }
    let mut results: Vec<FileResult> = match bankschema_codegen::load::source_files(path) {
        Ok(files) => files.iter().flat_map(|file| lint_source(file)).collect(),
        Err(e) => vec![problem(path, e.to_string())],
    };
    // What only the whole directory shows, as codegen sees it: an overlay with no
    // document of its name beside it.
    if let Ok((_, errors)) = bankschema_codegen::load::load_all(path) {
        for error in errors {
            let file = match &error {
                Error::Schema { path: file, .. } => file.clone(),
                _ => continue,
            };
            if !results.iter().any(|r| Path::new(&r.path) == file) {
                refusals(error, &file, &mut results);
            }
        }
    }
    let examples = path.join("examples");
    if examples.is_dir() {
        results.extend(lint_examples(&examples, limits));
    }
    results
}

fn problem(path: &Path, message: String) -> FileResult {
    FileResult {
        path: path.display().to_string(),
        first_line: 1,
        bytes: Vec::new(),
        diagnostics: vec![check::file_problem(message)],
    }
}

/// The results of one source: its own, then those of other files (its overlay) that
/// hold text a diagnostic is about.
fn lint_source(path: &Path) -> Vec<FileResult> {
    let bytes = std::fs::read(path).unwrap_or_default();
    let mut diagnostics = Vec::new();
    let mut others = Vec::new();
    match bankschema_codegen::read_api(path) {
        Ok(api) => {
            for warning in &api.warnings {
                diagnostics.push(at(
                    &bytes,
                    path,
                    Severity::Warning,
                    &warning.pointer,
                    warning.message.clone(),
                ));
            }
            for (def, inner, message) in examples_against_schema(&api) {
                let pointer = source_pointer(&def, &bytes);
                let message = format!(
                    "in `{def}` at {}: {message}",
                    if inner.is_empty() { "its root" } else { &inner }
                );
                diagnostics.push(at(&bytes, path, Severity::Error, &pointer, message));
            }
            if let Ok(source) = bankschema_codegen::load::load_file(path) {
                for pointer in undocumented(&source.document, &api) {
                    let name = pointer
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .replace("~1", "/")
                        .replace("~0", "~");
                    diagnostics.push(at(
                        &bytes,
                        path,
                        Severity::Warning,
                        &pointer,
                        format!("property `{name}` has no description"),
                    ));
                }
            }
        }
        Err(error) => refusals(error, path, &mut others),
    }
    let own = others
        .iter()
        .position(|r| Path::new(&r.path) == path)
        .map(|i| others.remove(i));
    if let Some(own) = own {
        diagnostics.extend(own.diagnostics);
    }
    let mut results = vec![FileResult {
        path: path.display().to_string(),
        first_line: 1,
        bytes,
        diagnostics,
    }];
    results.extend(others);
    results
}

/// Each refusal of the generator as a located diagnostic in the file whose text it
/// is about (the source, or the overlay that wrote the text), added to that file's
/// result in `results`; `path` is the source being linted.
fn refusals(error: Error, path: &Path, results: &mut Vec<FileResult>) {
    let (file, located) = match error {
        Error::Many(errors) => {
            for error in errors {
                refusals(error, path, results);
            }
            return;
        }
        Error::Syntax {
            path: file,
            line,
            column,
            message,
        } => {
            let located = Located {
                diagnostic: diagnostic(Severity::Error, "", message),
                line: line.max(1),
                column: column.max(1),
                span: 0..0,
            };
            (file, located)
        }
        Error::Schema {
            path: file,
            pointer,
            message,
        } => {
            let bytes = std::fs::read(&file).unwrap_or_default();
            (
                file.clone(),
                at(&bytes, &file, Severity::Error, &pointer, message),
            )
        }
        other => (path.to_owned(), check::file_problem(other.to_string())),
    };
    match results.iter_mut().find(|r| Path::new(&r.path) == file) {
        Some(result) => result.diagnostics.push(located),
        None => results.push(FileResult {
            path: file.display().to_string(),
            first_line: 1,
            bytes: std::fs::read(&file).unwrap_or_default(),
            diagnostics: vec![located],
        }),
    }
}

fn diagnostic(severity: Severity, pointer: &str, message: String) -> Diagnostic {
    Diagnostic {
        severity,
        instance_path: pointer.to_owned(),
        schema_path: String::new(),
        rule: None,
        message,
    }
}

/// A diagnostic at `pointer` of a source, placed at its line and column.
fn at(bytes: &[u8], path: &Path, severity: Severity, pointer: &str, message: String) -> Located {
    let is_json = path.extension().is_some_and(|e| e == "json");
    let (line, column, span) = if is_json {
        let span = text::locate(bytes, pointer).unwrap_or(0..0);
        let (line, column) = text::line_column(bytes, span.start);
        (line, column, span)
    } else {
        let (line, column) = yaml_position(&String::from_utf8_lossy(bytes), pointer);
        (line, column, 0..0)
    };
    Located {
        diagnostic: diagnostic(severity, pointer, message),
        line,
        column,
        span,
    }
}

/// Where the key or item a pointer names stands in block-style YAML: each segment
/// is looked for below the previous one, deeper indented. A segment inside flow
/// style (`{...}`) is not found, and the position of its parent is given instead.
/// (No maintained YAML crate for serde gives value positions; this covers the
/// block style the sources use.)
fn yaml_position(text: &str, pointer: &str) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let (mut from, mut indent, mut found) = (0usize, -1isize, (1usize, 1usize));
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let keys = [
            format!("{segment}:"),
            format!("\"{segment}\":"),
            format!("'{segment}':"),
        ];
        let mut items = 0usize;
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(from) {
            let content = line.trim_start();
            let here = (line.len() - content.len()) as isize;
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if here <= indent && i > from {
                break;
            }
            if let Some(item) = content.strip_prefix("- ") {
                if segment.parse::<usize>() == Ok(items) {
                    hit = Some((i, here + 2));
                    break;
                }
                items += 1;
                if keys.iter().any(|k| item.starts_with(k.as_str())) {
                    hit = Some((i, here + 2));
                    break;
                }
            } else if keys.iter().any(|k| content.starts_with(k.as_str())) {
                hit = Some((i, here));
                break;
            }
        }
        let Some((line, column)) = hit else { break };
        found = (line + 1, column as usize + 1);
        from = line + 1;
        indent = column;
    }
    found
}

/// Every `examples` entry and `default` that its own schema refuses, as
/// (definition, pointer inside it, why).
fn examples_against_schema(api: &bankschema_codegen::model::Api) -> Vec<(String, String, String)> {
    let defs: Map<String, Value> = api
        .defs
        .iter()
        .map(|(name, def)| (name.clone(), def.schema.clone()))
        .collect();
    let mut found = Vec::new();
    for (name, def) in &api.defs {
        let mut pending = vec![(String::new(), &def.schema)];
        while let Some((pointer, schema)) = pending.pop() {
            let Some(object) = schema.as_object() else {
                continue;
            };
            let mut values: Vec<(&str, &Value)> = object
                .get("examples")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|v| ("example", v))
                .collect();
            if let Some(default) = object.get("default") {
                values.push(("default", default));
            }
            if !values.is_empty() {
                let mut alone = object.clone();
                alone.remove("examples");
                alone.remove("default");
                alone.insert("$defs".into(), Value::Object(defs.clone()));
                if let Ok(validator) = jsonschema::options()
                    .should_validate_formats(true)
                    .build(&Value::Object(alone))
                {
                    for (what, value) in values {
                        if let Some(error) = validator.iter_errors(value).next() {
                            found.push((
                                name.clone(),
                                pointer.clone(),
                                format!("the {what} {value} is refused by its own schema: {error}"),
                            ));
                        }
                    }
                }
            }
            for (key, child) in object {
                match child {
                    Value::Object(_)
                        if matches!(key.as_str(), "items" | "not" | "additionalProperties") =>
                    {
                        pending.push((format!("{pointer}/{key}"), child));
                    }
                    Value::Object(properties) if key == "properties" => {
                        for (property, inner) in properties {
                            pending.push((
                                format!("{pointer}/properties/{}", escape(property)),
                                inner,
                            ));
                        }
                    }
                    Value::Array(branches)
                        if matches!(key.as_str(), "anyOf" | "oneOf" | "allOf") =>
                    {
                        for (i, inner) in branches.iter().enumerate() {
                            pending.push((format!("{pointer}/{key}/{i}"), inner));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    found.sort();
    found
}

/// Where definition `def` stands in its source: under `components/schemas`, or
/// under a tool schema's `$defs` (or the tool schema it titles).
fn source_pointer(def: &str, bytes: &[u8]) -> String {
    let escaped = escape(def);
    let Ok(raw) = serde_json::from_slice::<Value>(bytes) else {
        return format!("/components/schemas/{escaped}");
    };
    for key in ["outputSchema", "inputSchema"] {
        if raw.pointer(&format!("/{key}/$defs/{escaped}")).is_some() {
            return format!("/{key}/$defs/{escaped}");
        }
        if raw.pointer(&format!("/{key}/title")) == Some(&Value::String(def.to_owned())) {
            return format!("/{key}");
        }
    }
    format!("/components/schemas/{escaped}")
}

/// Pointers of properties without a `description` (a bare `$ref` takes its
/// description from the definition it names), in the definitions codegen reads
/// (of a published spec, those its selected messages reach).
fn undocumented(document: &Document, api: &bankschema_codegen::model::Api) -> Vec<String> {
    let mut found = Vec::new();
    match document {
        Document::OpenApi { raw, .. } => {
            if let Some(schemas) = raw
                .pointer("/components/schemas")
                .and_then(Value::as_object)
            {
                for (name, schema) in schemas.iter().filter(|(n, _)| api.defs.contains_key(*n)) {
                    walk(
                        schema,
                        &format!("/components/schemas/{}", escape(name)),
                        &mut found,
                    );
                }
            }
        }
        Document::McpTool { raw } => {
            for key in ["inputSchema", "outputSchema"] {
                if let Some(schema) = raw.get(key) {
                    walk(schema, &format!("/{key}"), &mut found);
                }
            }
        }
    }
    found
}

fn walk(schema: &Value, pointer: &str, found: &mut Vec<String>) {
    let Some(object) = schema.as_object() else {
        return;
    };
    if let Some(properties) = object.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let here = format!("{pointer}/properties/{}", escape(name));
            let bare_ref = property.get("$ref").is_some();
            if !bare_ref && property.get("description").is_none() {
                found.push(here.clone());
            }
            walk(property, &here, found);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner) = object.get(key) {
            walk(inner, &format!("{pointer}/{key}"), found);
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for (i, inner) in object
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            walk(inner, &format!("{pointer}/{key}/{i}"), found);
        }
    }
    if let Some(defs) = object.get("$defs").and_then(Value::as_object) {
        for (name, inner) in defs {
            walk(inner, &format!("{pointer}/$defs/{}", escape(name)), found);
        }
    }
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Every example gets the verdict its directory (`valid/` or `invalid/`) promises.
fn lint_examples(examples: &Path, limits: Limits) -> Vec<FileResult> {
    let mut results = Vec::new();
    for id_dir in sorted(examples) {
        let name = id_dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let id: SchemaId = match name.parse() {
            Ok(id) => id,
            Err(e) => {
                results.push(problem(&id_dir, format!("not a schema id: {e}")));
                continue;
            }
        };
        for verdict_dir in sorted(&id_dir) {
            let expect_valid = match verdict_dir.file_name().and_then(|n| n.to_str()) {
                Some("valid") => true,
                Some("invalid") => false,
                _ => {
                    results.push(problem(
                        &verdict_dir,
                        "expected `valid/` or `invalid/` here".into(),
                    ));
                    continue;
                }
            };
            for file in sorted(&verdict_dir) {
                let bytes = std::fs::read(&file).unwrap_or_default();
                let found = check::check(&bytes, limits, &|value| {
                    bankschema_validator::validate_value(id, value)
                });
                let errors = found
                    .iter()
                    .filter(|d| d.diagnostic.severity == Severity::Error)
                    .count();
                let diagnostics = match (expect_valid, errors) {
                    (true, 0) | (false, 1..) => Vec::new(),
                    (true, _) => found,
                    (false, 0) => vec![check::file_problem(format!(
                        "under invalid/, yet a valid {id} payload"
                    ))],
                };
                results.push(FileResult {
                    path: file.display().to_string(),
                    first_line: 1,
                    bytes,
                    diagnostics,
                });
            }
        }
    }
    results
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.retain(|p| {
        !p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    });
    entries.sort();
    entries
}

#[cfg(test)]
mod tests {
    use super::yaml_position;

    #[test]
    fn finds_yaml_keys_and_items_by_pointer() {
        let text = "paths:\n  /v1/x:\n    get:\n      responses:\n        \"200\":\n          description: ok\ncomponents:\n  schemas:\n    A:\n      required: [id]\n      properties:\n        id:\n          type: string\n    B:\n      enum:\n        - a\n        - b\n";
        assert_eq!(
            yaml_position(text, "/components/schemas/A/properties/id/type"),
            (13, 11)
        );
        assert_eq!(
            yaml_position(text, "/paths/~1v1~1x/get/responses/200"),
            (5, 9)
        );
        assert_eq!(
            yaml_position(text, "/components/schemas/B/enum/1"),
            (17, 11)
        );
        assert_eq!(
            yaml_position(text, "/components/schemas/A/required/0"),
            (10, 7),
            "flow style: the parent"
        );
    }
}
