//! Property tests of the lossless round trip, with payloads generated from the
//! schemas themselves (the JSON Schema each schema id embeds): every optional field
//! absent, `null` (where allowed) or present; unknown properties wherever the schema
//! admits them; amounts from `0` to `12345678901234567.89` with up to ten decimals;
//! timestamps with `Z` or offsets and with or without fractional seconds.
//!
//! Each generated payload must validate, parse into its generated type, and come back
//! as the same JSON, numbers compared by their text.

mod support;

use bankschema_validator::{parse_with, validate_with, Options, SchemaId};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::Value;
use support::payloads::Payloads;

#[test]
fn generated_payloads_validate_and_round_trip_exactly() {
    for id in SchemaId::ALL {
        let root: Value = serde_json::from_str(id.json_schema()).unwrap();
        let strategy = Payloads {
            root: root.clone(),
            as_written: true,
        }
        .strategy(&root);
        // A fixed seed: CI gives the same verdict on every run (exploring is the
        // fuzzing campaign's job).
        let mut runner = TestRunner::new_with_rng(
            Config {
                cases: 128,
                failure_persistence: None,
                ..Config::default()
            },
            TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        );
        let result = runner.run(&strategy, |payload| {
            let bytes = support::payloads::to_bytes(&payload);
            // Payloads come from the schemas alone, so only the schema judges them:
            // the prose rules (check digits, masked PANs...) have tests of their own.
            let schema_only = Options::schema_only();
            let report = validate_with(id, &bytes, &schema_only);
            prop_assert!(
                report.is_valid(),
                "{id}: a generated payload is invalid:\n{report}\n{payload:#}"
            );
            let parsed = parse_with(id, &bytes, &schema_only)
                .map_err(|r| TestCaseError::fail(format!("{id}: does not parse:\n{r}")))?;
            let written = serde_json::to_vec(&parsed).unwrap();
            prop_assert!(
                support::same_text(&written, &bytes),
                "{}: the round trip changed the payload\n{}\n{}",
                id,
                String::from_utf8_lossy(&bytes),
                String::from_utf8_lossy(&written)
            );
            Ok(())
        });
        if let Err(error) = result {
            panic!("{id}: {error}");
        }
    }
}

/// The `Deserialize` that generated types keeping unknown properties write out
/// behaves as serde's derive would: missing and repeated fields are errors, unknown
/// ones are kept in order, escaped names are matched.
#[test]
fn written_out_deserialize_behaves_like_the_derive() {
    use bankschema_types::get_accounts::Balance;
    let balance: Balance = serde_json::from_str(
        r#"{"type": "ClosingBooked", "amount": 1.10, "later": {"a": 1}, "curr\u0065ncy": "GBP", "early": null}"#,
    )
    .unwrap();
    assert_eq!(balance.currency, "GBP");
    assert!(balance.as_of.is_absent());
    assert_eq!(balance.extra.keys().collect::<Vec<_>>(), ["later", "early"]);
    let missing =
        serde_json::from_str::<Balance>(r#"{"type": "Expected", "currency": "EUR"}"#).unwrap_err();
    assert!(
        missing.to_string().starts_with("missing field `amount`"),
        "{missing}"
    );
    let twice = serde_json::from_str::<Balance>(
        r#"{"type": "Expected", "amount": 1, "amount": 2, "currency": "EUR"}"#,
    )
    .unwrap_err();
    assert!(
        twice.to_string().starts_with("duplicate field `amount`"),
        "{twice}"
    );
    let not_object = serde_json::from_str::<Balance>("[]").unwrap_err();
    assert!(
        not_object
            .to_string()
            .contains("expected an object for `Balance`"),
        "{not_object}"
    );
}

/// The validator is the one dependency a service needs: the generated types and
/// what they hold are reached through it.
#[test]
fn the_validator_reexports_the_types_and_what_they_hold() {
    use bankschema_validator::types::get_accounts::AccountList;
    use bankschema_validator::{get_accounts, Decimal, Money, Nullable};
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schemas/examples/get-accounts.output/valid/full-credit-card-account.json"
    ))
    .unwrap();
    let accounts: AccountList = get_accounts::parse_output(&body).unwrap();
    let account = &accounts.items[0];
    let balance: &Money = &account.balance;
    let exact: Decimal = **balance;
    assert_eq!(exact.to_string(), balance.to_string());
    let _: &Nullable<Money> = &account.available_balance;
}
