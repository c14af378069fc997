//! Reports land in CI logs, pull-request annotations and HTTP responses: none quotes
//! a card number or an IBAN in full, nor a value longer than 64 characters, whichever
//! entry point of the validator gives it; `Options::show_values` shows them again.

mod support;

use support::valid_example as example;

use bankschema_validator::{self as validator, get_accounts, Options, Report, SchemaId};
use serde_json::{json, Value};

/// A card number with nothing masked: `bank2ai.masked-pan` refuses it.
const PAN: &str = "4751291234564821";
/// A GB IBAN whose check digits do not match (`...819` would).
const BAD_IBAN: &str = "GB29NWBK60161331926818";
const IBAN: &str = "GB29NWBK60161331926819";

/// A valid get-accounts output with `value` at `pointer` (whose parent exists).
fn account_with(pointer: &str, value: Value) -> Value {
    let payload = example(
        SchemaId::GetAccountsOutput,
        "full-current-account-with-debit-card",
    );
    with(payload, pointer, value)
}

fn with(mut payload: Value, pointer: &str, value: Value) -> Value {
    *payload.pointer_mut(pointer).unwrap() = value;
    payload
}

/// The report on an invalid `payload`, from every entry point of the library, which
/// must all give the same one: `validate`, `validate_value`, `parse` (by schema id,
/// by module, and on the embedded schema), with and without options.
fn report_of(id: SchemaId, payload: &Value, show_values: bool) -> Report {
    let bytes = serde_json::to_vec(payload).unwrap();
    let options = if show_values {
        Options::default().show_values()
    } else {
        Options::default()
    };
    let mut reports = vec![
        validator::validate_with(id, &bytes, &options),
        validator::validate_value_with(id, payload, &options),
        validator::parse_with(id, &bytes, &options).unwrap_err(),
    ];
    if !show_values {
        reports.push(validator::validate(id, &bytes));
        reports.push(validator::validate_value(id, payload));
        reports.push(validator::parse(id, &bytes).unwrap_err());
    }
    if id == SchemaId::GetAccountsOutput {
        type Accounts = bankschema_types::get_accounts::AccountList;
        let schema = &get_accounts::OUTPUT;
        reports.push(get_accounts::validate_output_with(&bytes, &options));
        reports.push(get_accounts::parse_output_with(&bytes, &options).unwrap_err());
        reports.push(schema.validate_with(&bytes, &options));
        reports.push(schema.validate_value_with(payload, &options));
        reports.push(schema.parse_with::<Accounts>(&bytes, &options).unwrap_err());
    }
    for other in &reports[1..] {
        assert_eq!(other, &reports[0]);
    }
    assert!(!reports[0].is_valid(), "{}", reports[0]);
    reports.swap_remove(0)
}

/// The report on `payload`, values masked.
fn masked(id: SchemaId, payload: &Value) -> Report {
    report_of(id, payload, false)
}

/// The report on `payload` under `Options::show_values`.
fn shown(id: SchemaId, payload: &Value) -> Report {
    report_of(id, payload, true)
}

/// Every way the report is written out: its display and its JSON.
fn written(report: &Report) -> String {
    format!("{report}\n{}", serde_json::to_string(report).unwrap())
}

/// `text` shows none of `secret` but its first `head` and last `tail` characters:
/// no five characters of it in a row that are not all within those (looked for
/// with and without the spaces and hyphens that group a number).
fn assert_hidden(text: &str, secret: &str, head: usize, tail: usize) {
    let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let n = secret.len();
    for i in 0..=n - 5 {
        if i + 5 <= head || i >= n - tail {
            continue;
        }
        let window = &secret[i..i + 5];
        assert!(
            !text.contains(window) && !compact.contains(window),
            "`{window}` of {secret} shows in:\n{text}"
        );
    }
}

fn diagnostic<'r>(report: &'r Report, pointer: &str) -> &'r validator::Diagnostic {
    report
        .diagnostics
        .iter()
        .find(|d| d.instance_path == pointer)
        .unwrap_or_else(|| panic!("nothing at {pointer} in\n{report}"))
}

#[test]
fn a_full_card_number_shows_only_its_first_six_and_last_four_digits() {
    for pan in [json!(PAN), json!("4751 2912 3456 4821")] {
        let payload = account_with("/items/0/maskedPan", pan.clone());
        let report = masked(SchemaId::GetAccountsOutput, &payload);
        let found = diagnostic(&report, "/items/0/maskedPan");
        assert_eq!(found.rule.as_deref(), Some("bank2ai.masked-pan"));
        assert!(
            found
                .message
                .starts_with("\"475129******4821\": all 16 digits show"),
            "{}",
            found.message
        );
        assert_hidden(&written(&report), PAN, 6, 4);
        let whole = shown(SchemaId::GetAccountsOutput, &payload);
        let pan = pan.as_str().unwrap();
        assert!(written(&whole).contains(&format!("\"{pan}\": all 16 digits show")));
    }
    // A number where a string belongs: the schema's message masks it alike.
    let payload = account_with("/items/0/maskedPan", PAN.parse::<Value>().unwrap());
    let report = masked(SchemaId::GetAccountsOutput, &payload);
    let found = diagnostic(&report, "/items/0/maskedPan");
    assert_eq!(found.rule, None);
    assert!(
        found
            .message
            .starts_with("475129******4821 is not valid under any"),
        "{}",
        found.message
    );
    assert_hidden(&written(&report), PAN, 6, 4);
}

