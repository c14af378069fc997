//! `cargo xtask realworld --specs DIR [--check]`: the generator on published specs
//! nobody here wrote.
//!
//! Each spec of [`SPECS`] is copied byte for byte from `DIR` into a scratch
//! `schemas/` as `<api>.openapi.yaml`, beside its overlay from `tests/realworld/`
//! (which selects the messages and says what bankschema needs). The generated crates
//! are compiled with `-D warnings` in a scratch workspace, and every example the spec
//! gives for a selected message is run through them: its verdict, and for a valid one
//! the round trip, again with an unknown member added to each object the schema
//! leaves open. The verdicts become the README's table (`--check` compares it).
//!
//! With `--all`, the overlay is made here instead: it selects every JSON response and
//! request body of each spec (figures only; the README's table is left alone).

use crate::conformance::{manifest, runner_manifest, sync_table, write_if_changed};
use anyhow::{bail, Context, Result};
use bankschema_codegen::model::Api;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// API name -> the publisher's file in the specs directory.
const SPECS: [(&str, &str); 2] = [
    (
        "berlin-group",
        "berlin-group-nextgenpsd2-1.3.11.openapi.yaml",
    ),
    ("plaid", "plaid-2020-09-14.openapi.yml"),
];

const USAGE: &str =
    "usage: cargo xtask realworld --specs <directory of published specs> [--check | --all]";

