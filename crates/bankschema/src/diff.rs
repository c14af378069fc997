//! `bankschema diff`: which changes between two versions of a schema source break
//! someone, and whom.
//!
//! Both versions go through the generator's own stages (so a `$ref`, `nullable` or
//! `$defs` move that changes nothing is seen as nothing), then each schema id's
//! message schema is walked side by side. The direction decides: a response (or a
//! tool's output) is read by clients, so anything it may newly send breaks them; a
//! request (a tool's input) is written by callers, so anything it newly refuses
//! breaks them.

use bankschema_codegen::model::Api;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Sent by the server, read by clients.
    Response,
    /// Sent by callers, read by the server.
    Request,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub schema_id: String,
    /// Where in the payload, `*` standing for every array item.
    pub pointer: String,
    pub breaking: bool,
    pub message: String,
}

/// The direction of a message by its kind, as the source says it (a request body
/// and a tool's input are requests), never by the spelling of its id.
fn direction(message: &bankschema_codegen::model::Message) -> Direction {
    match message.direction {
        bankschema_codegen::model::Direction::Request => Direction::Request,
        bankschema_codegen::model::Direction::Response => Direction::Response,
    }
}

/// Every change between `old` and `new`, message by message.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut changes = Vec::new();
    for message in &old.messages {
        match new.messages.iter().find(|m| m.id == message.id) {
            None => changes.push(Change {
                schema_id: message.id.clone(),
                pointer: String::new(),
                breaking: true,
                message: "the message is removed: everyone exchanging it breaks".into(),
            }),
            Some(next) => {
                let mut walk = Walk {
                    id: &message.id,
                    direction: direction(message),
                    old: old.message_schema(message),
                    new: new.message_schema(next),
                    seen: BTreeSet::new(),
                    changes: &mut changes,
                };
                let (a, b) = (walk.old.clone(), walk.new.clone());
                walk.compare(&a, &b, String::new());
            }
        }
    }
    for message in &new.messages {
        if !old.messages.iter().any(|m| m.id == message.id) {
            changes.push(Change {
                schema_id: message.id.clone(),
                pointer: String::new(),
                breaking: false,
                message: "a new message: breaks no one".into(),
            });
        }
    }
    changes
}

struct Walk<'a> {
    id: &'a str,
    direction: Direction,
    old: Value,
    new: Value,
    /// `$ref` pairs already compared, so recursive schemas end.
    seen: BTreeSet<(String, String)>,
    changes: &'a mut Vec<Change>,
}

/// A schema seen through its `null` branch: the rest, and whether `null` is allowed.
fn split_null(schema: &Value) -> (Value, bool) {
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        let is_null = |b: &Value| b.get("type") == Some(&Value::String("null".into()));
        if branches.iter().any(is_null) {
            let rest: Vec<&Value> = branches.iter().filter(|b| !is_null(b)).collect();
            if let [only] = rest.as_slice() {
                return ((*only).clone(), true);
            }
        }
    }
    (schema.clone(), false)
}

