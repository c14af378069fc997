//! Hostile input and output, one case per way found to break the command line:
//! each asserts the exit status, a located diagnostic where there is one, that the
//! other files of the call are still reported, and bounded time and memory
//! (generous bounds: the machine is shared; `cargo xtask bench` measures).

#[path = "hostile/commands.rs"]
mod commands;
#[path = "hostile/run.rs"]
mod run;
mod support;

use commands::commands;
use run::{good, run, run_with, text, write, Run};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::root;

/// A limit holds on what is read: a device, a FIFO or a file the size check
/// cannot see is refused after `--max-bytes`, and the other files are still read.
#[test]
fn limits_hold_on_what_is_read() {
    let good = good();
    a_device_is_cut_at_the_limit(&good);
    every_reader_is_cut_at_the_limit();
    a_source_without_end_is_refused();
    a_line_without_end_ends_its_file();
}

/// Asserts that `run` stayed within the time and memory bounds.
fn within(run: &Run, what: &str) {
    assert!(
        run.took < Duration::from_secs(30) && run.peak_mib < 200,
        "{what}: {:?}, {} MiB",
        run.took,
        run.peak_mib
    );
}

/// `/dev/zero` among the files: refused after `--max-bytes`, the other file read.
fn a_device_is_cut_at_the_limit(good: &Path) {
    let zero = run(
        &[
            "validate",
            "--schema",
            "get-accounts.output",
            "--max-bytes",
            "100000",
            "/dev/zero",
            text(good),
        ],
        Stdio::null(),
    );
    assert_eq!(zero.status, Some(1), "{}", zero.stderr);
    assert!(
        zero.stdout
            .contains("the file holds more than 100000 bytes"),
        "{}",
        zero.stdout
    );
    assert!(zero.stdout.contains("--> /dev/zero:1:1"), "{}", zero.stdout);
    assert!(
        zero.stderr
            .contains("2 file(s) checked against get-accounts.output: 1 valid, 1 invalid"),
        "{}",
        zero.stderr
    );
    within(&zero, "validate /dev/zero");
}

/// Standard input, the arguments file, an MCP exchange, a round trip: each
/// bounded the same way.
fn every_reader_is_cut_at_the_limit() {
    for args in [
        &[
            "validate",
            "--schema",
            "get-accounts.output",
            "--max-bytes",
            "1000",
            "-",
        ][..],
        &["validate", "--mcp", "--max-bytes", "1000", "/dev/zero"],
        &[
            "validate",
            "--schema",
            "get-accounts.output",
            "--max-bytes",
            "1000",
            "--input",
            "/dev/zero",
            "-",
        ],
        &[
            "roundtrip",
            "--schema",
            "get-accounts.output",
            "--max-bytes",
            "1000",
            "/dev/zero",
        ],
    ] {
        let zero = run(args, Stdio::from(std::fs::File::open("/dev/zero").unwrap()));
        assert_eq!(zero.status, Some(1), "{args:?}: {}", zero.stderr);
        assert!(
            format!("{}{}", zero.stdout, zero.stderr).contains("more than 1000 bytes"),
            "{args:?}: {}{}",
            zero.stdout,
            zero.stderr
        );
        within(&zero, &format!("{args:?}"));
    }
}

/// A source that never ends is refused at the most a source may hold.
fn a_source_without_end_is_refused() {
    let diff = run(
        &["diff", "/dev/zero", "schemas/get-accounts.tool.json"],
        Stdio::null(),
    );
    assert_eq!(diff.status, Some(2), "{}", diff.stderr);
    assert!(
        diff.stderr.contains("more than 67108864 bytes"),
        "{}",
        diff.stderr
    );
    within(&diff, "diff /dev/zero");
}

