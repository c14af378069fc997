//! The value of an optional field that the schema also allows to be `null`.
//!
//! `Option<T>` cannot tell an absent field from an explicit `null`, so a payload
//! read into it and written back loses one or the other. `Nullable` keeps all three
//! states; the generator uses it for every optional, nullable property together
//! with `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional field that may also be `null`: absent, `null`, or a value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// The field was not sent.
    #[default]
    Absent,
    /// The field was sent as `null`.
    Null,
    /// The field was sent with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field was not sent.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field was sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, read like an `Option`: absent and `null` are both `None`.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, taken like an `Option`: absent and `null` are both `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes an explicit `null`; build [`Nullable::Absent`] to omit the field.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            // An absent field is skipped by `skip_serializing_if`; should it reach
            // here anyway (in a sequence, say), `null` is the closest JSON spelling.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// Only called for a field that is present: `#[serde(default)]` gives `Absent`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        field: Nullable<u32>,
    }

    #[test]
    fn keeps_absent_null_and_value_apart() {
        for (text, expected) in [
            ("{}", Nullable::Absent),
            (r#"{"field":null}"#, Nullable::Null),
            (r#"{"field":7}"#, Nullable::Value(7)),
        ] {
            let holder: Holder = serde_json::from_str(text).unwrap();
            assert_eq!(holder.field, expected, "reading {text}");
            assert_eq!(serde_json::to_string(&holder).unwrap(), text);
        }
    }

    #[test]
    fn reads_like_an_option() {
        assert_eq!(Nullable::Value(3).as_option(), Some(&3));
        assert_eq!(Nullable::<u32>::Null.as_option(), None);
        assert_eq!(Nullable::<u32>::Absent.into_option(), None);
        assert_eq!(Nullable::from(None::<u32>), Nullable::Null);
    }
}
