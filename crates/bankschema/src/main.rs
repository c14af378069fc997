//! The `bankschema` command line, for pre-commit hooks, CI and people.
//!
//! It is a thin shell over `bankschema-validator`: every check it makes is the
//! library's, so a service and the command line always agree on a verdict.
//!
//! Exit status: 0 when everything checked is valid, 1 when a payload is invalid or
//! unreadable, 2 for a usage error (such as an unknown schema id).

use bankschema_validator::{parse, Report, SchemaId};
use clap::{Parser, Subcommand};
use std::io::{Read, Write};
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

fn schema_id(text: &str) -> Result<SchemaId, String> {
    text.parse()
        .map_err(|e: bankschema_validator::UnknownSchemaId| e.to_string())
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
        Command::Roundtrip { schema, file } => roundtrip(schema, &file),
    }
}

fn roundtrip(id: SchemaId, file: &Path) -> ExitCode {
    let name = if file == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        file.display().to_string()
    };
    let bytes = match read(file) {
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

fn read(file: &Path) -> std::io::Result<Vec<u8>> {
    if file == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(file)
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
