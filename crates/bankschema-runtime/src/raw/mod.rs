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
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

pub(crate) mod buffer;
pub(crate) mod read;

pub use read::{Policy, Refusal};

/// One JSON value, borrowing from the bytes it was read from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Raw<'a> {
    #[default]
    Null,
    Bool(bool),
    /// A number as written.
    Number(Cow<'a, str>),
    Str(Cow<'a, str>),
    Array(RawArray<'a>),
    Object(RawObject<'a>),
}

/// An array's elements.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawArray<'a>(pub(crate) Vec<Raw<'a>>);

/// An object's members, in order, each key once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawObject<'a>(pub(crate) Vec<(Cow<'a, str>, Raw<'a>)>);

impl<'a> Raw<'a> {
    /// `bytes` read as JSON under the text policy ([`crate::text`]): a repeated
    /// key or a number out of range is refused. serde_json says why text is not
    /// JSON, and the text scan where the policy refuses it.
    pub fn read(bytes: &'a [u8]) -> Result<Raw<'a>, Refusal> {
        Self::read_as(bytes, Policy::Strict)
    }

    /// `bytes` read as JSON under `policy`.
    pub fn read_as(bytes: &'a [u8], policy: Policy) -> Result<Raw<'a>, Refusal> {
        let text = std::str::from_utf8(bytes).map_err(|_| Refusal::Syntax)?;
        read::read(text, policy)
    }

    /// The same value, owning its text.
    pub fn into_owned(self) -> Raw<'static> {
        match self {
            Raw::Null => Raw::Null,
            Raw::Bool(b) => Raw::Bool(b),
            Raw::Number(text) => Raw::Number(Cow::Owned(text.into_owned())),
            Raw::Str(text) => Raw::Str(Cow::Owned(text.into_owned())),
            Raw::Array(array) => Raw::Array(array.into_owned()),
            Raw::Object(object) => Raw::Object(object.into_owned()),
        }
    }

    /// The value as a `serde_json::Value` (numbers as serde_json reads them).
    pub fn to_value(&self) -> Value {
        match self {
            Raw::Null => Value::Null,
            Raw::Bool(b) => Value::Bool(*b),
            Raw::Number(text) => serde_json::from_str(text).unwrap_or(Value::Null),
            Raw::Str(s) => Value::String(s.clone().into_owned()),
            Raw::Array(array) => array.to_value(),
            Raw::Object(object) => object.to_value(),
        }
    }

    /// `value` as a tree of its own.
    pub fn from_value(value: &Value) -> Raw<'static> {
        match value {
            Value::Null => Raw::Null,
            Value::Bool(b) => Raw::Bool(*b),
            Value::Number(n) => Raw::Number(Cow::Owned(n.to_string())),
            Value::String(s) => Raw::Str(Cow::Owned(s.clone())),
            Value::Array(items) => {
                Raw::Array(RawArray(items.iter().map(Raw::from_value).collect()))
            }
            Value::Object(map) => Raw::Object(RawObject(
                map.iter()
                    .map(|(k, v)| (Cow::Owned(k.clone()), Raw::from_value(v)))
                    .collect(),
            )),
        }
    }
}

impl RawArray<'_> {
    fn into_owned(self) -> RawArray<'static> {
        RawArray(self.0.into_iter().map(Raw::into_owned).collect())
    }
}

impl<'a> RawObject<'a> {
    fn into_owned(self) -> RawObject<'static> {
        RawObject(
            self.0
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                .collect(),
        )
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Raw<'a>)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

/// JSON text as it was read: numbers with their digits.
impl fmt::Display for Raw<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_string(self) {
            Ok(text) => f.write_str(&text),
            Err(_) => Err(fmt::Error),
        }
    }
}

impl Serialize for Raw<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Raw::Null => serializer.serialize_unit(),
            Raw::Bool(b) => serializer.serialize_bool(*b),
            Raw::Number(text) => crate::numeral::write(text, serializer),
            Raw::Str(text) => serializer.serialize_str(text),
            Raw::Array(array) => {
                let mut seq = serializer.serialize_seq(Some(array.0.len()))?;
                for item in &array.0 {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Raw::Object(object) => object.serialize(serializer),
        }
    }
}

