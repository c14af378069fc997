//! A JSON number's text, read from and written to serde as it was written.
//!
//! serde_json keeps a number's text only under its `arbitrary_precision` feature,
//! which would change how every `serde_json::Value` in a user's crates holds
//! numbers. Its `raw_value` feature changes nothing for anyone else: it lets a
//! `Deserialize` impl ask for a value's text, and a `Serialize` impl hand text over
//! to be written as it is. [`read`] and [`write`] use it, and fall back to the
//! number as a float or integer for every other format.

use serde::de::{self, Deserializer, MapAccess, Unexpected, Visitor};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// serde_json's name for a value read or written as its text (`raw_value`).
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// The text of the JSON number `deserializer` holds, as written; anything else is
/// an error naming `expected`.
pub(crate) fn read<'de, D: Deserializer<'de>>(
    deserializer: D,
    expected: &'static str,
) -> Result<Cow<'de, str>, D::Error> {
    deserializer.deserialize_newtype_struct(RAW_TOKEN, NumberVisitor { expected })
}

/// Writes `text`, a JSON number, as it is: through serde_json, digit for digit;
/// to other formats as the integer or float it states, where that writes the same.
pub(crate) fn write<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if let Some(n) = plain_integer(text) {
        return match n {
            Plain::Signed(n) => serializer.serialize_i64(n),
            Plain::Unsigned(n) => serializer.serialize_u64(n),
        };
    }
    if let Ok(float) = text.parse::<f64>() {
        if serde_json::Number::from_f64(float).is_some_and(|n| n.to_string() == text) {
            return serializer.serialize_f64(float);
        }
    }
    match serde_json::value::RawValue::from_string(text.to_owned()) {
        Ok(raw) => raw.serialize(serializer),
        Err(e) => Err(serde::ser::Error::custom(e)),
    }
}

pub(crate) enum Plain {
    Signed(i64),
    Unsigned(u64),
}

/// `text` as the integer it is, when Rust writes that integer the same way.
pub(crate) fn plain_integer(text: &str) -> Option<Plain> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let plain = !digits.is_empty()
        && digits.len() <= 20
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" && digits.len() == text.len() || !digits.starts_with('0'));
    if !plain {
        None
    } else if let Ok(n) = text.parse::<i64>() {
        Some(Plain::Signed(n))
    } else {
        text.parse::<u64>().ok().map(Plain::Unsigned)
    }
}

struct NumberVisitor {
    expected: &'static str,
}

impl NumberVisitor {
    /// The raw text of a value: the number it is, or the error for what it is.
    fn judge<'de, E: de::Error>(&self, text: Cow<'de, str>) -> Result<Cow<'de, str>, E> {
        match text.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => Ok(text),
            _ => {
                // Cold: read it to say what it is, as serde_json would.
                let value: serde_json::Value =
                    serde_json::from_str(&text).map_err(de::Error::custom)?;
                let unexpected = match &value {
                    serde_json::Value::Null => Unexpected::Unit,
                    serde_json::Value::Bool(b) => Unexpected::Bool(*b),
                    serde_json::Value::String(s) => Unexpected::Str(s),
                    serde_json::Value::Array(_) => Unexpected::Seq,
                    serde_json::Value::Object(_) => Unexpected::Map,
                    serde_json::Value::Number(_) => Unexpected::Other("number"),
                };
                Err(de::Error::invalid_type(unexpected, self))
            }
        }
    }
}

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expected)
    }

    /// serde_json's answer: one entry, its token and the text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cow<'de, str>, A::Error> {
        let key = map.next_key::<crate::de::Key<'de>>()?;
        match key.as_ref().map(crate::de::Key::as_str) {
            Some(RAW_TOKEN) => {
                let text: crate::de::Key<'de> = map.next_value()?;
                self.judge(text.0)
            }
            _ => Err(de::Error::invalid_type(Unexpected::Map, &self)),
        }
    }

    /// Any other format: its number.
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    /// The shortest text that reads back as `v`, as a 32-bit float says it.
    fn visit_f32<E: de::Error>(self, v: f32) -> Result<Cow<'de, str>, E> {
        if v.is_finite() {
            Ok(Cow::Owned(v.to_string()))
        } else {
            Err(E::custom("a non-finite number"))
        }
    }
    /// A number's text (`de::buffered` hands numbers over so).
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Cow<'de, str>, E> {
        match std::str::from_utf8(v)
            .ok()
            .and_then(crate::raw::number_text)
        {
            Some(text) => Ok(Cow::Owned(text.to_owned())),
            None => Err(E::invalid_type(Unexpected::Bytes(v), &self)),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cow<'de, str>, E> {
        serde_json::Number::from_f64(v)
            .map(|n| Cow::Owned(n.to_string()))
            .ok_or_else(|| E::custom("a non-finite number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Text(String);

    impl<'de> serde::Deserialize<'de> for Text {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
            read(d, "a number").map(|t| Text(t.into_owned()))
        }
    }

    impl Serialize for Text {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            write(&self.0, s)
        }
    }

    #[test]
    fn numbers_keep_their_text_through_serde_json() {
        for text in [
            "0",
            "-0",
            "0.10",
            "1e2",
            "1E-7",
            "12345678901234567890123",
            "-1.50e+3",
        ] {
            let read: Text = serde_json::from_str(&format!(" {text} ")).unwrap();
            assert_eq!(read.0, text);
            assert_eq!(serde_json::to_string(&read).unwrap(), text);
            let from_reader: Text = serde_json::from_reader(text.as_bytes()).unwrap();
            assert_eq!(from_reader.0, text);
        }
        // A `Value` holds what serde_json read.
        let value: Text = serde_json::from_value(serde_json::json!(2.5)).unwrap();
        assert_eq!(value.0, "2.5");
    }

    #[test]
    fn other_values_are_refused_with_serde_json_s_words() {
        for (text, why) in [
            ("\"12\"", "invalid type: string \"12\", expected a number"),
            ("null", "invalid type: null, expected a number"),
            ("[1]", "invalid type: sequence, expected a number"),
            ("{\"a\":1}", "invalid type: map, expected a number"),
            ("true", "invalid type: boolean `true`, expected a number"),
        ] {
            let error = serde_json::from_str::<Text>(text)
                .err()
                .unwrap()
                .to_string();
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn other_formats_read_and_write_plain_numbers() {
        let value = serde_json::to_value(Text("12".into())).unwrap();
        assert_eq!(value, serde_json::json!(12));
        let value = serde_json::to_value(Text("0.5".into())).unwrap();
        assert_eq!(value, serde_json::json!(0.5));
        let tokens = serde::de::value::I64Deserializer::<serde::de::value::Error>::new(-3);
        let read: Text = serde::Deserialize::deserialize(tokens).unwrap();
        assert_eq!(read.0, "-3");
    }
}
