//! `bankschema validate --ndjson`: payloads line by line, judged on every core and
//! printed in input order as they are judged.
//!
//! The main thread reads each file in blocks of whole lines ([`read::Blocks`]) and
//! hands them to one worker per core, which judge them while it reads on; it
//! prints the results in input order as they come back. Memory holds the blocks
//! in flight, a budget in bytes ([`Stream::budget`]), not the file.

use crate::check::{self, Limits};
use crate::io::{self, note, Output};
use crate::print::Printer;
use crate::render::FileResult;
use crate::{display, Format};
use bankschema_validator::{parse_with, validate_with, Kind, Options, SchemaId};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write as _};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{Scope, ScopedJoinHandle};

mod read;

/// Validates line after line on every core, printing as it goes: memory holds a
/// few blocks of lines (a quarter of a megabyte each, or one line up to
/// `--max-bytes`), not the file.
pub(crate) fn validate_ndjson(
    id: SchemaId,
    options: &Options,
    format: Format,
    limits: Limits,
    files: &[PathBuf],
    out: &mut Output,
) -> bool {
    let mut printer = Printer::new(format, Some(id), true, options.shows_values());
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let judge = |number: usize, line: &[u8]| line_result(id, options, limits, number, line);
    let progress = std::io::stderr().is_terminal();
    // The bar measures bytes against the size of the files (stdin has none).
    let total = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    let payloads = std::thread::scope(|scope| {
        let mut stream = Stream::start(scope, workers, &judge, limits.max_bytes);
        stream.progress = progress.then_some(total);
        for path in files {
            stream.file(path, &mut printer, out);
        }
        stream.stop()
    });
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

/// How one line is judged: its number in its block (from 1) and its bytes give
/// its result when it is invalid.
type Judge<'a> = dyn Fn(usize, &[u8]) -> Option<FileResult> + Sync + 'a;

/// The bytes of a block for `workers` workers: a quarter of a megabyte, less with
/// many cores (the blocks in flight, two per worker, stay within 16 MiB up to 128
/// cores). Larger blocks judge no faster, and take more memory.
fn block_bytes(workers: usize) -> usize {
    ((8 << 20) / workers.max(1)).clamp(64 << 10, 256 << 10)
}

/// Whole lines of one file, in the order read, for a worker to judge.
struct Block {
    /// Its place among all the blocks sent.
    seq: u64,
    bytes: Vec<u8>,
    /// What ended the file after these lines (a line too long, a failed read).
    end: Option<io::Unread>,
}

/// A block judged: its lines and payloads counted, its invalid lines (numbered
/// from 1 in the block, without a path yet), and its bytes, for another block.
struct Judged {
    seq: u64,
    lines: usize,
    payloads: usize,
    invalid: Vec<FileResult>,
    bytes: Vec<u8>,
}

/// One `--ndjson` run over its files: the workers, and the counts so far.
struct Stream<'scope, 'env> {
    /// Blocks to the workers; `None` once they are told to stop.
    jobs: Option<SyncSender<Block>>,
    judged: Receiver<Judged>,
    workers: Vec<ScopedJoinHandle<'scope, ()>>,
    /// Judges a block here when no worker can.
    judge: &'env Judge<'env>,
    max_bytes: u64,
    block: usize,
    /// The bytes of the blocks sent and not printed yet, at most (one block more,
    /// and one line up to `--max-bytes` in it, is read meanwhile).
    budget: usize,
    /// Buffers of blocks printed, for the next blocks.
    spare: Vec<Vec<u8>>,
    /// The size of the files, when a progress bar is drawn on stderr.
    progress: Option<u64>,
    /// Payloads in the files done.
    payloads: usize,
    bytes_seen: u64,
    next_seq: u64,
}

/// The blocks of the file being read that are sent and not printed yet.
struct InFlight {
    name: String,
    /// The block to print next.
    next: u64,
    /// Blocks judged before the one to print next.
    waiting: BTreeMap<u64, Judged>,
    blocks: usize,
    bytes: usize,
    /// Lines and payloads printed so far.
    lines: usize,
    payloads: usize,
}

impl<'scope, 'env> Stream<'scope, 'env> {
    /// Starts `workers` threads judging blocks with `judge`.
    fn start(
        scope: &'scope Scope<'scope, 'env>,
        workers: usize,
        judge: &'env Judge<'env>,
        max_bytes: u64,
    ) -> Self {
        let (jobs, queue) = mpsc::sync_channel::<Block>(workers);
        let (done, judged) = mpsc::channel::<Judged>();
        let queue = Arc::new(Mutex::new(queue));
        // A thread the system refuses is one worker less; with none, blocks are
        // judged here.
        let handles = (0..workers)
            .filter_map(|_| {
                let (queue, done) = (Arc::clone(&queue), done.clone());
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || work(&queue, &done, judge))
                    .ok()
            })
            .collect();
        let block = block_bytes(workers);
        Stream {
            jobs: Some(jobs),
            judged,
            workers: handles,
            judge,
            max_bytes,
            block,
            budget: 2 * workers.max(1) * block,
            spare: Vec::new(),
            progress: None,
            payloads: 0,
            bytes_seen: 0,
            next_seq: 0,
        }
    }

    /// Validates the lines of `path`, printing each invalid one in order.
    fn file(&mut self, path: &Path, printer: &mut Printer, out: &mut Output) {
        let name = display(path);
        let reader = match open(path) {
            Ok(reader) => reader,
            Err(message) => {
                let mut problem = line_problem(1, Kind::Malformed, message);
                problem.path = name;
                printer.print(&problem, out);
                return;
            }
        };
        let mut blocks = read::Blocks::new(reader, self.max_bytes, self.block);
        let mut file = InFlight {
            name,
            next: self.next_seq,
            waiting: BTreeMap::new(),
            blocks: 0,
            bytes: 0,
            lines: 0,
            payloads: 0,
        };
        loop {
            if !self.collect(&mut file, false, printer, out) {
                return;
            }
            let buffer = self.spare.pop().unwrap_or_default();
            let Some((bytes, end)) = blocks.next(buffer) else {
                break;
            };
            let block = Block {
                seq: self.next_seq,
                bytes,
                end,
            };
            self.next_seq += 1;
            self.send(block, &mut file, printer, out);
        }
        if !self.collect(&mut file, true, printer, out) {
            return;
        }
        if file.payloads == 0 {
            let mut problem =
                line_problem(1, Kind::Malformed, "no payload: every line is empty".into());
            problem.path = file.name;
            printer.print(&problem, out);
        }
    }

    /// Sends `block` to the workers (or judges it here when none is left).
    fn send(&mut self, block: Block, file: &mut InFlight, printer: &mut Printer, out: &mut Output) {
        file.blocks += 1;
        file.bytes += block.bytes.len();
        let unsent = match &self.jobs {
            Some(jobs) if !self.workers.is_empty() => match jobs.send(block) {
                Ok(()) => return,
                Err(mpsc::SendError(block)) => block,
            },
            _ => block,
        };
        let judged = judge_block(unsent, self.judge);
        file.waiting.insert(judged.seq, judged);
        self.print_ready(file, printer, out);
    }

    /// Prints the blocks judged, in order: those ready, and until `file` is within
    /// the budget (or, with `all`, until none is in flight). False when what is
    /// in flight can no longer come back: the rest of the file is then reported,
    /// not judged.
    fn collect(
        &mut self,
        file: &mut InFlight,
        all: bool,
        printer: &mut Printer,
        out: &mut Output,
    ) -> bool {
        loop {
            let full = file.blocks > 0 && (all || file.bytes >= self.budget);
            let judged = match full {
                true => self.judged.recv().ok(),
                false => self.judged.try_recv().ok(),
            };
            match judged {
                Some(judged) => {
                    file.waiting.insert(judged.seq, judged);
                    self.print_ready(file, printer, out);
                }
                None if full => {
                    let message = "internal error: the lines from here on were not checked, so the file is not valid";
                    let mut problem = line_problem(file.lines + 1, Kind::Malformed, message.into());
                    problem.path = file.name.clone();
                    printer.print(&problem, out);
                    self.jobs = None;
                    return false;
                }
                None => return true,
            }
        }
    }

    /// Prints the judged blocks of `file` that are next in order.
    fn print_ready(&mut self, file: &mut InFlight, printer: &mut Printer, out: &mut Output) {
        while let Some(judged) = file.waiting.remove(&file.next) {
            file.next += 1;
            file.blocks -= 1;
            file.bytes -= judged.bytes.len();
            for mut result in judged.invalid {
                result.path = file.name.clone();
                result.first_line += file.lines;
                for d in &mut result.diagnostics {
                    d.line += file.lines;
                }
                printer.print(&result, out);
            }
            file.lines += judged.lines;
            file.payloads += judged.payloads;
            self.payloads += judged.payloads;
            self.bytes_seen += judged.bytes.len() as u64;
            if judged.bytes.capacity() <= 2 * self.block
                && self.spare.len() <= 2 * self.workers.len()
            {
                self.spare.push(judged.bytes);
            }
            if let Some(total) = self.progress {
                let line = progress_line(self.bytes_seen, total, self.payloads, printer.invalid);
                let _ = write!(std::io::stderr(), "\r{line}");
            }
        }
    }

    /// Stops the workers: the number of payloads in the files.
    fn stop(mut self) -> usize {
        self.jobs = None;
        for worker in self.workers.drain(..) {
            // A worker's panic is caught per line: none is left to report here.
            let _ = worker.join();
        }
        self.payloads
    }
}