impl Serialize for RawObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
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

    fn element(&self, index: usize) -> Option<TypedNode<'_>> {
        Some(self.0.get(index)?.as_node().unwrap_or(TypedNode::Null))
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
            .find(|(name, _)| same_key(name, key))
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

/// Any JSON from a format other than serde_json's text (which [`crate::Json`]
/// reads through [`Raw::read`]): what serde's data model shows of it.
impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

pub(crate) struct RawVisitor;

fn number<'a, E: de::Error>(text: String) -> Result<Raw<'a>, E> {
    if bankschema_rules::decimal::out_of_range(&text) {
        return Err(E::custom(format_args!(
            "number {} is out of range",
            bankschema_rules::redact::shorten(&text)
        )));
    }
    Ok(Raw::Number(Cow::Owned(text)))
}

/// `text` when it is one JSON number, in range.
pub(crate) fn number_text(text: &str) -> Option<&str> {
    match read::read(text, Policy::Strict) {
        Ok(Raw::Number(_)) => Some(text),
        _ => None,
    }
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
        number(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw<'de>, E> {
        number(v.to_string())
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw<'de>, E> {
        number(v.to_string())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw<'de>, E> {
        number(v.to_string())
    }
    /// The shortest text that reads back as `v`, as a 32-bit float says it.
    fn visit_f32<E: de::Error>(self, v: f32) -> Result<Raw<'de>, E> {
        if v.is_finite() {
            number(v.to_string())
        } else {
            Err(E::custom("a non-finite number"))
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw<'de>, E> {
        serde_json::Number::from_f64(v)
            .map(|n| Raw::Number(Cow::Owned(n.to_string())))
            .ok_or_else(|| E::custom("a non-finite number"))
    }
    /// A number's text ([`buffer`] hands numbers over so: no JSON value is bytes).
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Raw<'de>, E> {
        match std::str::from_utf8(v).ok().and_then(number_text) {
            Some(text) => Ok(Raw::Number(Cow::Owned(text.to_owned()))),
            None => Err(E::invalid_type(de::Unexpected::Bytes(v), &self)),
        }
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
    /// What it wraps (a number's text, from [`buffer`]).
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Raw<'de>, D::Error> {
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
        let first = access.next_key::<Key<'de>>()?.map(|k| k.0);
        object_from(first, access)
    }
}

/// The object whose first key (already read) is `first`, the rest in `access`.
pub(crate) fn object_from<'de, A: MapAccess<'de>>(
    first: Option<Cow<'de, str>>,
    mut access: A,
) -> Result<Raw<'de>, A::Error> {
    let mut members: Vec<(Cow<'de, str>, Raw<'de>)> = Vec::new();
    let mut seen = None;
    let mut next = first;
    while let Some(key) = next {
        let value = access.next_value()?;
        if earlier(&members, &mut seen, &key).is_some() {
            return Err(crate::json::duplicate(&key));
        }
        members.push((key, value));
        next = access.next_key::<Key<'de>>()?.map(|k| k.0);
    }
    Ok(Raw::Object(RawObject(members)))
}

/// Members compared one by one for a repeated key; past them, a set. Comparing
/// keys is mostly comparing lengths, and an account of thirty members read 6 to
/// 15% faster scanned than hashed (`crates/bankschema-bench/examples/invalid.rs`,
/// every get-accounts case): 64 keeps the scan under 2,016 comparisons an object.
const SCANNED: usize = 64;

/// Whether two keys are the same: their lengths and last bytes first, inline. The
/// schema and the rules look members up by name in objects of tens of members, many
/// of one length; a call to `memcmp` for each cost more than the lookups' own work.
#[inline]
fn same_key(name: &str, key: &str) -> bool {
    name.len() == key.len() && name.as_bytes().last() == key.as_bytes().last() && name == key
}

