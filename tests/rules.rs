//! Every prose rule at work: payloads that keep it, that break it and that sit on its
//! edges, each built from a valid example by a few edits. The reports are insta
//! snapshots, one per rule; each case also says which rules it must (and must only)
//! trip, so a wrong verdict fails even before the snapshot is read.

#[path = "rules/fixtures.rs"]
mod fixtures;
mod support;

use fixtures::{accounts, case, connected, credit_card, edit, linked, Case, REMOVE};

use bankschema_validator::{validate_value_with, Options, SchemaId};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Serialize)]
struct Outcome {
    case: &'static str,
    valid: bool,
    diagnostics: Vec<Value>,
}

/// Checks every case's rule ids, then snapshots the reports under `rule`.
fn check(rule: &str, cases: Vec<Case>) {
    let mut outcomes = Vec::new();
    for case in cases {
        let report = validate_value_with(case.id, &case.payload, &case.options);
        let tripped: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| match &d.rule {
                Some(rule) => format!("{}:{rule}", d.severity),
                None => format!("{}:schema", d.severity),
            })
            .collect();
        assert_eq!(
            tripped, case.expect,
            "{rule}: case `{}`:\n{report}",
            case.name
        );
        outcomes.push(Outcome {
            case: case.name,
            valid: report.is_valid(),
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| serde_json::to_value(d).unwrap())
                .collect(),
        });
    }
    insta::assert_json_snapshot!(rule, outcomes);
}

const OUT: SchemaId = SchemaId::GetAccountsOutput;
const CONNECTED: SchemaId = SchemaId::ConnectedAccountsResponse;
const LINKED: SchemaId = SchemaId::LinkedAccountsResponse;

#[test]
fn iban() {
    let at = "/items/0/iban";
    check(
        "iso13616.iban",
        vec![
            case("valid GB IBAN", OUT, accounts(), &[]),
            case(
                "shortest country (NO, 15)",
                OUT,
                edit(accounts(), &[(at, json!("NO9386011117947"))]),
                &[],
            ),
            case(
                "check digits wrong",
                OUT,
                edit(accounts(), &[(at, json!("GB28NWBK60161331926819"))]),
                &["error:iso13616.iban"],
            ),
            case(
                "valid checksum, one character short for GB",
                OUT,
                edit(accounts(), &[(at, json!("GB24NWBK6016133192681"))]),
                &["error:iso13616.iban"],
            ),
            case(
                "valid checksum, country without IBANs",
                OUT,
                edit(accounts(), &[(at, json!("US46NWBK60161331926819"))]),
                &["error:iso13616.iban"],
            ),
            case(
                "null IBAN is no IBAN",
                OUT,
                edit(accounts(), &[(at, Value::Null)]),
                &[],
            ),
            case(
                "connected-accounts identifier",
                CONNECTED,
                edit(
                    connected(),
                    &[(
                        "/items/0/account_identifiers/1/iban",
                        json!("GB33CLRB04066800012315"),
                    )],
                ),
                &["error:iso13616.iban"],
            ),
            case(
                "linked-accounts accountIdentification.iban when present",
                LINKED,
                edit(
                    linked(),
                    &[(
                        "/linkedAccounts/0/accountIdentification/iban",
                        json!("DE89370400440532013001"),
                    )],
                ),
                &["error:iso13616.iban"],
            ),
            case(
                "linked-accounts accountIdentification without iban",
                LINKED,
                edit(
                    linked(),
                    &[("/linkedAccounts/0/accountIdentification", json!("GB29NWBK"))],
                ),
                &[],
            ),
        ],
    );
}

#[test]
fn bic() {
    let at = "/items/0/bic";
    check(
        "iso9362.bic",
        vec![
            case("8 characters", OUT, accounts(), &[]),
            case(
                "11 characters",
                OUT,
                edit(accounts(), &[(at, json!("DEUTDEFF500"))]),
                &[],
            ),
            case(
                "Kosovo's XK, issued by SWIFT",
                OUT,
                edit(accounts(), &[(at, json!("TEBKXKPR"))]),
                &[],
            ),
            case(
                "UK is not an ISO 3166-1 code (GB is)",
                OUT,
                edit(accounts(), &[(at, json!("NWBKUK2L"))]),
                &["error:iso9362.bic"],
            ),
            case(
                "connected-accounts",
                CONNECTED,
                edit(connected(), &[("/items/0/bic", json!("MONZZZ2LXXX"))]),
                &["error:iso9362.bic"],
            ),
            case(
                "a malformed BIC is the schema's to report, once",
                OUT,
                edit(accounts(), &[(at, json!("NWBKGB2LX"))]),
                &["error:schema"],
            ),
        ],
    );
}

