//! Exact amounts of money: [`Money`], read only from a JSON number, and
//! [`MoneyText`], an amount a provider writes as a JSON string.

use bankschema_rules::decimal::Exact;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;

/// An amount of money as an exact decimal: `0.10` stays `0.10`, and
/// `12345678901234567.89` keeps every digit, where `f64` would not.
///
/// It reads only JSON numbers: `rust_decimal` alone would also take the string
/// `"1023.47"`, which the schemas refuse. It derefs to [`rust_decimal::Decimal`]
/// for arithmetic and formatting, and compares by value (`1.0 == 1.00`). An amount
/// the decimal would write otherwise (`1e2` as `100`, `-0` as `0`) keeps its text:
/// written back, every amount is the number it came as.
#[derive(Clone, Debug, Default)]
pub struct Money {
    amount: rust_decimal::Decimal,
    /// The number as sent, when the decimal does not write it so.
    written: Option<Box<str>>,
}

impl Money {
    /// The exact amount.
    pub fn amount(&self) -> rust_decimal::Decimal {
        self.amount
    }

    /// The number as sent, when the decimal writes it otherwise.
    pub(crate) fn written(&self) -> Option<&str> {
        self.written.as_deref()
    }
}

impl Deref for Money {
    type Target = rust_decimal::Decimal;

    fn deref(&self) -> &rust_decimal::Decimal {
        &self.amount
    }
}

impl From<rust_decimal::Decimal> for Money {
    fn from(amount: rust_decimal::Decimal) -> Money {
        Money {
            amount,
            written: None,
        }
    }
}

impl From<Money> for rust_decimal::Decimal {
    fn from(money: Money) -> rust_decimal::Decimal {
        money.amount
    }
}

impl PartialEq for Money {
    fn eq(&self, other: &Money) -> bool {
        self.amount == other.amount
    }
}

impl Eq for Money {}

impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Money) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Money {
    fn cmp(&self, other: &Money) -> std::cmp::Ordering {
        self.amount.cmp(&other.amount)
    }
}

impl std::hash::Hash for Money {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.amount.hash(state);
    }
}

/// The amount as JSON writes it: as it came.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.written {
            Some(text) => f.write_str(text),
            None => fmt::Display::fmt(&self.amount, f),
        }
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // As a JSON number of exactly these digits; rust_decimal's own
        // serialisation would need features that change how every `Decimal` of
        // the user's crates serialises.
        crate::numeral::write(&self.to_string(), serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        // Only a number, as it was written; the text becomes the decimal exactly,
        // or not at all (more digits than a decimal holds is an error, never a
        // rounding). rust_decimal's own `Deserialize` would go through `f64`.
        let text = crate::numeral::read(deserializer, "a JSON number")?;
        let amount = decimal(&text).map_err(|e| {
            serde::de::Error::custom(format_args!(
                "amount {}: {e} ({LIMITS})",
                bankschema_rules::redact::shorten(&text)
            ))
        })?;
        // The decimal writes every other amount as it came: digits, a point and
        // the same scale.
        let rewritten = text.contains(['e', 'E']) || (text.starts_with('-') && amount.is_zero());
        Ok(Money {
            amount,
            written: rewritten.then(|| text.into()),
        })
    }
}

/// What an exact amount holds, for messages.
pub(crate) const LIMITS: &str = "at most 28 significant digits and 28 after the point";

/// The number written `text` as an exact decimal, or why it is none.
pub(crate) fn decimal(text: &str) -> Result<rust_decimal::Decimal, rust_decimal::Error> {
    if !text.contains(['e', 'E']) {
        return rust_decimal::Decimal::from_str_exact(text);
    }
    // `from_scientific` rounds a mantissa of more than 28 digits: what it gives
    // must be the very number written, or it is no amount.
    let decimal = rust_decimal::Decimal::from_scientific(text)?;
    let (written, read) = (Exact::parse(text), decimal.to_string());
    if written.is_some() && written == Exact::parse(&read) {
        Ok(decimal)
    } else {
        Err(rust_decimal::Error::ErrorString(
            "more digits than an exact amount holds".to_owned(),
        ))
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
        decimal(&self.0).ok()
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
    fn an_exponent_never_rounds_an_amount() {
        // 29 significant digits: `from_scientific` alone reads it as 0.01.
        let text = "0.00999999999999999999999999999e0";
        assert!(decimal(text).is_err());
        assert!(serde_json::from_str::<Money>(text).is_err());
        assert_eq!(decimal("1.5e-3").unwrap().to_string(), "0.0015");
        assert_eq!(decimal("-12.50E+1").unwrap().to_string(), "-125.0");
    }

    #[test]
    fn reads_numbers_exactly_and_refuses_strings() {
        for text in [
            "0.10",
            "12345678901234567.89",
            "-1023.47",
            "0",
            "562949953421312.3",
            "-0",
            "-0.00",
            "1e+2",
            "1.5e-3",
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
