//! Reading stage: find the source files in `schemas/` and parse them.
//!
//! This stage only turns text into documents and reports where the text is broken;
//! what the documents mean is the business of [`crate::openapi`] and [`crate::tool`].

use crate::error::{schema_error, Error, Result};
use crate::overlay::Provenance;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One parsed source file.
pub struct Source {
    /// Where to read it, as given.
    pub path: PathBuf,
    /// How generated files name it: `schemas/<file name>`.
    pub display: PathBuf,
    /// File stem before the dialect suffix: `connected-accounts`.
    pub name: String,
    pub document: Document,
    /// The overlay applied to the file, when one stands beside it.
    pub overlay: Option<Provenance>,
}

impl Source {
    /// `error` about the document as read, placed in the file that holds the text
    /// it points at: the overlay for what an overlay wrote.
    pub fn relocate(&self, error: Error) -> Error {
        // Later stages point into the normalised definitions (`/$defs/X/...`); in an
        // OpenAPI document they stand at `/components/schemas/X/...`.
        // Stages after reading name the source as generated files do (`display`).
        let error = match error {
            Error::Schema {
                path,
                pointer,
                message,
            } if path == self.path || path == self.display => {
                let pointer = match pointer.strip_prefix("/$defs/") {
                    Some(rest) if matches!(self.document, Document::OpenApi { .. }) => {
                        format!("/components/schemas/{rest}")
                    }
                    _ => pointer,
                };
                Error::Schema {
                    path: self.path.clone(),
                    pointer,
                    message,
                }
            }
            other => other,
        };
        match (error, &self.overlay) {
            (Error::Many(errors), _) => {
                Error::Many(errors.into_iter().map(|e| self.relocate(e)).collect())
            }
            (
                Error::Schema {
                    path,
                    pointer,
                    message,
                },
                Some(overlay),
            ) if path == self.path => match overlay.locate(&pointer) {
                Some((path, pointer)) => Error::Schema {
                    path: path.to_owned(),
                    pointer,
                    message,
                },
                None => Error::Schema {
                    path,
                    pointer,
                    message,
                },
            },
            (error, _) => error,
        }
    }
}

pub enum Document {
    /// An OpenAPI document, as JSON (its overlay applied); its schema objects are
    /// located by pointer.
    OpenApi { raw: Value, version: OpenApiVersion },
    /// An MCP tool description with `inputSchema` and `outputSchema`.
    McpTool { raw: Value },
}

/// The OpenAPI versions read, each with its own schema dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenApiVersion {
    /// 3.0.x: the Schema Object is its own dialect (`nullable`, boolean exclusive
    /// bounds, no keywords beside `$ref`).
    V30,
    /// 3.1.x: the Schema Object is JSON Schema 2020-12.
    V31,
}

const OPENAPI_SUFFIXES: [&str; 3] = [".openapi.yaml", ".openapi.yml", ".openapi.json"];
const TOOL_SUFFIX: &str = ".tool.json";
/// `<api>.overlay.yaml` beside `<api>.openapi.yaml` holds what bankschema adds to a
/// publisher's file.
const OVERLAY_SUFFIXES: [&str; 3] = [".overlay.yaml", ".overlay.yml", ".overlay.json"];

/// Every source file directly in `dir`, parsed, in the order of [`source_files`]; an
/// overlay with no OpenAPI document of its name beside it is refused. Every file's
/// refusal is reported, not only the first.
pub fn load_dir(dir: &Path) -> Result<Vec<Source>> {
    let (sources, errors) = load_all(dir)?;
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(Error::all(errors))
    }
}