/// NDJSON: a line without end is reported, and ends its file.
fn a_line_without_end_ends_its_file() {
    let lines = run(
        &[
            "validate",
            "--schema",
            "get-accounts.output",
            "--ndjson",
            "--max-bytes",
            "1000",
            "/dev/zero",
        ],
        Stdio::null(),
    );
    assert_eq!(lines.status, Some(1), "{}", lines.stderr);
    assert!(
        lines
            .stdout
            .contains("the line is longer than the limit of 1000 bytes"),
        "{}",
        lines.stdout
    );
    within(&lines, "--ndjson /dev/zero");
}

#[test]
fn a_fifo_is_read_no_further_than_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo here: skipped");
        return;
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            if let Ok(mut pipe) = std::fs::OpenOptions::new().write(true).open(&fifo) {
                let block = vec![b' '; 1 << 16];
                // Until the reader goes away: a broken pipe ends it.
                for _ in 0..4096 {
                    if pipe.write_all(&block).is_err() {
                        break;
                    }
                }
            }
        })
    };
    let read = run(
        &[
            "validate",
            "--schema",
            "get-accounts.output",
            "--max-bytes",
            "100000",
            text(&fifo),
        ],
        Stdio::null(),
    );
    writer.join().unwrap();
    assert_eq!(read.status, Some(1));
    assert!(
        read.stdout.contains("holds more than 100000 bytes"),
        "{}",
        read.stdout
    );
    assert!(read.peak_mib < 200, "{} MiB", read.peak_mib);
}

/// `--max-bytes` at its largest does not wrap: an invalid NDJSON file still fails.
#[test]
fn the_largest_limit_does_not_wrap() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bad.ndjson", b"{\"items\": 3}\n");
    for extra in [&["--ndjson"][..], &[]] {
        let mut args = vec![
            "validate",
            "--schema",
            "get-accounts.output",
            "--max-bytes",
            "18446744073709551615",
        ];
        args.extend(extra);
        args.push(text(&file));
        let bad = run(&args, Stdio::null());
        assert_eq!(bad.status, Some(1), "{args:?}: {}", bad.stdout);
        assert!(bad.stdout.contains("bad.ndjson:1:"), "{}", bad.stdout);
    }
}

/// Each file is printed and let go: memory holds one file, not all of them.
#[test]
fn memory_holds_one_file_whatever_their_number() {
    let dir = tempfile::tempdir().unwrap();
    let size = 16 << 20;
    let mut files = Vec::new();
    for i in 0..12 {
        // One long string: the parsed value is as big as the text, no bigger.
        let mut payload = b"{\"items\": 5, \"x\": \"".to_vec();
        payload.resize(size - 2, b'a');
        payload.extend_from_slice(b"\"}");
        files.push(write(dir.path(), &format!("{i}.json"), &payload));
    }
    let mut args = vec![
        "validate",
        "--schema",
        "get-accounts.output",
        "--format",
        "json",
    ];
    args.extend(files.iter().map(|f| text(f)));
    let all = run(&args, Stdio::null());
    assert_eq!(all.status, Some(1));
    let report: serde_json::Value = serde_json::from_str(&all.stdout).unwrap();
    assert_eq!(report["files"].as_array().unwrap().len(), 12);
    // 192 MiB of files; one at a time is a few times 16 MiB.
    assert!(
        all.peak_mib < 150,
        "{} MiB for 12 files of 16 MiB",
        all.peak_mib
    );
}

/// An NDJSON chunk is bounded in bytes, not only in lines: 1,024 lines of 512 KiB
/// are not held at once.
#[test]
fn ndjson_chunks_are_bounded_in_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut line = b"{\"items\": [], \"x\": \"".to_vec();
    line.resize(512 << 10, b'a');
    line.extend_from_slice(b"\"}\n");
    let path = dir.path().join("big.ndjson");
    std::fs::write(&path, line.repeat(160)).unwrap();
    let big = run(
        &[
            "validate",
            "--schema",
            "get-accounts.output",
            "--ndjson",
            "--max-bytes",
            "1048576",
            text(&path),
        ],
        Stdio::null(),
    );
    assert!(
        big.stderr.contains("160 payload(s) checked"),
        "{}",
        big.stderr
    );
    // 80 MiB of lines; a chunk is about one `--max-bytes`.
    assert!(big.peak_mib < 48, "{} MiB", big.peak_mib);
}

