//! `bankschema validate --ndjson`: payloads line by line, a chunk at a time on
//! every core, printed as they are judged.

use crate::check::{self, Limits};
use crate::io::{self, note, Output};
use crate::print::Printer;
use crate::render::FileResult;
use crate::{display, Format};
use bankschema_validator::{parse_with, validate_with, Kind, Options, SchemaId};
use std::io::{BufRead, IsTerminal, Read, Write as _};
use std::path::{Path, PathBuf};

/// Validates line after line, a chunk at a time on every core, printing as it goes:
/// memory holds one chunk (at most 1,024 lines and about `--max-bytes` bytes), not
/// the file.
pub(crate) fn validate_ndjson(
    id: SchemaId,
    options: &Options,
    format: Format,
    limits: Limits,
    files: &[PathBuf],
    out: &mut Output,
) -> bool {
    let mut printer = Printer::new(format, Some(id), true, options.shows_values());
    let mut stream = Stream {
        id,
        options,
        limits,
        workers: std::thread::available_parallelism().map_or(1, usize::from),
        progress: std::io::stderr().is_terminal(),
        // The bar measures bytes against the size of the files (stdin has none).
        total: files
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum(),
        payloads: 0,
        bytes_seen: 0,
    };
    for path in files {
        let payloads_here = stream.file(path, &mut printer, out);
        stream.payloads += payloads_here;
    }
    if stream.progress {
        note("");
    }
    let payloads = stream.payloads;
    note(&format!(
        "{payloads} payload(s) checked against {id}: {} valid, {} invalid",
        payloads.saturating_sub(printer.invalid),
        printer.invalid
    ));
    printer.invalid == 0
}

/// Lines judged at a time, at most.
const CHUNK: usize = 1024;

/// One `--ndjson` run over its files: what they share, and the counts so far.
struct Stream<'a> {
    id: SchemaId,
    options: &'a Options,
    limits: Limits,
    workers: usize,
    /// Whether a progress bar is drawn on stderr (a terminal).
    progress: bool,
    /// The size of the files, in bytes.
    total: u64,
    /// Payloads counted in the files before this one.
    payloads: usize,
    bytes_seen: u64,
}

impl Stream<'_> {
    /// Validates the lines of `path`, printing each invalid one; the number of
    /// payloads it holds.
    fn file(&mut self, path: &Path, printer: &mut Printer, out: &mut Output) -> usize {
        let (id, options, limits) = (self.id, self.options, self.limits);
        let name = display(path);
        let problem = |message: String| FileResult {
            path: name.clone(),
            first_line: 1,
            bytes: Vec::new(),
            diagnostics: vec![check::file_problem(Kind::Malformed, message)],
        };
        let reader = match open(path) {
            Ok(reader) => reader,
            Err(message) => {
                printer.print(&problem(message), out);
                return 0;
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
            let (chunk, chunk_bytes) = next_chunk(&mut lines, limits.max_bytes);
            if chunk.is_empty() {
                break;
            }
            let blank =
                |line: &Line| matches!(line, Ok(b) if b.iter().all(u8::is_ascii_whitespace));
            payloads_here += chunk.iter().filter(|(_, line)| !blank(line)).count();
            self.bytes_seen = self.bytes_seen.saturating_add(chunk_bytes);
            let results = judge_chunk(
                &chunk,
                self.workers,
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
            if self.progress {
                let _ = write!(
                    std::io::stderr(),
                    "\r{}",
                    progress_line(
                        self.bytes_seen,
                        self.total,
                        self.payloads + payloads_here,
                        printer.invalid
                    )
                );
            }
        }
        if payloads_here == 0 {
            printer.print(&problem("no payload: every line is empty".into()), out);
        }
        payloads_here
    }
}

/// The reader of `path` (`-` for standard input), or why it cannot be read.
fn open(path: &Path) -> Result<Box<dyn BufRead>, String> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let opened = match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err("is a directory, not a file".to_owned()),
        _ => std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}")),
    };
    let file = opened?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 20, file)))
}

/// The next lines of `lines`: at most [`CHUNK`] of them and about `max_bytes`
/// bytes, and how many bytes they hold.
fn next_chunk(lines: &mut Lines, max_bytes: u64) -> (Vec<(usize, Line)>, u64) {
    let mut chunk: Vec<(usize, Line)> = Vec::new();
    let mut chunk_bytes = 0u64;
    while chunk.len() < CHUNK && chunk_bytes < max_bytes {
        let Some((number, line)) = lines.next() else {
            break;
        };
        chunk_bytes = chunk_bytes.saturating_add(line.as_ref().map_or(0, |b| b.len() as u64 + 1));
        chunk.push((number, line));
    }
    (chunk, chunk_bytes)
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
        // Most lines are valid: one pass into the typed value says so (the text
        // scan only for a lower `--max-depth`), and only the others pay for the
        // full report with locations.
        Ok(bytes)
            if parse_with(id, bytes, options).is_ok()
                && (!check::scan_adds_to_parse(limits) || check::text_is_clean(bytes, limits)) =>
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
