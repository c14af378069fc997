//! The two versions `diff` compares: files, or `REV:path` read through git.

use crate::io;
use bankschema_model::model::Api;
use std::path::Path;

/// A version read as codegen reads it: a version codegen refuses (two definitions
/// with one Rust name) is an error here too, not a diff.
#[cfg(feature = "codegen")]
fn read_api(path: &Path) -> bankschema_model::Result<Api> {
    bankschema_codegen::read_api(path)
}

/// A version read by the front end alone: without the `codegen` feature, what only
/// typify refuses is not found.
#[cfg(not(feature = "codegen"))]
fn read_api(path: &Path) -> bankschema_model::Result<Api> {
    bankschema_model::read_api(path)
}

/// One version of a schema source: a path, or `REV:path` read through git (into a
/// scratch file of the same name, so that the generator reads it as it would).
pub fn load_version(spec: &str) -> Result<Api, String> {
    let path = Path::new(spec);
    if path.exists() {
        // Read once, bounded: the path may be a FIFO or `/dev/zero`. What cannot be
        // read here is left to the generator's reader, which says why.
        let bytes = io::read_bounded(path, bankschema_model::load::MAX_SOURCE_BYTES).ok();
        let renamed = bytes
            .as_deref()
            .and_then(|bytes| Some((source_name(path, bytes)?, bytes)));
        return match renamed {
            // Named as its content says: read as it is, with any overlay beside it.
            None => read_api(path).map_err(|e| e.to_string()),
            Some((name, bytes)) => {
                let dir = tempfile::tempdir().map_err(|e| format!("{spec}: {e}"))?;
                let scratch = dir.path().join(name);
                std::fs::write(&scratch, bytes).map_err(|e| format!("{spec}: {e}"))?;
                read_api(&scratch).map_err(|e| format!("{spec}: {e}"))
            }
        };
    }
    let Some((rev, file)) = spec.split_once(':') else {
        return Err(format!(
            "{spec}: no such file (for a git revision, write REV:path)"
        ));
    };
    let source = git_show(rev, file)
        .map_err(|e| format!("{spec}: {e}"))?
        .ok_or_else(|| format!("{spec}: no such file at that revision"))?;
    let dir = tempfile::tempdir().map_err(|e| format!("{spec}: {e}"))?;
    let name = Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{spec}: not a file"))?;
    let scratch = dir.path().join(name);
    std::fs::write(&scratch, &source).map_err(|e| format!("{spec}: {e}"))?;
    // The overlay beside a published spec, at the same revision.
    let stem = [".openapi.yaml", ".openapi.yml", ".openapi.json"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix));
    for suffix in [".overlay.yaml", ".overlay.yml", ".overlay.json"] {
        let Some(stem) = stem else { break };
        let overlay = Path::new(file).with_file_name(format!("{stem}{suffix}"));
        let overlay = overlay.to_string_lossy().replace('\\', "/");
        if let Some(text) = git_show(rev, &overlay).map_err(|e| format!("{spec}: {e}"))? {
            std::fs::write(dir.path().join(format!("{stem}{suffix}")), text)
                .map_err(|e| format!("{spec}: {e}"))?;
        }
    }
    read_api(&scratch).map_err(|e| format!("{spec}: {e}"))
}

/// The name a source file must have for the generator to read it, when its own
/// differs (`old.json` holding the `get-accounts` tool is `get-accounts.tool.json`;
/// an OpenAPI document is named after its ids' API): `diff` takes any two files of
/// one kind, whatever their names.
fn source_name(path: &Path, bytes: &[u8]) -> Option<String> {
    let file_name = path.file_name()?.to_str()?;
    let dir = tempfile::tempdir().ok()?;
    // Parsed under a name of each kind; the generator's reader says which it is.
    for probe in ["probe.tool.json", "probe.openapi.yaml"] {
        let scratch = dir.path().join(probe);
        std::fs::write(&scratch, bytes).ok()?;
        let Ok(source) = bankschema_model::load::load_file(&scratch) else {
            continue;
        };
        let wanted = match &source.document {
            bankschema_model::load::Document::McpTool { raw } => {
                let name = raw.get("name")?.as_str()?;
                raw.get("inputSchema").or_else(|| raw.get("outputSchema"))?;
                format!("{name}.tool.json")
            }
            bankschema_model::load::Document::OpenApi { raw, .. } => {
                let ext = if file_name.ends_with(".json") {
                    "json"
                } else {
                    "yaml"
                };
                let id = first_id(raw)?;
                format!("{}.openapi.{ext}", id.split_once('.')?.0)
            }
        };
        return (wanted != file_name).then_some(wanted);
    }
    None
}

/// The first `x-bankschema-id` of a document, found without recursion.
fn first_id(raw: &serde_json::Value) -> Option<String> {
    let mut stack = vec![raw];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Object(members) => {
                if let Some(serde_json::Value::String(id)) = members.get("x-bankschema-id") {
                    return Some(id.clone());
                }
                stack.extend(members.values());
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    None
}

/// `file` at revision `rev` through git; `None` when the revision has no such file.
/// A revision is never read as one of git's options.
fn git_show(rev: &str, file: &str) -> Result<Option<Vec<u8>>, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a revision"));
    }
    let mut child = std::process::Command::new("git")
        .args(["show", "--end-of-options", &format!("{rev}:{file}")])
        // Its messages are read below: in English, whatever the user's locale.
        .env("LC_ALL", "C")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    // The blob is read no further than a source may hold.
    let limit = bankschema_model::load::MAX_SOURCE_BYTES;
    let blob = match child.stdout.take() {
        Some(stdout) => {
            io::read_all(stdout, limit).map_err(|e| format!("cannot read git's output: {e}"))?
        }
        None => Some(Vec::new()),
    };
    let Some(blob) = blob else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!(
            "{rev}:{file} holds more than {limit} bytes, the most a source may"
        ));
    };
    let stderr = child
        .stderr
        .take()
        .and_then(|stderr| io::read_all(stderr, 1 << 16).ok().flatten())
        .unwrap_or_default();
    let status = child.wait().map_err(|e| format!("cannot run git: {e}"))?;
    if status.success() {
        return Ok(Some(blob));
    }
    let stderr = String::from_utf8_lossy(&stderr);
    if stderr.contains("does not exist in") || stderr.contains("exists on disk, but not in") {
        Ok(None)
    } else {
        Err(stderr.trim().to_owned())
    }
}
