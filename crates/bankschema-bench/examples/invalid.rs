//! `validate` on one case of the benchmark in a loop, for a profile: `CASE` names
//! it as the bench does, `<schema id>/<size>/valid|invalid-early|invalid-late` (by
//! default `connected-accounts.response/example/invalid-early`); `CALLS` sets the
//! calls. Then the bench's `jsonschema_runtime` side as many times, and the ratio
//! of the two (the bench's last column).
//!
//! ```sh
//! cargo build --release -p bankschema-bench --example invalid
//! CASE=get-accounts.output/1/invalid-late perf record -g target/release/examples/invalid
//! ```

use bankschema_validator::{validate, SchemaId};
use serde_json::{json, Value};
use std::time::Instant;

fn main() -> Result<(), String> {
    let case = std::env::var("CASE")
        .unwrap_or_else(|_| "connected-accounts.response/example/invalid-early".into());
    let bytes = payload(&case)?;
    let id: SchemaId = case
        .split('/')
        .next()
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| format!("{case}: no such schema id"))?;
    let calls: u32 = match std::env::var("CALLS") {
        Ok(text) => text.parse().map_err(|_| format!("CALLS: {text}"))?,
        Err(_) => 200_000,
    };
    let start = Instant::now();
    let mut errors = 0;
    for _ in 0..calls {
        errors += validate(id, std::hint::black_box(&bytes)).diagnostics.len();
    }
    let each = start.elapsed() / calls;
    // The bench's `jsonschema_runtime` side on the same bytes, for the ratio.
    let schema: Value = serde_json::from_str(id.json_schema()).map_err(|e| e.to_string())?;
    let anchor = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    for _ in 0..calls {
        let value: Value =
            serde_json::from_slice(std::hint::black_box(&bytes)).map_err(|e| e.to_string())?;
        std::hint::black_box(anchor.iter_errors(&value).count());
    }
    let anchor_each = start.elapsed() / calls;
    println!(
        "{case}: {} diagnostics, {:.2} µs a call; jsonschema_runtime {:.2} µs: {:.2}x",
        errors / calls as usize,
        each.as_secs_f64() * 1e6,
        anchor_each.as_secs_f64() * 1e6,
        anchor_each.as_secs_f64() / each.as_secs_f64(),
    );
    Ok(())
}

/// The bytes of the bench case `case`: the payload as it is (`valid`), or with the
/// field the bench breaks broken in its first element (`invalid-early`) or its
/// last (`invalid-late`).
fn payload(case: &str) -> Result<Vec<u8>, String> {
    let parts: Vec<&str> = case.split('/').collect();
    let [id, size, variant] = parts.as_slice() else {
        return Err(format!("{case}: expected <schema id>/<size>/<variant>"));
    };
    let (mut payload, list, field, broken): (Value, &str, &str, Value) = match *id {
        "get-accounts.output" => {
            let count = size.parse().map_err(|_| format!("{case}: size {size}"))?;
            (
                bankschema_bench::accounts(count)?,
                "items",
                "currency",
                json!("gbp"),
            )
        }
        "connected-accounts.response" => (
            bankschema_bench::example(
                SchemaId::ConnectedAccountsResponse,
                "several-accounts-with-next-cursor",
            )?,
            "items",
            "account_type",
            json!("checking"),
        ),
        "linked-accounts.response" => (
            bankschema_bench::example(
                SchemaId::LinkedAccountsResponse,
                "every-status-and-country",
            )?,
            "linkedAccounts",
            "currency",
            json!("USD"),
        ),
        _ => return Err(format!("{case}: not a case of the bench")),
    };
    let len = payload[list].as_array().map_or(0, Vec::len);
    let index = match *variant {
        "valid" => None,
        "invalid-early" => Some(0),
        "invalid-late" => Some(len.saturating_sub(1)),
        _ => return Err(format!("{case}: variant {variant}")),
    };
    if let Some(index) = index {
        payload[list][index][field] = broken;
    }
    serde_json::to_vec_pretty(&payload).map_err(|e| e.to_string())
}
