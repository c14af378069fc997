//! Issue #20's question, measured: can a SIMD reader give bankschema's validated,
//! lossless typed parse at or below the cost of serde_json's unvalidated typed read?
//!
//! `cargo run --release -p bankschema-bench --example simd` reads the generated
//! types through serde_json, sonic-rs (as it is, and through a small [`adapter`]
//! that hands the runtime the texts it asks serde_json for) and simd-json, and
//! prints:
//! - guarantees (a) to (d), each on concrete payloads: exact money text, unknown
//!   members kept, duplicate keys refused, located errors;
//! - (e) the verdict of the validated path through each reader (the typed read,
//!   the generated `*_holds` check, `parse` for whatever either refuses) against
//!   `validate`, on the repository's examples, mutants of them and edge cases;
//! - (f) timing on the benchmark's payloads: the typed reads, the adapted read,
//!   the validated paths through sonic-rs (lossless) and simd-json (lossy: a bound
//!   on what it could give), and `parse`; `SIMD_ROUNDS` rounds of about 1 ms a
//!   side, 301 by default (0 skips it); then what each reader takes to check the
//!   bytes without building anything, beside the typed read.
//!
//! sonic-rs chooses its SIMD code at compile time: `RUSTFLAGS="-C target-cpu=native"`
//! (or `-C target-feature=+avx2,+pclmulqdq`) gives it, and the first line printed
//! says which code it got; simd-json chooses at run time.
//!
//! It exits non-zero when the adapted path breaks a guarantee: it is the one path
//! that keeps them all, and the example holds it to that.

mod adapter;
mod guarantees;
mod readers;
mod timing;
mod verdict;

use readers::Reader;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("the adapted sonic-rs path broke a guarantee");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool, String> {
    let simd = cfg!(all(target_feature = "avx2", target_feature = "pclmulqdq"));
    println!(
        "sonic-rs SIMD code path (avx2 + pclmulqdq at compile time): {}\n",
        if simd { "yes" } else { "no, the portable one" }
    );
    let mut adapted_holds = true;
    println!("| guarantee | reader | held | figure |\n|---|---|---|---|");
    for row in guarantees::rows() {
        adapted_holds &= row.held || row.reader != Reader::SonicAdapted;
        let held = if row.held { "held" } else { "**broken**" };
        println!(
            "| {} | {} | {held} | {} |",
            row.guarantee,
            row.reader.name(),
            row.figure
        );
    }
    adapted_holds &= verdicts()?;
    let rounds = match std::env::var("SIMD_ROUNDS") {
        Ok(text) => text
            .parse()
            .map_err(|_| format!("SIMD_ROUNDS: not a number: {text}"))?,
        Err(_) => 301,
    };
    if rounds > 0 {
        println!("\n(f) timing\n\n{}", timing::table(&timing::SIDES, rounds)?);
        println!(
            "\nskipping alone\n\n{}",
            timing::table(&timing::SKIPS, rounds)?
        );
    }
    Ok(adapted_holds)
}

/// (e): every reader's validated path on the examples, their mutants and the edge
/// cases; whether the adapted one agrees everywhere.
fn verdicts() -> Result<bool, String> {
    let examples = verdict::examples()?;
    let mutants = verdict::mutants(&examples, 300);
    let edges = verdict::edge_cases();
    println!("\n(e) verdict of the validated path (typed read, `*_holds`, `parse` on refusal) against `validate`\n");
    println!("| reader | payloads | examples: verdicts differ | mutants: verdicts differ | edge cases: verdicts differ | accepted, written back otherwise than `parse`'s value |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut adapted_agrees = true;
    for reader in Reader::ALL {
        let sets = [&examples, &mutants, &edges].map(|set| verdict::tally(reader, set));
        let payloads: usize = sets.iter().map(|t| t.payloads).sum();
        let values: Vec<&String> = sets.iter().flat_map(|t| &t.values_differ).collect();
        let differ = sets.each_ref().map(|t| t.verdicts_differ.len());
        println!(
            "| {} | {payloads} | {} | {} | {} | {} |",
            reader.name(),
            differ[0],
            differ[1],
            differ[2],
            values.len()
        );
        for (set, tally) in ["example", "mutant", "edge case"].iter().zip(&sets) {
            for name in tally.verdicts_differ.iter().take(6) {
                println!("|  | {set}: verdict differs: {name} | | | | |");
            }
        }
        for name in values.iter().take(4) {
            println!("|  | written back otherwise: {name} | | | | |");
        }
        if reader == Reader::SonicAdapted {
            adapted_agrees = differ == [0, 0, 0] && values.is_empty();
        }
    }
    Ok(adapted_agrees)
}