fn types(schema: &Value) -> Option<BTreeSet<String>> {
    match schema.get("type")? {
        Value::String(t) => Some([t.clone()].into()),
        Value::Array(ts) => Some(
            ts.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
    }
}

fn set(values: Option<&Value>) -> Option<BTreeSet<String>> {
    values?
        .as_array()
        .map(|v| v.iter().map(Value::to_string).collect())
}

impl Walk<'_> {
    fn push(&mut self, pointer: &str, breaking: bool, message: String) {
        self.changes.push(Change {
            schema_id: self.id.to_owned(),
            pointer: pointer.to_owned(),
            breaking,
            message,
        });
    }

    /// Who breaks when values the schema allows grow (`widened`) or shrink.
    fn allowed_values_change(&mut self, pointer: &str, widened: bool, what: String) {
        let change = if widened {
            Values::Wider
        } else {
            Values::Narrower
        };
        self.values_change(pointer, change, what);
    }

    /// Who breaks when the values the schema allows change as `change` says.
    fn values_change(&mut self, pointer: &str, change: Values, what: String) {
        let (breaking, who) = match (self.direction, change) {
            (Direction::Response, Values::Wider) => {
                (true, "clients may receive values they do not expect")
            }
            (Direction::Response, Values::Narrower) => (false, "breaks no client"),
            (Direction::Request, Values::Narrower) => {
                (true, "callers sending the old values are refused")
            }
            (Direction::Request, Values::Wider) => (false, "breaks no caller"),
            (Direction::Response, Values::Other) => {
                (true, "clients may receive values they do not expect")
            }
            (Direction::Request, Values::Other) => {
                (true, "callers sending the old values are refused")
            }
        };
        self.push(pointer, breaking, format!("{what}: {who}"));
    }

    fn resolve(&self, schema: &Value, old: bool) -> Value {
        let root = if old { &self.old } else { &self.new };
        let mut current = schema.clone();
        for _ in 0..32 {
            match current
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| root.pointer(r.trim_start_matches('#')))
            {
                Some(target) => current = target.clone(),
                None => break,
            }
        }
        current
    }

    fn compare(&mut self, old: &Value, new: &Value, pointer: String) {
        let refs = (
            old.get("$ref")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            new.get("$ref")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        );
        if !refs.0.is_empty()
            && !self
                .seen
                .insert((format!("{pointer}{}", refs.0), refs.1.clone()))
        {
            return;
        }
        let (old, old_null) = split_null(&self.resolve(old, true));
        let (new, new_null) = split_null(&self.resolve(new, false));
        let (old, new) = (self.resolve(&old, true), self.resolve(&new, false));
        if old_null != new_null {
            let what = if new_null {
                "the value may now be null"
            } else {
                "the value may no longer be null"
            };
            self.allowed_values_change(&pointer, new_null, what.into());
        }
        if let (Some(a), Some(b)) = (types(&old), types(&new)) {
            if a != b {
                // `number` holds every `integer`.
                let within = |x: &BTreeSet<String>, y: &BTreeSet<String>| {
                    x.iter()
                        .all(|t| y.contains(t) || (t == "integer" && y.contains("number")))
                };
                let change = match (within(&a, &b), within(&b, &a)) {
                    (true, _) => Values::Wider,
                    (false, true) => Values::Narrower,
                    (false, false) => Values::Other,
                };
                let what = format!("the type changes from {} to {}", join(&a), join(&b));
                self.values_change(&pointer, change, what);
            }
        }
        if let (Some(a), Some(b)) = (set(old.get("enum")), set(new.get("enum"))) {
            let added: Vec<&String> = b.difference(&a).collect();
            let removed: Vec<&String> = a.difference(&b).collect();
            if !added.is_empty() {
                self.allowed_values_change(
                    &pointer,
                    true,
                    format!("enum values added: {}", list(&added)),
                );
            }
            if !removed.is_empty() {
                self.allowed_values_change(
                    &pointer,
                    false,
                    format!("enum values removed: {}", list(&removed)),
                );
            }
        }
        for keyword in ["format", "pattern", "multipleOf"] {
            let (a, b) = (old.get(keyword), new.get(keyword));
            if a != b {
                let what = format!("`{keyword}` changes from {} to {}", shown(a), shown(b));
                // Dropping one widens what is allowed; adding one narrows it; one
                // changed for another may do both (a pattern's language is not
                // compared), so it breaks either way.
                let change = match (a, b) {
                    (_, None) => Values::Wider,
                    (None, Some(_)) => Values::Narrower,
                    (Some(_), Some(_)) => Values::Other,
                };
                self.values_change(&pointer, change, what);
            }
        }
        for (keyword, lower) in [
            ("minimum", true),
            ("exclusiveMinimum", true),
            ("minLength", true),
            ("minItems", true),
            ("minProperties", true),
            ("maximum", false),
            ("exclusiveMaximum", false),
            ("maxLength", false),
            ("maxItems", false),
            ("maxProperties", false),
        ] {
            let (a, b) = (old.get(keyword), new.get(keyword));
            if a == b {
                continue;
            }
            let what = format!("`{keyword}` changes from {} to {}", shown(a), shown(b));
            let change = match (a.and_then(decimal), b.and_then(decimal)) {
                // `1.10` and `1.1` are one bound.
                (Some(x), Some(y)) if x == y => continue,
                (_, None) if b.is_none() => Values::Wider,
                (None, Some(_)) if a.is_none() => Values::Narrower,
                // A lower bound lowered, or an upper bound raised, lets more through.
                (Some(x), Some(y)) if (y < x) == lower => Values::Wider,
                (Some(x), Some(y)) if x != y => Values::Narrower,
                _ => Values::Other,
            };
            self.values_change(&pointer, change, what);
        }
        if old.get("uniqueItems") != new.get("uniqueItems") {
            let unique = |s: &Value| s.get("uniqueItems") == Some(&Value::Bool(true));
            let what = if unique(&new) {
                "items must now be unique"
            } else {
                "items need no longer be unique"
            };
            self.allowed_values_change(&pointer, unique(&old), what.into());
        }
        self.compare_objects(&old, &new, &pointer);
        if let (Some(a), Some(b)) = (old.get("items"), new.get("items")) {
            self.compare(a, b, format!("{pointer}/*"));
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            match (
                old.get(keyword).and_then(Value::as_array),
                new.get(keyword).and_then(Value::as_array),
            ) {
                (Some(a), Some(b)) if a.len() == b.len() => {
                    for (x, y) in a.iter().zip(b) {
                        self.compare(x, y, pointer.clone());
                    }
                }
                (None, None) => {}
                (a, b) => {
                    let widened = a.map_or(0, Vec::len) < b.map_or(0, Vec::len);
                    self.allowed_values_change(
                        &pointer,
                        widened,
                        format!("the `{keyword}` alternatives change"),
                    );
                }
            }
        }
    }

    fn compare_objects(&mut self, old: &Value, new: &Value, pointer: &str) {
        let empty = Map::new();
        let old_props = old
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_props = new
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required = |s: &Value| set(s.get("required")).unwrap_or_default();
        let (old_required, new_required) = (required(old), required(new));
        let closed = |s: &Value| s.get("additionalProperties") == Some(&Value::Bool(false));
        for (name, old_schema) in old_props {
            let here = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
            let quoted = format!("\"{name}\"");
            let Some(new_schema) = new_props.get(name) else {
                let (breaking, who) = match self.direction {
                    Direction::Response => (true, "clients reading it break"),
                    Direction::Request if closed(new) => (true, "callers sending it are refused"),
                    Direction::Request => (false, "callers sending it are not refused"),
                };
                self.push(
                    &here,
                    breaking,
                    format!("property `{name}` is removed: {who}"),
                );
                continue;
            };
            match (
                old_required.contains(&quoted),
                new_required.contains(&quoted),
            ) {
                (true, false) => {
                    let breaking = self.direction == Direction::Response;
                    let who = if breaking {
                        "clients relying on it break"
                    } else {
                        "breaks no caller"
                    };
                    self.push(
                        &here,
                        breaking,
                        format!("property `{name}` becomes optional: {who}"),
                    );
                }
                (false, true) => {
                    let breaking = self.direction == Direction::Request;
                    let who = if breaking {
                        "callers omitting it are refused"
                    } else {
                        "breaks no client"
                    };
                    self.push(
                        &here,
                        breaking,
                        format!("property `{name}` becomes required: {who}"),
                    );
                }
                _ => {}
            }
            self.compare(old_schema, new_schema, here);
        }
        for name in new_props.keys().filter(|n| !old_props.contains_key(*n)) {
            let here = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
            let required = new_required.contains(&format!("\"{name}\""));
            let (breaking, who) = match (self.direction, required) {
                (Direction::Request, true) => (true, "callers not sending it are refused"),
                (Direction::Request, false) => (false, "breaks no caller"),
                (Direction::Response, _) if closed(old) => {
                    (true, "clients refusing unknown properties break")
                }
                (Direction::Response, _) => {
                    (false, "breaks no client that tolerates unknown properties")
                }
            };
            let kind = if required { "required" } else { "optional" };
            self.push(
                &here,
                breaking,
                format!("{kind} property `{name}` is added: {who}"),
            );
        }
        if closed(old) != closed(new) {
            let widened = closed(old);
            let what = if widened {
                "unknown properties are now allowed"
            } else {
                "unknown properties are now refused"
            };
            self.allowed_values_change(pointer, widened, what.into());
        }
    }
}

