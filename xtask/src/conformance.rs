//! `cargo xtask conformance --suite DIR`: the generator against the official JSON
//! Schema Test Suite.
//!
//! Every schema of the suite's `draft2020-12` and `draft7` folders (`optional/`
//! included, counted apart) goes through the whole pipeline: normalised, checked,
//! given types and a validator. Those the generator accepts are rendered into one
//! scratch workspace under `target/conformance/` (the generated crates, a module per
//! schema, and a small runner), compiled, and run on every test case: the verdict of
//! the generated validator must be the suite's; a valid instance must `parse` into
//! its generated type and write back as the same JSON; an invalid one must be refused
//! by `parse` with the full report.
//!
//! Each schema ends as passed, refused (the generator's message names the keyword
//! and pointer), or a known failure listed with its reason in
//! `xtask/conformance-known-failures.tsv`. Anything else fails the command, and so
//! does a listed failure that now passes. The README's coverage table is written
//! from the results (`--check` only compares it).
//!
//! The suite is test data read where it lies; nothing of it is copied into the
//! repository.

use anyhow::{bail, Context, Result};
use bankschema_codegen::normalise::Dialect;
use bankschema_codegen::{document, model::Api, Mode};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const DRAFTS: [(&str, &str, Dialect); 2] = [
    ("draft2020-12", "d2020", Dialect::JsonSchema),
    ("draft7", "d7", Dialect::Draft7),
];

const KNOWN_FAILURES: &str = "xtask/conformance-known-failures.tsv";

/// What every generated schema's root type is called.
const ROOT: &str = "Instance";

/// One test group of the suite: a schema and its cases.
struct Group {
    /// `draft2020-12`.
    draft: &'static str,
    /// The file's path below the draft's folder, without `.json`: `optional/bignum`.
    keyword: String,
    index: usize,
    description: String,
    /// Schema id of the generated validator: `d2020-optional-bignum-0.instance`.
    id: String,
    api_name: String,
    dialect: Dialect,
    schema: Value,
    cases: Vec<Case>,
}

struct Case {
    description: String,
    data: Value,
    valid: bool,
}

impl Group {
    fn optional(&self) -> bool {
        self.keyword.starts_with("optional/")
    }

    /// How the group is named in messages and in the known-failures list.
    fn key(&self) -> String {
        format!("{}/{}.json\t{}", self.draft, self.keyword, self.description)
    }
}

/// How one group ended.
enum Verdict {
    Passed,
    Refused(String),
    KnownFailure,
    /// A wrong answer that no entry of the known-failures list explains.
    Failed(Vec<String>),
}

