//! The generator behind `cargo xtask codegen`.
//!
//! It reads the API contracts in `schemas/` and writes two crates into `generated/`:
//! `bankschema-types` (Rust types, made by typify) and `bankschema-validator` (one
//! validating and one parsing function per schema id, with the schemas embedded).
//!
//! Data flows one way, through small stages:
//!
//! 1. [`load`]: files into parsed documents (syntax errors carry line and column),
//!    with [`overlay`]: an OpenAPI Overlay beside a publisher's file applied to it;
//! 2. [`openapi`] and [`tool`], with [`normalise`]: documents into [`model::Api`]s,
//!    whose definitions are JSON Schema 2020-12 (content errors carry a pointer);
//!    from a published spec, only the selected messages and what they reach;
//! 3. [`types`] (with [`nodes`]), [`rules`] and [`validator`]: each API into Rust
//!    syntax trees, every Rust name taken from typify's ([`types::Types::names`]) (the rules stage finds where the prose rules attached in
//!    `schemas/` apply);
//! 4. [`output`]: syntax trees into the files of `generated/`, compared with or written
//!    to disk only once every stage before has succeeded.

pub mod checks;
pub mod document;
pub mod error;
pub mod load;
pub mod model;
pub mod nodes;
pub mod normalise;
pub mod openapi;
pub mod output;
pub mod overlay;
pub mod rules;
pub mod tool;
pub mod types;
mod unique;
pub mod validator;

pub use error::{Error, Result};
pub use output::{GeneratedFile, Layout, Stale};

use crate::error::schema_error;
use crate::load::{Document, Source};
use crate::model::Api;
use std::collections::BTreeMap;
use std::path::Path;

/// Every source in `schemas_dir` as the internal form, checked to name each schema
/// id and module once and to compile as JSON Schema.
pub fn read_apis(schemas_dir: &Path) -> Result<Vec<Api>> {
    // Every source's refusals, not only the first source's.
    let (sources, mut errors) = load::load_all(schemas_dir)?;
    let mut apis = Vec::new();
    for source in &sources {
        match api_of(source).and_then(|api| {
            check(&api).map_err(|e| source.relocate(e))?;
            Ok(api)
        }) {
            Ok(api) => apis.push(api),
            Err(Error::Many(more)) => errors.extend(more),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(Error::all(errors));
    }
    check_unique(&apis)?;
    Ok(apis)
}

/// One source file as the internal form, checked to compile: what a linter asks.
pub fn read_api(path: &Path) -> Result<Api> {
    let source = load::load_file(path)?;
    let api = api_of(&source)?;
    check(&api).map_err(|e| source.relocate(e))?;
    // The types too, so that a linter refuses what codegen refuses (two definitions
    // with one Rust name, a schema typify cannot type).
    types::emit(&api).map_err(|e| source.relocate(e))?;
    Ok(api)
}

/// Checks that every message of `api` compiles as JSON Schema the way the validator
/// will compile it, and that its rule attachments are known.
pub fn check(api: &Api) -> Result<()> {
    api.messages
        .iter()
        .try_for_each(|message| compile(api, message))
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

fn api_of(source: &Source) -> Result<Api> {
    match &source.document {
        Document::OpenApi { raw, version } => openapi::api(source, raw, *version),
        Document::McpTool { raw } => tool::api(source, raw),
    }
    .map_err(|e| source.relocate(e))
}

/// Two sources may not claim one schema id, nor two ids one Rust name.
fn check_unique(apis: &[Api]) -> Result<()> {
    let mut modules = BTreeMap::new();
    let mut ids = BTreeMap::new();
    for api in apis {
        if let Some(first) = modules.insert(api.module(), &api.source) {
            return Err(schema_error(
                &api.source,
                "",
                format!(
                    "its Rust module `{}` is already taken by {}",
                    api.module(),
                    first.display()
                ),
            ));
        }
        for message in &api.messages {
            let rust_name = validator::variant_name(&message.id);
            if let Some((id, first)) = ids.insert(rust_name, (&message.id, &api.source)) {
                return Err(schema_error(
                    &api.source,
                    "",
                    format!(
                        "schema id `{}` clashes with `{id}` from {}",
                        message.id,
                        first.display()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Compiles one message schema the way the validator will (formats asserted,
/// linear-time patterns), and
/// checks its rule attachments name known rules with known options.
fn compile(api: &Api, message: &model::Message) -> Result<()> {
    rules::attachments(api, message)?;
    let schema = api.message_schema(message);
    bankschema_runtime::compile::<jsonschema::json::SerdeJson>(&schema)
        .map(drop)
        .map_err(|e| {
            let pointer = format!("/$defs/{}", normalise::escape(&message.root));
            schema_error(
                &api.source,
                &pointer,
                format!("`{}` does not compile as JSON Schema: {e}", message.id),
            )
        })
}
