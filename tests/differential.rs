//! Differential tests of the validator against itself and against the jsonschema
//! crate, on thousands of payloads: valid ones generated from each schema, and
//! mutations of them (a member removed, a type changed, a string broken so that a
//! pattern, enum or format fails, a prose rule broken).
//!
//! For every payload:
//! - `parse` accepts it exactly when the full report (`validate`) has no error, and
//!   when it refuses, its report equals the full report;
//! - the full report is the same whether it is made on the typed value (`validate`
//!   reads the payload into its type) or on a `serde_json::Value`;
//! - the check generated per schema (`parse`'s fast path) accepts the typed value
//!   exactly when the full report does: never an invalid one, and no valid one
//!   left to the slow path;
//! - the full report's schema verdict (rules off) equals the jsonschema crate's own
//!   on the same schema, formats asserted;
//! - what the generated types accept they keep: written back, it is the same JSON.

mod support;

use bankschema_validator::{
    deserialize, parse, validate, validate_value, validate_value_with, validate_with, Options,
    SchemaId,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};
use support::payloads::Payloads;

/// Generated payloads per schema id; each is checked as it is and with one mutation.
const CASES: u32 = 300;

#[test]
fn parse_agrees_with_the_report_and_the_report_with_jsonschema() {
    let mut checked = 0;
    let mut invalid = 0;
    for id in SchemaId::ALL {
        let (all, bad) = check_generated(id);
        checked += all;
        invalid += bad;
    }
    // The mutations must reach both verdicts often, or the test proves little.
    assert!(checked >= 4000, "only {checked} payloads checked");
    assert!(
        invalid * 5 >= checked,
        "only {invalid} of {checked} payloads are invalid"
    );
}