/// The sources of `dir` that load, and the refusals of those that do not.
pub fn load_all(dir: &Path) -> Result<(Vec<Source>, Vec<Error>)> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in source_files(dir)? {
        match load_file(&path) {
            Ok(source) => sources.push(source),
            Err(error) => errors.push(error),
        }
    }
    for overlay in overlay_files(dir)? {
        let file_name = overlay.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let stem = strip_suffix(file_name, &OVERLAY_SUFFIXES).unwrap_or_default();
        let overlaid = sources.iter().any(|source| {
            source.name == stem && matches!(source.document, Document::OpenApi { .. })
        });
        let failed = errors.iter().any(|e| match e {
            Error::Syntax { path, .. } | Error::Schema { path, .. } | Error::Io { path, .. } => {
                path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    strip_suffix(n, &OPENAPI_SUFFIXES).as_deref() == Some(stem.as_str())
                        || *path == overlay
                })
            }
            _ => false,
        });
        if !overlaid && !failed {
            errors.push(schema_error(
                &overlay,
                "/extends",
                format!("no OpenAPI document `{stem}.openapi.yaml` (or .yml, .json) beside this overlay: an overlay is named after the document it overlays, `<api>.overlay.yaml` beside `<api>.openapi.yaml`"),
            ));
        }
    }
    Ok((sources, errors))
}

/// The overlays directly in `dir`.
fn overlay_files(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(entries(dir)?
        .into_iter()
        .filter(|path| is_overlay(path))
        .collect())
}

fn is_overlay(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    strip_suffix(name, &OVERLAY_SUFFIXES).is_some()
}

/// The source files directly in `dir`, sorted by file name so output order never
/// depends on the file system. Subdirectories (such as `examples/`), dotfiles and
/// documentation are not sources.
pub fn source_files(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(entries(dir)?
        .into_iter()
        .filter(|path| !is_ignored(path) && !is_overlay(path))
        .collect())
}

/// The files directly in `dir`, sorted by name.
fn entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let io_error = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let file_type = entry.file_type().map_err(io_error)?;
        if !file_type.is_dir() {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}

/// Dotfiles and documentation beside the schemas are not sources.
fn is_ignored(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with('.') || name.ends_with(".md")
}

/// Parses one source file; generated files name it `<its directory>/<file name>`.
pub fn load_file(path: &Path) -> Result<Source> {
    // The directory's own name, however it was named (`.`, `../specs`): generated
    // files must not depend on where codegen ran.
    let dir_name = path
        .parent()
        .and_then(|dir| dir.canonicalize().ok())
        .and_then(|dir| dir.file_name().map(PathBuf::from))
        .unwrap_or_default();
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let text = read_text(path)?;
    let display = dir_name.join(&file_name);
    let mut overlay = None;
    let (name, document) = if let Some(name) = strip_suffix(&file_name, &OPENAPI_SUFFIXES) {
        let mut raw = parse_any(path, &text)?;
        if let Some(overlay_path) = overlay_beside(path, &name) {
            let overlay_value = parse_any(&overlay_path, &read_text(&overlay_path)?)?;
            overlay = Some(crate::overlay::apply(
                &mut raw,
                &overlay_value,
                &overlay_path,
                &file_name,
            )?);
        }
        let version = openapi_version(path, &raw)?;
        (name, Document::OpenApi { raw, version })
    } else if let Some(name) = strip_suffix(&file_name, &[TOOL_SUFFIX]) {
        (
            name,
            Document::McpTool {
                raw: parse_json(path, &text)?,
            },
        )
    } else {
        return Err(Error::Syntax {
            path: path.to_owned(),
            line: 0,
            column: 0,
            message: format!(
                "not a schema source: expected a name ending in {} or {TOOL_SUFFIX}",
                OPENAPI_SUFFIXES.join(", ")
            ),
        });
    };
    if !crate::model::is_valid_name(&name, true) {
        return Err(schema_error(
            path,
            "",
            format!(
                "the file name gives the API the name `{name}`, which names its Rust module and its schema ids: expected {} and no Rust keyword",
                crate::model::NAME_RULE
            ),
        ));
    }
    Ok(Source {
        path: path.to_owned(),
        display,
        name,
        document,
        overlay,
    })
}

