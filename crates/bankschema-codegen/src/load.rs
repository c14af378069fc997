//! Reading stage: find the source files in `schemas/` and parse them.
//!
//! This stage only turns text into documents and reports where the text is broken;
//! what the documents mean is the business of [`crate::openapi`] and [`crate::tool`].

use crate::error::{Error, Result};
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
}

pub enum Document {
    /// An OpenAPI 3.0 document, raw (for schema objects, located by pointer) and typed
    /// (for its operations and responses).
    OpenApi {
        raw: Value,
        typed: Box<openapiv3::OpenAPI>,
    },
    /// An MCP tool description with `inputSchema` and `outputSchema`.
    McpTool { raw: Value },
}

const OPENAPI_SUFFIXES: [&str; 3] = [".openapi.yaml", ".openapi.yml", ".openapi.json"];
const TOOL_SUFFIX: &str = ".tool.json";

/// Every source file directly in `dir`, parsed, in the order of [`source_files`].
pub fn load_dir(dir: &Path) -> Result<Vec<Source>> {
    source_files(dir)?
        .iter()
        .map(|path| load_file(path))
        .collect()
}

/// The source files directly in `dir`, sorted by file name so output order never
/// depends on the file system. Subdirectories (such as `examples/`), dotfiles and
/// documentation are not sources.
pub fn source_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let io_error = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let file_type = entry.file_type().map_err(io_error)?;
        if !file_type.is_dir() && !is_ignored(&entry.path()) {
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
    let dir_name = path
        .parent()
        .and_then(Path::file_name)
        .map(PathBuf::from)
        .unwrap_or_default();
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let text = std::fs::read(path)
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|e| Error::Syntax {
                path: path.to_owned(),
                line: 0,
                column: 0,
                message: format!("not UTF-8 text: {e}"),
            })
        })?;
    let display = dir_name.join(&file_name);
    let (name, document) = if let Some(name) = strip_suffix(&file_name, &OPENAPI_SUFFIXES) {
        let raw = if file_name.ends_with(".json") {
            parse_json(path, &text)?
        } else {
            parse_yaml::<Value>(path, &text, "YAML")?
        };
        let typed = parse_yaml::<openapiv3::OpenAPI>(path, &text, "OpenAPI 3.0 document")?;
        (
            name,
            Document::OpenApi {
                raw,
                typed: Box::new(typed),
            },
        )
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
    Ok(Source {
        path: path.to_owned(),
        display,
        name,
        document,
    })
}

fn strip_suffix(file_name: &str, suffixes: &[&str]) -> Option<String> {
    suffixes
        .iter()
        .find_map(|suffix| file_name.strip_suffix(suffix))
        .filter(|stem| !stem.is_empty())
        .map(str::to_owned)
}

fn parse_json(path: &Path, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| Error::Syntax {
        path: path.to_owned(),
        line: e.line(),
        column: e.column(),
        message: format!("invalid JSON: {}", without_location(&e.to_string())),
    })
}

/// Parses YAML (JSON is YAML too) into `T`; a document that does not fit `T` is
/// reported at the place serde stopped.
fn parse_yaml<T: serde::de::DeserializeOwned>(path: &Path, text: &str, what: &str) -> Result<T> {
    serde_yaml_ng::from_str(text).map_err(|e| {
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
    })
}

/// serde's messages end in " at line L column C", which the error already leads with.
fn without_location(message: &str) -> &str {
    message
        .rsplit_once(" at line ")
        .map_or(message, |(message, _)| message)
}
