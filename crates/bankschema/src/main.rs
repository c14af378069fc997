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
mod ndjson;
mod print;
mod render;
mod roundtrip;
mod rules;
mod serve;
mod validate;

use bankschema_validator::{Options, SchemaId};
use check::DEFAULT_LIMITS;
use clap::{Parser, Subcommand, ValueEnum};
use io::{note, Output};
#[cfg(feature = "codegen")]
use print::print_results;
#[cfg(feature = "codegen")]
use render::FileResult;
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
        Command::Schemas => schemas(out),
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
        } => validate::validate(
            validate::Request {
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
            },
            out,
        ),
        Command::Rules { format } => {
            out.write(&rules::rules(format));
            ExitCode::SUCCESS
        }
        #[cfg(feature = "codegen")]
        Command::Check { paths, format } => check_sources(&paths, format, out),
        Command::Diff {
            old,
            new,
            format,
            fail_on,
        } => compare_versions(&old, &new, format, fail_on, out),
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
            roundtrip::roundtrip(schema, &file, max_bytes, &options, out)
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

/// `bankschema schemas`: each schema id and what it names.
fn schemas(out: &mut Output) -> ExitCode {
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

/// `bankschema check`: the schema sources and examples under `paths`, linted.
#[cfg(feature = "codegen")]
fn check_sources(paths: &[PathBuf], format: Format, out: &mut Output) -> ExitCode {
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

/// `bankschema diff`: the changes from `old` to `new` (paths or `REV:path`), and
/// whether one reaches `fail_on`.
fn compare_versions(
    old: &str,
    new: &str,
    format: diff::Format,
    fail_on: diff::Severity,
    out: &mut Output,
) -> ExitCode {
    match (diff::load_version(old), diff::load_version(new)) {
        (Ok(old_api), Ok(new_api)) => {
            let changes = diff::diff(&old_api, &new_api);
            // Annotations point at the new version's file, as the tree has it.
            let file = new.split_once(':').map_or(new, |(_, path)| path);
            let file = if Path::new(new).exists() { new } else { file };
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
    }
}

fn display(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}
