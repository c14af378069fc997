//! The types view: the definitions as typify should see them. Shapes and
//! documentation, without the assertions the validator makes; money, other numbers
//! and timestamps as the runtime's lossless types; `oneOf`s over tagged objects
//! inlined, so that they become tagged enums.

use super::{MONEY, RUNTIME_CRATE};
use crate::model::Api;
use crate::traverse::{self, Place};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Keywords the validator asserts and the Rust types leave out, beside the
/// subschemas that apply under a condition or to some members only (see
/// [`validation_only`]).
pub(super) const VALIDATION_ONLY: &[&str] = &[
    "minContains",
    "maxContains",
    "dependentRequired",
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "examples",
    "$comment",
];

/// Whether the types leave `keyword` to the validator: an assertion that leaves the
/// shape of values alone, or subschemas that apply under a condition (`if`,
/// `dependentSchemas`), to some members or elements (`patternProperties`,
/// `contains`) or to names (`propertyNames`). (`not` is read apart: alone it
/// leaves any JSON.)
pub(super) fn validation_only(keyword: &str) -> bool {
    VALIDATION_ONLY.contains(&keyword)
        || matches!(
            traverse::applicator(keyword),
            Some((
                _,
                Place::Conditional
                    | Place::MatchingMembers
                    | Place::SomeElements
                    | Place::MemberNames
            ))
        )
}

/// The definitions as typify should see them: shapes and documentation, no
/// assertions; money, other numbers and timestamps as lossless runtime types; and
/// `oneOf`s over tagged objects inlined, so that they become tagged enums.
pub(super) struct View<'a> {
    pub api: &'a Api,
}

/// Keywords that say which JSON types a schema admits; without any, a schema admits
/// every type, whatever else it constrains.
pub(super) const TYPE_DECIDING: &[&str] = &[
    "type", "$ref", "enum", "const", "allOf", "anyOf", "oneOf", "not",
];

/// Keywords that constrain only objects or only arrays: typify reads them as the
/// type, where JSON Schema lets every other type pass.
pub(super) const SHAPE_ONLY: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
];

/// A schema that constrains some values without saying their type: `{"required":
/// ["a"]}` admits every string and number too.
pub(super) fn untyped(object: &Map<String, Value>) -> bool {
    !TYPE_DECIDING.iter().any(|k| object.contains_key(*k))
}

pub(super) fn any_json(object: &Map<String, Value>) -> Value {
    with_docs(rust_type("bankschema_runtime::Json"), object)
}

