//! The `bankschema` command line, for pre-commit hooks, CI and people.
//!
//! It is a thin shell over `bankschema-validator`: every verdict it gives is the
//! library's, so a service and the command line always agree. What it adds is
//! reading files safely (limits, encodings) and placing each diagnostic at a line
//! and column of the text as written.
//!
//! Exit status: 0 when everything checked is valid, 1 when a payload is invalid or
//! unreadable, 2 for a usage error (an unknown schema id, an unknown flag).

mod check;
mod diff;
mod lint;
mod mcp;
mod render;
mod text;

use bankschema_validator::{parse, parse_with, validate_value_with, Options, Report, SchemaId};
use check::{Limits, DEFAULT_LIMITS};
use clap::{Parser, Subcommand, ValueEnum};
use render::FileResult;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "bankschema",
    version,
    about = "Validate and round-trip bank-account API payloads"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the schema ids, each with what it names.
    Schemas,
    /// Validate payloads against a schema id and its prose rules; every file is
    /// checked whatever the others hold.
    Validate {
        /// The schema id of the payloads, such as `get-accounts.output`.
        #[arg(long, value_parser = schema_id, required_unless_present = "mcp")]
        schema: Option<SchemaId>,
        /// Turn a prose rule off, by id (repeatable); `bankschema rules` lists them.
        #[arg(long = "allow", value_name = "RULE-ID")]
        allow: Vec<String>,
        /// The arguments of the tool call the payloads answer (a `tools/call`
        /// request's `params.arguments`), for the rules that compare them, such as
        /// `bank2ai.filters`. Only for a tool's output.
        #[arg(long, value_name = "FILE", conflicts_with = "mcp")]
        input: Option<PathBuf>,
        /// Each file is one MCP exchange: `{"request": <tools/call request>,
        /// "response": <its JSON-RPC response>}`. The arguments, the
        /// `structuredContent` and the rules between them are checked.
        #[arg(long, conflicts_with_all = ["schema", "ndjson"])]
        mcp: bool,
        /// How to print the diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Each line of each file is one payload. Streams, on every core; only invalid
        /// lines are printed (with `--format json`, one JSON object per line).
        #[arg(long)]
        ndjson: bool,
        /// Largest payload accepted, in bytes (a file, or a line with `--ndjson`).
        #[arg(long, default_value_t = DEFAULT_LIMITS.max_bytes)]
        max_bytes: u64,
        /// Deepest nesting of arrays and objects accepted (at most 128).
        #[arg(long, default_value_t = DEFAULT_LIMITS.max_depth, value_parser = depth)]
        max_depth: usize,
        /// The payloads; `-` reads standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the prose rules: id, severity, the sentence each comes from, and the
    /// fields each governs.
    Rules {
        /// `human`, `markdown` (the README's table) or `json`.
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Lint schema sources: each loads, normalises and compiles as codegen needs,
    /// every property has a description, every example gets the verdict its
    /// directory promises.
    Check {
        /// Source files, or directories of them (with their `examples/`).
        #[arg(default_value = "schemas")]
        paths: Vec<PathBuf>,
        /// How to print the diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Generate the types and validator crates from your own sources into your own
    /// repository: the stages of `cargo xtask codegen`, with manifests that name the
    /// bankschema runtime by path. Exits 1 with `--check` when anything is stale.
    Codegen {
        /// The directory of sources (specs, overlays, tools).
        #[arg(long, default_value = "schemas")]
        schemas: PathBuf,
        /// Where `bankschema-types/` and `bankschema-validator/` are written.
        #[arg(long)]
        out: PathBuf,
        /// The `bankschema-runtime` crate the generated crates depend on; by default
        /// the one beside the sources this binary was built from.
        #[arg(long)]
        runtime: Option<PathBuf>,
        /// Write nothing; list the files that differ.
        #[arg(long)]
        check: bool,
    },
    /// Compare two versions of a schema source and say which changes break whom,
    /// each with a rule id and a severity (breaking, warning, info); exits 0 when
    /// nothing reaches `--fail-on`, 1 when something does, 2 when a version cannot
    /// be read.
    Diff {
        /// The old version: a path, or `REV:path` read through git.
        old: String,
        /// The new version: a path, or `REV:path` read through git.
        new: String,
        #[arg(long, value_enum, default_value_t = diff::Format::Human)]
        format: diff::Format,
        /// The least severity that fails the run (exit 1).
        #[arg(long, value_enum, default_value_t = diff::Severity::Breaking)]
        fail_on: diff::Severity,
    },
    /// Read a payload into its generated type and print it serialised again: the
    /// output equals the input as JSON. An invalid payload prints its diagnostics
    /// to stderr and exits 1.
    Roundtrip {
        /// The schema id of the payload, such as `get-accounts.output`.
        #[arg(long, value_parser = schema_id)]
        schema: SchemaId,
        /// The payload; `-` reads standard input.
        file: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// rustc-style blocks with the offending line quoted.
    Human,
    /// `{"files": [...]}` on stdout.
    Json,
    /// GitHub Actions `::error` annotations.
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    Human,
    Markdown,
    Json,
}

fn schema_id(text: &str) -> Result<SchemaId, String> {
    text.parse()
        .map_err(|e: bankschema_validator::UnknownSchemaId| e.to_string())
}

/// serde_json refuses nesting beyond 128 whatever the flag says.
fn depth(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(depth @ 1..=128) => Ok(depth),
        _ => Err(format!("expected a depth from 1 to 128, found `{text}`")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schemas => {
            let width = SchemaId::ALL
                .iter()
                .map(|id| id.as_str().len())
                .max()
                .unwrap_or(0);
            for id in SchemaId::ALL {
                println!("{:width$}  {}", id.as_str(), id.summary());
            }
            ExitCode::SUCCESS
        }
        Command::Validate {
            schema,
            allow,
            input,
            mcp,
            format,
            ndjson,
            max_bytes,
            max_depth,
            files,
        } => {
            let limits = Limits {
                max_bytes,
                max_depth,
            };
            let allowed = allow
                .iter()
                .try_fold(Options::default(), |o, id| o.allow(id));
            let mut options = match allowed {
                Ok(options) => options,
                Err(unknown) => {
                    eprintln!("error: --allow: {unknown}");
                    return ExitCode::from(2);
                }
            };
            let mut results = Vec::new();
            if let (Some(path), Some(id)) = (&input, schema) {
                let Some(request) = id.answers() else {
                    eprintln!("error: --input: `{id}` answers no request; only a tool's output takes the call's arguments");
                    return ExitCode::from(2);
                };
                let (result, arguments) = read_input(path, request, limits);
                results.push(result);
                if let Some(arguments) = arguments {
                    options = options.with_input(arguments);
                }
            }
            let valid = match schema {
                _ if mcp => validate_files(Target::Mcp, &options, format, limits, &files, results),
                Some(id) if ndjson => {
                    print_results(&results, format, Some(id), "input file(s) checked")
                        & validate_ndjson(id, &options, format, limits, &files)
                }
                Some(id) => validate_files(
                    Target::Schema(id),
                    &options,
                    format,
                    limits,
                    &files,
                    results,
                ),
                None => unreachable!("clap requires --schema unless --mcp"),
            };
            if valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Rules { format } => {
            print!("{}", rules(format));
            ExitCode::SUCCESS
        }
        Command::Check { paths, format } => {
            let results: Vec<FileResult> = paths
                .iter()
                .flat_map(|p| lint::lint(p, DEFAULT_LIMITS))
                .collect();
            let valid = print_results(
                &results,
                format,
                None,
                "schema source(s) and example(s) checked",
            );
            if valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Diff {
            old,
            new,
            format,
            fail_on,
        } => match (load_version(&old), load_version(&new)) {
            (Ok(old_api), Ok(new_api)) => {
                let changes = diff::diff(&old_api, &new_api);
                // Annotations point at the new version's file, as the tree has it.
                let file = new.split_once(':').map_or(new.as_str(), |(_, path)| path);
                let file = if Path::new(&new).exists() { &new } else { file };
                let report = diff::render(&changes, format, fail_on, file);
                if let Err(error) = write_stdout(&report) {
                    eprintln!("error: {error}");
                    return ExitCode::from(2);
                }
                eprintln!("{}", diff::summary(&changes));
                if diff::failed(&changes, fail_on) {
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                }
            }
            // An error is not a verdict: 2, never the 1 of "breaking".
            (Err(error), _) | (_, Err(error)) => {
                eprintln!("error: {error}");
                ExitCode::from(2)
            }
        },
        Command::Roundtrip { schema, file } => roundtrip(schema, &file),
        Command::Codegen {
            schemas,
            out,
            runtime,
            check,
        } => codegen(&schemas, &out, runtime, check),
    }
}

/// `path` made absolute through its nearest existing ancestor, links resolved.
fn absolute(path: &Path) -> Option<PathBuf> {
    let path = std::env::current_dir().ok()?.join(path);
    let mut rest = Vec::new();
    let mut existing = path.as_path();
    loop {
        if let Ok(found) = existing.canonicalize() {
            return Some(rest.iter().rev().fold(found, |p, c| p.join(c)));
        }
        rest.push(existing.file_name()?.to_owned());
        existing = existing.parent()?;
    }
}

/// The path from directory `from` to `to`, both absolute.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let (from, to): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path: PathBuf = std::iter::repeat_n("..", from.len() - common).collect();
    path.extend(&to[common..]);
    path
}

/// `bankschema codegen`: 0 written or fresh, 1 stale (with `--check`), 2 an error.
fn codegen(schemas: &Path, out: &Path, runtime: Option<PathBuf>, check: bool) -> ExitCode {
    let runtime = runtime.unwrap_or_else(|| {
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../bankschema-runtime"
        ))
        .to_owned()
    });
    let runtime = match runtime.canonicalize() {
        Ok(path) if path.join("Cargo.toml").is_file() => path,
        _ => {
            eprintln!(
                "error: {}: not the bankschema-runtime crate; name it with --runtime DIR",
                runtime.display()
            );
            return ExitCode::from(2);
        }
    };
    let mode = if check {
        bankschema_codegen::Mode::Check
    } else {
        bankschema_codegen::Mode::Write
    };
    // Relative to the generated crates, so that the manifests are the same on every
    // checkout of the repository.
    let runtime = match absolute(out) {
        Some(out) => relative(&out.join("bankschema-types"), &runtime),
        None => runtime,
    };
    let layout = bankschema_codegen::Layout::Standalone { runtime };
    match bankschema_codegen::codegen_into(schemas, out, mode, &layout) {
        Ok(outcome) if outcome.stale.is_empty() => {
            println!("{}: {} files, fresh", out.display(), outcome.files);
            ExitCode::SUCCESS
        }
        Ok(outcome) => {
            for file in &outcome.stale {
                let verb = if check { "stale" } else { "updated" };
                println!("{verb}: {}", out.join(file.path()).display());
            }
            if check {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            if !check {
                eprintln!("{} is unchanged", out.display());
            }
            ExitCode::from(2)
        }
    }
}

/// The JSON Schema of `id`, for the hints of the human format.
fn schema_value(id: SchemaId) -> serde_json::Value {
    serde_json::from_str(id.json_schema()).unwrap_or_default()
}

fn display(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

/// What `validate` checks each file against.
#[derive(Clone, Copy)]
enum Target {
    Schema(SchemaId),
    /// A whole MCP exchange.
    Mcp,
}

fn validate_files(
    target: Target,
    options: &Options,
    format: Format,
    limits: Limits,
    files: &[PathBuf],
    mut results: Vec<FileResult>,
) -> bool {
    let validate = |value: &serde_json::Value| match target {
        Target::Schema(id) => validate_value_with(id, value, options),
        Target::Mcp => mcp::check(value, options),
    };
    results.extend(
        files
            .iter()
            .map(|path| file_result(path, limits, &validate)),
    );
    let (schema, what) = match target {
        Target::Schema(id) => (Some(id), format!("file(s) checked against {id}")),
        Target::Mcp => (None, "MCP exchange(s) checked".to_owned()),
    };
    print_results(&results, format, schema, &what)
}

/// One file read and checked with `validate`, or the reason it could not be read.
fn file_result(
    path: &Path,
    limits: Limits,
    validate: &dyn Fn(&serde_json::Value) -> Report,
) -> FileResult {
    match read(path, limits.max_bytes) {
        Ok(bytes) => FileResult {
            path: display(path),
            first_line: 1,
            diagnostics: check::check(&bytes, limits, validate),
            bytes,
        },
        Err(message) => FileResult {
            path: display(path),
            first_line: 1,
            bytes: Vec::new(),
            diagnostics: vec![check::file_problem(message)],
        },
    }
}

/// The `--input` file, checked against the request schema, and its value when it
/// is JSON at all (an invalid one still says what the call asked for).
fn read_input(
    path: &Path,
    request: SchemaId,
    limits: Limits,
) -> (FileResult, Option<serde_json::Value>) {
    let result = file_result(path, limits, &|value| {
        bankschema_validator::validate_value(request, value)
    });
    let value = serde_json::from_slice(&result.bytes).ok();
    (result, value)
}

/// `bankschema rules` in `format`: every rule and what it governs in which schema.
fn rules(format: RulesFormat) -> String {
    use bankschema_rules::{Governed, CATALOGUE};
    let governed: Vec<Governed> = SchemaId::ALL
        .iter()
        .flat_map(|id| {
            id.rules().iter().map(|site| Governed {
                schema_id: id.as_str(),
                at: site.at,
                rule: site.rule,
            })
        })
        .collect();
    let governs = |rule: &str| -> Vec<String> {
        governed
            .iter()
            .filter(|g| g.rule.info().id == rule)
            .map(|g| {
                format!(
                    "{} {}",
                    g.schema_id,
                    if g.at.is_empty() { "(root)" } else { g.at }
                )
            })
            .collect()
    };
    match format {
        RulesFormat::Markdown => bankschema_rules::markdown_table(&governed),
        RulesFormat::Json => {
            let rules: Vec<serde_json::Value> = CATALOGUE
                .iter()
                .map(|info| {
                    serde_json::json!({
                        "id": info.id,
                        "severity": info.level.severity(),
                        "sentence": info.sentence,
                        "source": info.source,
                        "governs": governs(info.id),
                    })
                })
                .collect();
            format!("{}\n", serde_json::json!({ "rules": rules }))
        }
        RulesFormat::Human => {
            let mut out = String::new();
            for info in CATALOGUE {
                out += &format!("{} ({})\n", info.id, info.level.severity());
                out += &format!("    {}\n", info.sentence);
                out += &format!("    source: {}\n", info.source);
                for field in governs(info.id) {
                    out += &format!("    governs: {field}\n");
                }
                out.push('\n');
            }
            out
        }
    }
}

/// Prints every result in `format` and a summary line; true when all are valid.
fn print_results(
    results: &[FileResult],
    format: Format,
    schema: Option<SchemaId>,
    what: &str,
) -> bool {
    if results.is_empty() {
        return true;
    }
    let json_schema = schema.map(|id| (id, schema_value(id)));
    let schema = json_schema.as_ref().map(|(id, value)| (*id, value));
    let mut out = std::io::stdout().lock();
    for result in results {
        let _ = match format {
            Format::Human => write!(out, "{}", render::human(result, schema)),
            Format::Github => write!(out, "{}", render::github(result)),
            Format::Json => Ok(()),
        };
    }
    if format == Format::Json {
        let _ = writeln!(out, "{}", render::json(results));
    }
    let invalid = results.iter().filter(|r| !r.valid()).count();
    if format == Format::Human {
        eprintln!(
            "{} {what}: {} valid, {invalid} invalid",
            results.len(),
            results.len() - invalid
        );
    }
    invalid == 0
}

/// One version of a schema source: a path, or `REV:path` read through git (into a
/// scratch file of the same name, so that the generator reads it as it would).
fn load_version(spec: &str) -> Result<bankschema_codegen::model::Api, String> {
    let path = Path::new(spec);
    if path.exists() {
        return match source_name(path) {
            // Named as its content says: read as it is, with any overlay beside it.
            None => bankschema_codegen::read_api(path).map_err(|e| e.to_string()),
            Some(name) => {
                let dir = tempfile::tempdir().map_err(|e| format!("{spec}: {e}"))?;
                let scratch = dir.path().join(name);
                std::fs::copy(path, &scratch).map_err(|e| format!("{spec}: {e}"))?;
                bankschema_codegen::read_api(&scratch).map_err(|e| format!("{spec}: {e}"))
            }
        };
    }
    let Some((rev, file)) = spec.split_once(':') else {
        return Err(format!(
            "{spec}: no such file (for a git revision, write REV:path)"
        ));
    };
    let source = git_show(rev, file)
        .map_err(|e| format!("{spec}: {e}"))?
        .ok_or_else(|| format!("{spec}: no such file at that revision"))?;
    let dir = tempfile::tempdir().map_err(|e| format!("{spec}: {e}"))?;
    let name = Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{spec}: not a file"))?;
    let scratch = dir.path().join(name);
    std::fs::write(&scratch, &source).map_err(|e| format!("{spec}: {e}"))?;
    // The overlay beside a published spec, at the same revision.
    let stem = [".openapi.yaml", ".openapi.yml", ".openapi.json"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix));
    for suffix in [".overlay.yaml", ".overlay.yml", ".overlay.json"] {
        let Some(stem) = stem else { break };
        let overlay = Path::new(file).with_file_name(format!("{stem}{suffix}"));
        let overlay = overlay.to_string_lossy().replace('\\', "/");
        if let Some(text) = git_show(rev, &overlay).map_err(|e| format!("{spec}: {e}"))? {
            std::fs::write(dir.path().join(format!("{stem}{suffix}")), text)
                .map_err(|e| format!("{spec}: {e}"))?;
        }
    }
    bankschema_codegen::read_api(&scratch).map_err(|e| format!("{spec}: {e}"))
}

/// The name a source file must have for the generator to read it, when its own
/// differs (`old.json` holding the `get-accounts` tool is `get-accounts.tool.json`;
/// an OpenAPI document is named after its ids' API): `diff` takes any two files of
/// one kind, whatever their names.
fn source_name(path: &Path) -> Option<String> {
    let file_name = path.file_name()?.to_str()?;
    let dir = tempfile::tempdir().ok()?;
    // Parsed under a name of each kind; the generator's reader says which it is.
    for probe in ["probe.tool.json", "probe.openapi.yaml"] {
        let scratch = dir.path().join(probe);
        std::fs::copy(path, &scratch).ok()?;
        let Ok(source) = bankschema_codegen::load::load_file(&scratch) else {
            continue;
        };
        let wanted = match &source.document {
            bankschema_codegen::load::Document::McpTool { raw } => {
                let name = raw.get("name")?.as_str()?;
                raw.get("inputSchema").or_else(|| raw.get("outputSchema"))?;
                format!("{name}.tool.json")
            }
            bankschema_codegen::load::Document::OpenApi { raw, .. } => {
                let ext = if file_name.ends_with(".json") {
                    "json"
                } else {
                    "yaml"
                };
                let id = first_id(raw)?;
                format!("{}.openapi.{ext}", id.split_once('.')?.0)
            }
        };
        return (wanted != file_name).then_some(wanted);
    }
    None
}

/// The first `x-bankschema-id` of a document, found without recursion.
fn first_id(raw: &serde_json::Value) -> Option<String> {
    let mut stack = vec![raw];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Object(members) => {
                if let Some(serde_json::Value::String(id)) = members.get("x-bankschema-id") {
                    return Some(id.clone());
                }
                stack.extend(members.values());
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    None
}

/// `file` at revision `rev` through git; `None` when the revision has no such file.
/// A revision is never read as one of git's options.
fn git_show(rev: &str, file: &str) -> Result<Option<Vec<u8>>, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a revision"));
    }
    let output = std::process::Command::new("git")
        .args(["show", "--end-of-options", &format!("{rev}:{file}")])
        // Its messages are read below: in English, whatever the user's locale.
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        return Ok(Some(output.stdout));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("does not exist in") || stderr.contains("exists on disk, but not in") {
        Ok(None)
    } else {
        Err(stderr.trim().to_owned())
    }
}

/// Writes `text` to standard output. A reader that went away (`| head`) is not an
/// error: what it wanted it has; any other failure (a full disk) is.
fn write_stdout(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the output: {e}"))
        }
        _ => Ok(()),
    }
}