pub fn run(args: &[&str]) -> Result<ExitCode> {
    let (specs, check, all) = parse_args(args)?;
    let root = crate::workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("realworld");
    // One target directory for both selections: the dependencies build once.
    let workspace = target.join(if all { "workspace-all" } else { "workspace" });
    let schemas = workspace.join("schemas");
    if schemas.exists() {
        std::fs::remove_dir_all(&schemas)
            .with_context(|| format!("cannot empty {}", schemas.display()))?;
    }
    std::fs::create_dir_all(&schemas)
        .with_context(|| format!("cannot create {}", schemas.display()))?;
    let mut apis = Vec::new();
    for (api, file) in SPECS {
        let copy = copy_spec(&root, &specs, &schemas, api, file, all)?;
        apis.push(read_spec(api, &copy)?);
    }
    let cases_path = write_workspace(&root, &target, &workspace, &schemas, &apis)?;
    let results = build_and_run(&target, &workspace, &cases_path)?;
    let mut failed = round_trip_failures(&results);
    let table = table(&apis, &results);
    if all {
        print_all(&table, &results);
        return Ok(if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    println!("{table}");
    let run = format!("cargo xtask realworld --specs {}", specs.display());
    failed |= sync_table(
        &root,
        "cargo xtask realworld",
        &table,
        check,
        "published specs' table",
        &run,
    )?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The specs directory, `--check` and `--all`, from the command's arguments.
fn parse_args(args: &[&str]) -> Result<(PathBuf, bool, bool)> {
    let mut specs = None;
    let (mut check, mut all) = (false, false);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--specs" => specs = rest.next().map(PathBuf::from),
            "--check" => check = true,
            "--all" => all = true,
            _ => bail!(USAGE),
        }
    }
    let Some(specs) = specs else { bail!(USAGE) };
    if check && all {
        bail!(USAGE);
    }
    Ok((specs, check, all))
}

/// Copies the spec `file` from `specs` into `schemas` as `api`'s, beside its
/// overlay: the one of `tests/realworld/`, or with `all` one selecting every JSON
/// message. The copy's path.
fn copy_spec(
    root: &Path,
    specs: &Path,
    schemas: &Path,
    api: &str,
    file: &str,
    all: bool,
) -> Result<PathBuf> {
    let vendor = specs.join(file);
    let bytes =
        std::fs::read(&vendor).with_context(|| format!("cannot read {}", vendor.display()))?;
    let copy = schemas.join(format!("{api}.openapi.yaml"));
    std::fs::write(&copy, &bytes)?;
    if all {
        let document = bankschema_codegen::load::load_file(&copy)?;
        let bankschema_codegen::load::Document::OpenApi { raw, .. } = &document.document else {
            bail!("{}: not an OpenAPI document", vendor.display());
        };
        let overlay = select_all(api, raw);
        std::fs::write(
            schemas.join(format!("{api}.overlay.json")),
            serde_json::to_vec_pretty(&overlay)?,
        )?;
    } else {
        let overlay = format!("{api}.overlay.yaml");
        std::fs::copy(
            root.join("tests/realworld").join(&overlay),
            schemas.join(&overlay),
        )
        .with_context(|| format!("cannot copy tests/realworld/{overlay}"))?;
    }
    Ok(copy)
}

/// The API the spec `copy` and its overlay make, its figures printed.
fn read_spec(api: &str, copy: &Path) -> Result<Api> {
    let started = Instant::now();
    let read = bankschema_codegen::read_api(copy).with_context(|| api.to_owned())?;
    let types = bankschema_codegen::types::emit(&read)?;
    let lines = prettyplease::unparse(&types.file).lines().count();
    let rust_types = types
        .file
        .items
        .iter()
        .filter(|item| matches!(item, syn::Item::Struct(_) | syn::Item::Enum(_)))
        .count();
    println!(
        "{api}: {} messages, {} definitions, {rust_types} Rust types in {} lines, {} warnings, read and typed in {:.2} s",
        read.messages.len(),
        read.defs.len(),
        lines,
        read.warnings.len(),
        started.elapsed().as_secs_f64()
    );
    for warning in &read.warnings {
        println!("  warning: at {}: {}", warning.pointer, warning.message);
    }
    Ok(read)
}

/// Generates the crates of `schemas` into the scratch `workspace`, with its
/// manifests and runner, and writes the examples of `apis` as the runner's cases:
/// their path.
fn write_workspace(
    root: &Path,
    target: &Path,
    workspace: &Path,
    schemas: &Path,
    apis: &[Api],
) -> Result<PathBuf> {
    let started = Instant::now();
    let files = bankschema_codegen::generate(schemas).context("codegen on the published specs")?;
    // Both selections build in one target directory, and cargo names a path
    // package's artifacts by its path within its workspace, which is the same for
    // both: every file is written anew, newer than the other selection's build, or
    // cargo would take that build for this one's.
    let generated = workspace.join("generated");
    if generated.exists() {
        std::fs::remove_dir_all(&generated)
            .with_context(|| format!("cannot empty {}", generated.display()))?;
    }
    bankschema_codegen::output::write(&generated, &files)?;
    let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
    println!(
        "codegen: {} files, {lines} lines, in {:.2} s; peak memory of this process {}",
        files.len(),
        started.elapsed().as_secs_f64(),
        peak_memory()
    );
    write_if_changed(
        &workspace.join("Cargo.toml"),
        &manifest(root)?
            .replace("`cargo xtask conformance`", "`cargo xtask realworld`")
            .replace("\"runner\"", "\"realworld-runner\""),
    )?;
    write_if_changed(
        &workspace.join("realworld-runner/Cargo.toml"),
        &runner_manifest("realworld-runner", &["bankschema-rules"]),
    )?;
    write_if_changed(&workspace.join("realworld-runner/src/main.rs"), RUNNER)?;
    let lock = workspace.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).context("copying Cargo.lock")?;
    }
    let cases = cases(apis);
    let cases_path = target.join("cases.json");
    std::fs::write(&cases_path, serde_json::to_vec(&cases)?)?;
    Ok(cases_path)
}

