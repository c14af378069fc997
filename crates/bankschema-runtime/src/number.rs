//! [`Number`]: a `number` field that is not money, kept as written.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::fmt;
use std::ops::Deref;

/// A JSON number as it was written (`0.1`, `1e-7`, 30 digits), for a `number`
/// field that is not an amount of money. It derefs to [`serde_json::Number`]
/// (`as_f64` and the like) and writes back the text it came as. A number beyond
/// any 64-bit float (`1e400`) is refused, as everywhere a payload is read.
///
/// ```
/// use bankschema_runtime::Number;
///
/// let rate: Number = serde_json::from_str("0.1000").unwrap();
/// assert_eq!(serde_json::to_string(&rate).unwrap(), "0.1000");
/// assert!(serde_json::from_str::<Number>("1e400").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number(serde_json::Number);

impl Deref for Number {
    type Target = serde_json::Number;

    fn deref(&self) -> &serde_json::Number {
        &self.0
    }
}

impl From<serde_json::Number> for Number {
    fn from(number: serde_json::Number) -> Number {
        Number(number)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Number, D::Error> {
        // Through the lossless reader, which refuses numbers out of range.
        match crate::json::any(deserializer)? {
            Value::Number(number) => Ok(Number(number)),
            other => Err(serde::de::Error::custom(format_args!(
                "expected a number, found {}",
                crate::json::kind(&other)
            ))),
        }
    }
}
