//! Cases of the diff table about structure: lengths and counts, arrays, objects
//! and their properties, branches, references, keyword groups, rules and markers.

use super::{array, number, object, p, string, tagged, Case};
use crate::diff::Severity::{Breaking as B, Info as I, Warning as W};
use serde_json::json;

/// String lengths.
pub(super) fn lengths_cases() -> Vec<Case> {
    vec![
        (
            "minLength raised",
            string(json!({"minLength": 1})),
            string(json!({"minLength": 5})),
            "min-length-increased",
            I,
            B,
        ),
        (
            "minLength lowered",
            string(json!({"minLength": 5})),
            string(json!({"minLength": 1})),
            "min-length-decreased",
            B,
            I,
        ),
        (
            "maxLength raised",
            string(json!({"maxLength": 10})),
            string(json!({"maxLength": 20})),
            "max-length-increased",
            B,
            I,
        ),
        (
            "maxLength lowered",
            string(json!({"maxLength": 20})),
            string(json!({"maxLength": 10})),
            "max-length-decreased",
            I,
            B,
        ),
        (
            "maxLength set",
            string(json!({})),
            string(json!({"maxLength": 5})),
            "max-length-added",
            I,
            B,
        ),
        (
            "maxLength dropped",
            string(json!({"maxLength": 5})),
            string(json!({})),
            "max-length-removed",
            B,
            I,
        ),
    ]
}

/// Array lengths.
pub(super) fn item_counts_cases() -> Vec<Case> {
    vec![
        (
            "minItems raised",
            array(json!({"minItems": 0})),
            array(json!({"minItems": 2})),
            "min-items-increased",
            I,
            B,
        ),
        (
            "minItems lowered",
            array(json!({"minItems": 2})),
            array(json!({"minItems": 0})),
            "min-items-decreased",
            B,
            I,
        ),
        (
            "maxItems lowered",
            array(json!({"maxItems": 5})),
            array(json!({"maxItems": 3})),
            "max-items-decreased",
            I,
            B,
        ),
        (
            "maxItems dropped",
            array(json!({"maxItems": 5})),
            array(json!({})),
            "max-items-removed",
            B,
            I,
        ),
    ]
}

/// `uniqueItems` and the `items` schema.
pub(super) fn arrays_cases() -> Vec<Case> {
    vec![
        (
            "uniqueItems set",
            array(json!({})),
            array(json!({"uniqueItems": true})),
            "unique-items-added",
            I,
            B,
        ),
        (
            "uniqueItems dropped",
            array(json!({"uniqueItems": true})),
            array(json!({"uniqueItems": false})),
            "unique-items-removed",
            B,
            I,
        ),
        (
            "items made nullable",
            array(json!({})),
            array(json!({"items": {"type": ["string", "null"]}})),
            "became-nullable",
            B,
            I,
        ),
        (
            "items retyped",
            array(json!({})),
            array(json!({"items": {"type": "integer"}})),
            "type-changed",
            B,
            B,
        ),
        (
            "items schema set",
            p(json!({"type": "array"})),
            array(json!({})),
            "items-added",
            I,
            B,
        ),
        (
            "items schema dropped",
            array(json!({})),
            p(json!({"type": "array"})),
            "items-removed",
            B,
            I,
        ),
    ]
}

