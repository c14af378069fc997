//! `cargo xtask bench`: what one call from bytes to a validated typed value costs,
//! beside the ways to get there without bankschema, on the same bytes and schema.
//!
//! Sides (each case runs every side in the same process, alternating, for several
//! rounds; the figures are medians):
//! - `bankschema`: `parse` (valid payloads) or the full report (invalid ones);
//! - `serde_typed`: `serde_json::from_slice` into the generated type, no validation;
//! - `simd_json_typed`: the same with simd-json, a SIMD reader (the faster of the
//!   two tried, see `examples/simd`), no validation either: the floor a SIMD
//!   reader sets;
//! - `jsonschema_runtime`: the jsonschema crate (formats asserted): parse into a
//!   `Value`, `is_valid` then `from_value` into the typed value (valid), or every
//!   error collected (invalid);
//! - `jsonschema_macro`: the same with its compile-time `#[jsonschema::validator]`.
//!
//! Then, beside them, what the command line's one-pass locating of 20,000
//! diagnostics costs against a `Value` parse of the same text (`locating.rs`),
//! and `bankschema validate --ndjson` on 222 MB of payloads against the jsonschema
//! crate's CLI and the serde typed parse on every core (`ndjson.rs`; its name for
//! `BANKSCHEMA_BENCH_FILTER` is `ndjson`).
//!
//! It prints a markdown table and writes `summary.json` and `summary.svg` to the
//! directory given with `--out`. `BANKSCHEMA_BENCH_ROUNDS` sets the rounds (11) and
//! `BANKSCHEMA_BENCH_FILTER` keeps only the cases whose name holds it.

mod locating;
mod ndjson;
mod sides;
mod svg;

use bankschema_bench::{accounts, example};
use bankschema_validator::{validate, SchemaId};
use serde_json::{json, Value};
use sides::{Runtime, SIDES};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// One payload to measure.
struct Case {
    name: String,
    id: SchemaId,
    bytes: Vec<u8>,
    valid: bool,
}

/// A case's median time per side, in nanoseconds.
struct Measured {
    case: Case,
    ns: [f64; sides::COUNT],
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|flag| flag == ndjson::PEAK_OF) {
        return ndjson::peak_of(&args[1..]);
    }
    let out = match args.as_slice() {
        [flag, dir] if flag == "--out" => PathBuf::from(dir),
        [] => PathBuf::from("target/bench"),
        _ => return Err("usage: bankschema-bench [--out DIR]".into()),
    };
    let rounds: usize = match std::env::var("BANKSCHEMA_BENCH_ROUNDS") {
        Ok(text) => text
            .parse()
            .map_err(|_| format!("BANKSCHEMA_BENCH_ROUNDS: not a number: {text}"))?,
        Err(_) => 11,
    };
    let runtime = Runtime::new()?;
    // `BANKSCHEMA_BENCH_FILTER=get-accounts.output/100` runs only the cases whose
    // name holds it (for profiling one).
    let filter = std::env::var("BANKSCHEMA_BENCH_FILTER").unwrap_or_default();
    let cases: Vec<Case> = cases()?
        .into_iter()
        .filter(|case| case.name.contains(&filter))
        .collect();
    for case in &cases {
        check_case(case, &runtime)?;
    }
    let mut measured = Vec::new();
    for case in cases {
        let ns = measure(&case, &runtime, rounds);
        eprintln!(
            "{:<40} {}",
            case.name,
            ns.iter()
                .map(|n| format!("{:>12.0}", n))
                .collect::<String>()
        );
        measured.push(Measured { case, ns });
    }
    let mut table = markdown(&measured, rounds);
    if filter.is_empty() || "locating".contains(&filter) {
        table.push('\n');
        table.push_str(&locating::measure(rounds)?);
    }
    let mut ndjson_summary = Value::Null;
    if filter.is_empty() || "ndjson".contains(&filter) {
        let (section, summary) = ndjson::measure(rounds, &machine());
        table.push('\n');
        table.push_str(&section);
        ndjson_summary = summary;
    }
    println!("{table}");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    write(
        &out.join("summary.json"),
        &format!("{:#}\n", summary(&measured, ndjson_summary)),
    )?;
    write(&out.join("summary.md"), &table)?;
    write(
        &out.join("summary.svg"),
        &svg::chart(&measured_rows(&measured), &SIDES),
    )?;
    eprintln!("wrote {}/summary.{{json,md,svg}}", out.display());
    Ok(())
}