/// A closed output ends the run quietly with its status so far; a full one is an
/// error (2); neither panics.
#[test]
fn every_command_survives_a_closed_or_full_output() {
    let good = good();
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.json", b"{\"items\": 3}");
    let out = dir.path().join("generated");
    for (args, status) in &commands(&good, &bad, &out) {
        survives_a_closed_output(args, *status);
        survives_a_full_output(args);
    }
}

/// `args` run with the reading end of its output closed before anything is written:
/// no panic, and the status it would have had.
fn survives_a_closed_output(args: &[&str], status: i32) {
    // The reading end closed before anything is written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_bankschema"))
        .current_dir(root())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let closed = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&closed.stderr);
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert_eq!(
        closed.status.code(),
        Some(status),
        "{args:?} on a closed pipe: {stderr}"
    );
}

/// `args` run with its output on a full disk: no panic, and an error (2).
fn survives_a_full_output(args: &[&str]) {
    let full = run_with(
        args,
        Stdio::null(),
        Stdio::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        ),
    );
    assert!(
        !full.stderr.contains("panicked"),
        "{args:?}: {}",
        full.stderr
    );
    assert_eq!(
        full.status,
        Some(2),
        "{args:?} on a full disk: {}",
        full.stderr
    );
    assert!(
        full.stderr.contains("cannot write the output"),
        "{args:?}: {}",
        full.stderr
    );
}

/// 20,000 invalid items are located in one pass over the text, not one each.
#[test]
fn many_diagnostics_are_located_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let account = r#"{"id": "a", "name": "n", "accountType": "Current", "status": "Bogus"}"#;
    let items = vec![account; 20_000].join(",\n");
    let file = write(
        dir.path(),
        "many.json",
        format!("{{\"items\": [\n{items}\n]}}").as_bytes(),
    );
    let many = run(
        &[
            "validate",
            "--schema",
            "get-accounts.output",
            "--format",
            "json",
            text(&file),
        ],
        Stdio::null(),
    );
    assert_eq!(many.status, Some(1));
    let report: serde_json::Value = serde_json::from_str(&many.stdout).unwrap();
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() >= 20_000, "{}", diagnostics.len());
    // The last item is on the last line but one, where its status stands.
    let last = diagnostics
        .iter()
        .rfind(|d| d["instancePath"] == "/items/19999/status")
        .unwrap();
    assert_eq!(last["line"], 20_001);
    assert_eq!(last["column"], account.find("\"Bogus\"").unwrap() + 1);
    // Found one by one, these took 142 s.
    assert!(many.took < Duration::from_secs(30), "{:?}", many.took);

    // 100,000 duplicate keys: each located, in one pass too.
    let keys: Vec<String> = (0..100_000).map(|_| "\"k\": 1".to_owned()).collect();
    let dup = write(
        dir.path(),
        "dup.json",
        format!("{{\"items\": [], {}}}", keys.join(", ")).as_bytes(),
    );
    let dups = run(
        &[
            "validate",
            "--schema",
            "get-accounts.output",
            "--format",
            "json",
            text(&dup),
        ],
        Stdio::null(),
    );
    assert_eq!(dups.status, Some(1));
    assert!(dups.stdout.matches("duplicate key").count() >= 99_999);
    assert!(dups.took < Duration::from_secs(30), "{:?}", dups.took);
}

