//! `bankschema rules`, and the prose rules in `bankschema validate`: `--allow`,
//! `--input` (the call a tool's output answers) and `--mcp` (a whole exchange).

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::Output;
use support::bankschema;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const OUTPUT: &str =
    "schemas/examples/get-accounts.output/valid/full-current-account-with-debit-card.json";
const GOOD_EXCHANGE: &str = "crates/bankschema/tests/data/mcp/good-exchange.json";
const BROKEN_EXCHANGE: &str = "crates/bankschema/tests/data/mcp/broken-exchange.json";

#[test]
fn rules_lists_every_rule_and_the_readme_carries_the_same_table() {
    let output = bankschema(&["rules"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&output));

    let json: Value =
        serde_json::from_slice(&bankschema(&["rules", "--format", "json"]).stdout).unwrap();
    let rules = json["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 12);
    for rule in rules {
        assert!(
            !rule["governs"].as_array().unwrap().is_empty(),
            "{rule}: governs nothing"
        );
        assert!(["error", "warning"].contains(&rule["severity"].as_str().unwrap()));
    }

    let table = stdout(&bankschema(&["rules", "--format", "markdown"]));
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    assert!(table.starts_with("| Rule | Severity |"));
    assert!(readme.contains(&table), "README.md's rules table is not `bankschema rules --format markdown`; run `cargo xtask codegen`");
}

#[test]
fn allow_turns_a_rule_off_and_unknown_ids_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let payload = dir.path().join("bad-iban.json");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(OUTPUT),
    )
    .unwrap();
    std::fs::write(
        &payload,
        text.replace("GB29NWBK60161331926819", "GB28NWBK60161331926819"),
    )
    .unwrap();
    let payload = payload.to_str().unwrap();

    let output = bankschema(&[
        "validate",
        "--schema",
        "get-accounts.output",
        "--format",
        "json",
        payload,
    ]);
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostic = &json["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["rule"], "iso13616.iban");
    assert_eq!(diagnostic["instancePath"], "/items/0/iban");
    assert_eq!(
        (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
        (Some(35), Some(15))
    );

    let allowed = bankschema(&[
        "validate",
        "--schema",
        "get-accounts.output",
        "--allow",
        "iso13616.iban",
        payload,
    ]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stdout(&allowed));

    let unknown = bankschema(&[
        "validate",
        "--schema",
        "get-accounts.output",
        "--allow",
        "iban",
        payload,
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown rule `iban`"));
}

#[test]
fn input_feeds_the_filter_rule() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.json");
    std::fs::write(
        &input,
        r#"{"account_type": "Savings", "usage": "Business"}"#,
    )
    .unwrap();
    let input = input.to_str().unwrap();
    let output = bankschema(&[
        "validate",
        "--schema",
        "get-accounts.output",
        "--input",
        input,
        "--format",
        "json",
        OUTPUT,
    ]);
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    // The input file is checked too, and comes first.
    assert_eq!(files[0]["path"], input);
    assert_eq!(files[0]["valid"], true);
    let found: Vec<(&str, &str, &str)> = files[1]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap(),
                d["rule"].as_str().unwrap(),
                d["instancePath"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("error", "bank2ai.filters", "/items/0/accountType"),
            ("warning", "bank2ai.filters", "/items/0/usage"),
        ]
    );

    let invalid_input = dir.path().join("invalid-input.json");
    std::fs::write(&invalid_input, r#"{"account_type": "Cheque"}"#).unwrap();
    let output = bankschema(&[
        "validate",
        "--schema",
        "get-accounts.output",
        "--input",
        invalid_input.to_str().unwrap(),
        OUTPUT,
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "an invalid input file fails the run"
    );

    let output = bankschema(&[
        "validate",
        "--schema",
        "connected-accounts.response",
        "--input",
        input,
        OUTPUT,
    ]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "only a tool's output answers a call"
    );
}

#[test]
fn mcp_checks_a_whole_exchange() {
    let good = bankschema(&["validate", "--mcp", GOOD_EXCHANGE]);
    assert_eq!(good.status.code(), Some(0), "{}", stdout(&good));

    let broken = bankschema(&["validate", "--mcp", BROKEN_EXCHANGE]);
    assert_eq!(broken.status.code(), Some(1));
    insta::assert_snapshot!("mcp_human", stdout(&broken));
    let json = bankschema(&["validate", "--mcp", "--format", "json", BROKEN_EXCHANGE]);
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    insta::assert_json_snapshot!("mcp_json", json);

    let conflicting = bankschema(&[
        "validate",
        "--mcp",
        "--schema",
        "get-accounts.output",
        GOOD_EXCHANGE,
    ]);
    assert_eq!(conflicting.status.code(), Some(2));
}

#[test]
fn mcp_refuses_what_is_not_an_exchange() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("not-an-exchange.json", r#"{"jsonrpc": "2.0"}"#, ""),
        (
            "unknown-tool.json",
            r#"{"request": {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get-loans"}},
                "response": {"jsonrpc": "2.0", "id": 1, "result": {}}}"#,
            "/request/params/name",
        ),
        (
            "json-rpc-error.json",
            r#"{"request": {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get-accounts"}},
                "response": {"jsonrpc": "2.0", "id": 1, "error": {"code": -32602, "message": "bad"}}}"#,
            "/response",
        ),
        (
            "no-structured-content.json",
            r#"{"request": {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get-accounts"}},
                "response": {"jsonrpc": "2.0", "id": 1, "result": {"content": []}}}"#,
            "/response/result",
        ),
    ];
    for (name, text, pointer) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let output = bankschema(&[
            "validate",
            "--mcp",
            "--format",
            "json",
            path.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        let diagnostics = json["files"][0]["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.len(), 1, "{name}: {diagnostics:?}");
        assert_eq!(diagnostics[0]["instancePath"], pointer, "{name}");
    }
}
