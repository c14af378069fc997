//! Normalising stage: one schema object of a source dialect into JSON Schema 2020-12.
//!
//! OpenAPI 3.0 schema objects differ from JSON Schema in a few keywords: `nullable`,
//! `example`, boolean `exclusiveMinimum`/`exclusiveMaximum`, `discriminator`, and
//! `$ref`s into `#/components/schemas/`. This stage rewrites those, records every
//! definition a schema refers to, and refuses any keyword the generator does not
//! support, naming its pointer, so that no schema is silently validated wrongly.

use crate::error::{schema_error, Result};
use crate::model::{Definition, Warning};
use crate::traverse::{self, Place, Shape};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
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

/// OpenAPI 3.0 keywords that only document and have no JSON Schema counterpart.
const OPENAPI_DROPPED: &[&str] = &["externalDocs", "xml"];

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

/// The formats OpenAPI 3.0 defines beside JSON Schema's. `int32` and `int64` state
/// a range, written out as bounds; the others describe an encoding or a display
/// hint and assert nothing.
const OPENAPI_FORMATS: &[(&str, Option<(i64, i64)>)] = &[
    ("int32", Some((i32::MIN as i64, i32::MAX as i64))),
    ("int64", Some((i64::MIN, i64::MAX))),
    ("float", None),
    ("double", None),
    ("byte", None),
    ("binary", None),
    ("password", None),
];

