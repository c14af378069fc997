//! `bankschema codegen`: the generator's stages on a user's own sources, writing
//! crates whose manifests name the bankschema runtime by path. Only with the
//! `codegen` feature, which links typify, syn and prettyplease.

use crate::io::{note, Output};
use crate::render;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `path` made absolute through its nearest existing ancestor, links resolved.
fn absolute(path: &Path) -> Option<PathBuf> {
    let path = std::env::current_dir().ok()?.join(path);
    let mut rest = Vec::new();
    let mut existing = path.as_path();
    loop {
        if let Ok(found) = existing.canonicalize() {
            return Some(rest.iter().rev().fold(found, |p, c| p.join(c)));
        }
        rest.push(existing.file_name()?.to_owned());
        existing = existing.parent()?;
    }
}

/// The path from directory `from` to `to`, both absolute.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let (from, to): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path: PathBuf = std::iter::repeat_n("..", from.len() - common).collect();
    path.extend(&to[common..]);
    path
}

/// `bankschema codegen`: 0 written or fresh, 1 stale (with `--check`), 2 an error.
pub fn codegen(
    schemas: &Path,
    dir: &Path,
    runtime: Option<PathBuf>,
    check: bool,
    out: &mut Output,
) -> ExitCode {
    let runtime = runtime.unwrap_or_else(|| {
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../bankschema-runtime"
        ))
        .to_owned()
    });
    let runtime = match runtime.canonicalize() {
        Ok(path) if path.join("Cargo.toml").is_file() => path,
        _ => {
            note(&format!(
                "error: {}: not the bankschema-runtime crate; name it with --runtime DIR",
                render::printable(&runtime.display().to_string())
            ));
            return ExitCode::from(2);
        }
    };
    let mode = if check {
        bankschema_codegen::Mode::Check
    } else {
        bankschema_codegen::Mode::Write
    };
    // Relative to the generated crates, so that the manifests are the same on every
    // checkout of the repository.
    let runtime = match absolute(dir) {
        Some(dir) => relative(&dir.join("bankschema-types"), &runtime),
        None => runtime,
    };
    let layout = bankschema_codegen::Layout::Standalone { runtime };
    match bankschema_codegen::codegen_into(schemas, dir, mode, &layout) {
        Ok(outcome) if outcome.stale.is_empty() => {
            out.write(&format!(
                "{}: {} files, fresh\n",
                render::printable(&dir.display().to_string()),
                outcome.files
            ));
            ExitCode::SUCCESS
        }
        Ok(outcome) => {
            for file in &outcome.stale {
                let verb = if check { "stale" } else { "updated" };
                let path = dir.join(file.path()).display().to_string();
                out.write(&format!("{verb}: {}\n", render::printable(&path)));
            }
            if check {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            note(&format!("error: {}", render::printable(&error.to_string())));
            if !check {
                note(&format!(
                    "{} is unchanged",
                    render::printable(&dir.display().to_string())
                ));
            }
            ExitCode::from(2)
        }
    }
}