/// A worker: judges the blocks of `queue` until it closes, sending each to `done`.
fn work(queue: &Mutex<Receiver<Block>>, done: &Sender<Judged>, judge: &Judge<'_>) {
    loop {
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(block) = next else {
            return;
        };
        if done.send(judge_block(block, judge)).is_err() {
            return;
        }
    }
}

/// The invalid lines of `block`, judged by `judge`, and its lines counted (blank
/// ones skipped). A line whose check panics is reported, never counted valid.
fn judge_block(block: Block, judge: &Judge<'_>) -> Judged {
    let Block { seq, bytes, end } = block;
    let (mut lines, mut payloads, mut invalid) = (0, 0, Vec::new());
    for line in read::lines(&bytes) {
        lines += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        payloads += 1;
        let number = lines;
        match catch_unwind(AssertUnwindSafe(|| judge(number, line))) {
            Ok(found) => invalid.extend(found),
            Err(_) => invalid.push(line_problem(
                number,
                Kind::Malformed,
                "internal error: the check of this line failed, so it is not valid".into(),
            )),
        }
    }
    if let Some(end) = end {
        lines += 1;
        payloads += 1;
        invalid.push(line_problem(lines, end.kind, end.message));
    }
    Judged {
        seq,
        lines,
        payloads,
        invalid,
        bytes,
    }
}

