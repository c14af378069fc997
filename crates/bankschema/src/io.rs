//! Reading and writing for the command line, as hostile input and a fallible
//! output need: every read is bounded by what is actually read (a FIFO, `/dev/zero`
//! or a file swapped after a size check holds no more than the limit), and every
//! write is checked (a reader that went away ends the output quietly; a full disk
//! is an error, exit 2).

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// `path` (or standard input for `-`), refused past `max_bytes` bytes read.
pub fn read_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    let too_big =
        |what: &str| format!("{what} holds more than {max_bytes} bytes, the limit (--max-bytes)");
    if path == Path::new("-") {
        return read_all(std::io::stdin().lock(), max_bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?
            .ok_or_else(|| too_big("standard input"));
    }
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read the file: {e}"))?;
    if metadata.is_dir() {
        return Err("is a directory, not a file".to_owned());
    }
    // A regular file says its size: refused without reading. Anything else (a FIFO,
    // a device, a file growing under us) is refused by what is read.
    if metadata.is_file() && metadata.len() > max_bytes {
        return Err(format!(
            "the file is {} bytes, more than the limit of {max_bytes} (--max-bytes)",
            metadata.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    read_all(file, max_bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?
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
