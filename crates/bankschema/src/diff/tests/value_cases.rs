//! Cases of the diff table about values: types, nullability, enums, string
//! keywords and numeric bounds.

use super::{number, p, string, Case};
use crate::diff::Severity::{Breaking as B, Info as I, Warning as W};
use serde_json::json;

/// Types changed, set, dropped or listed.
pub(super) fn types_cases() -> Vec<Case> {
    vec![
        (
            "string to integer",
            string(json!({})),
            p(json!({"type": "integer"})),
            "type-changed",
            B,
            B,
        ),
        (
            "string to number",
            string(json!({})),
            number(json!({})),
            "type-changed",
            B,
            B,
        ),
        (
            "integer to string",
            p(json!({"type": "integer"})),
            string(json!({})),
            "type-changed",
            B,
            B,
        ),
        (
            "integer to number",
            p(json!({"type": "integer"})),
            number(json!({})),
            "type-changed",
            B,
            I,
        ),
        (
            "number to integer",
            number(json!({})),
            p(json!({"type": "integer"})),
            "type-changed",
            I,
            B,
        ),
        (
            "a type is set",
            p(json!({})),
            string(json!({})),
            "type-changed",
            I,
            B,
        ),
        (
            "the type is dropped",
            string(json!({})),
            p(json!({})),
            "type-changed",
            B,
            I,
        ),
        (
            "a type is added to a list",
            string(json!({})),
            p(json!({"type": ["string", "integer"]})),
            "type-changed",
            B,
            I,
        ),
    ]
}

/// Null allowed or refused, however it is written.
pub(super) fn nullability_cases() -> Vec<Case> {
    vec![
        (
            "null allowed",
            string(json!({})),
            p(json!({"type": ["string", "null"]})),
            "became-nullable",
            B,
            I,
        ),
        (
            "null no longer allowed",
            p(json!({"type": ["string", "null"]})),
            string(json!({})),
            "became-not-nullable",
            I,
            B,
        ),
        (
            "null allowed through anyOf",
            string(json!({})),
            p(json!({"anyOf": [{"type": "string"}, {"type": "null"}]})),
            "became-nullable",
            B,
            I,
        ),
        (
            "nullable written two ways",
            p(json!({"anyOf": [{"type": "string"}, {"type": "null"}]})),
            p(json!({"type": ["string", "null"]})),
            "",
            I,
            I,
        ),
    ]
}

/// Values added to or removed from an enum, tolerant or not.
pub(super) fn enum_values_cases() -> Vec<Case> {
    vec![
        (
            "enum value added",
            string(json!({"enum": ["a"]})),
            string(json!({"enum": ["a", "b"]})),
            "enum-value-added",
            B,
            I,
        ),
        (
            "enum value added to a tolerant enum",
            string(json!({"enum": ["a"], "x-bankschema-tolerant": true})),
            string(json!({"enum": ["a", "b"], "x-bankschema-tolerant": true})),
            "enum-value-added",
            W,
            I,
        ),
        (
            "an enum made tolerant",
            string(json!({"enum": ["a"]})),
            string(json!({"enum": ["a"], "x-bankschema-tolerant": true})),
            "tolerant-added",
            W,
            W,
        ),
        (
            "a tolerant enum made closed",
            string(json!({"enum": ["a"], "x-bankschema-tolerant": true})),
            string(json!({"enum": ["a"]})),
            "tolerant-removed",
            W,
            W,
        ),
        (
            "enum value removed",
            string(json!({"enum": ["a", "b"]})),
            string(json!({"enum": ["a"]})),
            "enum-value-removed",
            I,
            B,
        ),
    ]
}

/// A list of values (`enum`, `const`) set, dropped or rewritten.
pub(super) fn enum_lists_cases() -> Vec<Case> {
    vec![
        (
            "enum set",
            string(json!({})),
            string(json!({"enum": ["a"]})),
            "enum-added",
            I,
            B,
        ),
        (
            "enum dropped",
            string(json!({"enum": ["a"]})),
            string(json!({})),
            "enum-removed",
            B,
            I,
        ),
        (
            "const replaced",
            string(json!({"const": "a"})),
            string(json!({"const": "b"})),
            "enum-value-added",
            B,
            B,
        ),
        (
            "const widened to an enum",
            string(json!({"const": "a"})),
            string(json!({"enum": ["a", "b"]})),
            "enum-value-added",
            B,
            I,
        ),
        (
            "enum numbers written otherwise",
            number(json!({"enum": [1.0, 2]})),
            number(json!({"enum": [1, 2.00]})),
            "",
            I,
            I,
        ),
    ]
}

