//! `bankschema roundtrip`: a payload read into its generated type and written
//! out again, or its diagnostics.

use crate::display;
use crate::io::{self, note, Output};
use crate::render;
use bankschema_validator::{parse_with, Options, Report, SchemaId};
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn roundtrip(
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
