//! `bankschema validate`: its three formats, its exit status, and every kind of bad
//! input, each a diagnostic with a location while the other files are still checked.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::bankschema;

const SEVERAL_FAULTS: &str = "schemas/examples/get-accounts.output/invalid/several-faults.json";
const VALID: &str = "schemas/examples/get-accounts.output/valid/full-credit-card-account.json";

#[test]
fn human_output_quotes_each_offending_value() {
    let output = bankschema(&[
        "validate",
        "--schema",
        "get-accounts.output",
        SEVERAL_FAULTS,
        VALID,
    ]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "2 file(s) checked against get-accounts.output: 1 valid, 1 invalid\n"
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let output = bankschema(&[
        "validate",
        "--schema",
        "get-accounts.output",
        "--format",
        "json",
        SEVERAL_FAULTS,
        VALID,
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["files"][1],
        serde_json::json!({"path": VALID, "valid": true, "diagnostics": []})
    );
    let first = &report["files"][0]["diagnostics"][1];
    assert_eq!(
        *first,
        serde_json::json!({
            "severity": "error", "kind": "schema", "instancePath": "/items/0/currency",
            "schemaPath": "/$defs/Account/properties/currency/pattern", "rule": null,
            "message": "\"£\" does not match \"^[A-Z]{3}$\"", "line": 9, "column": 19
        })
    );
}

#[test]
fn github_output_annotates_lines() {
    let output = bankschema(&[
        "validate",
        "--schema",
        "get-accounts.output",
        "--format",
        "github",
        SEVERAL_FAULTS,
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "::error file={SEVERAL_FAULTS},line=9,col=19,title=bankschema::/items/0/currency: \"£\" does not match \"^[A-Z]{{3}}$\"\n"
        )),
        "{stdout}"
    );
}

#[test]
fn all_valid_exits_zero_and_usage_errors_exit_two() {
    assert_eq!(
        bankschema(&["validate", "--schema", "get-accounts.output", VALID])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        bankschema(&["validate", "--schema", "no.such", VALID])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        bankschema(&[
            "validate",
            "--schema",
            "get-accounts.output",
            "--frobnicate",
            VALID
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        bankschema(&[
            "validate",
            "--schema",
            "get-accounts.output",
            "--max-depth",
            "500",
            VALID
        ])
        .status
        .code(),
        Some(2)
    );
}

/// Every kind of bad input gets its own diagnostic with a location; none stops the
/// others; nothing panics.
#[test]
fn bad_input_is_diagnosed_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases = bad_files(dir.path());
    let mut args = vec![
        "validate",
        "--schema",
        "get-accounts.output",
        "--format",
        "json",
    ];
    args.extend(cases.iter().map(|(path, _)| path.to_str().unwrap()));
    args.push(VALID);
    let output = bankschema(&args);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), cases.len() + 1, "every file is reported");
    each_is_diagnosed_where_it_stands(&cases, files);
    assert_eq!(
        files.last().unwrap()["valid"],
        true,
        "the valid file after them is still checked"
    );
    each_says_what_it_is_about(files);
    // The limits can be changed.
    let raised = bankschema(&[
        "validate",
        "--schema",
        "get-accounts.output",
        "--max-bytes",
        "10",
        VALID,
    ]);
    assert!(String::from_utf8_lossy(&raised.stdout).contains("more than the limit of 10"));
}

/// One file of each kind of bad input under `dir`, and what its diagnostic says.
fn bad_files(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let write = |name: &str, bytes: &[u8]| -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let valid = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(VALID),
    )
    .unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&valid);
    let huge = dir.join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(200_000_000)
        .unwrap();
    vec![
        (
            dir.join("missing.json"),
            "cannot read the file: No such file or directory",
        ),
        (dir.to_owned(), "is a directory"),
        (write("empty.json", b""), "empty file"),
        (
            write("latin1.json", b"{\"items\": [], \"n\": \"caf\xe9\"}"),
            "invalid UTF-8",
        ),
        (write("bom.json", &bom), "byte-order mark"),
        (
            write("trailing.json", b"{\"items\": []} garbage"),
            "malformed JSON: trailing characters",
        ),
        (
            write("duplicate.json", b"{\"items\": [],\n \"items\": []}"),
            "duplicate key `items`",
        ),
        (
            write("deep.json", "[".repeat(100_000).as_bytes()),
            "nested deeper than 127",
        ),
        (
            huge.clone(),
            "more than the limit of 67108864 (--max-bytes)",
        ),
        (
            write("big-number.json", b"{\"items\": [], \"x\": 1e400}"),
            "number 1e400 is out of range",
        ),
        (
            write("surrogate.json", b"{\"items\": [], \"x\": \"\\ud800\"}"),
            "lone surrogate `\\ud800`",
        ),
    ]
}