/// Where `key` is among `members` already, if it is (and notes it in `seen`, at
/// the index `members.len()`: the key's own, pushed after them). Beyond a few members, a map answers in constant time: a
/// hostile object of a million keys is not read in quadratic time.
// The key goes into the map as it is: borrowed from the text when it can be.
#[allow(clippy::ptr_arg)]
fn earlier<'a>(
    members: &[(Cow<'a, str>, Raw<'a>)],
    seen: &mut Option<std::collections::HashMap<Cow<'a, str>, usize>>,
    key: &Cow<'a, str>,
) -> Option<usize> {
    let seen = match seen {
        Some(seen) => seen,
        None if members.len() < SCANNED => {
            return members.iter().position(|(name, _)| same_key(name, key));
        }
        None => seen.insert(
            members
                .iter()
                .enumerate()
                .map(|(at, (name, _))| (name.clone(), at))
                .collect(),
        ),
    };
    match seen.entry(key.clone()) {
        std::collections::hash_map::Entry::Occupied(at) => Some(*at.get()),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(members.len());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_a_value_reads_in_the_same_order_with_numbers_as_written() {
        let text = br#"{"b": [1, -2.50, 1e-400, 20000000000000000000, true, null],
                        "a": "esc\"aped\u00e9\ud83d\ude00", "c": "plain", "": {}}"#;
        let raw = Raw::read(text).unwrap();
        let value: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(raw.to_value(), value);
        let Raw::Object(object) = &raw else {
            panic!("an object")
        };
        let keys: Vec<&str> = object.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a", "c", ""]);
        assert!(matches!(object.0[2].1, Raw::Str(Cow::Borrowed("plain"))));
        assert_eq!(
            raw.to_string(),
            r#"{"b":[1,-2.50,1e-400,20000000000000000000,true,null],"a":"esc\"aped\u00e9\ud83d\ude00","c":"plain","":{}}"#
                .replace("\\u00e9\\ud83d\\ude00", "\u{e9}\u{1f600}")
        );
    }

    #[test]
    fn refuses_what_the_text_policy_refuses_and_reads_it_leniently() {
        let many: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let late_repeat = format!("{{{}, \"k99\": 0}}", many.join(", "));
        for (bad, why) in [
            (
                &br#"{"a": 1, "b": {"c": 1, "c": 2}}"#[..],
                Refusal::Duplicate("c".into()),
            ),
            (late_repeat.as_bytes(), Refusal::Duplicate("k99".into())),
            (br#"[1e400]"#, Refusal::OutOfRange("1e400".into())),
            (br#"{"a": -1e400}"#, Refusal::OutOfRange("-1e400".into())),
        ] {
            assert_eq!(Raw::read(bad).err(), Some(why));
            assert!(Raw::read_as(bad, Policy::Lenient).is_ok());
        }
        let distinct = format!("{{{}}}", many.join(", "));
        assert!(Raw::read(distinct.as_bytes()).is_ok());
        // Leniently, as serde_json: the last value, in the first key's place.
        let last = Raw::read_as(br#"{"a": 1, "b": 2, "a": 3}"#, Policy::Lenient).unwrap();
        assert_eq!(last.to_string(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        let deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
        let shallow = format!("{}{}", "[".repeat(127), "]".repeat(127));
        for text in [
            &b"{"[..],
            b"[1,]",
            b"{\"a\" 1}",
            b"nul",
            b"\"\\u12\"",
            b"\"\\ud800\"",
            b"\"\\udc00\\ud800\"",
            b"\"a\nb\"",
            b"01",
            b"1.",
            b"1e",
            b"-",
            b".5",
            b"+1",
            b"[1] x",
            b"\xff",
            b"\"\xc3\"",
            b"{\"a\":1,}",
            b"\"\\x\"",
            b"",
            deep.as_bytes(),
            shallow.as_bytes(),
            b"[1e400]",
            b"\"\\ud83d\\ude00\"",
            b" {\"a\" : [ true , false , null , -0.0e+0 ] } ",
        ] {
            let ours = Raw::read_as(text, Policy::Lenient).is_ok();
            // serde_json refuses a number out of range, which a lenient read keeps.
            let theirs = serde_json::from_slice::<Value>(text).is_ok() || text == b"[1e400]";
            assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(text));
        }
    }

    proptest::proptest! {
        /// On text built from JSON's own characters, the reader accepts what
        /// serde_json accepts (and, leniently, numbers out of range) and reads the
        /// same value.
        #[test]
        fn reads_what_serde_json_reads(text in tokens()) {
            let theirs = serde_json::from_slice::<Value>(text.as_bytes());
            let ours = Raw::read_as(text.as_bytes(), Policy::Lenient);
            match (&ours, &theirs) {
                (Ok(raw), Ok(value)) => proptest::prop_assert_eq!(&raw.to_value(), value),
                (Err(_), Err(_)) => {}
                (Ok(_), Err(e)) => proptest::prop_assert!(
                    e.to_string().contains("number out of range"),
                    "{text:?}: ours reads it, serde_json: {e}"
                ),
                (Err(_), Ok(_)) => proptest::prop_assert!(false, "{text:?}: serde_json reads it"),
            }
        }

        /// Any JSON serde_json writes, read back the same, strictly.
        #[test]
        fn reads_what_serde_json_writes(value in json()) {
            let text = serde_json::to_string(&value).unwrap();
            let raw = Raw::read(text.as_bytes()).unwrap();
            proptest::prop_assert_eq!(raw.to_value(), value);
            proptest::prop_assert_eq!(raw.to_string(), text);
        }

        /// The bracket count (strings and escapes stepped over) finds the depth
        /// the reader finds, the value's own.
        #[test]
        fn nesting_is_the_depth_of_the_value(value in json()) {
            let text = serde_json::to_string_pretty(&value).unwrap();
            let (_, deepest) = read::read_nested(&text, Policy::Strict).unwrap();
            proptest::prop_assert_eq!(read::nesting(text.as_bytes()), deepest);
            proptest::prop_assert_eq!(deepest, depth(&value));
        }
    }

    fn depth(value: &Value) -> usize {
        match value {
            Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
            Value::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }

    #[test]
    fn nesting_steps_over_brackets_in_strings() {
        let text = r#"["[\"]\\", {"a": "}}{{", "[": [[]]}, "\\\"["]"#;
        assert_eq!(read::nesting(text.as_bytes()), 4);
        assert_eq!(read::read_nested(text, Policy::Strict).unwrap().1, 4);
    }

    /// JSON documents whose scalars are now and then near misses (`01`, `1.`,
    /// `nul`, a bad escape), with a stray token now and then.
    fn tokens() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let scalar = prop::sample::select(vec![
            "\"a\"",
            "\"\\u00e9\\\"\"",
            "\"\\ud83d\\ude00\"",
            "\"é\"",
            "0",
            "-1",
            "12.50",
            "1e2",
            "-0.0E-3",
            "true",
            "false",
            "null",
            "1e400",
            "\"\\ud800\"",
            "\"\\x\"",
            "\"\t\"",
            "01",
            "1.",
            ".5",
            "-",
            "nul",
            "\"",
            "1e",
            "+1",
        ])
        .prop_map(str::to_owned);
        let document = scalar.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec((prop::sample::select(vec!["a", "b", ""]), inner), 0..4)
                    .prop_map(|members| {
                        let members: Vec<String> = members
                            .iter()
                            .map(|(k, v)| format!("\"{k}\" : {v}"))
                            .collect();
                        format!("{{ {} }}", members.join(", "))
                    }),
            ]
        });
        let stray =
            prop::option::weighted(0.2, prop::sample::select(vec![",", "]", "}", "x", " "]));
        (document, stray, any::<prop::sample::Index>()).prop_map(|(doc, stray, at)| match stray {
            Some(token) => {
                let mut cut = at.index(doc.len() + 1);
                while !doc.is_char_boundary(cut) {
                    cut -= 1;
                }
                format!("{}{token}{}", &doc[..cut], &doc[cut..])
            }
            None => doc,
        })
    }

    fn json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            "\\PC{0,6}|[\"\\\\\u{0}-\u{1f}]{0,3}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-z\"]{0,3}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