/// The most a source (a spec, an overlay, a tool) may hold, in bytes: what is read
/// stops there, whatever the file system says (a FIFO, `/dev/zero`).
pub const MAX_SOURCE_BYTES: u64 = 64 << 20;

fn read_text(path: &Path) -> Result<String> {
    use std::io::Read;
    let io_error = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(Error::Syntax {
            path: path.to_owned(),
            line: 0,
            column: 0,
            message: format!(
                "the file holds more than {MAX_SOURCE_BYTES} bytes, the most a source may"
            ),
        });
    }
    String::from_utf8(bytes).map_err(|e| Error::Syntax {
        path: path.to_owned(),
        line: 0,
        column: 0,
        message: format!("not UTF-8 text: {e}"),
    })
}

/// JSON by its name, YAML otherwise.
fn parse_any(path: &Path, text: &str) -> Result<Value> {
    if path.extension().is_some_and(|e| e == "json") {
        parse_json(path, text)
    } else {
        parse_yaml::<Value>(path, text, "YAML")
    }
}

/// The overlay named after the document `<name>.openapi.*`, if there is one.
fn overlay_beside(path: &Path, name: &str) -> Option<PathBuf> {
    let dir = path.parent()?;
    OVERLAY_SUFFIXES
        .iter()
        .map(|suffix| dir.join(format!("{name}{suffix}")))
        .find(|candidate| candidate.is_file())
}

/// The OpenAPI version a document declares; Swagger 2.0 and versions without a
/// dialect here are refused rather than read with the wrong rules.
fn openapi_version(path: &Path, raw: &Value) -> Result<OpenApiVersion> {
    if let Some(swagger) = raw.get("swagger") {
        return Err(schema_error(
            path,
            "/swagger",
            format!(
                "Swagger {} is not supported: convert the document to OpenAPI 3.0 or 3.1 first",
                swagger.as_str().unwrap_or("2.0")
            ),
        ));
    }
    match raw.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(OpenApiVersion::V30),
        Some(Value::String(v)) if v.starts_with("3.1.") => Ok(OpenApiVersion::V31),
        other => Err(schema_error(
            path,
            "/openapi",
            format!(
                "expected an OpenAPI version string 3.0.x or 3.1.x, found {}",
                match other {
                    None => "none".to_owned(),
                    Some(Value::String(v)) => format!("{v:?}"),
                    Some(Value::Number(n)) => format!("the number {n} (quote it: '{n}.0')"),
                    Some(other) => crate::normalise::kind_of(other).to_owned(),
                }
            ),
        )),
    }
}

fn strip_suffix(file_name: &str, suffixes: &[&str]) -> Option<String> {
    suffixes
        .iter()
        .find_map(|suffix| file_name.strip_suffix(suffix))
        .filter(|stem| !stem.is_empty())
        .map(str::to_owned)
}

fn parse_json(path: &Path, text: &str) -> Result<Value> {
    let syntax = |e: serde_json::Error| Error::Syntax {
        path: path.to_owned(),
        line: e.line(),
        column: e.column(),
        message: format!("invalid JSON: {}", without_location(&e.to_string())),
    };
    let value = serde_json::from_str(text).map_err(syntax)?;
    serde_json::from_str::<crate::unique::NoDuplicates>(text).map_err(syntax)?;
    Ok(value)
}

/// Parses YAML (JSON is YAML too) into `T`; a document that does not fit `T` is
/// reported at the place serde stopped.
fn parse_yaml<T: serde::de::DeserializeOwned>(path: &Path, text: &str, what: &str) -> Result<T> {
    let syntax = |e: serde_yaml_ng::Error| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        Error::Syntax {
            path: path.to_owned(),
            line,
            column,
            message: format!("invalid {what}: {}", without_location(&e.to_string())),
        }
    };
    let value = serde_yaml_ng::from_str(text).map_err(syntax)?;
    serde_yaml_ng::from_str::<crate::unique::NoDuplicates>(text).map_err(syntax)?;
    Ok(value)
}

