//! `bankschema validate --ndjson`: what the text of a line shows (a duplicate key, a
//! byte-order mark, invalid UTF-8, nesting, a number out of range) is refused at
//! that line, and lines are reported in input order, numbered in their file,
//! however the file is cut up for judging.

mod support;

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use support::{bankschema, root};

const GOOD: &str =
    r#"{"items": [{"id": "a", "accountNumber": "1", "currency": "GBP", "balance": 1.5}]}"#;

/// `GOOD` with `member` (`"x": ...`, an unknown member: allowed) in its account.
fn good_with(member: &[u8]) -> Vec<u8> {
    let mut line = GOOD.as_bytes()[..GOOD.len() - 3].to_vec();
    line.extend_from_slice(b", ");
    line.extend_from_slice(member);
    line.extend_from_slice(b"}]}");
    line
}

/// `"x": [[...[1]...]]`, `levels` arrays deep.
fn nested(levels: usize) -> Vec<u8> {
    format!("\"x\": {}1{}", "[".repeat(levels), "]".repeat(levels)).into_bytes()
}

/// `validate --ndjson --format json` of `lines` (joined by newlines) with `extra`
/// flags: the objects printed, and standard error.
fn judge(lines: &[Vec<u8>], extra: &[&str]) -> (Vec<Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lines.ndjson");
    std::fs::write(&path, lines.join(&b"\n"[..])).unwrap();
    let output = validate_ndjson(&path, extra);
    let printed = printed_objects(&output);
    (
        printed,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `validate --ndjson --format json` of the file `path`, with `extra` flags.
fn validate_ndjson(path: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "validate",
        "--schema",
        "get-accounts.output",
        "--ndjson",
        "--format",
        "json",
    ];
    args.extend(extra);
    args.push(path.to_str().unwrap());
    bankschema(&args)
}

/// The JSON objects `output` printed, one per line.
fn printed_objects(output: &std::process::Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn ndjson_checks_every_line_and_prints_the_invalid_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("payloads.ndjson");
    let bad = GOOD.replace("GBP", "gbp");
    std::fs::write(
        &path,
        format!("{GOOD}\n{GOOD}\n\n{bad}\n{GOOD}\nnot json\n"),
    )
    .unwrap();
    let output = validate_ndjson(&path, &[]);
    assert_eq!(output.status.code(), Some(1));
    let lines = printed_objects(&output);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["diagnostics"][0]["line"], 4);
    assert_eq!(lines[0]["diagnostics"][0]["column"], 58);
    assert_eq!(lines[1]["diagnostics"][0]["line"], 6);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "5 payload(s) checked against get-accounts.output: 3 valid, 2 invalid\n"
    );
}

/// The line of the first diagnostic of `result` whose message holds `words`.
fn line_of(result: &Value, words: &str) -> Option<u64> {
    result["diagnostics"]
        .as_array()?
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains(words)))
        .and_then(|d| d["line"].as_u64())
}

#[test]
fn every_text_refusal_is_reported_at_its_line() {
    let lines = [
        GOOD.as_bytes().to_vec(),
        good_with(br#""currency": "GBP""#),
        [&b"\xEF\xBB\xBF"[..], GOOD.as_bytes()].concat(),
        good_with(b"\"x\": \"\xFF\""),
        good_with(br#""x": 1e400"#),
        good_with(br#""x": "\ud800""#),
        // Three levels to the account's members: 3 + 125 is one past the limit,
        // 3 + 124 is at it.
        good_with(&nested(125)),
        good_with(&nested(124)),
        format!("{GOOD}\r").into_bytes(),
        Vec::new(),
        GOOD.as_bytes().to_vec(),
    ];
    let (printed, stderr) = judge(&lines, &[]);
    let expected = [
        (2, "duplicate key `currency`"),
        (3, "byte-order mark"),
        (4, "invalid UTF-8"),
        (5, "number 1e400 is out of range"),
        (6, "lone surrogate"),
        (7, "nested deeper than 127"),
    ];
    assert_eq!(printed.len(), expected.len(), "{printed:#?}");
    for (result, (line, words)) in printed.iter().zip(expected) {
        assert_eq!(result["valid"], false, "{result}");
        assert_eq!(line_of(result, words), Some(line), "{words}: {result}");
    }
    assert_eq!(
        stderr,
        "10 payload(s) checked against get-accounts.output: 4 valid, 6 invalid\n"
    );
}

#[test]
fn a_lower_max_depth_is_held_to() {
    let lines = [
        GOOD.as_bytes().to_vec(),
        good_with(&nested(3)),
        good_with(&nested(2)),
    ];
    let (printed, stderr) = judge(&lines, &["--max-depth", "5"]);
    assert_eq!(printed.len(), 1, "{printed:#?}");
    assert_eq!(line_of(&printed[0], "nested deeper than 5"), Some(2));
    assert!(stderr.contains("3 payload(s)"), "{stderr}");
    // The same lines at the default depth are all valid.
    let (printed, _) = judge(&lines, &[]);
    assert!(printed.is_empty(), "{printed:#?}");
}

/// Megabytes of lines are judged in parts on several threads: the invalid ones
/// are still reported in input order, each at its own line.
#[test]
fn lines_are_reported_in_order_across_a_large_file() {
    let bad = GOOD.replace("GBP", "gbp");
    let mut lines = Vec::new();
    let (mut expected, mut blank) = (Vec::new(), 0);
    for n in 1..=40_000usize {
        let line = match n {
            n if n % 997 == 0 => {
                expected.push(n as u64);
                format!("{bad} ")
            }
            n if n % 1_001 == 0 => {
                blank += 1;
                String::new()
            }
            n if n % 3 == 0 => format!("{GOOD}\r"),
            _ => GOOD.to_owned(),
        };
        lines.push(line.into_bytes());
    }
    let (printed, stderr) = judge(&lines, &[]);
    let reported: Vec<u64> = printed
        .iter()
        .map(|r| r["diagnostics"][0]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(reported, expected);
    assert_eq!(
        stderr,
        format!(
            "{} payload(s) checked against get-accounts.output: {} valid, {} invalid\n",
            40_000 - blank,
            40_000 - blank - expected.len(),
            expected.len()
        )
    );
}

/// Several inputs, standard input among them: each numbered from its own first
/// line, in the order given; one that cannot be read is reported, and the others
/// are still judged.
#[test]
fn several_files_and_standard_input_keep_their_own_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let bad = GOOD.replace("GBP", "gbp");
    let first = dir.path().join("first.ndjson");
    std::fs::write(&first, format!("{GOOD}\n{bad}\n")).unwrap();
    let missing = dir.path().join("missing.ndjson");
    let mut child = Command::new(env!("CARGO_BIN_EXE_bankschema"))
        .current_dir(root())
        .args(["validate", "--schema", "get-accounts.output", "--ndjson"])
        .args(["--format", "json"])
        .args([&first, &missing, Path::new("-")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = format!("{bad}\n\n{GOOD}\n{bad}");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let printed = printed_objects(&output);
    let places: Vec<(String, u64)> = printed
        .iter()
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_string_lossy();
            (
                name.into_owned(),
                r["diagnostics"][0]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("first.ndjson", 2),
        ("missing.ndjson", 1),
        ("<stdin>", 1),
        ("<stdin>", 4),
    ];
    let expected: Vec<(String, u64)> = expected
        .iter()
        .map(|(name, line)| (name.to_string(), *line))
        .collect();
    assert_eq!(places, expected);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "5 payload(s) checked against get-accounts.output: 1 valid, 4 invalid\n"
    );
}
