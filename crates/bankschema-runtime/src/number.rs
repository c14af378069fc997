//! [`Number`]: a `number` field that is not money, kept as written.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A JSON number as it was written (`0.1`, `1e-7`, 30 digits), for a `number`
/// field that is not an amount of money. It writes back the text it came as, and
/// gives its value as a float or an integer. A number beyond any 64-bit float
/// (`1e400`) is refused, as everywhere a payload is read.
///
/// ```
/// use bankschema_runtime::Number;
///
/// let rate: Number = serde_json::from_str("0.1000").unwrap();
/// assert_eq!(serde_json::to_string(&rate).unwrap(), "0.1000");
/// assert_eq!(rate.as_f64(), Some(0.1));
/// assert!(serde_json::from_str::<Number>("1e400").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number(Box<str>);

impl Number {
    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The nearest 64-bit float.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse().ok().filter(|f: &f64| f.is_finite())
    }

    /// The value, when it is written as an integer that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// The value, when it is written as an integer that fits a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    /// `text` as a number; why not, when it is none.
    fn from_text(text: &str) -> Result<Number, String> {
        if bankschema_rules::decimal::out_of_range(text) {
            return Err(format!(
                "number {} is out of range: no 64-bit float or decimal holds it",
                bankschema_rules::redact::shorten(text)
            ));
        }
        Ok(Number(text.into()))
    }
}

impl From<serde_json::Number> for Number {
    fn from(number: serde_json::Number) -> Number {
        Number(number.to_string().into_boxed_str())
    }
}

impl From<i64> for Number {
    fn from(number: i64) -> Number {
        Number(number.to_string().into_boxed_str())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::numeral::write(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Number, D::Error> {
        let text = crate::numeral::read(deserializer, "a number")?;
        Number::from_text(&text).map_err(serde::de::Error::custom)
    }
}
