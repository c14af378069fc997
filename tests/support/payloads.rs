//! Payloads generated from a schema itself (the JSON Schema a schema id embeds):
//! every optional field absent, `null` (where allowed) or present; unknown
//! properties wherever the schema admits them; amounts from `0` to
//! `12345678901234567.89` with up to ten decimals; timestamps with `Z` or offsets and
//! with or without fractional seconds.

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use serde_json::{Map, Value};

/// Builds a strategy for the payloads one schema accepts.
pub struct Payloads {
    /// The message schema, for resolving `#/$defs/...`.
    pub root: Value,
    /// Numbers as written (`0.10`, 30 digits), which a `Value` cannot hold: each
    /// stands in the payload as a marked string that [`to_bytes`] writes as the
    /// number. Otherwise numbers are the floats a `Value` holds.
    pub as_written: bool,
}

/// What brackets a number's text in a string of a payload made `as_written`: a
/// control character, which generated strings never hold.
const MARK: &str = "\u{1}";

/// The JSON text of `payload`, each marked number written as itself.
pub fn to_bytes(payload: &Value) -> Vec<u8> {
    let text = serde_json::to_string(payload).unwrap();
    text.replace("\"\\u0001", "")
        .replace("\\u0001\"", "")
        .into_bytes()
}

fn number(text: &str, as_written: bool) -> Value {
    if as_written {
        Value::String(format!("{MARK}{text}{MARK}"))
    } else {
        serde_json::from_str(text).expect("a JSON number")
    }
}

impl Payloads {
    pub fn strategy(&self, schema: &Value) -> BoxedStrategy<Value> {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let target = self
                .root
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("unresolved {reference}"));
            return self.strategy(target);
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return prop::sample::select(values.clone()).boxed();
        }
        if let Some(value) = schema.get("const") {
            return Just(value.clone()).boxed();
        }
        if let Some(branches) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array)
        {
            return Union::new(branches.iter().map(|b| self.strategy(b))).boxed();
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("null") => Just(Value::Null).boxed(),
            Some("boolean") => any::<bool>().prop_map(Value::Bool).boxed(),
            Some("integer") => {
                let minimum = schema
                    .get("minimum")
                    .and_then(Value::as_i64)
                    .unwrap_or(i64::MIN / 2);
                (minimum..i64::MAX / 2).prop_map(Value::from).boxed()
            }
            Some("number") => amount(schema.get("minimum").is_some(), self.as_written),
            Some("string") => string(schema),
            Some("array") => {
                let items = self.strategy(schema.get("items").unwrap_or(&Value::Bool(true)));
                prop::collection::vec(items, 0..4)
                    .prop_map(Value::Array)
                    .boxed()
            }
            Some("object") => self.object(schema),
            Some(other) => panic!("the generator does not know type {other}"),
            None => any_json(self.as_written),
        }
    }

    fn object(&self, schema: &Value) -> BoxedStrategy<Value> {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut members: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
        for (name, property) in &properties {
            let value = self.strategy(property);
            let key = name.clone();
            let present = value.prop_map(move |v| Some((key.clone(), v)));
            if required.contains(&name.as_str()) {
                members.push(present.boxed());
            } else {
                // Absent, or present (which includes `null` where the schema allows it).
                members.push(prop_oneof![1 => Just(None), 3 => present].boxed());
            }
        }
        let open = !matches!(schema.get("additionalProperties"), Some(Value::Bool(false)));
        let unknown = if open {
            prop::collection::vec(("unknown[A-Za-z]{1,6}", any_json(self.as_written)), 0..3).boxed()
        } else {
            Just(Vec::new()).boxed()
        };
        (members, unknown)
            .prop_map(|(members, unknown)| {
                let mut object: Map<String, Value> = members.into_iter().flatten().collect();
                for (key, value) in unknown {
                    object.entry(key).or_insert(value);
                }
                Value::Object(object)
            })
            .boxed()
    }
}

/// Amounts as their text: whole, fractional, high precision, near the extremes.
fn amount(non_negative: bool, as_written: bool) -> BoxedStrategy<Value> {
    let sign = if non_negative {
        Just("").boxed()
    } else {
        prop_oneof![Just(""), Just("-")].boxed()
    };
    let generated = (
        sign,
        0u64..100_000_000_000_000_000,
        prop::option::of("[0-9]{1,10}"),
    )
        .prop_map(|(sign, whole, fraction)| match fraction {
            Some(fraction) => format!("{sign}{whole}.{fraction}"),
            None => format!("{sign}{whole}"),
        });
    let edges = prop::sample::select(vec![
        "0",
        "0.10",
        "0.00",
        "12345678901234567.89",
        "500",
        "1.1234127836128763",
    ])
    .prop_map(str::to_owned);
    prop_oneof![3 => generated, 1 => edges]
        .prop_map(move |text| number(&text, as_written))
        .boxed()
}

fn string(schema: &Value) -> BoxedStrategy<Value> {
    let text: BoxedStrategy<String> = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => (
            date(),
            "[01][0-9]|2[0-3]",
            "[0-5][0-9]",
            "[0-5][0-9]",
            "(\\.[0-9]{1,9})?",
            "Z|[+-](0[0-9]|1[0-3]):(00|30|45)",
        )
            .prop_map(|(date, h, m, s, fraction, offset)| {
                format!("{date}T{h}:{m}:{s}{fraction}{offset}")
            })
            .boxed(),
        Some("date") => date(),
        Some(other) => panic!("the generator does not know format {other}"),
        None => match schema.get("pattern").and_then(Value::as_str) {
            // proptest's regex generator has no anchors; the patterns here are anchored.
            Some(pattern) => proptest::string::string_regex(
                pattern.trim_start_matches('^').trim_end_matches('$'),
            )
            .expect("a pattern proptest can generate from")
            .boxed(),
            None => "\\PC{0,12}".boxed(),
        },
    };
    text.prop_map(Value::String).boxed()
}

/// A valid calendar date.
fn date() -> BoxedStrategy<String> {
    (1970u32..2100, 1u32..=12, 1u32..=31)
        .prop_map(|(year, month, day)| {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            format!("{year:04}-{month:02}-{:02}", day.min(days))
        })
        .boxed()
}

/// Any JSON value, for unknown properties and schemas that accept anything.
fn any_json(as_written: bool) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        "-?(0|[1-9][0-9]{0,19})(\\.[0-9]{1,12})?".prop_map(move |n| number(&n, as_written)),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::vec(("[a-z]{1,4}", inner), 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}