pub use bankschema_rules::vocabulary::{MONEY, PREFIX as EXTENSION_PREFIX, TOLERANT};

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
            match key.as_str() {
                "format"
                    if self.dialect.is_openapi()
                        && OPENAPI_FORMATS.iter().any(|(f, _)| item == *f) =>
                {
                    let range = OPENAPI_FORMATS
                        .iter()
                        .find(|(f, _)| item == *f)
                        .and_then(|(_, r)| *r);
                    if let (Some((low, high)), Some("integer")) = (range, single_type(object)) {
                        // The schema's own bounds, where it has them, are the narrower.
                        if !object.contains_key("minimum")
                            && !object.contains_key("exclusiveMinimum")
                        {
                            out.insert("minimum".into(), Value::from(low));
                        }
                        if !object.contains_key("maximum")
                            && !object.contains_key("exclusiveMaximum")
                        {
                            out.insert("maximum".into(), Value::from(high));
                        }
                    }
                }
                "format" if !item.as_str().is_some_and(|f| FORMATS.contains(&f)) => {
                    self.warnings.push(Warning {
                        pointer: here.clone(),
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
                    nullable = true;
                    out.insert(
                        key.clone(),
                        Value::String(nullable_type(item).unwrap_or_default().to_owned()),
                    );
                }
                k if COPIED.contains(&k) => {
                    out.insert(key.clone(), item.clone());
                }
                k if self.dialect.is_json_schema() && JSON_SCHEMA_ONLY.contains(&k) => {
                    out.insert(key.clone(), item.clone());
                }
                k if self.dialect.is_json_schema() && ASSERTIONS_ONLY.contains(&k) => {
                    if self.dialect == Dialect::Draft7 {
                        return Err(self.unsupported(key, &here));
                    }
                    out.insert(key.clone(), item.clone());
                }
                // Draft-07's `dependencies` is 2020-12's `dependentRequired` (lists of
                // names) and `dependentSchemas` (schemas) in one.
                "dependencies" if self.dialect == Dialect::Draft7 => {
                    let mut required = Map::new();
                    let mut schemas = Map::new();
                    for (name, dependency) in self.as_object(item, &here)? {
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
                }
                "items" if item.is_array() => {
                    return Err(self.error(
                        &here,
                        "unsupported keyword `items` in its tuple form (an array of schemas): only one schema for every item is supported",
                    ));
                }
                k if self.dialect.reads(k) => {
                    out.insert(key.clone(), self.subschemas(k, item, &here)?);
                }
                MONEY => {
                    // A type list is read as `nullable` in OpenAPI 3.1 only.
                    let typed = if self.dialect == Dialect::OpenApi31 {
                        single_type(object)
                    } else {
                        object.get("type").and_then(Value::as_str)
                    };
                    if !item.is_boolean() || !matches!(typed, Some("number" | "string")) {
                        return Err(self.error(
                            &here,
                            format!(
                                "`{MONEY}` is `true` or `false` beside `type: number` (an amount sent as a number) or `type: string` (sent as text, with a decimal `pattern`); found {} beside {}",
                                kind_of(item),
                                typed.map_or("no single type".to_owned(), |t| format!("`type: {t}`"))
                            ),
                        ));
                    }
                    let pattern = object.get("pattern").and_then(Value::as_str);
                    let anchored = pattern.is_some_and(|p| p.starts_with('^') && p.ends_with('$'));
                    if typed == Some("string") && !anchored {
                        self.warnings.push(Warning {
                            pointer: here.clone(),
                            message: format!(
                                "`{MONEY}` on a string {}: text that is no decimal passes, and `MoneyText::amount` is `None` for it",
                                if pattern.is_some() { "whose `pattern` is not anchored (`^...$`)" } else { "without a `pattern`" }
                            ),
                        });
                    }
                    out.insert(key.clone(), item.clone());
                }
                crate::rules::RULES => {
                    out.insert(key.clone(), item.clone());
                }
                TOLERANT => {
                    // A type list is read as `nullable` in OpenAPI 3.1 only.
                    let typed = if self.dialect == Dialect::OpenApi31 {
                        single_type(object)
                    } else {
                        object.get("type").and_then(Value::as_str)
                    };
                    let strings = typed == Some("string")
                        && object
                            .get("enum")
                            .and_then(Value::as_array)
                            .is_some_and(|values| {
                                values.iter().all(|v| v.is_string() || v.is_null())
                                    && values.iter().any(Value::is_string)
                            });
                    if !item.is_boolean() || !strings {
                        return Err(self.error(
                            &here,
                            format!(
                                "`{TOLERANT}` is `true` or `false` beside `type: string` and an `enum` of strings (whose unknown values are then read as `Unknown`, with a warning); found {} beside {}",
                                kind_of(item),
                                object.get("enum").map_or("no `enum`".to_owned(), |e| format!("`enum: {e}`"))
                            ),
                        ));
                    }
                    out.insert(key.clone(), item.clone());
                }
                // A misspelt extension (`x-bankschema-mony`) would do nothing, silently.
                k if k.starts_with(EXTENSION_PREFIX) => {
                    return Err(self.error(
                        &here,
                        format!(
                            "unknown extension `{k}`: a schema takes `{MONEY}`, `{TOLERANT}` and `{}`",
                            crate::rules::RULES
                        ),
                    ));
                }
                k if k.starts_with("x-") => {}
                _ if self.dialect == Dialect::OpenApi30 => {
                    nullable |= self.openapi_keyword(key, item, object, &here, &mut out)?;
                }
                "example" | "discriminator" | "xml" | "externalDocs"
                    if self.dialect == Dialect::OpenApi31 =>
                {
                    self.openapi_keyword(key, item, object, &here, &mut out)?;
                }
                _ => return Err(self.unsupported(key, &here)),
            }
        }
        Ok(if nullable {
            wrap_nullable(out)
        } else {
            Value::Object(out)
        })
    }

    /// The OpenAPI-only keywords; returns whether the schema is `nullable`.
    fn openapi_keyword(
        &mut self,
        key: &str,
        item: &Value,
        object: &Map<String, Value>,
        here: &str,
        out: &mut Map<String, Value>,
    ) -> Result<bool> {
        match key {
            "nullable" => return self.as_bool(item, here),
            "example" => {
                out.insert("examples".into(), Value::Array(vec![item.clone()]));
            }
            "exclusiveMinimum" | "exclusiveMaximum" => {
                if self.as_bool(item, here)? {
                    let bound = if key == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    let Some(limit) = object.get(bound) else {
                        return Err(
                            self.error(here, format!("`{key}: true` needs `{bound}` beside it"))
                        );
                    };
                    out.remove(bound);
                    out.insert(key.to_owned(), limit.clone());
                }
            }
            "discriminator" => self.discriminator(item, object, here)?,
            k if OPENAPI_DROPPED.contains(&k) => {}
            _ => return Err(self.unsupported(key, here)),
        }
        Ok(false)
    }

    /// `discriminator` only documents which `oneOf` branch applies; JSON Schema's
    /// `oneOf` already decides that. Its mapping must still name existing schemas.
    fn discriminator(
        &mut self,
        item: &Value,
        object: &Map<String, Value>,
        here: &str,
    ) -> Result<()> {
        if !object.contains_key("oneOf") && !object.contains_key("anyOf") {
            return Err(self.error(here, "`discriminator` needs `oneOf` or `anyOf` beside it"));
        }
        let discriminator = self.as_object(item, here)?;
        if !matches!(discriminator.get("propertyName"), Some(Value::String(_))) {
            return Err(self.error(
                &format!("{here}/propertyName"),
                "expected the name of the tag property",
            ));
        }
        if let Some(mapping) = discriminator.get("mapping") {
            for (tag, target) in self.as_object(mapping, &format!("{here}/mapping"))? {
                let at = format!("{here}/mapping/{}", escape(tag));
                let Value::String(target) = target else {
                    return Err(self.error(
                        &at,
                        format!("expected a $ref string, found {}", kind_of(target)),
                    ));
                };
                self.definition_name(target, &at)?;
            }
        }
        Ok(())
    }

    fn reference(
        &mut self,
        object: &Map<String, Value>,
        reference: &Value,
        pointer: &str,
    ) -> Result<Value> {
        let here = format!("{pointer}/$ref");
        let Value::String(target) = reference else {
            return Err(self.error(
                &here,
                format!("expected a string, found {}", kind_of(reference)),
            ));
        };
        if let Some(key) = object.keys().find(|k| k.starts_with(EXTENSION_PREFIX)) {
            return Err(self.error(
                &format!("{pointer}/{}", escape(key)),
                format!("`{key}` beside `$ref` would be ignored: put it on the definition the `$ref` names, or wrap the reference in `allOf`"),
            ));
        }
        let siblings: Vec<&str> = object
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "$ref" && !k.starts_with("x-"))
            .collect();
        let mut out = Map::new();
        match self.dialect {
            Dialect::OpenApi30 if !siblings.is_empty() => {
                return Err(self.error(
                    pointer,
                    format!(
                        "OpenAPI 3.0 ignores keywords beside `$ref` ({}); wrap the reference in `allOf` to combine them",
                        siblings.join(", ")
                    ),
                ));
            }
            Dialect::OpenApi30 => {}
            Dialect::JsonSchema | Dialect::Draft7 | Dialect::OpenApi31 => {
                // 2020-12 applies `$ref` beside other keywords; only annotations are
                // supported there, which keeps the generated types simple.
                for key in siblings {
                    if !OUTER_ANNOTATIONS.contains(&key) && key != "$comment" {
                        return Err(self.error(
                            &format!("{pointer}/{}", escape(key)),
                            format!("`{key}` beside `$ref` is not supported; wrap the reference in `allOf`"),
                        ));
                    }
                    out.insert(key.to_owned(), object[key].clone());
                }
            }
        }
        let name = self.definition_name(target, &here)?;
        out.insert(
            "$ref".into(),
            Value::String(format!("#/$defs/{}", escape(&name))),
        );
        Ok(Value::Object(out))
    }

    /// The definition a local `$ref` names, recorded so it can be checked to exist.
    fn definition_name(&mut self, target: &str, here: &str) -> Result<String> {
        let prefix = self.dialect.ref_prefix();
        match target.strip_prefix(prefix).map(|t| unescape(t).into_owned()) {
            Some(name) if !name.is_empty() => {
                self.refs.entry(name.clone()).or_insert_with(|| here.to_owned());
                Ok(name)
            }
            _ => Err(self.error(
                here,
                format!("unsupported $ref `{target}`: only references to `{prefix}<name>` in the same file are resolved"),
            )),
        }
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

/// Collects normalised definitions into one namespace, refusing a `$ref` to a
/// definition that does not exist (named at the pointer of the reference).
pub fn resolve_definitions(
    path: &Path,
    normalised: Vec<Normalised>,
) -> Result<IndexMap<String, Definition>> {
    let names: BTreeSet<&str> = normalised.iter().map(|d| d.name.as_str()).collect();
    for Normalised { refs, .. } in &normalised {
        if let Some((missing, pointer)) =
            refs.iter().find(|(name, _)| !names.contains(name.as_str()))
        {
            return Err(schema_error(
                path,
                pointer,
                format!("dangling $ref: there is no definition named `{missing}`"),
            ));
        }
    }
    let first_reference: BTreeMap<String, String> = normalised
        .iter()
        .flat_map(|d| d.refs.iter().map(|(n, p)| (n.clone(), p.clone())))
        .collect();
    let defs: IndexMap<String, Definition> = normalised
        .into_iter()
        .map(|d| {
            let refs = d.refs.into_keys().collect();
            (
                d.name,
                Definition {
                    schema: d.schema,
                    refs,
                },
            )
        })
        .collect();
    if let Some(cycle) = in_place_cycle(&defs) {
        let closing = cycle.last().cloned().unwrap_or_default();
        let pointer = first_reference.get(&closing).cloned().unwrap_or_default();
        return Err(schema_error(
            path,
            &pointer,
            format!(
                "unsupported recursion: {} refer to each other without descending into a property or an item, so validating a value would never end",
                cycle.join(" -> ")
            ),
        ));
    }
    Ok(defs)
}

/// A chain of definitions that applies itself to the same value (`A` is `allOf:
/// [B]`, `B` is `anyOf: [A, ...]`), as names from the first back to it; `None`
/// when every recursion descends into a member or an element. typify recurses on
/// such a chain until the stack runs out, and a validator would too.
fn in_place_cycle(defs: &IndexMap<String, Definition>) -> Option<Vec<String>> {
    let edges: BTreeMap<&str, BTreeSet<String>> = defs
        .iter()
        .map(|(name, def)| {
            let mut refs = BTreeSet::new();
            in_place_refs(&def.schema, &mut refs);
            (name.as_str(), refs)
        })
        .collect();
    // Depth-first, with the path kept: a name met again on the path closes a cycle.
    fn visit<'a>(
        name: &'a str,
        edges: &'a BTreeMap<&str, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| *n == name) {
            let mut cycle: Vec<String> = path[at..].iter().map(|n| (*n).to_owned()).collect();
            cycle.push(name.to_owned());
            return Some(cycle);
        }
        if !done.insert(name) {
            return None;
        }
        path.push(name);
        for next in edges.get(name).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    defs.keys()
        .find_map(|name| visit(name, &edges, &mut Vec::new(), &mut done))
}

