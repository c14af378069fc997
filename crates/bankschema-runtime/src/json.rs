//! Any JSON, read without loss even where serde buffers it first.
//!
//! serde reads a struct with `#[serde(flatten)]` fields, and an internally tagged
//! enum, through an intermediate buffer. With `serde_json`'s `arbitrary_precision`
//! (which keeps every number's text), an integer beyond `u64` reaches that buffer as
//! a `u128`, and `serde_json::Value` then refuses it. [`Json`] and
//! [`UnknownProperties`] accept every form a number can arrive in, so an unknown
//! property or a field of any type comes back exactly as sent.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Number, Value};
use std::fmt;
use std::ops::{Deref, DerefMut};

/// A field the schema allows to hold any JSON value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Json(pub Value);

/// The properties of an object that its schema does not name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnknownProperties(pub Map<String, Value>);

impl UnknownProperties {
    /// Whether the object had no property its schema does not name.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Deref for Json {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.0
    }
}

impl DerefMut for Json {
    fn deref_mut(&mut self) -> &mut Value {
        &mut self.0
    }
}

impl Deref for UnknownProperties {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for UnknownProperties {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
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
        deserializer.deserialize_any(ValueVisitor).map(Json)
    }
}

impl<'de> Deserialize<'de> for UnknownProperties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_map(ValueVisitor)? {
            Value::Object(map) => Ok(UnknownProperties(map)),
            _ => Err(de::Error::custom(
                "expected the unknown properties of an object",
            )),
        }
    }
}

/// `serde_json`'s name for a number carried as text under `arbitrary_precision`.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

struct ValueVisitor;

impl<'de> DeserializeSeed<'de> for ValueVisitor {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Any JSON value, read from whichever form `deserializer` gives it in.
pub(crate) fn any<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
    deserializer.deserialize_any(ValueVisitor)
}

/// The error for a key repeated in one object, which the text policy refuses.
pub(crate) fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!(
        "duplicate key `{}`",
        bankschema_rules::redact::shorten(key)
    ))
}

pub(crate) use bankschema_rules::redact::kind_of as kind;

/// The number written `text`; one no 64-bit float holds (`1e400`) is refused, as
/// everywhere a payload is read.
fn number<E: de::Error>(text: &str) -> Result<Value, E> {
    if bankschema_rules::decimal::out_of_range(text) {
        return Err(E::custom(format_args!(
            "number {} is out of range: no 64-bit float or decimal holds it",
            bankschema_rules::redact::shorten(text)
        )));
    }
    text.parse::<Number>().map(Value::Number).map_err(E::custom)
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        number(&v.to_string())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        number(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a non-finite number"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(ValueVisitor)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if key == NUMBER_TOKEN && map.is_empty() {
                let text: String = access.next_value()?;
                return number(&text);
            }
            if map.contains_key(&key) {
                return Err(duplicate(&key));
            }
            let value = access.next_value_seed(ValueVisitor)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Serialize, PartialEq, Debug)]
    #[serde(tag = "type")]
    enum Tagged {
        A {
            #[serde(flatten)]
            extra: UnknownProperties,
            any: Json,
        },
    }

    #[test]
    fn big_and_precise_numbers_survive_serde_buffering() {
        let text = r#"{"type":"A","any":[20000000000000000000,-1.50,{"n":-170141183460469231731687303715884105729}],"big":20000000000000000000,"x":0.10}"#;
        let value: Tagged = serde_json::from_str(text).unwrap();
        let back: Value = serde_json::to_value(&value).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(text).unwrap());
    }
}
