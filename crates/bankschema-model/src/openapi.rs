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
use crate::model::{Api, Direction, Example, Message};
use crate::normalise::{escape, kind_of, resolve_definitions, Dialect, Normalised, Normaliser};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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
    let (selected, mut errors) = select(source, raw);
    let components = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut normaliser = Normaliser::new(path, dialect);
    let mut normalised = Vec::new();
    let mut queue: Vec<(String, String)> = Vec::new();
    let mut messages = Vec::new();
    for Selected { mut message, body } in selected {
        match body {
            Body::Named { name, pointer } => {
                queue.push((name.clone(), pointer));
                message.root = name;
            }
            Body::Inline { schema, pointer } => {
                let name = inline_name(&message.id, components, &normalised);
                match normaliser.definition(&name, &schema, &pointer) {
                    Ok(definition) => {
                        queue.extend(definition.refs.iter().map(|(n, p)| (n.clone(), p.clone())));
                        normalised.push(definition);
                    }
                    Err(error) => errors.push(error),
                }
                message.root = name;
            }
        }
        messages.push(message);
    }
    // The definitions the messages reach, each read once.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some((name, referred_at)) = queue.pop() {
        if !seen.insert(name.clone()) || normalised.iter().any(|d| d.name == name) {
            continue;
        }
        let Some(schema) = components.and_then(|c| c.get(&name)) else {
            errors.push(schema_error(
                path,
                &referred_at,
                format!("dangling $ref: there is no definition named `{name}`"),
            ));
            continue;
        };
        let pointer = format!("/components/schemas/{}", escape(&name));
        match normaliser.definition(&name, schema, &pointer) {
            Ok(definition) => {
                queue.extend(definition.refs.iter().map(|(n, p)| (n.clone(), p.clone())));
                normalised.push(definition);
            }
            // Every refusal of the spec at once, each at its place.
            Err(error) => errors.push(error),
        }
    }
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