/// `check` with 50,000 undocumented properties warns of each, located in one pass
/// (100,000 took past two minutes when each was located alone).
#[test]
fn a_source_with_many_warnings_is_checked_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let properties: serde_json::Map<String, serde_json::Value> = (0..50_000)
        .map(|i| (format!("p{i}"), serde_json::json!({"type": "string"})))
        .collect();
    let tool = serde_json::json!({
        "name": "many",
        "description": "d",
        "inputSchema": {"title": "Many", "type": "object", "properties": properties},
    });
    let source = write(
        dir.path(),
        "schemas/many.tool.json",
        serde_json::to_string_pretty(&tool).unwrap().as_bytes(),
    );
    let checked = run(&["check", "--format", "json", text(&source)], Stdio::null());
    assert_eq!(checked.status, Some(0), "{}", checked.stderr);
    let report: serde_json::Value = serde_json::from_str(&checked.stdout).unwrap();
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 50_000);
    let last = diagnostics
        .iter()
        .find(|d| d["instancePath"] == "/inputSchema/properties/p49999")
        .unwrap();
    // `{`, name, description, `"inputSchema": {`, title, type, `"properties": {`,
    // then three lines a property.
    assert_eq!(last["line"], 8 + 3 * 49_999);
    assert!(checked.took < Duration::from_secs(60), "{:?}", checked.took);
}

/// What a payload's keys hold reaches no terminal or runner as commands.
#[test]
fn every_format_escapes_what_a_payload_smuggles_in() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "evil.json",
        "{\"items\": [], \"x\\u001b[2J\\n::error file=a::pwned\\u202e\": 1, \"x\\u001b[2J\\n::error file=a::pwned\\u202e\": 2}".as_bytes(),
    );
    for format in ["human", "github", "json"] {
        let evil = run(
            &[
                "validate",
                "--schema",
                "get-accounts.output",
                "--format",
                format,
                text(&file),
            ],
            Stdio::null(),
        );
        assert_eq!(evil.status, Some(1));
        assert!(
            !evil.stdout.contains(['\u{1b}', '\u{202e}']),
            "{format}: {:?}",
            evil.stdout
        );
        for line in evil.stdout.lines() {
            assert!(!line.starts_with("::error file=a"), "{format}: {line}");
        }
        if format == "github" {
            assert!(
                evil.stdout.lines().all(|l| l.starts_with("::error file=")),
                "{}",
                evil.stdout
            );
        }
    }
}

/// `check` reads nothing through a link out of the directory it checks, refuses a
/// source with duplicate keys where they stand, and reports every other file.
#[test]
fn check_follows_no_link_out_and_refuses_duplicate_keys() {
    let dir = tempfile::tempdir().unwrap();
    let schemas = dir.path().join("schemas");
    std::fs::create_dir_all(schemas.join("examples/get-accounts.output/valid")).unwrap();
    let secret = write(dir.path(), "secret.json", b"SECRET-FIRST-LINE\n");
    std::os::unix::fs::symlink(
        &secret,
        schemas.join("examples/get-accounts.output/valid/linked.json"),
    )
    .unwrap();
    std::fs::create_dir_all(schemas.join("examples/get-accounts.output/valid/a-directory"))
        .unwrap();
    std::fs::copy(
        good(),
        schemas.join("examples/get-accounts.output/valid/good.json"),
    )
    .unwrap();
    write(&schemas, "dup.tool.json", b"{\"name\": \"dup\",\n \"description\": \"d\", \"description\": \"e\",\n \"inputSchema\": {\"title\": \"D\", \"type\": \"object\"}}");
    write(
        &schemas,
        "bank.openapi.yaml",
        b"openapi: 3.0.3\ninfo: {title: B, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: string\n      type: integer\n",
    );
    let checked = run(&["check", text(&schemas)], Stdio::null());
    assert_eq!(checked.status, Some(1), "{}", checked.stderr);
    assert!(!checked.stdout.contains("SECRET"), "{}", checked.stdout);
    assert!(
        checked.stdout.contains("a link out of"),
        "{}",
        checked.stdout
    );
    for expected in [
        "a-directory:1:1",
        "is a directory",
        "duplicate key `description`",
        "dup.tool.json:2:",
        "duplicate key `type`",
        "bank.openapi.yaml:",
    ] {
        assert!(
            checked.stdout.contains(expected),
            "{expected}: {}",
            checked.stdout
        );
    }
    assert!(
        !checked.stdout.contains("bank.openapi.yaml:1:1"),
        "located: {}",
        checked.stdout
    );
    // The good example is judged, and passes.
    assert!(!checked.stdout.contains("good.json"), "{}", checked.stdout);
    assert!(checked.stderr.contains("checked"), "{}", checked.stderr);
}