/// The definitions `schema` applies to the value it judges itself: through `$ref`
/// and the in-place applicators, not into members or elements.
fn in_place_refs(schema: &Value, out: &mut BTreeSet<String>) {
    let Value::Object(object) = schema else {
        return;
    };
    if let Some(name) = object
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        out.insert(unescape(name).into_owned());
    }
    for sub in crate::traverse::subschemas(object) {
        let in_place = matches!(
            sub.place,
            Place::Always | Place::Alternative | Place::Conditional | Place::Inverted
        );
        if in_place {
            in_place_refs(sub.schema, out);
        }
    }
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
mod tests {
    use super::*;
    use serde_json::json;

    fn openapi(value: Value) -> Result<(Value, BTreeMap<String, String>)> {
        let path = Path::new("schemas/test.openapi.yaml");
        Normaliser::new(path, Dialect::OpenApi30)
            .definition("Test", &value, "/components/schemas/Test")
            .map(|d| (d.schema, d.refs))
    }

    #[test]
    fn nullable_becomes_any_of_null_with_annotations_outside() {
        let (schema, _) = openapi(json!({
            "description": "A name.", "type": "string", "nullable": true, "example": "Jo"
        }))
        .unwrap();
        assert_eq!(
            schema,
            json!({
                "description": "A name.",
                "examples": ["Jo"],
                "anyOf": [{"type": "string"}, {"type": "null"}]
            })
        );
        assert!(is_nullable(&schema));
    }

