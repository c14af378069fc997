//! [`TypedNumber`]: the numbers of generated values, as the jsonschema crate reads
//! them, compared and quoted on their text.

use crate::Money;
use jsonschema::json::JsonNumber;
use std::borrow::Cow;

/// A number of any kind, as the jsonschema crate reads numbers. An amount or an
/// integer is asked only what a keyword needs: no `serde_json::Number` is built
/// for it unless a message quotes it.
#[derive(Clone, Copy)]
pub enum TypedNumber<'a> {
    /// A number as written.
    Text(&'a str),
    /// A number as a `serde_json::Value` holds it.
    Json(&'a serde_json::Number),
    Money(&'a Money),
    Integer(i64),
    Unsigned(u64),
}

impl TypedNumber<'_> {
    /// An amount written as a plain integer (`12`, not `12.00` or `1e+1`), as an
    /// `i128`: what `serde_json` would read from its text.
    fn money_integer(money: &Money) -> Option<i128> {
        match money.written() {
            Some(text) => (!text.contains(['.', 'e', 'E']))
                .then(|| text.parse().ok())
                .flatten(),
            None => (money.scale() == 0).then(|| money.mantissa()),
        }
    }
}

impl JsonNumber for TypedNumber<'_> {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            TypedNumber::Text(text) => plain(text),
            TypedNumber::Json(n) => n.as_u64(),
            TypedNumber::Money(m) => Self::money_integer(m).and_then(|n| u64::try_from(n).ok()),
            TypedNumber::Integer(n) => u64::try_from(n).ok(),
            TypedNumber::Unsigned(n) => Some(n),
        }
    }
    fn as_i64(&self) -> Option<i64> {
        match *self {
            TypedNumber::Text(text) => plain(text),
            TypedNumber::Json(n) => n.as_i64(),
            TypedNumber::Money(m) => Self::money_integer(m).and_then(|n| i64::try_from(n).ok()),
            TypedNumber::Integer(n) => Some(n),
            TypedNumber::Unsigned(n) => i64::try_from(n).ok(),
        }
    }
    fn as_f64(&self) -> Option<f64> {
        match *self {
            TypedNumber::Text(text) => text.parse().ok().filter(|f: &f64| f.is_finite()),
            TypedNumber::Json(n) => n.as_f64(),
            TypedNumber::Money(m) => m.to_string().parse().ok(),
            // As serde_json converts them.
            #[allow(clippy::cast_precision_loss)]
            TypedNumber::Integer(n) => Some(n as f64),
            #[allow(clippy::cast_precision_loss)]
            TypedNumber::Unsigned(n) => Some(n as f64),
        }
    }
    fn as_str(&self) -> Cow<'_, str> {
        match *self {
            TypedNumber::Text(text) => Cow::Borrowed(text),
            TypedNumber::Json(n) => Cow::Owned(n.to_string()),
            TypedNumber::Money(m) => Cow::Owned(m.to_string()),
            TypedNumber::Integer(n) => Cow::Owned(n.to_string()),
            TypedNumber::Unsigned(n) => Cow::Owned(n.to_string()),
        }
    }
    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        match *self {
            TypedNumber::Text(text) => Cow::Owned(json_number(text)),
            TypedNumber::Json(n) => Cow::Borrowed(n),
            TypedNumber::Money(m) => Cow::Owned(json_number(&m.to_string())),
            TypedNumber::Integer(n) => Cow::Owned(n.into()),
            TypedNumber::Unsigned(n) => Cow::Owned(n.into()),
        }
    }
    /// On the number's text: `12345678901234567.89` is no integer, though its
    /// nearest `f64` is.
    fn is_integer(&self) -> bool {
        match *self {
            TypedNumber::Integer(_) | TypedNumber::Unsigned(_) => true,
            _ => {
                self.as_i64().is_some()
                    || self.as_u64().is_some()
                    || bankschema_rules::decimal::Exact::parse(&self.as_str())
                        .is_some_and(|n| n.is_integer())
            }
        }
    }
}

/// A number's text as serde_json reads it (for messages: a `Value` holds no more).
pub(super) fn json_number(text: &str) -> serde_json::Number {
    serde_json::from_str(text).unwrap_or_else(|_| serde_json::Number::from(0))
}

/// The integer `text` states, when it is written as a plain integer (`12`, not
/// `12.0` or `1e1`), as serde_json would read it.
fn plain<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.contains(['.', 'e', 'E']) {
        None
    } else {
        text.parse().ok()
    }
}
