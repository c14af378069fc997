//! `cargo xtask`: the workspace's own tasks.
//!
//! - `cargo xtask codegen` regenerates `generated/` from `schemas/`, and the rules
//!   table in README.md;
//! - `cargo xtask codegen --check` writes nothing and fails, naming each stale file,
//!   when `generated/` or that table differs from what `schemas/` gives;
//! - `cargo xtask bench` builds the benchmark and the command line in release
//!   (installing jsonschema-cli into `target/tools` once, for the NDJSON figures)
//!   and runs it: a markdown table on stdout, `target/bench/summary.{json,md,svg}`,
//!   and the same tables in the README's benchmark section (not when
//!   `BANKSCHEMA_BENCH_FILTER` keeps only some cases: a partial table would
//!   replace the whole);
//! - `cargo xtask conformance --suite DIR [--check]` runs the generator on the JSON
//!   Schema Test Suite and writes (or checks) the README's coverage table.

use anyhow::{bail, Context, Result};
use bankschema_codegen::Mode;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod conformance;
mod realworld;

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask bench | cargo xtask conformance --suite DIR [--check] | cargo xtask realworld --specs DIR [--check]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["bench"] => bench(),
        ["conformance", rest @ ..] => conformance::run(rest),
        ["realworld", rest @ ..] => realworld::run(rest),
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        [] => bail!("no task given\n{USAGE}"),
        other => bail!("unknown arguments `{}`\n{USAGE}", other.join(" ")),
    }
}

fn codegen(check: bool) -> Result<ExitCode> {
    let root = workspace_root();
    let mode = if check { Mode::Check } else { Mode::Write };
    let outcome = bankschema_codegen::codegen(&root.join("schemas"), &root.join("generated"), mode)
        .context("codegen stopped; generated/ is unchanged")?;
    let mut stale: Vec<String> = outcome
        .stale
        .iter()
        .map(|file| format!("generated/{file}"))
        .collect();
    if bankschema_codegen::sync_section(
        &root.join("README.md"),
        "cargo xtask codegen",
        &outcome.rules_table,
        mode,
    )? {
        stale.push("README.md: the rules table differs from what schemas/ gives".into());
    }
    match mode {
        Mode::Check if stale.is_empty() => {
            println!(
                "generated/ and the README's rules table are fresh ({} files)",
                outcome.files
            );
            Ok(ExitCode::SUCCESS)
        }
        Mode::Check => {
            for file in &stale {
                eprintln!("stale: {file}");
            }
            eprintln!(
                "{} stale file(s); run `cargo xtask codegen` and commit the result",
                stale.len()
            );
            Ok(ExitCode::FAILURE)
        }
        Mode::Write => {
            for file in &stale {
                println!("updated: {file}");
            }
            println!(
                "generated/: {} files; {} updated",
                outcome.files,
                stale.len()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The one profile benchmarks mean anything in: release, in its own process. The
/// NDJSON figures run the release command line too, and jsonschema-cli, installed
/// into `<target>/tools` when missing (should that fail, the bench runs without it).
fn bench() -> Result<ExitCode> {
    let root = workspace_root();
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = std::process::Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--release", "--quiet", "--package", "bankschema"])
        .status()
        .context("cannot run cargo")?;
    if !built.success() {
        bail!("cannot build the command line in release (`cargo build --release -p bankschema`)");
    }
    install_jsonschema_cli(&cargo, &target.join("tools"));
    let status = std::process::Command::new(&cargo)
        .current_dir(&root)
        .args([
            "run",
            "--release",
            "--quiet",
            "--package",
            "bankschema-bench",
            "--",
            "--out",
        ])
        .arg(target.join("bench"))
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    if std::env::var_os("BANKSCHEMA_BENCH_FILTER").is_some_and(|filter| !filter.is_empty()) {
        println!("README.md left alone: BANKSCHEMA_BENCH_FILTER ran only some cases");
        return Ok(ExitCode::SUCCESS);
    }
    let summary = target.join("bench/summary.md");
    let tables = std::fs::read_to_string(&summary)
        .with_context(|| format!("cannot read {}", summary.display()))?;
    let readme = root.join("README.md");
    bankschema_codegen::sync_section(&readme, "cargo xtask bench", tables.trim_end(), Mode::Write)
        .context("README.md: cannot write the benchmark's tables")?;
    println!("updated: README.md (the benchmark's tables)");
    Ok(ExitCode::SUCCESS)
}

/// The release of jsonschema-cli the NDJSON figures compare with (the bench's
/// `ndjson::JSONSCHEMA_CLI` names the same).
const JSONSCHEMA_CLI: &str = "0.60.2";

/// Installs jsonschema-cli into `tools` unless it is there; a failure is said, not
/// fatal: the bench then reports the figures without it.
fn install_jsonschema_cli(cargo: &std::ffi::OsStr, tools: &Path) {
    let exe = format!("jsonschema-cli{}", std::env::consts::EXE_SUFFIX);
    if tools.join("bin").join(exe).is_file() {
        return;
    }
    eprintln!(
        "installing jsonschema-cli {JSONSCHEMA_CLI} into {} (once; a few minutes)",
        tools.display()
    );
    let installed = std::process::Command::new(cargo)
        .args([
            "install",
            "--locked",
            "--quiet",
            "jsonschema-cli",
            "--version",
        ])
        .arg(JSONSCHEMA_CLI)
        .arg("--root")
        .arg(tools)
        .status();
    match installed {
        Ok(status) if status.success() => {}
        Ok(status) => {
            eprintln!("warning: cargo install jsonschema-cli: {status}; the bench runs without it")
        }
        Err(error) => {
            eprintln!("warning: cannot run cargo install: {error}; the bench runs without it")
        }
    }
}

/// The directory holding the workspace's `Cargo.toml`: xtask's parent.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_owned()
}
