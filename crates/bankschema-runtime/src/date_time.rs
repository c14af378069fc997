//! A `date-time` (RFC 3339) that keeps the text it was sent as.
//!
//! Parsing a timestamp into a calendar type and formatting it again changes it:
//! `+01:00` becomes `Z` or `+01:00` depending on the library, `.500` becomes `.5`,
//! and a signature or hash over the payload no longer matches. [`DateTime`] stores
//! the text and parses it on demand; it does not check the text when deserialised
//! (the validator asserts the `date-time` format before a payload reaches a type).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A `date-time` as it was sent, parsed on demand ([`DateTime::timestamp`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(String);

impl DateTime {
    /// The timestamp exactly as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The instant and offset the text denotes.
    pub fn timestamp(&self) -> Result<OffsetDateTime, time::error::Parse> {
        OffsetDateTime::parse(&self.0, &Rfc3339)
    }
}

impl From<String> for DateTime {
    fn from(text: String) -> Self {
        DateTime(text)
    }
}

impl From<&str> for DateTime {
    fn from(text: &str) -> Self {
        DateTime(text.to_owned())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(DateTime)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_offset_and_fraction_as_sent_and_parses_on_demand() {
        for text in [
            "2024-03-01T10:30:00.500+01:00",
            "2024-03-01T09:30:00Z",
            "2024-03-01T09:30:00.123456789-05:30",
        ] {
            let value: DateTime = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(
                serde_json::to_string(&value).unwrap(),
                format!("\"{text}\"")
            );
            assert!(value.timestamp().is_ok(), "{text}");
        }
        let a = DateTime::from("2024-03-01T10:30:00+01:00")
            .timestamp()
            .unwrap();
        let b = DateTime::from("2024-03-01T09:30:00Z").timestamp().unwrap();
        assert_eq!(a, b, "the same instant");
        assert_eq!(a.offset().whole_hours(), 1, "the offset as sent");
        assert!(DateTime::from("2024-02-30T00:00:00Z").timestamp().is_err());
    }
}
