//! Duplicate keys in a source, refused where they stand.
//!
//! serde_json and serde_yaml_ng both keep the last of two equal keys in an object
//! without a word, so a source could say two things and the generator would read
//! one. Neither crate offers to refuse them, so this deserializer walks the text
//! once more, keeping nothing but the keys of the object it is in; the error it
//! raises carries the parser's line and column.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::fmt;

/// A document read only to find a duplicate key.
pub struct NoDuplicates;

impl<'de> Deserialize<'de> for NoDuplicates {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Walk)
    }
}

struct Walk;

impl<'de> Visitor<'de> for Walk {
    type Value = NoDuplicates;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON or YAML value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_i64<E>(self, _: i64) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_u64<E>(self, _: u64) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_i128<E>(self, _: i128) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_u128<E>(self, _: u128) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_f64<E>(self, _: f64) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_str<E>(self, _: &str) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_unit<E>(self) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_none<E>(self) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<NoDuplicates, D::Error> {
        NoDuplicates::deserialize(inner)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<NoDuplicates, A::Error> {
        while items.next_element::<NoDuplicates>()?.is_some() {}
        Ok(NoDuplicates)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<NoDuplicates, A::Error> {
        let mut keys = HashSet::new();
        while let Some(Key(key)) = members.next_key::<Key>()? {
            // Raised before the value is read: the position is the duplicate's.
            if !keys.insert(key.clone()) {
                return Err(de::Error::custom(format_args!(
                    "duplicate key `{}`: readers disagree on which value counts",
                    key.escape_debug()
                )));
            }
            members.next_value::<NoDuplicates>()?;
        }
        Ok(NoDuplicates)
    }
}

/// A key as text, whatever scalar YAML wrote it as (`200:` is a number).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyText)
    }
}

struct KeyText;

impl<'de> Visitor<'de> for KeyText {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, text: &str) -> Result<Key, E> {
        Ok(Key(text.to_owned()))
    }

    fn visit_bool<E>(self, value: bool) -> Result<Key, E> {
        Ok(Key(value.to_string()))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Key, E> {
        Ok(Key(value.to_string()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Key, E> {
        Ok(Key(value.to_string()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Key, E> {
        Ok(Key(value.to_string()))
    }

    fn visit_unit<E>(self) -> Result<Key, E> {
        Ok(Key("null".to_owned()))
    }

    // A complex key (a YAML mapping or sequence as a key) is read past; the
    // document parser refuses it when reading the value.
    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Key, A::Error> {
        while members.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Key(String::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Key, A::Error> {
        while items.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Key(String::new()))
    }
}
