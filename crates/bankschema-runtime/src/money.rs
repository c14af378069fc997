//! An exact amount of money, read only from a JSON number.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;

/// An amount of money as an exact decimal: `0.10` stays `0.10`, and
/// `12345678901234567.89` keeps every digit, where `f64` would not.
///
/// It reads only JSON numbers: `rust_decimal` alone would also take the string
/// `"1023.47"`, which the schemas refuse. It derefs to [`rust_decimal::Decimal`]
/// for arithmetic and formatting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub rust_decimal::Decimal);

impl Deref for Money {
    type Target = rust_decimal::Decimal;

    fn deref(&self) -> &rust_decimal::Decimal {
        &self.0
    }
}

impl From<rust_decimal::Decimal> for Money {
    fn from(amount: rust_decimal::Decimal) -> Money {
        Money(amount)
    }
}

impl From<Money> for rust_decimal::Decimal {
    fn from(amount: Money) -> rust_decimal::Decimal {
        amount.0
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Serialize::serialize(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        // A `Number` refuses strings, and keeps the text it was written as; the text
        // becomes the decimal exactly, or not at all (more digits than a decimal
        // holds is an error, never a rounding). Handing the `Number` to
        // rust_decimal's own `Deserialize` would go through `f64`.
        let number = serde_json::Number::deserialize(deserializer)?;
        let text = number.to_string();
        let decimal = if text.contains(['e', 'E']) {
            rust_decimal::Decimal::from_scientific(&text)
        } else {
            rust_decimal::Decimal::from_str_exact(&text)
        };
        decimal
            .map(Money)
            .map_err(|e| serde::de::Error::custom(format_args!("amount {text}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_exactly_and_refuses_strings() {
        for text in [
            "0.10",
            "12345678901234567.89",
            "-1023.47",
            "0",
            "562949953421312.3",
        ] {
            let money: Money = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&money).unwrap(), text);
        }
        let error = serde_json::from_str::<Money>("\"1023.47\"").unwrap_err();
        assert!(
            error.to_string().contains("invalid type: string"),
            "{error}"
        );
        assert!(serde_json::from_str::<Money>("null").is_err());
        let value = serde_json::json!(12.5);
        assert_eq!(
            serde_json::from_value::<Money>(value).unwrap().to_string(),
            "12.5"
        );
    }
}
