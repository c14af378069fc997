//! Reading and writing for the command line, as hostile input and a fallible
//! output need: every read is bounded by what is actually read (a FIFO, `/dev/zero`
//! or a file swapped after a size check holds no more than the limit), and every
//! write is checked (a reader that went away ends the output quietly; a full disk
//! is an error, exit 2).

use bankschema_validator::Kind;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// Why an input was not read: beyond a limit (`Kind::Limit`), or unreadable
/// (`Kind::Malformed`: missing, a directory, an I/O error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unread {
    pub kind: Kind,
    pub message: String,
}

impl Unread {
    pub fn limit(message: String) -> Unread {
        Unread {
            kind: Kind::Limit,
            message,
        }
    }

    pub fn failed(message: String) -> Unread {
        Unread {
            kind: Kind::Malformed,
            message,
        }
    }
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// `path` (or standard input for `-`), refused past `max_bytes` bytes read.
pub fn read_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>, Unread> {
    let too_big = |what: &str| {
        Unread::limit(format!(
            "{what} holds more than {max_bytes} bytes, the limit (--max-bytes)"
        ))
    };
    let failed = |e: std::io::Error| Unread::failed(format!("cannot read the file: {e}"));
    if path == Path::new("-") {
        return read_all(std::io::stdin().lock(), max_bytes)
            .map_err(|e| Unread::failed(format!("cannot read standard input: {e}")))?
            .ok_or_else(|| too_big("standard input"));
    }
    let metadata = std::fs::metadata(path).map_err(failed)?;
    if metadata.is_dir() {
        return Err(Unread::failed("is a directory, not a file".to_owned()));
    }
    // A regular file says its size: refused without reading. Anything else (a FIFO,
    // a device, a file growing under us) is refused by what is read.
    if metadata.is_file() && metadata.len() > max_bytes {
        return Err(Unread::limit(format!(
            "the file is {} bytes, more than the limit of {max_bytes} (--max-bytes)",
            metadata.len()
        )));
    }
    let file = std::fs::File::open(path).map_err(failed)?;
    read_all(file, max_bytes)
        .map_err(failed)?
        .ok_or_else(|| too_big("the file"))
}

/// Everything `reader` holds, or `None` when it holds more than `max_bytes`.
pub fn read_all(reader: impl Read, max_bytes: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((u64::try_from(bytes.len()).unwrap_or(u64::MAX) <= max_bytes).then_some(bytes))
}

/// Standard output, written a piece at a time. After a reader went away (`| head`)
/// the rest is dropped quietly; after any other failure (`>/dev/full`) too, and
/// [`Output::finish`] turns it into exit status 2.
#[derive(Default)]
pub struct Output {
    closed: bool,
    failed: Option<String>,
}

impl Output {
    pub fn write(&mut self, text: &str) {
        if self.closed || self.failed.is_some() || text.is_empty() {
            return;
        }
        let mut stdout = std::io::stdout().lock();
        if let Err(error) = stdout.write_all(text.as_bytes()) {
            self.fail(error);
        }
    }

    fn fail(&mut self, error: std::io::Error) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            self.closed = true;
        } else {
            self.failed = Some(error.to_string());
        }
    }

    /// The exit status: `status`, unless the output could not be written.
    pub fn finish(mut self, status: ExitCode) -> ExitCode {
        if !self.closed && self.failed.is_none() {
            if let Err(error) = std::io::stdout().lock().flush() {
                self.fail(error);
            }
        }
        match self.failed {
            Some(error) => {
                note(&format!("error: cannot write the output: {error}"));
                ExitCode::from(2)
            }
            None => status,
        }
    }
}

/// A line on standard error; a closed standard error loses it, never panics.
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}
