//! What a service reaches for beyond `validate` and `parse`: a report that knows
//! its schema id and prints as a log line, `parse` with the rules' warnings, a
//! payload already parsed (`serde_json::Value`) or behind a reader, and a whole
//! MCP exchange.

mod support;

use bankschema_validator::{
    parse, parse_reader, parse_value, parse_with, parse_with_warnings, validate,
    validate_mcp_exchange, validate_reader, validate_value_with, validate_with, Kind, Options,
    SchemaId, Severity,
};
use serde_json::{json, Value};
use support::{examples, Verdict};

#[test]
fn a_report_knows_its_schema_id_and_prints_a_header_then_each_diagnostic() {
    for example in examples() {
        let report = validate(example.id, &example.bytes);
        assert_eq!(report.schema_id, Some(example.id.as_str()));
        let shown = report.to_string();
        let header = shown.lines().next().unwrap();
        assert!(header.starts_with(&format!("{}: ", example.id)), "{shown}");
        let expected = if report.is_valid() {
            "valid"
        } else {
            "invalid ("
        };
        assert!(header.contains(expected), "{shown}");
        assert_eq!(
            shown.lines().count(),
            1 + report.diagnostics.len(),
            "{shown}"
        );
    }
    // A control character from the payload does not reach the log as it is.
    let report = validate(
        SchemaId::GetAccountsOutput,
        br#"{"a\u0007": 1, "a\u0007": 2}"#,
    );
    let shown = report.to_string();
    assert!(
        !shown.contains('\u{7}') && shown.contains("\\u{7}"),
        "{shown}"
    );
    assert!(
        shown.starts_with("get-accounts.output: invalid ("),
        "{shown}"
    );
}

/// A get-accounts output with two default accounts: `bank2ai.single-default`
/// (SHOULD) is broken, which leaves it valid.
fn two_defaults() -> Vec<u8> {
    let mut example = support::valid_example(
        SchemaId::GetAccountsOutput,
        "full-current-account-with-debit-card",
    );
    let account = example["items"][0].clone();
    example["items"] = json!([account.clone(), account]);
    example["items"][0]["isDefaultAccount"] = json!(true);
    example["items"][1]["isDefaultAccount"] = json!(true);
    example["items"][1]["id"] = json!("acc_second");
    serde_json::to_vec(&example).unwrap()
}

#[test]
fn parse_gives_the_warnings_it_would_otherwise_drop() {
    let id = SchemaId::GetAccountsOutput;
    let bytes = two_defaults();
    let report = validate(id, &bytes);
    assert!(
        report.is_valid() && report.warnings().count() > 0,
        "{report}"
    );
    let (payload, warnings) = parse_with_warnings(id, &bytes, &Options::default()).unwrap();
    assert_eq!(warnings, report);
    assert_eq!(payload, parse(id, &bytes).unwrap());
    // On every example the same verdict and the same report as `validate`.
    for example in examples() {
        let options = Options::default();
        let report = validate_with(example.id, &example.bytes, &options);
        match parse_with_warnings(example.id, &example.bytes, &options) {
            Ok((payload, warnings)) => {
                assert_eq!(warnings, report, "{}", example.path.display());
                assert_eq!(
                    Ok(payload),
                    parse_with(example.id, &example.bytes, &options)
                );
            }
            Err(refusal) => assert_eq!(refusal, report, "{}", example.path.display()),
        }
    }
}

#[test]
fn a_parsed_value_and_a_reader_give_what_the_bytes_give() {
    let options = Options::default();
    for example in examples() {
        let (id, bytes) = (example.id, &example.bytes);
        let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
            continue;
        };
        let what = example.path.display();
        match (parse_value(id, &value, &options), parse(id, bytes)) {
            (Ok((from_value, warnings)), Ok(from_bytes)) => {
                assert_eq!(from_value, from_bytes, "{what}");
                assert_eq!(warnings, validate(id, bytes), "{what}");
            }
            (Err(refusal), Err(_)) => {
                assert_eq!(refusal, validate_value_with(id, &value, &options), "{what}")
            }
            (value, bytes) => panic!(
                "{what}: from a value {:?}, from bytes {:?}",
                value.is_ok(),
                bytes.is_ok()
            ),
        }
        assert_eq!(
            validate_reader(id, &bytes[..], 1 << 20, &options),
            validate(id, bytes),
            "{what}"
        );
        assert_eq!(
            parse_reader(id, &bytes[..], 1 << 20, &options).is_ok(),
            example.verdict == Verdict::Valid,
            "{what}"
        );
        // One byte too many is a limit, whatever the payload.
        let limit = bytes.len() as u64 - 1;
        let refused = validate_reader(id, &bytes[..], limit, &options);
        assert_eq!(refused.diagnostics.len(), 1, "{what}");
        assert_eq!(refused.diagnostics[0].kind, Kind::Limit, "{what}");
        assert_eq!(refused.schema_id, Some(id.as_str()));
        assert!(parse_reader(id, &bytes[..], limit, &options).is_err());
    }
}

#[test]
fn an_mcp_exchange_is_judged_with_pointers_into_it() {
    let data = support::workspace_root().join("crates/bankschema/tests/data/mcp");
    let read = |name: &str| -> Value {
        serde_json::from_slice(&std::fs::read(data.join(name)).unwrap()).unwrap()
    };
    let good = validate_mcp_exchange(&read("good-exchange.json"), &Options::default());
    assert!(good.is_valid(), "{good}");
    let broken = validate_mcp_exchange(&read("broken-exchange.json"), &Options::default());
    assert!(!broken.is_valid());
    for diagnostic in &broken.diagnostics {
        assert!(diagnostic.instance_path.starts_with("/re"), "{broken}");
    }
    // The `structuredContent` is judged against the arguments of the call.
    let mut exchange = read("good-exchange.json");
    exchange["request"]["params"]["arguments"] = json!({"account_type": "Loan"});
    let filtered = validate_mcp_exchange(&exchange, &Options::default());
    assert!(
        filtered
            .diagnostics
            .iter()
            .any(|d| d.rule.as_deref() == Some("bank2ai.filters")
                && d.severity == Severity::Error
                && d.instance_path
                    .starts_with("/response/result/structuredContent/items/")),
        "{filtered}"
    );
}
