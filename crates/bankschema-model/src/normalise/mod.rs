//! Normalising stage: one schema object of a source dialect into JSON Schema 2020-12.
//!
//! OpenAPI 3.0 schema objects differ from JSON Schema in a few keywords: `nullable`,
//! `example`, boolean `exclusiveMinimum`/`exclusiveMaximum`, `discriminator`, and
//! `$ref`s into `#/components/schemas/`. This stage rewrites those, records every
//! definition a schema refers to, and refuses any keyword the generator does not
//! support, naming its pointer, so that no schema is silently validated wrongly.

use crate::error::{schema_error, Result};
use crate::model::Warning;
use crate::traverse::{self, Shape};

mod extensions;
mod openapi;
mod refs;

use openapi::{openapi_format, OPENAPI_FORMATS};
pub use refs::resolve_definitions;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// The Schema Object of OpenAPI 3.0.
    OpenApi30,
    /// The Schema Object of OpenAPI 3.1: JSON Schema 2020-12 with definitions under
    /// `components/schemas` and a few OpenAPI keywords (`example`, `discriminator`,
    /// `xml`, `externalDocs`).
    OpenApi31,
    /// JSON Schema 2020-12, as MCP tools publish their schemas.
    JsonSchema,
    /// JSON Schema draft-07: within the supported keywords it means what 2020-12
    /// means; only its definitions live under `definitions`.
    Draft7,
}

impl Dialect {
    fn ref_prefix(self) -> &'static str {
        match self {
            Dialect::OpenApi30 | Dialect::OpenApi31 => "#/components/schemas/",
            Dialect::JsonSchema => "#/$defs/",
            Dialect::Draft7 => "#/definitions/",
        }
    }

    /// The keyword holding a document's named definitions.
    pub fn definitions_keyword(self) -> &'static str {
        match self {
            Dialect::OpenApi30 | Dialect::OpenApi31 => "components",
            Dialect::JsonSchema => "$defs",
            Dialect::Draft7 => "definitions",
        }
    }

    /// The `$schema` URI of the dialect, where it has one.
    pub fn uri(self) -> Option<&'static str> {
        match self {
            Dialect::OpenApi30 => None,
            Dialect::JsonSchema | Dialect::OpenApi31 => Some(crate::model::DRAFT_2020_12),
            Dialect::Draft7 => Some("http://json-schema.org/draft-07/schema"),
        }
    }

    fn is_json_schema(self) -> bool {
        self != Dialect::OpenApi30
    }

    fn is_openapi(self) -> bool {
        matches!(self, Dialect::OpenApi30 | Dialect::OpenApi31)
    }

    /// Whether the dialect has the applicator `keyword` (one of
    /// [`traverse::APPLICATORS`]) with 2020-12's meaning; its subschemas are
    /// normalised in turn. (Draft-07's `dependencies` and tuple `items` are read
    /// apart.)
    fn reads(self, keyword: &str) -> bool {
        match keyword {
            "properties"
            | "additionalProperties"
            | "items"
            | "not"
            | "allOf"
            | "anyOf"
            | "oneOf" => true,
            "patternProperties" | "contains" | "propertyNames" | "if" | "then" | "else" => {
                self.is_json_schema()
            }
            "dependentSchemas" => self.is_2020_12(),
            _ => false,
        }
    }

    /// JSON Schema 2020-12 (rather than draft-07) keywords.
    fn is_2020_12(self) -> bool {
        matches!(self, Dialect::JsonSchema | Dialect::OpenApi31)
    }
}

/// Keywords copied as they are, in both dialects.
const COPIED: &[&str] = &[
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "type",
    "enum",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "required",
    "minProperties",
    "maxProperties",
];

/// JSON Schema keywords OpenAPI 3.0 does not have, copied in that dialect only.
const JSON_SCHEMA_ONLY: &[&str] = &[
    "const",
    "examples",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "$comment",
];

