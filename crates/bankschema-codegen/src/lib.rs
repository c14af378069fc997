//! The generator behind `cargo xtask codegen`: the back end.
//!
//! `bankschema-model` reads the API contracts in `schemas/` into [`model::Api`]s (its
//! modules are re-exported here); this crate writes two crates from them into
//! `generated/`: `bankschema-types` (Rust types, made by typify) and
//! `bankschema-validator` (one validating and one parsing function per schema id,
//! with the schemas embedded).
//!
//! Data flows one way, through small stages:
//!
//! 1. `bankschema-model`: files into the model (see its crate docs);
//! 2. [`types`] (with [`nodes`]), [`checks`] and [`validator`]: each API into Rust
//!    syntax trees, every Rust name taken from typify's ([`types::Types::names`]);
//! 3. [`output`]: syntax trees into the files of `generated/`, compared with or written
//!    to disk only once every stage before has succeeded.

pub mod checks;
pub mod nodes;
pub mod output;
pub mod types;
pub mod validator;

pub use bankschema_model::{
    check, document, error, load, model, normalise, openapi, overlay, read_apis, rules, tool,
    traverse, Error, Result,
};
pub use output::{GeneratedFile, Layout, Stale};

use std::path::Path;

/// One source file as the internal form, checked as codegen checks it: it compiles
/// as JSON Schema and typify types it (no two definitions with one Rust name). What a
/// linter asks.
pub fn read_api(path: &Path) -> Result<model::Api> {
    let source = load::load_file(path)?;
    let api = bankschema_model::read_source(&source)?;
    types::emit(&api).map_err(|e| source.relocate(e))?;
    Ok(api)
}

/// The files of `generated/` that the sources in `schemas_dir` give, in memory.
pub fn generate(schemas_dir: &Path) -> Result<Vec<GeneratedFile>> {
    output::render(&read_apis(schemas_dir)?)
}

/// Whether [`codegen`] brings `generated/` up to date or only compares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Write,
    /// Write nothing; report what differs.
    Check,
}

/// What [`codegen`] found.
#[derive(Debug)]
pub struct Outcome {
    /// How many files the sources give.
    pub files: usize,
    /// The files that differed from them: rewritten in [`Mode::Write`], only listed
    /// in [`Mode::Check`].
    pub stale: Vec<Stale>,
    /// The markdown table of the prose rules and the fields they govern, for the
    /// README's generated section (see [`sync_section`]).
    pub rules_table: String,
}

/// The whole job: generate from `schemas_dir` in memory, then write to or compare
/// with `generated_dir`. A broken source stops it before `generated_dir` is touched.
pub fn codegen(schemas_dir: &Path, generated_dir: &Path, mode: Mode) -> Result<Outcome> {
    codegen_into(schemas_dir, generated_dir, mode, &Layout::Workspace)
}

/// The job for crates outside this workspace (`bankschema codegen`): generate from
/// `schemas_dir` and write to or compare with `out_dir`, the manifests naming their
/// dependencies as `layout` says.
pub fn codegen_into(
    schemas_dir: &Path,
    out_dir: &Path,
    mode: Mode,
    layout: &Layout,
) -> Result<Outcome> {
    let apis = read_apis(schemas_dir)?;
    let files = output::render_for(&apis, layout)?;
    let stale = match mode {
        Mode::Write => output::write(out_dir, &files)?,
        Mode::Check => output::stale(out_dir, &files)?,
    };
    Ok(Outcome {
        files: files.len(),
        stale,
        rules_table: rules::table(&apis)?,
    })
}

/// Brings (or in [`Mode::Check`] compares) the section that `command` generates in a
/// hand-written file such as README.md up to date with `contents`; true when it
/// differed.
pub fn sync_section(path: &Path, command: &str, contents: &str, mode: Mode) -> Result<bool> {
    output::section(path, command, contents, mode == Mode::Write)
}