impl View<'_> {
    pub(super) fn schema(&self, schema: &Value) -> Value {
        self.schema_in(schema, false)
    }

    /// A definition's view. A definition that is "its schema, or null" (OpenAPI
    /// 3.0's `nullable: true` on a definition) is typed once, as its schema; the
    /// places that refer to it say "or null" (see [`nullable_definition`]).
    pub(super) fn definition(&self, schema: &Value) -> Value {
        match nullable_definition(schema) {
            Some(inner) => {
                let mut view = self.schema(inner);
                if let (Value::Object(view), Value::Object(outer)) = (&mut view, schema) {
                    for key in ["title", "description"] {
                        if let Some(text) = outer.get(key) {
                            view.insert(key.to_owned(), text.clone());
                        }
                    }
                }
                view
            }
            None => self.schema(schema),
        }
    }

    /// Whether `schema` is a `$ref` to a definition typed as its non-null schema.
    pub(super) fn refers_to_nullable(&self, schema: &Value) -> bool {
        self.api
            .referred(schema)
            .is_some_and(|def| nullable_definition(&def.schema).is_some())
    }

    /// `in_all_of`: the schema is a branch of `allOf`, which typify merges with its
    /// siblings; there the branch's shape is the whole's.
    fn schema_in(&self, schema: &Value, in_all_of: bool) -> Value {
        let Value::Object(object) = schema else {
            return schema.clone();
        };
        // An `anyOf`/`oneOf` with a branch that does not say its type (`{}`,
        // `true`, `{"minLength": 4}`) only constrains: typify would make a struct
        // of it. The type is the outer schema's, or any JSON when it has none.
        let loose = ["anyOf", "oneOf"].iter().any(|k| {
            object
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(|b| b.as_object().is_none_or(untyped)))
        });
        match self.whole(schema, object, in_all_of, loose) {
            Some(whole) => whole,
            None => self.keywords(object, loose),
        }
    }

    /// What stands for `schema` (`object`) as a whole, where it is not read keyword
    /// by keyword: a nullable reference, a type list, a native type, or any JSON.
    fn whole(
        &self,
        schema: &Value,
        object: &Map<String, Value>,
        in_all_of: bool,
        loose: bool,
    ) -> Option<Value> {
        if self.refers_to_nullable(schema) {
            return Some(serde_json::json!({"anyOf": [schema, {"type": "null"}]}));
        }
        if let Some(branches) = type_list(object) {
            return Some(self.schema_in(&branches, in_all_of));
        }
        if let Some(native) = native_type(object) {
            return Some(with_docs(native, object));
        }
        if !in_all_of && untyped(object) && SHAPE_ONLY.iter().any(|k| object.contains_key(*k)) {
            return Some(any_json(object));
        }
        // `not` only refuses: alone, it leaves any JSON; beside what types the
        // value, it takes nothing from the type (the validator asserts it).
        let decides = |k: &&str| *k != "not" && object.contains_key(*k);
        if object.contains_key("not") && !TYPE_DECIDING.iter().any(decides) {
            return Some(any_json(object));
        }
        if loose && !object.contains_key("type") {
            return Some(any_json(object));
        }
        None
    }

    /// `object` keyword by keyword, as typify should see it; `loose`: its
    /// `anyOf`/`oneOf` has a branch that does not say its type, and is left out.
    fn keywords(&self, object: &Map<String, Value>, loose: bool) -> Value {
        let mut view = Map::new();
        let mut default_doc = None;
        for (key, value) in object {
            let value = match key.as_str() {
                k if validation_only(k) || k.starts_with("x-") => continue,
                // A default would make typify fill the field in, and the round trip
                // would then write a field the payload never had: it is documented.
                "default" => {
                    if !value.is_null() {
                        default_doc = Some(format!("Default: `{value}`."));
                    }
                    continue;
                }
                "properties" => Value::Object(
                    value
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(name, property)| (name.clone(), self.schema(property)))
                        .collect(),
                ),
                // Members the schema does not name are kept as they came (JSON, in
                // their order), whatever schema they answer to: the validator
                // asserts it, the types only keep them.
                "additionalProperties"
                    if !value.is_boolean() || object.contains_key("patternProperties") =>
                {
                    Value::Bool(true)
                }
                "not" => continue,
                "items" | "additionalProperties" => self.schema(value),
                "oneOf" if self.tagged_branches(value).is_some() => Value::Array(
                    self.tagged_branches(value)
                        .into_iter()
                        .flatten()
                        .map(|def| self.schema(def))
                        .collect(),
                ),
                "anyOf" | "oneOf" if loose => continue,
                "allOf" | "anyOf" | "oneOf" => Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|s| self.schema_in(s, key == "allOf"))
                        .collect(),
                ),
                _ => value.clone(),
            };
            view.insert(key.clone(), value);
        }
        if let Some(doc) = default_doc {
            let description = match view.get("description").and_then(Value::as_str) {
                Some(description) => format!("{description}\n\n{doc}"),
                None => doc,
            };
            view.insert("description".into(), Value::String(description));
        }
        Value::Object(view)
    }

    /// The definitions a `oneOf` of `$ref`s names, when each is an object whose
    /// required property `tag` (the same in all) holds one constant: such a `oneOf`
    /// reads best as an internally tagged enum, and typify makes one when the
    /// branches are inline.
    pub(super) fn tagged_branches<'v>(&'v self, one_of: &Value) -> Option<Vec<&'v Value>> {
        let branches: Vec<&Value> = one_of
            .as_array()?
            .iter()
            .map(|branch| {
                let name = branch.get("$ref")?.as_str()?.strip_prefix("#/$defs/")?;
                self.api.defs.get(name).map(|def| &def.schema)
            })
            .collect::<Option<_>>()?;
        let tags: Vec<&str> = branches
            .iter()
            .map(|b| constant_property(b))
            .collect::<Option<_>>()?;
        (tags.len() > 1 && tags.iter().all(|t| *t == tags[0])).then_some(branches)
    }

    /// Definitions that are only ever inlined as tagged branches: typify would make
    /// unused types of them.
    pub(super) fn inlined_only(&self) -> BTreeSet<&str> {
        let mut inlined = BTreeSet::new();
        let mut elsewhere: BTreeSet<&str> =
            self.api.messages.iter().map(|m| m.root.as_str()).collect();
        for (name, def) in &self.api.defs {
            let branches: BTreeSet<&str> = match def.schema.get("oneOf") {
                Some(one_of) if self.tagged_branches(one_of).is_some() => one_of
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|b| b.get("$ref")?.as_str()?.strip_prefix("#/$defs/"))
                    .collect(),
                _ => BTreeSet::new(),
            };
            for referred in &def.refs {
                if !branches.contains(referred.as_str()) || referred == name {
                    elsewhere.insert(referred.as_str());
                }
            }
            inlined.extend(branches);
        }
        inlined.retain(|name| !elsewhere.contains(name));
        inlined
    }
}