#[test]
fn currency() {
    check(
        "iso4217.currency",
        vec![
            case("GBP", OUT, accounts(), &[]),
            case(
                "XXX on a multi-currency account",
                OUT,
                edit(
                    accounts(),
                    &[
                        ("/items/0/currency", json!("XXX")),
                        ("/items/0/balances", json!([])),
                    ],
                ),
                &[],
            ),
            case(
                "XXX on a balance entry, which is in one currency",
                OUT,
                edit(
                    accounts(),
                    &[("/items/0/balances/2/currency", json!("XXX"))],
                ),
                &["error:iso4217.currency"],
            ),
            case(
                "unassigned ABC",
                OUT,
                edit(accounts(), &[("/items/0/currency", json!("ABC"))]),
                &["error:iso4217.currency"],
            ),
            case(
                "withdrawn HRK (replaced by EUR in 2023)",
                OUT,
                edit(
                    accounts(),
                    &[
                        ("/items/0/currency", json!("HRK")),
                        ("/items/0/balances", json!([])),
                    ],
                ),
                &["error:iso4217.currency"],
            ),
            case(
                "connected-accounts: the enum speaks first",
                CONNECTED,
                edit(connected(), &[("/items/0/currency", json!("XXX"))]),
                &["error:schema"],
            ),
        ],
    );
}

#[test]
fn sort_code_and_account_number() {
    let identifier = "/items/0/account_identifiers/0";
    check(
        "uk.sort-code+uk.account-number",
        vec![
            case("six and eight digits", CONNECTED, connected(), &[]),
            case(
                "five-digit sort code",
                CONNECTED,
                edit(
                    connected(),
                    &[(&format!("{identifier}/sort_code"), json!("56002"))],
                ),
                &["error:uk.sort-code"],
            ),
            case(
                "sort code written with hyphens",
                CONNECTED,
                edit(
                    connected(),
                    &[(&format!("{identifier}/sort_code"), json!("56-00-29"))],
                ),
                &["error:uk.sort-code"],
            ),
            case(
                "nine-digit account number",
                CONNECTED,
                edit(
                    connected(),
                    &[(&format!("{identifier}/account_number"), json!("262077291"))],
                ),
                &["error:uk.account-number"],
            ),
        ],
    );
}

#[test]
fn masked_pan() {
    let at = "/items/0/maskedPan";
    check(
        "bank2ai.masked-pan",
        vec![
            case("exactly six and four digits show", OUT, accounts(), &[]),
            case(
                "last four only, grouped",
                OUT,
                edit(accounts(), &[(at, json!("****-****-****-1234"))]),
                &[],
            ),
            case(
                "seven leading digits",
                OUT,
                edit(accounts(), &[(at, json!("4751291xxxxx4821"))]),
                &["error:bank2ai.masked-pan"],
            ),
            case(
                "five trailing digits",
                OUT,
                edit(accounts(), &[(at, json!("475129xxxxx14821"))]),
                &["error:bank2ai.masked-pan"],
            ),
            case(
                "a digit in the middle",
                OUT,
                edit(accounts(), &[(at, json!("475129xx3xxx4821"))]),
                &["error:bank2ai.masked-pan"],
            ),
            case(
                "nothing masked",
                OUT,
                edit(accounts(), &[(at, json!("4751291234564821"))]),
                &["error:bank2ai.masked-pan"],
            ),
        ],
    );
}

#[test]
fn credit_only() {
    check(
        "bank2ai.credit-only",
        vec![
            case("on a credit account", OUT, credit_card(), &[]),
            case(
                "statementBalance on a current account",
                OUT,
                edit(accounts(), &[("/items/0/statementBalance", json!(120.5))]),
                &["error:bank2ai.credit-only"],
            ),
            case(
                "explicit null on a current account is the default, not a value",
                OUT,
                edit(accounts(), &[("/items/0/statementBalance", Value::Null)]),
                &[],
            ),
            case(
                "paymentDueDate on an account without accountType",
                OUT,
                edit(
                    accounts(),
                    &[
                        ("/items/0/accountType", json!(REMOVE)),
                        ("/items/0/paymentDueDate", json!("2024-04-01")),
                    ],
                ),
                &["error:bank2ai.credit-only"],
            ),
            case(
                "an accountType the schema rejects is no premise to judge by",
                OUT,
                edit(credit_card(), &[("/items/0/accountType", json!(" Credit"))]),
                &["error:schema"],
            ),
        ],
    );
}

