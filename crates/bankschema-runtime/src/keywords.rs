//! The keywords bankschema judges itself, on the number's text: the bounds,
//! `multipleOf`, and `x-bankschema-money`.
//!
//! The jsonschema crate compares numbers as `f64` unless built with its
//! `arbitrary-precision` feature, which cannot be turned on (it names an unpublished
//! `jsonschema-macros` 0.61): `-1e-400` would pass `minimum: 0`, and
//! `0.30000000000000004` would be a multiple of `0.1`. Registered under the
//! standard names, these replace the crate's own keywords wherever bankschema
//! compiles a schema ([`crate::compile`]), so every path judges the same way.
//! `type: integer`, `enum` and `const` need no replacement: they ask the node
//! (`TypedNode` answers exactly), and every report is made through that node.

use bankschema_rules::decimal::{Exact, Step};
use jsonschema::json::{Json, JsonNumber, Node};
use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError, ValidationOptions};
use serde_json::{Map, Value};
use std::cmp::Ordering;

/// A JSON representation the keywords here judge: the jsonschema crate's own
/// traits, and an amount's decimal when the node holds one already (a generated
/// `Money`), so that no text is written to compare it.
pub trait Amounts: Json {
    /// The exact amount `node` holds, when it is one already read.
    fn amount(node: &Self::Node<'_>) -> Option<rust_decimal::Decimal> {
        let _ = node;
        None
    }
}

impl Amounts for jsonschema::json::SerdeJson {}

impl Amounts for crate::typed::Typed {
    fn amount(node: &crate::typed::TypedNode<'_>) -> Option<rust_decimal::Decimal> {
        match node {
            crate::typed::TypedNode::Money(money) => Some(money.amount()),
            _ => None,
        }
    }
}

/// The keywords of this module registered on `options`.
pub fn register<F: Amounts, R>(
    options: ValidationOptions<'_, R, F>,
) -> ValidationOptions<'_, R, F> {
    options
        .with_keyword("minimum", minimum::<F>)
        .with_keyword("maximum", maximum::<F>)
        .with_keyword("exclusiveMinimum", exclusive_minimum::<F>)
        .with_keyword("exclusiveMaximum", exclusive_maximum::<F>)
        .with_keyword("multipleOf", multiple_of::<F>)
        .with_keyword(MONEY, money::<F>)
        .with_keyword(TOLERANT, tolerant::<F>)
}

// `TOLERANT` holds the values of a string enum whose generated type reads unknown
// ones (the generator moves them here from `enum`): one it does not list is a
// warning.
use bankschema_rules::vocabulary::{MONEY, TOLERANT};

/// Whether a breach of `keyword` is a warning, not an error.
pub fn warns(keyword: &str) -> bool {
    keyword == TOLERANT
}

/// Whether `keyword` is one of this module's: its messages leave the value out,
/// for the report to show it as its redaction says.
pub fn judges(keyword: &str) -> bool {
    matches!(
        keyword,
        "minimum"
            | "maximum"
            | "exclusiveMinimum"
            | "exclusiveMaximum"
            | "multipleOf"
            | MONEY
            | TOLERANT
    )
}

type Errors<'i> = Box<dyn Iterator<Item = ValidationError<'i>> + 'i>;

type Compiled<'a, F> = Result<Box<dyn for<'i> Keyword<'i, F>>, ValidationError<'a>>;

/// A bound: numbers whose order against `limit` is `allowed` pass.
struct Bound {
    limit: String,
    small: Option<i64>,
    /// The limit as a decimal, to compare amounts with, when it is one.
    decimal: Option<rust_decimal::Decimal>,
    allowed: fn(Ordering) -> bool,
    /// The message after the value: `is less than the minimum of 0`.
    breach: String,
}

fn bound<'a, F: Amounts>(
    keyword: &str,
    value: &'a Value,
    allowed: fn(Ordering) -> bool,
    phrase: &str,
) -> Compiled<'a, F> {
    let Value::Number(limit) = value else {
        return Err(ValidationError::custom(format!(
            "`{keyword}` must be a number, found {value}"
        )));
    };
    let limit = limit.to_string();
    let Some(exact) = Exact::parse(&limit) else {
        return Err(ValidationError::custom(format!(
            "`{keyword}` must be a number, found {limit}"
        )));
    };
    Ok(Box::new(Judged(Bound {
        small: exact.as_i64(),
        decimal: crate::money::decimal(&limit).ok(),
        breach: format!("{phrase} {limit}"),
        limit,
        allowed,
    })))
}