/// Each of `files` (as reported) is invalid, with the diagnostic its case expects,
/// located.
fn each_is_diagnosed_where_it_stands(cases: &[(PathBuf, &str)], files: &[Value]) {
    for ((path, expected), file) in cases.iter().zip(files) {
        assert_eq!(file["valid"], false, "{}", path.display());
        let diagnostic = &file["diagnostics"][0];
        let message = diagnostic["message"].as_str().unwrap();
        assert!(message.contains(expected), "{}: {message}", path.display());
        assert!(
            diagnostic["line"].as_u64().unwrap() >= 1
                && diagnostic["column"].as_u64().unwrap() >= 1,
            "{file}"
        );
    }
}

/// What the reports of the bad files say of each: its line, its kind, its pointer.
fn each_says_what_it_is_about(files: &[Value]) {
    // The duplicate is the second `items`, on line 2.
    assert_eq!(files[6]["diagnostics"][0]["line"], 2);
    // Each says what it is about: a limit, or text that is not a payload's JSON.
    let kind = |name: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .map(|f| f["diagnostics"][0]["kind"].clone())
    };
    assert_eq!(kind("deep.json"), Some("limit".into()));
    assert_eq!(kind("duplicate.json"), Some("malformed".into()));
    assert_eq!(kind("trailing.json"), Some("malformed".into()));
    // Text-level refusals stand at the value's pointer, and the value is judged
    // once: `1e400` is out of range, not also of the wrong type.
    for (name, pointer) in [("surrogate.json", "/x"), ("big-number.json", "/x")] {
        let file = files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap();
        assert_eq!(file["diagnostics"][0]["instancePath"], pointer, "{file}");
        assert_eq!(file["diagnostics"].as_array().unwrap().len(), 1, "{file}");
    }
    // The byte-order mark is reported, and the payload after it is still checked.
    assert_eq!(files[4]["diagnostics"].as_array().unwrap().len(), 1);
}

const FULL_CARD_NUMBER: &str =
    "crates/bankschema/tests/data/redaction/full-card-number-and-bad-iban.json";
const PAN: &str = "4751291234564821";
const BAD_IBAN: &str = "GB29NWBK60161331926818";

/// Everything a run printed, stdout then stderr.
fn printed(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `validate` on a payload with a card number and an IBAN in full, in `format`.
fn validate_full_card_number(format: &str, show_values: bool) -> String {
    let mut args = vec![
        "validate",
        "--schema",
        "get-accounts.output",
        "--format",
        format,
    ];
    if show_values {
        args.push("--show-values");
    }
    args.push(FULL_CARD_NUMBER);
    let output = bankschema(&args);
    assert_eq!(output.status.code(), Some(1));
    printed(&output)
}

#[test]
fn json_and_github_reports_mask_card_numbers_and_ibans_unless_values_show() {
    for format in ["json", "github"] {
        let masked = validate_full_card_number(format, false);
        for whole in [PAN, BAD_IBAN, "1234564", "NWBK6016"] {
            assert!(!masked.contains(whole), "{format}: `{whole}` in\n{masked}");
        }
        assert!(masked.contains("475129******4821"), "{format}: {masked}");
        assert!(masked.contains("GB29…6818"), "{format}: {masked}");
        assert!(masked.contains("bank2ai.masked-pan"), "{format}: {masked}");
        assert!(masked.contains("/items/0/maskedPan"), "{format}: {masked}");
        let shown = validate_full_card_number(format, true);
        assert!(shown.contains(PAN) && shown.contains(BAD_IBAN), "{shown}");
    }
    // `roundtrip` prints the report of a payload it refuses: masked alike.
    let roundtrip = |show: &[&str]| {
        let mut args = vec!["roundtrip", "--schema", "get-accounts.output"];
        args.extend(show);
        args.push(FULL_CARD_NUMBER);
        let output = bankschema(&args);
        assert_eq!(output.status.code(), Some(1));
        printed(&output)
    };
    let masked = roundtrip(&[]);
    assert!(
        !masked.contains(PAN) && !masked.contains(BAD_IBAN),
        "{masked}"
    );
    assert!(masked.contains("475129******4821"), "{masked}");
    let shown = roundtrip(&["--show-values"]);
    assert!(shown.contains(PAN) && shown.contains(BAD_IBAN), "{shown}");
}

#[test]
fn human_reports_mask_card_numbers_and_ibans_unless_values_show() {
    let masked = validate_full_card_number("human", false);
    for whole in [PAN, BAD_IBAN, "1234564", "NWBK6016"] {
        assert!(!masked.contains(whole), "`{whole}` in\n{masked}");
    }
    assert!(masked.contains("475129******4821"), "{masked}");
    assert!(masked.contains("GB29…6818"), "{masked}");
    let shown = validate_full_card_number("human", true);
    assert!(shown.contains(PAN) && shown.contains(BAD_IBAN), "{shown}");
}
