//! The front end of the generator: API contracts into one model.
//!
//! Files in `schemas/` (OpenAPI 3.0 and 3.1 documents, MCP tool definitions,
//! standalone JSON Schema), each with the OpenAPI Overlay beside it, become
//! [`model::Api`]s whose definitions are JSON Schema 2020-12. Data flows one way:
//!
//! 1. [`load`]: files into parsed documents (syntax errors carry line and column),
//!    with [`overlay`] applied and repeated keys refused;
//! 2. [`openapi`], [`tool`] and [`document`], with [`normalise`]: documents into the
//!    model (content errors carry a pointer); from a published spec, only the
//!    selected messages and what they reach;
//! 3. [`rules`]: where the prose rules attached in the sources apply, checked here.
//!
//! Every stage that walks a schema, here, in the generator and in the command line,
//! walks it through [`traverse`]: the one list of keywords that hold subschemas,
//! with where each applies in a payload.
//!
//! `bankschema-codegen` turns the model into Rust; the command line's `diff` reads
//! the model alone, so neither it nor this crate links typify, syn or prettyplease.

pub mod document;
pub mod error;
pub mod load;
pub mod model;
pub mod normalise;
pub mod openapi;
pub mod overlay;
pub mod rules;
pub mod tool;
pub mod traverse;
mod unique;

pub use error::{Error, Result};

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
        match read_source(source) {
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

/// One source file as the internal form, checked to compile as JSON Schema. (A
/// linter that must refuse what codegen refuses also runs the types stage:
/// `bankschema_codegen::read_api`.)
pub fn read_api(path: &Path) -> Result<Api> {
    let source = load::load_file(path)?;
    read_source(&source)
}

/// One loaded source as the internal form, checked to compile as JSON Schema.
pub fn read_source(source: &Source) -> Result<Api> {
    let api = api_of(source)?;
    check(&api).map_err(|e| source.relocate(e))?;
    Ok(api)
}

/// Checks that every message of `api` compiles as JSON Schema the way the validator
/// will compile it, and that its rule attachments are known.
pub fn check(api: &Api) -> Result<()> {
    api.messages
        .iter()
        .try_for_each(|message| compile(api, message))
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
            let rust_name = model::variant_name(&message.id);
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