/// Writes through a temporary file, so that a reader never sees half a summary.
fn write(path: &Path, contents: &str) -> Result<(), String> {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, contents)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Every case: get-accounts outputs of 1, 10, 100 and 1,000 accounts, and one
/// response of each other API; each valid, invalid early and invalid late.
fn cases() -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for count in [1, 10, 100, 1000] {
        let payload = accounts(count)?;
        push_variants(
            &mut cases,
            SchemaId::GetAccountsOutput,
            &count.to_string(),
            payload,
            "/items",
            "currency",
            json!("gbp"),
        );
    }
    let connected = example(
        SchemaId::ConnectedAccountsResponse,
        "several-accounts-with-next-cursor",
    )?;
    push_variants(
        &mut cases,
        SchemaId::ConnectedAccountsResponse,
        "example",
        connected,
        "/items",
        "account_type",
        json!("checking"),
    );
    let linked = example(SchemaId::LinkedAccountsResponse, "every-status-and-country")?;
    push_variants(
        &mut cases,
        SchemaId::LinkedAccountsResponse,
        "example",
        linked,
        "/linkedAccounts",
        "currency",
        json!("USD"),
    );
    Ok(cases)
}

/// The payload as it is, with `field` of its first element broken, and of its last.
fn push_variants(
    cases: &mut Vec<Case>,
    id: SchemaId,
    size: &str,
    payload: Value,
    list: &str,
    field: &str,
    broken: Value,
) {
    let len = payload
        .pointer(list)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mut variants = vec![("valid", payload.clone(), true)];
    for (variant, index) in [
        ("invalid-early", 0),
        ("invalid-late", len.saturating_sub(1)),
    ] {
        let mut bad = payload.clone();
        if let Some(item) = bad.pointer_mut(&format!("{list}/{index}")) {
            item[field] = broken.clone();
        }
        variants.push((variant, bad, false));
    }
    for (variant, value, valid) in variants {
        cases.push(Case {
            name: format!("{id}/{size}/{variant}"),
            id,
            bytes: serde_json::to_vec_pretty(&value).unwrap_or_default(),
            valid,
        });
    }
}

/// A case must be what its name says, and every side must agree with it: a fixture
/// or side that is wrong would make every figure meaningless.
fn check_case(case: &Case, runtime: &Runtime) -> Result<(), String> {
    let report = validate(case.id, &case.bytes);
    if report.is_valid() != case.valid {
        return Err(format!(
            "{}: bankschema's report says valid = {}:\n{report}",
            case.name,
            report.is_valid()
        ));
    }
    let value: Value = serde_json::from_slice(&case.bytes).map_err(|e| e.to_string())?;
    let runtime_valid = runtime.validator(case.id).is_valid(&value);
    let macro_valid = bankschema_bench_macro::is_valid(case.id.as_str(), &value);
    if runtime_valid != case.valid || macro_valid != Some(case.valid) {
        return Err(format!(
            "{}: jsonschema says {runtime_valid}, its macro {macro_valid:?}",
            case.name
        ));
    }
    if case.valid && sides::run(sides::BANKSCHEMA, case, runtime) == 0 {
        return Err(format!(
            "{}: bankschema's parse refuses a valid payload",
            case.name
        ));
    }
    // The unvalidated readers judge shapes only, and must judge them alike: both
    // read a valid payload, and an invalid one as the other does.
    let serde = sides::run(sides::SERDE_TYPED, case, runtime);
    let simd = sides::run(sides::SIMD_TYPED, case, runtime);
    if simd != serde || case.valid && serde == 0 {
        return Err(format!(
            "{}: serde_json's typed read says {serde}, simd-json's {simd}",
            case.name
        ));
    }
    Ok(())
}

