//! The diff judged change by change (a table modelled on oasdiff's examples of
//! breaking and non-breaking changes, with cases of its own) and as a property: a
//! schema loosened breaks a response's clients and no request's callers.

mod loosened;
mod structure_cases;
mod value_cases;

use super::*;
use bankschema_model::model::Direction as Kind;
use bankschema_model::normalise::Dialect;
use serde_json::{json, Value};
use structure_cases::{
    any_of_all_of_cases, arrays_cases, groups_cases, item_counts_cases, lengths_cases,
    one_of_cases, pattern_properties_cases, properties_cases, references_cases, requirements_cases,
    rules_and_markers_cases,
};
use value_cases::{
    enum_lists_cases, enum_values_cases, exact_bounds_cases, maximums_cases, minimums_cases,
    multiples_cases, nullability_cases, string_keywords_cases, types_cases,
};
use Severity::{Breaking as B, Info as I};

/// A one-message API whose root is `schema`, read as the generator reads it.
fn api(schema: &Value, direction: Kind) -> Api {
    let mut api = bankschema_model::document::api(
        "t",
        std::path::Path::new("t.json"),
        Dialect::JsonSchema,
        schema,
        "Root",
    )
    .unwrap_or_else(|e| panic!("{schema}: {e}"));
    api.messages[0].direction = direction;
    api
}

/// The changes from `old` to `new` as a message of `direction`.
fn changes(old: &Value, new: &Value, direction: Kind) -> Vec<Change> {
    diff(&api(old, direction), &api(new, direction))
}

/// `schema` as the property `p` of an object.
fn p(schema: Value) -> Value {
    json!({"type": "object", "properties": {"p": schema}})
}

/// `base` with `extra`'s members added.
fn with(base: Value, extra: Value) -> Value {
    let mut base = base;
    if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
        base.extend(extra.clone());
    }
    base
}

fn string(extra: Value) -> Value {
    p(with(json!({"type": "string"}), extra))
}

fn number(extra: Value) -> Value {
    p(with(json!({"type": "number"}), extra))
}

fn array(extra: Value) -> Value {
    p(with(
        json!({"type": "array", "items": {"type": "string"}}),
        extra,
    ))
}

fn object(extra: Value) -> Value {
    with(
        json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        extra,
    )
}

/// A tagged union of the branches given, each `{kind: <tag>, ...}`.
fn tagged(branches: &[(&str, Value)]) -> Value {
    let branches: Vec<Value> = branches
        .iter()
        .map(|(tag, extra)| {
            with(
                json!({"type": "object", "required": ["kind"], "properties": {"kind": {"const": tag}}}),
                extra.clone(),
            )
        })
        .collect();
    p(json!({"oneOf": branches}))
}

/// One case of [`cases`]: (what, old, new, kind of the change expected, worst
/// severity in a response, in a request).
type Case = (&'static str, Value, Value, &'static str, Severity, Severity);

/// (what, old, new, kind of the change expected, worst severity in a response, in
/// a request); an empty kind expects no change at all.
fn cases() -> Vec<Case> {
    [
        types_cases(),
        nullability_cases(),
        enum_values_cases(),
        enum_lists_cases(),
        string_keywords_cases(),
        multiples_cases(),
        minimums_cases(),
        maximums_cases(),
        exact_bounds_cases(),
        lengths_cases(),
        item_counts_cases(),
        arrays_cases(),
        properties_cases(),
        requirements_cases(),
        pattern_properties_cases(),
        one_of_cases(),
        any_of_all_of_cases(),
        references_cases(),
        groups_cases(),
        rules_and_markers_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[test]
fn each_change_has_its_rule_and_severity_in_each_direction() {
    let cases = cases();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut failures = Vec::new();
    for (what, old, new, kind, response, request) in &cases {
        for (direction, expected) in [(Kind::Response, response), (Kind::Request, request)] {
            let found = changes(old, new, direction);
            let name = Direction::of(&api(old, direction).messages[0]).name();
            let worst = found.iter().map(|c| c.severity).max();
            let ok = if kind.is_empty() {
                found.is_empty()
            } else {
                worst == Some(*expected)
                    && found.iter().any(|c| {
                        c.rule
                            == rule_id(
                                Direction::of(&api(old, direction).messages[0]),
                                kind,
                                &c.pointer,
                            )
                    })
            };
            if !ok {
                failures.push(format!(
                    "{what} ({name}): expected {kind} {expected:?}, found {found:#?}"
                ));
            }
            for change in &found {
                assert!(
                    KINDS
                        .iter()
                        .any(|(k, _)| change.rule.ends_with(&format!("-{k}"))),
                    "{what}: {} is in no kind of the catalogue",
                    change.rule
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn messages_removed_added_or_turned_around() {
    let one = api(&string(json!({})), Kind::Response);
    let mut renamed = one.clone();
    renamed.messages[0].id = "t.other".into();
    let found = diff(&one, &renamed);
    let rules: Vec<(&str, Severity)> = found
        .iter()
        .map(|c| (c.rule.as_str(), c.severity))
        .collect();
    assert_eq!(
        rules,
        [
            ("response-message-removed", B),
            ("response-message-added", I)
        ]
    );
    let mut turned = one.clone();
    turned.messages[0].direction = Kind::Request;
    let found = diff(&one, &turned);
    assert_eq!(found[0].rule, "response-message-direction-changed");
    assert_eq!(found[0].severity, B);
}

#[test]
fn every_kind_is_documented_in_the_readme() {
    let readme = include_str!("../../../../../README.md");
    for (kind, _) in KINDS {
        assert!(
            readme.contains(&format!("`{kind}`")),
            "README lists no `{kind}`"
        );
    }
}
