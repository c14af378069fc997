//! Depending on the validator changes nothing of how this crate's own values
//! serialise: no feature of `rust_decimal` or `serde_json` that changes behaviour is
//! turned on by it (a `Decimal` stays a JSON string, and reaches a query string; a
//! `Value` holds floats and sorts its keys; serde reads an untagged enum of numbers).
//! And without those features the generated types still keep every number as
//! written.

use bankschema_validator::{parse, validate, Payload, SchemaId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct Query {
    amount: Decimal,
    rate: f64,
}

#[test]
fn decimals_and_floats_serialise_as_without_bankschema() {
    let amount = Decimal::new(1230, 2);
    assert_eq!(serde_json::to_string(&amount).unwrap(), "\"12.30\"");
    let back: Decimal = serde_json::from_str("\"12.30\"").unwrap();
    assert_eq!(back, amount);
    assert_eq!(serde_json::to_string(&0.1f64).unwrap(), "0.1");
    // serde_json's own spelling (as a crate without bankschema prints it).
    assert_eq!(serde_json::to_string(&1e300f64).unwrap(), "1e+300");
    let query = Query { amount, rate: 0.25 };
    assert_eq!(
        serde_urlencoded::to_string(&query).unwrap(),
        "amount=12.30&rate=0.25"
    );
}

#[test]
fn the_validator_alone_validates_and_parses() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/examples/get-accounts.output/valid/business-savings-account-eur.json"
    );
    let bytes = std::fs::read(example).unwrap();
    assert!(validate(SchemaId::GetAccountsOutput, &bytes).is_valid());
    let Payload::GetAccountsOutput(list) = parse(SchemaId::GetAccountsOutput, &bytes).unwrap()
    else {
        panic!("a get-accounts output");
    };
    // The amounts are exact, and written back as they came.
    let written = serde_json::to_value(&list).unwrap();
    let read: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(written, read);
}

/// What `arbitrary_precision` and `preserve_order` would change, as serde_json
/// behaves without them.
#[test]
fn serde_json_values_and_untagged_enums_behave_as_without_bankschema() {
    let value: serde_json::Value = serde_json::from_str(r#"{"b": 0.10, "a": 1e2}"#).unwrap();
    assert_eq!(value.to_string(), r#"{"a":100.0,"b":0.1}"#);
    // serde buffers an untagged enum; under `arbitrary_precision` a number in that
    // buffer is a map, and this fails.
    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum Reading {
        Rate { rate: f64 },
        Label(String),
    }
    let rate: Reading = serde_json::from_str(r#"{"rate": 1.5}"#).unwrap();
    assert_eq!(rate, Reading::Rate { rate: 1.5 });
}

#[test]
fn generated_types_keep_every_number_as_written() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/examples/get-accounts.output/valid/business-savings-account-eur.json"
    );
    let text = std::fs::read_to_string(example).unwrap().replacen(
        "\"balance\": 25000,",
        "\"balance\": 12345678901234567.10, \"x-note\": [0.10, 1e2, -0],",
        1,
    );
    assert!(validate(SchemaId::GetAccountsOutput, text.as_bytes()).is_valid());
    let parsed = parse(SchemaId::GetAccountsOutput, text.as_bytes()).unwrap();
    let written = serde_json::to_string(&parsed).unwrap();
    assert!(
        written.contains(r#""balance":12345678901234567.10"#),
        "{written}"
    );
    assert!(written.contains(r#""x-note":[0.10,1e2,-0]"#), "{written}");
}
