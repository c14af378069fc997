//! The scratch workspace under `target/conformance`: the accepted schemas rendered
//! into it with a runner, built and run on every case. Its manifests and the README
//! table's sync are shared with `cargo xtask realworld`.

use super::Group;
use anyhow::{bail, Context, Result};
use bankschema_codegen::{model::Api, Mode};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the runner found for one case.
#[derive(Debug, serde::Deserialize)]
pub(super) struct Outcome {
    pub(super) case: usize,
    /// The full report's verdict.
    pub(super) valid: bool,
    /// `parse` returned the typed value.
    pub(super) parsed: bool,
    /// The report on the bytes equals the one on a `serde_json::Value`.
    pub(super) value_report: bool,
    /// The typed value wrote back as the same JSON.
    pub(super) round_trip: bool,
    /// When `parse` refused: its report equals the full report.
    pub(super) same_report: bool,
    /// The first diagnostic of the full report, or parse's when it alone refused.
    pub(super) message: Option<String>,
    pub(super) panic: Option<String>,
}

/// Renders the accepted schemas into `target/conformance`, builds the runner and
/// runs it on every case; the outcomes by schema id.
pub(super) fn compile_and_run(
    root: &Path,
    groups: &[Group],
    apis: &[Api],
) -> Result<BTreeMap<String, Vec<Outcome>>> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("conformance");
    let workspace = target.join("workspace");
    let files = bankschema_codegen::output::render(apis)
        .context("rendering the accepted schemas together")?;
    bankschema_codegen::output::write(&workspace.join("generated"), &files)?;
    write_if_changed(&workspace.join("Cargo.toml"), &manifest(root)?)?;
    write_if_changed(
        &workspace.join("runner/Cargo.toml"),
        &runner_manifest("conformance-runner", &[]),
    )?;
    write_if_changed(&workspace.join("runner/src/main.rs"), RUNNER)?;
    let lock = workspace.join("Cargo.lock");
    if !lock.exists() {
        // The workspace's own resolution, so the scratch build uses the same versions.
        std::fs::copy(root.join("Cargo.lock"), &lock).context("copying Cargo.lock")?;
    }
    let accepted: BTreeSet<&str> = apis
        .iter()
        .flat_map(|api| api.messages.iter().map(|m| m.id.as_str()))
        .collect();
    let cases: serde_json::Map<String, Value> = groups
        .iter()
        .filter(|g| accepted.contains(g.id.as_str()))
        .map(|g| {
            let data = g.cases.iter().map(|c| c.data.clone()).collect();
            (g.id.clone(), Value::Array(data))
        })
        .collect();
    let cases_path = target.join("cases.json");
    std::fs::write(&cases_path, serde_json::to_vec(&Value::Object(cases))?)
        .with_context(|| format!("cannot write {}", cases_path.display()))?;

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .arg("build")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .args(["--package", "conformance-runner"])
        // A target directory of its own: the scratch crates share their names with
        // the real generated ones.
        .env("CARGO_TARGET_DIR", target.join("target"))
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!(
            "the code generated for the suite does not compile (see above); that is a generator bug. The scratch workspace is {}",
            workspace.display()
        );
    }
    let runner = target.join("target/debug/conformance-runner");
    let output = Command::new(&runner)
        .arg(&cases_path)
        .output()
        .with_context(|| format!("cannot run {}", runner.display()))?;
    if !output.status.success() {
        bail!(
            "the conformance runner failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let results: BTreeMap<String, Vec<Outcome>> = serde_json::from_slice(&output.stdout)
        .context("reading the conformance runner's output")?;
    Ok(results)
}

/// The scratch workspace's manifest: the real workspace's package settings,
/// dependencies and profiles, with paths made absolute and the generated crates
/// pointing at the scratch ones.
pub(crate) fn manifest(root: &Path) -> Result<String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).context("reading Cargo.toml")?;
    let Some(start) = text.find("[workspace.package]") else {
        bail!("Cargo.toml: expected a [workspace.package] table");
    };
    let shared = text[start..]
        .replace("path = \"generated/", "path = \"GENERATED/")
        .replace("path = \"", &format!("path = \"{}/", root.display()))
        .replace(
            &format!("path = \"{}/GENERATED/", root.display()),
            "path = \"generated/",
        );
    Ok(format!(
        "# Written by `cargo xtask conformance`: a scratch workspace for the generated\n\
         # code of the JSON Schema Test Suite.\n\
         [workspace]\nresolver = \"2\"\n\
         members = [\"generated/bankschema-types\", \"generated/bankschema-validator\", \"runner\"]\n\n\
         {shared}"
    ))
}

