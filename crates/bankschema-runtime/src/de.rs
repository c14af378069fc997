//! What `#[derive(DeserializeObject)]` expands to calls (see `bankschema-derive`).
//!
//! serde's `#[serde(flatten)]` would collect unknown properties, but only by
//! buffering the whole object first, which costs a third more time on a list of
//! accounts. The derive reads them in an arm of their own instead, and these helpers
//! keep its expansion short.

pub use crate::raw::buffer::{buffered, Error as BufferedError};
use crate::{Json, UnknownProperties};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A property name, borrowed from the input where it can be.
pub struct Key<'de>(pub(crate) Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of property `name` into `slot`, refusing it twice.
pub fn field<'de, A, T>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    read(slot, map, name, |value: T| value)
}

/// Reads the value of a property that may be absent but not `null` into `slot`,
/// refusing it twice: `null` is an error, as the schema makes it.
pub fn present<'de, A, T>(
    slot: &mut Option<Option<T>>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    read(slot, map, name, Some)
}

fn read<'de, A, T, U>(
    slot: &mut Option<U>,
    map: &mut A,
    name: &'static str,
    wrap: impl FnOnce(T) -> U,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(wrap(map.next_value()?));
    Ok(())
}

/// `deserialize_with` of an optional field that may not be `null`: serde's
/// `Option<T>` reads `null` as `None`; this reads a `T`, so `null` fails unless `T`
/// itself takes it.
pub fn some<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// The value of a required property, or serde's "missing field" error.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| de::Error::missing_field(name))
}

impl UnknownProperties {
    /// Reads the value of the unknown property `key` and keeps it.
    pub fn insert_next<'de, A: MapAccess<'de>>(
        &mut self,
        key: Key<'de>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        // The text policy: a repeated key is refused, never resolved.
        if self.contains(key.as_str()) {
            return Err(crate::json::duplicate(key.as_str()));
        }
        let value: Json = map.next_value()?;
        self.push(key.0.into_owned(), value.0);
        Ok(())
    }
}
