//! Depending on the validator changes nothing of how this crate's own values
//! serialise: no feature of `rust_decimal` or `serde_json` that changes behaviour is
//! turned on by it (a `Decimal` stays a JSON string, and reaches a query string).

use bankschema_validator::{parse, validate, Payload, SchemaId};
use rust_decimal::Decimal;
use serde::Serialize;

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