    #[test]
    fn nullable_false_changes_nothing() {
        let (schema, _) = openapi(json!({"type": "integer", "nullable": false})).unwrap();
        assert_eq!(schema, json!({"type": "integer"}));
        assert!(!is_nullable(&schema));
    }

    #[test]
    fn refs_into_components_become_defs_and_are_recorded() {
        let (schema, refs) = openapi(json!({
            "type": "object",
            "properties": {
                "a": {"$ref": "#/components/schemas/Alpha"},
                "b": {"type": "array", "items": {"$ref": "#/components/schemas/Be~1ta"}}
            }
        }))
        .unwrap();
        assert_eq!(schema["properties"]["a"], json!({"$ref": "#/$defs/Alpha"}));
        assert_eq!(
            schema["properties"]["b"]["items"],
            json!({"$ref": "#/$defs/Be~1ta"})
        );
        let refs: Vec<_> = refs.iter().map(|(n, p)| (n.as_str(), p.as_str())).collect();
        assert_eq!(
            refs,
            [
                ("Alpha", "/components/schemas/Test/properties/a/$ref"),
                ("Be/ta", "/components/schemas/Test/properties/b/items/$ref")
            ]
        );
    }

    #[test]
    fn a_dangling_ref_is_named_where_it_stands() {
        let path = Path::new("schemas/test.openapi.yaml");
        let (schema, refs) =
            openapi(json!({"properties": {"a": {"$ref": "#/components/schemas/Gone"}}})).unwrap();
        let test = Normalised {
            name: "Test".into(),
            schema,
            refs,
            pointer: "/components/schemas/Test".into(),
        };
        let error = resolve_definitions(path, vec![test]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "schemas/test.openapi.yaml: at /components/schemas/Test/properties/a/$ref: \
             dangling $ref: there is no definition named `Gone`"
        );
    }

