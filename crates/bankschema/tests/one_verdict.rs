//! The command line gives the library's verdict on the edges of the text: every
//! number of every valid example in each form JSON allows (and `1e400`), a key
//! repeated, a lone surrogate (the payloads of `tests/exact.rs`, which holds the
//! library's paths to one verdict). `validate` reports what the library reports,
//! and `roundtrip` writes back exactly what the library accepts.

mod support;

#[path = "../../../tests/support/pointers.rs"]
mod pointers;

// `edges` reaches `pointers` as `super::pointers`.
#[path = "../../../tests/support/edges.rs"]
mod edges;

use bankschema_validator::{validate, SchemaId};
use serde_json::Value;
use support::{bankschema, root};

fn valid_examples(id: SchemaId) -> Vec<Value> {
    let dir = root()
        .join("schemas/examples")
        .join(id.as_str())
        .join("valid");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .map(|path| serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap())
        .collect()
}

#[test]
fn validate_and_roundtrip_give_the_library_s_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for id in SchemaId::ALL {
        let candidates: Vec<edges::Candidate> = valid_examples(id)
            .iter()
            .flat_map(edges::candidates)
            .collect();
        let files: Vec<String> = candidates
            .iter()
            .enumerate()
            .map(|(i, candidate)| {
                let path = dir.path().join(format!("{id}-{i}.json"));
                std::fs::write(&path, &candidate.bytes).unwrap();
                path.display().to_string()
            })
            .collect();
        if files.is_empty() {
            continue;
        }
        // One run for every file of the schema id.
        let mut args = vec!["validate", "--schema", id.as_str(), "--format", "json"];
        args.extend(files.iter().map(String::as_str));
        let output = bankschema(&args);
        let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
        let reports = printed["files"].as_array().unwrap();
        assert_eq!(reports.len(), candidates.len());
        for ((candidate, file), printed) in candidates.iter().zip(&files).zip(reports) {
            let what = format!("{id}: {}", candidate.what);
            let library = validate(id, &candidate.bytes);
            assert_eq!(
                printed["valid"],
                Value::Bool(library.is_valid()),
                "{what}: {printed}"
            );
            assert!(
                !(candidate.text_refused && library.is_valid()),
                "{what}: the text policy refuses it"
            );
            let cli: Vec<(&str, &str)> = printed["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["instancePath"].as_str().unwrap(),
                        d["message"].as_str().unwrap(),
                    )
                })
                .collect();
            let lib: Vec<(&str, &str)> = library
                .diagnostics
                .iter()
                .map(|d| (d.instance_path.as_str(), d.message.as_str()))
                .collect();
            assert_eq!(cli, lib, "{what}");

            let output = bankschema(&["roundtrip", "--schema", id.as_str(), file]);
            assert_eq!(
                output.status.success(),
                library.is_valid(),
                "{what}: roundtrip"
            );
            if library.is_valid() {
                let written: Value = serde_json::from_slice(&output.stdout).unwrap();
                let read: Value = serde_json::from_slice(&candidate.bytes).unwrap();
                assert_eq!(written, read, "{what}: roundtrip changed the payload");
            }
            checked += 1;
        }
    }
    assert!(checked >= 800, "only {checked} payloads");
}