/// A problem with line `number` as a whole (it could not be read or judged).
fn line_problem(number: usize, kind: Kind, message: String) -> FileResult {
    let mut problem = check::file_problem(kind, message);
    problem.line = number;
    FileResult {
        path: String::new(),
        first_line: number,
        bytes: Vec::new(),
        diagnostics: vec![problem],
    }
}

/// The reader of `path` (`-` for standard input), or why it cannot be read.
fn open(path: &Path) -> Result<Box<dyn Read>, String> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let opened = match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err("is a directory, not a file".to_owned()),
        _ => std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}")),
    };
    Ok(Box::new(opened?))
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

/// The result of one NDJSON line (not blank) when it is invalid, numbered
/// `number`, without a path.
fn line_result(
    id: SchemaId,
    options: &Options,
    limits: Limits,
    number: usize,
    bytes: &[u8],
) -> Option<FileResult> {
    // Most lines are valid: one pass into the typed value says so (the text scan
    // only for a lower `--max-depth`), and only the others pay for the full report
    // with locations.
    if parse_with(id, bytes, options).is_ok()
        && (!check::scan_adds_to_parse(limits) || check::text_is_clean(bytes, limits))
    {
        return None;
    }
    let mut diagnostics = check::check(bytes, limits, &|bytes| validate_with(id, bytes, options));
    for d in &mut diagnostics {
        d.line += number.saturating_sub(1);
    }
    let result = FileResult {
        path: String::new(),
        first_line: number,
        bytes: bytes.to_vec(),
        diagnostics,
    };
    (!result.valid()).then_some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_check_counts_its_lines_invalid() {
        let block = Block {
            seq: 7,
            bytes: b"{}\n{}\n\n{}\r\n{}\n{}\n{}\n{}\n{}".to_vec(),
            end: Some(io::Unread::limit("too long".into())),
        };
        // The check of lines 5 to 9 panics: those five are reported.
        let judged = judge_block(block, &|number, _| {
            assert!(number < 5, "a check that fails");
            None
        });
        let lines: Vec<usize> = judged.invalid.iter().map(|r| r.first_line).collect();
        assert_eq!(lines, [5, 6, 7, 8, 9, 10]);
        assert!(judged.invalid.iter().all(|r| !r.valid()));
        let placed: Vec<usize> = judged
            .invalid
            .iter()
            .map(|r| r.diagnostics[0].line)
            .collect();
        assert_eq!(placed, lines);
        assert_eq!((judged.seq, judged.lines, judged.payloads), (7, 10, 9));
    }

    #[test]
    fn blocks_stay_small_whatever_the_cores() {
        assert_eq!(block_bytes(2), 256 << 10);
        assert_eq!(block_bytes(64), 128 << 10);
        assert_eq!(block_bytes(100_000), 64 << 10);
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