/// How the set of values a schema allows changed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Values {
    /// It holds every old value, and more.
    Wider,
    /// Every value is an old one; some old ones are gone.
    Narrower,
    /// Neither: some values are new and some old ones gone.
    Other,
}

/// A bound as an exact decimal (numbers are compared exactly, never as `f64`).
fn decimal(value: &Value) -> Option<rust_decimal::Decimal> {
    let text = value.as_number()?.to_string();
    if text.contains(['e', 'E']) {
        rust_decimal::Decimal::from_scientific(&text).ok()
    } else {
        rust_decimal::Decimal::from_str_exact(&text).ok()
    }
}

fn join(types: &BTreeSet<String>) -> String {
    types
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" or ")
}

fn list(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_owned(), Value::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bankschema_codegen::normalise::Dialect;
    use serde_json::json;

    /// Whether changing a property from `old` to `new` breaks someone, in a response
    /// and in a request.
    fn verdicts(old: Value, new: Value) -> (bool, bool) {
        let api = |schema: Value| {
            let root = json!({"type": "object", "properties": {"p": schema}});
            bankschema_codegen::document::api(
                "t",
                std::path::Path::new("t.json"),
                Dialect::JsonSchema,
                &root,
                "Root",
            )
            .unwrap()
        };
        let (old, new) = (api(old), api(new));
        let breaking = |direction| {
            let (mut old, mut new) = (old.clone(), new.clone());
            old.messages[0].direction = direction;
            new.messages[0].direction = direction;
            diff(&old, &new).iter().any(|c| c.breaking)
        };
        (
            breaking(bankschema_codegen::model::Direction::Response),
            breaking(bankschema_codegen::model::Direction::Request),
        )
    }

    #[test]
    fn each_change_breaks_whom_it_should_in_each_direction() {
        let s = |extra: Value| {
            let mut schema = json!({"type": "string"});
            schema
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            schema
        };
        let n = |extra: Value| {
            let mut schema = json!({"type": "number"});
            schema
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            schema
        };
        let a = |extra: Value| {
            let mut schema = json!({"type": "array", "items": {"type": "string"}});
            schema
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            schema
        };
        // (what, old, new, breaks a response's clients, breaks a request's callers)
        let cases = [
            (
                "string to integer",
                json!({"type": "string"}),
                json!({"type": "integer"}),
                true,
                true,
            ),
            (
                "string to number",
                json!({"type": "string"}),
                json!({"type": "number"}),
                true,
                true,
            ),
            (
                "integer to string",
                json!({"type": "integer"}),
                json!({"type": "string"}),
                true,
                true,
            ),
            (
                "integer to number",
                json!({"type": "integer"}),
                json!({"type": "number"}),
                true,
                false,
            ),
            (
                "number to integer",
                json!({"type": "number"}),
                json!({"type": "integer"}),
                false,
                true,
            ),
            (
                "null allowed",
                json!({"type": "string"}),
                json!({"type": ["string", "null"]}),
                true,
                false,
            ),
            (
                "null no longer allowed",
                json!({"type": ["string", "null"]}),
                json!({"type": "string"}),
                false,
                true,
            ),
            (
                "maxLength raised",
                s(json!({"maxLength": 10})),
                s(json!({"maxLength": 20})),
                true,
                false,
            ),
            (
                "maxLength lowered",
                s(json!({"maxLength": 20})),
                s(json!({"maxLength": 10})),
                false,
                true,
            ),
            (
                "minLength lowered",
                s(json!({"minLength": 5})),
                s(json!({"minLength": 1})),
                true,
                false,
            ),
            (
                "minLength raised",
                s(json!({"minLength": 1})),
                s(json!({"minLength": 5})),
                false,
                true,
            ),
            (
                "maxLength added",
                s(json!({})),
                s(json!({"maxLength": 5})),
                false,
                true,
            ),
            (
                "maxLength removed",
                s(json!({"maxLength": 5})),
                s(json!({})),
                true,
                false,
            ),
            (
                "minimum lowered",
                n(json!({"minimum": 0})),
                n(json!({"minimum": -1})),
                true,
                false,
            ),
            (
                "minimum raised",
                n(json!({"minimum": 0})),
                n(json!({"minimum": 0.01})),
                false,
                true,
            ),
            (
                "minimum added",
                n(json!({})),
                n(json!({"minimum": 0})),
                false,
                true,
            ),
            (
                "maximum removed",
                n(json!({"maximum": 9})),
                n(json!({})),
                true,
                false,
            ),
            (
                "maximum raised",
                n(json!({"maximum": 9})),
                n(json!({"maximum": 9.5})),
                true,
                false,
            ),
            (
                "same bound written otherwise",
                n(json!({"maximum": 1.10})),
                n(json!({"maximum": 1.1})),
                false,
                false,
            ),
            (
                "exclusiveMaximum lowered",
                n(json!({"exclusiveMaximum": 9})),
                n(json!({"exclusiveMaximum": 8})),
                false,
                true,
            ),
            (
                "multipleOf added",
                n(json!({})),
                n(json!({"multipleOf": 0.01})),
                false,
                true,
            ),
            (
                "multipleOf changed",
                n(json!({"multipleOf": 0.01})),
                n(json!({"multipleOf": 0.05})),
                true,
                true,
            ),
            (
                "pattern changed",
                s(json!({"pattern": "^[A-Z]{3}$"})),
                s(json!({"pattern": "^[A-Z]{2}$"})),
                true,
                true,
            ),
            (
                "pattern removed",
                s(json!({"pattern": "^[A-Z]{3}$"})),
                s(json!({})),
                true,
                false,
            ),
            (
                "pattern added",
                s(json!({})),
                s(json!({"pattern": "^[A-Z]{3}$"})),
                false,
                true,
            ),
            (
                "format added",
                s(json!({})),
                s(json!({"format": "date"})),
                false,
                true,
            ),
            (
                "format removed",
                s(json!({"format": "date"})),
                s(json!({})),
                true,
                false,
            ),
            (
                "enum value added",
                s(json!({"enum": ["a"]})),
                s(json!({"enum": ["a", "b"]})),
                true,
                false,
            ),
            (
                "enum value removed",
                s(json!({"enum": ["a", "b"]})),
                s(json!({"enum": ["a"]})),
                false,
                true,
            ),
            (
                "maxItems lowered",
                a(json!({"maxItems": 5})),
                a(json!({"maxItems": 3})),
                false,
                true,
            ),
            (
                "minItems lowered",
                a(json!({"minItems": 2})),
                a(json!({"minItems": 0})),
                true,
                false,
            ),
            (
                "uniqueItems added",
                a(json!({})),
                a(json!({"uniqueItems": true})),
                false,
                true,
            ),
            (
                "uniqueItems removed",
                a(json!({"uniqueItems": true})),
                a(json!({})),
                true,
                false,
            ),
            (
                "items widened",
                a(json!({})),
                json!({"type": "array", "items": {"type": ["string", "null"]}}),
                true,
                false,
            ),
            (
                "nothing",
                s(json!({"maxLength": 3})),
                s(json!({"maxLength": 3})),
                false,
                false,
            ),
        ];
        for (what, old, new, response, request) in cases {
            assert_eq!(
                verdicts(old.clone(), new.clone()),
                (response, request),
                "{what}: {old} -> {new}"
            );
        }
    }
}