/// Property counts, and properties added or removed.
pub(super) fn properties_cases() -> Vec<Case> {
    vec![
        (
            "minProperties set",
            object(json!({})),
            object(json!({"minProperties": 1})),
            "min-properties-added",
            I,
            B,
        ),
        (
            "maxProperties raised",
            object(json!({"maxProperties": 2})),
            object(json!({"maxProperties": 3})),
            "max-properties-increased",
            B,
            I,
        ),
        (
            "required property added",
            object(json!({})),
            object(
                json!({"required": ["b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}),
            ),
            "required-property-added",
            I,
            B,
        ),
        (
            "optional property added to an open object",
            object(json!({})),
            object(json!({"properties": {"a": {"type": "string"}, "b": {"type": "string"}}})),
            "optional-property-added",
            I,
            W,
        ),
        (
            "optional property added to a closed object",
            object(json!({"additionalProperties": false})),
            object(
                json!({"additionalProperties": false, "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}),
            ),
            "optional-property-added",
            B,
            I,
        ),
        (
            "required property removed",
            object(json!({"required": ["a"]})),
            object(json!({"properties": {}})),
            "required-property-removed",
            B,
            I,
        ),
        (
            "optional property removed from an open object",
            object(json!({})),
            object(json!({"properties": {}})),
            "optional-property-removed",
            B,
            I,
        ),
        (
            "optional property removed from a closed object",
            object(json!({"additionalProperties": false})),
            object(json!({"additionalProperties": false, "properties": {}})),
            "optional-property-removed",
            I,
            B,
        ),
    ]
}

/// Properties required or optional, and what governs unnamed ones.
pub(super) fn requirements_cases() -> Vec<Case> {
    vec![
        (
            "property becomes required",
            object(json!({})),
            object(json!({"required": ["a"]})),
            "property-became-required",
            I,
            B,
        ),
        (
            "property becomes optional",
            object(json!({"required": ["a"]})),
            object(json!({})),
            "property-became-optional",
            B,
            I,
        ),
        (
            "a name without a schema becomes required",
            object(json!({})),
            object(json!({"required": ["z"]})),
            "property-became-required",
            I,
            B,
        ),
        (
            "unknown properties allowed",
            object(json!({"additionalProperties": false})),
            object(json!({})),
            "additional-properties-allowed",
            B,
            I,
        ),
        (
            "unknown properties refused",
            object(json!({})),
            object(json!({"additionalProperties": false})),
            "additional-properties-refused",
            I,
            B,
        ),
        (
            "unknown properties constrained",
            object(json!({})),
            object(json!({"additionalProperties": {"type": "string"}})),
            "additional-properties-constrained",
            I,
            B,
        ),
        (
            "unknown properties unconstrained",
            object(json!({"additionalProperties": {"type": "string"}})),
            object(json!({})),
            "additional-properties-unconstrained",
            B,
            I,
        ),
        (
            "unknown properties retyped",
            object(json!({"additionalProperties": {"type": "string"}})),
            object(json!({"additionalProperties": {"type": "integer"}})),
            "type-changed",
            B,
            B,
        ),
    ]
}

/// `patternProperties` entries.
pub(super) fn pattern_properties_cases() -> Vec<Case> {
    vec![
        (
            "patternProperties entry added",
            object(json!({})),
            object(json!({"patternProperties": {"^x-": {"type": "string"}}})),
            "pattern-property-added",
            I,
            B,
        ),
        (
            "patternProperties entry removed",
            object(json!({"patternProperties": {"^x-": {"type": "string"}}})),
            object(json!({})),
            "pattern-property-removed",
            B,
            I,
        ),
        (
            "patternProperties entry widened",
            object(json!({"patternProperties": {"^x-": {"type": "string", "maxLength": 3}}})),
            object(json!({"patternProperties": {"^x-": {"type": "string"}}})),
            "max-length-removed",
            B,
            I,
        ),
    ]
}

/// `oneOf` branches, matched by structure or tag.
pub(super) fn one_of_cases() -> Vec<Case> {
    vec![
        (
            "oneOf branch added",
            tagged(&[("a", json!({})), ("b", json!({}))]),
            tagged(&[("a", json!({})), ("b", json!({})), ("c", json!({}))]),
            "one-of-branch-added",
            B,
            I,
        ),
        (
            "oneOf branch removed",
            tagged(&[("a", json!({})), ("b", json!({}))]),
            tagged(&[("a", json!({}))]),
            "one-of-branch-removed",
            I,
            B,
        ),
        (
            "oneOf branches reordered",
            tagged(&[("a", json!({})), ("b", json!({}))]),
            tagged(&[("b", json!({})), ("a", json!({}))]),
            "",
            I,
            I,
        ),
        (
            "oneOf branch widened, matched by its tag whatever its place",
            tagged(&[
                (
                    "a",
                    json!({"properties": {"kind": {"const": "a"}, "v": {"type": "string", "maxLength": 3}}}),
                ),
                ("b", json!({})),
            ]),
            tagged(&[
                ("b", json!({})),
                (
                    "a",
                    json!({"properties": {"kind": {"const": "a"}, "v": {"type": "string", "maxLength": 9}}}),
                ),
            ]),
            "max-length-increased",
            B,
            I,
        ),
        (
            "a branch of a oneOf whose branches overlap widened",
            p(
                json!({"oneOf": [{"type": "string", "maxLength": 3}, {"type": "string", "minLength": 5}]}),
            ),
            p(
                json!({"oneOf": [{"type": "string", "maxLength": 6}, {"type": "string", "minLength": 5}]}),
            ),
            "max-length-increased",
            B,
            B,
        ),
        (
            "oneOf of disjoint types: a branch widened",
            p(json!({"oneOf": [{"type": "string", "maxLength": 3}, {"type": "integer"}]})),
            p(json!({"oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 6}]})),
            "max-length-increased",
            B,
            I,
        ),
    ]
}

/// `anyOf` and `allOf` branches.
pub(super) fn any_of_all_of_cases() -> Vec<Case> {
    vec![
        (
            "anyOf branch added",
            p(json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})),
            p(json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]})),
            "any-of-branch-added",
            B,
            I,
        ),
        (
            "anyOf branch added that another allowed",
            p(json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})),
            p(
                json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "string", "maxLength": 3}]}),
            ),
            "any-of-branch-added",
            I,
            I,
        ),
        (
            "anyOf branch removed that another allows",
            p(
                json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "integer", "minimum": 3}]}),
            ),
            p(json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})),
            "any-of-branch-removed",
            I,
            I,
        ),
        (
            "anyOf branch removed",
            p(json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})),
            p(
                json!({"anyOf": [{"type": "integer"}, {"type": "boolean", "const": true}, {"type": "string", "enum": ["x"]}]}),
            ),
            "enum-added",
            B,
            B,
        ),
        (
            "anyOf branch dropped",
            p(json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]})),
            p(json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})),
            "any-of-branch-removed",
            I,
            B,
        ),
        (
            "anyOf set",
            string(json!({})),
            string(json!({"anyOf": [{"maxLength": 3}, {"minLength": 9}]})),
            "any-of-added",
            I,
            B,
        ),
        (
            "allOf branch added",
            p(json!({"allOf": [{"type": "string"}]})),
            p(json!({"allOf": [{"type": "string"}, {"maxLength": 3}]})),
            "all-of-branch-added",
            I,
            B,
        ),
        (
            "allOf branch removed",
            p(json!({"allOf": [{"type": "string"}, {"maxLength": 3}]})),
            p(json!({"allOf": [{"type": "string"}]})),
            "all-of-branch-removed",
            B,
            I,
        ),
    ]
}