/// The median nanoseconds per call of every side: each round runs every side once
/// (in an order that rotates with the round), for about `SAMPLE` each.
fn measure(case: &Case, runtime: &Runtime, rounds: usize) -> [f64; sides::COUNT] {
    const SAMPLE: Duration = Duration::from_millis(10);
    let iterations: Vec<u64> = (0..SIDES.len())
        .map(|side| {
            let mut n = 1u64;
            loop {
                let start = Instant::now();
                for _ in 0..n {
                    black_box(sides::run(side, case, runtime));
                }
                if start.elapsed() >= SAMPLE / 4 || n >= 1 << 24 {
                    let per_call = start.elapsed().as_secs_f64() / n as f64;
                    break ((SAMPLE.as_secs_f64() / per_call).ceil() as u64).max(1);
                }
                n *= 2;
            }
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(rounds); SIDES.len()];
    for round in 0..rounds {
        for offset in 0..SIDES.len() {
            let side = (round + offset) % SIDES.len();
            let start = Instant::now();
            for _ in 0..iterations[side] {
                black_box(sides::run(side, case, runtime));
            }
            samples[side].push(start.elapsed().as_nanos() as f64 / iterations[side] as f64);
        }
    }
    let mut medians = [0.0; sides::COUNT];
    for (side, mut found) in samples.into_iter().enumerate() {
        found.sort_by(f64::total_cmp);
        medians[side] = found[found.len() / 2];
    }
    medians
}

fn measured_rows(measured: &[Measured]) -> Vec<(String, [f64; sides::COUNT])> {
    measured
        .iter()
        .map(|m| (m.case.name.clone(), m.ns))
        .collect()
}

/// `{"cases": [{"name", "bytes", "valid", "ns": {side: median}, "ratios": {...}}],
/// "ndjson": {...}, ...}`: the ratios bankschema's to each unvalidated typed read.
fn summary(measured: &[Measured], ndjson: Value) -> Value {
    let cases: Vec<Value> = measured
        .iter()
        .map(|m| {
            let ns: serde_json::Map<String, Value> = SIDES.iter().zip(m.ns).map(|(side, ns)| (side.to_string(), json!(round(ns)))).collect();
            let ours = m.ns[sides::BANKSCHEMA];
            let ratios = json!({
                "bankschema / serde_typed": ratio(ours, m.ns[sides::SERDE_TYPED]),
                "bankschema / simd_json_typed": ratio(ours, m.ns[sides::SIMD_TYPED]),
            });
            json!({"name": m.case.name, "bytes": m.case.bytes.len(), "valid": m.case.valid, "ns": ns, "ratios": ratios})
        })
        .collect();
    json!({ "machine": machine(), "cases": cases, "ndjson": ndjson })
}

fn round(ns: f64) -> f64 {
    (ns * 10.0).round() / 10.0
}

/// `ours / theirs` to three decimals.
fn ratio(ours: f64, theirs: f64) -> f64 {
    (ours / theirs * 1000.0).round() / 1000.0
}

/// The table of medians (µs) and the ratios the targets name, the SIMD reader's
/// among them.
fn markdown(measured: &[Measured], rounds: usize) -> String {
    let mut out = format!(
        "Measured {} on {}: medians of {rounds} alternating rounds, µs per payload.\n\n\
         | case | bytes | {} | bankschema / serde_typed | bankschema / simd_json_typed | best jsonschema / bankschema | jsonschema_runtime / bankschema |\n\
         |---|---:|{}---:|---:|---:|---:|\n",
        today(),
        machine(),
        SIDES.join(" | "),
        "---:|".repeat(SIDES.len())
    );
    for m in measured {
        let ours = m.ns[sides::BANKSCHEMA];
        let runtime = m.ns[sides::JSONSCHEMA_RUNTIME];
        let best = runtime.min(m.ns[sides::JSONSCHEMA_MACRO]);
        out += &format!("| {} | {} |", m.case.name, m.case.bytes.len());
        for ns in m.ns {
            out += &format!(" {:.2} |", ns / 1e3);
        }
        out += &format!(
            " {:.2}x | {:.2}x | {:.2}x | {:.2}x |\n",
            ours / m.ns[sides::SERDE_TYPED],
            ours / m.ns[sides::SIMD_TYPED],
            best / ours,
            runtime / ours
        );
    }
    out
}

/// Today's date (UTC), `2026-12-02`: the README's tables say when they were measured.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let (year, month, day) = civil_date(secs / 86_400);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The proleptic Gregorian date of day `days` after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for days on or after the epoch): no date crate for one line.
fn civil_date(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// `<cpu model>, <n> cores` as /proc/cpuinfo and the standard library see them.
fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "an unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    format!("{model}, {cores} cores")
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_since_the_epoch_are_calendar_dates() {
        assert_eq!(super::civil_date(0), (1970, 1, 1));
        assert_eq!(super::civil_date(59), (1970, 3, 1));
        assert_eq!(super::civil_date(11_016), (2000, 2, 29));
        assert_eq!(super::civil_date(20_789), (2026, 12, 2));
    }
}