/// The non-null branch of a definition of the form `anyOf: [<schema>, {type:
/// null}]` with only annotations beside it, as normalising `nullable: true` writes it.
pub(super) fn nullable_definition(schema: &Value) -> Option<&Value> {
    let object = schema.as_object()?;
    if object
        .keys()
        .any(|k| k != "anyOf" && !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"))
    {
        return None;
    }
    match object.get("anyOf")?.as_array()?.as_slice() {
        [inner, null] if *null == serde_json::json!({"type": "null"}) => Some(inner),
        _ => None,
    }
}

/// The required property of an object schema that holds a single constant.
pub(super) fn constant_property(schema: &Value) -> Option<&str> {
    let required = schema.get("required")?.as_array()?;
    schema
        .get("properties")?
        .as_object()?
        .iter()
        .find_map(|(name, property)| {
            let single = property.get("const").is_some()
                || property
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.len() == 1);
            (single && required.iter().any(|r| r == name)).then_some(name.as_str())
        })
}

/// Keywords that say nothing about which values a schema accepts.
pub(super) const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// A schema of several types (`"type": ["integer", "null"]`) as a `oneOf` of one
/// schema per type, so that each gets its lossless runtime type (typify would read
/// the list itself as `i64` and `f64`); `None` for any other schema, and where a
/// composition beside the list would make the rewrite ambiguous.
pub(super) fn type_list(object: &Map<String, Value>) -> Option<Value> {
    let Some(Value::Array(types)) = object.get("type") else {
        return None;
    };
    if ["anyOf", "oneOf", "allOf"]
        .iter()
        .any(|k| object.contains_key(*k))
    {
        return None;
    }
    let branches: Vec<Value> = types
        .iter()
        .map(|t| {
            let mut branch = object.clone();
            branch.insert("type".to_owned(), t.clone());
            for key in ["title", "description"] {
                branch.remove(key);
            }
            Value::Object(branch)
        })
        .collect();
    let mut outer: Map<String, Value> = ["title", "description"]
        .iter()
        .filter_map(|key| Some((key.to_string(), object.get(*key)?.clone())))
        .collect();
    outer.insert("oneOf".to_owned(), Value::Array(branches));
    Some(Value::Object(outer))
}

/// The lossless runtime type a scalar schema maps to, as typify's `x-rust-type`.
pub(super) fn native_type(object: &Map<String, Value>) -> Option<Value> {
    let path = match (
        object.get("type").and_then(Value::as_str),
        object.get("format").and_then(Value::as_str),
    ) {
        (Some("string"), _) if object.get(MONEY) == Some(&Value::Bool(true)) => {
            "bankschema_runtime::MoneyText"
        }
        _ if object.get(MONEY) == Some(&Value::Bool(true)) => "bankschema_runtime::Money",
        (Some("number"), _) => "bankschema_runtime::Number",
        // typify's `i64` (or `i32`, `NonZeroU64`... from the bounds) would refuse
        // `1.0` and integers beyond 64 bits, which the schema accepts.
        (Some("integer"), _) => "bankschema_runtime::Integer",
        // Any JSON: typify would say `serde_json::Value`, which refuses big integers
        // inside the structs serde buffers (those keeping unknown properties).
        (None, _)
            if object
                .keys()
                .all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")) =>
        {
            "bankschema_runtime::Json"
        }
        (Some("string"), Some("date-time")) => "bankschema_runtime::DateTime",
        // typify makes no sound type of an `enum` or `const` that is not all strings
        // (`[6, null]` gives two items of one name); the schema still checks the
        // value, and the type keeps it as it came.
        _ if object.get("enum").is_some_and(|e| {
            !e.as_array()
                .is_some_and(|values| values.iter().all(Value::is_string))
        }) || object.get("const").is_some_and(|c| !c.is_string()) =>
        {
            "bankschema_runtime::Json"
        }
        _ => return None,
    };
    Some(rust_type(path))
}

/// typify's `x-rust-type` for the type at `path` (in serde_json or the runtime).
pub(super) fn rust_type(path: &str) -> Value {
    let crate_name = if path.starts_with("serde_json") {
        "serde_json"
    } else {
        RUNTIME_CRATE
    };
    serde_json::json!({"x-rust-type": {"crate": crate_name, "version": "*", "path": path}})
}

pub(super) fn with_docs(mut native: Value, object: &Map<String, Value>) -> Value {
    for key in ["title", "description"] {
        if let Some(text) = object.get(key) {
            native[key] = text.clone();
        }
    }
    native
}