pub(crate) fn write_if_changed(path: &Path, contents: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

/// Writes (or with `check` compares) the README section `command` generates; true
/// when `check` finds it differs. `what` names the table, `run` the command that
/// writes it.
pub(crate) fn sync_table(
    root: &Path,
    command: &str,
    table: &str,
    check: bool,
    what: &str,
    run: &str,
) -> Result<bool> {
    let mode = if check { Mode::Check } else { Mode::Write };
    let stale = bankschema_codegen::sync_section(&root.join("README.md"), command, table, mode)?;
    if stale && check {
        eprintln!("README.md: the {what} differs from what this run gives; run `{run}` and commit the result");
    } else if stale {
        println!("updated: README.md ({what})");
    }
    Ok(stale && check)
}

/// The manifest of a scratch workspace's runner, `name`, which reads cases through
/// the generated validator.
/// The runner's manifest: the generated validator, serde_json and the workspace
/// crates in `more`.
pub(crate) fn runner_manifest(name: &str, more: &[&str]) -> String {
    let more: String = more
        .iter()
        .map(|dependency| format!("{dependency}.workspace = true\n"))
        .collect();
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition.workspace = true\npublish = false\n\n\
         [dependencies]\nbankschema-validator.workspace = true\nserde_json.workspace = true\n{more}"
    )
}

/// Runs every case through the generated validator; prints the outcomes as JSON.
const RUNNER: &str = r#"//! Written by `cargo xtask conformance`.
use bankschema_validator::{parse, validate, validate_value, SchemaId};
use serde_json::{json, Map, Value};

fn main() {
    let path = std::env::args().nth(1).expect("usage: conformance-runner CASES.json");
    let text = std::fs::read_to_string(&path).expect("cannot read the cases");
    let cases: Map<String, Value> = serde_json::from_str(&text).expect("cases are JSON");
    std::panic::set_hook(Box::new(|_| {}));
    let mut out = Map::new();
    for id in SchemaId::ALL {
        let Some(Value::Array(datas)) = cases.get(id.as_str()) else { continue };
        let outcomes: Vec<Value> = datas
            .iter()
            .enumerate()
            .map(|(case, data)| {
                match std::panic::catch_unwind(|| run(id, data)) {
                    Ok(mut outcome) => {
                        outcome["case"] = json!(case);
                        outcome
                    }
                    Err(panic) => {
                        let message = panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
                        json!({"case": case, "valid": false, "parsed": false, "round_trip": false,
                               "same_report": false, "value_report": false, "message": null,
                               "panic": message})
                    }
                }
            })
            .collect();
        out.insert(id.as_str().to_owned(), Value::Array(outcomes));
    }
    println!("{}", Value::Object(out));
}

fn run(id: SchemaId, data: &Value) -> Value {
    let bytes = serde_json::to_vec(data).expect("a Value serialises");
    let report = validate(id, &bytes);
    let first = |r: &bankschema_validator::Report| r.errors().next().map(|d| d.to_string());
    let (parsed, round_trip, same_report, message) = match parse(id, &bytes) {
        Ok(payload) => {
            let back = serde_json::to_value(&payload).ok();
            (true, back.as_ref() == Some(data), false, first(&report))
        }
        Err(refused) => {
            let message = first(&report).or_else(|| first(&refused));
            (false, false, refused == report, message)
        }
    };
    // The report made on the typed value or on raw JSON, as a `Value` would give it.
    let value_report = validate_value(id, data) == report;
    json!({"valid": report.is_valid(), "parsed": parsed, "round_trip": round_trip,
           "same_report": same_report, "value_report": value_report, "message": message,
           "panic": null})
}
"#;