/// Reads a whole payload, refusing more than `max_bytes` before reading it.
fn read(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    let too_big =
        |size: u64| format!("{size} bytes, more than the limit of {max_bytes} (--max-bytes)");
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(max_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| e.to_string())?;
        if bytes.len() as u64 > max_bytes {
            return Err(format!(
                "standard input holds {}",
                too_big(bytes.len() as u64)
            ));
        }
        return Ok(bytes);
    }
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read the file: {e}"))?;
    if metadata.is_dir() {
        return Err("is a directory, not a payload file".to_owned());
    }
    if metadata.len() > max_bytes {
        return Err(format!("the file is {}", too_big(metadata.len())));
    }
    std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))
}

/// Validates line after line, a chunk at a time on every core, printing as it goes:
/// memory holds one chunk, not the file.
fn validate_ndjson(
    id: SchemaId,
    options: &Options,
    format: Format,
    limits: Limits,
    files: &[PathBuf],
) -> bool {
    const CHUNK: usize = 1024;
    let schema = schema_value(id);
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let progress = std::io::stderr().is_terminal();
    let (mut lines_seen, mut invalid, mut bytes_seen) = (0usize, 0usize, 0u64);
    // The bar measures bytes against the size of the files (stdin has none).
    let total: u64 = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    for path in files {
        let name = display(path);
        let reader: Box<dyn BufRead> = if path == Path::new("-") {
            Box::new(std::io::stdin().lock())
        } else {
            match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => {
                    invalid +=
                        report_problem(&name, format, "is a directory, not a payload file".into());
                    continue;
                }
                _ => {}
            }
            match std::fs::File::open(path) {
                Ok(file) => Box::new(std::io::BufReader::with_capacity(1 << 20, file)),
                Err(e) => {
                    invalid += report_problem(&name, format, format!("cannot read the file: {e}"));
                    continue;
                }
            }
        };
        let mut lines = Lines {
            reader,
            max_bytes: limits.max_bytes,
            number: 0,
        };
        loop {
            let chunk: Vec<(usize, Result<Vec<u8>, String>)> = lines.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let blank = |line: &Result<Vec<u8>, String>| matches!(line, Ok(b) if b.iter().all(u8::is_ascii_whitespace));
            lines_seen += chunk.iter().filter(|(_, line)| !blank(line)).count();
            bytes_seen += chunk
                .iter()
                .map(|(_, l)| l.as_ref().map_or(0, |b| b.len() as u64 + 1))
                .sum::<u64>();
            let per_worker = chunk.len().div_ceil(workers);
            let results: Vec<FileResult> = std::thread::scope(|scope| {
                let handles: Vec<_> = chunk
                    .chunks(per_worker)
                    .map(|part| {
                        let name = &name;
                        scope.spawn(move || {
                            part.iter()
                                .filter_map(|(number, line)| {
                                    line_result(id, options, limits, name, *number, line)
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_default())
                    .collect()
            });
            let mut out = std::io::stdout().lock();
            for result in &results {
                invalid += 1;
                let _ = match format {
                    Format::Human => write!(out, "{}", render::human(result, Some((id, &schema)))),
                    Format::Github => write!(out, "{}", render::github(result)),
                    Format::Json => writeln!(
                        out,
                        "{}",
                        render::json(std::slice::from_ref(result))["files"][0]
                    ),
                };
            }
            if progress {
                eprint!(
                    "\r{}",
                    progress_line(bytes_seen, total, lines_seen, invalid)
                );
            }
        }
    }
    if progress {
        eprintln!();
    }
    eprintln!(
        "{lines_seen} payload(s) checked against {id}: {} valid, {invalid} invalid",
        lines_seen.saturating_sub(invalid)
    );
    invalid == 0
}

/// `[#########...........]  45%  90.1 MB  12034 payloads, 3 invalid`
fn progress_line(done: u64, total: u64, payloads: usize, invalid: usize) -> String {
    const WIDTH: u64 = 24;
    let bar = match total {
        0 => String::new(),
        _ => {
            let filled = (done.min(total) * WIDTH / total) as usize;
            let percent = done.min(total) * 100 / total;
            format!(
                "[{}{}] {percent:>3}%  ",
                "#".repeat(filled),
                ".".repeat(WIDTH as usize - filled)
            )
        }
    };
    format!(
        "{bar}{:.1} MB  {payloads} payloads, {invalid} invalid",
        done as f64 / 1e6
    )
}

fn report_problem(name: &str, format: Format, message: String) -> usize {
    let result = FileResult {
        path: name.to_owned(),
        first_line: 1,
        bytes: Vec::new(),
        diagnostics: vec![check::file_problem(message)],
    };
    match format {
        Format::Human => print!("{}", render::human(&result, None)),
        Format::Github => print!("{}", render::github(&result)),
        Format::Json => println!(
            "{}",
            render::json(std::slice::from_ref(&result))["files"][0]
        ),
    }
    1
}

/// The result of one NDJSON line when it is invalid; blank lines are skipped.
fn line_result(
    id: SchemaId,
    options: &Options,
    limits: Limits,
    name: &str,
    number: usize,
    line: &Result<Vec<u8>, String>,
) -> Option<FileResult> {
    let (bytes, mut diagnostics) = match line {
        Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => return None,
        // Most lines are valid: one pass into the typed value says so, and only
        // the others pay for the full report with locations.
        Ok(bytes)
            if check::text_is_clean(bytes, limits) && parse_with(id, bytes, options).is_ok() =>
        {
            return None
        }
        Ok(bytes) => (
            bytes.clone(),
            check::check(bytes, limits, &|value| {
                validate_value_with(id, value, options)
            }),
        ),
        Err(message) => (Vec::new(), vec![check::file_problem(message.clone())]),
    };
    for d in &mut diagnostics {
        d.line += number - 1;
    }
    let result = FileResult {
        path: name.to_owned(),
        first_line: number,
        bytes,
        diagnostics,
    };
    (!result.valid()).then_some(result)
}

/// The lines of a reader, each capped at `max_bytes` (the rest of a longer line is
/// skipped, not held).
struct Lines {
    reader: Box<dyn BufRead>,
    max_bytes: u64,
    number: usize,
}

impl Iterator for Lines {
    type Item = (usize, Result<Vec<u8>, String>);

    fn next(&mut self) -> Option<Self::Item> {
        let mut line = Vec::new();
        let read = (&mut self.reader)
            .take(self.max_bytes + 1)
            .read_until(b'\n', &mut line);
        self.number += 1;
        match read {
            Ok(0) => None,
            Err(e) => Some((self.number, Err(format!("cannot read the line: {e}")))),
            Ok(_) if line.last() == Some(&b'\n') || (line.len() as u64) <= self.max_bytes => {
                if line.last() == Some(&b'\n') {
                    line.pop();
                }
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                Some((self.number, Ok(line)))
            }
            Ok(_) => {
                skip_line(&mut self.reader);
                Some((
                    self.number,
                    Err(format!(
                        "the line is longer than the limit of {} bytes (--max-bytes)",
                        self.max_bytes
                    )),
                ))
            }
        }
    }
}

/// Consumes the rest of a line without holding it.
fn skip_line(reader: &mut Box<dyn BufRead>) {
    loop {
        let (used, done) = match reader.fill_buf() {
            Ok([]) | Err(_) => return,
            Ok(buffer) => match buffer.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buffer.len(), false),
            },
        };
        reader.consume(used);
        if done {
            return;
        }
    }
}

fn roundtrip(id: SchemaId, file: &Path) -> ExitCode {
    let name = display(file);
    let bytes = match read(file, DEFAULT_LIMITS.max_bytes) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: {name}: {error}");
            return ExitCode::FAILURE;
        }
    };
    match parse(id, &bytes) {
        Ok(payload) => {
            let mut stdout = std::io::stdout().lock();
            let written = serde_json::to_writer_pretty(&mut stdout, &payload)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(stdout));
            match written {
                Ok(()) => ExitCode::SUCCESS,
                // The reader (say `head`) has what it wanted.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: writing the payload: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(report) => {
            print_report(&name, id, &report);
            ExitCode::FAILURE
        }
    }
}

fn print_report(name: &str, id: SchemaId, report: &Report) {
    eprintln!("{name}: not a valid {id} payload");
    for diagnostic in &report.diagnostics {
        let at = if diagnostic.instance_path.is_empty() {
            "(root)"
        } else {
            &diagnostic.instance_path
        };
        eprintln!("  {} at {at}: {}", diagnostic.severity, diagnostic.message);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn progress_bar_fills_with_the_bytes_read() {
        assert_eq!(
            super::progress_line(45, 100, 12, 3),
            "[##########..............]  45%  0.0 MB  12 payloads, 3 invalid"
        );
        assert_eq!(
            super::progress_line(7_000_000, 0, 1, 0),
            "7.0 MB  1 payloads, 0 invalid"
        );
    }
}
