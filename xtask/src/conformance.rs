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
use bankschema_codegen::{document, model::Api};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod scratch;
mod suite;
mod table;
#[cfg(test)]
mod tests;

use scratch::{compile_and_run, Outcome};
pub(crate) use scratch::{manifest, runner_manifest, sync_table, write_if_changed};
use suite::read_suite;
use table::table;

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

    let generated = generate_all(&groups);
    println!(
        "generator: {} schemas accepted, {} refused; compiling the accepted ones",
        generated.apis.len(),
        generated.refusals.len()
    );
    let results = compile_and_run(&root, &groups, &generated.apis)?;

    let (verdicts, used) = judge(&groups, &generated, &results, &known);
    let mut failed = report_failures(&groups, &verdicts, &known, &used);

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

/// What the generator made of every group: the accepted APIs, and the messages of
/// the refused and the panicked by schema id.
struct GeneratedAll {
    apis: Vec<Api>,
    refusals: BTreeMap<String, String>,
    panics: BTreeMap<String, String>,
}

/// Every group through the generator ([`generate`]).
fn generate_all(groups: &[Group]) -> GeneratedAll {
    let mut refusals = BTreeMap::new();
    let mut panics = BTreeMap::new();
    let mut apis = Vec::new();
    for group in groups {
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
    GeneratedAll {
        apis,
        refusals,
        panics,
    }
}

/// Each group's verdict, from the generator's answer, the runner's outcomes and the
/// known failures; and the known failures' keys that were used.
fn judge(
    groups: &[Group],
    generated: &GeneratedAll,
    results: &BTreeMap<String, Vec<Outcome>>,
    known: &BTreeMap<String, String>,
) -> (Vec<Verdict>, BTreeSet<String>) {
    let mut verdicts = Vec::new();
    let mut used = BTreeSet::new();
    for group in groups {
        let verdict = if let Some(message) = generated.refusals.get(&group.id) {
            Verdict::Refused(message.clone())
        } else if let Some(message) = generated.panics.get(&group.id) {
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
    (verdicts, used)
}

/// Prints every failed group with its problems, and every known failure left
/// unused; true when there is any.
fn report_failures(
    groups: &[Group],
    verdicts: &[Verdict],
    known: &BTreeMap<String, String>,
    used: &BTreeSet<String>,
) -> bool {
    let mut failed = false;
    for (group, verdict) in groups.iter().zip(verdicts) {
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

    failed
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
