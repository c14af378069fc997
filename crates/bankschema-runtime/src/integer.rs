//! [`Integer`]: an `integer` field as JSON Schema counts integers.

use bankschema_rules::decimal::{self, Exact};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// An integer as JSON Schema counts them: `42`, but also `1.0`, `1e2` and
/// `123456789012345678901234567890`, each written back as it came.
///
/// Whatever a schema's `integer` accepts, this type reads: what `validate` finds
/// valid, `parse` returns. [`as_i64`](Integer::as_i64) gives the value when it fits;
/// comparisons are by value (`1.0 == 1`). A number with a fractional part, and one
/// beyond any 64-bit float (`1e400`), are refused.
///
/// ```
/// use bankschema_runtime::Integer;
///
/// let n: Integer = serde_json::from_str("7.0").unwrap();
/// assert_eq!(n.as_i64(), Some(7));
/// assert_eq!(serde_json::to_string(&n).unwrap(), "7.0");
/// assert!(serde_json::from_str::<Integer>("7.5").is_err());
/// ```
#[derive(Clone, Debug)]
pub struct Integer(Repr);

#[derive(Clone, Debug)]
enum Repr {
    /// An `i64` written the way Rust writes it.
    Small(i64),
    /// Any other integer, kept as written; its value when it fits an `i64`.
    Written { text: Box<str>, value: Option<i64> },
}

impl Integer {
    /// The value, when it fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            Repr::Small(value) => Some(value),
            Repr::Written { value, .. } => value,
        }
    }

    /// The number as written, when it is not the plain `i64` form.
    pub(crate) fn written(&self) -> Option<&str> {
        match &self.0 {
            Repr::Small(_) => None,
            Repr::Written { text, .. } => Some(text),
        }
    }

    /// `text` as an integer; why not, when it is none.
    fn from_text(text: &str) -> Result<Integer, String> {
        if plain_i64(text) {
            if let Ok(value) = text.parse() {
                return Ok(Integer(Repr::Small(value)));
            }
        }
        let Some(exact) = Exact::parse(text) else {
            return Err(format!("expected an integer, found {text}"));
        };
        if decimal::out_of_range(text) {
            return Err(format!(
                "number {} is out of range: no 64-bit float or decimal holds it",
                bankschema_rules::redact::shorten(text)
            ));
        }
        if !exact.is_integer() {
            return Err(format!(
                "expected an integer, found {}",
                bankschema_rules::redact::shorten(text)
            ));
        }
        let value = exact.as_i64();
        Ok(Integer(Repr::Written {
            text: text.into(),
            value,
        }))
    }

    fn text(&self) -> std::borrow::Cow<'_, str> {
        match &self.0 {
            Repr::Small(value) => value.to_string().into(),
            Repr::Written { text, .. } => std::borrow::Cow::Borrowed(text),
        }
    }
}

/// Whether `text` is an integer as Rust writes an `i64`: digits, no leading zero,
/// no `-0`.
fn plain_i64(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.len() <= 19
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" && digits.len() == text.len() || !digits.starts_with('0'))
}

impl From<i64> for Integer {
    fn from(value: i64) -> Integer {
        Integer(Repr::Small(value))
    }
}

impl fmt::Display for Integer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small(value) => fmt::Display::fmt(value, f),
            Repr::Written { text, .. } => f.write_str(text),
        }
    }
}

impl PartialEq for Integer {
    fn eq(&self, other: &Integer) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Integer {}

impl PartialOrd for Integer {
    fn partial_cmp(&self, other: &Integer) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Integer {
    fn cmp(&self, other: &Integer) -> Ordering {
        if let (Some(a), Some(b)) = (self.as_i64(), other.as_i64()) {
            return a.cmp(&b);
        }
        let (a, b) = (self.text(), other.text());
        match (Exact::parse(&a), Exact::parse(&b)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => a.cmp(&b),
        }
    }
}

impl Serialize for Integer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Small(value) => serializer.serialize_i64(*value),
            Repr::Written { text, .. } => crate::numeral::write(text, serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Integer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Integer, D::Error> {
        let text = crate::numeral::read(deserializer, "an integer")?;
        Integer::from_text(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_integer_and_writes_it_back_as_it_came() {
        for (text, value) in [
            ("0", Some(0)),
            ("-0", Some(0)),
            ("42", Some(42)),
            ("1.0", Some(1)),
            ("1e2", Some(100)),
            ("0.1e1", Some(1)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            ("123456789012345678901234567890", None),
            ("1e308", None),
        ] {
            let n: Integer = serde_json::from_str(text).unwrap();
            assert_eq!(n.as_i64(), value, "{text}");
            assert_eq!(serde_json::to_string(&n).unwrap(), text);
            assert_eq!(n.to_string(), text);
        }
        let one: Integer = serde_json::from_str("1.0").unwrap();
        assert_eq!(one, Integer::from(1));
        let big: Integer = serde_json::from_str("1e30").unwrap();
        assert!(big > Integer::from(i64::MAX));
    }

    #[test]
    fn refuses_fractions_strings_and_numbers_out_of_range() {
        for (text, why) in [
            ("1.5", "expected an integer, found 1.5"),
            ("12345678901234567.89", "found 12345678901234567.89"),
            ("7776000.000000000000001", "found 7776000.000000000000001"),
            ("1e-400", "found 1e-400"),
            ("1e400", "out of range"),
            ("\"1\"", "invalid type: string \"1\", expected an integer"),
            ("null", "invalid type: null, expected an integer"),
        ] {
            let error = serde_json::from_str::<Integer>(text)
                .unwrap_err()
                .to_string();
            assert!(error.contains(why), "{text}: {error}");
        }
    }
}
