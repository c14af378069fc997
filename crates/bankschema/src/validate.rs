//! `bankschema validate`: payloads checked file by file (or line by line with
//! `--ndjson`) against a schema id, or as MCP exchanges.

use crate::check::{self, Limits};
use crate::io::{self, note, Output};
use crate::ndjson::validate_ndjson;
use crate::print::{print_results, Printer};
use crate::render::FileResult;
use crate::{display, Format};
use bankschema_validator::{validate_with, Options, Report, SchemaId};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The flags of `bankschema validate` (see its help).
pub(crate) struct Request {
    pub(crate) schema: Option<SchemaId>,
    pub(crate) allow: Vec<String>,
    pub(crate) input: Option<PathBuf>,
    pub(crate) mcp: bool,
    pub(crate) format: Format,
    pub(crate) ndjson: bool,
    pub(crate) max_bytes: u64,
    pub(crate) max_depth: usize,
    pub(crate) show_values: bool,
    pub(crate) files: Vec<PathBuf>,
}

/// Runs `bankschema validate`: 0 when every payload is valid, 1 when one is not,
/// 2 for a usage error.
pub(crate) fn validate(request: Request, out: &mut Output) -> ExitCode {
    let Request {
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
    } = request;
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
