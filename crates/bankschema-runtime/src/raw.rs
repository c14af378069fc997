//! JSON read only to be judged: the report's input when a payload does not fit its
//! generated type.
//!
//! A `serde_json::Value` costs a `String` per key and string and an `IndexMap`
//! (hashing every key) per object; the report needs none of that. [`Raw`] borrows
//! what the bytes hold unescaped and keeps members in a `Vec`, in order, and reads
//! about twice as fast (`cargo run --release -p bankschema-bench --example stages`).
//! It is judged through the same typed view ([`TypedNode`]) as generated values, so
//! the schema and the rules see exactly what a `Value` would show them: the same
//! members in the same order, numbers as written. The differential tests hold
//! the reports made on it equal to those made on a `Value`. It refuses what the
//! text policy refuses ([`crate::text`]): a repeated key, a number out of range
//! (and, as serde_json does, a lone surrogate); the report then says where.

use crate::de::Key;
use crate::typed::{AsNode, TypedArray, TypedNode, TypedObject};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::fmt;

/// One JSON value, borrowing from the bytes it was read from.
pub enum Raw<'a> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'a, str>),
    Array(RawArray<'a>),
    Object(RawObject<'a>),
}

/// An array's elements.
pub struct RawArray<'a>(Vec<Raw<'a>>);

/// An object's members, in order, each key once.
pub struct RawObject<'a>(Vec<(Cow<'a, str>, Raw<'a>)>);

impl<'a> Raw<'a> {
    /// `bytes` read as JSON, or `serde_json`'s error.
    pub fn read(bytes: &'a [u8]) -> Result<Raw<'a>, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// The value as a `serde_json::Value`, for messages (cold).
    pub fn to_value(&self) -> Value {
        match self {
            Raw::Null => Value::Null,
            Raw::Bool(b) => Value::Bool(*b),
            Raw::Number(n) => Value::Number(n.clone()),
            Raw::Str(s) => Value::String(s.clone().into_owned()),
            Raw::Array(array) => array.to_value(),
            Raw::Object(object) => object.to_value(),
        }
    }
}

impl AsNode for Raw<'_> {
    fn as_node(&self) -> Option<TypedNode<'_>> {
        Some(match self {
            Raw::Null => TypedNode::Null,
            Raw::Bool(b) => TypedNode::Bool(*b),
            Raw::Number(n) => TypedNode::Number(n),
            Raw::Str(s) => TypedNode::Str(s),
            Raw::Array(array) => TypedNode::Array(array),
            Raw::Object(object) => TypedNode::Object(object),
        })
    }
}

impl TypedArray for RawArray<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn elements(&self) -> Vec<TypedNode<'_>> {
        self.0
            .iter()
            .map(|item| item.as_node().unwrap_or(TypedNode::Null))
            .collect()
    }

    fn to_value(&self) -> Value {
        Value::Array(self.0.iter().map(Raw::to_value).collect())
    }

    fn element_slice(&self) -> Option<&[Raw<'_>]> {
        Some(&self.0)
    }
}

impl TypedObject for RawObject<'_> {
    fn get(&self, key: &str) -> Option<TypedNode<'_>> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .and_then(|(_, value)| value.as_node())
    }

    fn members(&self) -> Vec<(&str, TypedNode<'_>)> {
        self.0
            .iter()
            .filter_map(|(name, value)| Some((name.as_ref(), value.as_node()?)))
            .collect()
    }

    fn member_count(&self) -> usize {
        self.0.len()
    }

    fn member_slice(&self) -> Option<&[(Cow<'_, str>, Raw<'_>)]> {
        Some(&self.0)
    }

    fn to_value(&self) -> Value {
        let map: Map<String, Value> = self
            .0
            .iter()
            .map(|(name, value)| (name.clone().into_owned(), value.to_value()))
            .collect();
        Value::Object(map)
    }
}

/// `serde_json`'s name for a number carried as text under `arbitrary_precision`.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

/// Members compared one by one for a repeated key; past them, a set.
const SCANNED: usize = 16;

fn number<'a, E: de::Error>(text: &str) -> Result<Raw<'a>, E> {
    if bankschema_rules::decimal::out_of_range(text) {
        return Err(E::custom(format_args!(
            "number {} is out of range",
            bankschema_rules::redact::shorten(text)
        )));
    }
    text.parse::<Number>().map(Raw::Number).map_err(E::custom)
}

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw<'de>, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw<'de>, E> {
        Ok(Raw::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw<'de>, E> {
        Ok(Raw::Number(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw<'de>, E> {
        number(&v.to_string())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw<'de>, E> {
        number(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw<'de>, E> {
        Number::from_f64(v)
            .map(Raw::Number)
            .ok_or_else(|| E::custom("a non-finite number"))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Array(RawArray(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Raw<'de>, A::Error> {
        let mut members: Vec<(Cow<'de, str>, Raw<'de>)> = Vec::new();
        let mut seen: Option<std::collections::HashSet<Cow<'de, str>>> = None;
        while let Some(Key(key)) = access.next_key()? {
            if key == NUMBER_TOKEN && members.is_empty() {
                // The number's text: a string, read as a property name is.
                let text: Key<'de> = access.next_value()?;
                return number(text.as_str());
            }
            let value = access.next_value()?;
            // Beyond a few members, a set answers in constant time: a hostile
            // object of a million keys is not read in quadratic time.
            let repeated = match &mut seen {
                Some(seen) => !seen.insert(key.clone()),
                None if members.len() < SCANNED => members.iter().any(|(name, _)| *name == key),
                None => {
                    let set = seen.insert(members.iter().map(|(name, _)| name.clone()).collect());
                    !set.insert(key.clone())
                }
            };
            if repeated {
                return Err(crate::json::duplicate(&key));
            }
            members.push((key, value));
        }
        Ok(Raw::Object(RawObject(members)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_a_value_reads_in_the_same_order_with_numbers_as_written() {
        let text = br#"{"b": [1, -2.50, 1e-400, 20000000000000000000, true, null],
                        "a": "esc\"aped", "c": "plain", "": {}}"#;
        let raw = Raw::read(text).unwrap();
        let value: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(raw.to_value(), value);
        let keys: Vec<&str> = match &raw {
            Raw::Object(object) => object.0.iter().map(|(k, _)| k.as_ref()).collect(),
            _ => panic!("an object"),
        };
        assert_eq!(keys, ["b", "a", "c", ""]);
        assert!(
            matches!(&raw, Raw::Object(o) if matches!(o.0[2].1, Raw::Str(Cow::Borrowed("plain"))))
        );
    }

    #[test]
    fn refuses_what_the_text_policy_refuses() {
        let many: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let late_repeat = format!("{{{}, \"k99\": 0}}", many.join(", "));
        for (bad, why) in [
            (
                &br#"{"a": 1, "b": {"c": 1, "c": 2}}"#[..],
                "duplicate key `c`",
            ),
            (late_repeat.as_bytes(), "duplicate key `k99`"),
            (br#"[1e400]"#, "out of range"),
            (br#"{"a": -1e400}"#, "out of range"),
        ] {
            let error = Raw::read(bad)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                error.contains(why),
                "{}: {error}",
                String::from_utf8_lossy(bad)
            );
        }
        let distinct = format!("{{{}}}", many.join(", "));
        assert!(Raw::read(distinct.as_bytes()).is_ok());
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        for bad in [&b"{"[..], b"[1,]", b"{\"a\" 1}", b"nul", b"\"\\u12\""] {
            assert!(
                Raw::read(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
