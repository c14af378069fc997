//! `bankschema check`: lints schema sources before they reach codegen.
//!
//! Each source must load, normalise and compile exactly as `cargo xtask codegen`
//! would have it (the generator's own stages do the checking, so the two never
//! disagree); every property should say what it is; and every example under
//! `examples/<schema-id>/` must get the verdict its directory promises.

use crate::check::{self, Limits, Located};
use crate::render::FileResult;
use bankschema_model::load::Document;
use bankschema_model::normalise::{escape, unescape};
use bankschema_model::traverse;
use bankschema_model::Error;
use bankschema_runtime::text;
use bankschema_validator::{Diagnostic, Kind, SchemaId, Severity};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Lints `path`: a directory of sources (with its `examples/`), or one source file.
pub fn lint(path: &Path, limits: Limits) -> Vec<FileResult> {
    if !path.is_dir() {
        return lint_source(path);
    }
    let root = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    let mut results: Vec<FileResult> = match bankschema_model::load::source_files(path) {
        Ok(files) => files
            .iter()
            .flat_map(|file| match outside(&root, file) {
                Some(message) => vec![problem(file, Kind::Malformed, message)],
                None => lint_source(file),
            })
            .collect(),
        Err(e) => vec![problem(path, Kind::Malformed, e.to_string())],
    };
    // What only the whole directory shows, as codegen sees it: an overlay with no
    // document of its name beside it.
    if let Ok((_, errors)) = bankschema_model::load::load_all(path) {
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
        results.extend(lint_examples(&root, &examples, limits));
    }
    results
}

/// Why `file` is not read, when a link takes it out of the directory `root` being
/// checked (an example linked to `/etc/shadow` would have its first line quoted).
fn outside(root: &Path, file: &Path) -> Option<String> {
    match file.canonicalize() {
        Ok(target) if target.starts_with(root) => None,
        Ok(_) => Some(format!("a link out of {}: not followed", root.display())),
        Err(e) => Some(format!("cannot read the file: {e}")),
    }
}

/// A file that could not be judged, and why.
fn problem(path: &Path, kind: Kind, message: String) -> FileResult {
    FileResult {
        path: path.display().to_string(),
        first_line: 1,
        bytes: Vec::new(),
        diagnostics: vec![check::file_problem(kind, message)],
    }
}

/// The results of one source: its own, then those of other files (its overlay) that
/// hold text a diagnostic is about.
fn lint_source(path: &Path) -> Vec<FileResult> {
    let bytes = read_source(path).unwrap_or_default();
    let mut pending: Vec<(Severity, String, String)> = Vec::new();
    let mut others = Vec::new();
    match bankschema_codegen::read_api(path) {
        Ok(api) => {
            for warning in &api.warnings {
                pending.push((
                    Severity::Warning,
                    warning.pointer.clone(),
                    warning.message.clone(),
                ));
            }
            for (def, inner, message) in examples_against_schema(&api) {
                let pointer = source_pointer(&def, &bytes);
                let message = format!(
                    "in `{def}` at {}: {message}",
                    if inner.is_empty() { "its root" } else { &inner }
                );
                pending.push((Severity::Error, pointer, message));
            }
            if let Ok(source) = bankschema_model::load::load_file(path) {
                for pointer in undocumented(&source.document, &api) {
                    let name = unescape(pointer.rsplit('/').next().unwrap_or_default());
                    let message = format!("property `{name}` has no description");
                    pending.push((Severity::Warning, pointer, message));
                }
            }
        }
        Err(error) => refusals(error, path, &mut others),
    }
    let mut diagnostics = place(&bytes, path, pending);
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

/// A source's text, read no further than a source may hold (the generator refuses
/// a longer one, and says so).
fn read_source(path: &Path) -> Option<Vec<u8>> {
    crate::io::read_bounded(path, bankschema_model::load::MAX_SOURCE_BYTES).ok()
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
            let bytes = read_source(&file).unwrap_or_default();
            let mut placed = place(&bytes, &file, vec![(Severity::Error, pointer, message)]);
            match placed.pop() {
                Some(located) => (file.clone(), located),
                None => return,
            }
        }
        other => (
            path.to_owned(),
            check::file_problem(Kind::Schema, other.to_string()),
        ),
    };
    match results.iter_mut().find(|r| Path::new(&r.path) == file) {
        Some(result) => result.diagnostics.push(located),
        None => results.push(FileResult {
            path: file.display().to_string(),
            first_line: 1,
            bytes: read_source(&file).unwrap_or_default(),
            diagnostics: vec![located],
        }),
    }
}

