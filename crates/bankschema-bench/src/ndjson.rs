//! `bankschema validate --ndjson` on about 222 MB of get-accounts outputs, beside
//! the jsonschema crate's own command line (`jsonschema-cli`, which reads no
//! NDJSON: the same payloads as files, 2,000 per call, `--assert-format
//! --errors-only --offline`), and against what serde alone reads on every core:
//! wall clock, throughput and peak memory of each program, and the two targets
//! (3× jsonschema-cli; half of the cores × the serde typed parse).
//!
//! It runs the release `bankschema` beside this binary and
//! `<target>/tools/bin/jsonschema-cli`: `cargo xtask bench` builds the one and
//! installs the other. One missing is said in the section, and the rest is still
//! measured. Rounds alternate the programs; the figures are medians.

use bankschema_bench::{accounts, write_ndjson, NDJSON_LINES};
use bankschema_types::get_accounts::AccountList;
use serde_json::{json, Value};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The jsonschema-cli release compared with (`cargo xtask bench` installs it).
pub const JSONSCHEMA_CLI: &str = "0.60.2";

/// Instances per call of jsonschema-cli.
const PER_CALL: usize = 2_000;

/// At most this many rounds, each about five seconds.
const MAX_ROUNDS: usize = 3;

/// One program over all the payloads.
#[derive(Clone, Copy, Debug)]
struct Sample {
    seconds: f64,
    /// User and system time, in seconds: what a shared machine changes least.
    cpu_seconds: f64,
    /// The largest resident memory of a process, in bytes.
    peak_bytes: u64,
}

impl std::fmt::Display for Sample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.2} s ({:.2} s CPU, {:.1} MiB)",
            self.seconds,
            self.cpu_seconds,
            self.peak_bytes as f64 / MIB
        )
    }
}

/// Everything measured, medians.
struct Figures {
    bytes: u64,
    rounds: usize,
    cores: usize,
    bankschema: Sample,
    jsonschema_cli: Result<Sample, String>,
    /// What `serde_json::from_slice` reads into the generated type on one core,
    /// in bytes per second, and the size of the payload it reads.
    serde_per_core: f64,
    payload_bytes: usize,
}

/// The NDJSON section of the bench: a markdown section, and its part of
/// `summary.json`. What could not be measured is said in both.
pub fn measure(rounds: usize, machine: &str) -> (String, Value) {
    match run(rounds.clamp(1, MAX_ROUNDS)) {
        Ok(figures) => (figures.markdown(machine), figures.summary()),
        Err(error) => (
            format!("The NDJSON figures were not measured: {error}\n"),
            json!({ "error": error }),
        ),
    }
}

/// Writes the payloads and measures every side, `rounds` times.
fn run(rounds: usize) -> Result<Figures, String> {
    let target = target_dir()?;
    let bankschema = target
        .join("release")
        .join(format!("bankschema{}", std::env::consts::EXE_SUFFIX));
    if !bankschema.is_file() {
        return Err(format!(
            "{} is missing (`cargo xtask bench` builds it)",
            bankschema.display()
        ));
    }
    let work = target.join("ndjson");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let ndjson = work.join("accounts.ndjson");
    let bytes = write_ndjson(&ndjson, NDJSON_LINES)?;
    let cli = target
        .join("tools/bin")
        .join(format!("jsonschema-cli{}", std::env::consts::EXE_SUFFIX));
    let files = work.join("files");
    let calls = match cli.is_file() {
        true => write_files(&ndjson, &files),
        false => Err(format!(
            "{} is not installed (`cargo xtask bench` installs it: cargo install --locked jsonschema-cli --version {JSONSCHEMA_CLI} --root {})",
            cli.display(),
            target.join("tools").display()
        )),
    };
    let payload = serde_json::to_vec(&accounts(10)?).map_err(|e| e.to_string())?;
    serde_json::from_slice::<AccountList>(&payload)
        .map_err(|e| format!("the typed parse refuses the payload: {e}"))?;
    let (mut ours, mut theirs, mut serde) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=rounds {
        ours.push(run_bankschema(&bankschema, &ndjson, &work)?);
        if let Ok(calls) = &calls {
            theirs.push(run_jsonschema_cli(&cli, calls, &files));
        }
        serde.push(serde_typed(&payload));
        let cli_said = match theirs.last() {
            Some(Ok(sample)) => sample.to_string(),
            Some(Err(error)) => error.clone(),
            None => "not installed".to_owned(),
        };
        eprintln!(
            "ndjson round {round}: bankschema {}, jsonschema-cli {cli_said}, serde typed {:.0} MB/s per core",
            ours.last().map(Sample::to_string).unwrap_or_default(),
            serde.last().copied().unwrap_or_default() / MB
        );
    }
    let jsonschema_cli = calls.and_then(|_| {
        let samples: Result<Vec<Sample>, String> = theirs.into_iter().collect();
        samples.map(|s| median_sample(&s))
    });
    Ok(Figures {
        bytes,
        rounds,
        cores: std::thread::available_parallelism().map_or(1, usize::from),
        bankschema: median_sample(&ours),
        jsonschema_cli,
        serde_per_core: median(serde),
        payload_bytes: payload.len(),
    })
}

