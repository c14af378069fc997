//! The keywords of the OpenAPI Schema Object that JSON Schema lacks: `nullable`,
//! `example`, boolean `exclusiveMinimum`/`exclusiveMaximum`, `discriminator`, and
//! the formats that state a range.

use super::{escape, kind_of, single_type, Normaliser};
use crate::error::Result;
use serde_json::{Map, Value};

impl Normaliser<'_> {
    /// The OpenAPI-only keywords; returns whether the schema is `nullable`.
    pub(super) fn openapi_keyword(
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
    pub(super) fn discriminator(
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
}

/// An OpenAPI `format` (`int32`, `byte`...): its range as bounds, on an integer
/// without bounds of its own; the others describe an encoding and assert nothing.
pub(super) fn openapi_format(
    object: &Map<String, Value>,
    item: &Value,
    out: &mut Map<String, Value>,
) {
    let range = OPENAPI_FORMATS
        .iter()
        .find(|(f, _)| item == *f)
        .and_then(|(_, r)| *r);
    if let (Some((low, high)), Some("integer")) = (range, single_type(object)) {
        // The schema's own bounds, where it has them, are the narrower.
        if !object.contains_key("minimum") && !object.contains_key("exclusiveMinimum") {
            out.insert("minimum".into(), Value::from(low));
        }
        if !object.contains_key("maximum") && !object.contains_key("exclusiveMaximum") {
            out.insert("maximum".into(), Value::from(high));
        }
    }
}

/// OpenAPI 3.0 keywords that only document and have no JSON Schema counterpart.
pub(super) const OPENAPI_DROPPED: &[&str] = &["externalDocs", "xml"];

/// The formats OpenAPI 3.0 defines beside JSON Schema's. `int32` and `int64` state
/// a range, written out as bounds; the others describe an encoding or a display
/// hint and assert nothing.
pub(super) const OPENAPI_FORMATS: &[(&str, Option<(i64, i64)>)] = &[
    ("int32", Some((i32::MIN as i64, i32::MAX as i64))),
    ("int64", Some((i64::MIN, i64::MAX))),
    ("float", None),
    ("double", None),
    ("byte", None),
    ("binary", None),
    ("password", None),
];
