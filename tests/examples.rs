//! Every example payload under `schemas/examples/`: its validation report, and for
//! valid ones the round trip through the generated type.

mod support;

use bankschema_validator::{parse, validate, SchemaId};
use support::{examples, Verdict};

/// What the issue asks of the examples: for every schema id, valid ones and several
/// invalid ones.
#[test]
fn every_schema_id_has_valid_and_invalid_examples() {
    let examples = examples();
    for id in SchemaId::ALL {
        let count = |verdict| {
            examples
                .iter()
                .filter(|e| e.id == id && e.verdict == verdict)
                .count()
        };
        assert!(count(Verdict::Valid) >= 1, "{id}: no valid example");
        assert!(
            count(Verdict::Invalid) >= 3,
            "{id}: fewer than 3 invalid examples"
        );
    }
}

#[test]
fn the_documented_seed_example_is_kept_verbatim() {
    let seed = std::fs::read_to_string(
        support::workspace_root().join("../shared/seeds/000_bc796c9045bcc134.txt"),
    );
    let example = examples()
        .into_iter()
        .find(|e| e.name == "seed-000-documented-example")
        .expect("the seed 000 example is among the examples");
    assert_eq!(example.id, SchemaId::ConnectedAccountsResponse);
    assert_eq!(example.verdict, Verdict::Valid);
    // The seed lives outside the repository; when it is there, the example must be
    // its text exactly.
    if let Ok(seed) = seed {
        let text = String::from_utf8(example.bytes).unwrap();
        assert!(
            seed.contains(&text),
            "the example differs from the seed's text"
        );
    }
}

/// Valid examples give an empty report; invalid ones at least one error. The
/// snapshot shows each violation with its pointers and message.
#[test]
fn report_of_every_example() {
    for example in examples() {
        let report = validate(example.id, &example.bytes);
        match example.verdict {
            Verdict::Valid => assert!(
                report.diagnostics.is_empty(),
                "{}: expected valid, got\n{report}",
                example.path.display()
            ),
            Verdict::Invalid => assert!(
                !report.is_valid(),
                "{}: expected invalid",
                example.path.display()
            ),
        }
        insta::assert_json_snapshot!(example.snapshot_name("report"), report);
    }
}

/// A valid example read into its generated type and written back is the same JSON
/// value, and `parse` accepts exactly the examples `validate` does.
#[test]
fn round_trip_of_every_valid_example() {
    for example in examples() {
        let parsed = parse(example.id, &example.bytes);
        let payload = match (example.verdict, parsed) {
            (Verdict::Valid, Ok(payload)) => payload,
            (Verdict::Valid, Err(report)) => {
                panic!("{}: does not parse:\n{report}", example.path.display())
            }
            (Verdict::Invalid, Ok(_)) => {
                panic!("{}: invalid, yet it parsed", example.path.display())
            }
            (Verdict::Invalid, Err(_)) => continue,
        };
        assert_eq!(payload.schema_id(), example.id);
        let written = serde_json::to_vec(&payload).unwrap();
        assert!(
            support::same_text(&written, &example.bytes),
            "{}: the round trip changed the payload",
            example.path.display()
        );
        let output = serde_json::to_value(&payload).unwrap();
        insta::assert_json_snapshot!(example.snapshot_name("roundtrip"), output);
    }
}