/// JSON Schema assertions on values that leave their shape (and so the Rust type)
/// alone; copied in the JSON Schema dialects for the validator to assert.
const ASSERTIONS_ONLY: &[&str] = &["dependentRequired", "minContains", "maxContains"];

/// Annotations that stay on the outside when `nullable` wraps a schema in `anyOf`.
const OUTER_ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// The formats the validator asserts, and asserts exactly: the JSON Schema Test
/// Suite's `optional/format` cases pass for each (`cargo xtask conformance`). Any
/// other name (`url`, a publisher's own vocabulary, `idn-email`, which the validator
/// engine asserts only loosely) is an annotation, as JSON Schema 2020-12 has it:
/// dropped from the schema with a warning for `bankschema check`, so that a
/// misspelt format (`date_time`) is seen, and a publisher's vocabulary does not
/// block its users.
pub const FORMATS: &[&str] = &[
    "date",
    "date-time",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "iri",
    "iri-reference",
    "json-pointer",
    "regex",
    "relative-json-pointer",
    "time",
    "uri",
    "uri-reference",
    "uri-template",
    "uuid",
];

pub use bankschema_rules::vocabulary::{MONEY, PREFIX as EXTENSION_PREFIX, RULES, TOLERANT};

pub struct Normaliser<'a> {
    path: &'a Path,
    dialect: Dialect,
    /// Definitions referred to so far, each with the pointer of its first reference.
    refs: BTreeMap<String, String>,
    warnings: Vec<Warning>,
}