/// The target directory: this binary is `<target>/release/bankschema-bench`.
fn target_dir() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("this binary's path: {e}"))?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_owned)
        .ok_or_else(|| format!("{}: no target directory above it", exe.display()))
}

/// Each line of `ndjson` as a file of its own in `dir`, for jsonschema-cli: the
/// names, [`PER_CALL`] per call. The files are written beside `dir` and renamed
/// whole, and kept for the next run while the lines are the same.
fn write_files(ndjson: &Path, dir: &Path) -> Result<Vec<Vec<String>>, String> {
    let failed = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    let text = std::fs::read(ndjson).map_err(|e| failed(ndjson, e))?;
    let lines: Vec<&[u8]> = text
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let names: Vec<String> = (0..lines.len()).map(|i| format!("p{i:05}.json")).collect();
    let calls = names.chunks(PER_CALL).map(<[String]>::to_vec).collect();
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&text, &mut hasher);
    let stamp = format!("{} {:x}\n", text.len(), std::hash::Hasher::finish(&hasher));
    let stamp_path = dir.with_extension("stamp");
    if dir.is_dir() && std::fs::read_to_string(&stamp_path).ok().as_deref() == Some(&stamp) {
        return Ok(calls);
    }
    let partial = dir.with_extension("partial");
    for stale in [&partial, dir] {
        if stale.exists() {
            std::fs::remove_dir_all(stale).map_err(|e| failed(stale, e))?;
        }
    }
    std::fs::create_dir_all(&partial).map_err(|e| failed(&partial, e))?;
    for (name, line) in names.iter().zip(&lines) {
        let path = partial.join(name);
        std::fs::write(&path, line).map_err(|e| failed(&path, e))?;
    }
    std::fs::rename(&partial, dir).map_err(|e| failed(dir, e))?;
    std::fs::write(&stamp_path, stamp).map_err(|e| failed(&stamp_path, e))?;
    Ok(calls)
}

/// `bankschema validate --ndjson` on `ndjson`, which must find every line valid.
fn run_bankschema(bankschema: &Path, ndjson: &Path, work: &Path) -> Result<Sample, String> {
    let log = work.join("bankschema.stderr");
    let stderr = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut command = Command::new(bankschema);
    command
        .args(["validate", "--schema", "get-accounts.output", "--ndjson"])
        .arg(ndjson);
    let (code, sample) = measured(&command, stderr.into())?;
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    let expected = format!(
        "{NDJSON_LINES} payload(s) checked against get-accounts.output: {NDJSON_LINES} valid, 0 invalid"
    );
    if code != 0 || !said.contains(&expected) {
        return Err(format!(
            "bankschema validate --ndjson exited with {code}: {}",
            said.trim()
        ));
    }
    Ok(sample)
}

/// jsonschema-cli on the files of `dir`, a call per part of `calls`, each of
/// which must find its files valid: the time of them all, the peak of the largest.
fn run_jsonschema_cli(cli: &Path, calls: &[Vec<String>], dir: &Path) -> Result<Sample, String> {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../generated/bankschema-validator/schemas/get-accounts.output.json");
    let schema = schema
        .canonicalize()
        .map_err(|e| format!("{}: {e}", schema.display()))?;
    let mut all = Sample {
        seconds: 0.0,
        cpu_seconds: 0.0,
        peak_bytes: 0,
    };
    for names in calls {
        let mut command = Command::new(cli);
        command
            .current_dir(dir)
            .args(["validate", "--assert-format", "--errors-only", "--offline"])
            .arg(&schema)
            .arg("-i")
            .args(names);
        let (code, sample) = measured(&command, Stdio::null())?;
        if code != 0 {
            return Err(format!(
                "jsonschema-cli exited with {code} on {} files from {}",
                names.len(),
                names.first().map_or("", String::as_str)
            ));
        }
        all.seconds += sample.seconds;
        all.cpu_seconds += sample.cpu_seconds;
        all.peak_bytes = all.peak_bytes.max(sample.peak_bytes);
    }
    Ok(all)
}