/// serde's messages end in " at line L column C", which the error already leads with.
fn without_location(message: &str) -> &str {
    message
        .rsplit_once(" at line ")
        .map_or(message, |(message, _)| message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str, text: &str) -> Result<Source> {
        let dir =
            std::env::temp_dir().join(format!("bankschema-load-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let source = load_file(&path);
        std::fs::remove_dir_all(&dir).unwrap();
        source
    }

    #[test]
    fn duplicate_keys_are_refused_where_they_stand() {
        let refusal = |name: &str, text: &str| match load(name, text) {
            Err(Error::Syntax {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("{name}: {:?}", other.map(|s| s.name)),
        };
        let (line, column, message) = refusal(
            "t.tool.json",
            "{\"name\": \"t\",\n \"inputSchema\": {\"type\": \"object\", \"type\": \"string\"}}",
        );
        assert_eq!(
            (line, message.contains("duplicate key `type`")),
            (2, true),
            "{message}"
        );
        assert!(column > 30, "{column}");
        let (line, _, message) = refusal(
            "a.openapi.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: string\n      type: integer\n",
        );
        assert!(
            message.contains("components.schemas.A: duplicate key `type`"),
            "{message}"
        );
        assert!(line >= 6, "{line}");
        // Keys YAML reads as numbers are keys all the same.
        let (_, _, message) = refusal(
            "b.openapi.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx: {200: a, 200: b}\n",
        );
        assert!(message.contains("duplicate key `200`"), "{message}");
    }

    #[test]
    fn a_source_is_read_no_further_than_the_limit() {
        let dir = std::env::temp_dir().join(format!("bankschema-big-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.tool.json");
        let file = std::fs::File::create(&path).unwrap();
        // Sparse: as big as the file system says, without the disk.
        file.set_len(MAX_SOURCE_BYTES + 10).unwrap();
        let error = load_file(&path).err().map(|e| e.to_string());
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            error
                .as_deref()
                .is_some_and(|e| e.contains("more than 67108864 bytes")),
            "{error:?}"
        );
    }

    #[test]
    fn openapi_versions_are_read_with_their_rules_and_others_refused() {
        let version = |text: &str| match load("a.openapi.yaml", text) {
            Ok(Source {
                document: Document::OpenApi { version, .. },
                ..
            }) => Ok(version),
            Ok(_) => panic!("not OpenAPI"),
            Err(e) => Err(e.to_string()),
        };
        assert_eq!(version("openapi: 3.0.3\n"), Ok(OpenApiVersion::V30));
        assert_eq!(version("openapi: 3.1.0\n"), Ok(OpenApiVersion::V31));
        let swagger = version("swagger: '2.0'\n").unwrap_err();
        assert!(
            swagger.contains("at /swagger: Swagger 2.0 is not supported"),
            "{swagger}"
        );
        let unknown = version("openapi: 4.0.0\n").unwrap_err();
        assert!(
            unknown.contains(
                "at /openapi: expected an OpenAPI version string 3.0.x or 3.1.x, found \"4.0.0\""
            ),
            "{unknown}"
        );
        let number = version("openapi: 3.1\n").unwrap_err();
        assert!(
            number.contains("found the number 3.1 (quote it"),
            "{number}"
        );
        let name = load("my.bank.openapi.yaml", "openapi: 3.0.3\n")
            .err()
            .unwrap()
            .to_string();
        assert!(name.contains("gives the API the name `my.bank`"), "{name}");
        let keyword = load("type.openapi.yaml", "openapi: 3.0.3\n")
            .err()
            .unwrap()
            .to_string();
        assert!(keyword.contains("no Rust keyword"), "{keyword}");
    }
}
