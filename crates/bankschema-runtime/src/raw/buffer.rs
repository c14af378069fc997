//! [`Raw`] as a serde `Deserializer`, for the enums serde reads through a buffer.
//!
//! serde's derived `Deserialize` of an internally tagged or untagged enum reads the
//! value into its own buffer first, and that buffer holds a number as an `f64`:
//! `0.10` would come back `0.1`, 30 digits rounded. [`buffered`] reads the value's
//! text instead (serde_json's `raw_value`), then hands the derived code this
//! deserializer, which shows every number that is not a plain integer as its text
//! in bytes inside a newtype: no JSON value is either, so nothing else can look like
//! one, and no other type reads it (a `String` reads bytes, but not in a newtype).
//! [`crate::Money`], [`crate::Integer`], [`crate::Number`] and [`crate::Json`] read
//! that form back exactly; generated types hold no floats and no
//! `serde_json::Value`.

use super::{Raw, RawArray, RawObject};
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use std::borrow::Cow;
use std::fmt;

/// What went wrong reading generated types from a [`Raw`] value.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Error {
        Error(message.to_string())
    }
}

/// `T` read from `deserializer` through `derived` (serde's derived impl of an enum
/// it buffers, which `#[serde(remote = "Self")]` leaves callable), every number
/// kept as written.
pub fn buffered<'de, D, T>(
    deserializer: D,
    derived: impl FnOnce(&Raw<'_>) -> Result<T, Error>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    crate::json::with_tree(deserializer, |raw| derived(&raw).map_err(|e| e.0))
}

impl<'de, 'a> Deserializer<'de> for &'de Raw<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Raw::Null => visitor.visit_unit(),
            Raw::Bool(b) => visitor.visit_bool(*b),
            Raw::Number(text) => match crate::numeral::plain_integer(text) {
                Some(crate::numeral::Plain::Signed(n)) => visitor.visit_i64(n),
                Some(crate::numeral::Plain::Unsigned(n)) => visitor.visit_u64(n),
                None => visitor.visit_newtype_struct(
                    de::value::BorrowedBytesDeserializer::<Error>::new(text.as_bytes()),
                ),
            },
            Raw::Str(text) => visitor.visit_borrowed_str(text),
            Raw::Array(RawArray(items)) => visitor.visit_seq(Items(items.iter())),
            Raw::Object(RawObject(members)) => visitor.visit_map(Members {
                members: members.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Raw::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Raw::Str(text) => visitor.visit_enum(text.as_ref().into_deserializer()),
            _ => Err(de::Error::invalid_type(
                de::Unexpected::Other("a JSON value that is not a string"),
                &"a variant name",
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

struct Items<'de, 'a>(std::slice::Iter<'de, Raw<'a>>);

impl<'de, 'a> SeqAccess<'de> for Items<'de, 'a> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|item| seed.deserialize(item)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Members<'de, 'a> {
    members: std::slice::Iter<'de, (Cow<'a, str>, Raw<'a>)>,
    value: Option<&'de Raw<'a>>,
}

impl<'de, 'a> MapAccess<'de> for Members<'de, 'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(de::Error::custom("a value asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}