/// The flag of [`peak_of`].
pub const PEAK_OF: &str = "--peak-of";

/// `bankschema-bench --peak-of PROGRAM [ARGS...]`: runs the program (its standard
/// output dropped) and prints `CODE PEAK_BYTES SECONDS CPU_SECONDS`: its exit code
/// (-1 when a signal ended it), its peak resident memory, its wall clock and its
/// user and system time.
///
/// A process of its own, and a small one: the peak `wait4` reports for a child
/// counts the memory of the process that started it (Linux records the old
/// address space's peak when the child execs), and the bench holds hundreds of
/// megabytes where this holds a few.
pub fn peak_of(args: &[String]) -> Result<(), String> {
    let (program, args) = args
        .split_first()
        .ok_or("usage: bankschema-bench --peak-of PROGRAM [ARGS...]")?;
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    let (code, peak, cpu) = wait(child)?;
    let seconds = started.elapsed().as_secs_f64();
    println!("{} {peak} {seconds} {cpu}", code.unwrap_or(-1));
    Ok(())
}

/// `command` run through [`peak_of`] (its directory kept, its standard error to
/// `stderr`): its exit code, time and peak memory.
fn measured(command: &Command, stderr: Stdio) -> Result<(i32, Sample), String> {
    let exe = std::env::current_exe().map_err(|e| format!("this binary's path: {e}"))?;
    let mut helper = Command::new(exe);
    helper
        .arg(PEAK_OF)
        .arg(command.get_program())
        .args(command.get_args())
        .stdin(Stdio::null())
        .stderr(stderr);
    if let Some(dir) = command.get_current_dir() {
        helper.current_dir(dir);
    }
    let output = helper.output().map_err(|e| format!("{PEAK_OF}: {e}"))?;
    let said = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<&str> = said.split_whitespace().collect();
    let parsed = match fields.as_slice() {
        [code, peak, seconds, cpu] => code
            .parse()
            .ok()
            .zip(peak.parse().ok())
            .zip(seconds.parse().ok())
            .zip(cpu.parse().ok()),
        _ => None,
    };
    let (((code, peak_bytes), seconds), cpu_seconds) = parsed.ok_or_else(|| {
        format!(
            "{PEAK_OF} {}: {}",
            command.get_program().to_string_lossy(),
            said.trim()
        )
    })?;
    Ok((
        code,
        Sample {
            seconds,
            cpu_seconds,
            peak_bytes,
        },
    ))
}

/// Waits for `child`: its exit code (none when a signal ended it), the peak of its
/// resident memory in bytes and its user and system time in seconds, as `wait4`
/// reports them for that child alone.
#[cfg(unix)]
fn wait(child: Child) -> Result<(Option<i32>, u64, f64), String> {
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| e.to_string())?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain integers, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is a child of this process that nothing has waited for
        // (`Child` waits only when asked, and it is dropped unasked); both
        // pointers are to locals that outlive the call.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("waiting for process {pid}: {error}"));
        }
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Linux counts kilobytes, macOS bytes.
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0) * unit;
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok((
        code,
        peak,
        seconds(usage.ru_utime) + seconds(usage.ru_stime),
    ))
}

/// Waits for `child`: its exit code; its peak memory and time are not known here.
#[cfg(not(unix))]
fn wait(mut child: Child) -> Result<(Option<i32>, u64, f64), String> {
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok((status.code(), 0, f64::NAN))
}

