//! Why codegen stopped: each error names the source file and where in it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not well-formed JSON or YAML, or not the document it claims to be.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The document parses but its content is wrong or unsupported at `pointer`.
    #[error("{}: at {}: {message}", path.display(), display_pointer(pointer))]
    Schema {
        path: PathBuf,
        pointer: String,
        message: String,
    },
    /// Every refusal of one run, each located: a spec is fixed in one go, not one
    /// refusal per run.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
    /// A generator bug: the code it built for `path` (in `generated/`) is not valid.
    #[error("generating {}: {message}", path.display())]
    Generator { path: PathBuf, message: String },
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the document root"
    } else {
        pointer
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// `errors` as one error: the only one, or all of them.
    pub fn all(mut errors: Vec<Error>) -> Error {
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Many(errors)
        }
    }
}

/// Builds [`Error::Schema`] for one source file.
pub fn schema_error(path: &std::path::Path, pointer: &str, message: impl Into<String>) -> Error {
    Error::Schema {
        path: path.to_owned(),
        pointer: pointer.to_owned(),
        message: message.into(),
    }
}