pub fn run(args: &[&str]) -> Result<ExitCode> {
    let (suite, check) = match args {
        ["--suite", dir] => (PathBuf::from(dir), false),
        ["--suite", dir, "--check"] | ["--check", "--suite", dir] => (PathBuf::from(dir), true),
        _ => bail!(
            "usage: cargo xtask conformance --suite <JSON-Schema-Test-Suite directory> [--check]"
        ),
    };
    let root = crate::workspace_root();
    let groups = read_suite(&suite)?;
    let known = read_known_failures(&root.join(KNOWN_FAILURES))?;
    println!(
        "conformance: {} schemas from {}",
        groups.len(),
        suite.display()
    );

    let mut refusals = BTreeMap::new();
    let mut panics = BTreeMap::new();
    let mut apis = Vec::new();
    for group in &groups {
        match generate(group) {
            Generated::Accepted(api) => apis.push(api),
            Generated::Refused(message) => {
                refusals.insert(group.id.clone(), message);
            }
            Generated::Panicked(message) => {
                panics.insert(group.id.clone(), message);
            }
        }
    }
    println!(
        "generator: {} schemas accepted, {} refused; compiling the accepted ones",
        apis.len(),
        refusals.len()
    );
    let results = compile_and_run(&root, &groups, &apis)?;

    let mut verdicts = Vec::new();
    let mut used = BTreeSet::new();
    for group in &groups {
        let verdict = if let Some(message) = refusals.get(&group.id) {
            Verdict::Refused(message.clone())
        } else if let Some(message) = panics.get(&group.id) {
            Verdict::Failed(vec![format!("the generator panicked: {message}")])
        } else {
            let problems = problems(group, results.get(&group.id));
            match (problems.is_empty(), known.get(&group.key())) {
                (true, _) => Verdict::Passed,
                (false, Some(_)) => {
                    used.insert(group.key());
                    Verdict::KnownFailure
                }
                (false, None) => Verdict::Failed(problems),
            }
        };
        verdicts.push(verdict);
    }

    let mut failed = false;
    for (group, verdict) in groups.iter().zip(&verdicts) {
        if let Verdict::Failed(problems) = verdict {
            failed = true;
            eprintln!("FAILED {}", group.key().replace('\t', ": "));
            for problem in problems {
                eprintln!("    {problem}");
            }
        }
    }
    for key in known.keys().filter(|key| !used.contains(*key)) {
        failed = true;
        eprintln!(
            "stale entry in {KNOWN_FAILURES}: `{}` no longer fails (or no longer exists); remove it",
            key.replace('\t', ": ")
        );
    }

    let table = table(&groups, &verdicts, &known, &suite);
    println!("{table}");
    let run = format!("cargo xtask conformance --suite {}", suite.display());
    failed |= sync_table(
        &root,
        "cargo xtask conformance",
        &table,
        check,
        "conformance table",
        &run,
    )?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Every group of the suite's draft folders, in path order.
fn read_suite(suite: &Path) -> Result<Vec<Group>> {
    let mut groups = Vec::new();
    for (draft, prefix, dialect) in DRAFTS {
        let dir = suite.join("tests").join(draft);
        if !dir.is_dir() {
            bail!(
                "{}: no such directory; pass the root of a JSON-Schema-Test-Suite checkout (it holds tests/{draft})",
                dir.display()
            );
        }
        for path in json_files(&dir)? {
            let relative = path.strip_prefix(&dir).unwrap_or(&path);
            let keyword = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let file: Vec<Value> = serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}:{}:{}: expected an array of test groups: {e}",
                    path.display(),
                    e.line(),
                    e.column()
                )
            })?;
            for (index, raw) in file.into_iter().enumerate() {
                let at = format!("{}: at /{index}", path.display());
                let api_name = format!("{prefix}-{}-{index}", slug(&keyword));
                groups.push(Group {
                    draft,
                    keyword: keyword.clone(),
                    index,
                    description: string_at(&raw, "description", &at)?,
                    id: format!("{api_name}.instance"),
                    api_name,
                    dialect,
                    schema: raw
                        .get("schema")
                        .cloned()
                        .with_context(|| format!("{at}: expected a `schema`"))?,
                    cases: cases(&raw, &at)?,
                });
            }
        }
    }
    Ok(groups)
}

fn cases(group: &Value, at: &str) -> Result<Vec<Case>> {
    let Some(tests) = group.get("tests").and_then(Value::as_array) else {
        bail!("{at}: expected an array `tests`");
    };
    tests
        .iter()
        .enumerate()
        .map(|(i, test)| {
            let at = format!("{at}/tests/{i}");
            Ok(Case {
                description: string_at(test, "description", &at)?,
                data: test
                    .get("data")
                    .cloned()
                    .with_context(|| format!("{at}: expected `data`"))?,
                valid: test
                    .get("valid")
                    .and_then(Value::as_bool)
                    .with_context(|| format!("{at}: expected `valid`: true or false"))?,
            })
        })
        .collect()
}

fn string_at(value: &Value, key: &str, at: &str) -> Result<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("{at}: expected a string `{key}`"))
}

