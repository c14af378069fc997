//! Printing results: every file's diagnostics in one format, counted for the
//! summary line.

use crate::io::{note, Output};
use crate::render::{self, FileResult};
use crate::Format;
use bankschema_validator::SchemaId;

/// The JSON Schema of `id`, for the hints of the human format.
fn schema_value(id: SchemaId) -> serde_json::Value {
    serde_json::from_str(id.json_schema()).unwrap_or_default()
}

/// Prints every result in `format` and a summary line; true when all are valid.
pub(crate) fn print_results(
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
pub(crate) struct Printer {
    format: Format,
    /// The schema id and its JSON Schema, for the hints of the human format.
    schema: Option<(SchemaId, serde_json::Value)>,
    /// One JSON object per line (`--ndjson`) rather than one `{"files": [...]}`.
    json_lines: bool,
    /// Quote lines as they are, secrets and long values too (`--show-values`).
    show_values: bool,
    printed: usize,
    pub(crate) invalid: usize,
}

impl Printer {
    pub(crate) fn new(
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

    pub(crate) fn print(&mut self, result: &FileResult, out: &mut Output) {
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
    pub(crate) fn finish(self, what: &str, out: &mut Output) -> bool {
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