    #[test]
    fn openapi_integer_formats_become_bounds_and_the_others_annotations() {
        let (schema, _) = openapi(json!({"type": "integer", "format": "int32"})).unwrap();
        assert_eq!(
            schema,
            json!({"type": "integer", "minimum": -2147483648i64, "maximum": 2147483647})
        );
        let (schema, _) =
            openapi(json!({"type": "integer", "format": "int64", "minimum": 0})).unwrap();
        assert_eq!(
            schema,
            json!({"type": "integer", "minimum": 0, "maximum": i64::MAX})
        );
        let (schema, _) = openapi(json!({"type": "string", "format": "password"})).unwrap();
        assert_eq!(schema, json!({"type": "string"}));
        // A format no one asserts is documentation, with a warning at its place.
        let path = Path::new("schemas/test.openapi.yaml");
        let mut normaliser = Normaliser::new(path, Dialect::OpenApi30);
        let schema = normaliser
            .definition(
                "Test",
                &json!({"type": "object", "properties": {"home": {"type": "string", "format": "url"}}}),
                "/components/schemas/Test",
            )
            .unwrap()
            .schema;
        assert_eq!(schema["properties"]["home"], json!({"type": "string"}));
        let warnings = normaliser.into_warnings();
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].pointer,
            "/components/schemas/Test/properties/home/format"
        );
        assert!(warnings[0].message.contains("\"url\""), "{warnings:?}");
    }

    #[test]
    fn recursion_that_never_descends_is_refused_and_recursion_through_members_kept() {
        let path = Path::new("own/doc.json");
        let normalise = |defs: Value| {
            let mut normaliser = Normaliser::new(path, Dialect::JsonSchema);
            let entries = defs
                .as_object()
                .unwrap()
                .iter()
                .map(|(name, def)| {
                    normaliser
                        .definition(name, def, &format!("/$defs/{name}"))
                        .unwrap()
                })
                .collect();
            resolve_definitions(path, entries)
        };
        // Found by the `schema_generator` fuzz target: typify overflowed its stack.
        let error = normalise(json!({
            "A": {"type": "object", "allOf": [{"$ref": "#/$defs/B"}]},
            "B": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]}
        }))
        .unwrap_err()
        .to_string();
        assert_eq!(
            error,
            "own/doc.json: at /$defs/B/anyOf/0/$ref: unsupported recursion: A -> B -> A refer to each other without descending into a property or an item, so validating a value would never end"
        );
        let error = normalise(json!({"A": {"$ref": "#/$defs/A"}})).unwrap_err();
        assert!(error.to_string().contains("A -> A"), "{error}");
        // A list of lists, a tree of nodes: each step goes one level down.
        assert!(normalise(json!({
            "Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}},
            "List": {"type": "array", "items": {"$ref": "#/$defs/List"}}
        }))
        .is_ok());
    }

    #[test]
    fn tolerance_stands_beside_an_enum_of_strings() {
        for (schema, found) in [
            (
                json!({"type": "string", "x-bankschema-tolerant": true}),
                "beside no `enum`",
            ),
            (
                json!({"enum": ["a"], "x-bankschema-tolerant": true}),
                "beside `enum: [\"a\"]`",
            ),
            (
                json!({"type": "integer", "enum": [1, 2], "x-bankschema-tolerant": true}),
                "beside `enum: [1,2]`",
            ),
            (
                json!({"type": "string", "enum": ["a"], "x-bankschema-tolerant": "yes"}),
                "found a string",
            ),
        ] {
            let error = openapi(schema).unwrap_err().to_string();
            assert!(
                error.contains("at /components/schemas/Test/x-bankschema-tolerant:")
                    && error.contains(found),
                "{error}"
            );
        }
        let (schema, _) = openapi(
            json!({"type": "string", "nullable": true, "enum": ["a", null], "x-bankschema-tolerant": true}),
        )
        .unwrap();
        assert!(schema
            .to_string()
            .contains(r#""x-bankschema-tolerant":true"#));
    }

    #[test]
    fn bankschema_extensions_are_checked_where_they_stand() {
        let error = openapi(json!({"type": "number", "x-bankschema-mony": true})).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("at /components/schemas/Test/x-bankschema-mony: unknown extension"),
            "{error}"
        );
        let error = openapi(json!({"type": "object", "x-bankschema-money": true})).unwrap_err();
        assert!(
            error.to_string().contains("beside `type: object`"),
            "{error}"
        );
        let path = Path::new("schemas/test.openapi.yaml");
        let mut normaliser = Normaliser::new(path, Dialect::OpenApi30);
        normaliser
            .definition(
                "Test",
                &json!({"type": "string", "pattern": "-?[0-9]{1,14}", "x-bankschema-money": true}),
                "/components/schemas/Test",
            )
            .unwrap();
        let warnings = normaliser.into_warnings();
        assert!(
            warnings[0].message.contains("is not anchored"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_3_1_type_list_with_null_is_nullable_unless_another_keyword_decides_null() {
        let path = Path::new("schemas/test.openapi.yaml");
        let read = |schema: Value| {
            Normaliser::new(path, Dialect::OpenApi31)
                .definition("Test", &schema, "/components/schemas/Test")
                .map(|d| d.schema)
        };
        assert_eq!(
            read(json!({"type": ["string", "null"], "maxLength": 3})).unwrap(),
            json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]})
        );
        // The enum refuses null: the list stays, so null stays refused.
        assert_eq!(
            read(json!({"type": ["string", "null"], "enum": ["a", "b"]})).unwrap(),
            json!({"type": ["string", "null"], "enum": ["a", "b"]})
        );
        // Beside a $ref, a bankschema extension would be ignored: refused.
        let error = read(json!({"$ref": "#/components/schemas/A", "x-bankschema-money": true}))
            .unwrap_err()
            .to_string();
        assert!(error.contains("at /components/schemas/Test/x-bankschema-money: `x-bankschema-money` beside `$ref` would be ignored"), "{error}");
        // Outside 3.1 a type list is no single type for money.
        let error = Normaliser::new(path, Dialect::JsonSchema)
            .definition(
                "T",
                &json!({"type": ["number", "null"], "x-bankschema-money": true}),
                "/$defs/T",
            )
            .unwrap_err()
            .to_string();
        assert!(error.contains("beside no single type"), "{error}");
    }

    #[test]
    fn boolean_exclusive_minimum_becomes_numeric() {
        let (schema, _) =
            openapi(json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})).unwrap();
        assert_eq!(schema, json!({"type": "number", "exclusiveMinimum": 0}));
    }

    #[test]
    fn refused_constructs_name_their_pointer() {
        let cases = [
            (
                json!({"type": "string", "const": "x"}),
                "/components/schemas/Test/const",
                "unsupported keyword `const`",
            ),
            (
                json!({"$ref": "#/components/schemas/A", "description": "d"}),
                "/components/schemas/Test",
                "beside `$ref`",
            ),
            (
                json!({"$ref": "other.yaml#/A"}),
                "/components/schemas/Test/$ref",
                "unsupported $ref",
            ),
            (
                json!({"properties": {"x": 3}}),
                "/components/schemas/Test/properties/x",
                "expected a schema object, found a number",
            ),
            (
                json!({"nullable": "yes"}),
                "/components/schemas/Test/nullable",
                "expected true or false",
            ),
        ];
        for (input, pointer, message) in cases {
            let error = openapi(input.clone()).unwrap_err().to_string();
            assert!(
                error.contains(&format!("at {pointer}: ")) && error.contains(message),
                "{input} gave {error}"
            );
            assert!(error.starts_with("schemas/test.openapi.yaml: "), "{error}");
        }
    }
}
