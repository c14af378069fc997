//! The `bankschema` command line, for pre-commit hooks, CI and people.
//!
//! It is a thin shell over `bankschema-validator`: every verdict it gives is the
//! library's, so a service and the command line always agree. What it adds is
//! reading files safely (limits, encodings) and placing each diagnostic at a line
//! and column of the text as written.
//!
//! Exit status: 0 when everything checked is valid, 1 when a payload is invalid or
//! unreadable, 2 for a usage error (an unknown schema id, an unknown flag) or an
//! output that cannot be written.

// Input and output are hostile: nothing they hold may stop the program short.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod check;
mod diff;
#[cfg(feature = "codegen")]
mod generate;
mod io;
#[cfg(feature = "codegen")]
mod lint;
mod render;
mod serve;

use bankschema_validator::{parse_with, validate_with, Kind, Options, Report, SchemaId};
use check::{Limits, DEFAULT_LIMITS};
use clap::{Parser, Subcommand, ValueEnum};
use io::{note, Output};
use render::FileResult;
use std::io::{BufRead, IsTerminal, Read, Write as _};
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
        /// Deepest nesting of arrays and objects accepted (at most 127).
        #[arg(long, default_value_t = DEFAULT_LIMITS.max_depth, value_parser = depth)]
        max_depth: usize,
        /// Quote values whole in the diagnostics: card numbers and IBANs are masked
        /// and long values shortened otherwise. For debugging on your own machine
        /// only: reports land in CI logs and pull requests.
        #[arg(long)]
        show_values: bool,
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
    #[cfg(feature = "codegen")]
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
    #[cfg(feature = "codegen")]
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
        /// Largest payload accepted, in bytes.
        #[arg(long, default_value_t = DEFAULT_LIMITS.max_bytes)]
        max_bytes: u64,
        /// Quote values whole in the diagnostics (see `validate --show-values`).
        #[arg(long)]
        show_values: bool,
        /// The payload; `-` reads standard input.
        file: PathBuf,
    },
    /// Serve validation over HTTP: `POST /validate/{schema-id}` answers 200 with
    /// the payload as its generated type writes it (warnings in the
    /// `bankschema-warnings` header), or an RFC 9457 problem (400, 404, 413, 422);
    /// `GET /healthz`. Stops on SIGTERM or SIGINT once the requests in flight end.
    Serve {
        /// The address to listen on (`127.0.0.1:0` picks a free port, printed on
        /// stderr).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Largest request body accepted, in bytes (more is 413).
        #[arg(long, default_value_t = 16 * 1024 * 1024)]
        max_bytes: usize,
        /// Seconds a client has to send a request's line and headers, and a
        /// keep-alive connection may stay idle between requests; a connection that
        /// takes longer is closed.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        head_timeout: u64,
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

/// serde_json reads no deeper than 127 levels whatever the flag says.
fn depth(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(depth @ 1..=127) => Ok(depth),
        _ => Err(format!("expected a depth from 1 to 127, found `{text}`")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Output::default();
    let status = run(cli.command, &mut out);
    out.finish(status)
}

fn run(command: Command, out: &mut Output) -> ExitCode {
    match command {
        Command::Schemas => {
            let width = SchemaId::ALL
                .iter()
                .map(|id| id.as_str().len())
                .max()
                .unwrap_or(0);
            for id in SchemaId::ALL {
                out.write(&format!("{:width$}  {}\n", id.as_str(), id.summary()));
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
            show_values,
            files,
        } => {
            let limits = Limits {
                max_bytes,
                max_depth,
            };
            let mut base = Options::default();
            if show_values {
                base = base.show_values();
            }
            let allowed = allow.iter().try_fold(base, |o, id| o.allow(id));
            let mut options = match allowed {
                Ok(options) => options,
                Err(unknown) => {
                    note(&format!("error: --allow: {unknown}"));
                    return ExitCode::from(2);
                }
            };
            let mut results = Vec::new();
            if let (Some(path), Some(id)) = (&input, schema) {
                let Some(request) = id.answers() else {
                    note(&format!("error: --input: `{id}` answers no request; only a tool's output takes the call's arguments"));
                    return ExitCode::from(2);
                };
                let (result, arguments) = read_input(path, request, limits, options.shows_values());
                results.push(result);
                if let Some(arguments) = arguments {
                    options = options.with_input(arguments);
                }
            }
            let valid = match schema {
                Some(id) if ndjson && !mcp => {
                    let inputs_valid = results.is_empty()
                        || print_results(&results, format, Some(id), "input file(s) checked", out);
                    validate_ndjson(id, &options, format, limits, &files, out) && inputs_valid
                }
                Some(id) if !mcp => validate_files(
                    Target::Schema(id),
                    &options,
                    format,
                    limits,
                    &files,
                    results,
                    out,
                ),
                // clap asks for `--schema` unless `--mcp` is given.
                _ => validate_files(Target::Mcp, &options, format, limits, &files, results, out),
            };
            if valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Rules { format } => {
            out.write(&rules(format));
            ExitCode::SUCCESS
        }
        #[cfg(feature = "codegen")]
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
                out,
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
        } => match (diff::load_version(&old), diff::load_version(&new)) {
            (Ok(old_api), Ok(new_api)) => {
                let changes = diff::diff(&old_api, &new_api);
                // Annotations point at the new version's file, as the tree has it.
                let file = new.split_once(':').map_or(new.as_str(), |(_, path)| path);
                let file = if Path::new(&new).exists() { &new } else { file };
                out.write(&diff::render(&changes, format, fail_on, file));
                note(&diff::summary(&changes));
                if diff::failed(&changes, fail_on) {
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                }
            }
            // An error is not a verdict: 2, never the 1 of "breaking".
            (Err(error), _) | (_, Err(error)) => {
                note(&format!("error: {}", render::printable(&error)));
                ExitCode::from(2)
            }
        },
        Command::Roundtrip {
            schema,
            max_bytes,
            show_values,
            file,
        } => {
            let mut options = Options::default();
            if show_values {
                options = options.show_values();
            }
            roundtrip(schema, &file, max_bytes, &options, out)
        }
        #[cfg(feature = "codegen")]
        Command::Codegen {
            schemas,
            out: dir,
            runtime,
            check,
        } => generate::codegen(&schemas, &dir, runtime, check, out),
        Command::Serve {
            listen,
            max_bytes,
            head_timeout,
        } => serve::serve(
            listen,
            max_bytes,
            std::time::Duration::from_secs(head_timeout),
        ),
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
    inputs: Vec<FileResult>,
    out: &mut Output,
) -> bool {
    let validate = |bytes: &[u8]| match target {
        Target::Schema(id) => validate_with(id, bytes, options),
        Target::Mcp => check::on_value(bytes, |value| {
            bankschema_validator::validate_mcp_exchange(value, options)
        }),
    };
    let (schema, what) = match target {
        Target::Schema(id) => (Some(id), format!("file(s) checked against {id}")),
        Target::Mcp => (None, "MCP exchange(s) checked".to_owned()),
    };
    let mut printer = Printer::new(format, schema, false, options.shows_values());
    for input in &inputs {
        printer.print(input, out);
    }
    // Each file is printed, then let go: memory holds one file at a time, whatever
    // their number.
    for path in files {
        printer.print(&file_result(path, limits, &validate), out);
    }
    printer.finish(&what, out)
}

/// One file read and checked with `validate`, or the reason it could not be read.
fn file_result(path: &Path, limits: Limits, validate: &dyn Fn(&[u8]) -> Report) -> FileResult {
    match io::read_bounded(path, limits.max_bytes) {
        Ok(bytes) => FileResult {
            path: display(path),
            first_line: 1,
            diagnostics: check::check(&bytes, limits, validate),
            bytes,
        },
        Err(unread) => FileResult {
            path: display(path),
            first_line: 1,
            bytes: Vec::new(),
            diagnostics: vec![check::file_problem(unread.kind, unread.message)],
        },
    }
}

/// The `--input` file, checked against the request schema, and its value when it
/// is JSON at all (an invalid one still says what the call asked for).
fn read_input(
    path: &Path,
    request: SchemaId,
    limits: Limits,
    show_values: bool,
) -> (FileResult, Option<serde_json::Value>) {
    let options = if show_values {
        Options::default().show_values()
    } else {
        Options::default()
    };
    let result = file_result(path, limits, &|bytes| {
        validate_with(request, bytes, &options)
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
    out: &mut Output,
) -> bool {
    let mut printer = Printer::new(format, schema, false, false);
    for result in results {
        printer.print(result, out);
    }
    printer.finish(what, out)
}

/// Results printed one by one as they come, in one format, counted for the summary.
struct Printer {
    format: Format,
    /// The schema id and its JSON Schema, for the hints of the human format.
    schema: Option<(SchemaId, serde_json::Value)>,
    /// One JSON object per line (`--ndjson`) rather than one `{"files": [...]}`.
    json_lines: bool,
    /// Quote lines as they are, secrets and long values too (`--show-values`).
    show_values: bool,
    printed: usize,
    invalid: usize,
}

impl Printer {
    fn new(
        format: Format,
        schema: Option<SchemaId>,
        json_lines: bool,
        show_values: bool,
    ) -> Printer {
        Printer {
            format,
            schema: schema.map(|id| (id, schema_value(id))),
            json_lines,
            show_values,
            printed: 0,
            invalid: 0,
        }
    }

    fn print(&mut self, result: &FileResult, out: &mut Output) {
        let schema = self.schema.as_ref().map(|(id, value)| (*id, value));
        match self.format {
            Format::Human => out.write(&render::human(result, schema, self.show_values)),
            Format::Github => out.write(&render::github(result)),
            Format::Json if self.json_lines => {
                out.write(&format!(
                    "{}\n",
                    render::json_text(&render::json_file(result))
                ));
            }
            Format::Json => {
                out.write(if self.printed == 0 {
                    "{\"files\":["
                } else {
                    ","
                });
                out.write(&render::json_text(&render::json_file(result)));
            }
        }
        self.printed += 1;
        self.invalid += usize::from(!result.valid());
    }

    /// Ends the output (the JSON document, the summary line); true when every
    /// result printed was valid.
    fn finish(self, what: &str, out: &mut Output) -> bool {
        if self.format == Format::Json && !self.json_lines {
            out.write(if self.printed == 0 {
                "{\"files\":[]}\n"
            } else {
                "]}\n"
            });
        }
        if self.format == Format::Human {
            note(&format!(
                "{} {what}: {} valid, {} invalid",
                self.printed,
                self.printed - self.invalid,
                self.invalid
            ));
        }
        self.invalid == 0
    }
}

/// Validates line after line, a chunk at a time on every core, printing as it goes:
/// memory holds one chunk (at most 1,024 lines and about `--max-bytes` bytes), not
/// the file.
fn validate_ndjson(
    id: SchemaId,
    options: &Options,
    format: Format,
    limits: Limits,
    files: &[PathBuf],
    out: &mut Output,
) -> bool {
    const CHUNK: usize = 1024;
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let progress = std::io::stderr().is_terminal();
    let mut printer = Printer::new(format, Some(id), true, options.shows_values());
    let (mut payloads, mut bytes_seen) = (0usize, 0u64);
    // The bar measures bytes against the size of the files (stdin has none).
    let total: u64 = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    for path in files {
        let name = display(path);
        let problem = |message: String| FileResult {
            path: name.clone(),
            first_line: 1,
            bytes: Vec::new(),
            diagnostics: vec![check::file_problem(Kind::Malformed, message)],
        };
        let reader: Box<dyn BufRead> = if path == Path::new("-") {
            Box::new(std::io::stdin().lock())
        } else {
            let opened = match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => Err("is a directory, not a file".to_owned()),
                _ => std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}")),
            };
            match opened {
                Ok(file) => Box::new(std::io::BufReader::with_capacity(1 << 20, file)),
                Err(message) => {
                    printer.print(&problem(message), out);
                    continue;
                }
            }
        };
        let mut lines = Lines {
            reader,
            max_bytes: limits.max_bytes,
            number: 0,
            done: false,
        };
        let mut payloads_here = 0usize;
        loop {
            let mut chunk: Vec<(usize, Line)> = Vec::new();
            let mut chunk_bytes = 0u64;
            while chunk.len() < CHUNK && chunk_bytes < limits.max_bytes {
                let Some((number, line)) = lines.next() else {
                    break;
                };
                chunk_bytes =
                    chunk_bytes.saturating_add(line.as_ref().map_or(0, |b| b.len() as u64 + 1));
                chunk.push((number, line));
            }
            if chunk.is_empty() {
                break;
            }
            let blank =
                |line: &Line| matches!(line, Ok(b) if b.iter().all(u8::is_ascii_whitespace));
            payloads_here += chunk.iter().filter(|(_, line)| !blank(line)).count();
            bytes_seen = bytes_seen.saturating_add(chunk_bytes);
            let results = judge_chunk(
                &chunk,
                workers,
                &|number, line| line_result(id, options, limits, &name, number, line),
                &|number| FileResult {
                    path: name.clone(),
                    first_line: number,
                    bytes: Vec::new(),
                    diagnostics: vec![check::file_problem(
                        Kind::Malformed,
                        "internal error: the check of this line failed, so it is not valid".into(),
                    )],
                },
            );
            for result in &results {
                printer.print(result, out);
            }
            if progress {
                let _ = write!(
                    std::io::stderr(),
                    "\r{}",
                    progress_line(bytes_seen, total, payloads + payloads_here, printer.invalid)
                );
            }
        }
        if payloads_here == 0 {
            printer.print(&problem("no payload: every line is empty".into()), out);
        }
        payloads += payloads_here;
    }
    if progress {
        note("");
    }
    note(&format!(
        "{payloads} payload(s) checked against {id}: {} valid, {} invalid",
        payloads.saturating_sub(printer.invalid),
        printer.invalid
    ));
    printer.invalid == 0
}

/// The invalid lines of `chunk`, judged by `judge` on `workers` threads. A part whose
/// thread failed has judged nothing: each of its lines is reported as `failed`
/// says, never counted valid.
fn judge_chunk(
    chunk: &[(usize, Line)],
    workers: usize,
    judge: &(dyn Fn(usize, &Line) -> Option<FileResult> + Sync),
    failed: &dyn Fn(usize) -> FileResult,
) -> Vec<FileResult> {
    let per_worker = chunk.len().div_ceil(workers.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunk
            .chunks(per_worker)
            .map(|part| {
                let handle = scope.spawn(move || {
                    part.iter()
                        .filter_map(|(number, line)| judge(*number, line))
                        .collect::<Vec<_>>()
                });
                (part, handle)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(part, handle)| {
                handle
                    .join()
                    .unwrap_or_else(|_| part.iter().map(|(number, _)| failed(*number)).collect())
            })
            .collect()
    })
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

/// The result of one NDJSON line when it is invalid; blank lines are skipped.
fn line_result(
    id: SchemaId,
    options: &Options,
    limits: Limits,
    name: &str,
    number: usize,
    line: &Line,
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
            check::check(bytes, limits, &|bytes| validate_with(id, bytes, options)),
        ),
        Err(unread) => (
            Vec::new(),
            vec![check::file_problem(unread.kind, unread.message.clone())],
        ),
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

/// One NDJSON line: its bytes, or why it could not be read.
type Line = Result<Vec<u8>, io::Unread>;

/// The lines of a reader, each capped at `max_bytes`. A longer line, or a read
/// that fails, is reported and ends the file: what follows is not read (it may
/// never end: `/dev/zero` has no newline).
struct Lines {
    reader: Box<dyn BufRead>,
    max_bytes: u64,
    number: usize,
    done: bool,
}

impl Iterator for Lines {
    type Item = (usize, Line);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut line = Vec::new();
        let read = (&mut self.reader)
            .take(self.max_bytes.saturating_add(1))
            .read_until(b'\n', &mut line);
        self.number += 1;
        let ends = line.last() == Some(&b'\n');
        match read {
            Ok(0) => None,
            Err(e) => {
                self.done = true;
                Some((
                    self.number,
                    Err(io::Unread::failed(format!("cannot read the line: {e}"))),
                ))
            }
            Ok(_) if ends || (line.len() as u64) <= self.max_bytes => {
                if ends {
                    line.pop();
                }
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                Some((self.number, Ok(line)))
            }
            Ok(_) => {
                self.done = true;
                Some((
                    self.number,
                    Err(io::Unread::limit(format!(
                        "the line is longer than the limit of {} bytes (--max-bytes): the rest of the file is not read",
                        self.max_bytes
                    ))),
                ))
            }
        }
    }
}

fn roundtrip(
    id: SchemaId,
    file: &Path,
    max_bytes: u64,
    options: &Options,
    out: &mut Output,
) -> ExitCode {
    let name = display(file);
    let bytes = match io::read_bounded(file, max_bytes) {
        Ok(bytes) => bytes,
        Err(error) => {
            note(&format!("error: {}: {error}", render::printable(&name)));
            return ExitCode::FAILURE;
        }
    };
    match parse_with(id, &bytes, options) {
        Ok(payload) => match serde_json::to_string_pretty(&payload) {
            Ok(text) => {
                out.write(&text);
                out.write("\n");
                ExitCode::SUCCESS
            }
            Err(error) => {
                note(&format!("error: writing the payload: {error}"));
                ExitCode::from(2)
            }
        },
        Err(report) => {
            print_report(&name, id, &report);
            ExitCode::FAILURE
        }
    }
}

fn print_report(name: &str, id: SchemaId, report: &Report) {
    note(&format!(
        "{}: not a valid {id} payload",
        render::printable(name)
    ));
    for diagnostic in &report.diagnostics {
        let at = if diagnostic.instance_path.is_empty() {
            "(root)"
        } else {
            &diagnostic.instance_path
        };
        note(&format!(
            "  {} at {}: {}",
            diagnostic.severity,
            render::printable(at),
            render::printable(&diagnostic.message)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_check_counts_its_lines_invalid() {
        let chunk: Vec<(usize, Line)> = (1..=8).map(|n| (n, Ok(b"{}".to_vec()))).collect();
        let failed = |number| FileResult {
            path: "x".into(),
            first_line: number,
            bytes: Vec::new(),
            diagnostics: vec![check::file_problem(Kind::Malformed, "failed".into())],
        };
        // The thread judging lines 5 to 8 panics: those four are reported.
        let judged = judge_chunk(
            &chunk,
            2,
            &|number, _| {
                assert!(number < 5, "a check that fails");
                None
            },
            &failed,
        );
        let lines: Vec<usize> = judged.iter().map(|r| r.first_line).collect();
        assert_eq!(lines, [5, 6, 7, 8]);
        assert!(judged.iter().all(|r| !r.valid()));
    }

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