impl<'a> Normaliser<'a> {
    pub fn new(path: &'a Path, dialect: Dialect) -> Self {
        Normaliser {
            path,
            dialect,
            refs: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    /// What was noticed without refusing, in the order met.
    pub fn into_warnings(self) -> Vec<Warning> {
        self.warnings
    }

    /// Normalises the definition `name`, `value` at `pointer`: its schema and the
    /// definitions it refers to.
    pub fn definition(&mut self, name: &str, value: &Value, pointer: &str) -> Result<Normalised> {
        let schema = self.schema(value, pointer);
        // Taken even on a refusal, so that the next definition starts clean.
        let refs = std::mem::take(&mut self.refs);
        Ok(Normalised {
            name: name.to_owned(),
            schema: schema?,
            refs,
            pointer: pointer.to_owned(),
        })
    }

    /// Normalises the schema object `value`, found at `pointer` in the source.
    pub fn schema(&mut self, value: &Value, pointer: &str) -> Result<Value> {
        let object = match value {
            Value::Object(object) => object,
            Value::Bool(_) if self.dialect.is_json_schema() => return Ok(value.clone()),
            other => {
                return Err(self.error(
                    pointer,
                    format!("expected a schema object, found {}", kind_of(other)),
                ))
            }
        };
        if let Some(reference) = object.get("$ref") {
            return self.reference(object, reference, pointer);
        }
        let mut out = Map::new();
        let mut nullable = false;
        for (key, item) in object {
            let here = format!("{pointer}/{}", escape(key));
            nullable |= self.keyword(object, key, item, &here, &mut out)?;
        }
        Ok(if nullable {
            wrap_nullable(out)
        } else {
            Value::Object(out)
        })
    }

    /// The keyword `key` of `object`, `item` at `here`, into `out`; returns whether
    /// it makes the schema nullable.
    fn keyword(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        item: &Value,
        here: &str,
        out: &mut Map<String, Value>,
    ) -> Result<bool> {
        match key {
            "format"
                if self.dialect.is_openapi() && OPENAPI_FORMATS.iter().any(|(f, _)| item == *f) =>
            {
                openapi_format(object, item, out);
            }
            "format" if !item.as_str().is_some_and(|f| FORMATS.contains(&f)) => {
                self.warnings.push(Warning {
                    pointer: here.to_owned(),
                    message: format!(
                        "format {item} is asserted by no one here: it is kept as documentation only (asserted: {})",
                        FORMATS.join(", ")
                    ),
                });
            }
            // OpenAPI 3.1 writes "or null" as a type list: read as 3.0's `nullable`,
            // so that formats, money and optional fields mean the same in both.
            "type"
                if self.dialect == Dialect::OpenApi31
                    && nullable_type(item).is_some()
                    && !NULL_DECIDING.iter().any(|k| object.contains_key(*k)) =>
            {
                let single = nullable_type(item).unwrap_or_default().to_owned();
                out.insert(key.to_owned(), Value::String(single));
                return Ok(true);
            }
            k if COPIED.contains(&k)
                || (self.dialect.is_json_schema() && JSON_SCHEMA_ONLY.contains(&k)) =>
            {
                out.insert(key.to_owned(), item.clone());
            }
            k if self.dialect.is_json_schema() && ASSERTIONS_ONLY.contains(&k) => {
                if self.dialect == Dialect::Draft7 {
                    return Err(self.unsupported(key, here));
                }
                out.insert(key.to_owned(), item.clone());
            }
            "dependencies" if self.dialect == Dialect::Draft7 => {
                self.dependencies(item, here, out)?;
            }
            "items" if item.is_array() => {
                return Err(self.error(
                    here,
                    "unsupported keyword `items` in its tuple form (an array of schemas): only one schema for every item is supported",
                ));
            }
            k if self.dialect.reads(k) => {
                out.insert(key.to_owned(), self.subschemas(k, item, here)?);
            }
            k if k.starts_with(EXTENSION_PREFIX) => self.extension(object, key, item, here, out)?,
            k if k.starts_with("x-") => {}
            _ if self.dialect == Dialect::OpenApi30 => {
                return self.openapi_keyword(key, item, object, here, out);
            }
            "example" | "discriminator" | "xml" | "externalDocs"
                if self.dialect == Dialect::OpenApi31 =>
            {
                self.openapi_keyword(key, item, object, here, out)?;
            }
            _ => return Err(self.unsupported(key, here)),
        }
        Ok(false)
    }

    /// Draft-07's `dependencies`: 2020-12's `dependentRequired` (lists of names) and
    /// `dependentSchemas` (schemas) in one.
    fn dependencies(
        &mut self,
        item: &Value,
        here: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let mut required = Map::new();
        let mut schemas = Map::new();
        for (name, dependency) in self.as_object(item, here)? {
            let at = format!("{here}/{}", escape(name));
            if dependency.is_array() {
                required.insert(name.clone(), dependency.clone());
            } else {
                schemas.insert(name.clone(), self.schema(dependency, &at)?);
            }
        }
        if !required.is_empty() {
            out.insert("dependentRequired".into(), Value::Object(required));
        }
        if !schemas.is_empty() {
            out.insert("dependentSchemas".into(), Value::Object(schemas));
        }
        Ok(())
    }

    /// An object of named subschemas (`dependentSchemas`), each normalised.
    /// The subschemas of the applicator `keyword`, `item` at `here`, normalised.
    fn subschemas(&mut self, keyword: &str, item: &Value, here: &str) -> Result<Value> {
        match traverse::applicator(keyword).map(|(shape, _)| shape) {
            // OpenAPI 3.0 has no boolean schemas but this one.
            Some(Shape::One) if keyword == "additionalProperties" && item.is_boolean() => {
                Ok(item.clone())
            }
            Some(Shape::One) => self.schema(item, here),
            Some(Shape::List) => {
                let Value::Array(subschemas) = item else {
                    return Err(self.error(
                        here,
                        format!("expected an array of schemas, found {}", kind_of(item)),
                    ));
                };
                let normalised = subschemas
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.schema(s, &format!("{here}/{i}")))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Value::Array(normalised))
            }
            Some(Shape::Map) => self.schema_map(item, here),
            None => Err(self.unsupported(keyword, here)),
        }
    }

    fn schema_map(&mut self, item: &Value, here: &str) -> Result<Value> {
        let mut normalised = Map::new();
        for (name, schema) in self.as_object(item, here)? {
            let at = format!("{here}/{}", escape(name));
            normalised.insert(name.clone(), self.schema(schema, &at)?);
        }
        Ok(Value::Object(normalised))
    }