/// The small defects: each as its fix has it.
#[test]
fn small_defects() {
    let dir = tempfile::tempdir().unwrap();
    nesting_at_the_limit_is_judged(dir.path());
    ndjson_without_a_payload_fails(dir.path());
    roundtrip_has_its_max_bytes();
    a_yaml_error_is_placed(dir.path());
}

/// Nesting at the limit is judged; one deeper is refused, located.
fn nesting_at_the_limit_is_judged(dir: &Path) {
    let nested = |levels: usize| {
        format!(
            "{{\"items\": {}{}}}",
            "[".repeat(levels - 1),
            "]".repeat(levels - 1)
        )
    };
    let at_limit = write(dir, "127.json", nested(127).as_bytes());
    let deeper = write(dir, "128.json", nested(128).as_bytes());
    let judged = run(
        &[
            "validate",
            "--schema",
            "get-accounts.output",
            text(&at_limit),
            text(&deeper),
        ],
        Stdio::null(),
    );
    assert!(
        !judged.stdout.contains("recursion limit"),
        "{}",
        judged.stdout
    );
    // At the limit, judged by the schema; one deeper, refused where it goes deeper.
    for expected in ["127.json:1:", "nested deeper than 127", "128.json:1:137"] {
        assert!(
            judged.stdout.contains(expected),
            "{expected}: {}",
            judged.stdout
        );
    }
}

/// NDJSON with no payload fails, from a file or a closed input.
fn ndjson_without_a_payload_fails(dir: &Path) {
    let empty = write(dir, "empty.ndjson", b"\n\n");
    for (args, input) in [
        (
            vec![
                "validate",
                "--schema",
                "get-accounts.output",
                "--ndjson",
                text(&empty),
            ],
            Stdio::null(),
        ),
        (
            vec![
                "validate",
                "--schema",
                "get-accounts.output",
                "--ndjson",
                "-",
            ],
            Stdio::null(),
        ),
    ] {
        let none = run(&args, input);
        assert_eq!(none.status, Some(1), "{args:?}");
        assert!(none.stdout.contains("no payload"), "{}", none.stdout);
    }
}

/// roundtrip has the `--max-bytes` its help mentions.
fn roundtrip_has_its_max_bytes() {
    let help = run(&["roundtrip", "--help"], Stdio::null());
    assert!(help.stdout.contains("--max-bytes"), "{}", help.stdout);
    let small = run(
        &[
            "roundtrip",
            "--schema",
            "get-accounts.output",
            "--max-bytes",
            "10",
            text(&good()),
        ],
        Stdio::null(),
    );
    assert_eq!(small.status, Some(1));
    assert!(
        small.stderr.contains("more than the limit of 10"),
        "{}",
        small.stderr
    );
}

/// A YAML error is placed where the parser stopped.
fn a_yaml_error_is_placed(dir: &Path) {
    let schemas = dir.join("y");
    let broken = write(
        &schemas,
        "b.openapi.yaml",
        b"openapi: 3.0.3\ninfo: {title: B, version: '1'\npaths: {}\n",
    );
    let yaml = run(&["check", text(&broken)], Stdio::null());
    assert!(
        yaml.stdout.contains("b.openapi.yaml:3:1"),
        "{}",
        yaml.stdout
    );
}
