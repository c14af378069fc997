//! Which messages a document selects: `x-bankschema-id` on responses, component
//! responses and request bodies, each with its JSON body and the publisher's
//! examples.

use super::{first_line, is_json, Body, Selected, MEDIA, METHODS, SCHEMAS, SCHEMA_ID};
use crate::error::{schema_error, Result};
use crate::load::Source;
use crate::model::{Direction, Example, Message};
use crate::normalise::{escape, kind_of};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every message the document selects, in document order: operations first, then
/// component responses and request bodies no operation uses; and every refusal met.
pub(super) fn select(source: &Source, raw: &Value) -> (Vec<Selected>, Vec<crate::Error>) {
    let mut selector = Selector {
        source,
        raw,
        found: Vec::new(),
        places: BTreeMap::new(),
        errors: Vec::new(),
    };
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (route, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let pointer = format!("/paths/{}/{method}", escape(route));
                let summary = format!("{} {route}", method.to_uppercase());
                if let Some(body) = operation.get("requestBody") {
                    selector.consider(
                        body,
                        &format!("{pointer}/requestBody"),
                        &format!("{summary} request"),
                        Direction::Request,
                    );
                }
                let responses = operation.get("responses").and_then(Value::as_object);
                // Extension members (`x-...`) of the responses object are no response.
                let responses = responses
                    .into_iter()
                    .flatten()
                    .filter(|(code, _)| !code.starts_with("x-"));
                for (code, response) in responses {
                    selector.consider(
                        response,
                        &format!("{pointer}/responses/{}", escape(code)),
                        &format!("{summary} {code}"),
                        Direction::Response,
                    );
                }
            }
        }
    }
    for (kind, direction) in [
        ("responses", Direction::Response),
        ("requestBodies", Direction::Request),
    ] {
        let entries = raw
            .pointer(&format!("/components/{kind}"))
            .and_then(Value::as_object);
        for (name, entry) in entries.into_iter().flatten() {
            let pointer = format!("/components/{kind}/{}", escape(name));
            selector.consider(entry, &pointer, &format!("`{name}`"), direction);
        }
    }
    // An id anywhere else (a webhook, a callback, a schema) would select nothing,
    // silently.
    let read: BTreeSet<String> = selector
        .places
        .values()
        .map(|place| format!("{place}/{SCHEMA_ID}"))
        .collect();
    for pointer in id_pointers(raw) {
        if !read.contains(&pointer) {
            selector.errors.push(schema_error(
                &source.path,
                &pointer,
                format!("`{SCHEMA_ID}` here selects nothing: it is read on a response (or beside a response `$ref`), a `components/responses` entry, a request body or a `components/requestBodies` entry of an operation under `paths`"),
            ));
        }
    }
    (selector.found, selector.errors)
}

/// Where `x-bankschema-id` stands anywhere in the document, found without recursion.
pub(super) fn id_pointers(raw: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![(raw, String::new())];
    while let Some((value, pointer)) = stack.pop() {
        match value {
            Value::Object(members) => {
                for (key, member) in members {
                    let here = format!("{pointer}/{}", escape(key));
                    if key == SCHEMA_ID {
                        found.push(here);
                    } else {
                        stack.push((member, here));
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    stack.push((item, format!("{pointer}/{i}")));
                }
            }
            _ => {}
        }
    }
    found.sort();
    found
}

pub(super) struct Selector<'a> {
    source: &'a Source,
    raw: &'a Value,
    found: Vec<Selected>,
    /// Schema id -> the pointer of the object that carries it.
    places: BTreeMap<String, String>,
    /// Every refusal met, each at its place.
    errors: Vec<crate::Error>,
}

impl<'a> Selector<'a> {
    fn path(&self) -> &Path {
        &self.source.path
    }

    /// A response or request body at `pointer`: selected when it, or the component
    /// its `$ref` names, carries an id; a refusal is kept with the others.
    fn consider(&mut self, node: &Value, pointer: &str, summary: &str, direction: Direction) {
        if let Err(error) = self.select(node, pointer, summary, direction) {
            self.errors.push(error);
        }
    }