/// Builds the runner with `-D warnings` and runs it on the cases: the outcomes by
/// schema id.
fn build_and_run(
    target: &Path,
    workspace: &Path,
    cases_path: &Path,
) -> Result<BTreeMap<String, Vec<Outcome>>> {
    let started = Instant::now();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(workspace.join("Cargo.toml"))
        .args(["--package", "realworld-runner"])
        .env("CARGO_TARGET_DIR", target.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!(
            "the code generated for the published specs does not compile without warnings (see above); that is a generator bug. The scratch workspace is {}",
            workspace.display()
        );
    }
    println!(
        "compiled with -D warnings in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let runner = target.join("target/debug/realworld-runner");
    // The runner of the other selection has the same name: it is built just now.
    let output = Command::new(&runner)
        .arg(cases_path)
        .output()
        .with_context(|| format!("cannot run {}", runner.display()))?;
    if !output.status.success() {
        bail!(
            "the realworld runner failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let results: BTreeMap<String, Vec<Outcome>> =
        serde_json::from_slice(&output.stdout).context("reading the realworld runner's output")?;
    Ok(results)
}

/// Prints every valid example whose round trip fails; true when there is any.
fn round_trip_failures(results: &BTreeMap<String, Vec<Outcome>>) -> bool {
    let mut failed = false;
    for (id, outcomes) in results {
        for outcome in outcomes.iter().filter(|o| o.valid) {
            if !outcome.round_trip || !outcome.open_round_trip {
                failed = true;
                eprintln!(
                    "FAILED {id} example `{}`: valid, but the round trip {}: {}",
                    outcome.name,
                    if outcome.round_trip {
                        "with unknown members or unlisted values fails"
                    } else {
                        "gives other JSON"
                    },
                    outcome.difference.as_deref().unwrap_or("")
                );
            }
        }
    }
    failed
}

/// `--all`'s figures: the examples valid and invalid per spec, and the invalid rows
/// of `table`.
fn print_all(table: &str, results: &BTreeMap<String, Vec<Outcome>>) {
    for (api, _) in SPECS {
        let examples: Vec<&Outcome> = results
            .iter()
            .filter(|(id, _)| {
                id.strip_prefix(api)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
            .flat_map(|(_, outcomes)| outcomes)
            .collect();
        let valid = examples.iter().filter(|o| o.valid).count();
        println!(
            "{api}: examples {} valid, {} invalid",
            valid,
            examples.len() - valid
        );
    }
    for line in table.lines().filter(|l| l.contains("**invalid**")) {
        println!("{line}");
    }
}

/// An overlay selecting every JSON response and request body of `raw`: a response
/// `$ref` selects its component once; where JSON media disagree, the first is taken.
fn select_all(api: &str, raw: &Value) -> Value {
    let mut actions = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    let mut components = std::collections::BTreeSet::new();
    let mut select = |target: String, node: &Value, id: String| {
        let Some(media) = node
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.keys().find(|m| bankschema_codegen::openapi::is_json(m)))
        else {
            return;
        };
        let mut id = id;
        let mut n = 2;
        while !ids.insert(bankschema_codegen::model::variant_name(&id)) {
            id = format!("{id}-{n}");
            n += 1;
        }
        actions.push(json!({"target": target, "update": {"x-bankschema-id": id, "x-bankschema-media": media}}));
    };
    for (route, item) in raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if ![
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .contains(&method.as_str())
            {
                continue;
            }
            let parts = operation_parts(route, method, operation);
            for (target, id, node) in parts {
                match node
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/"))
                {
                    Some(component) => {
                        let Some((kind, name)) = component.split_once('/') else {
                            continue;
                        };
                        if !components.insert(component.to_owned()) {
                            continue;
                        }
                        let Some(resolved) = raw.pointer(&format!("/components/{component}"))
                        else {
                            continue;
                        };
                        select(
                            format!("$.components.{kind}{}", quoted(name)),
                            resolved,
                            format!("{api}.{}", kebab(name)),
                        );
                    }
                    None => select(target, node, format!("{api}.{id}")),
                }
            }
        }
    }
    json!({
        "overlay": "1.0.0",
        "info": {"title": "every JSON message", "version": "1"},
        "extends": format!("{api}.openapi.yaml"),
        "actions": actions,
    })
}

/// The request body and the responses of the `method` operation of `route`: each
/// with its overlay target and the schema id it is given (`<operation>-request`,
/// `<operation>-<status>`).
fn operation_parts<'a>(
    route: &str,
    method: &str,
    operation: &'a Value,
) -> Vec<(String, String, &'a Value)> {
    let slug = operation
        .get("operationId")
        .and_then(Value::as_str)
        .map_or_else(|| format!("{method}{route}"), str::to_owned);
    let slug = kebab(&slug);
    let at = format!("$.paths{}.{method}", quoted(route));
    let mut parts: Vec<(String, String, &Value)> = Vec::new();
    if let Some(body) = operation.get("requestBody") {
        parts.push((format!("{at}.requestBody"), format!("{slug}-request"), body));
    }
    for (code, response) in operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        parts.push((
            format!("{at}.responses{}", quoted(code)),
            format!("{slug}-{}", kebab(code)),
            response,
        ));
    }
    parts
}

/// `name` as a JSONPath member selector: `['name']`, quotes and backslashes escaped.
fn quoted(name: &str) -> String {
    format!("['{}']", name.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `accounts/balance/get` or `OK_200_Balances` as `accounts-balance-get`, `ok-200-balances`.
fn kebab(text: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            previous_lower = false;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The examples of every selected message: `{schema id: [{name, value}]}`.
fn cases(apis: &[Api]) -> Value {
    let mut cases = serde_json::Map::new();
    for api in apis {
        for message in &api.messages {
            let examples = message
                .examples
                .iter()
                .map(|e| json!({"name": e.name, "value": e.value}))
                .collect();
            cases.insert(message.id.clone(), Value::Array(examples));
        }
    }
    Value::Object(cases)
}

#[derive(serde::Deserialize)]
struct Outcome {
    name: String,
    valid: bool,
    /// The first error, for an invalid example.
    error: Option<String>,
    round_trip: bool,
    open_round_trip: bool,
    /// How many of its strings, each replaced by a value no enum lists, a tolerant
    /// enum read (valid, with a warning) and wrote back.
    tolerated: usize,
    /// Where a round trip gave other JSON.
    difference: Option<String>,
}

/// The README's table: one row per example of each selected message.
fn table(apis: &[Api], results: &BTreeMap<String, Vec<Outcome>>) -> String {
    let mut out = String::from(
        "| schema id | message | definitions reached | publisher's example | verdict |\n|---|---|---:|---|---|\n",
    );
    for api in apis {
        for message in &api.messages {
            let outcomes = results.get(&message.id).map(Vec::as_slice).unwrap_or(&[]);
            let schema = api.message_schema(message);
            let reached = schema["$defs"].as_object().map_or(0, |defs| defs.len());
            if outcomes.is_empty() {
                out.push_str(&format!(
                    "| `{}` | {} | {reached} | (none given) | |\n",
                    message.id,
                    cell(&message.summary)
                ));
            }
            for outcome in outcomes {
                let verdict = match (&outcome.error, outcome.valid) {
                    (_, true) if outcome.tolerated > 0 => format!(
                        "valid, round-trips (and with an unlisted value at any of {} places a tolerant enum reads)",
                        outcome.tolerated
                    ),
                    (_, true) => "valid, round-trips".to_owned(),
                    (Some(error), false) => format!("**invalid**: {}", cell(error)),
                    (None, false) => "**invalid**".to_owned(),
                };
                out.push_str(&format!(
                    "| `{}` | {} | {reached} | {} | {verdict} |\n",
                    message.id,
                    cell(&message.summary),
                    cell(&outcome.name)
                ));
            }
        }
    }
    out
}

/// Text for a table cell: one line, no pipes, at most 120 characters.
fn cell(text: &str) -> String {
    let line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|");
    match line.char_indices().nth(120) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// This process's peak resident memory, where the system says (Linux).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Runs every example through the generated validator; prints the outcomes as JSON.
const RUNNER: &str = r#"//! Written by `cargo xtask realworld`.
use bankschema_rules::pointer::escape;
use bankschema_validator::{parse, validate, SchemaId};
use serde_json::{json, Map, Value};

fn main() {
    let path = std::env::args().nth(1).expect("usage: realworld-runner CASES.json");
    let text = std::fs::read_to_string(&path).expect("cannot read the cases");
    let cases: Map<String, Value> = serde_json::from_str(&text).expect("cases are JSON");
    let mut out = Map::new();
    for id in SchemaId::ALL {
        let Some(Value::Array(examples)) = cases.get(id.as_str()) else { continue };
        let outcomes: Vec<Value> = examples.iter().map(|e| run(id, &e["name"], &e["value"])).collect();
        out.insert(id.as_str().to_owned(), Value::Array(outcomes));
    }
    println!("{}", Value::Object(out));
}

/// `None` when `value` is read and written back the same, else where it differs.
fn round_trip(id: SchemaId, value: &Value) -> Option<String> {
    let bytes = serde_json::to_vec(value).expect("a Value serialises");
    match parse(id, &bytes) {
        Ok(payload) => {
            let back = serde_json::to_value(&payload).expect("a payload serialises");
            first_difference(value, &back, String::new())
        }
        Err(report) => Some(format!("parse refused it: {:?}", report.errors().next().map(|d| d.to_string()))),
    }
}

fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, item) in x {
                let here = format!("{at}/{key}");
                match y.get(key) {
                    Some(other) => {
                        if let Some(found) = first_difference(item, other, here) {
                            return Some(found);
                        }
                    }
                    None => return Some(format!("{here} is lost")),
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| format!("{at}/{k} is added"))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} came back as {b}")),
    }
}

/// `value` with a member the schema does not name added to each object, where the
/// schema still accepts it; the round trip must keep them.
fn opened(id: SchemaId, value: &Value) -> Value {
    let mut out = value.clone();
    let mut pointers = Vec::new();
    objects(&out, String::new(), &mut pointers);
    for pointer in pointers {
        let mut candidate = out.clone();
        if let Some(Value::Object(object)) = candidate.pointer_mut(&pointer) {
            object.insert("x-bankschema-unknown".into(), json!({"kept": [1, 2.50]}));
        }
        let bytes = serde_json::to_vec(&candidate).expect("a Value serialises");
        if validate(id, &bytes).is_valid() {
            out = candidate;
        }
    }
    out
}

fn objects(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            out.push(pointer.clone());
            for (key, item) in object {
                objects(item, format!("{pointer}/{}", escape(key)), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                objects(item, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Each string of `value` in turn replaced by one no enum lists: where the report
/// then says it is read as `Unknown` (a tolerant enum), the payload must be valid
/// and round-trip with it. How many were, or the first that did not.
fn tolerated(id: SchemaId, value: &Value) -> Result<usize, String> {
    let mut strings = Vec::new();
    leaves(value, String::new(), &mut strings);
    let mut count = 0;
    for pointer in strings {
        let mut candidate = value.clone();
        if let Some(slot) = candidate.pointer_mut(&pointer) {
            *slot = json!("bankschema-unlisted");
        }
        let bytes = serde_json::to_vec(&candidate).expect("a Value serialises");
        let report = validate(id, &bytes);
        let unknown = report
            .diagnostics
            .iter()
            .any(|d| d.instance_path == pointer && d.message.contains("read as `Unknown`"));
        if !unknown {
            continue;
        }
        if !report.is_valid() {
            return Err(format!("{pointer}: an unlisted value of a tolerant enum is refused"));
        }
        if let Some(difference) = round_trip(id, &candidate) {
            return Err(format!("{pointer}: an unlisted value: {difference}"));
        }
        count += 1;
    }
    Ok(count)
}

fn leaves(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(pointer),
        Value::Object(object) => {
            for (key, item) in object {
                leaves(item, format!("{pointer}/{}", escape(key)), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                leaves(item, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn run(id: SchemaId, name: &Value, value: &Value) -> Value {
    let bytes = serde_json::to_vec(value).expect("a Value serialises");
    let report = validate(id, &bytes);
    let valid = report.is_valid();
    let error = report.errors().next().map(|d| format!("{} at `{}`", d.message, d.instance_path));
    let (round_trip, open_round_trip, tolerated) = if valid {
        (round_trip(id, value), round_trip(id, &opened(id, value)), tolerated(id, value))
    } else {
        (None, None, Ok(0))
    };
    let (tolerated, intolerant) = match tolerated {
        Ok(count) => (count, None),
        Err(why) => (0, Some(why)),
    };
    json!({"name": name, "valid": valid, "error": error,
           "round_trip": valid && round_trip.is_none(),
           "open_round_trip": valid && open_round_trip.is_none() && intolerant.is_none(),
           "tolerated": tolerated,
           "difference": round_trip.or(open_round_trip).or(intolerant)})
}
"#;
