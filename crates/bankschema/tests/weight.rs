//! What the command line links: built without its `codegen` feature (validate, diff,
//! serve, roundtrip), none of the generator's back end.

use std::collections::BTreeSet;
use std::process::Command;

/// The crates linked into the `bankschema` binary (proc macros and build scripts
/// left out: they run at build time only), by name.
fn linked(features: &[&str]) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "--locked",
            "-p",
            "bankschema",
            "-e",
            "normal,no-proc-macro",
        ])
        .args(["--prefix", "none", "--format", "{p}"])
        .args(features)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn without_codegen_the_command_line_links_no_typify_syn_or_prettyplease() {
    let full = linked(&[]);
    let lean = linked(&["--no-default-features"]);
    for back_end in [
        "bankschema-codegen",
        "typify",
        "syn",
        "prettyplease",
        "quote",
    ] {
        assert!(full.contains(back_end), "{back_end} missing from {full:?}");
        assert!(
            !lean.contains(back_end),
            "{back_end} linked without codegen"
        );
    }
    // `diff` reads sources through the front end, which stays.
    for front_end in ["bankschema-model", "bankschema-validator", "jsonschema"] {
        assert!(
            lean.contains(front_end),
            "{front_end} missing from {lean:?}"
        );
    }
}
