//! OpenAPI 3.0 and 3.1 documents into the internal form.
//!
//! A published spec holds hundreds of operations; bankschema generates code for the
//! messages it is asked for and nothing else. A message is selected by an
//! `x-bankschema-id` (usually written by an overlay, see [`crate::overlay`]) on:
//! - a response object, or beside a response `$ref`;
//! - a `components/responses` entry: one message, however many operations use it;
//! - a `requestBody` (inline, beside its `$ref`, or on a `components/requestBodies`
//!   entry): a request message.
//!
//! Only the definitions a selected message reaches are normalised and typed; the rest
//! of the document is read but needs no support. A body is JSON when its media type
//! is `application/json` or `application/<anything>+json`, parameters such as
//! `; charset=utf-8` aside; other media are not messages.
//!
//! The walk reads the document as JSON rather than through the `openapiv3` crate:
//! that crate reads 3.0 only and types every schema object of the document, where
//! this stage needs only paths, operations, responses and media, in both versions.

use crate::error::{schema_error, Result};
use crate::load::{OpenApiVersion, Source};
use crate::model::{Api, Message};
use crate::normalise::{escape, resolve_definitions, Dialect, Normalised, Normaliser};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod select;

use select::select;

const SCHEMA_ID: &str = "x-bankschema-id";
/// Beside an id, which JSON media type's schema is the message, where a response
/// gives JSON media with different schemas (`application/json` and
/// `application/problem+json`, say).
const MEDIA: &str = "x-bankschema-media";
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const SCHEMAS: &str = "#/components/schemas/";

/// The body of a selected message before its definitions are read.
enum Body {
    /// A `$ref` to a component schema, named at `pointer`.
    Named { name: String, pointer: String },
    /// A schema written in place, at `pointer`.
    Inline { schema: Value, pointer: String },
}

struct Selected {
    message: Message,
    body: Body,
}

pub fn api(source: &Source, raw: &Value, version: OpenApiVersion) -> Result<Api> {
    let path = source.path.as_path();
    let dialect = match version {
        OpenApiVersion::V30 => Dialect::OpenApi30,
        OpenApiVersion::V31 => Dialect::OpenApi31,
    };
    let (selected, errors) = select(source, raw);
    let components = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut reading = Reading {
        normaliser: Normaliser::new(path, dialect),
        normalised: Vec::new(),
        queue: Vec::new(),
        errors,
    };
    let mut messages = Vec::new();
    for Selected { mut message, body } in selected {
        match body {
            Body::Named { name, pointer } => {
                reading.queue.push((name.clone(), pointer));
                message.root = name;
            }
            Body::Inline { schema, pointer } => {
                let name = inline_name(&message.id, components, &reading.normalised);
                reading.definition(&name, &schema, &pointer);
                message.root = name;
            }
        }
        messages.push(message);
    }
    reading.reached(path, components);
    let Reading {
        normaliser,
        mut normalised,
        mut errors,
        ..
    } = reading;
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.to_string());
        return Err(crate::Error::all(errors));
    }
    // In the order the document declares them, bodies written in place last.
    let order: BTreeMap<&str, usize> = components
        .into_iter()
        .flat_map(|c| c.keys())
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    normalised.sort_by_key(|d| order.get(d.name.as_str()).copied().unwrap_or(usize::MAX));
    let warnings = normaliser.into_warnings();
    let defs = resolve_definitions(path, normalised)?;
    let title = raw
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or(&source.name)
        .to_owned();
    Ok(Api {
        name: source.name.clone(),
        source: source.display.clone(),
        title,
        defs,
        messages,
        warnings,
    })
}

/// The definitions read so far, and those they refer to that are still to read.
struct Reading<'a> {
    normaliser: Normaliser<'a>,
    normalised: Vec<Normalised>,
    /// (name, the pointer of a `$ref` to it).
    queue: Vec<(String, String)>,
    /// Every refusal of the spec at once, each at its place.
    errors: Vec<crate::Error>,
}

impl Reading<'_> {
    /// Reads the definition `name`, `schema` at `pointer`, and queues what it refers to.
    fn definition(&mut self, name: &str, schema: &Value, pointer: &str) {
        match self.normaliser.definition(name, schema, pointer) {
            Ok(definition) => {
                let refs = definition.refs.iter();
                self.queue.extend(refs.map(|(n, p)| (n.clone(), p.clone())));
                self.normalised.push(definition);
            }
            Err(error) => self.errors.push(error),
        }
    }

    /// Reads the definitions of `components` the queue reaches, each once.
    fn reached(&mut self, path: &Path, components: Option<&Map<String, Value>>) {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        while let Some((name, referred_at)) = self.queue.pop() {
            if !seen.insert(name.clone()) || self.normalised.iter().any(|d| d.name == name) {
                continue;
            }
            let Some(schema) = components.and_then(|c| c.get(&name)) else {
                self.errors.push(schema_error(
                    path,
                    &referred_at,
                    format!("dangling $ref: there is no definition named `{name}`"),
                ));
                continue;
            };
            let pointer = format!("/components/schemas/{}", escape(&name));
            self.definition(&name, schema, &pointer);
        }
    }
}

/// The Rust-facing name of a body written in place: the message's part of its id,
/// such as `AccountsGetRequest` for `plaid.accounts-get-request`, kept clear of the
/// document's own definition names.
fn inline_name(id: &str, components: Option<&Map<String, Value>>, taken: &[Normalised]) -> String {
    let message = id.split_once('.').map_or(id, |(_, m)| m);
    let base = crate::model::variant_name(message);
    let free = |name: &str| {
        !components.is_some_and(|c| c.contains_key(name)) && !taken.iter().any(|d| d.name == name)
    };
    std::iter::once(base.clone())
        .chain((0..).map(|i| {
            format!(
                "{base}Body{}",
                if i == 0 { String::new() } else { i.to_string() }
            )
        }))
        .find(|name| free(name))
        .unwrap_or(base)
}

/// `application/json` and `application/<anything>+json`, parameters aside.
pub fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|subtype| subtype.ends_with("+json") && subtype.len() > "+json".len())
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}

#[cfg(test)]
mod tests;