/// The `.json` files below `dir`, sorted by path.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let path = entry
                .with_context(|| format!("cannot read {}", dir.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `optional/format/date-time` gives `optional-format-date-time`: a module name once
/// `-` becomes `_`.
fn slug(keyword: &str) -> String {
    let mut out = String::new();
    for c in keyword.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out
}

/// What the generator made of one schema.
enum Generated {
    Accepted(Api),
    /// Its message, naming the keyword and pointer.
    Refused(String),
    /// A bug: caught only to be reported, it fails the run.
    Panicked(String),
}

/// The group's schema through every stage of the generator short of writing files.
fn generate(group: &Group) -> Generated {
    let source = PathBuf::from(format!(
        "{}/{}.json#{}",
        group.draft, group.keyword, group.index
    ));
    let attempt = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let api = document::api(&group.api_name, &source, group.dialect, &group.schema, ROOT)?;
        bankschema_codegen::check(&api)?;
        let types = bankschema_codegen::types::emit(&api)?;
        bankschema_codegen::validator::api_module(&api, &types)?;
        Ok::<_, bankschema_codegen::Error>(api)
    }));
    match attempt {
        Ok(Ok(api)) => Generated::Accepted(api),
        Ok(Err(error)) => Generated::Refused(error.to_string()),
        Err(panic) => {
            Generated::Panicked(bankschema_codegen::types::panic_message(panic.as_ref()).to_owned())
        }
    }
}

/// What the runner found for one case.
#[derive(Debug, serde::Deserialize)]
struct Outcome {
    case: usize,
    /// The full report's verdict.
    valid: bool,
    /// `parse` returned the typed value.
    parsed: bool,
    /// The report on the bytes equals the one on a `serde_json::Value`.
    value_report: bool,
    /// The typed value wrote back as the same JSON.
    round_trip: bool,
    /// When `parse` refused: its report equals the full report.
    same_report: bool,
    /// The first diagnostic of the full report, or parse's when it alone refused.
    message: Option<String>,
    panic: Option<String>,
}

/// Renders the accepted schemas into `target/conformance`, builds the runner and
/// runs it on every case; the outcomes by schema id.
fn compile_and_run(
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

/// What went wrong in one group, one line per wrong case; empty when it passed.
fn problems(group: &Group, outcomes: Option<&Vec<Outcome>>) -> Vec<String> {
    let Some(outcomes) = outcomes else {
        return vec!["the runner reported nothing for this schema".into()];
    };
    let mut problems = Vec::new();
    for (index, case) in group.cases.iter().enumerate() {
        let Some(outcome) = outcomes.iter().find(|o| o.case == index) else {
            problems.push(format!("case {index}: no outcome"));
            continue;
        };
        let wrong = if let Some(panic) = &outcome.panic {
            Some(format!("panicked: {panic}"))
        } else if outcome.valid != case.valid {
            Some(format!(
                "wrong verdict: expected {}, the validator says {}{}",
                validity(case.valid),
                validity(outcome.valid),
                outcome
                    .message
                    .as_ref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default()
            ))
        } else if case.valid && !outcome.parsed {
            Some(format!(
                "valid, but `parse` refused it: {}",
                outcome.message.as_deref().unwrap_or("no message")
            ))
        } else if case.valid && !outcome.round_trip {
            Some("valid and parsed, but the typed value writes back as other JSON".into())
        } else if !case.valid && outcome.parsed {
            Some("invalid, but `parse` accepted it".into())
        } else if !case.valid && !outcome.same_report {
            Some("`parse` refused it with a report other than the full report".into())
        } else if !outcome.value_report {
            Some("the report on the bytes differs from the report on a `Value`".into())
        } else {
            None
        };
        if let Some(wrong) = wrong {
            problems.push(format!("case {index} ({}): {wrong}", case.description));
        }
    }
    problems
}

fn validity(valid: bool) -> &'static str {
    if valid {
        "valid"
    } else {
        "invalid"
    }
}