/// Draft 4 writes an exclusive bound as `exclusiveMinimum: true` beside `minimum`.
fn exclusive_flag(parent: &Map<String, Value>, keyword: &str) -> bool {
    parent.get(keyword) == Some(&Value::Bool(true))
}

fn minimum<'a, F: Amounts>(
    parent: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Compiled<'a, F> {
    if exclusive_flag(parent, "exclusiveMinimum") {
        return bound(
            "minimum",
            value,
            Ordering::is_gt,
            "is less than or equal to the minimum of",
        );
    }
    bound(
        "minimum",
        value,
        Ordering::is_ge,
        "is less than the minimum of",
    )
}

fn maximum<'a, F: Amounts>(
    parent: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Compiled<'a, F> {
    if exclusive_flag(parent, "exclusiveMaximum") {
        return bound(
            "maximum",
            value,
            Ordering::is_lt,
            "is greater than or equal to the maximum of",
        );
    }
    bound(
        "maximum",
        value,
        Ordering::is_le,
        "is greater than the maximum of",
    )
}

fn exclusive_minimum<'a, F: Amounts>(
    _: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Compiled<'a, F> {
    exclusive("exclusiveMinimum", value, Ordering::is_gt, "minimum")
}

fn exclusive_maximum<'a, F: Amounts>(
    _: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Compiled<'a, F> {
    exclusive("exclusiveMaximum", value, Ordering::is_lt, "maximum")
}

/// An exclusive bound; draft 4's boolean form holds for every value (`minimum`
/// and `maximum` read it).
fn exclusive<'a, F: Amounts>(
    keyword: &str,
    value: &'a Value,
    allowed: fn(Ordering) -> bool,
    side: &str,
) -> Compiled<'a, F> {
    if value.is_boolean() {
        return Ok(Box::new(Nothing));
    }
    let relation = if side == "minimum" { "less" } else { "greater" };
    let phrase = format!("is {relation} than or equal to the {side} of");
    bound(keyword, value, allowed, &phrase)
}

impl Judge for Bound {
    fn breach(&self) -> String {
        self.breach.clone()
    }

    fn holds<'i, F: Amounts>(&self, instance: F::Node<'i>) -> bool {
        if let (Some(amount), Some(limit)) = (F::amount(&instance), self.decimal) {
            return (self.allowed)(amount.cmp(&limit));
        }
        let Some(number) = instance.as_number() else {
            return true;
        };
        if let (Some(value), Some(limit)) = (number.as_i64(), self.small) {
            return (self.allowed)(value.cmp(&limit));
        }
        let text = number.as_str();
        match (Exact::parse(&text), Exact::parse(&self.limit)) {
            (Some(value), Some(limit)) => (self.allowed)(value.cmp(&limit)),
            _ => false,
        }
    }
}

/// A keyword that holds for every value (draft 4's boolean `exclusiveMinimum`,
/// read by `minimum`).
struct Nothing;

/// A keyword judged here: whether a value holds, and the message (after the
/// value) when it does not.
trait Judge: Send + Sync {
    fn breach(&self) -> String;
    fn holds<'i, F: Amounts>(&self, instance: F::Node<'i>) -> bool;
}

/// A [`Judge`] as the jsonschema crate's keyword.
struct Judged<J>(J);

