//! OpenAPI 3.0 documents into the internal form.
//!
//! `components/schemas` become the API's definitions; every response with a JSON
//! body becomes a message, named by the `x-bankschema-id` extension on the response
//! so that the schema id stays stable when status codes or paths are reorganised.

use crate::error::{schema_error, Result};
use crate::load::Source;
use crate::model::{Api, Message};
use crate::normalise::{escape, resolve_definitions, Dialect, Normaliser};
use openapiv3::{OpenAPI, ReferenceOr, Response};
use serde_json::Value;

const SCHEMA_ID: &str = "x-bankschema-id";
const JSON: &str = "application/json";

pub fn api(source: &Source, raw: &Value, typed: &OpenAPI) -> Result<Api> {
    let path = source.path.as_path();
    let mut normaliser = Normaliser::new(path, Dialect::OpenApi30);
    let mut normalised = Vec::new();
    if let Some(schemas) = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            let pointer = format!("/components/schemas/{}", escape(name));
            let (schema, refs) = normaliser.definition(schema, &pointer)?;
            normalised.push((name.clone(), schema, refs));
        }
    }
    let defs = resolve_definitions(path, normalised)?;

    let mut messages = Vec::new();
    for (route, method, operation) in typed.operations() {
        let responses = &operation.responses;
        let coded = responses
            .responses
            .iter()
            .map(|(code, r)| (code.to_string(), r));
        let default = responses.default.iter().map(|r| ("default".to_owned(), r));
        for (code, response) in coded.chain(default) {
            let pointer = format!("/paths/{}/{method}/responses/{code}", escape(route));
            let summary = format!("{} {route} {code}", method.to_uppercase());
            let ReferenceOr::Item(response) = response else {
                return Err(schema_error(
                    path,
                    &pointer,
                    "response $refs are not supported; write the response inline",
                ));
            };
            if let Some(message) = message(source, response, &pointer, summary)? {
                if !defs.contains_key(&message.root) {
                    let at = format!("{pointer}/content/{}/schema/$ref", escape(JSON));
                    return Err(schema_error(
                        path,
                        &at,
                        format!(
                            "dangling $ref: there is no definition named `{}`",
                            message.root
                        ),
                    ));
                }
                messages.push(message);
            }
        }
    }

    let title = typed.info.title.clone();
    Ok(Api {
        name: source.name.clone(),
        source: source.display.clone(),
        title,
        defs,
        messages,
    })
}

/// The message a response carries, if it has a body.
fn message(
    source: &Source,
    response: &Response,
    pointer: &str,
    summary: String,
) -> Result<Option<Message>> {
    let path = source.path.as_path();
    if let Some(other) = response.content.keys().find(|media| media.as_str() != JSON) {
        let at = format!("{pointer}/content/{}", escape(other));
        return Err(schema_error(
            path,
            &at,
            format!("only `{JSON}` bodies are supported, found `{other}`"),
        ));
    }
    let id = response.extensions.get(SCHEMA_ID);
    let media = response.content.get(JSON);
    let (id, media) = match (id, media) {
        (None, None) => return Ok(None),
        (None, Some(_)) => {
            return Err(schema_error(
                path,
                pointer,
                format!("a response with a JSON body needs `{SCHEMA_ID}` to name its schema id"),
            ));
        }
        (Some(_), None) => {
            return Err(schema_error(
                path,
                pointer,
                format!("`{SCHEMA_ID}` names a body, but the response has no `{JSON}` content"),
            ));
        }
        (Some(id), Some(media)) => (id, media),
    };
    let id_pointer = format!("{pointer}/{SCHEMA_ID}");
    let id = match id {
        Value::String(id)
            if id
                .strip_prefix(&source.name)
                .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.')) =>
        {
            id.clone()
        }
        other => {
            return Err(schema_error(
                path,
                &id_pointer,
                format!(
                    "expected a schema id `{}.<message>`, found {other}",
                    source.name
                ),
            ));
        }
    };
    let schema_pointer = format!("{pointer}/content/{}/schema", escape(JSON));
    let root = match &media.schema {
        Some(ReferenceOr::Reference { reference }) => reference
            .strip_prefix("#/components/schemas/")
            .map(|name| name.replace("~1", "/").replace("~0", "~"))
            .ok_or_else(|| {
                schema_error(
                    path,
                    &format!("{schema_pointer}/$ref"),
                    format!("expected `#/components/schemas/<name>`, found `{reference}`"),
                )
            })?,
        _ => {
            return Err(schema_error(path, &schema_pointer, "a message body must be a $ref to `#/components/schemas/<name>`, which names its Rust type"));
        }
    };
    Ok(Some(Message {
        id,
        root,
        answers: None,
        summary: format!(
            "{summary}: {}",
            response.description.trim().trim_end_matches('.')
        ),
    }))
}