/// The bytes per second `serde_json::from_slice` reads `payload` into the
/// generated type at, on this thread, for about half a second.
fn serde_typed(payload: &[u8]) -> f64 {
    let started = Instant::now();
    let mut parsed = 0u64;
    while started.elapsed() < Duration::from_millis(500) {
        for _ in 0..16 {
            black_box(serde_json::from_slice::<AccountList>(black_box(payload)).is_ok());
            parsed += 1;
        }
    }
    (parsed * payload.len() as u64) as f64 / started.elapsed().as_secs_f64()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The median time and the median peak, each of its own.
fn median_sample(samples: &[Sample]) -> Sample {
    Sample {
        seconds: median(samples.iter().map(|s| s.seconds).collect()),
        cpu_seconds: median(samples.iter().map(|s| s.cpu_seconds).collect()),
        peak_bytes: median(samples.iter().map(|s| s.peak_bytes as f64).collect()) as u64,
    }
}

const MB: f64 = 1e6;
const MIB: f64 = (1 << 20) as f64;

impl Figures {
    fn throughput(&self, sample: &Sample) -> f64 {
        self.bytes as f64 / sample.seconds
    }

    /// bankschema's throughput over jsonschema-cli's (target 3).
    fn over_jsonschema_cli(&self) -> Option<f64> {
        let theirs = self.jsonschema_cli.as_ref().ok()?;
        Some(self.throughput(&self.bankschema) / self.throughput(theirs))
    }

    /// bankschema's throughput over the cores × the serde typed parse (target 0.5).
    fn share_of_cores(&self) -> f64 {
        self.throughput(&self.bankschema) / (self.serde_per_core * self.cores as f64)
    }

    fn markdown(&self, machine: &str) -> String {
        let row = |name: &str, sample: &Sample| {
            format!(
                "| {name} | {:.2} s | {:.0} MB/s | {:.2} s | {:.1} MiB |\n",
                sample.seconds,
                self.throughput(sample) / MB,
                sample.cpu_seconds,
                sample.peak_bytes as f64 / MIB
            )
        };
        let mut out = format!(
            "`bankschema validate --ndjson` on {:.0} MB of get-accounts outputs ({NDJSON_LINES} lines of ten accounts each), beside `jsonschema-cli` {JSONSCHEMA_CLI} on the same payloads as files ({PER_CALL} per call, `--assert-format --errors-only --offline`), median of {} alternating rounds, on {machine}:\n\n\
             | | wall clock | throughput | CPU time | peak memory |\n|---|---:|---:|---:|---:|\n",
            self.bytes as f64 / MB,
            self.rounds
        );
        out += &row("`bankschema validate --ndjson`", &self.bankschema);
        match &self.jsonschema_cli {
            Ok(sample) => out += &row("`jsonschema-cli validate` (files)", sample),
            Err(error) => {
                out += &format!(
                    "| `jsonschema-cli validate` (files) | not measured: {error} | | | |\n"
                )
            }
        }
        let serde = self.serde_per_core / MB;
        out += &format!(
            "\nThe serde typed parse of one compact payload of ten accounts ({} bytes) into `AccountList`: {serde:.0} MB/s on one core, {:.0} MB/s for {} cores.\n\nAgainst the targets: ",
            self.payload_bytes,
            serde * self.cores as f64,
            self.cores
        );
        if let Some(ratio) = self.over_jsonschema_cli() {
            out += &format!("{ratio:.2}× jsonschema-cli's throughput (target 3×); ");
        }
        out += &format!(
            "{:.0}% of {} cores × the serde typed parse (target 50%); peak memory {:.1} MiB (target under 64 MB).\n",
            self.share_of_cores() * 100.0,
            self.cores,
            self.bankschema.peak_bytes as f64 / MIB
        );
        out
    }

    fn summary(&self) -> Value {
        let sample = |s: &Sample| {
            json!({
                "seconds": s.seconds,
                "cpu_seconds": s.cpu_seconds,
                "mb_per_s": self.throughput(s) / MB,
                "peak_bytes": s.peak_bytes,
            })
        };
        json!({
            "bytes": self.bytes,
            "lines": NDJSON_LINES,
            "rounds": self.rounds,
            "cores": self.cores,
            "bankschema": sample(&self.bankschema),
            "jsonschema_cli": match &self.jsonschema_cli {
                Ok(s) => sample(s),
                Err(error) => json!({ "error": error }),
            },
            "serde_typed_mb_per_s_per_core": self.serde_per_core / MB,
            "over_jsonschema_cli": self.over_jsonschema_cli(),
            "share_of_cores_serde_typed": self.share_of_cores(),
        })
    }
}