/// The payloads generated from `id`'s schema, and a mutation of each, held to
/// [`check_candidate`]: how many were checked, and how many of them are invalid.
fn check_generated(id: SchemaId) -> (usize, usize) {
    let root: Value = serde_json::from_str(id.json_schema()).unwrap();
    let reference = jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap();
    let strategy = (
        Payloads {
            root: root.clone(),
            as_written: false,
        }
        .strategy(&root),
        any::<u64>(),
    );
    // A fixed seed: CI gives the same verdict on every run (exploring is the
    // fuzzing campaign's job).
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: CASES,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let seen = std::cell::Cell::new((0usize, 0usize));
    let result = runner.run(&strategy, |(payload, seed)| {
        for candidate in [payload.clone(), mutate(id, &payload, seed)] {
            let valid = check_candidate(id, &candidate, &reference)?;
            let (all, bad) = seen.get();
            seen.set((all + 1, bad + usize::from(!valid)));
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{id}: {error}");
    }
    seen.get()
}

/// Holds one payload of `id` to every agreement the module states (`reference` is
/// the jsonschema crate's validator of the schema): whether the full report finds
/// it valid, or the disagreement.
fn check_candidate(
    id: SchemaId,
    candidate: &Value,
    reference: &jsonschema::Validator,
) -> Result<bool, TestCaseError> {
    let bytes = serde_json::to_vec(candidate).unwrap();
    let report = validate(id, &bytes);
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    prop_assert_eq!(
        &report,
        &validate_value(id, &value),
        "{}: the report on the typed value differs from the one on the Value for\n{:#}",
        id,
        candidate
    );
    match parse(id, &bytes) {
        Ok(_) => prop_assert!(
            report.is_valid(),
            "{id}: parse accepted\n{candidate:#}\nwhich the report rejects:\n{report}"
        ),
        Err(refused) => prop_assert_eq!(
            &refused,
            &report,
            "{}: parse's report differs from the full report for\n{:#}",
            id,
            candidate
        ),
    }
    if let Some(fast) = fast_path(id, &bytes, &Options::default()) {
        prop_assert_eq!(
            fast,
            report.is_valid(),
            "{}: the generated check and the report disagree on\n{:#}\n{}",
            id,
            candidate,
            report
        );
    }
    // What the types accept they keep: read and written back, the payload
    // is the same JSON (no `null` read as absent, no string read as money).
    if let Ok(typed) = deserialize(id, &bytes) {
        let written = serde_json::to_value(&typed).unwrap();
        prop_assert_eq!(&written, candidate, "{}: the types changed the payload", id);
    }
    let schema_only = validate_with(id, &bytes, &Options::schema_only()).is_valid();
    prop_assert_eq!(
        schema_only,
        reference.is_valid(candidate),
        "{}: the schema verdict differs from jsonschema's for\n{:#}",
        id,
        candidate
    );
    Ok(report.is_valid())
}

/// Every leaf of every documented valid example, broken in each way in turn (a
/// string extended, lower-cased, emptied; a number made negative; a value nulled):
/// the random payloads above reach a given field now and then, this reaches each.
#[test]
fn every_leaf_of_every_example_broken_in_turn_gets_one_verdict() {
    let mut checked = 0;
    let mut invalid = 0;
    for id in SchemaId::ALL {
        let dir = format!(
            "{}/../schemas/examples/{id}/valid",
            env!("CARGO_MANIFEST_DIR")
        );
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let example: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            for pointer in support::pointers::pointers(&example) {
                let leaf = example.pointer(&pointer).unwrap();
                let broken: Vec<Value> = match leaf {
                    Value::String(text) => vec![
                        json!(format!("{text}x")),
                        json!(text.to_lowercase() + " !"),
                        json!(""),
                        Value::Null,
                    ],
                    Value::Number(_) => vec![json!(-1), json!(-0.5), Value::Null],
                    Value::Bool(b) => vec![json!(!b), Value::Null],
                    _ => continue,
                };
                for value in broken {
                    let mut candidate = example.clone();
                    *candidate.pointer_mut(&pointer).unwrap() = value;
                    let bytes = serde_json::to_vec(&candidate).unwrap();
                    let report = validate(id, &bytes);
                    match parse(id, &bytes) {
                        Ok(_) => assert!(report.is_valid(), "{id}: parse accepted {candidate:#}\nwhich the report rejects:\n{report}"),
                        Err(refused) => assert_eq!(refused, report, "{id}: {candidate:#}"),
                    }
                    // With the rules and without: a rule can hide a broken pattern.
                    for options in [Options::default(), Options::schema_only()] {
                        let report = validate_with(id, &bytes, &options);
                        let value: Value = serde_json::from_slice(&bytes).unwrap();
                        assert_eq!(report, validate_value_with(id, &value, &options), "{id}: the report on the typed value differs from the one on the Value for {pointer} in {}", path.display());
                        if let Some(fast) = fast_path(id, &bytes, &options) {
                            assert_eq!(fast, report.is_valid(), "{id}: the generated check and the report disagree on {} in {}:\n{report}", pointer, path.display());
                        }
                    }
                    checked += 1;
                    invalid += usize::from(!report.is_valid());
                }
            }
        }
    }
    assert!(checked >= 1000, "only {checked} payloads checked");
    assert!(
        invalid * 3 >= checked,
        "only {invalid} of {checked} payloads are invalid"
    );
}

/// The verdict of the check generated for `id` on `bytes` read into its type;
/// `None` when the type does not read them.
fn fast_path(id: SchemaId, bytes: &[u8], options: &Options) -> Option<bool> {
    use bankschema_validator::{connected_accounts as c, get_accounts as g, linked_accounts as l};
    match id {
        SchemaId::ConnectedAccountsResponse => read(bytes, |v| c::response_holds(v, options)),
        SchemaId::GetAccountsInput => read(bytes, |v| g::input_holds(v, options)),
        SchemaId::GetAccountsOutput => read(bytes, |v| g::output_holds(v, options)),
        SchemaId::LinkedAccountsResponse => read(bytes, |v| l::response_holds(v, options)),
        SchemaId::LinkedAccountsError400 => read(bytes, |v| l::error_400_holds(v, options)),
        SchemaId::LinkedAccountsError403 => read(bytes, |v| l::error_403_holds(v, options)),
        SchemaId::LinkedAccountsErrorDefault => read(bytes, |v| l::error_default_holds(v, options)),
    }
}

fn read<T: serde::de::DeserializeOwned>(bytes: &[u8], holds: impl Fn(&T) -> bool) -> Option<bool> {
    serde_json::from_slice(bytes)
        .ok()
        .map(|value| holds(&value))
}

/// `payload` with one change, picked by `seed`: a member removed, a value replaced
/// by one of another type, a string broken, or (for the accounts of get-accounts) a
/// prose rule broken.
fn mutate(id: SchemaId, payload: &Value, seed: u64) -> Value {
    // Every pointer but the root's.
    let pointers: Vec<String> = support::pointers::pointers(payload)
        .into_iter()
        .skip(1)
        .collect();
    let mut mutated = payload.clone();
    let pick = |n: usize| (seed as usize / 7) % n.max(1);
    if id == SchemaId::GetAccountsOutput && seed % 7 == 6 {
        if let Some(account) = mutated.pointer_mut("/items/0") {
            break_rule(account, seed);
            return mutated;
        }
    }
    let Some(pointer) = pointers.get(pick(pointers.len())).cloned() else {
        return json!([]);
    };
    let Some(target) = mutated.pointer_mut(&pointer) else {
        return mutated;
    };
    *target = match (seed % 6, &*target) {
        (0, _) => return remove(mutated, &pointer),
        (1, Value::String(_)) => json!(12),
        (1, Value::Number(_) | Value::Bool(_)) => json!("12"),
        (1, Value::Object(_)) => json!([]),
        (1, Value::Array(_)) => json!({}),
        (1, Value::Null) => json!(false),
        (2, Value::String(text)) => json!(format!("{text}x")),
        (3, Value::String(text)) => json!(text.to_lowercase() + " !"),
        (4, Value::Number(_)) => json!(-1),
        (5, Value::String(_)) => json!(""),
        (_, _) => Value::Null,
    };
    mutated
}

fn break_rule(account: &mut Value, seed: u64) {
    match seed % 5 {
        0 => account["iban"] = json!("GB28NWBK60161331926819"),
        1 => account["currency"] = json!("ABC"),
        2 => account["maskedPan"] = json!("4111111111111111"),
        3 => {
            account["accountType"] = json!("Current");
            account["statementBalance"] = json!(10);
        }
        _ => account["bic"] = json!("NWBKUK2L"),
    }
}

fn remove(mut value: Value, pointer: &str) -> Value {
    if let Some((parent, key)) = pointer.rsplit_once('/') {
        match value.pointer_mut(parent) {
            Some(Value::Object(object)) => {
                object.remove(&*bankschema_codegen::normalise::unescape(key));
            }
            Some(Value::Array(array)) => {
                if let Ok(index) = key.parse::<usize>() {
                    if index < array.len() {
                        array.remove(index);
                    }
                }
            }
            _ => {}
        }
    }
    value
}
