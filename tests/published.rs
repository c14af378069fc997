//! `schemas/get-accounts.tool.json` moves the published schemas' shared parts under
//! `$defs` and adds titles. That must not change any verdict: every example, and
//! every one-step mutation of the valid ones, gets the same verdict from the
//! generated validator as from the schemas as published (kept verbatim in
//! `tests/data/published/`).

mod support;

use bankschema_validator::{validate_value_with, Options, SchemaId};
use serde_json::{json, Value};

fn published(id: SchemaId) -> jsonschema::Validator {
    let path = support::workspace_root().join(format!("tests/data/published/{id}.json"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Each payload one edit away from `value`: every member removed, and every value
/// replaced by `null`, a string, a fractional number, an empty object and an empty array.
fn mutations(value: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let replacements = [
        json!(null),
        json!("x"),
        json!(-1.5),
        json!({}),
        json!([]),
        json!("2024-02-30"),
    ];
    for pointer in support::pointers::pointers(value) {
        for replacement in &replacements {
            let mut mutated = value.clone();
            *mutated.pointer_mut(&pointer).unwrap() = replacement.clone();
            out.push(mutated);
        }
        if let Some((parent, key)) = pointer.rsplit_once('/') {
            let mut mutated = value.clone();
            match mutated.pointer_mut(parent).unwrap() {
                Value::Object(object) => {
                    drop(object.shift_remove(&*bankschema_codegen::normalise::unescape(key)))
                }
                Value::Array(array) => drop(array.remove(key.parse::<usize>().unwrap())),
                _ => unreachable!(),
            }
            out.push(mutated);
        }
    }
    out
}

#[test]
fn same_verdicts_as_the_published_schemas() {
    let mut compared = 0;
    for id in [SchemaId::GetAccountsInput, SchemaId::GetAccountsOutput] {
        let published = published(id);
        for example in support::examples().into_iter().filter(|e| e.id == id) {
            let value: Value = serde_json::from_slice(&example.bytes).unwrap();
            let mut payloads = vec![value.clone()];
            if example.verdict == support::Verdict::Valid {
                payloads.extend(mutations(&value));
            }
            for payload in payloads {
                // The published schemas know nothing of the prose rules.
                let ours = validate_value_with(id, &payload, &Options::schema_only()).is_valid();
                let theirs = published.is_valid(&payload);
                assert_eq!(
                    ours,
                    theirs,
                    "{}: verdicts differ for\n{payload:#}",
                    example.path.display()
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "only {compared} payloads compared");
}