impl<'i, F: Amounts, J: Judge> Keyword<'i, F> for Judged<J> {
    /// No error, no allocation: the crate asks every value for its errors once
    /// a payload is invalid.
    fn iter_errors(&self, instance: F::Node<'i>) -> Errors<'i> {
        match Keyword::<F>::validate(self, instance) {
            Ok(()) => Box::new(std::iter::empty()),
            Err(error) => Box::new(std::iter::once(error)),
        }
    }

    fn validate(&self, instance: F::Node<'i>) -> Result<(), ValidationError<'i>> {
        if self.0.holds::<F>(instance) {
            Ok(())
        } else {
            Err(ValidationError::custom(self.0.breach()))
        }
    }

    fn is_valid(&self, instance: F::Node<'i>) -> bool {
        self.0.holds::<F>(instance)
    }
}

impl<'i, F: Amounts> Keyword<'i, F> for Nothing {
    fn validate(&self, _: F::Node<'i>) -> Result<(), ValidationError<'i>> {
        Ok(())
    }

    fn is_valid(&self, _: F::Node<'i>) -> bool {
        true
    }
}

struct MultipleOf {
    step: Step,
    small: Option<i64>,
    breach: String,
}

fn multiple_of<'a, F: Amounts>(
    _: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Compiled<'a, F> {
    let text = value.to_string();
    let step = match value {
        Value::Number(_) => Exact::parse(&text).as_ref().and_then(Step::new),
        _ => None,
    };
    let Some(step) = step else {
        return Err(ValidationError::custom(format!(
            "`multipleOf` must be a positive number of at most 19 significant digits, found {}",
            bankschema_rules::redact::shorten(&text)
        )));
    };
    Ok(Box::new(Judged(MultipleOf {
        small: step.as_i64(),
        breach: format!("is not a multiple of {text}"),
        step,
    })))
}

impl Judge for MultipleOf {
    fn breach(&self) -> String {
        self.breach.clone()
    }

    fn holds<'i, F: Amounts>(&self, instance: F::Node<'i>) -> bool {
        let Some(number) = instance.as_number() else {
            return true;
        };
        if let (Some(value), Some(step)) = (number.as_i64(), self.small) {
            return value % step == 0;
        }
        Exact::parse(&number.as_str()).is_some_and(|n| n.is_multiple_of(&self.step))
    }
}

/// `x-bankschema-money: true` on a number: an amount, read as an exact decimal
/// (`Money`). One with more digits than the decimal holds is refused here as it is
/// by `parse`, never rounded.
struct Money;

fn money<'a, F: Amounts>(
    parent: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Compiled<'a, F> {
    let number_schema = parent.get("type").is_some_and(|t| match t {
        Value::String(t) => t == "number",
        Value::Array(types) => types.iter().any(|t| t == "number"),
        _ => false,
    });
    Ok(if value == &Value::Bool(true) && number_schema {
        Box::new(Judged(Money))
    } else {
        Box::new(Nothing)
    })
}

/// A string enum's values, an unknown one tolerated (see [`TOLERANT`]).
struct Listed {
    values: Vec<String>,
}

fn tolerant<'a, F: Amounts>(
    _: &'a Map<String, Value>,
    value: &'a Value,
    _: Location,
) -> Compiled<'a, F> {
    Ok(match value {
        Value::Array(values) => Box::new(Judged(Listed {
            values: values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
        })),
        // `true` left beside `enum`: the enum judges.
        _ => Box::new(Nothing),
    })
}

impl Judge for Listed {
    fn breach(&self) -> String {
        let listed: Vec<String> = self
            .values
            .iter()
            .map(|v| Value::from(v.as_str()).to_string())
            .collect();
        format!(
            "is not a value the schema lists ({}): read as `Unknown` (`{TOLERANT}`)",
            listed.join(", ")
        )
    }

    fn holds<'i, F: Amounts>(&self, instance: F::Node<'i>) -> bool {
        instance
            .as_string()
            .is_none_or(|text| self.values.iter().any(|v| *v == *text))
    }
}

impl Judge for Money {
    fn breach(&self) -> String {
        format!(
            "has more digits than an exact amount holds ({})",
            crate::money::LIMITS
        )
    }

    fn holds<'i, F: Amounts>(&self, instance: F::Node<'i>) -> bool {
        if F::amount(&instance).is_some() {
            return true;
        }
        let Some(number) = instance.as_number() else {
            return true;
        };
        if number.as_i64().is_some() {
            return true;
        }
        let text = number.as_str();
        // 28 digits without an exponent always fit; only longer texts are parsed.
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        (digits <= 28 && !text.contains(['e', 'E'])) || crate::money::decimal(&text).is_ok()
    }
}
