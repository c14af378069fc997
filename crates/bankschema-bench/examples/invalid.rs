//! One invalid case of the benchmark in a loop, for a profile: the connected-accounts
//! example with its first account's `account_type` broken (`CASE=late` for the last).
//!
//! ```sh
//! cargo build --release -p bankschema-bench --example invalid
//! perf record -g target/release/examples/invalid
//! ```

use bankschema_validator::{validate, SchemaId};
use serde_json::json;
use std::time::Instant;

fn main() {
    let id = SchemaId::ConnectedAccountsResponse;
    let mut payload = bankschema_bench::example(id, "several-accounts-with-next-cursor")
        .expect("the example is there");
    let items = payload["items"].as_array().map_or(0, Vec::len);
    let index = if std::env::var("CASE").as_deref() == Ok("late") {
        items.saturating_sub(1)
    } else {
        0
    };
    payload["items"][index]["account_type"] = json!("checking");
    let bytes = serde_json::to_vec_pretty(&payload).expect("a value serialises");
    let calls = 400_000;
    let start = Instant::now();
    let mut errors = 0;
    for _ in 0..calls {
        errors += validate(id, std::hint::black_box(&bytes)).diagnostics.len();
    }
    let each = start.elapsed() / calls;
    println!(
        "{errors} diagnostics, {:.2} µs a call",
        each.as_secs_f64() * 1e6
    );
}