#[test]
fn an_invalid_iban_shows_only_its_first_four_and_last_four_characters() {
    let payload = account_with("/items/0/iban", json!(BAD_IBAN));
    let report = masked(SchemaId::GetAccountsOutput, &payload);
    let found = diagnostic(&report, "/items/0/iban");
    assert_eq!(found.rule.as_deref(), Some("iso13616.iban"));
    assert!(
        found
            .message
            .starts_with("\"GB29…6818\" is not a valid IBAN: the check digits do not match"),
        "{}",
        found.message
    );
    assert_hidden(&written(&report), BAD_IBAN, 4, 4);
    let whole = shown(SchemaId::GetAccountsOutput, &payload);
    assert!(written(&whole).contains(&format!("\"{BAD_IBAN}\" is not a valid IBAN")));

    // Written with spaces, it breaks the schema's pattern: masked there too.
    let spaced = "GB29 NWBK 6016 1331 9268 19";
    let payload = account_with("/items/0/iban", json!(spaced));
    let report = masked(SchemaId::GetAccountsOutput, &payload);
    let found = diagnostic(&report, "/items/0/iban");
    assert!(found.schema_path.ends_with("/pattern"), "{report}");
    assert!(
        found.message.starts_with("\"GB29…6819\" does not match"),
        "{}",
        found.message
    );
    assert_hidden(&written(&report), IBAN, 4, 4);
    let whole = shown(SchemaId::GetAccountsOutput, &payload);
    assert!(written(&whole).contains(spaced));
}

#[test]
fn an_account_identifier_matching_no_branch_shows_neither_its_iban_nor_a_long_rendering() {
    let connected = || {
        example(
            SchemaId::ConnectedAccountsResponse,
            "seed-000-documented-example",
        )
    };
    let at = "/items/0/account_identifiers/1";
    let not_valid = "is not valid under any of the schemas listed in the 'oneOf' keyword";
    // Short enough to show, with its IBAN masked where it stands.
    let identifier = json!({"type": "sort_code_account_number", "iban": IBAN});
    let payload = with(connected(), at, identifier.clone());
    let report = masked(SchemaId::ConnectedAccountsResponse, &payload);
    let found = diagnostic(&report, at);
    assert!(found.schema_path.ends_with("/oneOf"), "{report}");
    assert_eq!(
        found.message,
        format!(r#"{{"type":"sort_code_account_number","iban":"GB29…6819"}} {not_valid}"#)
    );
    assert_hidden(&written(&report), IBAN, 4, 4);
    let whole = shown(SchemaId::ConnectedAccountsResponse, &payload);
    assert_eq!(
        diagnostic(&whole, at).message,
        format!("{identifier} {not_valid}")
    );
    // Longer than 64 characters even masked: shown as `{…}`.
    let identifier =
        json!({"type": "IBAN", "iban": IBAN, "holder": "Priya Sharma and Daniel Okafor"});
    let payload = with(connected(), at, identifier.clone());
    let report = masked(SchemaId::ConnectedAccountsResponse, &payload);
    assert_eq!(
        diagnostic(&report, at).message,
        format!("{{…}} {not_valid}")
    );
    assert_hidden(&written(&report), IBAN, 4, 4);
    let whole = shown(SchemaId::ConnectedAccountsResponse, &payload);
    assert_eq!(
        diagnostic(&whole, at).message,
        format!("{identifier} {not_valid}")
    );
}

#[test]
fn a_long_value_is_shortened_to_its_first_24_characters() {
    let long = |start: &str| format!("{start}{}", "X".repeat(80));
    let shortened = |value: &str| format!("\"{}…\"", &value[..24]);
    // A pattern, an enum and a rule (a repeated id) quote it.
    let currency = long("GBP");
    let kind = long("Current");
    let id = long("acc_");
    let mut payload = account_with("/items/0/currency", json!(currency));
    payload = with(payload, "/items/0/accountType", json!(kind));
    payload = with(payload, "/items/0/id", json!(id));
    let mut second = payload["items"][0].clone();
    second["currency"] = json!("GBP");
    second["accountType"] = json!("Current");
    second["isDefaultAccount"] = json!(false);
    payload["items"].as_array_mut().unwrap().push(second);
    let report = masked(SchemaId::GetAccountsOutput, &payload);
    for (pointer, value, then) in [
        (
            "/items/0/currency",
            &currency,
            " does not match \"^[A-Z]{3}$\"",
        ),
        ("/items/0/accountType", &kind, " is not one of "),
        ("/items/1/id", &id, " is already the id at /items/0/id"),
    ] {
        let message = &diagnostic(&report, pointer).message;
        assert!(
            message.starts_with(&format!("{}{then}", shortened(value))),
            "{message}"
        );
    }
    let text = written(&report);
    for value in [&currency, &kind, &id] {
        assert!(!text.contains(&value[..30]), "{text}");
    }
    let text = written(&shown(SchemaId::GetAccountsOutput, &payload));
    for value in [&currency, &kind, &id] {
        assert!(text.contains(value.as_str()), "{text}");
    }
}