/// `$ref`s followed: definitions renamed, inlined or recursive.
pub(super) fn references_cases() -> Vec<Case> {
    let node = |leaf: &str| {
        json!({
            "$defs": {"Node": {"type": "object", "properties": {
                "name": {"type": leaf},
                "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}
            }}},
            "$ref": "#/$defs/Node"
        })
    };
    let defs = |name: &str, inline: bool| {
        let target = json!({"type": "string", "maxLength": 3});
        if inline {
            p(target)
        } else {
            json!({"$defs": {name: target}, "type": "object", "properties": {"p": {"$ref": format!("#/$defs/{name}")}}})
        }
    };
    vec![
        (
            "a definition renamed",
            defs("Code", false),
            defs("CurrencyCode", false),
            "",
            I,
            I,
        ),
        (
            "a definition inlined",
            defs("Code", false),
            defs("Code", true),
            "",
            I,
            I,
        ),
        (
            "a recursive definition changed deep down",
            node("string"),
            node("integer"),
            "type-changed",
            B,
            B,
        ),
        (
            "a recursive definition unchanged",
            node("string"),
            node("string"),
            "",
            I,
            I,
        ),
    ]
}

/// Keywords compared only as a group.
pub(super) fn groups_cases() -> Vec<Case> {
    vec![
        (
            "not set",
            string(json!({})),
            string(json!({"not": {"const": "x"}})),
            "not-added",
            I,
            B,
        ),
        (
            "not changed",
            string(json!({"not": {"const": "x"}})),
            string(json!({"not": {"const": "y"}})),
            "not-changed",
            B,
            B,
        ),
        (
            "if/then set",
            object(json!({})),
            object(json!({"if": {"required": ["a"]}, "then": {"required": ["b"]}})),
            "if-then-else-added",
            I,
            B,
        ),
        (
            "contains dropped",
            array(json!({"contains": {"const": "x"}})),
            array(json!({})),
            "contains-removed",
            B,
            I,
        ),
        (
            "propertyNames changed",
            object(json!({"propertyNames": {"maxLength": 3}})),
            object(json!({"propertyNames": {"maxLength": 4}})),
            "property-names-changed",
            B,
            B,
        ),
        (
            "dependentRequired set",
            object(json!({})),
            object(json!({"dependentRequired": {"a": ["b"]}})),
            "dependent-required-added",
            I,
            B,
        ),
    ]
}

/// Prose rules, generator markers, and documentation.
pub(super) fn rules_and_markers_cases() -> Vec<Case> {
    let currency = |multi: bool| {
        string(
            json!({"x-bankschema-rules": [{"rule": "iso4217.currency", "multiCurrency": multi}]}),
        )
    };
    vec![
        (
            "a MUST rule attached",
            string(json!({})),
            string(json!({"x-bankschema-rules": ["iso13616.iban"]})),
            "rule-added",
            I,
            B,
        ),
        (
            "a MUST rule detached",
            string(json!({"x-bankschema-rules": ["iso13616.iban"]})),
            string(json!({})),
            "rule-removed",
            B,
            I,
        ),
        (
            "a SHOULD rule attached",
            p(json!({"type": "boolean"})),
            p(json!({"type": "boolean", "x-bankschema-rules": ["bank2ai.single-default"]})),
            "rule-added",
            I,
            I,
        ),
        (
            "a rule's options changed",
            currency(false),
            currency(true),
            "rule-options-changed",
            B,
            B,
        ),
        (
            "money marked",
            number(json!({})),
            number(json!({"x-bankschema-money": true})),
            "money-added",
            W,
            W,
        ),
        (
            "deprecated",
            string(json!({})),
            string(json!({"deprecated": true})),
            "deprecated",
            I,
            I,
        ),
        (
            "documentation only",
            string(json!({"description": "a"})),
            string(json!({"description": "b", "title": "B", "examples": ["x"]})),
            "",
            I,
            I,
        ),
    ]
}