/// Every message the document selects, in document order: operations first, then
/// component responses and request bodies no operation uses; and every refusal met.
fn select(source: &Source, raw: &Value) -> (Vec<Selected>, Vec<crate::Error>) {
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
fn id_pointers(raw: &Value) -> Vec<String> {
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

struct Selector<'a> {
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
        let at = format!("{pointer}/content/{}/schema", escape(first_media));
        let Some(schema) = schema_of(first) else {
            return Err(schema_error(
                self.path(),
                &at,
                format!("`{id}` names a body without a schema"),
            ));
        };
        let examples = self.examples(first, &format!("{pointer}/content/{}", escape(first_media)));
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
        Ok((body, examples))
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
mod tests {
    use super::*;
    use crate::load::Document;
    use serde_json::json;
    use std::path::PathBuf;

    fn source(raw: Value) -> Source {
        Source {
            path: PathBuf::from("schemas/bank.openapi.yaml"),
            display: PathBuf::from("schemas/bank.openapi.yaml"),
            name: "bank".into(),
            document: Document::McpTool { raw: raw.clone() },
            overlay: None,
        }
    }

    fn read(raw: Value) -> Result<Api> {
        api(&source(raw.clone()), &raw, OpenApiVersion::V30)
    }

    fn spec() -> Value {
        json!({
            "openapi": "3.0.1",
            "info": {"title": "Bank", "version": "1"},
            "paths": {
                "/accounts": {
                    "get": {"responses": {
                        "200": {"description": "The accounts.", "x-bankschema-id": "bank.accounts",
                                "content": {"application/json; charset=utf-8": {"schema": {"$ref": "#/components/schemas/AccountList"}}}},
                        "400": {"$ref": "#/components/responses/Error400"},
                        "404": {"description": "Not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unsupported"}}}}
                    }},
                    "post": {
                        "requestBody": {"x-bankschema-id": "bank.create", "content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"$ref": "#/components/schemas/Name"}}}}}},
                        "responses": {"400": {"$ref": "#/components/responses/Error400"}, "201": {"description": "Made", "content": {"text/plain": {}}}}
                    }
                }
            },
            "components": {
                "responses": {"Error400": {"description": "Bad request", "x-bankschema-id": "bank.error-400",
                    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
                "schemas": {
                    "Name": {"type": "string"},
                    "AccountList": {"type": "object", "properties": {"name": {"$ref": "#/components/schemas/Name"}}},
                    "Error": {"type": "object", "properties": {"title": {"type": "string"}}},
                    "Unsupported": {"type": "string", "frobnicate": true}
                }
            }
        })
    }

    #[test]
    fn only_selected_messages_and_the_definitions_they_reach_are_read() {
        let api = read(spec()).unwrap();
        let messages: Vec<(&str, &str, Direction)> = api
            .messages
            .iter()
            .map(|m| (m.id.as_str(), m.root.as_str(), m.direction))
            .collect();
        assert_eq!(
            messages,
            [
                ("bank.accounts", "AccountList", Direction::Response),
                ("bank.error-400", "Error", Direction::Response),
                ("bank.create", "Create", Direction::Request),
            ]
        );
        // `Unsupported` is never selected, so its unknown keyword is no concern.
        let defs: Vec<&str> = api.defs.keys().map(String::as_str).collect();
        assert_eq!(defs, ["Name", "AccountList", "Error", "Create"]);
        assert_eq!(api.messages[1].summary, "GET /accounts 400: Bad request");
    }

    #[test]
    fn json_media_types() {
        for json in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/problem+json",
            "application/vnd.api+json;v=2",
        ] {
            assert!(is_json(json), "{json}");
        }
        for other in [
            "text/plain",
            "application/xml",
            "application/+json",
            "text/json",
        ] {
            assert!(!is_json(other), "{other}");
        }
    }

    #[test]
    fn selection_errors_name_their_pointer() {
        let mut twice = spec();
        twice["paths"]["/accounts"]["get"]["responses"]["404"]["x-bankschema-id"] =
            json!("bank.accounts");
        let mut no_json = spec();
        no_json["paths"]["/accounts"]["post"]["responses"]["201"]["x-bankschema-id"] =
            json!("bank.made");
        let mut dangling = spec();
        dangling["paths"]["/accounts"]["get"]["responses"]["400"]["$ref"] =
            json!("#/components/responses/Gone");
        let mut wrong_id = spec();
        wrong_id["paths"]["/accounts"]["get"]["responses"]["200"]["x-bankschema-id"] =
            json!("other.accounts");
        let cases = [
            (
                twice,
                "/paths/~1accounts/get/responses/404/x-bankschema-id",
                "already given at /paths/~1accounts/get/responses/200",
            ),
            (
                no_json,
                "/paths/~1accounts/post/responses/201/x-bankschema-id",
                "no JSON content at /paths/~1accounts/post/responses/201 (found text/plain)",
            ),
            (
                dangling,
                "/paths/~1accounts/get/responses/400/$ref",
                "dangling $ref",
            ),
            (
                wrong_id,
                "/paths/~1accounts/get/responses/200/x-bankschema-id",
                "expected a schema id `bank.<message>`",
            ),
        ];
        for (spec, pointer, message) in cases {
            let error = read(spec).unwrap_err().to_string();
            assert!(
                error.contains(&format!("at {pointer}: ")) && error.contains(message),
                "{error}"
            );
        }
    }

    #[test]
    fn openapi_3_1_reads_its_json_schema_dialect() {
        let spec = json!({
            "openapi": "3.1.0",
            "info": {"title": "Bank", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {
                "description": "OK", "x-bankschema-id": "bank.a",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
            }}}}},
            "components": {"schemas": {
                "A": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string", "examples": ["a1"]},
                    "nick": {"type": ["string", "null"]},
                    "b": {"$ref": "#/components/schemas/B", "description": "Beside the $ref, as 3.1 allows."}
                }},
                "B": {"type": "integer", "exclusiveMinimum": 0},
                "C": {"type": "object", "properties": {
                    "count": {"type": ["integer", "null"], "format": "int32"},
                    "amount": {"type": ["number", "null"], "x-bankschema-money": true}
                }}
            }}
        });
        let mut with_c = spec.clone();
        with_c["components"]["schemas"]["A"]["properties"]["c"] =
            json!({"$ref": "#/components/schemas/C"});
        let read_c = api(&source(with_c.clone()), &with_c, OpenApiVersion::V31).unwrap();
        // `[T, "null"]` reads as 3.0's `nullable`: the format's bounds and money hold.
        assert_eq!(
            read_c.defs["C"].schema["properties"]["count"],
            json!({"anyOf": [{"type": "integer", "minimum": -2147483648i64, "maximum": 2147483647}, {"type": "null"}]})
        );
        assert_eq!(
            read_c.defs["C"].schema["properties"]["amount"],
            json!({"anyOf": [{"type": "number", "x-bankschema-money": true}, {"type": "null"}]})
        );
        let read = api(&source(spec.clone()), &spec, OpenApiVersion::V31).unwrap();
        assert_eq!(
            read.defs["A"].schema["properties"]["nick"],
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]})
        );
        assert_eq!(
            read.defs["B"].schema,
            json!({"type": "integer", "exclusiveMinimum": 0})
        );
        // 3.0's own keywords mean nothing there.
        let mut old = spec.clone();
        old["components"]["schemas"]["B"] = json!({"type": "integer", "nullable": true});
        let error = api(&source(old.clone()), &old, OpenApiVersion::V31)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("at /components/schemas/B/nullable: unsupported keyword `nullable`"),
            "{error}"
        );
    }

    #[test]
    fn an_id_where_nothing_is_read_is_refused() {
        let mut spec = spec();
        spec["webhooks"] =
            json!({"ping": {"post": {"requestBody": {"x-bankschema-id": "bank.ping"}}}});
        spec["components"]["schemas"]["Name"]["x-bankschema-id"] = json!("bank.name");
        let error = read(spec).unwrap_err().to_string();
        for pointer in [
            "at /webhooks/ping/post/requestBody/x-bankschema-id: `x-bankschema-id` here selects nothing",
            "at /components/schemas/Name/x-bankschema-id: `x-bankschema-id` here selects nothing",
        ] {
            assert!(error.contains(pointer), "{error}");
        }
    }

    #[test]
    fn every_refusal_of_a_spec_is_reported_at_once() {
        let mut spec = spec();
        spec["paths"]["/accounts"]["get"]["responses"]["404"]["x-bankschema-id"] =
            json!("bank.missing");
        spec["components"]["schemas"]["Name"]["frobnicate"] = json!(1);
        spec["paths"]["/accounts"]["post"]["responses"]["201"]["x-bankschema-id"] =
            json!("bank.made");
        let error = read(spec).unwrap_err();
        let crate::Error::Many(errors) = &error else {
            panic!("one refusal only: {error}");
        };
        let text = error.to_string();
        assert_eq!(errors.len(), 3, "{text}");
        for part in [
            "at /components/schemas/Name/frobnicate: unsupported keyword `frobnicate`",
            "at /components/schemas/Unsupported/frobnicate: unsupported keyword `frobnicate`",
            "at /paths/~1accounts/post/responses/201/x-bankschema-id: `bank.made` names a body, but there is no JSON content at",
        ] {
            assert!(text.contains(part), "{text}");
        }
    }

    #[test]
    fn an_id_beside_a_response_ref_is_its_own_message() {
        let mut spec = spec();
        spec["paths"]["/accounts"]["post"]["responses"]["400"]["x-bankschema-id"] =
            json!("bank.create-400");
        let api = read(spec).unwrap();
        let ids: Vec<&str> = api.messages.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "bank.accounts",
                "bank.error-400",
                "bank.create",
                "bank.create-400"
            ]
        );
    }
}