#[test]
fn balances_consistent() {
    let mut cases = balance_scalar_cases();
    cases.extend(balance_entry_cases());
    check("bank2ai.balances-consistent", cases);
}

/// `bank2ai.balances-consistent` on the example's scalars as they stand.
fn balance_scalar_cases() -> Vec<Case> {
    vec![
        case("both scalars match", OUT, accounts(), &[]),
        case(
            "same amount, other spelling",
            OUT,
            edit(
                accounts(),
                &[(
                    "/items/0/balance",
                    serde_json::from_str("1.25075e3").unwrap(),
                )],
            ),
            &[],
        ),
        case(
            "balance differs by a penny",
            OUT,
            edit(accounts(), &[("/items/0/balance", json!(1250.76))]),
            &["error:bank2ai.balances-consistent"],
        ),
        case(
            "availableBalance missing beside an InterimAvailable entry",
            OUT,
            edit(accounts(), &[("/items/0/availableBalance", json!(REMOVE))]),
            &["error:bank2ai.balances-consistent"],
        ),
    ]
}

/// `bank2ai.balances-consistent` on balance entries of several dates: the newest
/// decides.
fn balance_entry_cases() -> Vec<Case> {
    fn entries(closing: Value) -> Value {
        edit(
            accounts(),
            &[(
                "/items/0/balances",
                json!([
                    {"type": "ClosingBooked", "amount": 1200, "currency": "GBP", "asOf": "2024-02-29T09:30:00Z"},
                    closing,
                    {"type": "InterimAvailable", "amount": 1715.55, "currency": "GBP", "asOf": "2024-03-01T09:30:00Z"}
                ]),
            )],
        )
    }
    vec![
        case(
            "balance matches an older entry, not the newest",
            OUT,
            edit(
                entries(
                    json!({"type": "ClosingBooked", "amount": 1250.75, "currency": "GBP", "asOf": "2024-02-28T09:30:00Z"}),
                ),
                &[("/items/0/balance", json!(1250.75))],
            ),
            &["error:bank2ai.balances-consistent"],
        ),
        case(
            "equal asOf timestamps: either entry may be the scalar",
            OUT,
            entries(
                json!({"type": "ClosingBooked", "amount": 1250.75, "currency": "GBP", "asOf": "2024-02-29T09:30:00Z"}),
            ),
            &[],
        ),
        case(
            "the same instant in another offset is a tie too",
            OUT,
            entries(
                json!({"type": "ClosingBooked", "amount": 1250.75, "currency": "GBP", "asOf": "2024-02-29T10:30:00+01:00"}),
            ),
            &[],
        ),
        case(
            "an entry one second newer decides",
            OUT,
            edit(
                entries(
                    json!({"type": "ClosingBooked", "amount": 1250.75, "currency": "GBP", "asOf": "2024-02-29T09:30:01Z"}),
                ),
                &[("/items/0/balance", json!(1200))],
            ),
            &["error:bank2ai.balances-consistent"],
        ),
        case(
            "the newest entry is rejected (no currency): nothing to compare with",
            OUT,
            edit(
                entries(
                    json!({"type": "ClosingBooked", "amount": 1250.75, "asOf": "2024-02-29T09:30:01Z"}),
                ),
                &[("/items/0/balance", json!(1200))],
            ),
            &["error:schema"],
        ),
    ]
}

#[test]
fn single_default() {
    let two = |second_default: Value| {
        let account = accounts()["items"][0].clone();
        let second = edit(
            account.clone(),
            &[
                ("/id", json!("acc_2")),
                ("/isDefaultAccount", second_default),
            ],
        );
        json!({"items": [account, second]})
    };
    check(
        "bank2ai.single-default",
        vec![
            case("one default and one not", OUT, two(json!(false)), &[]),
            case(
                "two defaults: a warning, still valid",
                OUT,
                two(json!(true)),
                &["warning:bank2ai.single-default"],
            ),
        ],
    );
}

#[test]
fn identifier_present() {
    check(
        "bank2ai.identifier-present",
        vec![
            case("accountNumber, IBAN and more", OUT, accounts(), &[]),
            case(
                "an empty accountNumber and nothing else",
                OUT,
                edit(
                    accounts(),
                    &[
                        ("/items/0/accountNumber", json!("")),
                        ("/items/0/iban", json!(REMOVE)),
                        ("/items/0/bban", Value::Null),
                        ("/items/0/maskedPan", json!(REMOVE)),
                    ],
                ),
                &["warning:bank2ai.identifier-present"],
            ),
            case(
                "an empty accountNumber but a masked PAN",
                OUT,
                edit(
                    accounts(),
                    &[
                        ("/items/0/accountNumber", json!("")),
                        ("/items/0/iban", json!(REMOVE)),
                        ("/items/0/bban", json!(REMOVE)),
                    ],
                ),
                &[],
            ),
        ],
    );
}