    fn select(
        &mut self,
        node: &Value,
        pointer: &str,
        summary: &str,
        direction: Direction,
    ) -> Result<()> {
        let Some(object) = node.as_object() else {
            return Err(schema_error(
                self.path(),
                pointer,
                format!("expected an object, found {}", kind_of(node)),
            ));
        };
        let (target, target_pointer) = match object.get("$ref") {
            Some(reference) => self.component(reference, pointer, direction)?,
            None => (object, pointer.to_owned()),
        };
        let (id, place) = match (object.get(SCHEMA_ID), target.get(SCHEMA_ID)) {
            (Some(id), _) => (id, pointer.to_owned()),
            (None, Some(id)) => (id, target_pointer.clone()),
            (None, None) => return Ok(()),
        };
        let id = self.schema_id(id, &format!("{place}/{SCHEMA_ID}"))?;
        match self.places.get(&id) {
            // A component response met again through another operation.
            Some(first) if *first == place => return Ok(()),
            Some(first) => {
                return Err(schema_error(
                    self.path(),
                    &format!("{place}/{SCHEMA_ID}"),
                    format!("schema id `{id}` is already given at {first}"),
                ))
            }
            None => {}
        }
        self.places.insert(id.clone(), place);
        let media = object.get(MEDIA).or_else(|| target.get(MEDIA));
        let id_pointer = format!("{}/{SCHEMA_ID}", self.places[&id]);
        let (body, examples) = self.body(target, &target_pointer, &id, &id_pointer, media)?;
        let description = target
            .get("description")
            .and_then(Value::as_str)
            .map(|d| d.trim().trim_end_matches('.'))
            .filter(|d| !d.is_empty());
        let summary = match description {
            Some(description) => format!("{summary}: {}", first_line(description)),
            None => summary.to_owned(),
        };
        self.found.push(Selected {
            message: Message {
                id,
                root: String::new(),
                summary,
                answers: None,
                direction,
                examples,
            },
            body,
        });
        Ok(())
    }

    /// The component a response or request body `$ref` names, with its pointer.
    fn component(
        &self,
        reference: &Value,
        pointer: &str,
        direction: Direction,
    ) -> Result<(&'a Map<String, Value>, String)> {
        let kind = match direction {
            Direction::Response => "responses",
            Direction::Request => "requestBodies",
        };
        let prefix = format!("#/components/{kind}/");
        let at = format!("{pointer}/$ref");
        let target = reference
            .as_str()
            .and_then(|r| r.strip_prefix('#'))
            .filter(|r| r.starts_with(&prefix[1..]));
        let Some(target) = target else {
            return Err(schema_error(
                self.path(),
                &at,
                format!("expected a reference `{prefix}<name>` in this file, found {reference}"),
            ));
        };
        match self.raw.pointer(target) {
            Some(Value::Object(object)) => Ok((object, target.to_owned())),
            _ => Err(schema_error(
                self.path(),
                &at,
                format!("dangling $ref: nothing at `#{target}`"),
            )),
        }
    }

    fn schema_id(&self, id: &Value, pointer: &str) -> Result<String> {
        let name = &self.source.name;
        let message = id
            .as_str()
            .and_then(|id| id.strip_prefix(name.as_str()))
            .and_then(|rest| rest.strip_prefix('.'));
        match (id, message) {
            (Value::String(id), Some(message)) if crate::model::is_valid_name(message, false) => {
                Ok(id.clone())
            }
            (other, _) => Err(schema_error(
                self.path(),
                pointer,
                format!(
                    "expected a schema id `{name}.<message>`, the message in {}, found {other}",
                    crate::model::NAME_RULE
                ),
            )),
        }
    }

    /// The JSON body of a selected response or request body, and the examples its
    /// media object gives.
    fn body(
        &self,
        object: &Map<String, Value>,
        pointer: &str,
        id: &str,
        id_pointer: &str,
        chosen: Option<&Value>,
    ) -> Result<(Body, Vec<Example>)> {
        let (media_type, media) = self.json_media(object, pointer, id, id_pointer, chosen)?;
        let content_at = format!("{pointer}/content/{}", escape(media_type));
        let at = format!("{content_at}/schema");
        let Some(schema) = media.get("schema") else {
            return Err(schema_error(
                self.path(),
                &at,
                format!("`{id}` names a body without a schema"),
            ));
        };
        let examples = self.examples(media, &content_at);
        Ok((self.body_schema(schema, at)?, examples))
    }

