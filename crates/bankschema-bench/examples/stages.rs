//! Where `parse` spends its time, stage by stage, on a get-accounts output of 100
//! accounts (`ACCOUNTS=n` for another size): the typed read (serde alone), the schema on the typed value, the prose
//! rules on it (site by site), and the same stages through a `serde_json::Value`.
//! The profile behind the benchmark's figures:
//!
//! ```sh
//! cargo run --release -p bankschema-bench --example stages
//! perf record -g target/release/examples/stages schema   # or `parse`, `check`, `rules`, `validate`: one stage
//! ```

use bankschema_rules::Plan;
use bankschema_runtime::raw::Raw;
use bankschema_runtime::typed::{AsNode, Typed};
use bankschema_types::get_accounts::AccountList;
use bankschema_validator::{Options, SchemaId};
use serde_json::Value;
use std::time::{Duration, Instant};

const CALLS: u32 = 300;

/// Times `call`, repeated about `CALLS` times per 100 accounts' worth of work (at
/// least `CALLS` times): small payloads need more calls to be timed.
fn time(what: &str, mut call: impl FnMut()) {
    let calls = CALLS * (100 / accounts().clamp(1, 100)) as u32;
    let start = Instant::now();
    for _ in 0..calls {
        call();
    }
    let each: Duration = start.elapsed() / calls;
    println!("{what:<58} {:>10.1} µs", each.as_secs_f64() * 1e6);
}

