//! `bankschema roundtrip` on every example: valid ones come back equal as JSON
//! (numbers compared by their text), invalid ones fail with their diagnostics.

mod support;

use std::path::{Path, PathBuf};
use support::bankschema;

fn examples(verdict: &str) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/examples");
    let mut found = Vec::new();
    for id in std::fs::read_dir(&root).unwrap() {
        let id = id.unwrap().path();
        let dir = id.join(verdict);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for file in entries {
            let id = id.file_name().unwrap().to_string_lossy().into_owned();
            found.push((id, file.unwrap().path()));
        }
    }
    found.sort();
    found
}

#[test]
fn every_valid_example_comes_back_exactly() {
    let examples = examples("valid");
    assert!(!examples.is_empty());
    for (id, path) in examples {
        let output = bankschema(&["roundtrip", "--schema", &id, path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{}: {stderr}", path.display());
        let input: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(printed, input, "{}", path.display());
    }
}

#[test]
fn every_invalid_example_fails_with_its_diagnostics() {
    for (id, path) in examples("invalid") {
        let output = bankschema(&["roundtrip", "--schema", &id, path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{}", path.display());
        assert!(
            output.stdout.is_empty(),
            "{}: nothing on stdout",
            path.display()
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("not a valid {id} payload")),
            "{stderr}"
        );
        assert!(stderr.contains("error at "), "{stderr}");
    }
}

#[test]
fn exact_amounts_survive_digit_for_digit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("amounts.json");
    let payload = r#"{"items": [{"id": "acc-1", "accountNumber": "12345678", "balance": 12345678901234567.89,
        "availableBalance": 0.10, "currency": "GBP", "balanceUpdatedAt": "2024-03-01T10:30:00.500+01:00",
        "futureField": {"kept": [1, 2.50]}}]}"#;
    std::fs::write(&path, payload).unwrap();
    let output = bankschema(&[
        "roundtrip",
        "--schema",
        "get-accounts.output",
        path.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for text in [
        "\"balance\": 12345678901234567.89",
        "\"availableBalance\": 0.10",
        "\"balanceUpdatedAt\": \"2024-03-01T10:30:00.500+01:00\"",
        "2.50",
    ] {
        assert!(stdout.contains(text), "{text} missing from\n{stdout}");
    }
}

#[test]
fn unknown_schema_id_is_a_usage_error() {
    let output = bankschema(&["roundtrip", "--schema", "get-accounts.outptu", "x.json"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "unknown schema id `get-accounts.outptu`; expected one of: connected-accounts.response"
        ),
        "{stderr}"
    );
}

#[test]
fn missing_file_is_named() {
    let output = bankschema(&[
        "roundtrip",
        "--schema",
        "get-accounts.output",
        "no/such.json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: no/such.json: "));
}