/// A source's own diagnostic: it breaks what codegen or `check` asks of a schema.
fn diagnostic(severity: Severity, pointer: &str, message: String) -> Diagnostic {
    Diagnostic {
        severity,
        kind: Kind::Schema,
        instance_path: pointer.to_owned(),
        schema_path: String::new(),
        rule: None,
        message,
    }
}

/// Diagnostics at pointers of a source, placed at their lines and columns: in one
/// pass over the text however many there are.
fn place(bytes: &[u8], path: &Path, pending: Vec<(Severity, String, String)>) -> Vec<Located> {
    let is_json = path.extension().is_some_and(|e| e == "json");
    let places: Vec<(usize, usize, std::ops::Range<usize>)> = if is_json {
        let pointers: Vec<&str> = pending.iter().map(|(_, p, _)| p.as_str()).collect();
        let spans: Vec<std::ops::Range<usize>> = text::locate_all(bytes, &pointers)
            .into_iter()
            .map(|span| span.unwrap_or(0..0))
            .collect();
        let starts: Vec<usize> = spans.iter().map(|s| s.start).collect();
        text::positions(bytes, &starts)
            .into_iter()
            .zip(spans)
            .map(|((line, column), span)| (line, column, span))
            .collect()
    } else {
        let index = YamlIndex::new(&String::from_utf8_lossy(bytes));
        pending
            .iter()
            .map(|(_, pointer, _)| {
                let (line, column) = index.position(pointer);
                (line, column, 0..0)
            })
            .collect()
    };
    pending
        .into_iter()
        .zip(places)
        .map(
            |((severity, pointer, message), (line, column, span))| Located {
                diagnostic: diagnostic(severity, &pointer, message),
                line,
                column,
                span,
            },
        )
        .collect()
}

/// Where each key and item of block-style YAML stands, by JSON pointer, from one
/// pass over the lines. A pointer into flow style (`{...}`, `[...]`) is not in it;
/// its nearest ancestor that is stands for it. (No maintained YAML crate for serde
/// gives value positions; this covers the block style sources use.)
struct YamlIndex {
    places: std::collections::HashMap<String, (usize, usize)>,
}

impl YamlIndex {
    fn new(text: &str) -> YamlIndex {
        /// A key or item whose children are more indented than `indent`.
        struct Open {
            indent: usize,
            pointer: String,
            items: usize,
        }
        let mut places = std::collections::HashMap::new();
        let mut open: Vec<Open> = Vec::new();
        // Lines of a block scalar (`|`, `>`) deeper than this indent are text.
        let mut scalar_above: Option<usize> = None;
        for (number, line) in text.lines().enumerate() {
            let content = line.trim_start_matches(' ');
            let indent = line.len() - content.len();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            match scalar_above {
                Some(above) if indent > above => continue,
                _ => scalar_above = None,
            }
            if content == "---" || content == "..." {
                continue;
            }
            let (mut rest, mut column) = (content, indent);
            // An item: its key (if any) stands at the column after `- `; its
            // children, keys of a mapping item, at that column too.
            if rest == "-" || rest.starts_with("- ") {
                while open.last().is_some_and(|o| o.indent > indent) {
                    open.pop();
                }
                let pointer = match open.last_mut() {
                    Some(parent) => {
                        parent.items += 1;
                        format!("{}/{}", parent.pointer, parent.items - 1)
                    }
                    None => continue,
                };
                places
                    .entry(pointer.clone())
                    .or_insert((number + 1, indent + 3));
                rest = rest.get(2..).unwrap_or("").trim_start_matches(' ');
                column = line.len() - rest.len();
                open.push(Open {
                    indent: indent + 1,
                    pointer,
                    items: 0,
                });
                if rest.is_empty() {
                    continue;
                }
            } else {
                while open.last().is_some_and(|o| o.indent >= indent) {
                    open.pop();
                }
            }
            let Some((key, value)) = key_of(rest) else {
                continue;
            };
            let parent = open.last().map_or("", |o| o.pointer.as_str());
            let pointer = format!("{parent}/{}", escape(&key));
            places
                .entry(pointer.clone())
                .or_insert((number + 1, column + 1));
            let value = value.trim();
            if value.starts_with('|') || value.starts_with('>') {
                scalar_above = Some(column);
            }
            open.push(Open {
                indent: column,
                pointer,
                items: 0,
            });
        }
        YamlIndex { places }
    }

    /// Line and column of `pointer`, or of its nearest ancestor found; 1:1 for none.
    fn position(&self, pointer: &str) -> (usize, usize) {
        let mut pointer = pointer;
        loop {
            if let Some(&place) = self.places.get(pointer) {
                return place;
            }
            match pointer.rsplit_once('/') {
                Some((parent, _)) => pointer = parent,
                None => return (1, 1),
            }
        }
    }
}