/// `ACCOUNTS`, or 100.
fn accounts() -> usize {
    std::env::var("ACCOUNTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100)
}

/// What the stages are timed on: the payload in each form a stage reads, and the
/// schema compiled for each representation.
struct Setup {
    count: usize,
    payload: Value,
    bytes: Vec<u8>,
    id: SchemaId,
    on_typed: jsonschema::Validator<Typed>,
    on_value: jsonschema::Validator<jsonschema::json::SerdeJson>,
    options: Options,
    typed: AccountList,
    value: Value,
    /// The rules' sites as one walk, as the validator keeps them.
    plan: Plan<'static>,
}

fn main() {
    let setup = setup();
    // `stages schema` (or `rules`) repeats that one stage, for a profiler.
    if repeat(std::env::args().nth(1).as_deref(), &setup) {
        return;
    }
    time_valid(&setup);
    time_invalid_late(&setup);
}

/// The payload of `ACCOUNTS` accounts (100 unless set), read and compiled for every
/// stage.
fn setup() -> Setup {
    // `ACCOUNTS=10 stages` for another size.
    let count = accounts();
    let payload = bankschema_bench::accounts(count).expect("the examples are there");
    let bytes = serde_json::to_vec_pretty(&payload).expect("a value serialises");
    let id = SchemaId::GetAccountsOutput;
    let schema: Value =
        serde_json::from_str(id.json_schema()).expect("the embedded schema is JSON");
    // Compiled as the validator compiles them (linear-time patterns, formats).
    let on_typed = bankschema_runtime::compile::<Typed>(&schema).expect("it compiles");
    let on_value =
        bankschema_runtime::compile::<jsonschema::json::SerdeJson>(&schema).expect("it compiles");
    let options = Options::default();
    let typed: AccountList = serde_json::from_slice(&bytes).expect("valid");
    let value: Value = serde_json::from_slice(&bytes).expect("valid");
    Setup {
        count,
        payload,
        bytes,
        id,
        on_typed,
        on_value,
        options,
        typed,
        value,
        plan: Plan::new(id.rules()),
    }
}

/// Repeats the one stage `stage` names, for a profiler: `false` when it names none.
fn repeat(stage: Option<&str>, setup: &Setup) -> bool {
    let Setup {
        count,
        payload,
        bytes,
        id,
        on_typed,
        options,
        typed,
        plan,
        ..
    } = setup;
    let (count, id) = (*count, *id);
    let node = typed.as_node().expect("an object");
    match stage {
        Some("schema") => {
            for _ in 0..20 * CALLS {
                assert!(on_typed.is_valid(std::hint::black_box(node)));
            }
            true
        }
        Some("rules") => {
            for _ in 0..20 * CALLS {
                drop(std::hint::black_box(plan.check(node, options)));
            }
            true
        }
        Some("parse") => {
            for _ in 0..100 * CALLS {
                drop(std::hint::black_box(bankschema_validator::parse(
                    id,
                    std::hint::black_box(bytes),
                )));
            }
            true
        }
        Some("check") => {
            for _ in 0..20 * CALLS {
                assert!(bankschema_validator::get_accounts::output_holds(
                    std::hint::black_box(typed),
                    options
                ));
            }
            true
        }
        Some("validate") => {
            let mut broken = payload.clone();
            broken["items"][count - 1]["currency"] = "gbp".into();
            let broken = serde_json::to_vec_pretty(&broken).expect("a value serialises");
            for _ in 0..5 * CALLS {
                drop(std::hint::black_box(bankschema_validator::validate(
                    id, &broken,
                )));
            }
            true
        }
        _ => false,
    }
}

/// Each stage of `parse` on the valid payload, then the same through a `Value`.
fn time_valid(setup: &Setup) {
    let Setup {
        count,
        bytes,
        id,
        on_typed,
        on_value,
        options,
        typed,
        value,
        plan,
        ..
    } = setup;
    let (count, id) = (*count, *id);
    let node = typed.as_node().expect("an object");
    println!(
        "get-accounts.output, {count} accounts, {} bytes",
        bytes.len()
    );
    time("parse (all of it)", || {
        drop(std::hint::black_box(bankschema_validator::parse(id, bytes)))
    });
    time("  typed read (serde)", || {
        drop(std::hint::black_box(serde_json::from_slice::<AccountList>(
            bytes,
        )))
    });
    time("  generated check (schema and rules)", || {
        assert!(bankschema_validator::get_accounts::output_holds(
            std::hint::black_box(typed),
            options
        ))
    });
    time(
        "  (before it: the schema interpreted on the typed value)",
        || assert!(on_typed.is_valid(std::hint::black_box(node))),
    );
    time("  (and the rules walked on the typed value)", || {
        drop(std::hint::black_box(plan.check(node, options)))
    });
    for site in id.rules() {
        let one = Plan::new(std::slice::from_ref(site));
        time(
            &format!("    {} ({})", site.at, site.rule.info().id),
            || drop(std::hint::black_box(one.check(node, options))),
        );
    }
    time("Value read (serde)", || {
        drop(std::hint::black_box(serde_json::from_slice::<Value>(bytes)))
    });
    time("  schema on the Value", || {
        assert!(on_value.is_valid(std::hint::black_box(value)))
    });
    time("  rules on the Value", || {
        drop(std::hint::black_box(plan.check(value, options)))
    });
}

/// Each stage of `validate` on the payload broken in its last account, beside the
/// benchmark's `jsonschema_runtime` side on the same bytes.
fn time_invalid_late(setup: &Setup) {
    let Setup {
        count,
        payload,
        id,
        on_typed,
        options,
        plan,
        ..
    } = setup;
    let (count, id) = (*count, *id);
    // The full report on a payload broken in its last account, as the benchmark's
    // `invalid-late` case: read once as raw JSON, then the schema's errors and the
    // rules' plan walked on that tree.
    let mut broken = payload.clone();
    broken["items"][count - 1]["currency"] = "gbp".into();
    let broken_bytes = serde_json::to_vec_pretty(&broken).expect("a value serialises");
    let raw = Raw::read(&broken_bytes).expect("JSON");
    let node = raw.as_node().expect("a node");
    time("validate, invalid late (all of it)", || {
        drop(std::hint::black_box(bankschema_validator::validate(
            id,
            &broken_bytes,
        )))
    });
    time("  raw read", || {
        drop(std::hint::black_box(Raw::read(std::hint::black_box(
            &broken_bytes,
        ))))
    });
    time("  schema's errors on the raw tree", || {
        assert_eq!(on_typed.iter_errors(std::hint::black_box(node)).count(), 1)
    });
    time("  rules walked on the raw tree", || {
        drop(std::hint::black_box(plan.check(node, options)))
    });
    // The benchmark's anchor, built as its side builds it (default patterns).
    let schema: Value =
        serde_json::from_str(id.json_schema()).expect("the embedded schema is JSON");
    let anchor = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("it compiles");
    time("the jsonschema crate: Value read and errors", || {
        let value: Value = serde_json::from_slice(&broken_bytes).expect("JSON");
        assert_eq!(anchor.iter_errors(std::hint::black_box(&value)).count(), 1)
    });
    time("  Value read (serde)", || {
        drop(std::hint::black_box(serde_json::from_slice::<Value>(
            &broken_bytes,
        )))
    });
    time("  errors on the Value", || {
        assert_eq!(anchor.iter_errors(std::hint::black_box(&broken)).count(), 1)
    });
}