/// `draft<TAB>group description<TAB>reason` lines; `#` starts a comment.
fn read_known_failures(path: &Path) -> Result<BTreeMap<String, String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut known = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, description, reason] = fields.as_slice() else {
            bail!(
                "{}:{}: expected three tab-separated fields (file, group description, reason), found {}",
                path.display(),
                number + 1,
                fields.len()
            );
        };
        if reason.trim().is_empty() {
            bail!(
                "{}:{}: a known failure needs its reason",
                path.display(),
                number + 1
            );
        }
        known.insert(format!("{file}\t{description}"), (*reason).to_owned());
    }
    Ok(known)
}

/// The README's coverage table: counts per keyword and draft, the required tests
/// and the optional ones apart, then the known failures with their reasons.
fn table(
    groups: &[Group],
    verdicts: &[Verdict],
    known: &BTreeMap<String, String>,
    suite: &Path,
) -> String {
    #[derive(Default, Clone, Copy)]
    struct Counts {
        passed: usize,
        refused: usize,
        known: usize,
        failed: usize,
    }
    impl Counts {
        fn add(&mut self, verdict: &Verdict) {
            match verdict {
                Verdict::Passed => self.passed += 1,
                Verdict::Refused(_) => self.refused += 1,
                Verdict::KnownFailure => self.known += 1,
                Verdict::Failed(_) => self.failed += 1,
            }
        }
        fn cell(self) -> String {
            let mut cell = format!("{} / {} / {}", self.passed, self.refused, self.known);
            if self.failed > 0 {
                let _ = write!(cell, " (**{} failed**)", self.failed);
            }
            cell
        }
    }
    let version = std::fs::read_to_string(suite.join("VERSION"))
        .ok()
        .and_then(|v| {
            v.split_whitespace()
                .skip_while(|w| *w != "commit")
                .nth(1)
                .map(|c| c.trim_end_matches(',').chars().take(12).collect::<String>())
        });
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Schemas of the JSON Schema Test Suite{} per keyword file: passed / refused at codegen / known failures.\n",
        version.map(|v| format!(" (commit `{v}`)")).unwrap_or_default()
    );
    for optional in [false, true] {
        let mut rows: BTreeMap<&str, [Counts; 2]> = BTreeMap::new();
        let mut totals = [Counts::default(); 2];
        for (group, verdict) in groups.iter().zip(verdicts) {
            if group.optional() != optional {
                continue;
            }
            let column = usize::from(group.draft == "draft7");
            rows.entry(group.keyword.as_str()).or_default()[column].add(verdict);
            totals[column].add(verdict);
        }
        let _ = writeln!(
            out,
            "| {} | draft 2020-12 | draft-07 |\n|---|---|---|",
            if optional { "Optional" } else { "Keyword" }
        );
        for (keyword, counts) in &rows {
            let present = |draft: &str| {
                groups
                    .iter()
                    .any(|g| g.draft == draft && g.keyword == *keyword)
            };
            let cell = |i: usize, draft: &str| {
                if present(draft) {
                    counts[i].cell()
                } else {
                    "-".to_owned()
                }
            };
            let _ = writeln!(
                out,
                "| `{keyword}` | {} | {} |",
                cell(0, "draft2020-12"),
                cell(1, "draft7")
            );
        }
        let _ = writeln!(
            out,
            "| **all** | **{}** | **{}** |\n",
            totals[0].cell(),
            totals[1].cell()
        );
    }
    let mut refused_for: BTreeMap<String, usize> = BTreeMap::new();
    for verdict in verdicts {
        if let Verdict::Refused(message) = verdict {
            *refused_for.entry(refusal_kind(message)).or_default() += 1;
        }
    }
    let mut refused_for: Vec<_> = refused_for.into_iter().collect();
    refused_for.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let _ = writeln!(
        out,
        "Refused for: {}.\n",
        refused_for
            .iter()
            .map(|(kind, n)| format!("{kind} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !known.is_empty() {
        // One line per file and reason: a reason usually covers a file's groups.
        let mut by_reason: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
        for (key, reason) in known {
            let (file, description) = key.split_once('\t').unwrap_or((key, ""));
            by_reason
                .entry((file, reason))
                .or_default()
                .push(description);
        }
        let _ = writeln!(out, "Known failures (`{KNOWN_FAILURES}`):\n");
        for ((file, reason), groups) in by_reason {
            let groups = groups
                .iter()
                .map(|g| format!("\"{g}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(out, "- `{file}` {groups}: {reason}");
        }
        out.push('\n');
    }
    out
}

/// The gist of a refusal for the summary: the keyword it names, or its first words.
fn refusal_kind(message: &str) -> String {
    let body = message
        .split_once(": at ")
        .map_or(message, |(_, rest)| rest);
    let body = body.split_once(": ").map_or(body, |(_, rest)| rest);
    if let Some(rest) = body.strip_prefix("unsupported keyword `") {
        if let Some((keyword, _)) = rest.split_once('`') {
            return format!("`{keyword}`");
        }
    }
    if let Some(rest) = body.strip_prefix("unsupported format ") {
        if let Some((name, _)) = rest.split_once(':') {
            return format!("`format: {name}`");
        }
    }
    if body.starts_with("typify") || body.starts_with("not a schema typify") {
        return "types typify 0.8 cannot make".into();
    }
    if let Some((keyword, _)) = body.split_once(" beside `$ref`") {
        return format!("{keyword} beside `$ref`");
    }
    if body.starts_with("dangling $ref") {
        return "`$ref` to a missing definition".into();
    }
    if body.starts_with("expected `http") {
        return "`$schema` of another draft".into();
    }
    if body.starts_with("unsupported $ref") {
        return "`$ref` outside `$defs`".into();
    }
    body.split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_files_become_module_names() {
        assert_eq!(
            slug("optional/format/date-time"),
            "optional-format-date-time"
        );
        assert_eq!(slug("additionalProperties"), "additionalproperties");
        assert_eq!(slug("if-then-else"), "if-then-else");
    }

    #[test]
    fn refusals_are_summed_up_by_the_keyword_they_name() {
        let at = |message: &str| refusal_kind(&format!("draft7/ref.json#3: at /items: {message}"));
        assert_eq!(at("unsupported keyword `$id`: not part of ..."), "`$id`");
        assert_eq!(
            at("unsupported format \"idn-email\": the validator asserts ..."),
            "`format: \"idn-email\"`"
        );
        assert_eq!(
            at("`maxItems` beside `$ref` is not supported; wrap ..."),
            "`maxItems` beside `$ref`"
        );
        assert_eq!(
            at("unsupported $ref `#`: only references ..."),
            "`$ref` outside `$defs`"
        );
        assert_eq!(
            at("typify cannot generate types: typify 0.8 does not ..."),
            "types typify 0.8 cannot make"
        );
    }

    #[test]
    fn the_known_failures_list_names_file_group_and_reason() {
        let dir = std::env::temp_dir().join(format!("bankschema-known-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("known.tsv");
        std::fs::write(
            &path,
            "# comment\n\ndraft7/type.json\tinteger type\twhy not\n",
        )
        .unwrap();
        let known = read_known_failures(&path).unwrap();
        assert_eq!(
            known
                .get("draft7/type.json\tinteger type")
                .map(String::as_str),
            Some("why not")
        );
        std::fs::write(&path, "draft7/type.json\tinteger type\n").unwrap();
        let error = read_known_failures(&path).unwrap_err().to_string();
        assert!(error.ends_with("known.tsv:1: expected three tab-separated fields (file, group description, reason), found 2"), "{error}");
        std::fs::write(&path, "draft7/type.json\tinteger type\t \n").unwrap();
        let error = read_known_failures(&path).unwrap_err().to_string();
        assert!(
            error.ends_with("known.tsv:1: a known failure needs its reason"),
            "{error}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_directory_that_is_not_the_suite_is_named() {
        let error = read_suite(Path::new("/nonexistent-suite"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.starts_with("/nonexistent-suite/tests/draft2020-12: no such directory"),
            "{error}"
        );
    }
}
