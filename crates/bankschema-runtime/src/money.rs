//! Exact amounts of money: [`Money`], read only from a JSON number, and
//! [`MoneyText`], an amount a provider writes as a JSON string.

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

/// An amount of money written as a JSON string, as the Berlin Group and others send
/// it (`"amount": "1209.06"`): the text as sent, written back as sent, and the exact
/// decimal it states ([`MoneyText::amount`]).
///
/// The schema (its decimal `pattern`) decides which texts are amounts; this type
/// keeps whatever string the schema let through, so that reading never disagrees
/// with validating.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct MoneyText(String);

impl MoneyText {
    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The exact decimal the text states (`"0.10"` is 0.10, with its scale); `None`
    /// when it states none, or more digits than a decimal holds (never rounded).
    pub fn amount(&self) -> Option<rust_decimal::Decimal> {
        let text = self.0.as_str();
        if text.contains(['e', 'E']) {
            rust_decimal::Decimal::from_scientific(text).ok()
        } else {
            rust_decimal::Decimal::from_str_exact(text).ok()
        }
    }
}

impl From<rust_decimal::Decimal> for MoneyText {
    fn from(amount: rust_decimal::Decimal) -> MoneyText {
        MoneyText(amount.to_string())
    }
}

impl fmt::Display for MoneyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for MoneyText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MoneyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MoneyText, D::Error> {
        String::deserialize(deserializer).map(MoneyText)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_text_keeps_its_text_and_states_its_amount_exactly() {
        for text in ["1209.06", "0.10", "-12345678901234567.89", "5"] {
            let json = format!("\"{text}\"");
            let money: MoneyText = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&money).unwrap(), json);
            assert_eq!(money.amount().unwrap().to_string(), text);
        }
        let odd: MoneyText = serde_json::from_str("\"12,5\"").unwrap();
        assert_eq!(odd.amount(), None);
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"12,5\"");
        assert!(serde_json::from_str::<MoneyText>("12.5").is_err());
    }

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
