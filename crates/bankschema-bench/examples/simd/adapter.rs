//! The small adapter that lets sonic-rs hand the generated types a value's text.
//!
//! `bankschema_runtime` asks for a value's text (a `Money`'s number, an unknown
//! member) with serde_json's private token, `$serde_json::private::RawValue`, and
//! reads serde_json's answer: a map of one entry, the token and the text. sonic-rs
//! does not know that token (it calls `visit_newtype_struct`, and the number comes
//! as an `f64`), but it knows its own: asked for `$sonic_rs::LazyValue`, it skips
//! one value, checked, and hands over its text as a string.
//!
//! [`Adapt`] wraps any deserializer and every deserializer, visitor, map, sequence
//! and enum it passes on, so that serde_json's token is asked as sonic-rs's and the
//! answer handed on as serde_json gives it. Nothing in the runtime changes; the
//! runtime reads the text it gets under its own policy, as it does serde_json's.
//!
//! It also notes how deep the values read as text nest ([`deepest_text`]): the
//! runtime's reports refuse a document nested 128 deep, and its typed read counts
//! the levels of such texts on top of the typed ones.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use std::cell::Cell;
use std::fmt;

/// serde_json's name for a value read as its text.
const SERDE_JSON_RAW: &str = "$serde_json::private::RawValue";
/// sonic-rs's name for a value read as its text.
const SONIC_LAZY: &str = "$sonic_rs::LazyValue";

thread_local! {
    static DEEPEST: Cell<usize> = const { Cell::new(0) };
}

/// The deepest nesting of the texts handed over since the last call (0 when none
/// was an array or object).
pub fn deepest_text() -> usize {
    DEEPEST.with(|deepest| deepest.replace(0))
}

/// `T` read by sonic-rs from `bytes` (its `from_slice`: trailing bytes and UTF-8
/// checked), every text the runtime asks for handed over.
pub fn from_slice<'de, T: de::Deserialize<'de>>(bytes: &'de [u8]) -> sonic_rs::Result<T> {
    sonic_rs::from_slice::<Lossless<T>>(bytes).map(|read| read.0)
}

/// `T`, read through [`Adapt`].
struct Lossless<T>(T);

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for Lossless<T> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(Adapt(deserializer)).map(Lossless)
    }
}

/// A deserializer (or a visitor, map, sequence, seed...) with the token translated.
pub struct Adapt<T>(pub T);

macro_rules! forward {
    ($($method:ident),*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Adapt(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Adapt<D> {
    type Error = D::Error;

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Adapt(visitor))
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        if name == SERDE_JSON_RAW {
            self.0.deserialize_newtype_struct(SONIC_LAZY, Text(visitor))
        } else {
            self.0.deserialize_newtype_struct(name, Adapt(visitor))
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Adapt(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Adapt(visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, Adapt(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Adapt(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! visit {
    ($($method:ident($ty:ty)),*) => {$(
        #[inline]
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Adapt<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    visit!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>)
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Adapt(d))
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Adapt(d))
    }
    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Adapt(seq))
    }
    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Adapt(map))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Adapt(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Adapt<S> {
    type Value = S::Value;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Adapt(d))
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Adapt<A> {
    type Error = A::Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        // A key is a string: no text is asked of it.
        self.0.next_key_seed(seed)
    }
    #[inline]
    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.0.next_value_seed(Adapt(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Adapt<A> {
    type Error = A::Error;

    #[inline]
    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        self.0.next_element_seed(Adapt(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Adapt<A> {
    type Error = A::Error;
    type Variant = Adapt<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Adapt<A::Variant>), A::Error> {
        let (value, variant) = self.0.variant_seed(seed)?;
        Ok((value, Adapt(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Adapt<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }
    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.0.newtype_variant_seed(Adapt(seed))
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Adapt(v))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Adapt(v))
    }
}

/// The visitor of serde_json's token, given sonic-rs's answer: the text, handed on
/// as serde_json hands it (a map of one entry, the token and the text).
struct Text<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Text<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<V::Value, E> {
        note_nesting(text);
        self.0.visit_map(OneEntry {
            text: Some(de::value::BorrowedStrDeserializer::new(text)),
        })
    }

    /// sonic-rs's answer for a string with escapes: the same text, not borrowed.
    fn visit_str<E: de::Error>(self, text: &str) -> Result<V::Value, E> {
        note_nesting(text);
        let owned: String = text.to_owned();
        self.0.visit_map(OneEntry {
            text: Some(de::value::StringDeserializer::new(owned)),
        })
    }
}

/// serde_json's answer: `{"$serde_json::private::RawValue": "<text>"}`.
struct OneEntry<T> {
    text: Option<T>,
}

impl<'de, T, E> MapAccess<'de> for OneEntry<T>
where
    T: Deserializer<'de, Error = E>,
    E: de::Error,
{
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        if self.text.is_none() {
            return Ok(None);
        }
        let key = de::value::BorrowedStrDeserializer::<E>::new(SERDE_JSON_RAW);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, E> {
        match self.text.take() {
            Some(text) => seed.deserialize(text),
            None => Err(de::Error::custom("a text read twice")),
        }
    }
}

/// Notes the nesting of a text that is an array or object.
fn note_nesting(text: &str) {
    if matches!(text.as_bytes().first(), Some(b'[' | b'{')) {
        let depth = nesting(text.as_bytes());
        DEEPEST.with(|deepest| deepest.set(deepest.get().max(depth)));
    }
}

/// The depth of the deepest array or object in `bytes`, JSON text already read:
/// brackets counted outside strings.
pub fn nesting(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0);
    while let Some(&byte) = bytes.get(i) {
        i += 1;
        match byte {
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => loop {
                match bytes.get(i) {
                    Some(b'"') | None => {
                        i += 1;
                        break;
                    }
                    Some(b'\\') => i += 2,
                    Some(_) => i += 1,
                }
            },
            _ => {}
        }
    }
    deepest
}
