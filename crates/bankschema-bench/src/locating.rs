//! What placing diagnostics at line and column costs the command line: the JSON
//! reader behind every location (`bankschema_runtime::text`), on a payload with one invalid value per account,
//! against a `serde_json::Value` parse of the same text in the same run.

use bankschema_runtime::text;
use bankschema_validator::{validate, SchemaId};
use serde_json::Value;
use std::hint::black_box;
use std::time::Instant;

/// How many accounts, each with one invalid `status`.
const ACCOUNTS: usize = 20_000;

/// A markdown paragraph: the median time to locate every diagnostic of the payload,
/// and its ratio to parsing the text into a `Value`.
pub fn measure(rounds: usize) -> Result<String, String> {
    let account = r#"{"id": "a", "name": "n", "accountType": "Current", "status": "Bogus"}"#;
    let bytes = format!(
        "{{\"items\": [\n{}\n]}}",
        vec![account; ACCOUNTS].join(",\n")
    )
    .into_bytes();
    let report = validate(SchemaId::GetAccountsOutput, &bytes);
    let pointers: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.instance_path.as_str())
        .collect();
    let median = |mut samples: Vec<f64>| {
        samples.sort_by(f64::total_cmp);
        samples[samples.len() / 2]
    };
    let (mut locate, mut parse) = (Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        let spans = text::locate_all(&bytes, &pointers);
        let starts: Vec<usize> = spans.iter().flatten().map(|s| s.start).collect();
        black_box(text::positions(&bytes, &starts));
        locate.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        black_box(serde_json::from_slice::<Value>(&bytes).map_err(|e| e.to_string())?);
        parse.push(started.elapsed().as_secs_f64());
    }
    let (locate, parse) = (median(locate), median(parse));
    Ok(format!(
        "Locating {} diagnostics in {} KiB ({ACCOUNTS} accounts, one pass): {:.1} ms, {:.2}× a `serde_json::Value` parse of the same text ({:.1} ms).\n",
        pointers.len(),
        bytes.len() / 1024,
        locate * 1e3,
        locate / parse,
        parse * 1e3
    ))
}