/// The key of a `key: value` line and the rest after the colon, quoted keys
/// unquoted; `None` for a line that is no key.
fn key_of(content: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(quoted) = content.strip_prefix('"') {
        let mut end = None;
        let mut escaped = false;
        for (i, c) in quoted.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end?;
        let key = serde_json::from_str::<String>(&content[..end + 2]).ok()?;
        (key, &quoted[end + 1..])
    } else if let Some(quoted) = content.strip_prefix('\'') {
        let end = quoted.find('\'')?;
        (quoted[..end].to_owned(), &quoted[end + 1..])
    } else {
        let end = content
            .find(": ")
            .or_else(|| content.strip_suffix(':').map(str::len))?;
        if content.starts_with(['{', '[']) {
            return None;
        }
        (content[..end].trim_end().to_owned(), &content[end..])
    };
    let value = rest.trim_start().strip_prefix(':')?;
    (value.is_empty() || value.starts_with(' ')).then_some((key, value))
}

/// Every `examples` entry and `default` that its own schema refuses, as
/// (definition, pointer inside it, why).
fn examples_against_schema(api: &bankschema_model::model::Api) -> Vec<(String, String, String)> {
    let defs: Map<String, Value> = api
        .defs
        .iter()
        .map(|(name, def)| (name.clone(), def.schema.clone()))
        .collect();
    let mut found = Vec::new();
    for (name, def) in &api.defs {
        traverse::each(&def.schema, "", &mut |object, pointer| {
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
                                pointer.to_owned(),
                                format!("the {what} {value} is refused by its own schema: {error}"),
                            ));
                        }
                    }
                }
            }
        });
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
fn undocumented(document: &Document, api: &bankschema_model::model::Api) -> Vec<String> {
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

/// The properties without a `description` in `schema` (at `pointer`), at any depth.
fn walk(schema: &Value, pointer: &str, found: &mut Vec<String>) {
    traverse::each(schema, pointer, &mut |object, pointer| {
        for (name, property) in object
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let bare_ref = property.get("$ref").is_some();
            if !bare_ref && property.get("description").is_none() {
                found.push(format!("{pointer}/properties/{}", escape(name)));
            }
        }
    });
}

/// Every example gets the verdict its directory (`valid/` or `invalid/`) promises.
fn lint_examples(root: &Path, examples: &Path, limits: Limits) -> Vec<FileResult> {
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
                results.push(problem(
                    &id_dir,
                    Kind::Malformed,
                    format!("not a schema id: {e}"),
                ));
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
                        Kind::Malformed,
                        "expected `valid/` or `invalid/` here".into(),
                    ));
                    continue;
                }
            };
            for file in sorted(&verdict_dir) {
                if let Some(message) = outside(root, &file) {
                    results.push(problem(&file, Kind::Malformed, message));
                    continue;
                }
                let bytes = match crate::io::read_bounded(&file, limits.max_bytes) {
                    Ok(bytes) => bytes,
                    Err(unread) => {
                        results.push(problem(&file, unread.kind, unread.message));
                        continue;
                    }
                };
                let found = check::check(&bytes, limits, &|bytes| {
                    bankschema_validator::validate(id, bytes)
                });
                let errors = found
                    .iter()
                    .filter(|d| d.diagnostic.severity == Severity::Error)
                    .count();
                let diagnostics = match (expect_valid, errors) {
                    (true, 0) | (false, 1..) => Vec::new(),
                    (true, _) => found,
                    (false, 0) => vec![check::file_problem(
                        Kind::Schema,
                        format!("under invalid/, yet a valid {id} payload"),
                    )],
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
    use super::YamlIndex;

    fn yaml_position(text: &str, pointer: &str) -> (usize, usize) {
        YamlIndex::new(text).position(pointer)
    }

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

    #[test]
    fn yaml_index_reads_items_beside_their_key_block_scalars_and_quoted_keys() {
        let text = "a:\n  description: |\n    not: a key\n    - nor an item\n  required:\n  - x\n  - y\n  '200':\n    - k: 1\n      m: 2\n    - k: 3\n  \"q\\\"k\": 1\n";
        let index = YamlIndex::new(text);
        assert_eq!(index.position("/a/description"), (2, 3));
        assert_eq!(
            index.position("/a/description/not"),
            (2, 3),
            "text, not a key"
        );
        assert_eq!(index.position("/a/required/1"), (7, 5));
        assert_eq!(index.position("/a/200/1/k"), (11, 7));
        assert_eq!(index.position("/a/200/0/m"), (10, 7));
        assert_eq!(index.position("/a/q\"k"), (12, 3));
        assert_eq!(index.position("/nothing"), (1, 1));
    }
}