#[test]
fn filters() {
    let with_input = |name, payload: Value, input: Value, expect: &[&'static str]| Case {
        options: Options::default().with_input(input),
        ..case(name, OUT, payload, expect)
    };
    let without_status = edit(accounts(), &[("/items/0/status", json!(REMOVE))]);
    check(
        "bank2ai.filters",
        vec![
            with_input(
                "every filter met",
                accounts(),
                json!({"account_type": "Current", "status": "Enabled", "usage": "Private", "only_withdrawal_accounts": true}),
                &[],
            ),
            case("no input: nothing to compare", OUT, accounts(), &[]),
            with_input(
                "account_type differs",
                accounts(),
                json!({"account_type": "Savings"}),
                &["error:bank2ai.filters"],
            ),
            with_input(
                "no status counts as Enabled",
                without_status.clone(),
                json!({"status": "Enabled"}),
                &[],
            ),
            with_input(
                "no status is not Blocked",
                without_status,
                json!({"status": "Blocked"}),
                &["error:bank2ai.filters"],
            ),
            with_input(
                "usage differs: servers MAY ignore it",
                accounts(),
                json!({"usage": "Business"}),
                &["warning:bank2ai.filters"],
            ),
            with_input(
                "not a withdrawal account",
                edit(
                    accounts(),
                    &[("/items/0/isWithdrawalAccount", json!(false))],
                ),
                json!({"only_withdrawal_accounts": true}),
                &["error:bank2ai.filters"],
            ),
            with_input(
                "null filters filter nothing",
                accounts(),
                json!({"account_type": null, "status": null, "usage": null}),
                &[],
            ),
        ],
    );
}

#[test]
fn unique_id() {
    let twice = |payload: Value, list: &str| {
        let mut payload = payload;
        let first = payload[list][0].clone();
        payload[list].as_array_mut().unwrap().push(first);
        payload
    };
    check(
        "unique-id",
        vec![
            case(
                "get-accounts: the same id twice",
                OUT,
                twice(accounts(), "items"),
                &["error:unique-id", "warning:bank2ai.single-default"],
            ),
            case(
                "connected-accounts: the same id twice",
                CONNECTED,
                twice(connected(), "items"),
                &["error:unique-id"],
            ),
            case(
                "linked-accounts: the same id twice",
                LINKED,
                twice(linked(), "linkedAccounts"),
                &["error:unique-id"],
            ),
        ],
    );
}

#[test]
fn allowed_rules_are_not_reported() {
    let payload = edit(
        accounts(),
        &[("/items/0/iban", json!("GB28NWBK60161331926819"))],
    );
    let options = Options::default().allow("iso13616.iban").unwrap();
    assert!(validate_value_with(OUT, &payload, &options)
        .diagnostics
        .is_empty());
    assert!(Options::default().allow("iso13616").is_err());
}

#[test]
fn every_valid_example_keeps_every_rule() {
    for example in support::examples() {
        if example.verdict == support::Verdict::Valid {
            let value: Value = serde_json::from_slice(&example.bytes).unwrap();
            let report = validate_value_with(example.id, &value, &Options::default());
            assert!(
                report.diagnostics.is_empty(),
                "{}:\n{report}",
                example.path.display()
            );
        }
    }
}

/// A service tells a malformed body from a violation by the diagnostic's kind, not
/// by its message.
#[test]
fn each_diagnostic_says_what_it_is_about() {
    use bankschema_validator::{validate, Kind};
    let kinds = |report: bankschema_validator::Report| -> Vec<Kind> {
        report.diagnostics.iter().map(|d| d.kind).collect()
    };
    assert_eq!(kinds(validate(OUT, b"{ not json")), [Kind::Malformed]);
    let options = Options::default();
    let schema = edit(accounts(), &[("/items/0/currency", json!("gbp"))]);
    assert_eq!(
        kinds(validate_value_with(OUT, &schema, &options)),
        [Kind::Schema]
    );
    let rule = edit(accounts(), &[("/items/0/statementBalance", json!(120.5))]);
    assert_eq!(
        kinds(validate_value_with(OUT, &rule, &options)),
        [Kind::Rule]
    );
}