    fn as_object<'v>(&self, value: &'v Value, pointer: &str) -> Result<&'v Map<String, Value>> {
        value.as_object().ok_or_else(|| {
            self.error(
                pointer,
                format!("expected an object, found {}", kind_of(value)),
            )
        })
    }

    fn as_bool(&self, value: &Value, pointer: &str) -> Result<bool> {
        value.as_bool().ok_or_else(|| {
            self.error(
                pointer,
                format!("expected true or false, found {}", kind_of(value)),
            )
        })
    }

    fn unsupported(&self, key: &str, pointer: &str) -> crate::Error {
        let dialect = match self.dialect {
            Dialect::OpenApi30 => "an OpenAPI 3.0 schema object",
            Dialect::JsonSchema | Dialect::Draft7 | Dialect::OpenApi31 => {
                "the JSON Schema subset bankschema generates code for"
            }
        };
        self.error(
            pointer,
            format!("unsupported keyword `{key}`: not part of {dialect}"),
        )
    }

    fn error(&self, pointer: &str, message: impl Into<String>) -> crate::Error {
        schema_error(self.path, pointer, message)
    }
}

/// One definition as the normaliser gives it, before the definitions of an API are
/// resolved together ([`resolve_definitions`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Normalised {
    /// Its name, which becomes the Rust type's.
    pub name: String,
    /// Its schema, JSON Schema 2020-12.
    pub schema: Value,
    /// The definitions it refers to, each with the pointer of its first `$ref`.
    pub refs: BTreeMap<String, String>,
    /// Where it stands in its source.
    pub pointer: String,
}

/// Keywords that may refuse `null` themselves: beside them, a 3.1 type list
/// `[T, "null"]` stays as written (moving them inside a nullable wrapper would let
/// `null` through).
const NULL_DECIDING: &[&str] = &["enum", "const", "allOf", "anyOf", "oneOf", "not", "if"];

/// The one type of a schema: `type: T`, or `type: [T, "null"]`.
fn single_type(object: &Map<String, Value>) -> Option<&str> {
    match object.get("type")? {
        Value::String(t) => Some(t),
        other => nullable_type(other),
    }
}

/// `T` of a type list `[T, "null"]` (in either order).
fn nullable_type(types: &Value) -> Option<&str> {
    match types.as_array()?.as_slice() {
        [Value::String(a), Value::String(b)] if b == "null" && a != "null" => Some(a),
        [Value::String(a), Value::String(b)] if a == "null" && b != "null" => Some(b),
        _ => None,
    }
}

/// `nullable: true` means "this schema, or null": the JSON Schema spelling is an
/// `anyOf` with `{"type": "null"}`, which typify also reads as `Option<T>`.
fn wrap_nullable(mut inner: Map<String, Value>) -> Value {
    let mut outer = Map::new();
    for key in OUTER_ANNOTATIONS {
        if let Some(value) = inner.remove(*key) {
            outer.insert((*key).to_owned(), value);
        }
    }
    outer.insert(
        "anyOf".into(),
        serde_json::json!([Value::Object(inner), {"type": "null"}]),
    );
    Value::Object(outer)
}

/// Whether a schema admits `null` beside its other values (`anyOf` with a null
/// branch, or a `type` array holding `"null"`).
pub fn is_nullable(schema: &Value) -> bool {
    let null_branch = |s: &Value| s.get("type") == Some(&Value::String("null".into()));
    match schema.get("anyOf").or_else(|| schema.get("oneOf")) {
        Some(Value::Array(branches)) => branches.iter().any(null_branch),
        _ => {
            matches!(schema.get("type"), Some(Value::Array(types)) if types.iter().any(|t| t == "null"))
        }
    }
}

pub use bankschema_rules::pointer::{escape, unescape};

pub use bankschema_rules::redact::kind_of;

#[cfg(test)]
mod tests;