/// `format` and `pattern`.
pub(super) fn string_keywords_cases() -> Vec<Case> {
    vec![
        (
            "format set",
            string(json!({})),
            string(json!({"format": "date"})),
            "format-added",
            I,
            B,
        ),
        (
            "format dropped",
            string(json!({"format": "date"})),
            string(json!({})),
            "format-removed",
            B,
            I,
        ),
        (
            "format replaced",
            string(json!({"format": "date"})),
            string(json!({"format": "date-time"})),
            "format-changed",
            B,
            B,
        ),
        (
            "pattern set",
            string(json!({})),
            string(json!({"pattern": "^[A-Z]{3}$"})),
            "pattern-added",
            I,
            B,
        ),
        (
            "pattern dropped",
            string(json!({"pattern": "^[A-Z]{3}$"})),
            string(json!({})),
            "pattern-removed",
            B,
            I,
        ),
        (
            "pattern replaced",
            string(json!({"pattern": "^[A-Z]{3}$"})),
            string(json!({"pattern": "^[A-Z]{2,3}$"})),
            "pattern-changed",
            B,
            B,
        ),
    ]
}

/// `multipleOf`, compared exactly.
pub(super) fn multiples_cases() -> Vec<Case> {
    vec![
        (
            "multipleOf set",
            number(json!({})),
            number(json!({"multipleOf": 0.01})),
            "multiple-of-added",
            I,
            B,
        ),
        (
            "multipleOf dropped",
            number(json!({"multipleOf": 0.01})),
            number(json!({})),
            "multiple-of-removed",
            B,
            I,
        ),
        (
            "multipleOf coarser",
            number(json!({"multipleOf": 0.01})),
            number(json!({"multipleOf": 0.05})),
            "multiple-of-changed",
            I,
            B,
        ),
        (
            "multipleOf finer",
            number(json!({"multipleOf": 0.05})),
            number(json!({"multipleOf": 0.01})),
            "multiple-of-changed",
            B,
            I,
        ),
        (
            "multipleOf unrelated",
            number(json!({"multipleOf": 0.03})),
            number(json!({"multipleOf": 0.02})),
            "multiple-of-changed",
            B,
            B,
        ),
    ]
}

/// Lower bounds, inclusive or exclusive.
pub(super) fn minimums_cases() -> Vec<Case> {
    vec![
        (
            "minimum set",
            number(json!({})),
            number(json!({"minimum": 0})),
            "minimum-added",
            I,
            B,
        ),
        (
            "minimum dropped",
            number(json!({"minimum": 0})),
            number(json!({})),
            "minimum-removed",
            B,
            I,
        ),
        (
            "minimum raised",
            number(json!({"minimum": 0})),
            number(json!({"minimum": 0.01})),
            "minimum-increased",
            I,
            B,
        ),
        (
            "minimum lowered",
            number(json!({"minimum": 0})),
            number(json!({"minimum": -1})),
            "minimum-decreased",
            B,
            I,
        ),
        (
            "minimum made exclusive",
            number(json!({"minimum": 0})),
            number(json!({"exclusiveMinimum": 0})),
            "minimum-increased",
            I,
            B,
        ),
        (
            "exclusive minimum made inclusive",
            number(json!({"exclusiveMinimum": 0})),
            number(json!({"minimum": 0})),
            "minimum-decreased",
            B,
            I,
        ),
    ]
}

/// Upper bounds, inclusive or exclusive.
pub(super) fn maximums_cases() -> Vec<Case> {
    vec![
        (
            "maximum raised",
            number(json!({"maximum": 9})),
            number(json!({"maximum": 9.5})),
            "maximum-increased",
            B,
            I,
        ),
        (
            "maximum lowered",
            number(json!({"maximum": 9})),
            number(json!({"maximum": 8})),
            "maximum-decreased",
            I,
            B,
        ),
        (
            "exclusiveMaximum lowered",
            number(json!({"exclusiveMaximum": 9})),
            number(json!({"exclusiveMaximum": 8})),
            "maximum-decreased",
            I,
            B,
        ),
        (
            "maximum made exclusive",
            number(json!({"maximum": 9})),
            number(json!({"exclusiveMaximum": 9})),
            "maximum-decreased",
            I,
            B,
        ),
    ]
}

/// Bounds compared as exact decimals, however they are written.
pub(super) fn exact_bounds_cases() -> Vec<Case> {
    vec![
        (
            "the same bound written otherwise",
            number(json!({"maximum": 1.10})),
            number(json!({"maximum": 1.1})),
            "",
            I,
            I,
        ),
        (
            "a bound in exponent form",
            number(json!({"maximum": 100})),
            number(json!({"maximum": 1e2})),
            "",
            I,
            I,
        ),
        (
            "a bound beyond 28 digits, unchanged",
            number(json!({"maximum": 1e40})),
            number(json!({"maximum": 1e40})),
            "",
            I,
            I,
        ),
        (
            "a bound beyond 28 digits, raised: compared exactly",
            number(json!({"maximum": 1e40})),
            number(json!({"maximum": 1e41})),
            "maximum-increased",
            B,
            I,
        ),
        (
            "a bound that is no number, changed",
            number(json!({"maximum": "a"})),
            number(json!({"maximum": "b"})),
            "maximum-changed",
            B,
            B,
        ),
        (
            "multipleOf beyond 28 digits, a multiple of the old",
            number(json!({"multipleOf": 1e-40})),
            number(json!({"multipleOf": 3e-40})),
            "multiple-of-changed",
            I,
            B,
        ),
    ]
}