    /// The one JSON media type of a body (`chosen` by `x-bankschema-media` where
    /// several are given with different schemas), and its media object.
    fn json_media<'o>(
        &self,
        object: &'o Map<String, Value>,
        pointer: &str,
        id: &str,
        id_pointer: &str,
        chosen: Option<&Value>,
    ) -> Result<(&'o String, &'o Value)> {
        let content = object.get("content").and_then(Value::as_object);
        let mut media: Vec<(&String, &Value)> = content
            .into_iter()
            .flatten()
            .filter(|(media, _)| is_json(media))
            .collect();
        if let Some(chosen) = chosen {
            let essence = |m: &str| {
                m.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            };
            media.retain(|(media, _)| chosen.as_str().map(essence) == Some(essence(media)));
            if media.is_empty() {
                return Err(schema_error(
                    self.path(),
                    &format!("{pointer}/{MEDIA}"),
                    format!(
                        "`{id}`: expected one of the JSON media types of the body, found {chosen}"
                    ),
                ));
            }
        }
        let Some((first_media, first)) = media.first() else {
            let others: Vec<&str> = content
                .into_iter()
                .flatten()
                .map(|(m, _)| m.as_str())
                .collect();
            // Blamed on the id, which is what asked for a body (and may be an
            // overlay's).
            return Err(schema_error(
                self.path(),
                id_pointer,
                format!(
                    "`{id}` names a body, but there is no JSON content at {pointer} (found {})",
                    if others.is_empty() {
                        "no content".to_owned()
                    } else {
                        others.join(", ")
                    }
                ),
            ));
        };
        fn schema_of(media: &Value) -> Option<&Value> {
            media.get("schema")
        }
        if let Some((other, _)) = media
            .iter()
            .skip(1)
            .find(|(_, m)| schema_of(m) != schema_of(first))
        {
            return Err(schema_error(
                self.path(),
                &format!("{pointer}/content/{}", escape(other)),
                format!("`{id}`: the JSON media `{first_media}` and `{other}` have different schemas; say which is the message with `{MEDIA}` beside the id"),
            ));
        }
        Ok((first_media, first))
    }

    /// A body's schema, `at`: a `$ref` alone names a definition; any other schema
    /// is written in place.
    fn body_schema(&self, schema: &Value, at: String) -> Result<Body> {
        let reference = schema.get("$ref").and_then(Value::as_str);
        let only_ref = schema
            .as_object()
            .is_some_and(|o| o.keys().all(|k| k == "$ref" || k.starts_with("x-")));
        let body = match reference {
            Some(reference) if only_ref => {
                let name = reference
                    .strip_prefix(SCHEMAS)
                    .filter(|name| !name.is_empty() && !name.contains('/'))
                    .map(|name| crate::normalise::unescape(name).into_owned())
                    .ok_or_else(|| {
                        schema_error(
                            self.path(),
                            &format!("{at}/$ref"),
                            format!("expected `{SCHEMAS}<name>`, found `{reference}`"),
                        )
                    })?;
                Body::Named {
                    name,
                    pointer: format!("{at}/$ref"),
                }
            }
            _ => Body::Inline {
                schema: schema.clone(),
                pointer: at,
            },
        };
        Ok(body)
    }

    /// The publisher's examples of a media object (`example`, or each of
    /// `examples` with its `value`, following `$ref`s into `components/examples`).
    fn examples(&self, media: &Value, pointer: &str) -> Vec<Example> {
        let mut found = Vec::new();
        if let Some(value) = media.get("example") {
            found.push(Example {
                name: "example".into(),
                pointer: format!("{pointer}/example"),
                value: value.clone(),
            });
        }
        for (name, example) in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let mut at = format!("{pointer}/examples/{}", escape(name));
            let mut example = example;
            if let Some(target) = example
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                match self.raw.pointer(target) {
                    Some(resolved) => {
                        example = resolved;
                        at = target.to_owned();
                    }
                    None => continue,
                }
            }
            if let Some(value) = example.get("value") {
                found.push(Example {
                    name: name.clone(),
                    pointer: format!("{at}/value"),
                    value: value.clone(),
                });
            }
        }
        found
    }
}
