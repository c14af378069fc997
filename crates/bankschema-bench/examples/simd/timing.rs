//! (f) Timing: the typed reads and the validated parses on the benchmark's
//! get-accounts payloads, every side in one run, alternating, medians of rounds.

use crate::{adapter, readers};
use bankschema_types::get_accounts::AccountList;
use bankschema_validator::SchemaId;
use serde::de::IgnoredAny;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// One way from bytes to an `AccountList`: 1 when it accepts them.
type Side = (&'static str, fn(&[u8]) -> usize);

pub const SIDES: [Side; 7] = [
    ("serde_typed", |b| {
        usize::from(serde_json::from_slice::<AccountList>(b).is_ok())
    }),
    ("sonic_typed", |b| {
        usize::from(sonic_rs::from_slice::<AccountList>(b).is_ok())
    }),
    ("simd_json_typed", |b| {
        let mut copy = b.to_vec();
        usize::from(simd_json::serde::from_slice::<AccountList>(&mut copy).is_ok())
    }),
    ("sonic_lossless", |b| {
        usize::from(adapter::from_slice::<AccountList>(b).is_ok())
    }),
    ("sonic_parse", readers::sonic_parse),
    ("simd_json_checked", readers::simd_json_checked),
    ("bankschema_parse", |b| {
        usize::from(bankschema_validator::parse(SchemaId::GetAccountsOutput, b).is_ok())
    }),
];

/// The median and the tenth percentile of the nanoseconds per call of every side
/// on `bytes`: each round runs every side once, for about 1 ms (one call of the
/// largest payloads, a batch of the small ones), in an order that rotates with the
/// round. Short samples, finely interleaved: on a machine other work shares, a
/// burst of it slows every side alike, and the low percentile shows the cost
/// without it.
pub fn measure(sides: &[Side], bytes: &[u8], rounds: usize) -> Vec<(f64, f64)> {
    const SAMPLE: Duration = Duration::from_millis(1);
    let batches: Vec<u64> = sides
        .iter()
        .map(|(_, side)| {
            let start = Instant::now();
            let mut n = 0u64;
            while start.elapsed() < SAMPLE * 20 {
                black_box(side(black_box(bytes)));
                n += 1;
            }
            let per_call = start.elapsed().as_secs_f64() / n as f64;
            ((SAMPLE.as_secs_f64() / per_call) as u64).max(1)
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(rounds); sides.len()];
    for round in 0..rounds {
        for offset in 0..sides.len() {
            let index = (round + offset) % sides.len();
            let side = sides[index].1;
            let start = Instant::now();
            for _ in 0..batches[index] {
                black_box(side(black_box(bytes)));
            }
            samples[index].push(start.elapsed().as_nanos() as f64 / batches[index] as f64);
        }
    }
    samples
        .into_iter()
        .map(|mut found| {
            found.sort_by(f64::total_cmp);
            (found[found.len() / 2], found[found.len() / 10])
        })
        .collect()
}

/// What a read costs without building anything: each reader skipping the payload
/// (`IgnoredAny`: every byte checked, no value built), beside the typed read.
pub const SKIPS: [Side; 4] = [
    SIDES[0],
    ("serde_skip", |b| {
        usize::from(serde_json::from_slice::<IgnoredAny>(b).is_ok())
    }),
    ("sonic_skip", |b| {
        usize::from(sonic_rs::from_slice::<IgnoredAny>(b).is_ok())
    }),
    ("simd_json_skip", |b| {
        let mut copy = b.to_vec();
        usize::from(simd_json::serde::from_slice::<IgnoredAny>(&mut copy).is_ok())
    }),
];

/// The timing tables of `sides`, medians and tenth percentiles: µs per payload, and
/// each side against the first, serde_json's unvalidated typed read.
pub fn table(sides: &[Side], rounds: usize) -> Result<String, String> {
    let mut header = "| accounts | bytes |".to_owned();
    for (name, _) in sides {
        header += &format!(" {name} |");
    }
    for (name, _) in &sides[1..] {
        header += &format!(" {name} / serde_typed |");
    }
    header += &format!("\n|---:|---:|{}\n", "---:|".repeat(2 * sides.len() - 1));
    let (mut medians, mut lows) = (header.clone(), header);
    for count in [1, 10, 100, 1000] {
        let bytes = serde_json::to_vec_pretty(&bankschema_bench::accounts(count)?)
            .map_err(|e| e.to_string())?;
        for (name, side) in sides {
            if side(&bytes) != 1 {
                return Err(format!(
                    "{name} refuses the valid payload of {count} accounts"
                ));
            }
        }
        let ns = measure(sides, &bytes, rounds);
        for (out, pick) in [(&mut medians, 0), (&mut lows, 1)] {
            let ns: Vec<f64> = ns
                .iter()
                .map(|(median, low)| [*median, *low][pick])
                .collect();
            *out += &format!("| {count} | {} |", bytes.len());
            for n in &ns {
                *out += &format!(" {:.2} |", n / 1e3);
            }
            for n in &ns[1..] {
                *out += &format!(" {:.3}x |", n / ns[0]);
            }
            out.push('\n');
        }
    }
    Ok(format!(
        "Medians of {rounds} alternating rounds, µs per payload:\n\n{medians}\n\
         Tenth percentiles of the same rounds:\n\n{lows}"
    ))
}
