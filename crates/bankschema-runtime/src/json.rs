//! Any JSON, kept as it came: [`Json`] for a field of any type, and
//! [`UnknownProperties`] for the members of an object its schema does not name.
//!
//! Both keep numbers as written (`1.50` stays `1.50`, 30 digits keep their
//! digits) and members in order, without turning on any feature of serde_json:
//! serde_json hands over each value's text (its `raw_value` feature), which
//! [`Raw::read`] reads under the text policy (a repeated key, a number out of
//! range or a lone surrogate is refused).

use crate::raw::{Raw, RawObject, Refusal};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// A field the schema allows to hold any JSON value, kept as it came.
///
/// ```
/// use bankschema_runtime::Json;
///
/// let any: Json = serde_json::from_str(r#"{"rate": 1.50, "b": [1e2]}"#).unwrap();
/// assert_eq!(any.to_string(), r#"{"rate":1.50,"b":[1e2]}"#);
/// assert_eq!(any.to_value()["rate"], 1.5);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Json(pub(crate) Raw<'static>);

impl Json {
    /// The value as a `serde_json::Value`: numbers as serde_json holds them.
    pub fn to_value(&self) -> Value {
        self.0.to_value()
    }
}

impl From<Value> for Json {
    fn from(value: Value) -> Json {
        Json(Raw::from_value(&value))
    }
}

impl From<&Value> for Json {
    fn from(value: &Value) -> Json {
        Json(Raw::from_value(value))
    }
}

/// The JSON text, compact, numbers as written.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// JSON text read under the text policy.
impl std::str::FromStr for Json {
    type Err = String;

    fn from_str(text: &str) -> Result<Json, String> {
        from_text::<serde_json::Error, _>(text, |raw| Ok(Json(raw.into_owned())))
            .map_err(|e| e.to_string())
    }
}

/// The properties of an object that its schema does not name, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnknownProperties(pub(crate) RawObject<'static>);

impl UnknownProperties {
    /// Whether the object had no property its schema does not name.
    pub fn is_empty(&self) -> bool {
        self.0 .0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0 .0.len()
    }

    /// The unknown property `key`, as a `serde_json::Value`.
    pub fn get(&self, key: &str) -> Option<Value> {
        self.0
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value.to_value())
    }

    /// The names of the unknown properties, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(name, _)| name)
    }

    /// Adds the property `key`, or replaces its value.
    pub fn insert(&mut self, key: impl Into<String>, value: Json) {
        let key = key.into();
        match self.0 .0.iter_mut().find(|(name, _)| *name == key) {
            Some(slot) => slot.1 = value.0,
            None => self.0 .0.push((Cow::Owned(key), value.0)),
        }
    }

    /// Whether `key` is among them.
    pub(crate) fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|(name, _)| name == key)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl Serialize for UnknownProperties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        with_tree(deserializer, |raw| Ok(Json(raw.into_owned())))
    }
}

/// `use_tree`'s answer on the value `deserializer` holds, read as a tree under the
/// text policy: from its text when serde_json gives it (numbers as written), from
/// what serde's data model shows of it otherwise.
pub(crate) fn with_tree<'de, D, T>(
    deserializer: D,
    use_tree: impl FnOnce(Raw<'_>) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_newtype_struct(RAW_TOKEN, TreeVisitor(use_tree))
}

impl<'de> Deserialize<'de> for UnknownProperties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Json::deserialize(deserializer)?.0 {
            Raw::Object(object) => Ok(UnknownProperties(object)),
            _ => Err(de::Error::custom(
                "expected the unknown properties of an object",
            )),
        }
    }
}

/// serde_json's name for a value read as its text (`raw_value`).
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// `text`, one JSON value, read under the text policy, to `use_tree`.
fn from_text<E: de::Error, T>(
    text: &str,
    use_tree: impl FnOnce(Raw<'_>) -> Result<T, String>,
) -> Result<T, E> {
    match crate::raw::read::read(text, crate::raw::Policy::Strict) {
        Ok(raw) => use_tree(raw).map_err(E::custom),
        Err(Refusal::Duplicate(key)) => Err(duplicate(&key)),
        Err(Refusal::OutOfRange(number)) => Err(E::custom(format_args!(
            "number {} is out of range: no 64-bit float or decimal holds it",
            bankschema_rules::redact::shorten(&number)
        ))),
        // serde_json read the text already: what is left is a lone surrogate.
        Err(Refusal::Syntax) => Err(match serde_json::from_str::<de::IgnoredAny>(text) {
            Err(e) => E::custom(e),
            Ok(_) => E::custom("a string holds a lone surrogate"),
        }),
    }
}

struct TreeVisitor<F>(F);

impl<'de, T, F: FnOnce(Raw<'_>) -> Result<T, String>> Visitor<'de> for TreeVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// serde_json's answer: one entry, its token and the text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        match map.next_key::<crate::de::Key<'de>>()? {
            Some(key) if key.as_str() == RAW_TOKEN => {
                let text: crate::de::Key<'de> = map.next_value()?;
                from_text(text.as_str(), self.0)
            }
            _ => Err(de::Error::custom("expected serde_json's text of a value")),
        }
    }

    /// Any other format: what serde's data model shows of the value.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let raw = Raw::deserialize(deserializer)?;
        (self.0)(raw).map_err(de::Error::custom)
    }
}

/// The error for a key repeated in one object, which the text policy refuses.
pub(crate) fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!(
        "duplicate key `{}`",
        bankschema_rules::redact::shorten(key)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Serialize, PartialEq, Debug)]
    struct Holder {
        any: Json,
        #[serde(default)]
        extra: UnknownProperties,
    }

    #[test]
    fn numbers_and_order_survive_as_written() {
        let text = r#"{"any":[20000000000000000000,-1.50,{"n":-170141183460469231731687303715884105729,"a":1e2}],"extra":{"z":1,"big":20000000000000000000,"x":0.10}}"#;
        let value: Holder = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
        assert_eq!(value.extra.keys().collect::<Vec<_>>(), ["z", "big", "x"]);
        let reader: Holder = serde_json::from_reader(text.as_bytes()).unwrap();
        assert_eq!(reader, value);
    }

    #[test]
    fn the_text_policy_holds_inside_any_json() {
        for (text, why) in [
            (r#"{"any": {"a": 1, "a": 2}}"#, "duplicate key `a`"),
            (r#"{"any": [1e400]}"#, "out of range"),
            (r#"{"any": "\ud800"}"#, "lone"),
        ] {
            let error = serde_json::from_str::<Holder>(text)
                .unwrap_err()
                .to_string();
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn other_formats_and_values_read_through_serde() {
        let value = serde_json::json!({"any": {"b": 2.5, "a": [true, null]}});
        let holder: Holder = serde_json::from_value(value).unwrap();
        assert_eq!(holder.any.to_value()["b"], 2.5);
        assert_eq!("[1.0]".parse::<Json>().unwrap().to_string(), "[1.0]");
    }
}
